/*
 * smtp_outcome: what a server's verdict means for the sender, as a pure
 * function of the reply and the stage it answered. The engine acts on the
 * class: bounce the prospect, retry later, or pause the whole mailbox.
 */
#pragma once

#include "smtp/smtp_reply.h"

#include <glib.h>
#include <stdbool.h>

/* The command a reply answered. */
typedef enum {
	SMTP_STAGE_GREETING,
	SMTP_STAGE_EHLO,
	SMTP_STAGE_STARTTLS,
	SMTP_STAGE_AUTH,
	SMTP_STAGE_MAIL,
	SMTP_STAGE_RCPT,
	SMTP_STAGE_DATA,     /* the reply to the DATA command itself (354 expected) */
	SMTP_STAGE_DATA_END, /* the reply after the final dot */
	SMTP_STAGE_RSET,
	SMTP_STAGE_QUIT,
} SmtpStage;

typedef enum {
	/* The server took it (2xx; 354 at DATA). */
	SMTP_OUTCOME_ACCEPTED,
	/* 4xx: not now; retry this message later with backoff (greylisting). */
	SMTP_OUTCOME_TEMPORARY,
	/* 5xx for this recipient or message: a bounce. */
	SMTP_OUTCOME_PERMANENT,
	/* Rate limit or quota of the sending account (421, 452 4.5.3,
	 * 550 5.4.5, "too many", "quota", "rate"...): pause the mailbox, not the
	 * prospect. */
	SMTP_OUTCOME_THROTTLED,
	/* Credentials rejected (535, 534, 530, 5.7.8): pause the mailbox and
	 * tell the user. */
	SMTP_OUTCOME_AUTH_REJECTED,
	/* The sender address is refused (5xx at MAIL FROM, e.g. "not owned by
	 * user"): pause the mailbox and tell the user. */
	SMTP_OUTCOME_SENDER_REJECTED,
	/* No connection or TLS: retry later. (Only from smtp_outcome_of_error.) */
	SMTP_OUTCOME_CONNECTION_FAILED,
	/* Lost after the final dot before a reply: may have been delivered;
	 * reconcile, never resend blindly. (Only from smtp_outcome_of_error.) */
	SMTP_OUTCOME_UNKNOWN,
	/* Our configuration is wrong (no TLS offered, no AUTH mechanism, bad
	 * certificate): tell the user. (Only from smtp_outcome_of_error.) */
	SMTP_OUTCOME_CONFIGURATION,
	/* Nothing to do with the server: the message itself cannot be sent
	 * (larger than SIZE, unreadable). (Only from smtp_outcome_of_error.) */
	SMTP_OUTCOME_MESSAGE_INVALID,
} SmtpOutcome;

/* Whether @code is the success reply of @stage, and only that: 220 to the
 * greeting and STARTTLS, 250 to EHLO, MAIL, RSET and the final dot, 250 or
 * 251 to RCPT, 354 to DATA, 235 to AUTH, 221 to QUIT (RFC 5321 4.3.2,
 * RFC 4954 6). */
bool smtp_outcome_is_success(int code, SmtpStage stage);

/* The class of @reply to @stage. A positive code that is not the stage's
 * success is no verdict: CONNECTION_FAILED (nothing was sent), or UNKNOWN
 * after the final dot. */
SmtpOutcome smtp_outcome_classify(const SmtpReply *reply, SmtpStage stage);

/* The class of a failure to get a verdict (an SMTP_ERROR). */
SmtpOutcome smtp_outcome_of_error(const GError *error);

/* What a person should do about a refusal the big providers give a
 * mailbox (not a recipient): the sentence, and whether waiting cannot help
 * (a person must act first). Static text; NULL words when @reply is none
 * of them. Google: 534 5.7.9 and 535 5.7.8 (a password where an app
 * password or OAuth2 is needed), 421 4.7.28 (an unusual rate), 550 5.4.5
 * (the daily limit); Microsoft: 535 5.7.139 and 550 5.7.30 (basic
 * authentication off), 4.7.0 at AUTH (too many logins or a busy server),
 * 5.7.708 and 5.7.750 (the sending IP, an unregistered domain); anyone's
 * 5.7.515 and x.7.23 to x.7.27 (the sender's domain not authenticated) and
 * a 5xx naming a blocklist. */
typedef struct {
	const char *words;
	bool until_person_acts;
} SmtpAdvice;

/* @bearer: the login was with a token, not a password (what is said of
 * passwords is then not said). */
SmtpAdvice smtp_outcome_advise(const SmtpReply *reply, bool bearer);

/* "accepted", "temporary", "permanent", "throttled", ... (stable names for
 * logs, JSON and the database). */
const char *smtp_outcome_to_string(SmtpOutcome outcome);

/* "MAIL", "RCPT", ... */
const char *smtp_outcome_stage_to_string(SmtpStage stage);
