#include "mail/mail_classify.h"

#include "mail/mail_auto_reply_words.h"
#include "mail/mail_booking.h"
#include "mail/mail_calendar.h"
#include "mail/mail_notification_words.h"
#include "mail/mail_private.h"
#include "mail/mail_referral.h"
#include "mail/mail_reply_text.h"
#include "mail/mail_return_date.h"

#include <gmime/gmime.h>
#include <string.h>

/* How much of the text is searched for out-of-office sentences. */
#define AUTO_REPLY_TOP_BYTES 1024
/* A message this short that says what a person wants reads as theirs. */
#define SHORT_PERSONAL_BYTES 1500

#define HAS(text, list) mail_classify_has_any((text), (list), G_N_ELEMENTS(list))

void
mail_classify_result_free(MailClassification *classification)
{
	if (classification == NULL)
		return;
	g_free(classification->recipient);
	g_free(classification->status);
	if (classification->recipients != NULL)
		g_ptr_array_unref(classification->recipients);
	g_free(classification->feedback_type);
	g_free(classification->about_message_id);
	g_free(classification->on_behalf_of);
	g_free(classification->return_date);
	g_free(classification->reply_text);
	g_free(classification->intent_date);
	g_free(classification->referral);
	g_free(classification->evidence);
	g_free(classification);
}

const char *
mail_classify_class_to_string(MailClass klass)
{
	static const char *const names[] = {
	        [MAIL_CLASS_REPLY] = "reply",       [MAIL_CLASS_AUTO_REPLY] = "auto_reply",
	        [MAIL_CLASS_BOUNCE] = "bounce",     [MAIL_CLASS_OTHER] = "other",
	        [MAIL_CLASS_FEEDBACK] = "feedback",
	};
	return (gsize)klass < G_N_ELEMENTS(names) ? names[klass] : "other";
}

/* Simple case mapping a character at a time (the word lists are lower
 * case): g_utf8_strdown's special casing and string growth were a tenth of
 * the time classification took. A lower-case character takes at most half
 * as many bytes again as its upper case (U+023A -> U+2C65); a byte that is
 * not UTF-8 is kept as it is. */
char *
mail_classify_dup_lower(const char *text, gssize length)
{
	gsize n = length < 0 ? strlen(text) : (gsize)length;
	char *lower = g_malloc(n * 2 + 1);
	gsize w = 0;
	const char *p = text, *end = text + n;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80) {
			/* Inline: g_ascii_tolower is a call per byte, and this
			 * loop reads every message whole. */
			lower[w++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
			p++;
			continue;
		}
		gunichar u = g_utf8_get_char_validated(p, end - p);
		if (u == (gunichar)-1 || u == (gunichar)-2) {
			lower[w++] = (char)c;
			p++;
			continue;
		}
		w += (gsize)g_unichar_to_utf8(g_unichar_tolower(u), lower + w);
		p = g_utf8_next_char(p);
	}
	lower[w] = '\0';
	return lower;
}

char *
mail_classify_dup_folded(const char *text)
{
	char *lower = mail_classify_dup_lower(text, -1);
	char *w = lower;
	bool space = false;
	for (const char *r = lower; *r != '\0'; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			space = true;
			continue;
		}
		if (space && w != lower)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
	return lower;
}

void
mail_classify_keep_later_date(GDate **latest, GDate *date)
{
	if (*latest == NULL || g_date_compare(date, *latest) > 0) {
		if (*latest != NULL)
			g_date_free(*latest);
		*latest = date;
	} else {
		g_date_free(date);
	}
}

bool
mail_classify_starts_with_any(const char *text, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_str_has_prefix(text, words[i]))
			return true;
	return false;
}

static bool
ends_sentence(const char *p)
{
	return strchr(".!?", *p) != NULL && (p[1] == '\0' || g_ascii_isspace(p[1]));
}

char *
mail_classify_dup_sentence(const char *text, const char *at)
{
	const char *start = at, *end = at;
	while (start > text && !(ends_sentence(start - 1) && g_ascii_isspace(*start)))
		start--;
	while (*end != '\0' && !ends_sentence(end))
		end++;
	return g_strndup(start, (gsize)(end - start));
}

const char *
mail_classify_sentence_end(const char *start, bool at_lines)
{
	const char *end = start;
	while (*end != '\0' && !(at_lines && *end == '\n') && !ends_sentence(end))
		end++;
	return *end != '\0' ? end + 1 : end;
}

const char *
mail_classify_word_before(const char *text, const char *at, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		gsize length = strlen(words[i]);
		if ((gsize)(at - text) >= length && strncmp(at - length, words[i], length) == 0)
			return words[i];
	}
	return NULL;
}

/* What gateways tag mail from outside with, in brackets or before a
 * colon: "[EXTERNAL]", "(Extern)", "*EXT*", "EXTERNAL:". */
static const char *const gateway_tags[] = {
        "external",   "external email", "external sender", "ext",     "extern",
        "externe",    "externo",        "externa",         "esterno", "esterna",
        "zewnętrzny", "zewnętrzna",     "caution",         "warning", "outside",
};

/* The length of a gateway's tag at the start of @subject, with the spaces
 * after it; 0 when there is none. */
static gsize
gateway_tag_length(const char *subject)
{
	char close = subject[0] == '['   ? ']'
	             : subject[0] == '(' ? ')'
	             : subject[0] == '*' ? '*'
	                                 : 0;
	const char *inner = close != 0 ? subject + 1 : subject;
	const char *end = close != 0 ? strchr(inner, close) : strchr(inner, ':');
	if (end == NULL || end - inner > 20)
		return 0;
	g_autofree char *tag = g_ascii_strdown(inner, end - inner);
	g_strstrip(tag);
	/* "Warning: message delayed" is Exim's own subject: before a colon,
	 * only the words of being from outside are a tag. */
	if (close == 0 && !g_str_has_prefix(tag, "ext") && !g_str_has_prefix(tag, "est") &&
	    !g_str_has_prefix(tag, "zewn"))
		return 0;
	for (gsize i = 0; i < G_N_ELEMENTS(gateway_tags); i++)
		if (strcmp(tag, gateway_tags[i]) == 0)
			return (gsize)(end + 1 - subject) + strspn(end + 1, " \t");
	return 0;
}

char *
mail_classify_dup_subject(const MailHeaders *headers)
{
	g_autofree char *subject = mail_headers_dup_decoded(headers, "Subject");
	if (subject == NULL)
		return NULL;
	const char *start = subject + strspn(subject, " \t");
	for (gsize n = gateway_tag_length(start); n > 0; n = gateway_tag_length(start))
		start += n;
	return g_strdup(start);
}

bool
mail_classify_has_any(const char *text, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (strstr(text, words[i]) != NULL)
			return true;
	return false;
}

