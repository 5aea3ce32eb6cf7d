/*
 * imap_command: encodes command arguments (RFC 9051 4.3, 9). One function
 * picks the form of a string argument: an atom when it can be one, a quoted
 * string when it is short and 7-bit without CR, LF or NUL, else a literal
 * (non-synchronizing {n+} when the server has LITERAL+). CR, LF and NUL are
 * refused outright in astrings: no caller can build a second command by
 * accident. Pure.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* How a string was appended: as text, or as a literal whose bytes must
 * follow after the server's "+" (synchronizing) or at once (LITERAL+). */
typedef enum {
	IMAP_ARG_INLINE,
	IMAP_ARG_LITERAL_SYNC,
	IMAP_ARG_LITERAL_PLUS,
} ImapArgForm;

/*
 * Appends @value as an astring to @command. A literal is written as its
 * marker only ("{5}" or "{5+}"); the caller sends the bytes. Returns false
 * with IMAP_ERROR_INPUT when @value holds CR, LF or NUL.
 */
bool imap_command_append_astring(GString *command, const char *value, bool literal_plus,
                                 ImapArgForm *form, GError **error);

/* A mailbox name in modified UTF-7 (RFC 3501 5.1.3) from UTF-8; newly
 * allocated. */
char *imap_command_encode_mailbox(const char *utf8);

/* The UTF-8 of a modified UTF-7 mailbox name; names that are not valid
 * modified UTF-7 are returned as they are. Newly allocated. */
char *imap_command_decode_mailbox(const char *name);
