#include "mail/mail_classify.h"

#include "mail/mail_dsn.h"
#include "mail/mail_private.h"
#include "mail/mail_reply_text.h"
#include "mail/mail_return_date.h"

#include <gmime/gmime.h>
#include <string.h>

void
mail_classify_result_free(MailClassification *classification)
{
	if (classification == NULL)
		return;
	g_free(classification->recipient);
	g_free(classification->status);
	g_free(classification->return_date);
	g_free(classification->evidence);
	g_free(classification);
}

const char *
mail_classify_class_to_string(MailClass klass)
{
	static const char *const names[] = {"reply", "auto_reply", "bounce", "other"};
	return (gsize)klass < G_N_ELEMENTS(names) ? names[klass] : "other";
}

const char *
mail_classify_reason_to_string(MailReason reason)
{
	static const char *const names[] = {
	        "",
	        "user_unknown",
	        "host_unknown",
	        "mailbox_full",
	        "message_too_big",
	        "spam_blocked",
	        "policy_blocked",
	        "rate_limited",
	        "expired",
	        "network_error",
	        "suspended",
	        "other",
	};
	return (gsize)reason < G_N_ELEMENTS(names) ? names[reason] : "other";
}

char *
mail_classify_dup_lower(const char *text, gssize length)
{
	gsize n = length < 0 ? strlen(text) : (gsize)length;
	for (gsize i = 0; i < n; i++)
		if ((unsigned char)text[i] >= 0x80)
			return g_utf8_strdown(text, (gssize)n);
	char *lower = g_ascii_strdown(text, (gssize)n);
	return lower;
}

/* True when @haystack (lower case) holds one of @needles. */
static bool
contains_any(const char *haystack, const char *const *needles, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (strstr(haystack, needles[i]) != NULL)
			return true;
	return false;
}

static char *
lower_header(const MailMessage *message, const char *name)
{
	g_autofree char *value = mail_headers_dup_decoded(mail_message_get_headers(message), name);
	return value != NULL ? mail_classify_dup_lower(value, -1) : NULL;
}

/* --- bounces ---------------------------------------------------------- */

static const char *const user_unknown_words[] = {
        "user unknown",        "unknown user",
        "no such user",        "does not exist",
        "doesn't exist",       "mailbox unavailable",
        "invalid recipient",   "recipient not found",
        "address not found",   "unknown recipient",
        "no mailbox",          "mailbox not found",
        "not a valid mailbox", "no such recipient",
        "user not found",      "account does not exist",
        "unrouteable address", "recipient address rejected: user unknown",
        "adresse inconnue",    "unbekannt",
        "existiert nicht",     "nicht gefunden",
        "not our customer",    "address rejected",
        "doesn't have a",      "does not have an account",
        "no mailbox here",
};
static const char *const host_unknown_words[] = {
        "host not found",          "domain not found",          "host unknown",
        "no such domain",          "name or service not known", "nxdomain",
        "unrouteable mail domain",
};
static const char *const full_words[] = {
        "mailbox full",         "mailbox is full",  "over quota",    "quota exceeded", "overquota",
        "insufficient storage", "exceeded storage", "postfach voll", "speicherplatz",
};
static const char *const disabled_words[] = {
        "disabled",       "suspended",       "inactive", "deactivated", "no longer active",
        "account closed", "has been closed", "gesperrt", "deaktiviert",
};
static const char *const spam_words[] = {
        "spam", "blocked", "blacklist", "blocklist", "listed", "reputation", "junk",
};
static const char *const rate_words[] = {
        "rate limit", "too many", "try again later", "throttl", "temporarily deferred",
};

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

/* "5.1.1" into its three numbers (RFC 3463); false when it is not one. */
static bool
parse_status(const char *text, int *klass, int *subject, int *detail)
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

