/*
 * base_log: where piculet's log lines go and how much of them.
 *
 * Every layer logs through GLib with its own G_LOG_DOMAIN ("piculet-net",
 * "piculet-smtp", ...). base_log_init() installs one writer that prints
 * "TIME LEVEL DOMAIN: MESSAGE" lines on stderr. g_debug carries protocol
 * traces and state changes, g_message what happened to a message (sent,
 * reply detected), g_warning what is degraded but going on.
 *
 * Call base_log_init() from main() before any thread starts; later calls
 * only change the level.
 */
#pragma once

#include <glib.h>

typedef enum {
	BASE_LOG_QUIET,   /* warnings and errors only */
	BASE_LOG_NORMAL,  /* plus g_message and g_info */
	BASE_LOG_VERBOSE, /* plus g_debug: protocol traces (secrets redacted) */
} BaseLogLevel;

void base_log_init(BaseLogLevel level);

/* Changes the level later (a command's --trace, --quiet). */
void base_log_set_level(BaseLogLevel level);

/* The level in force; protocol code asks before building a costly trace. */
BaseLogLevel base_log_get_level(void);
