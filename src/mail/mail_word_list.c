#include "mail/mail_word_list.h"

#include <string.h>

/* Below this many words, one strstr per word (vectorised in the C
 * library) beats a pass over the text; bench/classify measures it. */
#define INDEX_FROM_WORDS 32

/* Words are found by the two bytes they start with, folded to five bits
 * each: letters stay apart, and a candidate is compared in full anyway. */
#define PAIR_BITS 5
#define N_PAIRS   (1u << (2 * PAIR_BITS))

struct MailWordIndex {
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
		if (index->lengths[i] == 0)
			index->has_empty_word = true;
		else if (index->lengths[i] == 1)
			g_string_append_c(index->single_bytes, (char)word[0]);
		else
			counts[pair_of(word[0], word[1])]++;
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

static bool
index_finds(const MailWordList *list, const MailWordIndex *index, const char *text)
{
	if (index->has_empty_word)
		return true;
	for (gsize i = 0; i < index->single_bytes->len; i++)
		if (strchr(text, index->single_bytes->str[i]) != NULL)
			return true;
	for (const guchar *p = (const guchar *)text; p[0] != '\0'; p++) {
		guint k = pair_of(p[0], p[1]);
		for (guint j = index->start[k]; j < index->start[k + 1]; j++) {
			guint16 w = index->order[j];
			if (strncmp((const char *)p, list->words[w], index->lengths[w]) == 0)
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