const MailBounceRecipient *
mail_classify_bounce_for(const MailClassification *classification, const char *address)
{
	GPtrArray *all = classification->recipients;
	if (all == NULL || all->len == 0)
		return NULL;
	for (guint i = 0; address != NULL && i < all->len; i++) {
		const MailBounceRecipient *r = all->pdata[i];
		if (g_ascii_strcasecmp(r->address, address) == 0)
			return r;
	}
	return all->pdata[0];
}

static char *
lower_header(const MailMessage *message, const char *name)
{
	g_autofree char *value = mail_headers_dup_decoded(mail_message_get_headers(message), name);
	return value != NULL ? mail_classify_dup_lower(value, -1) : NULL;
}

/* --- auto-replies ------------------------------------------------------ */

const char *const mail_answer_prefixes[MAIL_ANSWER_PREFIXES_N] = {
        "re:",  "re :", "aw:", "sv:", "vs:",  "antw:", "odp:", "r:",   "rif:",
        "res:", "ynt:", "wg:", "fw:", "fwd:", "tr:",   "rv:",  "enc:", "doorst:",
};

/* The part of @subject (lower case) a responder wrote: what stands before
 * the first answer prefix ("automatic reply: re: our subject" →
 * "automatic reply: "). Words after a "Re:" are our own subject's ("Re:
 * Absence tracking at Acme" is a person's answer). Newly allocated. */
static char *
responder_part(const char *subject)
{
	const char *cut = NULL;
	for (gsize i = 0; i < MAIL_ANSWER_PREFIXES_N; i++) {
		for (const char *at = strstr(subject, mail_answer_prefixes[i]); at != NULL;
		     at = strstr(at + 1, mail_answer_prefixes[i])) {
			if (at > subject && g_ascii_isalnum(at[-1]))
				continue;
			if (cut == NULL || at < cut)
				cut = at;
			break;
		}
	}
	return cut != NULL ? g_strndup(subject, (gsize)(cut - subject)) : g_strdup(subject);
}

/* Marks only responders write: they win over list marks (a vacation
 * notice sent to a list still says Precedence: bulk). */
static const char *
responder_mark(const MailMessage *message, const char *auto_submitted, const char *precedence)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	if (auto_submitted != NULL && g_str_has_prefix(auto_submitted, "auto-replied"))
		return "Auto-Submitted: auto-replied";
	if (mail_headers_get_raw(headers, "X-Autoreply") != NULL)
		return "X-Autoreply";
	if (mail_headers_get_raw(headers, "X-Autorespond") != NULL)
		return "X-Autorespond";
	if (mail_headers_get_raw(headers, "X-Vacation") != NULL)
		return "X-Vacation";
	/* iCloud Mail's vacation responder. */
	const char *apple_action = mail_headers_get_raw(headers, "X-Apple-Action");
	if (apple_action != NULL && strstr(apple_action, "acation") != NULL)
		return "X-Apple-Action: vacation";
	if (precedence != NULL && strstr(precedence, "auto_reply") != NULL)
		return "Precedence: auto_reply";
	if (mail_headers_get_raw(headers, "X-MS-Exchange-Inbox-Rules-Loop") != NULL)
		return "Exchange auto-reply";
	return NULL;
}

static bool in_a_thread(const MailMessage *message);
static GDateTime *date_of(const MailMessage *message);

/* Words of being away (a trip, a holiday, a leave, an office closed):
 * beside a day of return, without a quote and without a want, they are
 * a responder's, whatever the template. */
static const char *const away_words[] = {
        "away",
        "leave",
        "holiday",
        "vacation",
        "trip",
        "travel",
        "off until",
        "off from",
        "closed",
        "out of",
        "abroad",
        "out until",
        "urlaub",
        "nicht im haus",
        "nicht im büro",
        "geschäftsreise",
        "dienstreise",
        "abwesend",
        "geschlossen",
        "erreichbar",
        "congé",
        "vacances",
        "déplacement",
        "absent",
        "fermé",
        "viaje",
        "vacaciones",
        "ausente",
        "fuera",
        "cerrad",
        "ferie",
        "fuori",
        "assente",
        "chius",
        "vakantie",
        "niet op kantoor",
        "afwezig",
        "gesloten",
        "urlop",
        "poza biurem",
        "nieobecn",
        "zamknięt",
        "férias",
        "fora",
        "fechad",
        "viagem",
        "trasferta",
        "verlof",
        /* a holiday, a trip, a sick leave, in the other languages' words */
        "vacanza",
        "folga",
        "op reis",
        "podróży",
        "viajando",
        "krank",
        "arrêt maladie",
        "baja médica",
        "malattia",
        "ziek",
        "zwolnieniu",
        "licença",
};
static const MailWordList away_list = MAIL_WORD_LIST(away_words);

/* Whether @top names a day of return beside a word of being away, and
 * does not ask to be written to again (a person's "check back after the
 * holidays", "out of budget until April, reach out then"). */
static bool
away_with_a_return(const MailMessage *message, const char *top)
{
	if (!mail_word_list_in(&away_list, top))
		return false;
	g_autoptr(GDateTime) sent = date_of(message);
	if (sent == NULL)
		return false;
	g_autofree char *own = mail_reply_text_extract(mail_message_get_text(message));
	g_autoptr(MailIntentResult) read = mail_intent_read(own, NULL, NULL, sent);
	if (read->intent == MAIL_INTENT_LATER && !read->needs_review)
		return false;
	g_autofree char *back = mail_return_date_find(top, sent);
	return back != NULL;
}

/* Weaker signs, read once list and bulk mail are set apart. */
/* A responder's own questions: "Need urgent help?", "Questions?". */
static const char *const responder_questions[] = {
        "urgent",     "dringend", "urgence",   "urgente", "pilne", "pilną",
        "questions?", "fragen?",  "emergency", "notfall", "eilig",
};

/* A responder's instruction for what cannot wait ("For urgent matters,
 * please call me on ...", "In dringenden Fällen rufen Sie mich an",
 * "En cas d'urgence, appelez-moi"): no meeting the writer asks for. */
static const char *const urgency_words[] = {
        "urgent matters",       "if urgent",        "if it's urgent",
        "if it is urgent",      "urgent cases",     "urgent enquiries",
        "urgent inquiries",     "urgent issues",    "urgent requests",
        "in case of emergency", "in an emergency",  "for emergencies",
        "dringenden fällen",    "bei dringenden",   "dringende anliegen",
        "in notfällen",         "en cas d'urgence", "pour toute urgence",
        "pour les urgences",    "asuntos urgentes", "caso de urgencia",
        "temas urgentes",       "per urgenze",      "caso di urgenza",
        "questioni urgenti",    "dringende zaken",  "dringende gevallen",
        "pilnych sprawach",     "sprawach pilnych", "caso de urgência",
        "assuntos urgentes",
};

