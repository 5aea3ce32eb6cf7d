#include "mail/mail_intent_sense.h"

#include "mail/mail_intent_condition.h"
#include "mail/mail_intent_negation.h"
#include "mail/mail_intent_stop.h"
#include "mail/mail_intent_text.h"
#include "mail/mail_private.h"

#include <string.h>

/* What a "send me" asks for when it asks to be written to, not for
 * something ("send me an email in January", "schicken Sie mir im Januar
 * nochmal eine Mail"): a message, in the eight languages. */
static const char *const message_nouns[] = {
        "an email",       "an e-mail",    "another email", "a mail",      "a line",
        "a note",         "a message",    "eine mail",     "eine e-mail", "eine email",
        "eine nachricht", "un mail",      "un e-mail",     "un courriel", "un message",
        "un email",       "un correo",    "un mensaje",    "una mail",    "una email",
        "una e-mail",     "un messaggio", "een mail",      "een mailtje", "een e-mail",
        "een bericht",    "maila",        "wiadomość",     "um e-mail",   "um email",
        "uma mensagem",
};
/* How far after "send me" the message may come: "schicken Sie mir im
 * Januar nochmal eine Mail". */
#define MESSAGE_NOUN_REACH 32

bool
mail_intent_sense_asks_for_a_message(const char *after)
{
	for (const char *p = after; *p != '\0' && p - after < MESSAGE_NOUN_REACH; p++) {
		if (*p == '.' || *p == '?' || *p == '!' || *p == '\n')
			return false;
		if (p != after && p[-1] != ' ')
			continue;
		for (gsize i = 0; i < G_N_ELEMENTS(message_nouns); i++)
			if (g_str_has_prefix(p, message_nouns[i]) &&
			    !mail_intent_text_is_word_byte(p[strlen(message_nouns[i])]))
				return true;
	}
	return false;
}

/* Words right after a "send me" that refuse what it would ask for:
 * "stuur me geen mails meer", "schicken Sie mir keine Werbung". */
static const char *const refused_objects[] = {
        "no more",
        "no further",
        "nothing",
        "geen ",
        "niets",
        "keine ",
        "keinerlei ",
        "nichts",
        "aucun",
        "rien",
        "nada",
        "ningún",
        "niente",
        "nessun",
        "nulla",
        "nic ",
        "żadnych",
        "nenhum",
        "nenhuma",
        /* Dutch puts its "not" after: "bel me liever niet" */
        "liever niet",
        "niet",
};

/* "with" in the eight languages, after a contact cue: with whom. */
static const char *const with_words[] = {
        "with ", "mit ", "avec ", "con ", "met ", "z ", "ze ", "com ",
};

/* ... unless it is the writer: "check back with me after Easter". */
static const char *const writer_objects[] = {
        "me", "us", "mich", "uns", "moi", "nous", "mí", "nosotros", "mnie", "nami", "mij", "ons",
};

static bool
contact_with_follows(const char *after)
{
	after += strspn(after, " ");
	for (gsize i = 0; i < G_N_ELEMENTS(with_words); i++) {
		gsize n = strlen(with_words[i]);
		if (strncmp(after, with_words[i], n) != 0)
			continue;
		return !mail_intent_text_starts_with_word(after + n, writer_objects,
		                                          G_N_ELEMENTS(writer_objects));
	}
	return false;
}

/* Whether @after, right after a cue, begins with a refused object. */
static bool
refused_object_follows(const char *after)
{
	after += strspn(after, " ");
	return mail_classify_starts_with_any(after, refused_objects, G_N_ELEMENTS(refused_objects));
}

/* A "pass" is a no when the clause ends after it or goes on with one of
 * these ("I'll pass, thanks", "I'll pass on this", "pero paso por
 * ahora"); otherwise it passes something along ("I'll pass this along to
 * the right team", "vou passar seu contato"). */
static const char *const pass_complements[] = {
        "on ",       "for now",  "this time",      "thanks",    "thank you", "dessa",   "desta",
        "por ahora", "por esta", "por el momento", "por agora", "gracias",   "obrigad",
};

