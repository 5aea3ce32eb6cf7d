#include "smtp/smtp_outcome.h"

#include <string.h>

/*
 * Words that real providers put in rate-limit and quota replies of the
 * sending account, e.g. Gmail "550 5.4.5 Daily user sending limit
 * exceeded", Office 365 "554 5.2.0 ... SubmissionQuotaExceededException",
 * SES "454 Throttling failure: Maximum sending rate exceeded", Yahoo
 * "421 4.7.0 [TSS04] Messages temporarily deferred due to user complaints".
 * The strong ones always mean the sender; the weak ones ("quota",
 * "exceeded") also appear in a recipient's "mailbox over quota" and count
 * only when the reply is not about the recipient's mailbox.
 */
static const char *const sender_limit_words[] = {
        "sending limit", "sending quota", "submissionquota",   "rate limit",           "ratelimit",
        "rate-limit",    "throttl",       "too many messages", "too many connections", "too fast",
        "slow down",     "sending rate",  "daily limit",
};
static const char *const weak_limit_words[] = {
        "quota", "exceeded", "too many", "try again later", "deferred due to",
};
static const char *const recipient_mailbox_words[] = {
        "mailbox full", "mailbox is full", "over quota", "overquota", "storage",
};

static bool
mentions(const SmtpReply *reply, const char *const *words, gsize n_words)
{
	for (guint i = 0; i < reply->lines->len; i++) {
		g_autofree char *lower = g_ascii_strdown(reply->lines->pdata[i], -1);
		for (gsize w = 0; w < n_words; w++)
			if (strstr(lower, words[w]) != NULL)
				return true;
	}
	return false;
}

/* RFC 3463: x.1.y are about the address, x.2.y about the mailbox; 552 is
 * "exceeded storage allocation" (RFC 5321 4.2.2). */
static bool
about_recipient_mailbox(const SmtpReply *reply)
{
	if (reply->enhanced.subject == 1 || reply->enhanced.subject == 2 || reply->code == 552)
		return true;
	return mentions(reply, recipient_mailbox_words, G_N_ELEMENTS(recipient_mailbox_words));
}

/* Words of a refusal that names a DNS blocklist the sending IP or domain
 * is on (Spamhaus, Spamcop, Barracuda, SORBS, UCEPROTECT, or any "RBL"). */
static const char *const blocklist_words[] = {
        "spamhaus", "blocklist",  "blacklist", "block list", "black list", "spamcop",   "barracuda",
        "sorbs",    "uceprotect", "dnsbl",     "rbl",        "listed at",  "listed on",
};

/* Refusals that blame the sending mailbox, its domain or its server, not
 * the recipient (a bounce would wrongly mark the address): Microsoft's
 * 5.7.708 (traffic not accepted from this IP), 5.7.750 (an unregistered
 * sending domain), 5.7.515 (the sender's authentication requirements),
 * x.7.23 to x.7.27 (SPF, DKIM, DMARC, reverse DNS, a null MX: RFC 7372),
 * and any 5xx naming a blocklist. */
static bool
blames_sender(const SmtpReply *reply)
{
	const SmtpEnhancedCode *e = &reply->enhanced;
	if (e->klass != 0 && e->subject == 7 &&
	    (e->detail == 708 || e->detail == 750 || e->detail == 515 ||
	     (e->detail >= 23 && e->detail <= 27)))
		return true;
	return mentions(reply, blocklist_words, G_N_ELEMENTS(blocklist_words));
}

static bool
mentions_throttling(const SmtpReply *reply)
{
	if (mentions(reply, sender_limit_words, G_N_ELEMENTS(sender_limit_words)))
		return true;
	if (about_recipient_mailbox(reply))
		return false;
	return mentions(reply, weak_limit_words, G_N_ELEMENTS(weak_limit_words));
}

static bool
enhanced_is(const SmtpReply *reply, int subject, int detail)
{
	return reply->enhanced.klass != 0 && reply->enhanced.subject == subject &&
	       reply->enhanced.detail == detail;
}

bool
smtp_outcome_is_success(int code, SmtpStage stage)
{
	switch (stage) {
	case SMTP_STAGE_GREETING:
	case SMTP_STAGE_STARTTLS:
		return code == 220;
	case SMTP_STAGE_AUTH:
		return code == 235;
	case SMTP_STAGE_RCPT:
		return code == 250 || code == 251;
	case SMTP_STAGE_DATA:
		return code == 354;
	case SMTP_STAGE_QUIT:
		return code == 221;
	case SMTP_STAGE_EHLO:
	case SMTP_STAGE_MAIL:
	case SMTP_STAGE_DATA_END:
	case SMTP_STAGE_RSET:
		return code == 250;
	}
	return false;
}

