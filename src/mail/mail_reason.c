#include "mail/mail_reason.h"

#include "mail/mail_private.h"
#include "mail/mail_reason_words.h"

#include <string.h>

const char *
mail_reason_to_string(MailReason reason)
{
	static const char *const names[] = {
	        [MAIL_REASON_NONE] = "",
	        [MAIL_REASON_USER_UNKNOWN] = "user_unknown",
	        [MAIL_REASON_HOST_UNKNOWN] = "host_unknown",
	        [MAIL_REASON_NOT_ACCEPTED] = "not_accepted",
	        [MAIL_REASON_MAILBOX_FULL] = "mailbox_full",
	        [MAIL_REASON_MESSAGE_TOO_BIG] = "message_too_big",
	        [MAIL_REASON_SUSPENDED] = "suspended",
	        [MAIL_REASON_SPAM_BLOCKED] = "spam_blocked",
	        [MAIL_REASON_POLICY_BLOCKED] = "policy_blocked",
	        [MAIL_REASON_SENDER_REJECTED] = "sender_rejected",
	        [MAIL_REASON_CONTENT_REJECTED] = "content_rejected",
	        [MAIL_REASON_RATE_LIMITED] = "rate_limited",
	        [MAIL_REASON_EXPIRED] = "expired",
	        [MAIL_REASON_NETWORK_ERROR] = "network_error",
	        [MAIL_REASON_OTHER] = "other",
	};
	return (gsize)reason < G_N_ELEMENTS(names) ? names[reason] : "other";
}

bool
mail_reason_is_hard(MailReason reason)
{
	return reason == MAIL_REASON_USER_UNKNOWN || reason == MAIL_REASON_HOST_UNKNOWN ||
	       reason == MAIL_REASON_NOT_ACCEPTED;
}