/* A responder's offer to the reader, on a condition of the reader's
 * ("If you'd like to schedule a meeting, please book via my assistant",
 * "Wenn Sie einen Termin möchten, ..."), or its question about what the
 * company sells ("Interested in our products? Visit ..."): nothing the
 * writer asks for. */
static const char *const reader_condition_starts[] = {
        "if you'd like to",      "if you would like to",
        "if you wish to",        "should you wish",
        "should you need",       "should you require",
        "wenn sie einen termin", "falls sie einen termin",
        "si vous souhaitez",     "si desea",
        "si usted desea",        "se desidera",
        "als u een afspraak",    "jeśli chcą państwo",
        "caso deseje",
};
static const char *const offering_words[] = {
        "our products",      "our services",       "our solutions",     "unsere produkte",
        "nos produits",      "nuestros productos", "i nostri prodotti", "onze producten",
        "naszych produktów", "nossos produtos",
};

/* Whether the sentence @lower (lower case) is a responder's to its reader,
 * not its writer's wish. */
static bool
speaks_to_the_reader(const char *lower)
{
	const char *first = lower + strspn(lower, " \t\r\n");
	return HAS(lower, urgency_words) ||
	       mail_classify_starts_with_any(first, reader_condition_starts,
	                                     G_N_ELEMENTS(reader_condition_starts)) ||
	       HAS(lower, offering_words);
}

/* @own without its sentences that speak to the reader: what to do if
 * something cannot wait, offers on the reader's condition. */
static char *
dup_without_words_to_the_reader(const char *own)
{
	GString *out = g_string_sized_new(strlen(own));
	const char *p = own;
	while (*p != '\0') {
		const char *end = mail_classify_sentence_end(p, true);
		g_autofree char *lower = mail_classify_dup_lower(p, end - p);
		if (!speaks_to_the_reader(lower))
			g_string_append_len(out, p, end - p);
		p = end;
	}
	return g_string_free(out, FALSE);
}

/* Whether @own (the writer's new text) puts a question of its own. */
static bool
asks_us_something(const char *own)
{
	if (own == NULL)
		return false;
	for (const char *q = strchr(own, '?'); q != NULL; q = strchr(q + 1, '?')) {
		const char *line = q;
		while (line > own && line[-1] != '\n')
			line--;
		g_autofree char *lower = mail_classify_dup_lower(line, q - line + 1);
		if (!HAS(lower, responder_questions))
			return true;
	}
	return false;
}

/* Whether @text says what its writer wants: interest, a meeting, a no, a
 * stop. A responder's notice names a return and whom to write to (a
 * "later" and a "wrong person" of their own), never these; nor does a
 * ticket system's acknowledgement. */
static bool
says_what_a_person_wants(const char *text)
{
	if (text == NULL)
		return false;
	/* Its own words: a quote of ours says what we want. */
	g_autofree char *own = mail_reply_text_extract(text);
	g_autofree char *calm = dup_without_words_to_the_reader(own);
	g_autoptr(MailIntentResult) read = mail_intent_read(calm, NULL, NULL, NULL);
	/* A weekday alone ("back on Tuesday") is no meeting asked for. */
	bool guessed_meeting = read->intent == MAIL_INTENT_MEETING && read->needs_review;
	if (!guessed_meeting &&
	    (read->intent == MAIL_INTENT_INTERESTED || read->intent == MAIL_INTENT_MEETING ||
	     read->intent == MAIL_INTENT_NOT_INTERESTED || read->intent == MAIL_INTENT_UNSUBSCRIBE))
		return true;
	/* A question to us ("what's the price?", "who else uses this?") is a
	 * person's; a responder's questions are about urgency. */
	return asks_us_something(calm);
}

/* Whether a word of @name (lower case) stands in @top and a word of the
 * departed list follows it in the same sentence, close by: "carol
 * prospect ya no forma parte de la empresa", "pani carol nie pracuje już". */
static bool
names_departure_of(const char *top, const char *name)
{
	g_auto(GStrv) words = g_strsplit_set(name, " ,\"'", -1);
	for (gsize i = 0; words[i] != NULL; i++) {
		if (g_utf8_strlen(words[i], -1) < 3)
			continue;
		for (const char *at = strstr(top, words[i]); at != NULL;
		     at = strstr(at + 1, words[i])) {
			const char *after = at + strlen(words[i]);
			if ((at > top && g_ascii_isalnum(at[-1])) || g_ascii_isalnum(*after))
				continue;
			const char *end = mail_classify_sentence_end(after, true);
			g_autofree char *rest =
			        g_strndup(after, MIN((gsize)(end - after), (gsize)80));
			if (mail_word_list_in(&mail_departed_body, rest))
				return true;
		}
	}
	return false;
}

/* "Carol Prospect ya no forma parte de la empresa", from Carol's own
 * address: its owner told of in the third person, which no person writes
 * of themself (a colleague who answers writes from their own). */
static bool
departure_of_the_sender(const MailMessage *message, const char *top)
{
	if (!mail_word_list_in(&mail_departed_body, top))
		return false;
	g_autofree char *name =
	        mail_headers_dup_display_name(mail_message_get_headers(message), "From");
	if (name == NULL)
		return false;
	g_autofree char *lower = mail_classify_dup_lower(name, -1);
	return names_departure_of(top, lower);
}

static const char *
auto_reply_sign(const MailMessage *message, const char *auto_submitted, const char *subject,
                const char *text, bool machine_marked)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	g_autofree char *own = subject != NULL ? responder_part(subject) : NULL;
	bool subject_words = own != NULL && mail_word_list_in(&mail_auto_reply_subjects, own);
	if (machine_marked && subject != NULL &&
	    mail_classify_starts_with_any(subject, mail_acknowledgement_subjects.words,
	                                  mail_acknowledgement_subjects.n))
		return "a responder's acknowledgement";
	if (mail_headers_get_raw(headers, "X-Auto-Response-Suppress") != NULL && subject_words)
		return "Exchange auto-reply";
	if (subject_words)
		return "auto-reply subject";
	/* An out-of-office says so at the top: its first lines are enough.
	 * Words alone, under a quote of our message, are a person's ("I'm out
	 * of the office this week, but can we talk on the 12th?"): no
	 * responder quotes what it answers. Nor does one say what a person
	 * wants ("I'm out this week, but send me the pricing"): taken for a
	 * responder, that reply would let a follow-up go after it. */
	g_autofree char *top = g_strndup(text, AUTO_REPLY_TOP_BYTES);
	if (departure_of_the_sender(message, top) &&
	    !mail_reply_text_has_quote(mail_message_get_text(message)))
		return "a notice that the box's owner has left";
	if ((mail_word_list_in(&mail_auto_reply_body, top) || away_with_a_return(message, top)) &&
	    !mail_reply_text_has_quote(mail_message_get_text(message)) &&
	    !says_what_a_person_wants(mail_message_get_text(message)))
		return "auto-reply wording";
	/* "auto-generated" is a responder's only in answer to something (a
	 * ticket system's acknowledgement); a notification of its own (an
	 * issue tracker's, a calendar's) is no reply at all (RFC 3834 5). */
	if (auto_submitted != NULL && !g_str_has_prefix(auto_submitted, "no") &&
	    in_a_thread(message) && !says_what_a_person_wants(mail_message_get_text(message)))
		return "Auto-Submitted";
	return NULL;
}

