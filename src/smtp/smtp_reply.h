/*
 * smtp_reply: an SMTP server's reply (RFC 5321 section 4.2), and the pure
 * reader that assembles one from the lines of the wire.
 *
 * A reply is data, not an error: "550 5.1.1 no such user" is a complete,
 * correct answer, classified later by smtp_outcome. The reader rejects
 * what no correct server sends, naming the fault: a line too short, a code
 * that is not three digits of the right ranges, a fourth character other
 * than space or hyphen, control bytes, a continuation line with another
 * code, more lines than the bound.
 *
 * The reader knows no sockets: feed it lines (without CRLF), it says when
 * the reply is complete. Not thread-safe; one reader per connection.
 */
#pragma once

#include "smtp/smtp_error.h"

#include <glib.h>
#include <stdbool.h>

/* An enhanced status code (RFC 3463), "5.1.1"; all 0 when absent. */
typedef struct {
	int klass;   /* 2, 4 or 5 */
	int subject; /* 0..999 */
	int detail;  /* 0..999 */
} SmtpEnhancedCode;

/* One complete reply. Plain data, owned by whoever holds it. */
typedef struct {
	int code;                  /* 200..599 */
	SmtpEnhancedCode enhanced; /* from the first line, when it has one */
	GPtrArray *lines;          /* char *: each line's text after "NNN " or
	                            * "NNN-", enhanced code included */
} SmtpReply;

SmtpReply *smtp_reply_new(void);
void smtp_reply_free(SmtpReply *reply);
SmtpReply *smtp_reply_copy(const SmtpReply *reply);

/* "550 5.1.1 <x@y>: User unknown": the reply on one line, made printable and
 * cut at @max_chars (for logs, errors and users). Newly allocated. */
char *smtp_reply_dup_summary(const SmtpReply *reply, gsize max_chars);

/* The text of all lines joined with "\n", without codes; newly allocated. */
char *smtp_reply_dup_text(const SmtpReply *reply);

/* Parses "d.ddd.ddd" at the start of @text; true when found. */
bool smtp_reply_parse_enhanced(const char *text, SmtpEnhancedCode *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SmtpReply, smtp_reply_free)

typedef struct SmtpReplyReader SmtpReplyReader;

/* The longest line accepted: RFC 5321 says 512; real servers go beyond. */
#define SMTP_REPLY_MAX_LINE_BYTES 4096
/* The most lines in one reply (an EHLO reply has a few dozen at most). */
#define SMTP_REPLY_MAX_LINES 256

SmtpReplyReader *smtp_reply_reader_new(void);
void smtp_reply_reader_free(SmtpReplyReader *reader);

/*
 * Feeds one line (without its line end). Returns false with
 * SMTP_ERROR_PROTOCOL when the line is malformed (the reader is then reset).
 * Sets *@complete when the line ended a reply; then
 * smtp_reply_reader_steal() hands the reply over.
 */
bool smtp_reply_reader_feed(SmtpReplyReader *reader, const char *line, gsize length, bool *complete,
                            GError **error);

/* The completed reply; the reader is ready for the next one. */
SmtpReply *smtp_reply_reader_steal(SmtpReplyReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SmtpReplyReader, smtp_reply_reader_free)
