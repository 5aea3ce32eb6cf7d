/*
 * Fetches of tracked images written (app_tracking_record_all) on a real
 * SQLite file: a person's open counts on the message and in the report, a
 * proxy's is written apart and not counted, many go in one transaction,
 * and a fetch of an erased prospect's link writes nothing; a batch counts
 * every fetch on its message, whether its events are announced to
 * webhooks or not.
 */
#include "app/app_tracking.h"
#include "base/base_seal.h"
#include "engine/engine_tracking.h"
#include "helpers/test_store.h"

#include <sqlite3.h>
#include <string.h>

#define SENT_AT ((int64_t)1796000000 * G_USEC_PER_SEC) /* 2026-11-29T21:33:20Z */
#define HOUR    ((int64_t)3600 * G_USEC_PER_SEC)

static const char browser[] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                              "Gecko) Chrome/120.0 Safari/537.36";
static const char proxy[] = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via "
                            "ggpht.com GoogleImageProxy)";

/* A store in *@dir with the links' key (*@key) and the sent openings of
 * Ann and Bob (@enrolled), in the campaign *@campaign_id. */
static Store *
set_up_in(char **dir, BaseSealKey **key, int64_t *enrolled, int64_t *campaign_id)
{
	g_autoptr(GError) error = NULL;
	Store *store = test_store_new("piculet-tracking", dir);
	g_autofree char *key_path = g_build_filename(*dir, "links.key", NULL);
	*key = base_seal_key_load_or_create(key_path, &error);
	g_assert_no_error(error);
	static const char *const emails[] = {"ann@prospect.test", "bob@prospect.test", NULL};
	*campaign_id = test_store_add_sent_openings(store, emails, SENT_AT, enrolled);
	return store;
}

static Store *
set_up(char **dir, BaseSealKey **key, int64_t *enrolled)
{
	int64_t campaign_id = 0;
	return set_up_in(dir, key, enrolled, &campaign_id);
}

static AppTrackingFetch *
image_fetch(const BaseSealKey *key, int64_t enrollment_id, int step, const char *agent)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *token = engine_tracking_open_token(key, enrollment_id, step);
	AppTrackingFetch *fetch = app_tracking_fetch_new(key, APP_TRACKING_OPEN, token, "GET",
	                                                 agent, SENT_AT + HOUR, &error);
	g_assert_no_error(error);
	return fetch;
}

static AppTrackingFetch *
link_fetch(const BaseSealKey *key, int64_t enrollment_id, const char *agent)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *token =
	        engine_tracking_click_token(key, enrollment_id, 1, "https://example.test/");
	AppTrackingFetch *fetch = app_tracking_fetch_new(key, APP_TRACKING_CLICK, token, "GET",
	                                                 agent, SENT_AT + HOUR, &error);
	g_assert_no_error(error);
	return fetch;
}

/* Of each message in @dir's database, oldest first: "opens/clicks (open
 * events/click events)", to compare the counts with the events. */
static char *
counts_and_events(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "piculet.db", NULL);
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
	g_assert_cmpint(
	        sqlite3_prepare_v2(db,
	                           "SELECT opens, clicks, (SELECT count(*) FROM event e "
	                           "WHERE e.message_id = m.id AND e.kind = 'open'), "
	                           "(SELECT count(*) FROM event e WHERE e.message_id = m.id "
	                           "AND e.kind = 'click') FROM message m ORDER BY id",
	                           -1, &stmt, NULL),
	        ==, SQLITE_OK);
	GString *text = g_string_new(NULL);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_string_append_printf(text, "%s%d/%d (%d/%d)", text->len > 0 ? " " : "",
		                       sqlite3_column_int(stmt, 0), sqlite3_column_int(stmt, 1),
		                       sqlite3_column_int(stmt, 2), sqlite3_column_int(stmt, 3));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return g_string_free(text, FALSE);
}

static void
record_and_free(Store *store, GPtrArray *fetches)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(app_tracking_record_all(store, (AppTrackingFetch *const *)fetches->pdata,
	                                      fetches->len, &error));
	g_assert_no_error(error);
	g_ptr_array_free(fetches, TRUE);
}

/* Many fetches of two messages in a batch: each open and click counts once
 * on its message, written many rows to a statement when no subscription
 * wants them, one by one with their deliveries when one does. */
