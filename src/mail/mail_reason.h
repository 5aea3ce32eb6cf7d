/*
 * mail_reason: why a message could not be delivered, read from a bounce's
 * status code (RFC 3463) first and its words second, and whether the
 * failure is hard: the address itself cannot receive mail.
 *
 * The taxonomy and its hard/soft line are documented, with the codes and
 * words each reason is read from, in docs/classification.md. Only three
 * reasons are hard: user_unknown, host_unknown, not_accepted. A suspended
 * account, a full mailbox, a policy or spam block and a refusal of our own
 * sender address say nothing final about the address. Pure.
 */
#pragma once

#include "mail/mail_smtp_command.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	MAIL_REASON_NONE,
	MAIL_REASON_USER_UNKNOWN,     /* no such mailbox (5.1.1, 5.1.3, 5.1.6) */
	MAIL_REASON_HOST_UNKNOWN,     /* no such domain or host (5.1.2, final 5.4.4) */
	MAIL_REASON_NOT_ACCEPTED,     /* the domain takes no mail (null MX, 5.1.10, 556) */
	MAIL_REASON_MAILBOX_FULL,     /* x.2.2, over quota */
	MAIL_REASON_MESSAGE_TOO_BIG,  /* x.3.4, x.2.3 */
	MAIL_REASON_SUSPENDED,        /* the account is disabled or inactive (x.2.1, x.7.13) */
	MAIL_REASON_SPAM_BLOCKED,     /* refused as spam, or our server is on a block list */
	MAIL_REASON_POLICY_BLOCKED,   /* refused by the receiver's rules (x.7.x, relay denied) */
	MAIL_REASON_SENDER_REJECTED,  /* our sender address or its authentication: our fault
	                               * (5.1.7, 5.1.8, x.7.23 to x.7.27) */
	MAIL_REASON_CONTENT_REJECTED, /* the content: a virus, a bad attachment (x.6.x) */
	MAIL_REASON_RATE_LIMITED,     /* too much too fast, greylisting */
	MAIL_REASON_EXPIRED,          /* the server gave up retrying (x.4.7) */
	MAIL_REASON_NETWORK_ERROR,    /* no answer, a bad connection (x.4.x) */
	MAIL_REASON_OTHER,
} MailReason;

/* The reason for a failure with RFC 3463 @status ("5.1.1", or NULL), SMTP
 * @reply_code (550, or 0) and @text (the diagnostic or the human-readable
 * report, any case, line breaks anywhere). *@hard says whether the address
 * cannot receive mail. */
MailReason mail_reason_of(const char *status, int reply_code, const char *text, bool *hard);

/* @reason read again with the SMTP @command the refusal answered and the
 * report's @paragraph about the recipient: a refusal at MAIL FROM that
 * gave no cause is about our sender address, unless the paragraph names
 * our server; "550 Unknown user" answered only after the data is the
 * receiver's filter. */
MailReason mail_reason_with_command(MailReason reason, MailSmtpCommand command,
                                    const char *paragraph);

/* "user_unknown", "mailbox_full", ... ("" for MAIL_REASON_NONE) */
const char *mail_reason_to_string(MailReason reason);

/* Whether @reason, final, means the address cannot receive mail. */
bool mail_reason_is_hard(MailReason reason);

/* "5.1.1" into its three numbers (RFC 3463); false when it is not one. */
bool mail_reason_parse_status(const char *text, int *klass, int *subject, int *detail);
