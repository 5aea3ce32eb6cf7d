/*
 * Fetches of tracked images written (app_tracking_record_all) on a real
 * SQLite file: a person's open counts on the message and in the report, a
 * proxy's is written apart and not counted, many go in one transaction,
 * and a fetch of an erased prospect's link writes nothing.
 */
#include "app/app_tracking.h"
#include "base/base_seal.h"
#include "engine/engine_tracking.h"
#include "helpers/test_store.h"

#include <string.h>

#define SENT_AT ((int64_t)1796000000 * G_USEC_PER_SEC) /* 2026-11-29T21:33:20Z */
#define HOUR    ((int64_t)3600 * G_USEC_PER_SEC)

static const char browser[] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                              "Gecko) Chrome/120.0 Safari/537.36";
static const char proxy[] = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via "
                            "ggpht.com GoogleImageProxy)";

/* @email enrolled in the running campaign @campaign_id, its opening sent
 * at SENT_AT from @mailbox_id; the enrollment's id. */
static int64_t
enroll_and_send(Store *store, int64_t campaign_id, int64_t mailbox_id, const char *email)
{
	g_autoptr(GError) error = NULL;
	StoreProspectInput prospect = {.email = email};
	StoreProspectResult put;
	g_assert_true(store_prospect_put(store, &prospect, &put, &error));
	StoreEnrollResult enrolled;
	g_assert_true(store_enrollment_add(store, campaign_id, email, false, &enrolled, &error));
	g_autoptr(StoreEnrollment) enrollment =
	        store_enrollment_get(store, campaign_id, email, &error);
	g_assert_no_error(error);
	g_autofree char *message_id = g_strdup_printf("opening-%s", email);
	int64_t message = 0;
	g_assert_true(store_message_begin(store, enrollment->id, 1, 0, mailbox_id, message_id, "Hi",
	                                  SENT_AT, &message, &error));
	g_assert_true(store_message_finish(store, message, "sent", "250 ok", SENT_AT, &error));
	g_assert_no_error(error);
	return enrollment->id;
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
	Store *store = test_store_new("piculet-tracking", &dir);
	g_autofree char *key_path = g_build_filename(dir, "links.key", NULL);
	BaseSealKey *key = base_seal_key_load_or_create(key_path, &error);
	g_assert_no_error(error);
	int64_t mailbox_id = test_store_add_mailbox(store, "alice@sender.test", 50, NULL);
	int64_t campaign_id = test_store_add_campaign(store, "Tracked", "alice@sender.test", NULL);
	bool found = false;
	g_assert_true(store_campaign_set_state(store, "Tracked", "running", &found, &error));
	int64_t ann = enroll_and_send(store, campaign_id, mailbox_id, "ann@prospect.test");
	int64_t bob = enroll_and_send(store, campaign_id, mailbox_id, "bob@prospect.test");

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
	return g_test_run();
}
