/*
 * bench-classify CORPUS_DIR N: classifies N messages on one core from a
 * typical mix (replies of 5 to 50 KB with quoted history, bounces,
 * auto-replies, other), built from the test corpus; prints messages/second
 * and resident memory after 10% and after all of them, then the class
 * accuracy over the corpus itself (tests/data/mail/expected.json).
 */
#include "helpers/test_scores.h"
#include "mail/mail_classify.h"
#include "mail/mail_message.h"
#include "mail/mail_reply_text.h"

#include <gmime/gmime.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long
rss_kib(void)
{
	g_autofree char *status = NULL;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return -1;
	const char *line = strstr(status, "VmRSS:");
	return line != NULL ? strtol(line + 6, NULL, 10) : -1;
}

static GBytes *
load(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	char *data = NULL;
	gsize n = 0;
	if (!g_file_get_contents(path, &data, &n, NULL)) {
		fprintf(stderr, "bench-classify: cannot read %s\n", path);
		exit(1);
	}
	return g_bytes_new_take(data, n);
}

/* A reply of about @size bytes: the corpus reply (one text part) and a
 * quoted history, in the part's own transfer encoding: appended as plain
 * text to a base64 body it would decode as garbage, which no mail client
 * writes. */
static GBytes *
long_reply(GBytes *reply, gsize size)
{
	gsize n = 0;
	const char *raw = g_bytes_get_data(reply, &n);
	const char *body = g_strstr_len(raw, (gssize)n, "\r\n\r\n");
	gsize head = body != NULL ? (gsize)(body - raw) + 4 : n;
	GString *history = g_string_new(NULL);
	while (n + history->len < size)
		g_string_append(history,
		                "> We are a small team that helps sales teams send personal\r\n"
		                "> emails from their own mailboxes, and I thought of you.\r\n");
	GString *text = g_string_new_len(raw, (gssize)head);
	if (g_strstr_len(raw, (gssize)head, "Content-Transfer-Encoding: base64") != NULL) {
		gsize decoded_n = 0;
		g_autofree char *encoded = g_strndup(raw + head, n - head);
		g_autofree guchar *decoded = g_base64_decode(encoded, &decoded_n);
		GString *plain = g_string_new_len((const char *)decoded, (gssize)decoded_n);
		g_string_append_len(plain, history->str, (gssize)history->len);
		g_autofree char *again = g_base64_encode((const guchar *)plain->str, plain->len);
		g_string_free(plain, TRUE);
		for (const char *p = again; *p != '\0'; p += MIN(strlen(p), (gsize)76)) {
			g_string_append_len(text, p, (gssize)MIN(strlen(p), (gsize)76));
			g_string_append(text, "\r\n");
		}
	} else {
		g_string_append_len(text, raw + head, (gssize)(n - head));
		g_string_append_len(text, history->str, (gssize)history->len);
	}
	g_string_free(history, TRUE);
	gsize total = text->len;
	return g_bytes_new_take(g_string_free(text, FALSE), total);
}

/* Per class precision and recall over the corpus (expected.json). */
static void
print_corpus_scores(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "expected.json", NULL);
	json_error_t error;
	json_t *expected = json_load_file(path, 0, &error);
	if (expected == NULL) {
		fprintf(stderr, "bench-classify: %s: %s\n", path, error.text);
		exit(1);
	}
	g_autoptr(TestScores) scores = test_scores_new();
	size_t index;
	json_t *entry;
	json_array_foreach(expected, index, entry)
	{
		const char *file = json_string_value(json_object_get(entry, "file"));
		g_autoptr(GBytes) message = load(dir, file);
		g_autoptr(MailMessage) parsed = mail_message_parse(g_bytes_get_data(message, NULL),
		                                                   g_bytes_get_size(message));
		g_autoptr(MailClassification) result = mail_classify_message(parsed);
		test_scores_add(scores, json_string_value(json_object_get(entry, "class")),
		                mail_classify_class_to_string(result->klass));
	}
	g_autofree char *table = test_scores_table(scores);
	printf("classes on the corpus (%zu messages):\n%s", json_array_size(expected), table);
	json_decref(expected);
}

