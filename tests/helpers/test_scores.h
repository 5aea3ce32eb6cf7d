/*
 * test_scores: precision, recall and F1 per label from (expected, got)
 * pairs, for the corpus test, the intent test and bench/classify alike.
 */
#pragma once

#include <glib.h>

typedef struct TestScores TestScores;

TestScores *test_scores_new(void);
void test_scores_free(TestScores *scores);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestScores, test_scores_free)

void test_scores_add(TestScores *scores, const char *expected, const char *got);

/* How many times @got was answered where something else was expected. */
guint test_scores_false(const TestScores *scores, const char *got);

/* The mean F1 over every label expected at least once, 0 to 1. */
double test_scores_macro_f1(const TestScores *scores);

/* One line per label, "label  precision P  recall R  F1 F  (n)", then the
 * macro F1; newly allocated. */
char *test_scores_table(const TestScores *scores);
