/*
 * mail_compose: builds the message a person would send from their mail
 * client: From with display name, To, Subject (RFC 2047 when not ASCII),
 * Date, a unique Message-ID on the sender's domain, MIME-Version, and a
 * text/plain UTF-8 body (quoted-printable when it is not ASCII); with HTML,
 * multipart/alternative of both. Follow-ups carry In-Reply-To and
 * References. List-Unsubscribe (mailto and https, RFC 2369) and
 * List-Unsubscribe-Post (RFC 8058) only when asked. No bulk markers
 * (Precedence, List-Id).
 *
 * Every header value is checked: CR or LF in any of them is an error that
 * names the field, so data can never start a header of its own.
 *
 * Pure apart from the clock and randomness of the Date and Message-ID
 * (both can be given). Thread-safe after g_mime_init().
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* What to compose. Plain data, borrowed for the call. */
typedef struct {
	const char *from_name;          /* display name, may be NULL */
	const char *from_address;       /* "alice@sender.test" */
	const char *const *to;          /* NULL-terminated addresses */
	const char *subject;            /* UTF-8 */
	const char *body_text;          /* UTF-8, any line ends */
	const char *message_id;         /* without <>; NULL: made up on the sender's domain */
	GDateTime *date;                /* NULL: now */
	const char *in_reply_to;        /* Message-ID (without <>) this answers, or NULL */
	const char *const *references;  /* NULL-terminated Message-IDs (without <>), or NULL */
	const char *body_html;          /* HTML of the step, or NULL: then the message is
	                                 * multipart/alternative (text and HTML) */
	const char *unsubscribe_mailto; /* "unsubscribe+id@sender.test", or NULL */
	const char *unsubscribe_url;    /* "https://.../u/id", or NULL; with it comes
	                                 * List-Unsubscribe-Post (RFC 8058 one-click) */
} MailComposeSpec;

/* The message as RFC 5322 bytes with CRLF line ends, or NULL with
 * MAIL_ERROR_INVALID. With @message_id_out, the Message-ID used (without <>)
 * is returned there, newly allocated. */
GBytes *mail_compose_message(const MailComposeSpec *spec, char **message_id_out, GError **error);

/* Whether @url may be a one-click unsubscribe link: https:// (RFC 8058
 * wants it), or plain http:// to a loopback address (127.0.0.1, [::1]),
 * which only this machine can follow. */
bool mail_compose_unsubscribe_url_allowed(const char *url);

/* "<uuid>@<domain of @address>" (without <>), newly allocated. */
char *mail_compose_new_message_id(const char *address);
