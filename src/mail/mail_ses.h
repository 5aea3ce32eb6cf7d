/*
 * mail_ses: Amazon SES notifications that reach a mailbox as mail.
 *
 * A sender who relays through Amazon SES may have its bounce, complaint
 * and delivery notifications published through SNS to an e-mail address:
 * a text/plain body that is one JSON object ({"notificationType":
 * "Bounce", "bounce": {...}, "mail": {...}}, or "eventType" for event
 * publishing), from no-reply@sns.amazonaws.com, lines over 990 bytes split
 * by the relay with "!" and a folded line. This reads that object into
 * plain data; what it means is mail_bounce's and mail_feedback's to say.
 * Pure.
 */
#pragma once

#include <glib.h>

typedef enum {
	MAIL_SES_BOUNCE,
	MAIL_SES_COMPLAINT,
	MAIL_SES_DELIVERY,
} MailSesKind;

typedef struct {
	char *address;    /* lower case */
	char *status;     /* "5.1.1", or NULL */
	char *diagnostic; /* "smtp; 550 5.1.1 user unknown", or NULL */
} MailSesRecipient;

typedef struct {
	MailSesKind kind;
	char *bounce_type;     /* "Permanent", "Transient", "Undetermined", or NULL */
	char *bounce_subtype;  /* "General", "NoEmail", "MailboxFull", ..., or NULL */
	char *feedback_type;   /* a complaint's "abuse", ..., or NULL */
	GPtrArray *recipients; /* MailSesRecipient: bounced, complained or delivered */
	char *message_id;      /* the Message-ID of the message it is about, without <>, or NULL */
} MailSesNotification;

/* The notification @text (a message's text) is, or NULL when it is none.
 * Never more than 100 recipients. */
MailSesNotification *mail_ses_notification_read(const char *text);
void mail_ses_notification_free(MailSesNotification *notification);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailSesNotification, mail_ses_notification_free)