/* 1 to 3 digits at *@p, advancing it; -1 when there are none. */
static int
read_digits(const char **p)
{
	int value = 0, n = 0;
	while (n < 3 && g_ascii_isdigit(**p)) {
		value = value * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n > 0 ? value : -1;
}

bool
mail_reason_parse_status(const char *text, int *klass, int *subject, int *detail)
{
	const char *p = text;
	*klass = read_digits(&p);
	if (*klass < 0 || *p++ != '.')
		return false;
	*subject = read_digits(&p);
	if (*subject < 0 || *p++ != '.')
		return false;
	*detail = read_digits(&p);
	return *detail >= 0 && !g_ascii_isdigit(*p) && *p != '.';
}

/* @text holds one of the words of a list of mail_reason_words.h. */
#define HAS(text, list) mail_word_list_in(&(list), (text))

/* A recipient noun, and after it within a few words a word for its absence
 * ("user carol was not found", "mailbox is unavailable"), or an absence
 * word right before one ("unknown mailbox", "invalid recipient"), in the
 * same clause: "recipient(s) could not be reached: reason unknown" is not
 * about the recipient. */
#define ABSENCE_AFTER  40
#define ABSENCE_BEFORE 16

/* A clause about one of these is about the path, not the address: "the
 * recipient server is unavailable", "recipient host not found". */
static const char *const other_subjects[] = {"server", "host", "system", "service", "network"};

static const char *const clause_ends[] = {". ", "; ", ": ", ", ", " - "};

/* One of the @nouns and, in the same clause, one of the @absences. */
static bool
names_absent(const char *text, const char *const *nouns, gsize n_nouns, const char *const *absences,
             gsize n_absences)
{
	for (gsize i = 0; i < n_nouns; i++) {
		gsize noun_len = strlen(nouns[i]);
		for (const char *at = strstr(text, nouns[i]); at != NULL;
		     at = strstr(at + 1, nouns[i])) {
			const char *start = at - MIN((gsize)(at - text), (gsize)ABSENCE_BEFORE);
			g_autofree char *near =
			        g_strndup(start, (gsize)(at - start) + noun_len + ABSENCE_AFTER);
			gsize noun_at = (gsize)(at - start);
			char *clause = near;
			for (gsize e = 0; e < G_N_ELEMENTS(clause_ends); e++) {
				char *end = g_strstr_len(near + noun_at, -1, clause_ends[e]);
				if (end != NULL)
					*end = '\0';
				for (char *cut = strstr(clause, clause_ends[e]);
				     cut != NULL && cut < near + noun_at;
				     cut = strstr(cut + 1, clause_ends[e]))
					clause = cut + strlen(clause_ends[e]);
			}
			if (mail_classify_has_any(clause, absences, n_absences) &&
			    !mail_classify_has_any(clause, other_subjects,
			                           G_N_ELEMENTS(other_subjects)))
				return true;
		}
	}
	return false;
}

static bool
names_absent_recipient(const char *text)
{
	return names_absent(text, mail_reason_recipient_nouns.words, mail_reason_recipient_nouns.n,
	                    mail_reason_absence_words.words, mail_reason_absence_words.n);
}

/* "the destination mailbox <carol@x> is full": the box, then its state. */
static const char *const box_nouns[] = {
        "mailbox",  "mail box",  "inbox",         "postfach", "postkasse",     "brevlåda",
        "postlåda", "postafiók", "postilaatikko", "schránka", "cutia poștală", "ящик",
        "skrzynka", "postvak",   "boîte",         "buzón",    "casella",       "caixa",
};
static const char *const fullness_words[] = {
        " is full",    " full>",      " full.",      " full,",      " is vol",
        " er fuld",    " er full",    " är full",    " je plná",    " megtelt",
        " on täynnä",  " este plină", " переполнен", " jest pełna", " est pleine",
        " está lleno", " è piena",    " está cheia", " ist voll",
};

static bool
names_full_box(const char *text)
{
	return names_absent(text, box_nouns, G_N_ELEMENTS(box_nouns), fullness_words,
	                    G_N_ELEMENTS(fullness_words));
}

/* "DNS domain example.org does not exist", "domain x.y is unknown". */
static const char *const domain_nouns[] = {
        "domain", "host name", "hostname", "домен", "doména", "domän", "domæne", "tartomány",
};
static const char *const dns_trouble_words[] = {
        "malformed or unexpected name server reply",
        "not found, try again",
        "server failure",
        "servfail",
        "temporary failure in name resolution",
        "dns timeout",
        "dns lookup timed out",
        "lame delegation",
        /* Courier's soft "DNS lookup failed."; its hard one is "No such
         * domain." */
        "dns lookup failed",
};
static const char *const domain_absence_words[] = {
        "does not exist", "not exist",  "nonexistent", "non-existent", "is unknown",  "not found",
        "не существует",  "neexistuje", "finns inte",  "findes ikke",  "nem létezik",
};

/* "host prospect.example not found" (the DragonFly Mail Agent's "DNS
 * lookup failure: host x not found"): the word host, a name with a dot,
 * then its absence. "host" alone is too common a subject ("User not
 * found on this host") to stand for the domain. */
static bool
names_missing_host(const char *text)
{
	static const char *const missing[] = {"not found", "does not exist", "is unknown"};
	for (const char *at = strstr(text, "host "); at != NULL; at = strstr(at + 1, "host ")) {
		if (at > text && g_ascii_isalnum(at[-1]))
			continue;
		const char *name = at + strlen("host ");
		name += strspn(name, "<\"'[");
		gsize name_len = strcspn(name, " \t\n>\"']");
		if (name_len == 0 || memchr(name, '.', name_len) == NULL)
			continue;
		const char *after = name + name_len;
		after += strspn(after, ">\"'] ");
		for (gsize i = 0; i < G_N_ELEMENTS(missing); i++)
			if (g_str_has_prefix(after, missing[i]))
				return true;
	}
	return false;
}

static bool
names_absent_domain(const char *text)
{
	return names_absent(text, domain_nouns, G_N_ELEMENTS(domain_nouns), domain_absence_words,
	                    G_N_ELEMENTS(domain_absence_words)) ||
	       names_missing_host(text);
}

/* Why a receiver refused, when the words say (our sender, too fast, spam,
 * the content), or NONE. */
static MailReason
reason_of_refusal_words(const char *text)
{
	if (HAS(text, mail_reason_listing_words))
		return MAIL_REASON_SPAM_BLOCKED;
	if (HAS(text, mail_reason_sender_words))
		return MAIL_REASON_SENDER_REJECTED;
	if (HAS(text, mail_reason_greylist_and_rate_words))
		return MAIL_REASON_RATE_LIMITED;
	if (HAS(text, mail_reason_spam_words))
		return MAIL_REASON_SPAM_BLOCKED;
	if (HAS(text, mail_reason_content_words))
		return MAIL_REASON_CONTENT_REJECTED;
	if (HAS(text, mail_reason_mail_from_words))
		return MAIL_REASON_SENDER_REJECTED;
	return MAIL_REASON_NONE;
}

MailReason
mail_reason_with_command(MailReason reason, MailSmtpCommand command, const char *paragraph)
{
	if (paragraph == NULL)
		return reason;
	g_autofree char *folded = mail_classify_dup_folded(paragraph);
	/* "550 Unknown user" after the data, the recipient taken at RCPT:
	 * the receiver's filter refusing us (NTT docomo's and au's domain
	 * filters answer in those two words), not an address that does not
	 * exist. Other words for a missing mailbox after the data are what
	 * they say: Yahoo checks its recipients there ("552 1 Requested mail
	 * action aborted, mailbox not found"). */
	if (reason == MAIL_REASON_USER_UNKNOWN && command == MAIL_SMTP_COMMAND_DATA &&
	    strstr(folded, "unknown user") != NULL)
		return MAIL_REASON_POLICY_BLOCKED;
	if (reason != MAIL_REASON_OTHER && reason != MAIL_REASON_POLICY_BLOCKED)
		return reason;
	if (command == MAIL_SMTP_COMMAND_MAIL_FROM && !HAS(folded, mail_reason_client_words))
		return MAIL_REASON_SENDER_REJECTED;
	return reason;
}

/* The reason the words give, or NONE. Order matters: a mailbox that is
 * full or a sender refused often also says "rejected" or "denied"; a
 * policy block often also says "unknown". */
static MailReason
reason_of_words(const char *text)
{
	if (HAS(text, mail_reason_directory_words))
		return MAIL_REASON_USER_UNKNOWN;
	if (HAS(text, mail_reason_routing_words))
		return MAIL_REASON_NETWORK_ERROR;
	if (HAS(text, mail_reason_sending_quota_words))
		return MAIL_REASON_RATE_LIMITED;
	if (HAS(text, mail_reason_full_words) || names_full_box(text))
		return MAIL_REASON_MAILBOX_FULL;
	if (HAS(text, mail_reason_too_big_words))
		return MAIL_REASON_MESSAGE_TOO_BIG;
	MailReason refused = reason_of_refusal_words(text);
	if (refused != MAIL_REASON_NONE)
		return refused;
	/* "No SMTP service ... Bad DNS PTR resource record": our server's
	 * name refused, not a domain that takes no mail. */
	if (HAS(text, mail_reason_not_accepted_words) && !HAS(text, mail_reason_client_words))
		return MAIL_REASON_NOT_ACCEPTED;
	/* A name server that failed says nothing of the domain. */
	if (mail_classify_has_any(text, dns_trouble_words, G_N_ELEMENTS(dns_trouble_words)))
		return MAIL_REASON_NETWORK_ERROR;
	if (HAS(text, mail_reason_host_unknown_words) || names_absent_domain(text))
		return MAIL_REASON_HOST_UNKNOWN;
	if (HAS(text, mail_reason_suspended_words))
		return MAIL_REASON_SUSPENDED;
	/* A connection that failed is the path, whatever else it says
	 * ("Deferred: Connection refused by mx.x"). */
	if (HAS(text, mail_reason_connection_words))
		return MAIL_REASON_NETWORK_ERROR;
	if (HAS(text, mail_reason_client_words))
		return MAIL_REASON_POLICY_BLOCKED;
	if (HAS(text, mail_reason_user_unknown_words) || names_absent_recipient(text)) {
		if (HAS(text, mail_reason_policy_words))
			return MAIL_REASON_POLICY_BLOCKED;
		/* "mailbox unavailable (temporarily)": not for good. */
		return strstr(text, "temporar") != NULL ? MAIL_REASON_SUSPENDED
		                                        : MAIL_REASON_USER_UNKNOWN;
	}
	if (HAS(text, mail_reason_policy_words))
		return MAIL_REASON_POLICY_BLOCKED;
	if (HAS(text, mail_reason_expired_words))
		return MAIL_REASON_EXPIRED;
	if (HAS(text, mail_reason_network_words))
		return MAIL_REASON_NETWORK_ERROR;
	return MAIL_REASON_NONE;
}

/* x.1.1, x.1.3, x.1.6 say the address does not exist, unless their words
 * name a passing cause ("5.1.1 The email account ... is disabled", "5.1.1
 * Recipient rejected: mailbox is over quota", "... spam content", "...
 * receiving mail at a rate ..."): servers put 5.1.1 on many a refusal, and
 * an address taken for one that does not exist is never written to again. */
static MailReason
reason_of_user_status(const char *text)
{
	MailReason said = reason_of_words(text);
	switch (said) {
	case MAIL_REASON_SUSPENDED:
	case MAIL_REASON_MAILBOX_FULL:
	case MAIL_REASON_SPAM_BLOCKED:
	case MAIL_REASON_RATE_LIMITED:
	case MAIL_REASON_CONTENT_REJECTED:
	case MAIL_REASON_MESSAGE_TOO_BIG:
		return said;
	default:
		return MAIL_REASON_USER_UNKNOWN;
	}
}

/* x.7.y: the receiver's rules. Never "user unknown" for its words alone
 * ("5.7.1 Unknown or unauthorized sender"), only for words that say the
 * address is not there. */
static MailReason
reason_of_policy(int detail, const char *text)
{
	/* x.7.25: our server's reverse DNS (RFC 7372), its name, not our
	 * domain's SPF, DKIM or DMARC like its neighbours. */
	if (detail == 25)
		return MAIL_REASON_POLICY_BLOCKED;
	if (detail >= 23 && detail <= 27)
		return MAIL_REASON_SENDER_REJECTED;
	/* user account disabled; Exchange Online writes it too for a public
	 * folder that takes mail only from its organization */
	if (detail == 13)
		return strstr(text, "not authenticated") != NULL ? MAIL_REASON_POLICY_BLOCKED
		                                                 : MAIL_REASON_SUSPENDED;
	if (detail == 28)
		return MAIL_REASON_RATE_LIMITED;
	if (detail == 7)
		return MAIL_REASON_CONTENT_REJECTED;
	if (HAS(text, mail_reason_directory_words))
		return MAIL_REASON_USER_UNKNOWN;
	/* Gmail's "550 5.7.1 Email quota exceeded": the mailbox, not us. */
	if (HAS(text, mail_reason_full_words) && !HAS(text, mail_reason_sending_quota_words))
		return MAIL_REASON_MAILBOX_FULL;
	/* A filter's "5.7.1 Message Rejected Class=size limit=...": the size. */
	if (HAS(text, mail_reason_too_big_words))
		return MAIL_REASON_MESSAGE_TOO_BIG;
	MailReason refused = reason_of_refusal_words(text);
	return refused != MAIL_REASON_NONE ? refused : MAIL_REASON_POLICY_BLOCKED;
}

/* Words that name a user who is not there, and nothing else. */
static const char *const unknown_user_words[] = {
        "user unknown", "unknown user", "no such user", "user not found", "unknown recipient",
};

/* The reason a specific status gives, or NONE when it leaves it to the
 * words (x.0.0, x.1.0, x.5.y, ...). */
static MailReason
reason_of_status(int klass, int subject, int detail, const char *text)
{
	switch (subject) {
	case 1:
		switch (detail) {
		case 1:
		case 3:
		case 6:
			return reason_of_user_status(text);
		case 2:
			return MAIL_REASON_HOST_UNKNOWN;
		case 10:
			/* RFC 7505's null MX; Exchange Online writes it for a
			 * recipient not found. */
			return HAS(text, mail_reason_not_accepted_words) ? MAIL_REASON_NOT_ACCEPTED
			                                                 : MAIL_REASON_USER_UNKNOWN;
		case 7:
		case 8:
			return MAIL_REASON_SENDER_REJECTED;
		default:
			return MAIL_REASON_NONE;
		}
	case 2:
		switch (detail) {
		case 1:
			/* Gmail's 4.2.1 and 5.2.1: "receiving mail too quickly". */
			if (HAS(text, mail_reason_greylist_and_rate_words))
				return MAIL_REASON_RATE_LIMITED;
			/* "5.2.1 <x>... User Unknown": a server that says the
			 * user is not there means it; "mailbox unavailable"
			 * under x.2.1 stays a disabled box. */
			if (klass == 5 &&
			    mail_classify_has_any(text, unknown_user_words,
			                          G_N_ELEMENTS(unknown_user_words)) &&
			    !HAS(text, mail_reason_suspended_words))
				return MAIL_REASON_USER_UNKNOWN;
			return MAIL_REASON_SUSPENDED;
		case 2:
			return MAIL_REASON_MAILBOX_FULL;
		case 3:
			return MAIL_REASON_MESSAGE_TOO_BIG;
		default:
			return MAIL_REASON_NONE;
		}
	case 3:
		return detail == 4 ? MAIL_REASON_MESSAGE_TOO_BIG : MAIL_REASON_NONE;
	case 4:
		/* Given up on a mailbox that stayed full ("Status: 4.4.7",
		 * "450 4.2.2 ... Mailbox Full"): the full mailbox, as when the
		 * status is the last answer's. */
		if (detail == 7)
			return HAS(text, mail_reason_full_words) || names_full_box(text)
			               ? MAIL_REASON_MAILBOX_FULL
			               : MAIL_REASON_EXPIRED;
		/* A name server that failed ("Malformed or unexpected name
		 * server reply", Postfix's "Host not found, try again") says
		 * nothing of the domain, even in a final 5.4.4. */
		if (mail_classify_has_any(text, dns_trouble_words, G_N_ELEMENTS(dns_trouble_words)))
			return MAIL_REASON_NETWORK_ERROR;
		/* A final "unable to route" is a host that does not exist;
		 * Exchange Online's 5.4.310 says it in words. */
		if (klass == 5 && (detail == 4 || HAS(text, mail_reason_host_unknown_words) ||
		                   names_absent_domain(text)))
			return MAIL_REASON_HOST_UNKNOWN;
		if (HAS(text, mail_reason_directory_words))
			return MAIL_REASON_USER_UNKNOWN;
		if (HAS(text, mail_reason_sending_quota_words) ||
		    HAS(text, mail_reason_greylist_and_rate_words))
			return MAIL_REASON_RATE_LIMITED;
		/* "5.4.1 Relay access denied": the server's rules, not the path. */
		if (strstr(text, "relay") != NULL && HAS(text, mail_reason_policy_words))
			return MAIL_REASON_POLICY_BLOCKED;
		/* Exchange Online's 5.4.300 "Message expired": the queue. */
		if (HAS(text, mail_reason_expired_words))
			return MAIL_REASON_EXPIRED;
		/* x.4.6 is a routing loop: the path, like any other x.4.y. */
		return MAIL_REASON_NETWORK_ERROR;
	case 6:
		return HAS(text, mail_reason_spam_words) ? MAIL_REASON_SPAM_BLOCKED
		                                         : MAIL_REASON_CONTENT_REJECTED;
	case 7:
		return reason_of_policy(detail, text);
	default:
		return MAIL_REASON_NONE;
	}
}

/* What an SMTP reply code alone says, when neither status nor words do. */
static MailReason
reason_of_reply_code(int reply_code)
{
	switch (reply_code) {
	case 551:
	case 553:
		return MAIL_REASON_USER_UNKNOWN;
	case 552:
		return MAIL_REASON_MAILBOX_FULL;
	case 556:
		return MAIL_REASON_NOT_ACCEPTED;
	case 421:
		return MAIL_REASON_NETWORK_ERROR;
	default:
		return MAIL_REASON_OTHER;
	}
}

static const char *const scan_banners[] = {
        "scanned for all viruses",
        "scanned for viruses",
        "checked for viruses",
        "virus scanned",
        "virus-scanned",
        "virus checked",
        "virus-checked",
        "virus free",
        "virus-free",
        "potentially offensive content",
};

/* Writes @with over the bytes at @at (no terminator: a word replaced by
 * one of the same length). */
static void
overwrite(char *at, const char *with)
{
	for (gsize i = 0; with[i] != '\0'; i++)
		at[i] = with[i];
}

MailReason
mail_reason_of(const char *status, int reply_code, const char *text, bool *hard)
{
	g_autofree char *folded = mail_classify_dup_folded(text != NULL ? text : "");
	/* Sendmail's "relay=host [ip]" names the next hop, it refuses no
	 * relaying: "Addressee unknown, relay=[192.0.2.1]" is a user unknown. */
	for (char *at = strstr(folded, "relay="); at != NULL; at = strstr(at, "relay="))
		overwrite(at, "rhost=");
	/* Exim's wrapper of a local_scan refusal ("rejected by the local
	 * scanning code ... user not found") and the InterScan VirusWall
	 * gateway's name say nothing of the reason themselves. */
	static const char scanning[] = "rejected by the local scanning code";
	for (char *at = strstr(folded, scanning); at != NULL; at = strstr(at, scanning))
		overwrite(at, "noticed by ");
	for (char *at = strstr(folded, "viruswall"); at != NULL; at = strstr(at, "viruswall"))
		overwrite(at, "guard");
	/* A scanner's banner under a report ("This email has been scanned for
	 * all viruses and potentially offensive content") refuses nothing. */
	for (gsize i = 0; i < G_N_ELEMENTS(scan_banners); i++)
		for (char *at = strstr(folded, scan_banners[i]); at != NULL;
		     at = strstr(at, scan_banners[i]))
			memset(at, ' ', strlen(scan_banners[i]));
	/* Postfix's "delivery temporarily suspended: connect to x: ..." is
	 * its queue waiting on the path, not an account that is. */
	static const char queue_wait[] = "delivery temporarily suspended";
	for (char *at = strstr(folded, queue_wait); at != NULL; at = strstr(at, queue_wait))
		overwrite(at + sizeof queue_wait - 10, "postponed");
	int klass = 0, subject = -1, detail = -1;
	if (status == NULL || !mail_reason_parse_status(status, &klass, &subject, &detail)) {
		klass = 0;
		subject = detail = -1;
	}
	if (klass == 0 && reply_code >= 400)
		klass = reply_code / 100;
	MailReason reason =
	        subject >= 0 ? reason_of_status(klass, subject, detail, folded) : MAIL_REASON_NONE;
	if (reason == MAIL_REASON_NONE)
		reason = reason_of_words(folded);
	/* A reply code speaks only for a status that says nothing more:
	 * "553 5.3.5 system config error" is no unknown user. */
	if (reason == MAIL_REASON_NONE)
		reason = subject > 0 && detail > 0 ? MAIL_REASON_OTHER
		                                   : reason_of_reply_code(reply_code);
	/* A temporary failure says nothing final about the address. */
	*hard = klass != 4 && mail_reason_is_hard(reason);
	return reason;
}