static GDateTime *
date_of(const MailMessage *message)
{
	const char *date = mail_headers_get_raw(mail_message_get_headers(message), "Date");
	return date != NULL ? g_mime_utils_header_decode_date(date) : NULL;
}

/* @head: the text's first bytes, lower case. */
static void
set_auto_reply(const MailMessage *message, const char *head, const char *why,
               MailClassification *result)
{
	result->klass = MAIL_CLASS_AUTO_REPLY;
	g_autoptr(GDateTime) sent = date_of(message);
	g_autofree char *top = g_strndup(head, AUTO_REPLY_TOP_BYTES);
	if (mail_word_list_in(&mail_departed_body, top) &&
	    !mail_word_list_in(&mail_not_departed_body, top)) {
		/* "no longer with us as of 28 February" names no return. The
		 * colleague they name, when the intent reading finds one. */
		result->departed = true;
		g_autofree char *sender =
		        mail_headers_dup_address(mail_message_get_headers(message), "From");
		g_autoptr(MailIntentResult) intent =
		        mail_intent_read(mail_message_get_text(message), NULL, sender, sent);
		g_autofree char *named = NULL;
		if (intent->intent == MAIL_INTENT_WRONG_PERSON)
			named = g_steal_pointer(&intent->referral);
		/* A notice that the person has left names whom to write to
		 * instead in any words ("merci de contacter x@y"). */
		if (named == NULL && mail_message_get_text(message) != NULL)
			named = mail_referral_find(mail_message_get_text(message), sender);
		/* Never ourselves, whom the notice answers. */
		g_autofree char *ours =
		        mail_headers_dup_address(mail_message_get_headers(message), "To");
		if (named != NULL && (ours == NULL || g_ascii_strcasecmp(named, ours) != 0))
			result->referral = g_steal_pointer(&named);
		result->evidence = g_strdup_printf("%s; the person has left", why);
		return;
	}
	result->evidence = g_strdup(why);
	/* Without its Date, the day is for the caller to place. */
	if (sent == NULL)
		return;
	result->return_date = mail_return_date_find(head, sent);
	/* "Abwesend bis 23.11.", "Out of office until Monday": a responder
	 * may say it in its subject only (never in ours, after a "Re:"). */
	if (result->return_date == NULL) {
		g_autofree char *raw = mail_classify_dup_subject(mail_message_get_headers(message));
		g_autofree char *subject = raw != NULL ? mail_classify_dup_lower(raw, -1) : NULL;
		g_autofree char *own = subject != NULL ? responder_part(subject) : NULL;
		if (own != NULL && *own != '\0')
			result->return_date = mail_return_date_find(own, sent);
	}
}

/* --- mail that no person wrote ------------------------------------------ */

/* Outlook's receipts are no MDN: "Read: <subject>", "Gelesen: ...". */
static const char *const read_receipt_prefixes[] = {
        "read:",
        "not read:",
        "gelesen:",
        "ungelesen:",
        "lu :",
        "lu:",
        "leído:",
        "letto:",
        "gelezen:",
        "przeczytane:",
        "lida:",
        /* deleted unread, in the other languages */
        "non lu :",
        "non lu:",
        "no leído:",
        "non letto:",
        "niet gelezen:",
        "nieprzeczytane:",
        "não lida:",
};
static const char *const read_receipt_words[] = {"read receipt", "return receipt"};
/* Outlook's delivery receipts as plain messages: "Delivered: <subject>". */
static const char *const delivery_receipt_prefixes[] = {
        "delivered:", "relayed:",    "übermittelt:", "zugestellt:", "remis :",      "remis:",
        "entregado:", "recapitato:", "bezorgd:",     "afgeleverd:", "dostarczono:", "entregue:",
};
/* ...whose text says so: a person's "Delivered: the contract you asked
 * for" is an answer. */
static const char *const delivery_receipt_words[] = {
        "your message has been delivered",
        "your message was delivered",
        "delivery to these recipients or groups is complete",
        "delivered to the following recipients",
        "ihre nachricht wurde an",
        "an folgende empfänger übermittelt",
        "votre message a été remis",
        "su mensaje se entregó",
        "el mensaje se entregó",
        "il messaggio è stato recapitato",
        "uw bericht is bezorgd",
        "wiadomość została dostarczona",
        "sua mensagem foi entregue",
};
/* A mailing's footer, in the conditional no person writes when asking to
 * be taken off ("if you no longer wish to receive ..."): a prospect's
 * newsletter sent to our mailbox without list headers, not an answer. */
static const char *const mailing_footer_words[] = {
        "if you no longer wish to receive",
        "if you wish no longer to receive",
        "if you do not wish to receive",
        "if you don't want to receive these",
        "you may opt-out",
        "you may opt out",
        "you can unsubscribe",
        "click here to unsubscribe",
        "to unsubscribe from this list",
        "to stop receiving these emails",
        "you are receiving this email because",
        "you received this email because",
        "wenn sie diesen newsletter nicht mehr",
        "pour vous désinscrire",
        "para darse de baja",
        "deze nieuwsbrief niet meer ontvangen",
        "per annullare l'iscrizione",
        "per cancellarti dalla newsletter",
        "aby zrezygnować z subskrypcji",
        "aby wypisać się z newslettera",
        "para cancelar a inscrição",
        "para cancelar sua inscrição",
};
/* Only senders no person writes from: a prospect may well answer from
 * marketing@ or info@. */
static const char *const no_reply_senders[] = {
        "noreply",      "no-reply",       "no_reply",      "donotreply",
        "do-not-reply", "notifications@", "notification@", "newsletter@",
};
/* Headers mass-mailing services add to what they send. */
static const char *const mass_mailing_fields[] = {
        "X-Mailgun-Sid",        "X-SG-EID",          "X-SES-Outgoing",       "X-MC-User",
        "X-Campaign",           "X-CampaignID",      "X-Mailchimp-Campaign", "X-Mandrill-User",
        "X-HubSpot-Message-Id", "X-Marketo-Message", "X-Sendinblue",         "X-MSFBL",
        "X-Mailjet-Campaign",   "X-Newsletter",
};
/* Mailing-list software's own marks, and the addresses it writes from:
 * its notices (a loop alert, a held message) are no person's answer. */
