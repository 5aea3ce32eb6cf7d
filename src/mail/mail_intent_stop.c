#include "mail/mail_intent_stop.h"

#include "mail/mail_intent_letter.h"
#include "mail/mail_intent_text.h"
#include "mail/mail_private.h"
#include "mail/mail_referral.h"

#include <string.h>

/* A sentence with these is a footer or a question about a link, not a
 * request: "To unsubscribe from our newsletter, click here". */
static const char *const footer_words[] = {
        "click",
        "http",
        "link",
        "if you no longer",
        "if you wish",
        "you can unsubscribe",
        "preferences",
        /* ours, not "your newsletter" a person asks to leave */
        "this newsletter",
        " our newsletter",
        "diesen newsletter",
        "dieses newsletters",
        "unseren newsletter",
        "unserem newsletter",
        "cette newsletter",
        "notre newsletter",
        "esta newsletter",
        "nuestra newsletter",
        "questa newsletter",
        "la nostra newsletter",
        "deze nieuwsbrief",
        "onze nieuwsbrief",
        "tego newslettera",
        "nossa newsletter",
        "klicken",
        "cliquez",
        "haga clic",
        "fai clic",
        "klik",
        "kliknij",
        "clique",
        /* a footer's offer: "To stop receiving these emails, unsubscribe
         * at any time." */
        "at any time",
        "anytime",
        "jederzeit",
        "à tout moment",
        "en cualquier momento",
        "in qualsiasi momento",
        "op elk moment",
        "w każdej chwili",
        "a qualquer momento",
        "you are receiving",
        "you're receiving",
        "you received this",
        "to stop receiving",
        "www.",
        /* "Abmelden: Antworten Sie mit ABMELDEN im Betreff." */
        "reply with",
        "antworten sie mit",
        "répondez stop",
        "répondez \"stop",
        "responda con",
        "rispondi con",
        "antwoord met",
        "odpowiedz ",
        "responda com",
        /* a disclaimer's "Unsubscribe: reply STOP" */
        "reply stop",
        "reply \"stop",
        "reply 'stop",
        /* a sender's own opt-out line, unquoted: "If you'd like me to
         * stop, reply unsubscribe." */
        "reply unsubscribe",
        "reply \"unsubscribe",
        "reply 'unsubscribe",
        "reply remove",
        "reply \"remove",
        "reply 'remove",
        "if you want me to stop",
        "if you'd like me to stop",
        "if you would like me to stop",
        "if you'd prefer not to hear",
        "if you would prefer not to hear",
        "if you'd rather not hear",
};
static const MailWordList footer_words_list = MAIL_WORD_LIST(footer_words);

/* Whether @sentence names a web address without its scheme
 * ("unsubscribe from job alerts at acme.example/jobs"): a name with a dot,
 * then a slash. */