static MailReason
reason_of(const char *status, const char *text, bool *hard)
{
	*hard = false;
	int klass = 0, subject = -1, detail = -1;
	if (status == NULL || !parse_status(status, &klass, &subject, &detail)) {
		klass = 0;
		subject = detail = -1;
	}

	if (klass == 5 && subject == 1 &&
	    (detail == 1 || detail == 0 || detail == 10 || detail == 6 || detail == 3)) {
		*hard = true;
		return MAIL_REASON_USER_UNKNOWN;
	}
	if (klass == 5 && subject == 1 && detail == 2) {
		*hard = true;
		return MAIL_REASON_HOST_UNKNOWN;
	}
	if (subject == 2 && detail == 2)
		return MAIL_REASON_MAILBOX_FULL;
	if (klass == 5 && subject == 2 && detail == 1) {
		*hard = true;
		return MAIL_REASON_SUSPENDED;
	}
	if ((subject == 3 && detail == 4) || (subject == 2 && detail == 3))
		return MAIL_REASON_MESSAGE_TOO_BIG;
	if (subject == 4 && detail == 7)
		return MAIL_REASON_EXPIRED;
	if (text != NULL && contains_any(text, full_words, G_N_ELEMENTS(full_words)))
		return MAIL_REASON_MAILBOX_FULL;
	if (subject == 7) {
		if (text != NULL && contains_any(text, rate_words, G_N_ELEMENTS(rate_words)))
			return MAIL_REASON_RATE_LIMITED;
		if (text != NULL && contains_any(text, spam_words, G_N_ELEMENTS(spam_words)))
			return MAIL_REASON_SPAM_BLOCKED;
		return MAIL_REASON_POLICY_BLOCKED;
	}
	if (subject == 4)
		return MAIL_REASON_NETWORK_ERROR;
	if (text != NULL && klass != 4) {
		if (contains_any(text, host_unknown_words, G_N_ELEMENTS(host_unknown_words))) {
			*hard = true;
			return MAIL_REASON_HOST_UNKNOWN;
		}
		if (contains_any(text, disabled_words, G_N_ELEMENTS(disabled_words)) &&
		    (klass == 5 || klass == 0)) {
			*hard = true;
			return MAIL_REASON_SUSPENDED;
		}
		if (contains_any(text, user_unknown_words, G_N_ELEMENTS(user_unknown_words)) &&
		    (klass == 5 || klass == 0) &&
		    !contains_any(text, spam_words, G_N_ELEMENTS(spam_words))) {
			*hard = true;
			return MAIL_REASON_USER_UNKNOWN;
		}
		if (contains_any(text, rate_words, G_N_ELEMENTS(rate_words)))
			return MAIL_REASON_RATE_LIMITED;
		if (contains_any(text, spam_words, G_N_ELEMENTS(spam_words)))
			return MAIL_REASON_SPAM_BLOCKED;
	}
	return MAIL_REASON_OTHER;
}

/* The first "d.d.d" status in @text with a class of 4 or 5. */
static char *
find_status(const char *text)
{
	for (const char *p = text; *p != '\0'; p++) {
		if ((*p != '4' && *p != '5') || p[1] != '.' || (p > text && g_ascii_isalnum(p[-1])))
			continue;
		int klass, subject, detail;
		if (parse_status(p, &klass, &subject, &detail))
			return g_strdup_printf("%d.%d.%d", klass, subject, detail);
	}
	return NULL;
}

/* The first SMTP reply code ("550 ", "550-", "550 5.1.1") in @text. */
static int
find_reply_code(const char *text)
{
	for (const char *p = text; *p != '\0'; p++) {
		if ((*p == '4' || *p == '5') && g_ascii_isdigit(p[1]) && g_ascii_isdigit(p[2]) &&
		    (p[3] == ' ' || p[3] == '-' || p[3] == ':') &&
		    (p == text || !g_ascii_isalnum(p[-1])) && p[1] <= '5')
			return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	}
	return 0;
}

/* The first address in @text that is not the sender's own, nor a daemon. */
static char *
find_address(const char *text, const char *exclude)
{
	const char *p = text;
	while ((p = strchr(p, '@')) != NULL) {
		const char *start = p;
		while (start > text && (g_ascii_isalnum(start[-1]) || strchr("._%+-", start[-1])))
			start--;
		const char *end = p + 1;
		while (g_ascii_isalnum(*end) || *end == '.' || *end == '-')
			end++;
		while (end > p + 1 && end[-1] == '.')
			end--;
		if (start < p && end > p + 1 && memchr(p + 1, '.', (gsize)(end - p - 1)) != NULL) {
			g_autofree char *address = g_ascii_strdown(start, end - start);
			if ((exclude == NULL || strcmp(address, exclude) != 0) &&
			    !g_str_has_prefix(address, "mailer-daemon@") &&
			    !g_str_has_prefix(address, "postmaster@"))
				return g_steal_pointer(&address);
		}
		p++;
	}
	return NULL;
}

