/*
 * mail_intent_text: what the reply-intent reader asks of a text (folded:
 * lower case, single spaces, plain apostrophes): where words begin and
 * end, how many there are, whether a text is one of a few words alone,
 * whether it names a day or a time. Pure functions; shared by the
 * mail_intent_* files alone.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Lower case, white space folded to single spaces, typographic
 * apostrophes made plain, "*" of bold text dropped. */
char *mail_intent_text_dup_folded(const char *text);

/* Whether @c is a byte of a word: a letter, a digit or any byte of a
 * multi-byte character. Inline, as the next one: both are asked of every
 * byte of a reply. */
static inline bool
mail_intent_text_is_word_byte(char c)
{
	return g_ascii_isalnum(c) || (unsigned char)c >= 0x80;
}

/* Whether the character before @at (in @text) is a letter or a digit: not
 * so after "¿", "¡", "«" or a curly quote, which are no word's ("¿Podemos
 * hablar?"). */
static inline bool
mail_intent_text_after_word(const char *text, const char *at)
{
	if (at == text)
		return false;
	if ((unsigned char)at[-1] < 0x80)
		return g_ascii_isalnum(at[-1]);
	const char *previous = g_utf8_find_prev_char(text, at);
	if (previous == NULL)
		return true;
	gunichar c = g_utf8_get_char_validated(previous, at - previous);
	if (c == (gunichar)-1 || c == (gunichar)-2)
		return true;
	return g_unichar_isalnum(c) || g_unichar_ismark(c);
}

/* Whether the sentence holding @at ends in a question mark. */
bool mail_intent_text_ends_in_question(const char *at);

/* Whether @text has one of the @n @phrases at the start of a word and,
 * with @whole, ending one: "our emails", not the end of "your emails";
 * "de nous", not "de nouveau"; the stem "nächst" in "nächstes Jahr". */
bool mail_intent_text_has_phrase_at_word(const char *text, const char *const *phrases, gsize n,
                                         bool whole);

/* Whether @text begins with one of the @n @words as a whole word ("them",
 * not "themes"). */
bool mail_intent_text_starts_with_word(const char *text, const char *const *words, gsize n);

/* Whether @text, trimmed of punctuation, is one of @words. */
bool mail_intent_text_is_bare(const char *text, const char *const *words, gsize n_words);

/* The words of @text: runs of word bytes. */
guint mail_intent_text_count_words(const char *text);

/* "3pm", "15:30", "10 uhr", "14h": a time of day is a meeting signal. */
bool mail_intent_text_has_clock_time(const char *text);

/* Whether @text names a day as a whole word ("quarta", not "Quartal";
 * "morgen", not "Guten Morgen"), or with a part of the day written onto
 * it ("Mittwochvormittag"). */
bool mail_intent_text_names_weekday(const char *text);

/* A "but" with its spaces, in the eight languages (Polish's only after
 * its comma: "ma" is also its "has"): MAIL_INTENT_TEXT_BUT_WORDS_N of
 * them. */
extern const char *const mail_intent_text_but_words[];
#define MAIL_INTENT_TEXT_BUT_WORDS_N 8