static const char *const list_software_fields[] = {
        "X-MLServer",           "X-ML-Name",         "X-Mailman-Version",
        "X-List-Administrivia", "X-Ecartis-Version", "X-Listprocessor-Version",
        "Mailing-List",
};
static const char *const list_manager_parts[] = {
        "-admin@", "-owner@", "-request@", "-bounces@", "owner-",
};
static const char *const daemon_local_parts[] = {
        "mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "daemon@", "root@", "mdaemon",
};

/* Challenge-response filters (Boxbe, Bluebottle, SpamArrest, EarthLink's
 * spamBlocker, TMDA, ...) answer for the prospect, from their address or
 * as a delivery report, but no person wrote it and the message has not
 * reached one yet: it waits until someone clicks or replies. */
static const char *const challenge_fields[] = {
        "X-Boxbe-Verification", "X-Spamarrest-Noauth", "X-Challenge",
        "X-Challenge-Response", "X-SRS-Challenge",     "X-Bluebottle-Request",
};
static const char *const challenge_words[] = {
        "verify that you are a real person",
        "verify that you are human",
        "verify you are a human",
        "verify you are human",
        "prove that you are human",
        "confirm that you are a real person",
        "i use an anti-spam service",
        "i am using an anti-spam service",
        "challenge-response",
        "your message is awaiting verification",
        "awaiting your verification",
        "has been waitlisted",
        "was waitlisted",
        "sender not pre-approved",
        "add yourself to my guest list",
        "add yourself to my approved",
        "add yourself to my allowed",
        "senders i have approved",
        "list of approved senders",
        "approved senders list",
        "to have your address added to",
        "this account is protected by",
        "to release your message",
        "your message will be delivered once you",
        "bestätigen sie, dass sie ein mensch sind",
        "confirmer que vous êtes une personne",
};
static const MailWordList challenge_list = MAIL_WORD_LIST(challenge_words);
/* The same filters saying the sender is on the list: nothing waits. */
static const char *const challenge_passed_words[] = {
        "you're listed on my",
        "you are listed on my",
        "you're on my guest list",
        "you are on my guest list",
        "email from you will go right to my inbox",
};

/* Outlook's request to recall a message the person sent before: the
 * client's, no answer ("Recall: Budget", "Carol would like to recall the
 * message, ..."). The prefix alone is a person's word too ("Rappel :" a
 * reminder, "Rückruf:" a call back): the words must say it. */
static const char *const recall_prefixes[] = {
        "recall:",   "rückruf:",   "rappel :",   "rappel:",   "recuperar:",
        "richiamo:", "intrekken:", "odwołanie:", "recolher:",
};
static const char *const recall_words[] = {
        "would like to recall the message",
        "möchte die nachricht",
        "rappeler le message",
        "recuperar el mensaje",
        "richiamare il messaggio",
        "wil het bericht",
        "odwołać wiadomość",
        "recolher a mensagem",
};

/* The recall's words on the text's first line ("Carol would like to
 * recall the message, ..."), not in a person's "Bonjour Sam, ...". */
static bool
first_line_says_recall(const char *head)
{
	const char *start = head + strspn(head, " \t\r\n");
	g_autofree char *line = g_strndup(start, strcspn(start, "\n"));
	return HAS(line, recall_words);
}

/* "Read receipt" said by the receipt, not by our subject it answers. */
static bool
has_read_receipt_words(const char *subject)
{
	g_autofree char *own = responder_part(subject);
	return HAS(own, read_receipt_words);
}

static bool
is_read_receipt_subject(const char *subject)
{
	return mail_classify_starts_with_any(subject, read_receipt_prefixes,
	                                     G_N_ELEMENTS(read_receipt_prefixes));
}

/* Whether @message answers another (In-Reply-To or References). */
static bool
in_a_thread(const MailMessage *message)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	return mail_headers_get_raw(headers, "In-Reply-To") != NULL ||
	       mail_headers_get_raw(headers, "References") != NULL;
}

/* The list and bulk marks. *@weak: only those that mail systems also put
 * on a person's mail (a gateway's List-Unsubscribe, a server's Precedence:
 * bulk), not a list's, a service's or a no-reply sender's. */
static bool
is_bulk(const MailMessage *message, const char *precedence, const char *from, const char *subject,
        const char *head, char **why, bool *weak)
{
	*weak = false;
	const MailHeaders *headers = mail_message_get_headers(message);
	const char *report = mail_message_get_report_type(message);
	if (report != NULL && strstr(report, "disposition-notification") != NULL)
		*why = g_strdup("read receipt (disposition-notification)");
	else if (subject != NULL &&
	         (is_read_receipt_subject(subject) || has_read_receipt_words(subject)))
		*why = g_strdup("read receipt (subject)");
	else if (subject != NULL &&
	         mail_classify_starts_with_any(subject, delivery_receipt_prefixes,
	                                       G_N_ELEMENTS(delivery_receipt_prefixes)) &&
	         head != NULL && HAS(head, delivery_receipt_words))
		*why = g_strdup("delivery receipt");
	else if (subject != NULL &&
	         mail_classify_starts_with_any(subject, recall_prefixes,
	                                       G_N_ELEMENTS(recall_prefixes)) &&
	         head != NULL && first_line_says_recall(head))
		*why = g_strdup("a request to recall a message");
	else if (from != NULL && HAS(from, no_reply_senders))
		*why = g_strdup("no-reply sender");
	if (*why != NULL)
		return true;
	/* A list's or a sending service's mark is the whole story of a
	 * message of its own; on an answer in a thread it is the path the
	 * person's mail took (a Google Group, Amazon WorkMail's SES, a CRM's
	 * inbox sending through SendGrid): weak. */
	*weak = in_a_thread(message);
	if (mail_headers_get_raw(headers, "List-Id") != NULL)
		*why = g_strdup("List-Id");
	for (gsize i = 0; i < G_N_ELEMENTS(mass_mailing_fields) && *why == NULL; i++)
		if (mail_headers_get_raw(headers, mass_mailing_fields[i]) != NULL)
			*why = g_strdup_printf("mass-mailing mark (%s)", mass_mailing_fields[i]);
	if (*why != NULL)
		return true;
	*weak = true;
	if (mail_headers_get_raw(headers, "List-Unsubscribe") != NULL)
		*why = g_strdup("List-Unsubscribe");
	else if (precedence != NULL && (strstr(precedence, "bulk") || strstr(precedence, "list") ||
	                                strstr(precedence, "junk")))
		*why = g_strdup_printf("Precedence: %s", precedence);
	return *why != NULL;
}

