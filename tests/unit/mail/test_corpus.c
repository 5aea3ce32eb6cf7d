/*
 * The message corpus (tests/data/mail, written by us in the shapes real
 * clients and servers use): every file is classified and every field of
 * tests/data/mail/expected.json must match. Accuracy per class is printed.
 */
#include "mail/mail_classify.h"
#include "mail/mail_message.h"

#include <gmime/gmime.h>
#include <jansson.h>
#include <string.h>

static const char *
expected_string(json_t *object, const char *key)
{
	return json_string_value(json_object_get(object, key));
}

/* Every failed recipient, in order, when the file lists them. */
static bool
check_recipients(json_t *expected, const MailClassification *got, GString *problems)
{
	json_t *list = json_object_get(expected, "recipients");
	const char *file = expected_string(expected, "file");
	if (list == NULL)
		return true;
	guint n = got->recipients != NULL ? got->recipients->len : 0;
	if (json_array_size(list) != n) {
		g_string_append_printf(problems, "%s: %u recipients, expected %zu\n", file, n,
		                       json_array_size(list));
		return false;
	}
	bool ok = true;
	for (guint i = 0; i < n; i++) {
		const MailBounceRecipient *r = got->recipients->pdata[i];
		json_t *want = json_array_get(list, i);
		if (g_strcmp0(r->address, expected_string(want, "address")) != 0 ||
		    g_strcmp0(r->status, expected_string(want, "status")) != 0 ||
		    g_strcmp0(mail_reason_to_string(r->reason), expected_string(want, "reason")) !=
		            0 ||
		    r->hard != json_is_true(json_object_get(want, "hard")) ||
		    (json_object_get(want, "reply_code") != NULL &&
		     r->reply_code != json_integer_value(json_object_get(want, "reply_code")))) {
			g_string_append_printf(problems, "%s: recipient %u is %s %s %d %s %d\n",
			                       file, i, r->address, r->status ? r->status : "-",
			                       r->reply_code, mail_reason_to_string(r->reason),
			                       r->hard);
			ok = false;
		}
	}
	return ok;
}

static bool
check_one(json_t *expected, GString *problems)
{
	const char *file = expected_string(expected, "file");
	g_autofree char *path = g_test_build_filename(G_TEST_DIST, "data", "mail", file, NULL);
	g_autofree char *data = NULL;
	gsize n = 0;
	g_assert_true(g_file_get_contents(path, &data, &n, NULL));
	g_autoptr(MailMessage) message = mail_message_parse(data, n);
	g_autoptr(MailClassification) got = mail_classify_message(message);
	bool ok = true;

#define CHECK_STRING(key, value)                                                                   \
	do {                                                                                       \
		const char *want = expected_string(expected, key);                                 \
		if (g_strcmp0(want, (value)) != 0) {                                               \
			g_string_append_printf(problems, "%s: %s is \"%s\", expected \"%s\"\n",    \
			                       file, key, (value) ? (value) : "(none)",            \
			                       want ? want : "(none)");                            \
			ok = false;                                                                \
		}                                                                                  \
	} while (0)

	CHECK_STRING("class", mail_classify_class_to_string(got->klass));
	if (got->klass == MAIL_CLASS_BOUNCE) {
		CHECK_STRING("recipient", got->recipient);
		CHECK_STRING("status", got->status);
		CHECK_STRING("reason", mail_reason_to_string(got->reason));
		json_int_t code = json_integer_value(json_object_get(expected, "reply_code"));
		bool hard = json_is_true(json_object_get(expected, "hard"));
		bool delayed = json_is_true(json_object_get(expected, "delayed"));
		if (code != got->reply_code || hard != got->hard || delayed != got->delayed) {
			g_string_append_printf(
			        problems,
			        "%s: reply_code %d hard %d delayed %d, expected %d %d %d\n", file,
			        got->reply_code, got->hard, got->delayed, (int)code, hard, delayed);
			ok = false;
		}
		ok = check_recipients(expected, got, problems) && ok;
	}
	if (got->klass == MAIL_CLASS_FEEDBACK) {
		CHECK_STRING("feedback_type", got->feedback_type);
		CHECK_STRING("recipient", got->recipient);
		CHECK_STRING("about_message_id", got->about_message_id);
		if (json_object_get(expected, "complaint") != NULL &&
		    json_is_true(json_object_get(expected, "complaint")) !=
		            (got->feedback == MAIL_FEEDBACK_COMPLAINT)) {
			g_string_append_printf(problems, "%s: complaint wrong\n", file);
			ok = false;
		}
	}
	CHECK_STRING("return_date", got->return_date);
	if (got->klass == MAIL_CLASS_AUTO_REPLY) {
		if (json_is_true(json_object_get(expected, "departed")) != got->departed) {
			g_string_append_printf(problems, "%s: departed is %d\n", file,
			                       got->departed);
			ok = false;
		}
		CHECK_STRING("referral", got->referral);
	}
	if (got->klass == MAIL_CLASS_REPLY) {
		if (json_object_get(expected, "reply_text") != NULL)
			CHECK_STRING("reply_text", got->reply_text);
		if (json_object_get(expected, "intent") != NULL)
			CHECK_STRING("intent", mail_intent_to_string(got->intent));
		CHECK_STRING("date", got->intent_date);
		CHECK_STRING("referral", got->referral);
		CHECK_STRING("on_behalf_of", got->on_behalf_of);
		if (json_is_true(json_object_get(expected, "opt_out")) != got->opt_out) {
			g_string_append_printf(problems, "%s: opt_out wrong\n", file);
			ok = false;
		}
	}
	if ((got->klass == MAIL_CLASS_REPLY || got->klass == MAIL_CLASS_OTHER) &&
	    json_object_get(expected, "needs_review") != NULL &&
	    json_is_true(json_object_get(expected, "needs_review")) != got->needs_review) {
		g_string_append_printf(problems, "%s: needs_review is %d\n", file,
		                       got->needs_review);
		ok = false;
	}
#undef CHECK_STRING
	return ok;
}

static void
test_corpus(void)
{
	g_autofree char *path =
	        g_test_build_filename(G_TEST_DIST, "data", "mail", "expected.json", NULL);
	json_error_t error;
	json_t *all = json_load_file(path, 0, &error);
	g_assert_nonnull(all);
	g_autoptr(GString) problems = g_string_new(NULL);
	g_autoptr(GHashTable) total = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) right = g_hash_table_new(g_str_hash, g_str_equal);
	size_t i;
	json_t *expected;
	json_array_foreach(all, i, expected)
	{
		const char *klass = expected_string(expected, "class");
		g_hash_table_insert(
		        total, (gpointer)klass,
		        GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(total, klass)) + 1));
		if (check_one(expected, problems))
			g_hash_table_insert(
			        right, (gpointer)klass,
			        GUINT_TO_POINTER(
			                GPOINTER_TO_UINT(g_hash_table_lookup(right, klass)) + 1));
	}
	const char *classes[] = {"reply", "auto_reply", "bounce", "feedback", "other"};
	for (gsize c = 0; c < G_N_ELEMENTS(classes); c++)
		g_test_message("%s: %u of %u right", classes[c],
		               GPOINTER_TO_UINT(g_hash_table_lookup(right, classes[c])),
		               GPOINTER_TO_UINT(g_hash_table_lookup(total, classes[c])));
	json_decref(all);
	if (problems->len > 0)
		g_error("corpus mismatches:\n%s", problems->str);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	g_test_add_func("/mail/corpus/every-message-classified-as-expected", test_corpus);
	return g_test_run();
}