static const char *const bounce_subjects[] = {
        "undelivered mail returned to sender",
        "delivery status notification (failure)",
        "delivery status notification (delay)",
        "mail delivery failed",
        "undeliverable",
        "undelivered mail",
        "failure notice",
        "returned mail",
        "delivery failure",
        "mail delivery system",
        "delivery has failed",
        "message not delivered",
        "nicht zustellbar",
        "unzustellbar",
        "non remis",
        "non distribuable",
        "no se puede entregar",
        "non recapitabile",
        "onbestelbaar",
        "niedostarczalna",
        "não entregue",
        "mail system error",
        "delivery notification",
        "could not be delivered",
};
static const char *const daemon_senders[] = {
        "mailer-daemon", "postmaster",        "mail delivery",      "mail-daemon",
        "mailerdaemon",  "microsoft outlook", "mail administrator",
};
static const char *const bounce_body_words[] = {
        "could not be delivered",
        "couldn't be delivered",
        "was not delivered",
        "permanent error",
        "delivery to the following recipient",
        "following address(es) failed",
        "undeliverable",
        "message could not be delivered",
        "hard bounce",
        "permanent failure",
        "i'm sorry to have to inform you",
        "unable to deliver",
        "delivery has failed",
        "konnte nicht zugestellt werden",
        "n'a pas pu être remis",
        "no se ha podido entregar",
};

static bool
classify_dsn(const MailMessage *message, const char *text_head, MailClassification *result)
{
	const char *report = mail_message_get_report_type(message);
	const char *status_text = mail_message_get_delivery_status(message);
	if (report == NULL || strstr(report, "delivery-status") == NULL || status_text == NULL)
		return false;
	g_autoptr(GPtrArray) recipients = mail_dsn_parse(status_text);
	const MailDsnRecipient *chosen = NULL;
	for (guint i = 0; i < recipients->len && chosen == NULL; i++) {
		const MailDsnRecipient *r = recipients->pdata[i];
		if (r->action != NULL && strcmp(r->action, "failed") == 0)
			chosen = r;
	}
	for (guint i = 0; i < recipients->len && chosen == NULL; i++) {
		const MailDsnRecipient *r = recipients->pdata[i];
		if (r->action != NULL && strcmp(r->action, "delayed") == 0)
			chosen = r;
	}
	if (chosen == NULL) {
		/* A success report (delivered, relayed) is not a bounce. */
		result->klass = MAIL_CLASS_OTHER;
		result->evidence = g_strdup("delivery report without a failure");
		return true;
	}
	result->klass = MAIL_CLASS_BOUNCE;
	result->recipient = g_ascii_strdown(chosen->recipient, -1);
	result->status = g_strdup(chosen->status);
	result->reply_code = chosen->reply_code;
	g_autofree char *text = g_utf8_strdown(
	        chosen->diagnostic != NULL ? chosen->diagnostic : mail_message_get_text(message),
	        -1);
	result->reason = reason_of(chosen->status, text, &result->hard);
	if (strcmp(chosen->action, "delayed") == 0) {
		result->hard = false;
		if (result->reason == MAIL_REASON_OTHER)
			result->reason = MAIL_REASON_NETWORK_ERROR;
	}
	result->evidence = g_strdup_printf("RFC 3464 report: Action: %s, Status: %s",
	                                   chosen->action, chosen->status ? chosen->status : "-");
	return true;
}