/* What says no person wrote it, when nothing else made sense of it:
 * then it is `other`, for a person to look at. */
static const char *
not_a_person(const MailMessage *message, const char *from)
{
	const char *return_path =
	        mail_headers_get_raw(mail_message_get_headers(message), "Return-Path");
	g_autofree char *path = return_path != NULL ? g_strstrip(g_strdup(return_path)) : NULL;
	g_autofree char *address =
	        mail_headers_dup_address(mail_message_get_headers(message), "From");
	if (address == NULL)
		return "no sender address";
	if (from != NULL && HAS(from, daemon_local_parts))
		return "a daemon's message";
	if (path != NULL && strcmp(path, "<>") == 0)
		return "a null Return-Path";
	g_autofree char *lower_address = g_ascii_strdown(address, -1);
	if (HAS(lower_address, list_manager_parts))
		for (gsize i = 0; i < G_N_ELEMENTS(list_software_fields); i++)
			if (mail_headers_get_raw(mail_message_get_headers(message),
			                         list_software_fields[i]) != NULL)
				return "a mailing list's own notice";
	if (mail_message_get_report_type(message) != NULL)
		return "a report";
	if (mail_message_get_returned_headers(message) != NULL ||
	    mail_message_get_delivery_status(message) != NULL)
		return "a returned message";
	const char *auto_submitted =
	        mail_headers_get_raw(mail_message_get_headers(message), "Auto-Submitted");
	if (auto_submitted != NULL &&
	    g_ascii_strncasecmp(auto_submitted + strspn(auto_submitted, " \t"), "no", 2) != 0)
		return "a machine's notification (Auto-Submitted)";
	/* "Carol Prospect via DocuSign", "X (via Google Docs)": a service
	 * writing on someone's behalf, not that person's answer. */
	if (from != NULL && !in_a_thread(message)) {
		g_autofree char *name = g_strndup(from, strcspn(from, "<"));
		if (strstr(name, " via ") != NULL || strstr(name, "(via ") != NULL)
			return "a service writing on someone's behalf";
	}
	return NULL;
}

/* How much of a message's end a mailing's footer is looked for in (its
 * start is @head, read already). */
#define FOOTER_TAIL_BYTES 2048

/* Whether @text has no quote and says nothing a sequence acts on: a
 * mailing's or a notification's words, not a person's answer ("let's
 * talk next week", "not now, try me in March", "ask Jane instead" are,
 * whatever footer or template stands under them: taken for a machine's,
 * such a reply would let a follow-up go after it). */
static bool
says_nothing_of_a_persons(const char *text, bool guesses_too)
{
	/* A message that quotes another is an answer, whatever footer (ours,
	 * quoted by Outlook or AOL without a ">") it carries. */
	if (mail_reply_text_has_quote(text))
		return false;
	g_autofree char *own = mail_reply_text_extract(text);
	/* A mailing's offers to its reader ("Interested in our products?")
	 * are no one's wish, as a responder's are not. */
	g_autofree char *calm = dup_without_words_to_the_reader(own);
	g_autoptr(MailIntentResult) read = mail_intent_read(calm, NULL, NULL, NULL);
	return read->intent == MAIL_INTENT_NEEDS_REVIEW || (guesses_too && read->needs_review);
}

/* @head: the text's first bytes, lower case: a shop's, a billing
 * system's, a phone system's or a network's notification. */
static bool
reads_as_a_notification(const MailMessage *message, const char *head)
{
	const char *text = mail_message_get_text(message);
	if (text == NULL)
		return false;
	/* A template says what it is at the top. */
	g_autofree char *top = g_strndup(head, AUTO_REPLY_TOP_BYTES);
	/* A template's clock times and numbers ("a new voicemail (0:42)")
	 * make guesses, not wishes. */
	return mail_word_list_in(&mail_notification_body, top) &&
	       says_nothing_of_a_persons(text, true);
}

/* @head: the text's first bytes, lower case; @subject: lower case. */
static bool
has_mailing_footer(const MailMessage *message, const char *head, const char *subject)
{
	const char *text = mail_message_get_text(message);
	/* "Re: ...", "AW: ...": an answer, not a mailing of its own; an
	 * invitation to a meeting ("You are receiving this email because you
	 * are an attendee") is the person's, whatever its footer. */
	if (text == NULL ||
	    (subject != NULL &&
	     mail_classify_starts_with_any(subject + strspn(subject, " "), mail_answer_prefixes,
	                                   MAIL_ANSWER_PREFIXES_N)) ||
	    mail_message_has_part_type(message, "text/calendar"))
		return false;
	gsize n = strlen(text);
	const char *tail = n > FOOTER_TAIL_BYTES ? text + n - FOOTER_TAIL_BYTES : text;
	while (((unsigned char)*tail & 0xc0) == 0x80)
		tail++;
	g_autofree char *lower_tail = mail_classify_dup_lower(tail, -1);
	if (!HAS(head, mailing_footer_words) && !HAS(lower_tail, mailing_footer_words))
		return false;
	return says_nothing_of_a_persons(text, false);
}

/* Whether @message is a challenge-response filter's notice; *@waiting
 * then says whether it holds our message until someone acts (a person
 * should look) or only says we are on its list. */
static bool
is_challenge(const MailMessage *message, const char *head, bool *waiting)
{
	*waiting = true;
	for (gsize i = 0; i < G_N_ELEMENTS(challenge_fields); i++)
		if (mail_headers_get_raw(mail_message_get_headers(message), challenge_fields[i]) !=
		    NULL)
			return true;
	if (mail_word_list_in(&challenge_list, head))
		return true;
	*waiting = false;
	return HAS(head, challenge_passed_words);
}

/* --- the whole ---------------------------------------------------------- */

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

static bool
classify_bounce(const MailMessage *message, const char *head, MailClassification *result)
{
	g_autoptr(MailBounce) bounce = mail_bounce_read(message, head);
	switch (bounce->kind) {
	case MAIL_BOUNCE_NOT:
		return false;
	case MAIL_BOUNCE_DELIVERED:
		result->klass = MAIL_CLASS_OTHER;
		result->evidence = g_strdup("a delivery report without a failure");
		return true;
	case MAIL_BOUNCE_FAILED:
	case MAIL_BOUNCE_DELAYED:
		break;
	}
	result->klass = MAIL_CLASS_BOUNCE;
	result->delayed = bounce->kind == MAIL_BOUNCE_DELAYED;
	result->evidence = g_steal_pointer(&bounce->evidence);
	result->about_message_id = g_steal_pointer(&bounce->about_message_id);
	result->recipients = g_ptr_array_ref(bounce->recipients);
	if (bounce->recipients->len == 0) {
		result->reason =
		        bounce->reason != MAIL_REASON_NONE ? bounce->reason : MAIL_REASON_OTHER;
		return true;
	}
	const MailBounceRecipient *first = bounce->recipients->pdata[0];
	result->recipient = g_strdup(first->address);
	result->status = g_strdup(first->status);
	result->reply_code = first->reply_code;
	result->reason = first->reason;
	result->hard = first->hard && !result->delayed;
	return true;
}

