/*
 * cli_signal: SIGINT and SIGTERM turned into a byte on a pipe, so a
 * long-running command (`inbox watch`, `run`) can poll for "stop" next to
 * its sockets and finish what it is doing first.
 */
#pragma once

#include <stdbool.h>

/* Installs the handlers (once). */
bool cli_signal_install_stop(void);
/* The pipe's read end: readable once a stop was asked for. */
int cli_signal_get_stop_fd(void);
/* Whether a stop was asked for (consumes the byte). */
bool cli_signal_stop_requested(void);
