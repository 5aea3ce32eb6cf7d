#include "mail/mail_intent_text.h"

#include "mail/mail_private.h"

#include <string.h>

const char *const mail_intent_text_but_words[MAIL_INTENT_TEXT_BUT_WORDS_N] = {
        " but ", " aber ", " mais ", " pero ", " ma ", " maar ", ", ale ", " mas ",
};

char *
mail_intent_text_dup_folded(const char *text)
{
	g_autofree char *lower = mail_classify_dup_lower(text, -1);
	GString *out = g_string_sized_new(strlen(lower));
	bool space = false;
	for (const char *p = lower; *p != '\0';) {
		if (g_str_has_prefix(p, "\xe2\x80\x99") || g_str_has_prefix(p, "\xe2\x80\x98")) {
			g_string_append_c(out, '\'');
			p += 3;
			space = false;
			continue;
		}
		if (g_str_has_prefix(p, "\xc2\xa0")) {
			space = true;
			p += 2;
			continue;
		}
		char c = *p++;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = true;
			continue;
		}
		if (c == '*')
			continue;
		if (space && out->len > 0)
			g_string_append_c(out, ' ');
		space = false;
		g_string_append_c(out, c);
	}
	return g_string_free(out, FALSE);
}

bool
mail_intent_text_ends_in_question(const char *at)
{
	const char *end = at + strcspn(at, ".!?");
	return *end == '?';
}

bool
mail_intent_text_has_phrase_at_word(const char *text, const char *const *phrases, gsize n,
                                    bool whole)
{
	for (gsize i = 0; i < n; i++) {
		gsize length = strlen(phrases[i]);
		for (const char *at = strstr(text, phrases[i]); at != NULL;
		     at = strstr(at + 1, phrases[i]))
			if (!mail_intent_text_after_word(text, at) &&
			    !(whole && mail_intent_text_is_word_byte(at[length])))
				return true;
	}
	return false;
}

bool
mail_intent_text_starts_with_word(const char *text, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		gsize length = strlen(words[i]);
		if (strncmp(text, words[i], length) == 0 &&
		    !mail_intent_text_is_word_byte(text[length]))
			return true;
	}
	return false;
}

bool
mail_intent_text_is_bare(const char *text, const char *const *words, gsize n_words)
{
	g_autofree char *copy = g_strdup(text);
	g_strstrip(copy);
	gsize n = strlen(copy);
	while (n > 0 && strchr(".!?", copy[n - 1]))
		copy[--n] = '\0';
	/* Spanish opens its questions and cries: "¿Por qué no?", "¡Sí!" */
	const char *start = copy;
	while (g_str_has_prefix(start, "\xc2\xbf") || g_str_has_prefix(start, "\xc2\xa1"))
		start += 2;
	for (gsize i = 0; i < n_words; i++)
		if (strcmp(start, words[i]) == 0)
			return true;
	return false;
}

guint
mail_intent_text_count_words(const char *text)
{
	guint n = 0;
	for (const char *p = text; *p != '\0'; p++)
		if (mail_intent_text_is_word_byte(*p) &&
		    (p == text || !mail_intent_text_is_word_byte(p[-1])))
			n++;
	return n;
}

bool
mail_intent_text_has_clock_time(const char *text)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p) || (p > text && g_ascii_isalnum(p[-1])))
			continue;
		const char *q = p;
		while (g_ascii_isdigit(*q))
			q++;
		if (q - p > 2)
			continue;
		if (*q == ':' && g_ascii_isdigit(q[1]) && g_ascii_isdigit(q[2]))
			return true;
		/* "alle 15", "a las 11": the hour after its article. */
		if ((p - text >= 5 && strncmp(p - 5, "alle ", 5) == 0) ||
		    (p - text >= 6 && strncmp(p - 6, "a las ", 6) == 0))
			return true;
		if (*q == ' ')
			q++;
		if (g_str_has_prefix(q, "uur") && !g_ascii_isalpha(q[3]))
			return true;
		if (g_str_has_prefix(q, "am") || g_str_has_prefix(q, "pm") ||
		    g_str_has_prefix(q, "uhr") || (q[0] == 'h' && !g_ascii_isalpha(q[1])))
			/* "h" first: after a lone "h" (its next byte may be the
			 * end), q[2] is not there to read. */
			return q[0] == 'h' || q[0] == 'u' || !g_ascii_isalpha(q[2]);
	}
	return false;
}

static const char *const weekdays[] = {
        "monday",    "tuesday",    "wednesday", "thursday",  "friday",  "montag",   "dienstag",
        "mittwoch",  "donnerstag", "freitag",   "lundi",     "mardi",   "mercredi", "jeudi",
        "vendredi",  "lunes",      "martes",    "miércoles", "jueves",  "viernes",  "lunedì",
        "martedì",   "mercoledì",  "giovedì",   "venerdì",   "maandag", "dinsdag",  "woensdag",
        "donderdag", "vrijdag",    "wtorek",    "czwartek",  "piątek",  "segunda",  "terça",
        "quarta",    "quinta",     "sexta",     "tomorrow",  "morgen",  "demain",   "mañana",
        "domani",    "jutro",      "amanhã",
};

/* Polish weekdays by their stems: "w poniedziałek", "w środę". */
static const char *const weekday_stems[] = {"poniedział", "środ"};

/* The part of a day German and Dutch write onto its name:
 * "Mittwochvormittag", "Dienstagnachmittag", "woensdagochtend". */
static const char *const day_parts[] = {
        "vormittag", "nachmittag", "mittag", "abend", "morgen", "ochtend", "middag", "avond",
};

bool
mail_intent_text_names_weekday(const char *text)
{
	for (gsize i = 0; i < G_N_ELEMENTS(weekdays) + G_N_ELEMENTS(weekday_stems); i++) {
		bool stem = i >= G_N_ELEMENTS(weekdays);
		const char *day = stem ? weekday_stems[i - G_N_ELEMENTS(weekdays)] : weekdays[i];
		gsize length = strlen(day);
		for (const char *at = strstr(text, day); at != NULL; at = strstr(at + 1, day)) {
			if (at > text && mail_intent_text_is_word_byte(at[-1]))
				continue;
			if (!stem && mail_intent_text_is_word_byte(at[length]) &&
			    !mail_classify_starts_with_any(at + length, day_parts,
			                                   G_N_ELEMENTS(day_parts)))
				continue;
			if (strcmp(day, "morgen") == 0 && at - text >= 6 &&
			    strncmp(at - 6, "guten ", 6) == 0)
				continue;
			return true;
		}
	}
	return false;
}
