#include "mail/mail_intent_negation.h"

#include "mail/mail_intent_text.h"
#include "mail/mail_private.h"

#include <glib.h>
#include <string.h>

/* Words that turn a cue around when they stand just before it. */
static const char *const negations[] = {
        "not ",
        "n't ",
        "no ",
        "never ",
        "nicht ",
        "kein ",
        "keine ",
        "pas ",
        "ne ",
        "non ",
        "niet ",
        "geen ",
        "nie ",
        "não ",
        "nao ",
        "sin ",
        "ni ",
        "without ",
        /* "arrêtez de m'envoyer": a stop, no "send me" */
        "arrêtez de ",
        "arrête de ",
        "dejen de ",
        "deje de ",
        "parem de ",
        "pare de ",
        "smettete di ",
        "smetta di ",
};

bool
mail_intent_negation_before(const char *text, const char *at)
{
	gsize before = (gsize)(at - text);
	for (gsize i = 0; i < G_N_ELEMENTS(negations); i++) {
		gsize n = strlen(negations[i]);
		/* "not ", or "not really ": one word may stand between. */
		for (gsize gap = 0; gap <= 12 && gap + n <= before; gap++) {
			const char *from = at - n - gap;
			if (*from != negations[i][0])
				continue;
			bool contraction = negations[i][0] == 'n' && negations[i][1] == '\'';
			if (strncmp(from, negations[i], n) == 0 &&
			    (!mail_intent_text_after_word(text, from) || contraction) &&
			    memchr(from + n, '.', gap) == NULL &&
			    memchr(from + n, ',', gap) == NULL)
				return true;
		}
	}
	return false;
}

/* "not something we're interested in", "non è un argomento che ci
 * interessa", "kein Thema, das uns interessiert": a thing said to be of
 * no interest, then a clause about it that holds the interest word. */
static const char *const refused_things[] = {
        "not something", "not anything", "not a ",     "not an ",   "nothing ", "kein ",
        "keine ",        "keinen ",      "nichts ",    "pas un ",   "pas une ", "pas quelque",
        "rien ",         "no es un",     "no es algo", "nada ",     "non è un", "non è qualc",
        "niente ",       "nulla ",       "geen ",      "niet iets", "niets ",   "nie jest ",
        "nic ",          "não é um",     "não é algo",
};
/* What makes "not a ..." no refusal: "not a bad idea", "not a problem". */
static const char *const litotes[] = {
        "not a bad", "not a problem", "not a big", "not a no", "nothing against",
};
/* The words that open a clause about the thing ("we" of "something we're
 * interested in"; the relative pronouns, after a comma too). */
static const char *const relative_words[] = {
        "which ", "that ", "das ", "die ", "der ",  "den ",  "was ",  "qui ", "que ",
        "dont ",  "che ",  "dat ", "waar", "który", "która", "które", "co ",
};
static const char *const clause_subjects[] = {"we", "i ", "i'", "my ", "our "};
/* "and", "but", a dash: a new clause, whatever came before. */
static const char *const clause_joins[] = {
        " and ", " but ", " so ", " und ",  " aber ", " et ",  " mais ", " y ", " pero ",
        " e ",   " ma ",  " en ", " maar ", " i ",    " ale ", " mas ",  " - ", " – ",
};

/* Where the clause that holds @at begins: after the last stop, line end
 * or comma before it (not a comma before a relative pronoun, "kein
 * Thema, das ..."), at most 80 bytes back. */
static const char *
clause_start(const char *text, const char *at)
{
	const char *limit = at - MIN((gsize)(at - text), (gsize)80);
	for (const char *p = at; p > limit; p--) {
		char c = p[-1];
		if (c == '.' || c == '!' || c == '?' || c == ';' || c == '\n')
			return p;
		if (c == ',' && !mail_classify_starts_with_any(p + strspn(p, " "), relative_words,
		                                               G_N_ELEMENTS(relative_words)))
			return p;
	}
	return limit;
}

bool
mail_intent_negation_refuses_thing_before(const char *text, const char *at)
{
	const char *start = clause_start(text, at);
	g_autofree char *clause = g_strndup(start, (gsize)(at - start));
	for (gsize i = 0; i < G_N_ELEMENTS(refused_things); i++) {
		const char *thing = strstr(clause, refused_things[i]);
		if (thing == NULL || mail_intent_text_after_word(clause, thing) ||
		    mail_classify_starts_with_any(thing, litotes, G_N_ELEMENTS(litotes)))
			continue;
		const char *rest = thing + strlen(refused_things[i]);
		if (mail_classify_has_any(rest, clause_joins, G_N_ELEMENTS(clause_joins)))
			continue;
		for (const char *p = rest; *p != '\0'; p++)
			if (!mail_intent_text_after_word(clause, p) &&
			    (mail_classify_starts_with_any(p, relative_words,
			                                   G_N_ELEMENTS(relative_words)) ||
			     mail_classify_starts_with_any(p, clause_subjects,
			                                   G_N_ELEMENTS(clause_subjects))))
				return true;
	}
	return false;
}
