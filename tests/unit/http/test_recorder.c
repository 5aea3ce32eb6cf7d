/*
 * The server's recorder (http_recorder) on a real SQLite file: fetches
 * handed over by several threads at once, more than its queue holds, are
 * all written by the time it stops, each thread's in the order it handed
 * them over, and each counted on its message.
 */
#include "helpers/test_store.h"
#include "http/http_recorder.h"

#include <sqlite3.h>

#define SENT_AT ((int64_t)1796000000 * G_USEC_PER_SEC) /* 2026-11-29T21:33:20Z */
#define THREADS 4
#define EACH    (HTTP_RECORDER_QUEUE * 3 / THREADS)

typedef struct {
	HttpRecorder *recorder;
	int64_t enrollment_id;
	int number;
} Sender;

/* A browser's open, handed over at SENT_AT + an hour + its sender's number
 * (seconds) + its place (microseconds): the times say who and in which
 * order. */
static gpointer
send_opens(gpointer data)
{
	const Sender *sender = data;
	for (int i = 0; i < EACH; i++) {
		AppTrackingFetch *fetch = g_new0(AppTrackingFetch, 1);
		fetch->kind = APP_TRACKING_OPEN;
		fetch->enrollment_id = sender->enrollment_id;
		fetch->step = 1;
		fetch->method = g_strdup("GET");
		fetch->user_agent = g_strdup("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0");
		fetch->at_us = SENT_AT + (int64_t)(3600 + sender->number) * G_USEC_PER_SEC + i;
		http_recorder_submit(sender->recorder, fetch);
	}
	return NULL;
}

/* One number @sql finds in @dir's database. */
static int64_t
number(const char *dir, const char *sql)
{
	g_autofree char *path = g_build_filename(dir, "piculet.db", NULL);
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	int64_t n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

static void
test_every_fetch_written_in_order(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = NULL;
	Store *store = test_store_new("piculet-recorder", &dir);
	static const char *const emails[] = {"ann@prospect.test", NULL};
	int64_t ann = 0;
	test_store_add_sent_openings(store, emails, SENT_AT, &ann);

	HttpRecorder *recorder = http_recorder_start(store, &error);
	g_assert_no_error(error);
	Sender senders[THREADS];
	GThread *threads[THREADS];
	for (int t = 0; t < THREADS; t++) {
		senders[t] = (Sender){.recorder = recorder, .enrollment_id = ann, .number = t};
		threads[t] = g_thread_new("sender", send_opens, &senders[t]);
	}
	for (int t = 0; t < THREADS; t++)
		g_thread_join(threads[t]);
	http_recorder_stop(recorder);

	g_assert_cmpint(number(dir, "SELECT count(*) FROM event WHERE kind = 'open'"), ==,
	                THREADS * EACH);
	g_assert_cmpint(number(dir, "SELECT opens FROM message"), ==, THREADS * EACH);
	/* An event written before another of its sender's is an earlier
	 * fetch: none out of order. */
	g_assert_cmpint(number(dir, "SELECT count(*) FROM event a JOIN event b "
	                            "ON a.at / 1000000 = b.at / 1000000 AND b.id = ("
	                            "SELECT min(id) FROM event c WHERE c.id > a.id "
	                            "AND c.at / 1000000 = a.at / 1000000) "
	                            "WHERE a.kind = 'open' AND b.at < a.at"),
	                ==, 0);
	test_store_remove(store, dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/http/recorder/every-fetch-written-in-order",
	                test_every_fetch_written_in_order);
	return g_test_run();
}
