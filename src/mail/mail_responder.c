#include "mail/mail_responder.h"

#include "mail/mail_auto_reply_words.h"
#include "mail/mail_intent.h"
#include "mail/mail_private.h"
#include "mail/mail_referral.h"
#include "mail/mail_reply_text.h"
#include "mail/mail_return_date.h"

#include <string.h>

char *
mail_responder_part(const char *subject)
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

const char *
mail_responder_mark(const MailMessage *message, const char *auto_submitted, const char *precedence)
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
	g_autoptr(GDateTime) sent = mail_classify_dup_date(message);
	if (sent == NULL)
		return false;
	g_autofree char *own = mail_reply_text_extract(mail_message_get_text(message));
	g_autoptr(MailIntentResult) read = mail_intent_read(own, NULL, NULL, sent);
	if (read->intent == MAIL_INTENT_LATER && !read->needs_review)
		return false;
	g_autofree char *back = mail_return_date_find(top, sent);
	return back != NULL;
}

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
	return MAIL_CLASSIFY_HAS(lower, urgency_words) ||
	       mail_classify_starts_with_any(first, reader_condition_starts,
	                                     G_N_ELEMENTS(reader_condition_starts)) ||
	       MAIL_CLASSIFY_HAS(lower, offering_words);
}

char *
mail_responder_dup_without_words_to_the_reader(const char *own)
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
		if (!MAIL_CLASSIFY_HAS(lower, responder_questions))
			return true;
	}
	return false;
}

bool
mail_responder_says_what_a_person_wants(const char *text)
{
	if (text == NULL)
		return false;
	/* Its own words: a quote of ours says what we want. */
	g_autofree char *own = mail_reply_text_extract(text);
	g_autofree char *calm = mail_responder_dup_without_words_to_the_reader(own);
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

const char *
mail_responder_sign(const MailMessage *message, const char *auto_submitted, const char *subject,
                    const char *text, bool machine_marked)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	g_autofree char *own = subject != NULL ? mail_responder_part(subject) : NULL;
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
	g_autofree char *top = g_strndup(text, MAIL_RESPONDER_TOP_BYTES);
	if (departure_of_the_sender(message, top) &&
	    !mail_reply_text_has_quote(mail_message_get_text(message)))
		return "a notice that the box's owner has left";
	if ((mail_word_list_in(&mail_auto_reply_body, top) || away_with_a_return(message, top)) &&
	    !mail_reply_text_has_quote(mail_message_get_text(message)) &&
	    !mail_responder_says_what_a_person_wants(mail_message_get_text(message)))
		return "auto-reply wording";
	/* "auto-generated" is a responder's only in answer to something (a
	 * ticket system's acknowledgement); a notification of its own (an
	 * issue tracker's, a calendar's) is no reply at all (RFC 3834 5). */
	if (auto_submitted != NULL && !g_str_has_prefix(auto_submitted, "no") &&
	    mail_classify_in_a_thread(message) &&
	    !mail_responder_says_what_a_person_wants(mail_message_get_text(message)))
		return "Auto-Submitted";
	return NULL;
}

void
mail_responder_classify(const MailMessage *message, const char *head, const char *why,
                        MailClassification *result)
{
	result->klass = MAIL_CLASS_AUTO_REPLY;
	g_autoptr(GDateTime) sent = mail_classify_dup_date(message);
	g_autofree char *top = g_strndup(head, MAIL_RESPONDER_TOP_BYTES);
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
		g_autofree char *own = subject != NULL ? mail_responder_part(subject) : NULL;
		if (own != NULL && *own != '\0')
			result->return_date = mail_return_date_find(own, sent);
	}
}