static bool
names_web_path(const char *sentence)
{
	for (const char *slash = strchr(sentence, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		const char *start = slash;
		while (start > sentence && start[-1] != ' ' && start[-1] != '\n')
			start--;
		const char *dot = memchr(start, '.', (gsize)(slash - start));
		if (dot != NULL && dot > start && g_ascii_isalpha(dot[-1]) &&
		    g_ascii_isalpha(dot[1]))
			return true;
	}
	return false;
}

/* A question with an opt-out word in it is about how opt-outs work when
 * it speaks of others or of our product ("Does your tool let our
 * customers unsubscribe?", "How do you handle opt-outs for our
 * contacts?"): no request of the writer's. */
static const char *const others_and_product_words[] = {
        "customers",      "clients",       "contacts",     "recipients",    "subscribers",
        "users",          "your tool",     "your product", "your platform", "your software",
        "your system",    "your service",  "tools",        "how do you",    "do you handle",
        "is there a way", "kunden",        "kontakte",     "empfänger",     "abonnenten",
        "clientes",       "contactos",     "clienti",      "contatti",      "klanten",
        "klientów",       "kontaktów",     "contatos",     "destinataires", "destinatarios",
        "destinatari",    "destinatários", "ontvangers",   "odbiorcy",      "does your",
        "do your",        "can your",
};
static const MailWordList others_and_product_words_list = MAIL_WORD_LIST(others_and_product_words);

/* A stop that is about one conversation's copies, not about us ("take me
 * off the CC", "remove me from this thread"): no opt-out. */
static const char *const conversation_words[] = {
        " cc ",        " cc,",       " cc.",       "the cc",      "cc list",
        "this thread", "the thread", "this chain", "email chain", "this conversation",
        " in copie",   "en copie",   "in kopie",   "in cc",       "aus dem cc",
};

/* Words right after a stop cue that turn it into something else ("no more
 * emails needed, let's talk"). */
static const char *const not_wanted_words[] = {
        "needed",
        "necessary",
        "required",
        "nötig",
        "notwendig",
        "nécessaire",
        "necesario",
        "necessari",
        "nodig",
        "potrzebne",
        "necessário",
        /* "take me off the hook": the idiom, no list */
        "the hook",
};

/* Nouns after a stop word that make it a thing spoken of, not a request:
 * "opt-out rates are our problem", "our unsubscribe handling". (Not a link
 * or a button: "your unsubscribe link is broken" is said by someone who
 * tried to leave.) */
static const char *const stop_as_thing[] = {
        "rate",      "rates",   "process",    "handling",   "request", "requests",
        "option",    "options", "management", "form",       "page",    "feature",
        "features",  "header",  "headers",    "compliance", "rules",   "flow",
        "mechanism", "footer",  "mechanisms", "laws",
};

/* The same nouns before the stop word, where the Romance languages put
 * them: "taux de désinscription", "tasa de bajas". */
static const char *const thing_of_stop[] = {
        "taux de ",
        "tasa de ",
        "tasso di ",
        "taxa de ",
};

/* Who did it, before a stop word in the past ("we unsubscribed from every
 * tool last year"): a story, not a request ("I'd like to be
 * unsubscribed" is one). */
static const char *const narrators[] = {
        "i ",
        "we ",
        "they ",
        "i've ",
        "we've ",
        "they've ",
        "i have ",
        "we have ",
        "they have ",
        "already ",
        "i had ",
        "we had ",
        "just ",
        /* "why do I keep getting unsubscribed": it happens to them */
        "getting ",
        "got ",
        "been ",
};

/* A stop from another list of ours than the one written from ("how do I
 * unsubscribe from your other newsletter?"): not from these mails. */
static const char *const other_lists[] = {
        "from your other",
        "from the other",
        "from another",
        /* our own tool left: "se désabonner de notre ancien outil" */
        "from our",
        "de notre",
        "de nuestro",
        "de nuestra",
        "von unserem",
        "von unserer",
        "dal nostro",
        "dalla nostra",
        "van onze",
        "z naszego",
        "do nosso",
        "da nossa",
};

/* Whom a stop word is about when they follow it ("we already unsubscribe
 * people who ask"): others in general, no request of the writer's. */
static const char *const generic_others[] = {
        "people",  "them",        "users",      "contacts", "customers",
        "clients", "subscribers", "recipients", "leads",    "prospects",
};

/* A subject or a body that is nothing but one of these asks to stop. */
static const char *const bare_stop_words[] = {
        "unsubscribe",   "remove",         "stop",           "remove me",     "abmelden",
        "austragen",     "désabonner",     "désinscrire",    "baja",          "cancellami",
        "cancellazione", "afmelden",       "uitschrijven",   "wypisz",        "descadastrar",
        "remover",       "stopp",          "please stop",    "stop please",   "stop it",
        "aufhören",      "bitte aufhören", "arrêtez",        "basta",         "parem",
        "przestańcie",   "unsub",          "désinscription", "désabonnement", "abmeldung",
        "uitschrijving", "wypisanie",      "descadastro",
};

/* Who a request to stop names, when it is not the writer: "unsubscribe my
 * colleague", "unsubscribe bob@corp.example" (not "unsubscribe her": an
 * assistant's words about the person we wrote to). */
static const char *const third_parties[] = {
        "my colleague",       "my coworker",        "my co-worker",   "my boss",
        "my predecessor",     "meinen kollegen",    "meine kollegin", "mon collègue",
        "ma collègue",        "mi compañero",       "mi compañera",   "il mio collega",
        "la mia collega",     "mijn collega",       "mojego kolegę",  "moją koleżankę",
        "meu colega",         "minha colega",       "other people",   "others",
        "someone else",       "somebody else",      "my colleagues",  "andere personen",
        "andere mitarbeiter", "d'autres personnes", "otras personas", "altre persone",
        "andere mensen",      "inne osoby",         "outras pessoas",
};

bool
mail_intent_stop_is_about_someone_else(const char *after, const char *sender)
{
	while (*after == ' ')
		after++;
	if (mail_intent_text_starts_with_word(after, third_parties, G_N_ELEMENTS(third_parties)))
		return true;
	gsize word = strcspn(after, " ,;:!?<>()");
	while (word > 0 && after[word - 1] == '.')
		word--;
	if (memchr(after, '@', word) == NULL)
		return false;
	return sender == NULL || strlen(sender) != word ||
	       g_ascii_strncasecmp(after, sender, word) != 0;
}

/* Verbs of a request to take someone off a list, when what follows
 * them is another person ("remove my colleague bob@x, he left"): that
 * address is no one to write to instead. */
static const char *const removal_verbs[] = {
        "remove ",    "delete ",    "take ",    "drop ",    "entfernen sie ", "löschen sie ",
        "retirez ",   "supprimez ", "elimina ", "quita ",   "rimuovete ",     "cancellate ",
        "verwijder ", "usuńcie ",   "remova ",  "removam ",
};

bool
mail_intent_stop_asks_to_remove_another(const char *text, const char *sender)
{
	for (gsize i = 0; i < G_N_ELEMENTS(removal_verbs); i++) {
		gsize n = strlen(removal_verbs[i]);
		for (const char *at = strstr(text, removal_verbs[i]); at != NULL;
		     at = strstr(at + 1, removal_verbs[i]))
			if (!mail_intent_text_after_word(text, at) &&
			    mail_intent_stop_is_about_someone_else(at + n, sender))
				return true;
	}
	return false;
}

bool
mail_intent_stop_is_bare(const char *text)
{
	return mail_intent_text_is_bare(text, bare_stop_words, G_N_ELEMENTS(bare_stop_words));
}

bool
mail_intent_stop_first_line_is_bare(const char *text)
{
	const char *start = text + strspn(text, " \t\r\n");
	const char *end = strchr(start, '\n');
	g_autofree char *line = end != NULL ? g_strndup(start, (gsize)(end - start)) : NULL;
	if (line == NULL)
		return false;
	g_autofree char *folded = mail_intent_text_dup_folded(line);
	return mail_intent_stop_is_bare(folded) &&
	       mail_intent_text_count_words(end) <= MAIL_INTENT_LETTER_NAME_WORDS;
}

bool
mail_intent_stop_last_sentence_is_bare(const char *body)
{
	gsize n = strlen(body);
	while (n > 0 && strchr(".!? ", body[n - 1]) != NULL)
		n--;
	const char *start = body + n;
	while (start > body && strchr(".!?", start[-1]) == NULL)
		start--;
	if (start == body)
		return false;
	g_autofree char *sentence = g_strndup(start, (gsize)(body + n - start));
	return mail_intent_stop_is_bare(sentence);
}

/* Words right before a stop that tell it as just done, in the words
 * that do not change the verb: "acabamos de dar de baja nuestra
 * suscripción a otra herramienta", "venons de nous désabonner". */
static const char *const just_done[] = {
        "acabamos de ", "acabo de ",    "acaba de ",      "venons de nous ",
        "viens de me ", "vient de se ", "vient de nous ",
};

/* Whether a narrator stands right before @at ("we unsubscribed"). */
static bool
told_in_the_past(const char *text, const char *at)
{
	const char *narrator =
	        mail_classify_word_before(text, at, narrators, G_N_ELEMENTS(narrators));
	return narrator != NULL && !mail_intent_text_after_word(text, at - strlen(narrator));
}

/* Others who would do it, right before a stop word: "an easy way for
 * customers to opt out", "so that users can unsubscribe", "damit Kunden
 * sich abmelden": a question about the product, no opt-out. */
static const char *const other_actors[] = {
        "customers to ",    "users to ",        "clients to ",     "subscribers to ",
        "recipients to ",   "contacts to ",     "members to ",     "readers to ",
        "people to ",       "them to ",         "customers can ",  "users can ",
        "clients can ",     "subscribers can ", "recipients can ", "people can ",
        "let customers ",   "let users ",       "lets customers ", "lets users ",
        "kunden sich ",     "nutzer sich ",     "clients de se ",  "clientes se ",
        "clientes puedan ", "utenti di ",       "klanten zich ",   "klienci mogli się ",
};

static bool
others_act(const char *text, const char *at)
{
	return mail_classify_word_before(text, at, other_actors, G_N_ELEMENTS(other_actors)) !=
	       NULL;
}

/* Words at most in a footer's answer to its own question ("Klik hier."). */
#define FOOTER_ANSWER_WORDS 6

/* "At this address", "instead": a stop of one address, for another. */
static const char *const this_address_words[] = {
        "this address",
        "this email address",
        "this e-mail address",
        "diese adresse",
        "diese e-mail-adresse",
        "cette adresse",
        "esta dirección",
        "questo indirizzo",
        "dit adres",
        "dit e-mailadres",
        "ten adres",
        "este endereço",
        /* "remove me and add my colleague x@y instead": one for another */
        "instead",
        "stattdessen",
        "à la place",
        "en su lugar",
        "en mi lugar",
        "al mio posto",
        "invece",
        "in plaats daarvan",
        "in mijn plaats",
        "zamiast mnie",
        "em vez de mim",
        "no meu lugar",
};

bool
mail_intent_stop_of_one_address(const char *text, const char *at, const char *sender)
{
	g_autofree char *sentence = mail_classify_dup_sentence(text, at);
	if (!mail_classify_has_any(sentence, this_address_words, G_N_ELEMENTS(this_address_words)))
		return false;
	g_autofree char *other = mail_referral_find(text, sender);
	return other != NULL;
}

/* Whether a plural's ending follows a word's stem at @after, and the word
 * ends there: "unsubscribe|s", "désinscription|s", "abmeldung|en",
 * "afmelding|en", "baja|s", "descadastro|s". */
static bool
plural_follows(const char *after)
{
	static const char *const endings[] = {"s", "es", "en", "n", "y", "i"};
	for (gsize i = 0; i < G_N_ELEMENTS(endings); i++) {
		gsize n = strlen(endings[i]);
		if (strncmp(after, endings[i], n) == 0 && !g_ascii_isalpha(after[n]) &&
		    (guchar)after[n] < 0x80)
			return true;
	}
	return false;
}

/* What a request to erase says it wants done. */
static const char *const erasure_verbs[] = {"delete", "erase", "remove", "purge", "wipe"};

bool
mail_intent_stop_counts(const char *text, const char *at, const char *phrase)
{
	if (others_act(text, at))
		return false;
	g_autofree char *sentence = mail_classify_dup_sentence(text, at);
	/* A footer's "To unsubscribe from ..., ..." begins its sentence;
	 * "I want to unsubscribe from all your emails" is a request. */
	const char *opening = sentence + strspn(sentence, " \t\r\n");
	/* "Votre outil gère-t-il les désinscriptions ?": the process
	 * asked about, no request. */
	const char *stop = strpbrk(at, ".!?\n");
	if (stop != NULL && *stop == '?' && plural_follows(at + strlen(phrase)))
		return false;
	/* A footer's question and its answer: "Afmelden voor de
	 * nieuwsbrief? Klik hier." */
	if (stop != NULL && *stop == '?') {
		const char *next = stop + 1 + strspn(stop + 1, " ");
		const char *next_end = mail_classify_sentence_end(next, false);
		g_autofree char *answer = g_strndup(next, (gsize)(next_end - next));
		if (mail_intent_text_count_words(answer) <= FOOTER_ANSWER_WORDS &&
		    mail_word_list_in(&footer_words_list, answer))
			return false;
	}
	/* "the data you hold about me" is an erasure only beside its
	 * verb: "tell me what data you hold about me" asks for a copy. */
	if (g_str_has_prefix(phrase, "data you") &&
	    !mail_classify_has_any(sentence, erasure_verbs, G_N_ELEMENTS(erasure_verbs)))
		return false;
	if (g_str_has_prefix(opening, "to unsubscribe") ||
	    mail_word_list_in(&footer_words_list, sentence) || names_web_path(sentence) ||
	    mail_intent_letter_speaks_as_sender(sentence) ||
	    mail_classify_has_any(sentence, conversation_words, G_N_ELEMENTS(conversation_words)))
		return false;
	const char *after = at + strlen(phrase);
	if (after[0] == 'd' && !mail_intent_text_is_word_byte(after[1]) &&
	    told_in_the_past(text, at))
		return false;
	if (mail_classify_word_before(text, at, just_done, G_N_ELEMENTS(just_done)) != NULL)
		return false;
	/* "... von Ihrem Newsletter abgemeldet": German's past, told. */
	if (g_str_has_prefix(after, "gemeldet"))
		return false;
	after += strspn(after, " ");
	if (mail_intent_text_starts_with_word(after, stop_as_thing, G_N_ELEMENTS(stop_as_thing)) ||
	    mail_classify_word_before(text, at, thing_of_stop, G_N_ELEMENTS(thing_of_stop)) != NULL)
		return false;
	for (gsize i = 0; i < G_N_ELEMENTS(not_wanted_words); i++)
		if (g_str_has_prefix(after, not_wanted_words[i]))
			return false;
	if (mail_classify_starts_with_any(after, other_lists, G_N_ELEMENTS(other_lists)))
		return false;
	if (mail_intent_text_starts_with_word(after, generic_others, G_N_ELEMENTS(generic_others)))
		return false;
	if (mail_intent_text_ends_in_question(at) &&
	    mail_word_list_in(&others_and_product_words_list, sentence))
		return false;
	return true;
}