static bool
classify_feedback(const MailMessage *message, MailClassification *result)
{
	g_autoptr(MailFeedback) feedback = mail_feedback_read(message);
	if (feedback->kind == MAIL_FEEDBACK_NOT)
		return false;
	result->klass = MAIL_CLASS_FEEDBACK;
	result->feedback = feedback->kind;
	result->feedback_type = g_steal_pointer(&feedback->type);
	result->recipient = g_steal_pointer(&feedback->recipient);
	result->evidence = g_steal_pointer(&feedback->evidence);
	result->about_message_id = g_steal_pointer(&feedback->about_message_id);
	return true;
}

/* A scheduling tool's notice of a booking: the invitee's reply, a
 * meeting (the tool writes, no one from its domain books). */
static bool
classify_booking(const MailMessage *message, const char *head, MailClassification *result)
{
	g_autofree char *invitee = mail_booking_invitee(message, head);
	if (invitee == NULL)
		return false;
	result->klass = MAIL_CLASS_REPLY;
	result->intent = MAIL_INTENT_MEETING;
	result->confidence = 90;
	result->reply_text = g_strdup("");
	result->evidence = g_strdup_printf("a scheduling tool's notice: %s booked a time", invitee);
	result->on_behalf_of = g_steal_pointer(&invitee);
	return true;
}

/* A service that writes for a person (Google Docs' "Carol (via Google
 * Docs)", DocuSign, Dropbox): the person's address as the Reply-To, of
 * another domain than the service's, and the service saying "via" in its
 * name or naming that address in its text. NULL when @message is none
 * (a list's message, a Google Group's "X via Group", is a list's). */
static char *
person_behind_service(const MailMessage *message, const char *head)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	if (mail_headers_get_raw(headers, "List-Id") != NULL)
		return NULL;
	g_autoptr(GPtrArray) reply_to = mail_headers_dup_addresses(headers, "Reply-To");
	g_autofree char *from = mail_headers_dup_address(headers, "From");
	if (reply_to->len != 1 || from == NULL)
		return NULL;
	g_autofree char *person = g_ascii_strdown(reply_to->pdata[0], -1);
	const char *person_domain = strrchr(person, '@');
	const char *service_domain = strrchr(from, '@');
	if (person_domain == NULL || service_domain == NULL ||
	    g_ascii_strcasecmp(person_domain, service_domain) == 0)
		return NULL;
	g_autofree char *from_field = lower_header(message, "From");
	bool via = from_field != NULL &&
	           (strstr(from_field, " via ") != NULL || strstr(from_field, "(via ") != NULL);
	bool named = HAS(from_field != NULL ? from_field : "", no_reply_senders) && head != NULL &&
	             strstr(head, person) != NULL;
	return via || named ? g_steal_pointer(&person) : NULL;
}

/* A calendar client's answer to an invitation: its subject's prefix says
 * which (Outlook, Gmail, Apple in eight languages), a text/calendar part
 * carries it. */
static const char *const accepted_prefixes[] = {
        "accepted:",
        "tentative:",
        "angenommen:",
        "mit vorbehalt:",
        "accepté :",
        "accepté:",
        "provisoire :",
        "aceptado:",
        "provisional:",
        "accettato:",
        "provvisorio:",
        "geaccepteerd:",
        "voorlopig:",
        "zaakceptowano:",
        "wstępnie:",
        "aceito:",
        "provisório:",
        "invitation accepted:",
        "updated invitation accepted:",
};
static const char *const declined_prefixes[] = {
        "declined:",  "abgelehnt:", "refusé :",   "refusé:",   "rechazado:",           "rifiutato:",
        "geweigerd:", "afgewezen:", "odrzucono:", "recusado:", "invitation declined:",
};

/* Whether @message carries an invitation to a meeting that the writer
 * (@sender) or a colleague of the same domain organises: the person asks
 * for a time by sending one. */
static bool
is_own_invitation(const MailMessage *message, const char *sender)
{
	const char *calendar = mail_message_get_calendar(message);
	if (sender == NULL || mail_calendar_method(calendar) != MAIL_CALENDAR_REQUEST)
		return false;
	g_autofree char *organizer = mail_calendar_organizer(calendar);
	const char *domain = strrchr(sender, '@');
	const char *organizer_domain = organizer != NULL ? strrchr(organizer, '@') : NULL;
	return domain != NULL && organizer_domain != NULL &&
	       g_ascii_strcasecmp(domain, organizer_domain) == 0;
}

/* An answer to a calendar invitation, or an invitation of the writer's
 * own, when @message is one: accepted, tentative or invited is a meeting,
 * declined is for a person to read. */
static bool
read_calendar_answer(const MailMessage *message, const char *subject, const char *sender,
                     MailClassification *result)
{
	/* Without its calendar part (a relay took it off, a client sent the
	 * answer bare), the subject speaks only when the person wrote
	 * nothing: our subject's words after "Declined:" are no wish. */
	if (subject == NULL || (!mail_message_has_part_type(message, "text/calendar") &&
	                        (result->reply_text == NULL || result->reply_text[0] != '\0')))
		return false;
	bool invited = is_own_invitation(message, sender);
	bool accepted = invited || mail_classify_starts_with_any(subject, accepted_prefixes,
	                                                         G_N_ELEMENTS(accepted_prefixes));
	if (!accepted && !mail_classify_starts_with_any(subject, declined_prefixes,
	                                                G_N_ELEMENTS(declined_prefixes)))
		return false;
	/* What the words said of dates, colleagues or stopping is moot. */
	g_clear_pointer(&result->intent_date, g_free);
	g_clear_pointer(&result->referral, g_free);
	result->opt_out = false;
	if (accepted) {
		result->intent = MAIL_INTENT_MEETING;
		result->confidence = 90;
		result->needs_review = false;
		result->evidence = g_strdup(invited ? "written by a person; meeting: an invitation "
		                                      "to a meeting they organise"
		                                    : "written by a person; meeting: a calendar "
		                                      "invitation accepted");
		return true;
	}
	result->intent = MAIL_INTENT_NEEDS_REVIEW;
	result->confidence = 0;
	result->needs_review = true;
	result->evidence = g_strdup("written by a person; needs_review: a calendar invitation "
	                            "declined");
	return true;
}