/* Per intent precision and recall over the labelled replies. */
static void
print_intent_scores(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "..", "intent", "replies.jsonl", NULL);
	g_autofree char *data = NULL;
	if (!g_file_get_contents(path, &data, NULL, NULL)) {
		fprintf(stderr, "bench-classify: cannot read %s\n", path);
		exit(1);
	}
	g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
	g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 12, 2, 10, 0, 0);
	g_autoptr(TestScores) scores = test_scores_new();
	guint n = 0;
	for (guint i = 0; lines[i] != NULL; i++) {
		json_error_t error;
		json_t *entry = lines[i][0] != '\0' ? json_loads(lines[i], 0, &error) : NULL;
		if (entry == NULL)
			continue;
		g_autofree char *reply =
		        mail_reply_text_extract(json_string_value(json_object_get(entry, "text")));
		/* As tests/unit/mail/test_intent.c reads them: the set's replies
		 * answer "Quick question" and are written by carol@prospect.test
		 * (a stop request that names her own address is hers). */
		g_autoptr(MailIntentResult) got =
		        mail_intent_read(reply, "Re: Quick question", "carol@prospect.test", sent);
		test_scores_add(scores, json_string_value(json_object_get(entry, "intent")),
		                mail_intent_to_string(got->intent));
		json_decref(entry);
		n++;
	}
	g_autofree char *table = test_scores_table(scores);
	printf("reply intents on the labelled set (%u replies; false unsubscribe: %u):\n%s", n,
	       test_scores_false(scores, "unsubscribe"), table);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench-classify CORPUS_DIR N\n");
		return 2;
	}
	g_mime_init();
	const char *dir = argv[1];
	long n = strtol(argv[2], NULL, 10);
	g_autoptr(GPtrArray) mix = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	/* Half replies (5 to 50 KB), a quarter bounces, an eighth auto-replies,
	 * an eighth other. */
	const char *replies[] = {"reply-gmail.eml", "reply-outlook.eml", "reply-apple-de.eml",
	                         "reply-thunderbird-fr.eml"};
	for (gsize i = 0; i < 8; i++) {
		g_autoptr(GBytes) reply = load(dir, replies[i % G_N_ELEMENTS(replies)]);
		g_ptr_array_add(mix, long_reply(reply, 5000 + i * 6000));
	}
	const char *bounces[] = {"bounce-postfix-dsn.eml", "bounce-exim.eml", "bounce-qmail.eml",
	                         "bounce-exchange-ndr.eml"};
	for (gsize i = 0; i < G_N_ELEMENTS(bounces); i++)
		g_ptr_array_add(mix, load(dir, bounces[i]));
	g_ptr_array_add(mix, load(dir, "auto-de-abwesenheit.eml"));
	g_ptr_array_add(mix, load(dir, "auto-en-rfc3834.eml"));
	g_ptr_array_add(mix, load(dir, "other-newsletter.eml"));
	g_ptr_array_add(mix, load(dir, "other-read-receipt.eml"));

	gsize bytes = 0;
	long rss_early = 0;
	gint64 start = g_get_monotonic_time();
	guint64 classes[MAIL_CLASS_FEEDBACK + 1] = {0};
	for (long i = 0; i < n; i++) {
		GBytes *message = mix->pdata[i % mix->len];
		gsize size = 0;
		const char *data = g_bytes_get_data(message, &size);
		g_autoptr(MailMessage) parsed = mail_message_parse(data, size);
		g_autoptr(MailClassification) result = mail_classify_message(parsed);
		classes[result->klass]++;
		bytes += size;
		if (i == n / 10)
			rss_early = rss_kib();
	}
	double seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	printf("classified %ld messages (%.1f MB, mix of %u) in %.2f s: %.0f messages/s on one "
	       "core; RSS %ld KiB after %ld, %ld KiB after %ld\n",
	       n, bytes / 1e6, mix->len, seconds, n / seconds, rss_early, n / 10, rss_kib(), n);
	printf("the mix read as:");
	for (int c = 0; c <= MAIL_CLASS_FEEDBACK; c++)
		printf(" %s %" G_GUINT64_FORMAT, mail_classify_class_to_string((MailClass)c),
		       classes[c]);
	printf("\n");

	print_corpus_scores(dir);
	print_intent_scores(dir);
	return 0;
}
