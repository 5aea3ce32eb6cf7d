/*
 * cli_output: what the command prints for people, made safe for a
 * terminal. Replies, CSV fields, server alerts and campaign names come from
 * outside; an escape sequence in them could retitle the window, clear the
 * screen or overwrite the line a person reads. Text printed through here
 * keeps line breaks and tabs; every other control character (ESC, BEL,
 * backspace, a lone CR, DEL, the C1 range), Unicode direction overrides and
 * bytes that are not UTF-8 are shown as U+FFFD. CRLF becomes LF.
 *
 * JSON output (--json) does not go through here: its writer escapes
 * controls itself, and its strings are data to keep whole.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

/* @text made terminal-safe (see above); @length -1 for NUL-terminated. */
char *cli_output_safe_dup(const char *text, gssize length);

/* printf to stdout / stderr, the result made terminal-safe. */
void cli_output_printf(const char *format, ...) G_GNUC_PRINTF(1, 2);
void cli_output_eprintf(const char *format, ...) G_GNUC_PRINTF(1, 2);

/* @text to stdout, made terminal-safe. */
void cli_output_puts(const char *text);

/* @at_us (µs since the epoch) as "2026-12-01T09:00:00Z"; "-" when not set
 * (0). Newly allocated. */
char *cli_output_time(int64_t at_us);