static bool
classify_nonstandard_bounce(const MailMessage *message, const char *text,
                            MailClassification *result)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	g_autofree char *from = lower_header(message, "From");
	g_autofree char *subject = lower_header(message, "Subject");
	const char *failed = mail_headers_get_raw(headers, "X-Failed-Recipients");
	bool daemon =
	        from != NULL && contains_any(from, daemon_senders, G_N_ELEMENTS(daemon_senders));
	bool bounce_subject = subject != NULL &&
	                      contains_any(subject, bounce_subjects, G_N_ELEMENTS(bounce_subjects));
	bool bounce_body = contains_any(text, bounce_body_words, G_N_ELEMENTS(bounce_body_words));
	if (!(failed != NULL || (daemon && (bounce_subject || bounce_body)) ||
	      (bounce_subject && bounce_body)))
		return false;

	result->klass = MAIL_CLASS_BOUNCE;
	g_autofree char *own = NULL;
	g_autofree char *to = lower_header(message, "To");
	if (to != NULL)
		own = find_address(to, NULL);
	if (failed != NULL)
		result->recipient = find_address(failed, NULL);
	if (result->recipient == NULL)
		result->recipient = find_address(text, own);
	result->status = find_status(text);
	result->reply_code = find_reply_code(text);
	result->reason = reason_of(result->status, text, &result->hard);
	/* Delay warnings ("will retry", "delayed") are not failures yet. */
	if ((subject != NULL && strstr(subject, "delay") != NULL) ||
	    (result->status != NULL && result->status[0] == '4') ||
	    (result->reply_code >= 400 && result->reply_code < 500)) {
		result->hard = false;
	}
	result->evidence = g_strdup_printf("non-standard bounce: %s%s%s",
	                                   failed != NULL ? "X-Failed-Recipients " : "",
	                                   daemon ? "daemon sender " : "",
	                                   bounce_subject ? "bounce subject" : "bounce wording");
	return true;
}

/* --- auto-replies, lists, replies -------------------------------------- */

static const char *const auto_reply_subjects[] = {
        "out of office",
        "out of the office",
        "automatic reply",
        "auto reply",
        "autoreply",
        "auto-reply",
        "auto response",
        "autoresponse",
        "away from",
        "on vacation",
        "on leave",
        "abwesenheit",
        "automatische antwort",
        "nicht im büro",
        "außer haus",
        "ausser haus",
        "réponse automatique",
        "reponse automatique",
        "absence",
        "absent du bureau",
        "respuesta automática",
        "respuesta automatica",
        "fuera de la oficina",
        "ausente",
        "risposta automatica",
        "fuori sede",
        "fuori ufficio",
        "assente",
        "automatisch antwoord",
        "afwezig",
        "niet aanwezig",
        "buiten kantoor",
        "odpowiedź automatyczna",
        "odpowiedz automatyczna",
        "nieobecność",
        "nieobecnosc",
        "resposta automática",
        "resposta automatica",
        "fora do escritório",
        "fora do escritorio",
};
static const char *const auto_reply_body[] = {
        "i am out of the office",
        "i'm out of the office",
        "i am currently out",
        "i'm currently out",
        "i am away",
        "i'm away",
        "out of office",
        "on annual leave",
        "on vacation until",
        "limited access to email",
        "limited access to my email",
        "bin ich nicht im büro",
        "bin ich abwesend",
        "befinde mich im urlaub",
        "bin ab dem",
        "je suis absent",
        "je suis actuellement absent",
        "estoy fuera de la oficina",
        "me encuentro fuera",
        "sono fuori ufficio",
        "sono assente",
        "ik ben afwezig",
        "ik ben niet aanwezig",
        "jestem nieobecny",
        "jestem nieobecna",
        "estou ausente",
        "estou fora do escritório",
};
static const char *const opt_out_words[] = {
        "unsubscribe",     "remove me",          "take me off",       "stop emailing",
        "stop sending",    "do not contact",     "don't contact",     "don't email",
        "do not email",    "not interested",     "opt out",           "opt-out",
        "abmelden",        "keine e-mails mehr", "keine emails mehr", "nicht mehr kontaktieren",
        "austragen",       "désabonner",         "desabonner",        "ne plus recevoir",
        "darme de baja",   "dar de baja",        "no me escriba",     "cancellami",
        "non contattarmi", "afmelden",           "uitschrijven",      "wypisz mnie",
        "nie kontaktuj",   "descadastrar",       "remover da lista",  "não me envie",
};

static bool
is_bulk(const MailMessage *message, char **why)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	g_autofree char *precedence = lower_header(message, "Precedence");
	g_autofree char *from = lower_header(message, "From");
	const char *report = mail_message_get_report_type(message);
	if (report != NULL && strstr(report, "disposition-notification") != NULL)
		*why = g_strdup("read receipt (disposition-notification)");
	else if (mail_headers_get_raw(headers, "List-Id") != NULL)
		*why = g_strdup("List-Id");
	else if (mail_headers_get_raw(headers, "List-Unsubscribe") != NULL)
		*why = g_strdup("List-Unsubscribe");
	else if (precedence != NULL && (strstr(precedence, "bulk") || strstr(precedence, "list") ||
	                                strstr(precedence, "junk")))
		*why = g_strdup_printf("Precedence: %s", precedence);
	else if (from != NULL && (strstr(from, "noreply") || strstr(from, "no-reply") ||
	                          strstr(from, "donotreply") || strstr(from, "do-not-reply") ||
	                          strstr(from, "notifications@") || strstr(from, "notification@")))
		*why = g_strdup("no-reply sender");
	return *why != NULL;
}

