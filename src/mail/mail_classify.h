/*
 * mail_classify: what an incoming message is, as a pure function of the
 * parsed message, with the evidence it used.
 *
 * - bounce: a delivery report (mail_bounce: RFC 3464, or the non-standard
 *   reports of any server, read from structure first and words second),
 *   with every failed recipient, its status, SMTP code, reason and whether
 *   it is hard (mail_reason); a delay warning is a bounce with `delayed`.
 * - feedback: a complaint (ARF, RFC 5965) or a DMARC or TLS report
 *   (mail_feedback).
 * - auto_reply: out-of-office and autoresponders (RFC 3834 Auto-Submitted,
 *   X-Autoreply, X-Autorespond, Precedence: auto_reply, Exchange's and
 *   Lotus Notes' marks, and subject or body phrases in eight languages),
 *   even when they also carry Precedence: bulk or List-Id; with the return
 *   date when the text gives one.
 * - reply: written by a person, on positive evidence only: a sender that
 *   is no daemon and no null Return-Path, no report structure, no bulk or
 *   mass-mailing marks. Its intent is read (mail_intent): an opt-out is the
 *   intent `unsubscribe`.
 * - other: mailing lists, newsletters, notifications, read receipts,
 *   success reports, and whatever gives no evidence of being any of the
 *   above; the last say `needs_review` (a person should look: it may be a
 *   reply we could not recognise).
 */
#pragma once

#include "mail/mail_bounce.h"
#include "mail/mail_feedback.h"
#include "mail/mail_intent.h"
#include "mail/mail_message.h"
#include "mail/mail_reason.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	MAIL_CLASS_REPLY,
	MAIL_CLASS_AUTO_REPLY,
	MAIL_CLASS_BOUNCE,
	MAIL_CLASS_OTHER,
	MAIL_CLASS_FEEDBACK,
} MailClass;

/* Plain data, owned by the caller (mail_classify_result_free). */
typedef struct {
	MailClass klass;
	/* bounce: the first failed recipient (also in @recipients), feedback:
	 * the recipient complained about */
	char *recipient;
	char *status;              /* bounce: "5.1.1", or NULL */
	int reply_code;            /* bounce: 550, or 0 */
	MailReason reason;         /* bounce */
	bool hard;                 /* bounce: the address cannot receive mail */
	bool delayed;              /* bounce: a warning, the server still tries */
	GPtrArray *recipients;     /* bounce: every MailBounceRecipient, or NULL */
	MailFeedbackKind feedback; /* feedback */
	char *feedback_type;       /* feedback: "abuse", "dmarc-aggregate", ... */
	char *about_message_id;    /* bounce, feedback: the Message-ID (without <>) a report
	                            * names without returning our message (Amazon
	                            * SES's notifications), or NULL */
	char *return_date;         /* auto_reply: "YYYY-MM-DD", or NULL */
	bool departed;             /* auto_reply: the person has left; no return date */
	char *reply_text;          /* reply: the new text (mail_reply_text), "" when none */
	MailIntent intent;         /* reply */
	int confidence;            /* reply: the intent's, 0 to 100 */
	char *intent_date;         /* reply, later: "YYYY-MM-DD", or NULL */
	char *referral;            /* reply, wrong_person: the colleague's address, or NULL */
	char *on_behalf_of;        /* reply: the person a service wrote for (a scheduling
	                            * tool's invitee, mail_booking; a document or
	                            * signing service's sharer, its Reply-To): the reply
	                            * is theirs; else NULL */
	bool opt_out;              /* reply: the intent is unsubscribe */
	bool needs_review;         /* reply or other: a person should look */
	char *evidence;            /* what decided, for people and logs */
} MailClassification;

MailClassification *mail_classify_message(const MailMessage *message);
void mail_classify_result_free(MailClassification *classification);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailClassification, mail_classify_result_free)

/* "reply", "auto_reply", "bounce", "other", "feedback" */
const char *mail_classify_class_to_string(MailClass klass);

/* The bounce recipient entry for @address, else the first; NULL when the
 * classification has none. Borrowed. */
const MailBounceRecipient *mail_classify_bounce_for(const MailClassification *classification,
                                                    const char *address);
