/*
 * The search for any of a list's words: the same answer as strstr on
 * each word, for long lists (indexed) and short ones, words of one byte,
 * the empty word, words at the very end of the text and UTF-8 bytes; the
 * index built once when several threads search at the same time.
 */
#include "mail/mail_word_list.h"

#include <string.h>

static bool
strstr_finds(const char *const *words, gsize n, const char *text)
{
	for (gsize i = 0; i < n; i++)
		if (strstr(text, words[i]) != NULL)
			return true;
	return false;
}

/* Pieces small enough that random words and texts often meet. */
static const char *const pieces[] = {"a",  "b",  "ab",           " ", "é", "ü",
                                     "th", "e ", "\xe2\x80\x99", "z"};

static char *
random_string(GRand *rand, guint max_pieces)
{
	GString *s = g_string_new(NULL);
	guint n = (guint)g_rand_int_range(rand, 0, (gint32)max_pieces + 1);
	for (guint i = 0; i < n; i++)
		g_string_append(s, pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))]);
	return g_string_free(s, FALSE);
}

static void
check_lists_of(guint n_words)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(20261205 + n_words);
	for (guint round = 0; round < 200; round++) {
		g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; i < n_words; i++) {
			char *word = random_string(rand, 4);
			/* The empty word is its own case below. */
			if (word[0] == '\0') {
				g_free(word);
				word = g_strdup("ba");
			}
			g_ptr_array_add(words, word);
		}
		MailWordIndex *slot = NULL;
		const MailWordList list = {(const char *const *)words->pdata, words->len, &slot};
		for (guint t = 0; t < 50; t++) {
			g_autofree char *text = random_string(rand, 12);
			g_assert_cmpint(mail_word_list_in(&list, text), ==,
			                strstr_finds(list.words, list.n, text));
		}
		mail_word_list_drop_index(&list);
	}
}

static void
test_same_as_strstr(void)
{
	check_lists_of(3);
	check_lists_of(31);
	check_lists_of(32);
	check_lists_of(120);
}

static const char *const long_words[] = {
        "out of the office",
        "on leave",
        "vacation",
        "abwesend",
        "congé",
        "x",
        "ferie",
        "ausente",
        "assente",
        "afwezig",
        "nieobecn",
        "holiday",
        "away until",
        "back on",
        "return on",
        "annual leave",
        "maternity",
        "paternity",
        "sick",
        "travelling",
        "conference",
        "business trip",
        "limited access",
        "no access",
        "jusqu'au",
        "bis zum",
        "hasta el",
        "fino al",
        "tot en met",
        "do dnia",
        "até",
        "urlaub",
        "zurück",
};
static const MailWordList long_list = MAIL_WORD_LIST(long_words);

static void
test_edges(void)
{
	g_assert_cmpuint(long_list.n, >=, 32);
	/* A word at the very end, a word of one byte, none at all. */
	g_assert_true(mail_word_list_in(&long_list, "i am back on"));
	g_assert_true(mail_word_list_in(&long_list, "box"));
	g_assert_true(mail_word_list_in(&long_list, "je suis en congé"));
	g_assert_false(mail_word_list_in(&long_list, "we should meet on tuesday"));
	g_assert_false(mail_word_list_in(&long_list, ""));
	/* A word longer than what is left of the text. */
	g_assert_false(mail_word_list_in(&long_list, "out of the offic"));

	const char *with_empty[40];
	for (gsize i = 0; i < G_N_ELEMENTS(with_empty); i++)
		with_empty[i] = "never here";
	with_empty[17] = "";
	MailWordIndex *slot = NULL;
	const MailWordList list = {with_empty, G_N_ELEMENTS(with_empty), &slot};
	g_assert_true(mail_word_list_in(&list, ""));
	g_assert_true(mail_word_list_in(&list, "anything"));
	mail_word_list_drop_index(&list);
	g_assert_null(slot);
}

static const char *const shared_words[] = {
        "alpha",   "bravo", "charlie", "delta",  "echo",     "foxtrot", "golf",   "hotel",  "india",
        "juliett", "kilo",  "lima",    "mike",   "november", "oscar",   "papa",   "quebec", "romeo",
        "sierra",  "tango", "uniform", "victor", "whiskey",  "xray",    "yankee", "zulu",   "one",
        "two",     "three", "four",    "five",   "six",      "seven",
};
static const MailWordList shared_list = MAIL_WORD_LIST(shared_words);

static gpointer
search_many_times(gpointer data)
{
	(void)data;
	guint found = 0;
	for (guint i = 0; i < 1000; i++)
		found += mail_word_list_in(&shared_list,
		                           i % 2 == 0 ? "say hello to the zulu" : "nothing");
	return GUINT_TO_POINTER(found);
}

static void
test_threads_share_one_index(void)
{
	GThread *threads[4];
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("search", search_many_times, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_assert_cmpuint(GPOINTER_TO_UINT(g_thread_join(threads[i])), ==, 500);
	g_assert_nonnull(*shared_list.index);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/word_list/same_as_strstr", test_same_as_strstr);
	g_test_add_func("/mail/word_list/edges", test_edges);
	g_test_add_func("/mail/word_list/threads_share_one_index", test_threads_share_one_index);
	return g_test_run();
}
