#include "mail/mail_word_list.h"

#include <string.h>

/* Below this many words, one strstr per word (vectorised in the C
 * library) beats a pass over the text; bench/classify measures it. */
#define INDEX_FROM_WORDS 32

/* Words are found by the two bytes they start with, folded to five bits
 * each: letters stay apart, and a candidate is compared in full anyway. */
#define PAIR_BITS 5
#define N_PAIRS   (1u << (2 * PAIR_BITS))

/* A filter of the words' first three bytes, hashed: most places of a text
 * start no word, and one bit says so before any comparison. */
#define N_TRIGRAM_BITS (1u << 14)

struct MailWordIndex {
	guint8 trigrams[N_TRIGRAM_BITS / 8];
	/* The words starting with pair k are order[start[k] .. start[k + 1]). */
	guint16 start[N_PAIRS + 1];
	guint16 *order;
	gsize *lengths;
	/* Words of one byte, matched by strchr; and whether "" is a word. */
	GString *single_bytes;
	bool has_empty_word;
};

static guint
pair_of(guchar first, guchar second)
{
	guint mask = (1u << PAIR_BITS) - 1;
	return ((first & mask) << PAIR_BITS) | (second & mask);
}

static guint
trigram_of(guchar first, guchar second, guchar third)
{
	return ((guint)first * 0x9e5u ^ (guint)second * 0x3b1u ^ (guint)third * 0x1fu) &
	       (N_TRIGRAM_BITS - 1);
}

static void
set_trigram(MailWordIndex *index, guint bit)
{
	index->trigrams[bit / 8] |= (guint8)(1u << (bit % 8));
}

static bool
has_trigram(const MailWordIndex *index, guint bit)
{
	return (index->trigrams[bit / 8] & (1u << (bit % 8))) != 0;
}

static MailWordIndex *
index_new(const MailWordList *list)
{
	g_assert(list->n < G_MAXUINT16);
	MailWordIndex *index = g_new0(MailWordIndex, 1);
	index->order = g_new(guint16, list->n);
	index->lengths = g_new(gsize, list->n);
	index->single_bytes = g_string_new(NULL);
	guint counts[N_PAIRS] = {0};
	for (gsize i = 0; i < list->n; i++) {
		const guchar *word = (const guchar *)list->words[i];
		index->lengths[i] = strlen(list->words[i]);
		if (index->lengths[i] == 0) {
			index->has_empty_word = true;
			continue;
		}
		if (index->lengths[i] == 1) {
			g_string_append_c(index->single_bytes, (char)word[0]);
			continue;
		}
		counts[pair_of(word[0], word[1])]++;
		/* A word of two bytes starts a match whatever byte follows. */
		if (index->lengths[i] == 2)
			for (guint third = 0; third < 256; third++)
				set_trigram(index, trigram_of(word[0], word[1], (guchar)third));
		else
			set_trigram(index, trigram_of(word[0], word[1], word[2]));
	}
	guint at = 0;
	for (guint k = 0; k < N_PAIRS; k++) {
		index->start[k] = (guint16)at;
		at += counts[k];
	}
	index->start[N_PAIRS] = (guint16)at;
	guint filled[N_PAIRS] = {0};
	for (gsize i = 0; i < list->n; i++) {
		const guchar *word = (const guchar *)list->words[i];
		if (index->lengths[i] < 2)
			continue;
		guint k = pair_of(word[0], word[1]);
		index->order[index->start[k] + filled[k]++] = (guint16)i;
	}
	return index;
}

static const MailWordIndex *
index_of(const MailWordList *list)
{
	if (g_once_init_enter(list->index)) {
		MailWordIndex *built = index_new(list);
		g_once_init_leave(list->index, built);
	}
	return *list->index;
}

/* Whether @word (of @length bytes) starts at @p; the text's NUL stops a
 * comparison as any other difference does. */
static bool
starts_with(const guchar *p, const char *word, gsize length)
{
	for (gsize i = 0; i < length; i++)
		if (p[i] != (guchar)word[i])
			return false;
	return true;
}

static bool
index_finds(const MailWordList *list, const MailWordIndex *index, const char *text)
{
	if (index->has_empty_word)
		return true;
	for (gsize i = 0; i < index->single_bytes->len; i++)
		if (strchr(text, index->single_bytes->str[i]) != NULL)
			return true;
	const guchar *p = (const guchar *)text;
	if (p[0] == '\0')
		return false;
	/* p[2] is read only while p[1] is not the end. */
	for (; p[1] != '\0'; p++) {
		if (!has_trigram(index, trigram_of(p[0], p[1], p[2])))
			continue;
		guint k = pair_of(p[0], p[1]);
		for (guint j = index->start[k]; j < index->start[k + 1]; j++) {
			guint16 w = index->order[j];
			if (starts_with(p, list->words[w], index->lengths[w]))
				return true;
		}
	}
	return false;
}

bool
mail_word_list_in(const MailWordList *list, const char *text)
{
	if (list->n >= INDEX_FROM_WORDS)
		return index_finds(list, index_of(list), text);
	for (gsize i = 0; i < list->n; i++)
		if (strstr(text, list->words[i]) != NULL)
			return true;
	return false;
}

void
mail_word_list_drop_index(const MailWordList *list)
{
	MailWordIndex *index = *list->index;
	if (index == NULL)
		return;
	*list->index = NULL;
	g_free(index->order);
	g_free(index->lengths);
	g_string_free(index->single_bytes, TRUE);
	g_free(index);
}