static bool
pass_is_a_no(const char *after)
{
	after += strspn(after, " ");
	return *after == '\0' || strchr(".,!;:\n", *after) != NULL ||
	       mail_classify_starts_with_any(after, pass_complements,
	                                     G_N_ELEMENTS(pass_complements));
}

/* A cue's own "never", in the eight languages. */
static const char *const own_negations[] = {
        "never", "nie habe", "niemals", "jamais", "nunca", "mai ", "nooit", "nigdy",
};

/* Whether the sentence that goes on at @after turns with a "but" and
 * what follows it says no or not now ("spannend, aber vor Ende Q1 wird
 * das nichts. Gerne im April nochmal melden."): the interest before it
 * was a politeness. "I'm interested but my boss decides" keeps it. */
static bool
taken_back_by_but(const char *after)
{
	const char *end = after + strcspn(after, ".!?\n");
	const char *rest = NULL;
	for (gsize i = 0; i < MAIL_INTENT_TEXT_BUT_WORDS_N; i++) {
		const char *at = strstr(after, mail_intent_text_but_words[i]);
		if (at != NULL && at < end && (rest == NULL || at < rest))
			rest = at;
	}
	if (rest == NULL)
		return false;
	for (gsize i = 0; i < mail_intent_n_cues; i++) {
		const MailIntentCue *cue = &mail_intent_cues[i];
		if ((cue->intent == MAIL_INTENT_NOT_INTERESTED ||
		     cue->intent == MAIL_INTENT_LATER) &&
		    mail_intent_sense_find(rest, cue) != NULL)
			return true;
	}
	return false;
}

const char *
mail_intent_sense_find(const char *text, const MailIntentCue *cue)
{
	for (const char *at = strstr(text, cue->phrase); at != NULL;
	     at = strstr(at + 1, cue->phrase)) {
		/* A cue starts a word; "n't ..." ends one ("isn't a fit"). */
		bool contraction = g_str_has_prefix(cue->phrase, "n'");
		if (mail_intent_text_after_word(text, at) &&
		    mail_intent_text_is_word_byte(cue->phrase[0]) && !contraction)
			continue;
		if (mail_intent_sense_counts(text, at, cue))
			return at;
	}
	return NULL;
}

/* Whether @phrase's last word is a word of three letters or less ("no",
 * "al", "on", "nie", "tot", "me") that another word begins at @rest
 * ("nos", "alle", "online"): Italian's "no" going on as "non" and Dutch
 * "mij" as "mijn" are the same words. */
static bool
short_word_goes_on(const char *phrase, const char *rest)
{
	const char *space = strrchr(phrase, ' ');
	if (space == NULL || space == phrase || !mail_intent_text_is_word_byte(rest[0]))
		return false;
	const char *word = space + 1;
	if (*word == '\0' || g_ascii_isdigit(space[-1]) || g_utf8_strlen(word, -1) > 3)
		return false; /* "15 min": "minutes" is meant */
	bool same_word = (strcmp(word, "no") == 0 || strcmp(word, "mij") == 0) && rest[0] == 'n' &&
	                 !mail_intent_text_is_word_byte(rest[1]);
	return !same_word;
}

/* What follows "termin" in the Romance "to end", not in German. */
static const char *const romance_endings[] = {
        "a ", "a,", "a.", "ar", "ado", "ada", "amos", "ó", "ou", "ato", "ata", "are", "ano",
};

/* A hand-off's verbs: "don't contact my colleagues either" is none. */
static const char *const contact_verbs[] = {
        "contact ", "reach out", "write to ", "talk to ", "speak to ", "email ", "ask ",
};
/* A no that says one is content with what one has: "no estamos
 * satisfechos con ..." says the opposite. */
static const char *const content_words[] = {
        "happy with", "zufrieden", "satisf", "content", "soddisfatt", "tevreden", "zadowol",
};

/* Whether @at is inside a link or an address ("prospect.test/unsubscribe",
 * "calendly.com/carol/meeting", "mailto:remove@..."): the words of a
 * path, not the writer's. */
static bool
inside_link(const char *text, const char *at)
{
	for (const char *p = at; p > text && !g_ascii_isspace(p[-1]); p--)
		if (p[-1] == '/' || p[-1] == '@' || p[-1] == ':' || p[-1] == '=')
			return true;
	return false;
}

