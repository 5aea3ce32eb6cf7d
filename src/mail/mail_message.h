/*
 * mail_message: an incoming message, parsed with GMime, whatever its
 * charset, transfer encoding or structure. What classification and reply
 * extraction need: header fields decoded to UTF-8, the first readable text
 * (text/plain, else text/html with its tags dropped), and the parts of a
 * delivery report (message/delivery-status, the returned headers), of a
 * feedback report (message/feedback-report), of a disposition notification
 * (message/disposition-notification), and the types of its parts.
 *
 * Bounded: messages over 16 MiB are cut, MIME nesting deeper than 16 and
 * more than 256 parts are not walked, text is read up to 32 KiB. A message
 * GMime cannot make sense of still gives a MailMessage (its headers as far
 * as they go, an empty text): never an error, never a crash.
 *
 * A MailMessage is immutable once parsed; thread-safe after g_mime_init().
 */
#pragma once

#include "mail/mail_headers.h"

#include <glib.h>
#include <stdbool.h>

typedef struct MailMessage MailMessage;

MailMessage *mail_message_parse(const char *data, gsize length);
void mail_message_free(MailMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailMessage, mail_message_free)

/* The top-level header fields. Borrowed. */
const MailHeaders *mail_message_get_headers(const MailMessage *message);

/* The first readable text, decoded to UTF-8 with LF line ends ("" when
 * none). Borrowed. */
const char *mail_message_get_text(const MailMessage *message);

/* The text of a message/delivery-status part (RFC 3464), or NULL. Borrowed. */
const char *mail_message_get_delivery_status(const MailMessage *message);

/* The text of a message/feedback-report part (RFC 5965), or NULL. Borrowed. */
const char *mail_message_get_feedback_report(const MailMessage *message);

/* The text of a message/disposition-notification part (RFC 8098: a read
 * receipt, or a Sieve reject's refusal, RFC 5429), or NULL. Borrowed. */
const char *mail_message_get_disposition_notification(const MailMessage *message);

/* The text of the first text/calendar part (RFC 5545; an invitation or
 * an answer to one, RFC 5546), at most 32 KiB, or NULL. Borrowed. */
const char *mail_message_get_calendar(const MailMessage *message);

/* Whether some part of the message is of @mime_type (lower case,
 * "application/zip"), at any depth walked. */
bool mail_message_has_part_type(const MailMessage *message, const char *mime_type);

/* The header fields of the returned message in a bounce (text/rfc822-headers
 * or message/rfc822), or NULL. Borrowed. */
const MailHeaders *mail_message_get_returned_headers(const MailMessage *message);

/* "multipart/report; report-type=..." value, lower case, or NULL. */
const char *mail_message_get_report_type(const MailMessage *message);

/* The Content-Type's type/subtype, lower case ("text/plain"). Borrowed. */
const char *mail_message_get_content_type(const MailMessage *message);