/* "Adding Jane (cc'd), who handles this": the colleague a hand-off names
 * only by putting them in copy. The first address in Cc of the writer's
 * own domain, not the writer; NULL when none. */
static char *
colleague_in_copy(const MailMessage *message, const char *sender)
{
	const char *domain = sender != NULL ? strrchr(sender, '@') : NULL;
	if (domain == NULL)
		return NULL;
	g_autoptr(GPtrArray) copied =
	        mail_headers_dup_addresses(mail_message_get_headers(message), "Cc");
	for (guint i = 0; i < copied->len; i++) {
		const char *address = copied->pdata[i];
		const char *at = strrchr(address, '@');
		if (strcmp(address, sender) != 0 && g_ascii_strcasecmp(at, domain) == 0)
			return g_strdup(address);
	}
	return NULL;
}

static void
classify_reply(const MailMessage *message, const char *subject_raw, MailClassification *result)
{
	result->klass = MAIL_CLASS_REPLY;
	/* Only the new text: a quoted footer of ours must not count. */
	g_autofree char *new_text = mail_reply_text_extract(mail_message_get_text(message));
	g_autofree char *sender =
	        mail_headers_dup_address(mail_message_get_headers(message), "From");
	g_autoptr(GDateTime) sent = date_of(message);
	g_autoptr(MailIntentResult) intent = mail_intent_read(new_text, subject_raw, sender, sent);
	result->intent = intent->intent;
	result->confidence = intent->confidence;
	result->needs_review = intent->needs_review;
	result->intent_date = g_steal_pointer(&intent->date);
	result->referral = g_steal_pointer(&intent->referral);
	if (result->intent == MAIL_INTENT_WRONG_PERSON && result->referral == NULL)
		result->referral = colleague_in_copy(message, sender);
	result->opt_out = intent->intent == MAIL_INTENT_UNSUBSCRIBE;
	result->reply_text = g_steal_pointer(&new_text);
	g_autofree char *subject =
	        subject_raw != NULL ? mail_classify_dup_lower(subject_raw, -1) : NULL;
	if (read_calendar_answer(message, subject, sender, result))
		return;
	result->evidence = g_strdup_printf(
	        "written by a person; %s%s%s", mail_intent_to_string(intent->intent),
	        intent->evidence[0] != '\0' ? ": " : "", intent->evidence);
}

MailClassification *
mail_classify_message(const MailMessage *message)
{
	MailClassification *result = g_new0(MailClassification, 1);
	g_autofree char *head =
	        lower_head(mail_reply_text_after_banners(mail_message_get_text(message)));
	/* Before the reports: some filters send their notice as one. */
	bool waiting = false;
	if (is_challenge(message, head, &waiting)) {
		result->klass = MAIL_CLASS_OTHER;
		result->needs_review = waiting;
		result->evidence = g_strdup(waiting ? "not recognised: a challenge-response check"
		                                    : "a challenge-response filter: on its list");
		return result;
	}
	if (classify_bounce(message, head, result) || classify_feedback(message, result) ||
	    classify_booking(message, head, result))
		return result;

	g_autofree char *auto_submitted = lower_header(message, "Auto-Submitted");
	g_autofree char *precedence = lower_header(message, "Precedence");
	g_autofree char *subject_raw = mail_classify_dup_subject(mail_message_get_headers(message));
	g_autofree char *subject =
	        subject_raw != NULL ? mail_classify_dup_lower(subject_raw, -1) : NULL;
	g_autofree char *from = lower_header(message, "From");
	/* Apple Mail's "Unsubscribe" button writes to our List-Unsubscribe
	 * mailto for its reader, marked as a machine's answer: the person's
	 * request all the same. */
	if (mail_headers_get_raw(mail_message_get_headers(message), "X-Apple-Unsubscribe") !=
	    NULL) {
		classify_reply(message, subject_raw, result);
		return result;
	}
	const char *why = responder_mark(message, auto_submitted, precedence);
	if (why != NULL) {
		set_auto_reply(message, head, why, result);
		return result;
	}
	g_autofree char *person = person_behind_service(message, head);
	if (person != NULL) {
		classify_reply(message, subject_raw, result);
		g_autofree char *read = g_steal_pointer(&result->evidence);
		result->evidence = g_strdup_printf("a service's notice for %s; %s", person, read);
		result->on_behalf_of = g_steal_pointer(&person);
		return result;
	}
	g_autofree char *bulk = NULL;
	bool weak = false;
	bool marked = is_bulk(message, precedence, from, subject, head, &bulk, &weak);
	if (marked && !weak) {
		result->klass = MAIL_CLASS_OTHER;
		result->evidence = g_steal_pointer(&bulk);
		return result;
	}
	/* A weak mark is also a responder's (vacation programs write
	 * "Precedence: junk" or "bulk"): its signs come first. */
	const char *return_path =
	        mail_headers_get_raw(mail_message_get_headers(message), "Return-Path");
	bool machine_marked = marked || (return_path != NULL && strstr(return_path, "<>") != NULL);
	why = auto_reply_sign(message, auto_submitted, subject, head, machine_marked);
	if (why != NULL) {
		set_auto_reply(message, head, why, result);
		return result;
	}
	/* A weak mark on an answer in a thread is the mail system's, not the
	 * writer's: it is read on (a reply taken for a newsletter would let a
	 * follow-up go after it). */
	if (marked && !in_a_thread(message)) {
		result->klass = MAIL_CLASS_OTHER;
		/* A short message of a person's own, through a gateway that
		 * marks all it sends: held for a look, not let pass. */
		const char *text = mail_message_get_text(message);
		result->needs_review = text != NULL && strlen(text) < SHORT_PERSONAL_BYTES &&
		                       says_what_a_person_wants(text);
		result->evidence =
		        result->needs_review
		                ? g_strdup_printf("not recognised: %s over a person's words", bulk)
		                : g_steal_pointer(&bulk);
		return result;
	}
	why = not_a_person(message, from);
	if (why != NULL) {
		result->klass = MAIL_CLASS_OTHER;
		result->needs_review = true;
		result->evidence = g_strdup_printf("not recognised: %s", why);
		return result;
	}
	/* In our thread, a person should look: a notification there is odd. */
	if (reads_as_a_notification(message, head)) {
		result->klass = MAIL_CLASS_OTHER;
		result->needs_review = in_a_thread(message);
		result->evidence = g_strdup("a notification's template, no person's words");
		return result;
	}
	if (!in_a_thread(message) && has_mailing_footer(message, head, subject)) {
		result->klass = MAIL_CLASS_OTHER;
		result->evidence = g_strdup("a mailing's opt-out footer, not in our thread");
		return result;
	}
	classify_reply(message, subject_raw, result);
	return result;
}
