/*
 * base_notify: the service manager's notification protocol (sd_notify(3),
 * documented by systemd as a stable interface), spoken directly: one
 * datagram of "NAME=VALUE" lines to the AF_UNIX socket named by
 * $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace). Without
 * that variable every call does nothing and succeeds, so a program run from
 * a shell behaves the same.
 *
 * base_notify_init() takes $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID
 * out of the environment (so no child process, a password command say,
 * notifies in our name); call it from main() before any thread starts.
 * base_notify_send() may then be called from any thread.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

void base_notify_init(void);

/* Sends @state ("READY=1", "STOPPING=1", "STATUS=...", several lines
 * joined by '\n'). False when a socket was named and the datagram did not
 * go; nothing to do about it but go on. */
bool base_notify_send(const char *state);

/* The watchdog's interval in microseconds when the manager asked this
 * process for keep-alives (WATCHDOG=1 at least every half of it), else 0. */
int64_t base_notify_watchdog_us(void);

/* "RELOADING=1" with the monotonic time systemd wants beside it. */
bool base_notify_reloading(void);