static void
test_a_batch_counts_every_fetch(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = NULL;
	BaseSealKey *key = NULL;
	int64_t enrolled[2];
	Store *store = set_up(&dir, &key, enrolled);
	int64_t ann = enrolled[0];
	int64_t bob = enrolled[1];

	GPtrArray *fetches =
	        g_ptr_array_new_with_free_func((GDestroyNotify)app_tracking_fetch_free);
	for (int i = 0; i < 37; i++)
		g_ptr_array_add(fetches, i % 3 == 0   ? link_fetch(key, ann, browser)
		                         : i % 3 == 1 ? image_fetch(key, ann, 1, browser)
		                         : i % 5 == 0 ? image_fetch(key, bob, 1, proxy)
		                                      : image_fetch(key, bob, 1, browser));
	record_and_free(store, fetches);
	g_autofree char *unannounced = counts_and_events(dir);
	g_assert_cmpstr(unannounced, ==, "12/13 (12/13) 9/0 (9/0)");

	GBytes *secret = g_bytes_new_static("s", 1);
	int64_t webhook = 0;
	g_assert_true(store_webhook_add(store, "http://127.0.0.1:9/hook",
	                                "message.opened link.clicked", secret, &webhook, &error));
	g_assert_no_error(error);
	g_bytes_unref(secret);
	fetches = g_ptr_array_new_with_free_func((GDestroyNotify)app_tracking_fetch_free);
	for (int i = 0; i < 20; i++)
		g_ptr_array_add(fetches, i % 4 == 0 ? link_fetch(key, bob, browser)
		                                    : image_fetch(key, ann, 1, browser));
	record_and_free(store, fetches);
	g_autofree char *announced = counts_and_events(dir);
	g_assert_cmpstr(announced, ==, "27/13 (27/13) 9/5 (9/5)");
	g_autoptr(GPtrArray) deliveries =
	        store_delivery_list(store, webhook, "pending", 100, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(deliveries->len, ==, 20);

	base_seal_key_free(key);
	test_store_remove(store, dir);
}

/* The kinds of @email's events with their step, as "kind/step ...". */
static char *
timeline(Store *store, const char *email)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) events = store_event_list_for_prospect(store, email, &error);
	g_assert_no_error(error);
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < events->len; i++) {
		const StoreEvent *event = events->pdata[i];
		if (strcmp(event->kind, "open") == 0 || strcmp(event->kind, "machine_fetch") == 0)
			g_string_append_printf(text, "%s%s/%d", text->len > 0 ? " " : "",
			                       event->kind, event->step);
	}
	return g_string_free(text, FALSE);
}

static guint64
opened(Store *store, int64_t campaign_id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) steps = store_campaign_report(store, campaign_id, &error);
	g_assert_no_error(error);
	return g_array_index(steps, StoreStepReport, 0).opened;
}

static void
test_opens_written_and_counted(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = NULL;
	BaseSealKey *key = NULL;
	int64_t enrolled[2];
	int64_t campaign_id = 0;
	Store *store = set_up_in(&dir, &key, enrolled, &campaign_id);
	int64_t ann = enrolled[0];
	int64_t bob = enrolled[1];

	/* One batch: Ann opens twice, Gmail's proxy fetches hers, Bob's
	 * image of a step never sent (the event is his, without a message),
	 * and then Bob is erased before his own opening's fetch is written. */
	AppTrackingFetch *fetches[] = {
	        image_fetch(key, ann, 1, browser), image_fetch(key, ann, 1, browser),
	        image_fetch(key, ann, 1, proxy), image_fetch(key, bob, 2, browser)};
	g_assert_true(app_tracking_record_all(store, fetches, G_N_ELEMENTS(fetches), &error));
	g_assert_no_error(error);
	for (gsize i = 0; i < G_N_ELEMENTS(fetches); i++)
		g_assert_null(fetches[i]->error);
	g_autofree char *ann_events = timeline(store, "ann@prospect.test");
	g_assert_cmpstr(ann_events, ==, "open/1 open/1 machine_fetch/1");
	g_autofree char *bob_events = timeline(store, "bob@prospect.test");
	g_assert_cmpstr(bob_events, ==, "open/0");
	/* A message opened twice is one opened message. */
	g_assert_cmpuint(opened(store, campaign_id), ==, 1);

	bool removed = false;
	g_assert_true(store_prospect_remove(store, "bob@prospect.test", &removed, &error));
	g_assert_true(removed);
	AppTrackingFetch *late[] = {image_fetch(key, bob, 1, browser)};
	g_assert_true(app_tracking_record_all(store, late, 1, &error));
	g_assert_no_error(error);
	g_assert_null(late[0]->error);
	g_autofree char *bob_after = timeline(store, "bob@prospect.test");
	g_assert_cmpstr(bob_after, ==, "");
	g_assert_cmpuint(opened(store, campaign_id), ==, 1);

	for (gsize i = 0; i < G_N_ELEMENTS(fetches); i++)
		app_tracking_fetch_free(fetches[i]);
	app_tracking_fetch_free(late[0]);
	base_seal_key_free(key);
	test_store_remove(store, dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/app/tracking/opens-written-and-counted", test_opens_written_and_counted);
	g_test_add_func("/app/tracking/a-batch-counts-every-fetch",
	                test_a_batch_counts_every_fetch);
	return g_test_run();
}
