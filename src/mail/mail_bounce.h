/*
 * mail_bounce: whether an incoming message is a delivery report, and what
 * it says of each recipient.
 *
 * Read from structure first: an RFC 3464 report (message/delivery-status,
 * even with a missing or non-standard Action, even outside a
 * multipart/report), an X-Failed-Recipients field, a daemon or null sender
 * with a returned message (message/rfc822 or text/rfc822-headers) or with
 * a status code; then from wording (subject and text in several
 * languages). Each failed recipient comes with its own status, SMTP code
 * and reason (mail_reason); a delay warning ("will retry", Action:
 * delayed) is told apart from a failure. Whether the returned message is
 * one of ours is for the caller to check (mail_message_get_returned_headers).
 * Pure.
 */
#pragma once

#include "mail/mail_message.h"
#include "mail/mail_reason.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	MAIL_BOUNCE_NOT,       /* not a delivery report */
	MAIL_BOUNCE_FAILED,    /* at least one recipient failed */
	MAIL_BOUNCE_DELAYED,   /* a warning: the server still tries */
	MAIL_BOUNCE_DELIVERED, /* a success report (delivered, relayed, expanded) */
} MailBounceKind;

typedef struct {
	char *address;  /* lower case */
	char *status;   /* "5.1.1", or NULL */
	int reply_code; /* 550, or 0 */
	MailReason reason;
	bool hard;
} MailBounceRecipient;

typedef struct {
	MailBounceKind kind;
	GPtrArray *recipients;  /* MailBounceRecipient: the failed (or delayed) ones, in order */
	char *evidence;         /* what made it a report */
	MailReason reason;      /* when it names nobody ("mykewlaolacct (User account is
	                         * expired)"): what its words say, else NONE */
	char *about_message_id; /* a notification that returns nothing of our message
	                         * (Amazon SES's): the Message-ID it names, or NULL */
} MailBounce;

/* @head is the message's text as classification reads it (lower case,
 * the first few KiB). A new MailBounce; kind NOT when it is no report. */
MailBounce *mail_bounce_read(const MailMessage *message, const char *head);
void mail_bounce_free(MailBounce *bounce);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailBounce, mail_bounce_free)
