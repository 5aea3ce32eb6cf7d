/*
 * base_error: the base layer's error domain and the helpers every layer uses
 * to put outside text (a server's reply, a file's line) into an error
 * message safely.
 *
 * Each layer declares its own GError domain in its own header (NET_ERROR in
 * net/, SMTP_ERROR in smtp/, ...); codes say what the caller should do next,
 * not the symptom. Functions here are pure and thread-safe.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#define BASE_ERROR (base_error_quark())

typedef enum {
	/* The user's configuration or input is wrong: fix it, do not retry. */
	BASE_ERROR_INVALID,
	/* A file, variable or command that should hold something does not. */
	BASE_ERROR_NOT_FOUND,
	/* Reading or writing a local resource failed. */
	BASE_ERROR_IO,
} BaseError;

GQuark base_error_quark(void);

/*
 * Returns a copy of @text (of @length bytes, or NUL-terminated when -1) fit
 * for an error message or a log line: leading and trailing white space
 * trimmed, CR, LF, TAB and other control bytes shown as one space, bytes
 * that are not valid UTF-8 as U+FFFD, and cut to at most @max_chars
 * characters with "..." appended when cut. Never NULL.
 */
char *base_error_printable_dup(const char *text, gssize length, gsize max_chars);