bool
mail_intent_sense_counts(const char *text, const char *at, const MailIntentCue *cue)
{
	if (inside_link(text, at))
		return false;
	/* A cue is a stem, and some stems begin other words: "a demo", not
	 * "a demora" (Portuguese and Spanish for a delay); German "Termin",
	 * not Spanish, Portuguese and Italian "termina", "terminar" (to
	 * end). */
	const char *rest = at + strlen(cue->phrase);
	if (g_str_has_suffix(cue->phrase, "demo") && rest[0] == 'r')
		return false;
	/* A cue that ends in a short word ends where that word does: "este
	 * año no", not "este año nos interesa"; "hebben al", not "hebben
	 * alle"; "free on", not "free online". */
	if (short_word_goes_on(cue->phrase, rest))
		return false;
	if (g_str_has_suffix(cue->phrase, "termin") &&
	    mail_classify_starts_with_any(rest, romance_endings, G_N_ELEMENTS(romance_endings)))
		return false;
	bool reversible =
	        cue->intent == MAIL_INTENT_INTERESTED || cue->intent == MAIL_INTENT_UNSUBSCRIBE ||
	        cue->intent == MAIL_INTENT_MEETING || cue->weight < 0 ||
	        (cue->intent == MAIL_INTENT_WRONG_PERSON &&
	         mail_classify_starts_with_any(cue->phrase, contact_verbs,
	                                       G_N_ELEMENTS(contact_verbs))) ||
	        (cue->intent == MAIL_INTENT_NOT_INTERESTED &&
	         mail_classify_has_any(cue->phrase, content_words, G_N_ELEMENTS(content_words)));
	/* "je ne vous ai jamais donné mon adresse": a cue that says its own
	 * "never" is not turned by the "ne" its language puts before it. */
	if (reversible &&
	    mail_classify_has_any(cue->phrase, own_negations, G_N_ELEMENTS(own_negations)))
		reversible = false;
	if (reversible && mail_intent_negation_before(text, at))
		return false;
	if ((cue->intent == MAIL_INTENT_INTERESTED || cue->intent == MAIL_INTENT_MEETING) &&
	    refused_object_follows(at + strlen(cue->phrase)))
		return false;
	if (cue->intent == MAIL_INTENT_NOT_INTERESTED &&
	    (g_str_has_suffix(cue->phrase, " pass") || g_str_has_suffix(cue->phrase, " paso") ||
	     g_str_has_suffix(cue->phrase, " passar")) &&
	    !pass_is_a_no(at + strlen(cue->phrase)))
		return false;
	/* "If we're interested, ...", "bei Interesse ...": none said. */
	if (cue->intent == MAIL_INTENT_INTERESTED &&
	    (strstr(cue->phrase, "interes") != NULL || strstr(cue->phrase, "intéres") != NULL ||
	     strstr(cue->phrase, "relevan") != NULL) &&
	    mail_intent_condition_before(text, at))
		return false;
	/* "Try reaching out to me again in Q2": the writer, no one else. */
	if (cue->intent == MAIL_INTENT_WRONG_PERSON && g_str_has_suffix(cue->phrase, " to")) {
		const char *after = at + strlen(cue->phrase);
		after += strspn(after, " ");
		if (mail_intent_text_starts_with_word(after, writer_objects,
		                                      G_N_ELEMENTS(writer_objects)))
			return false;
	}
	/* A politeness taken back by its "but" (what follows is read on
	 * its own). */
	if (cue->intent == MAIL_INTENT_INTERESTED && taken_back_by_but(at + strlen(cue->phrase)))
		return false;
	/* "W pilnych sprawach proszę o kontakt z biuro@...": a contact with
	 * someone else, no "contact me later". */
	if (cue->intent == MAIL_INTENT_LATER && contact_with_follows(at + strlen(cue->phrase)))
		return false;
	if (cue->intent == MAIL_INTENT_UNSUBSCRIBE)
		return mail_intent_stop_counts(text, at, cue->phrase);
	return true;
}
