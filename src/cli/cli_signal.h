/*
 * cli_signal: SIGINT and SIGTERM turned into a byte on a pipe, so a
 * long-running command (`inbox watch`, `run`) can poll for "stop" next to
 * its sockets and finish what it is doing first; SIGHUP ("read the
 * configuration again") turned into a flag and a byte on a second pipe,
 * the wake pipe, which every one of the three signals makes readable. The
 * stop pipe is what work in flight watches: a SIGHUP never aborts it.
 */
#pragma once

#include <stdbool.h>

/* Installs the handlers of SIGINT and SIGTERM (once). */
bool cli_signal_install_stop(void);
/* The pipe's read end: readable once a stop was asked for. */
int cli_signal_get_stop_fd(void);
/* Whether a stop was asked for (consumes the byte). */
bool cli_signal_stop_requested(void);

/* Installs the handler of SIGHUP too (once; after install_stop). */
bool cli_signal_install_reload(void);
/* Readable after any of the three signals: what a main loop waits on. */
int cli_signal_get_wake_fd(void);
/* Whether a SIGHUP came since the last call; empties the wake pipe. */
bool cli_signal_reload_requested(void);