SmtpOutcome
smtp_outcome_classify(const SmtpReply *reply, SmtpStage stage)
{
	int code = reply->code;

	if (smtp_outcome_is_success(code, stage))
		return SMTP_OUTCOME_ACCEPTED;
	/* A positive reply that is not this stage's success (250 to DATA, 250
	 * as a greeting, 354 to STARTTLS) is no verdict at all: after the dot
	 * nobody can say what happened; before it nothing was sent and the
	 * session cannot be trusted. */
	if (code < 400)
		return stage == SMTP_STAGE_DATA_END ? SMTP_OUTCOME_UNKNOWN
		                                    : SMTP_OUTCOME_CONNECTION_FAILED;

	if (stage == SMTP_STAGE_AUTH) {
		/* 454 4.7.0 is the server's own trouble (RFC 4954 6). */
		if (code == 454 || code == 421)
			return SMTP_OUTCOME_TEMPORARY;
		return SMTP_OUTCOME_AUTH_REJECTED;
	}
	/* 421: the server is closing the session, at any stage; providers use
	 * it for connection and message rate limits. */
	if (code == 421)
		return SMTP_OUTCOME_THROTTLED;
	/* 530 5.7.0 / 5.7.8 / 535 at MAIL: the session lacks valid AUTH. */
	if (code == 530 || code == 535 || enhanced_is(reply, 7, 8))
		return SMTP_OUTCOME_AUTH_REJECTED;
	/* RFC 3463: x.4.5 system congestion (and Gmail's 5.4.5 sending quota),
	 * x.5.3 too many recipients, x.7.28 (Gmail "unusual rate"). */
	if (enhanced_is(reply, 4, 5) || enhanced_is(reply, 5, 3) || enhanced_is(reply, 7, 28))
		return SMTP_OUTCOME_THROTTLED;
	/* 452 at RCPT without a word about the mailbox is "too many
	 * recipients" (RFC 5321 4.5.3.1.10). */
	if (code == 452 && stage == SMTP_STAGE_RCPT && !about_recipient_mailbox(reply))
		return SMTP_OUTCOME_THROTTLED;
	if (mentions_throttling(reply))
		return SMTP_OUTCOME_THROTTLED;

	if (code < 500)
		return SMTP_OUTCOME_TEMPORARY;
	if (stage == SMTP_STAGE_MAIL || blames_sender(reply))
		return SMTP_OUTCOME_SENDER_REJECTED;
	return SMTP_OUTCOME_PERMANENT;
}

SmtpOutcome
smtp_outcome_of_error(const GError *error)
{
	if (error == NULL || error->domain != SMTP_ERROR)
		return SMTP_OUTCOME_CONNECTION_FAILED;
	switch ((SmtpError)error->code) {
	case SMTP_ERROR_CONNECT:
	case SMTP_ERROR_STOPPED:
	case SMTP_ERROR_TIMEOUT:
	case SMTP_ERROR_CLOSED:
	case SMTP_ERROR_PROTOCOL:
	case SMTP_ERROR_REFUSED:
		return SMTP_OUTCOME_CONNECTION_FAILED;
	case SMTP_ERROR_CERTIFICATE:
	case SMTP_ERROR_POLICY:
		return SMTP_OUTCOME_CONFIGURATION;
	case SMTP_ERROR_AUTH:
		return SMTP_OUTCOME_AUTH_REJECTED;
	case SMTP_ERROR_TOO_BIG:
	case SMTP_ERROR_INPUT:
		return SMTP_OUTCOME_MESSAGE_INVALID;
	case SMTP_ERROR_OUTCOME_UNKNOWN:
		return SMTP_OUTCOME_UNKNOWN;
	}
	return SMTP_OUTCOME_CONNECTION_FAILED;
}

const char *
smtp_outcome_to_string(SmtpOutcome outcome)
{
	switch (outcome) {
	case SMTP_OUTCOME_ACCEPTED:
		return "accepted";
	case SMTP_OUTCOME_TEMPORARY:
		return "temporary";
	case SMTP_OUTCOME_PERMANENT:
		return "permanent";
	case SMTP_OUTCOME_THROTTLED:
		return "throttled";
	case SMTP_OUTCOME_AUTH_REJECTED:
		return "auth_rejected";
	case SMTP_OUTCOME_SENDER_REJECTED:
		return "sender_rejected";
	case SMTP_OUTCOME_CONNECTION_FAILED:
		return "connection_failed";
	case SMTP_OUTCOME_UNKNOWN:
		return "unknown";
	case SMTP_OUTCOME_CONFIGURATION:
		return "configuration";
	case SMTP_OUTCOME_MESSAGE_INVALID:
		return "message_invalid";
	}
	return "?";
}

