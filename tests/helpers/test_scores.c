#include "helpers/test_scores.h"

#include <string.h>

typedef struct {
	guint expected; /* true positives + false negatives */
	guint answered; /* true positives + false positives */
	guint right;    /* true positives */
} Counts;

struct TestScores {
	GHashTable *labels; /* char * -> Counts * */
	GPtrArray *order;   /* labels in first-seen order, borrowed from the table */
};

TestScores *
test_scores_new(void)
{
	TestScores *scores = g_new0(TestScores, 1);
	scores->labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	scores->order = g_ptr_array_new();
	return scores;
}

void
test_scores_free(TestScores *scores)
{
	if (scores == NULL)
		return;
	g_ptr_array_unref(scores->order);
	g_hash_table_unref(scores->labels);
	g_free(scores);
}

static Counts *
counts_of(TestScores *scores, const char *label)
{
	Counts *counts = g_hash_table_lookup(scores->labels, label);
	if (counts == NULL) {
		char *key = g_strdup(label);
		counts = g_new0(Counts, 1);
		g_hash_table_insert(scores->labels, key, counts);
		g_ptr_array_add(scores->order, key);
	}
	return counts;
}

void
test_scores_add(TestScores *scores, const char *expected, const char *got)
{
	counts_of(scores, expected)->expected++;
	counts_of(scores, got)->answered++;
	if (strcmp(expected, got) == 0)
		counts_of(scores, got)->right++;
}

guint
test_scores_false(const TestScores *scores, const char *got)
{
	const Counts *counts = g_hash_table_lookup(scores->labels, got);
	return counts != NULL ? counts->answered - counts->right : 0;
}

static double
f1_of(const Counts *c)
{
	double precision = c->answered > 0 ? (double)c->right / c->answered : 0;
	double recall = c->expected > 0 ? (double)c->right / c->expected : 0;
	return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
}

double
test_scores_macro_f1(const TestScores *scores)
{
	double sum = 0;
	guint n = 0;
	for (guint i = 0; i < scores->order->len; i++) {
		const Counts *c = g_hash_table_lookup(scores->labels, scores->order->pdata[i]);
		if (c->expected == 0)
			continue;
		sum += f1_of(c);
		n++;
	}
	return n > 0 ? sum / n : 0;
}

char *
test_scores_table(const TestScores *scores)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < scores->order->len; i++) {
		const char *label = scores->order->pdata[i];
		const Counts *c = g_hash_table_lookup(scores->labels, label);
		g_string_append_printf(
		        out,
		        "  %-15s precision %5.1f %%  recall %5.1f %%  F1 %5.1f  (%u expected)\n",
		        label, c->answered > 0 ? 100.0 * c->right / c->answered : 0,
		        c->expected > 0 ? 100.0 * c->right / c->expected : 0, 100 * f1_of(c),
		        c->expected);
	}
	g_string_append_printf(out, "  macro F1 %.1f\n", 100 * test_scores_macro_f1(scores));
	return g_string_free(out, FALSE);
}