static GDateTime *
sent_at(const MailMessage *message)
{
	const char *date = mail_headers_get_raw(mail_message_get_headers(message), "Date");
	GDateTime *parsed = date != NULL ? g_mime_utils_header_decode_date(date) : NULL;
	return parsed != NULL ? parsed : g_date_time_new_now_utc();
}

static bool
classify_auto_reply(const MailMessage *message, const char *text, MailClassification *result)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	g_autofree char *auto_submitted = lower_header(message, "Auto-Submitted");
	g_autofree char *precedence = lower_header(message, "Precedence");
	g_autofree char *subject = lower_header(message, "Subject");
	const char *why = NULL;
	if (auto_submitted != NULL && !g_str_has_prefix(auto_submitted, "no"))
		why = "Auto-Submitted";
	else if (mail_headers_get_raw(headers, "X-Autoreply") != NULL)
		why = "X-Autoreply";
	else if (mail_headers_get_raw(headers, "X-Autorespond") != NULL)
		why = "X-Autorespond";
	else if (precedence != NULL && strstr(precedence, "auto_reply") != NULL)
		why = "Precedence: auto_reply";
	else if (mail_headers_get_raw(headers, "X-MS-Exchange-Inbox-Rules-Loop") != NULL ||
	         (mail_headers_get_raw(headers, "X-Auto-Response-Suppress") != NULL &&
	          subject != NULL &&
	          contains_any(subject, auto_reply_subjects, G_N_ELEMENTS(auto_reply_subjects))))
		why = "Exchange auto-reply";
	else if (subject != NULL &&
	         contains_any(subject, auto_reply_subjects, G_N_ELEMENTS(auto_reply_subjects)))
		why = "auto-reply subject";
	else if (contains_any(text, auto_reply_body, G_N_ELEMENTS(auto_reply_body)))
		why = "auto-reply wording";
	if (why == NULL)
		return false;
	result->klass = MAIL_CLASS_AUTO_REPLY;
	result->evidence = g_strdup(why);
	g_autoptr(GDateTime) sent = sent_at(message);
	result->return_date = mail_return_date_find(text, sent);
	return true;
}

/* What the phrase tests read: the first 4 KiB of the text, lower case.
 * Every signal we look for (an out-of-office sentence, a bounce's error)
 * is near the top; lower-casing a 50 KB quoted history was most of the
 * time classification took. */
static char *
lower_head(const char *text)
{
	gsize n = strlen(text);
	gsize cut = MIN(n, (gsize)4096);
	if (cut < n) {
		const char *end = g_utf8_find_prev_char(text, text + cut + 1);
		cut = end != NULL ? (gsize)(end - text) : cut;
	}
	return mail_classify_dup_lower(text, (gssize)cut);
}

MailClassification *
mail_classify_message(const MailMessage *message)
{
	MailClassification *result = g_new0(MailClassification, 1);
	char *why = NULL;
	g_autofree char *head = lower_head(mail_message_get_text(message));
	if (classify_dsn(message, head, result) ||
	    classify_nonstandard_bounce(message, head, result))
		return result;
	if (is_bulk(message, &why)) {
		result->klass = MAIL_CLASS_OTHER;
		result->evidence = why;
		return result;
	}
	if (classify_auto_reply(message, head, result))
		return result;
	result->klass = MAIL_CLASS_REPLY;
	result->evidence = g_strdup("written by a person");
	/* Only the new text: a quoted footer of ours must not count. */
	g_autofree char *new_text = mail_reply_text_extract(mail_message_get_text(message));
	g_autofree char *text = mail_classify_dup_lower(new_text, -1);
	result->opt_out = contains_any(text, opt_out_words, G_N_ELEMENTS(opt_out_words));
	return result;
}
