/*
 * mail_classify: what an incoming message is, as a pure function of the
 * parsed message, with the evidence it used.
 *
 * - bounce: an RFC 3464 report (multipart/report; report-type=
 *   delivery-status), or the non-standard bounces of common servers
 *   (Postfix, Exim, Sendmail, qmail, Exchange/Office 365, Gmail, Yahoo,
 *   GMX/Web.de, ...): failed recipient, status x.y.z, SMTP reply code, a
 *   reason, and `hard` only when the address itself cannot receive mail.
 * - auto_reply: out-of-office and autoresponders (RFC 3834 Auto-Submitted,
 *   X-Autoreply, X-Autorespond, Precedence: auto_reply, and subject or body
 *   phrases in eight languages), with the return date when the text gives
 *   one.
 * - other: mailing lists, newsletters, notifications, read receipts.
 * - reply: written by a person.
 *
 * Bounces come first (a DSN also says Auto-Submitted), then read receipts
 * and bulk mail, then auto-replies.
 */
#pragma once

#include "mail/mail_message.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	MAIL_CLASS_REPLY,
	MAIL_CLASS_AUTO_REPLY,
	MAIL_CLASS_BOUNCE,
	MAIL_CLASS_OTHER,
} MailClass;

typedef enum {
	MAIL_REASON_NONE,
	MAIL_REASON_USER_UNKNOWN,
	MAIL_REASON_HOST_UNKNOWN,
	MAIL_REASON_MAILBOX_FULL,
	MAIL_REASON_MESSAGE_TOO_BIG,
	MAIL_REASON_SPAM_BLOCKED,
	MAIL_REASON_POLICY_BLOCKED,
	MAIL_REASON_RATE_LIMITED,
	MAIL_REASON_EXPIRED,
	MAIL_REASON_NETWORK_ERROR,
	MAIL_REASON_SUSPENDED,
	MAIL_REASON_OTHER,
} MailReason;

/* Plain data, owned by the caller (mail_classify_result_free). */
typedef struct {
	MailClass klass;
	char *recipient;   /* bounce: the address that failed, or NULL */
	char *status;      /* bounce: "5.1.1", or NULL */
	int reply_code;    /* bounce: 550, or 0 */
	MailReason reason; /* bounce */
	bool hard;         /* bounce: the address cannot receive mail */
	char *return_date; /* auto_reply: "YYYY-MM-DD", or NULL */
	bool opt_out;      /* reply: asks to be left alone ("unsubscribe", "remove me", ...) */
	char *evidence;    /* what decided, for people and logs */
} MailClassification;

MailClassification *mail_classify_message(const MailMessage *message);
void mail_classify_result_free(MailClassification *classification);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailClassification, mail_classify_result_free)

/* "reply", "auto_reply", "bounce", "other" */
const char *mail_classify_class_to_string(MailClass klass);
/* "user_unknown", "mailbox_full", ... ("" for MAIL_REASON_NONE) */
const char *mail_classify_reason_to_string(MailReason reason);
