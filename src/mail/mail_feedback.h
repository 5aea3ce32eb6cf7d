/*
 * mail_feedback: reports about mail rather than replies to it.
 *
 * - ARF (RFC 5965, multipart/report; report-type=feedback-report): the
 *   complaints of feedback loops (Outlook.com JMRP, Yahoo CFL, ...) and
 *   DMARC failure reports (RFC 6591, Feedback-Type: auth-failure). The
 *   recipient complained about is Original-Rcpt-To, else the To of the
 *   returned message (mail_message_get_returned_headers).
 * - reports without ARF: X-ARF ("X-ARF: yes"), or complaint words ("spam
 *   complaint", "marked as spam") or DMARC failure words ("DMARC failure
 *   report") beside a copy of our message, attached or written into the
 *   text (then its Message-ID is about_message_id).
 * - aggregate reports: DMARC (RFC 7489 7.2: "Report Domain: ... Submitter:
 *   ..." with a zip, gzip or XML file) and SMTP TLS reports (RFC 8460).
 * Pure.
 */
#pragma once

#include "mail/mail_message.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	MAIL_FEEDBACK_NOT,
	MAIL_FEEDBACK_COMPLAINT,    /* abuse, fraud, virus: a person complained */
	MAIL_FEEDBACK_AUTH_FAILURE, /* a DMARC failure report about one message */
	MAIL_FEEDBACK_AGGREGATE,    /* a DMARC or TLS aggregate report */
	MAIL_FEEDBACK_OTHER,        /* not-spam, other */
} MailFeedbackKind;

typedef struct {
	MailFeedbackKind kind;
	char *type;      /* Feedback-Type ("abuse"), or "dmarc-aggregate", "tls-report" */
	char *recipient; /* lower case, or NULL */
	char *evidence;
	char *about_message_id; /* a notification that attaches nothing of our message
	                         * (Amazon SES's, a copy written into the text): the
	                         * Message-ID it names, or NULL */
} MailFeedback;

/* A new MailFeedback; kind NOT when the message is no such report. */
MailFeedback *mail_feedback_read(const MailMessage *message);
void mail_feedback_free(MailFeedback *feedback);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailFeedback, mail_feedback_free)