const char *
smtp_outcome_stage_to_string(SmtpStage stage)
{
	static const char *const names[] = {
	        [SMTP_STAGE_GREETING] = "greeting", [SMTP_STAGE_EHLO] = "EHLO",
	        [SMTP_STAGE_STARTTLS] = "STARTTLS", [SMTP_STAGE_AUTH] = "AUTH",
	        [SMTP_STAGE_MAIL] = "MAIL FROM",    [SMTP_STAGE_RCPT] = "RCPT TO",
	        [SMTP_STAGE_DATA] = "DATA",         [SMTP_STAGE_DATA_END] = "end of DATA",
	        [SMTP_STAGE_RSET] = "RSET",         [SMTP_STAGE_QUIT] = "QUIT",
	};
	return (gsize)stage < G_N_ELEMENTS(names) ? names[stage] : "?";
}

/* Whether any line of @reply holds @needle (lower case; case-insensitive). */
static bool
says(const SmtpReply *reply, const char *needle)
{
	return mentions(reply, &needle, 1);
}

SmtpAdvice
smtp_outcome_advise(const SmtpReply *reply, bool bearer)
{
	SmtpAdvice advice = {NULL, false};
	if (reply == NULL || reply->enhanced.klass == 0)
		return advice;
	if (bearer && reply->enhanced.subject == 7 && reply->enhanced.klass == 5)
		return advice;
	int klass = reply->enhanced.klass;
	int subject = reply->enhanced.subject;
	int detail = reply->enhanced.detail;
	if (klass == 5 && subject == 7 && (detail == 139 || detail == 30)) {
		advice.words = "Microsoft 365 takes no password for SMTP from this mailbox (basic "
		               "authentication is off): sign in with OAuth2 (piculet mailbox edit "
		               "ADDRESS --oauth microsoft, then piculet mailbox authorize ADDRESS; "
		               "docs/oauth.md), or have an administrator turn SMTP AUTH on for it";
		advice.until_person_acts = true;
	} else if (klass == 5 && subject == 7 && detail == 9) {
		advice.words = "Google wants an app password or OAuth2 for this mailbox: sign in "
		               "with OAuth2 (piculet mailbox edit ADDRESS --oauth google, then "
		               "piculet mailbox authorize ADDRESS; docs/oauth.md)";
		advice.until_person_acts = true;
	} else if (klass == 5 && subject == 7 && detail == 8 &&
	           (says(reply, "google.com") || says(reply, "badcredentials"))) {
		advice.words = "Google refused the login: a password must be an app password "
		               "(with 2-step verification on); better, sign in with OAuth2 "
		               "(docs/oauth.md)";
		advice.until_person_acts = true;
	} else if (klass == 4 && subject == 7 && detail == 28) {
		advice.words = "Gmail limits this mailbox for an unusual rate of unsolicited mail: "
		               "it waits until tomorrow (UTC); send fewer, more personal messages "
		               "and ramp up slower";
	} else if (klass == 5 && subject == 4 && detail == 5) {
		advice.words = "the provider's daily sending limit is reached: the mailbox waits "
		               "until tomorrow (UTC); lower its daily cap";
	} else if (klass == 4 && subject == 7 && detail == 0 && reply->code == 454) {
		advice.words = "the server is busy or sees too many logins: the mailbox tries "
		               "again later";
	} else if (klass == 5 && subject == 7 && detail == 708) {
		advice.words = "Microsoft refuses mail from this sending server's IP address "
		               "(5.7.708): send through the mailbox's own provider, or a relay "
		               "with a good reputation";
		advice.until_person_acts = true;
	} else if (klass == 5 && subject == 7 && detail == 750) {
		advice.words = "Microsoft refuses mail from a sending domain its tenant has not "
		               "registered (5.7.750): add and verify the domain in Microsoft 365";
		advice.until_person_acts = true;
	} else if (klass == 5 && subject == 7 &&
	           (detail == 515 || (detail >= 23 && detail <= 27))) {
		advice.words = "the recipient's server finds the sender's domain not "
		               "authenticated (SPF, DKIM, DMARC or reverse DNS): fix its records "
		               "(piculet mailbox check ADDRESS reads them)";
		advice.until_person_acts = true;
	} else if (klass == 5 && mentions(reply, blocklist_words, G_N_ELEMENTS(blocklist_words))) {
		advice.words = "the sending server or domain is on a blocklist the recipient's "
		               "server uses: look it up and ask for removal before sending more";
		advice.until_person_acts = true;
	}
	return advice;
}
