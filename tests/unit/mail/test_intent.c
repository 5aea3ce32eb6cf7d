/*
 * Reply intent on the labelled set (tests/data/intent/replies.jsonl: 300
 * and more replies in eight languages, each dated 2 December 2026): per
 * intent precision and recall are printed; the test fails on any reply
 * wrongly read as "unsubscribe" (it blacklists a person), on a macro F1
 * under 90, and on a wrong date or referral where the intent is right.
 * A cue is in the table once for its intent: twice, it would weigh double.
 */
#include "helpers/test_scores.h"
#include "mail/mail_intent.h"
#include "mail/mail_intent_cues.h"
#include "mail/mail_reply_text.h"

#include <jansson.h>
#include <string.h>

static void
test_labelled_set(void)
{
	g_autofree char *path =
	        g_test_build_filename(G_TEST_DIST, "data", "intent", "replies.jsonl", NULL);
	g_autofree char *data = NULL;
	g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
	g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
	g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 12, 2, 10, 0, 0);
	g_autoptr(TestScores) scores = test_scores_new();
	g_autoptr(GString) wrong = g_string_new(NULL);
	guint n = 0, details_wrong = 0;
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '\0')
			continue;
		json_error_t error;
		json_t *entry = json_loads(lines[i], 0, &error);
		g_assert_nonnull(entry);
		const char *text = json_string_value(json_object_get(entry, "text"));
		const char *want = json_string_value(json_object_get(entry, "intent"));
		const char *date = json_string_value(json_object_get(entry, "date"));
		const char *referral = json_string_value(json_object_get(entry, "referral"));
		g_autofree char *reply = mail_reply_text_extract(text);
		g_autoptr(MailIntentResult) got =
		        mail_intent_read(reply, "Re: Quick question", "carol@prospect.test", sent);
		const char *name = mail_intent_to_string(got->intent);
		test_scores_add(scores, want, name);
		if (strcmp(want, name) != 0)
			g_string_append_printf(wrong, "  %s as %s: %s\n", want, name, reply);
		else if (g_strcmp0(date, got->date) != 0 ||
		         g_strcmp0(referral, got->referral) != 0) {
			g_string_append_printf(wrong, "  %s: date %s referral %s: %s\n", want,
			                       got->date ? got->date : "-",
			                       got->referral ? got->referral : "-", reply);
			details_wrong++;
		}
		json_decref(entry);
		n++;
	}
	g_autofree char *table = test_scores_table(scores);
	g_test_message("%u replies:\n%s%s", n, table, wrong->str);
	g_assert_cmpuint(n, >=, 300);
	g_assert_cmpuint(test_scores_false(scores, "unsubscribe"), ==, 0);
	g_assert_cmpfloat(test_scores_macro_f1(scores), >=, 0.90);
	g_assert_cmpuint(details_wrong, ==, 0);
}

static void
test_cues_once(void)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (gsize i = 0; i < mail_intent_n_cues; i++) {
		char *key = g_strdup_printf("%d %s", mail_intent_cues[i].intent,
		                            mail_intent_cues[i].phrase);
		if (g_hash_table_contains(seen, key))
			g_test_message("cue twice: \"%s\"", mail_intent_cues[i].phrase);
		g_assert_false(g_hash_table_contains(seen, key));
		g_hash_table_add(seen, key);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/intent/labelled-set", test_labelled_set);
	g_test_add_func("/mail/intent/cues-once", test_cues_once);
	return g_test_run();
}
