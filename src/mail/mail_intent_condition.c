#include "mail/mail_intent_condition.h"

#include "mail/mail_private.h"

#include <glib.h>
#include <string.h>

/* How far before a cue a condition may open its clause. */
#define CONDITION_REACH 48

typedef struct {
	const char *word;
	/* Words that are also something else right before a verb or an
	 * adjective: Spanish's reflexive "se interesa", German's "als" of
	 * "mehr als interessant", "bei uns ist das Interesse ...". */
	enum { ANY_GAP, WORD_BETWEEN, ADJACENT } gap;
} Condition;

static const Condition conditions[] = {
        {"if ", ANY_GAP},       {"should ", ANY_GAP},      {"in case ", ANY_GAP},
        {"whenever ", ANY_GAP}, {"falls ", ANY_GAP},       {"wenn ", ANY_GAP},
        {"sofern ", ANY_GAP},   {"bei ", ADJACENT},        {"si ", ANY_GAP},
        {"s'il ", ANY_GAP},     {"en cas ", ANY_GAP},      {"en caso ", ANY_GAP},
        {"cuando ", ANY_GAP},   {"se ", WORD_BETWEEN},     {"qualora ", ANY_GAP},
        {"in caso ", ANY_GAP},  {"caso ", ANY_GAP},        {"quando ", ANY_GAP},
        {"als ", WORD_BETWEEN}, {"indien ", ANY_GAP},      {"mocht ", ANY_GAP},
        {"jeśli ", ANY_GAP},    {"jeżeli ", ANY_GAP},      {"gdyby ", ANY_GAP},
        {"w razie ", ANY_GAP},  {"w przypadku ", ANY_GAP},
};

static bool
word_start(const char *text, const char *at)
{
	return at == text || at[-1] == ' ' || at[-1] == '(' || at[-1] == '"';
}

bool
mail_intent_condition_before(const char *text, const char *at)
{
	const char *clause = at;
	while (clause > text && at - clause < CONDITION_REACH && !strchr(".!?;,:", clause[-1]))
		clause--;
	for (const char *p = clause; p < at; p++) {
		if (!word_start(text, p))
			continue;
		for (gsize i = 0; i < G_N_ELEMENTS(conditions); i++) {
			gsize length = strlen(conditions[i].word);
			if (strncmp(p, conditions[i].word, length) != 0)
				continue;
			const char *after = p + length;
			if (after > at)
				continue;
			if (conditions[i].gap == ADJACENT && after != at)
				continue;
			/* ... but Italian's "se interessato" (if interested; the
			 * Spanish reflexive has one s: "se interesa"). */
			if (conditions[i].gap == WORD_BETWEEN && after == at &&
			    !(strcmp(conditions[i].word, "se ") == 0 &&
			      g_str_has_prefix(at, "interess")))
				continue;
			return true;
		}
	}
	return false;
}

/* The writer's promise to get back to us. */
static const char *const promises[] = {
        "we'll contact you",
        "we will contact you",
        "we'll reach out",
        "we will reach out",
        "i'll reach out",
        "i will reach out",
        "we'll get in touch",
        "we will get in touch",
        "i'll get in touch",
        "we'll be in touch",
        "we will be in touch",
        "i'll be in touch",
        "we'll let you know",
        "we will let you know",
        "i'll let you know",
        "we'll get back to you",
        "we will get back to you",
        "i'll get back to you",
        "we'll come back to you",
        "i'll come back to you",
        "wir melden uns",
        "melden wir uns",
        "ich melde mich",
        "melde ich mich",
        "kommen wir auf sie zu",
        "wir kommen auf sie zu",
        "komme ich auf sie zu",
        "ich komme auf sie zu",
        "nous reviendrons vers vous",
        "je reviendrai vers vous",
        "nous vous recontacterons",
        "je vous recontacterai",
        "nous vous contacterons",
        "je vous contacterai",
        "le contactaremos",
        "te contactaremos",
        "los contactaremos",
        "nos pondremos en contacto",
        "me pondré en contacto",
        "le avisaremos",
        "te avisaremos",
        "vi contatteremo",
        "ti contatteremo",
        "la contatteremo",
        "vi ricontatteremo",
        "ci faremo vivi",
        "mi farò vivo",
        "mi farò viva",
        "vi faremo sapere",
        "nemen we contact op",
        "nemen wij contact op",
        "neem ik contact op",
        "we nemen contact op",
        "laten we het weten",
        "laat ik het weten",
        "hoort u van ons",
        "hoor je van ons",
        "odezwiemy się",
        "odezwę się",
        "skontaktujemy się",
        "skontaktuję się",
        "damy znać",
        "dam znać",
        "entraremos em contato",
        "entraremos em contacto",
        "entrarei em contato",
        "retornaremos",
        "avisaremos",
};

/* What the condition is about: a need or an interest of theirs ("if I
 * have questions" is no such condition). */
static const char *const needs[] = {
        "interes", "relevan", "need",     "require", "bedarf",  "brauchen", "besoin",
        "necesit", "bisogno", "necessit", "nodig",   "potrzeb", "precis",
};

bool
mail_intent_condition_promises_if_needed(const char *text)
{
	for (gsize i = 0; i < G_N_ELEMENTS(promises); i++) {
		for (const char *at = strstr(text, promises[i]); at != NULL;
		     at = strstr(at + 1, promises[i])) {
			g_autofree char *sentence = mail_classify_dup_sentence(text, at);
			bool condition = false;
			for (const char *p = sentence; *p != '\0' && !condition; p++)
				for (gsize k = 0; k < G_N_ELEMENTS(conditions) && !condition; k++)
					condition = word_start(sentence, p) &&
					            g_str_has_prefix(p, conditions[k].word);
			if (condition &&
			    mail_classify_has_any(sentence, needs, G_N_ELEMENTS(needs)))
				return true;
		}
	}
	return false;
}
