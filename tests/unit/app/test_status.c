/*
 * Why each mailbox sends or does not (app_status_mailboxes), on a real
 * SQLite file: one mailbox per situation, the first reason that applies.
 */
#include "app/app_status.h"
#include "helpers/test_store.h"

#include <string.h>

#define NOW     ((int64_t)1796000000 * G_USEC_PER_SEC) /* 2026-11-29T21:33:20Z */
#define SECS(s) ((int64_t)(s)*G_USEC_PER_SEC)

/* A running campaign from @address with one prospect, its enrollment due at
 * @due_us; returns the enrollment. */
static StoreEnrollment *
add_campaign(Store *store, const char *name, const char *address, const char *email, int64_t due_us)
{
	g_autoptr(GError) error = NULL;
	int64_t id = test_store_add_campaign(store, name, address, NULL);
	bool found = false;
	g_assert_true(store_campaign_set_state(store, name, "running", &found, &error));
	StoreProspectInput prospect = {.email = email};
	StoreProspectResult put;
	g_assert_true(store_prospect_put(store, &prospect, &put, &error));
	StoreEnrollResult enrolled;
	g_assert_true(store_enrollment_add(store, id, email, false, &enrolled, &error));
	StoreEnrollment *e = store_enrollment_get(store, id, email, &error);
	e->next_due_at = due_us;
	g_assert_true(store_enrollment_update(store, e, &error));
	g_assert_no_error(error);
	return e;
}

static void
test_each_situation(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = NULL;
	Store *store = test_store_new("piculet-status", &dir);

	int64_t paused = test_store_add_mailbox(store, "paused@s.test", 10, NULL);
	g_assert_true(
	        store_mailbox_set_paused(store, paused, "sending", "throttled: 421", 0, &error));
	int64_t capped = test_store_add_mailbox(store, "capped@s.test", 1, NULL);
	g_autoptr(StoreEnrollment) sent = add_campaign(store, "A", "capped@s.test", "a@p.test", 0);
	int64_t row = 0;
	/* Yesterday's message does not count; today's does. */
	g_assert_true(store_message_begin(store, sent->id, 1, 0, capped, "old@s.test", "Hi",
	                                  NOW - SECS(86400), &row, &error));
	g_assert_true(store_message_finish(store, row, "sent", "250", NOW - SECS(86400), &error));
	g_autoptr(StoreEnrollment) second =
	        add_campaign(store, "A2", "capped@s.test", "a2@p.test", 0);
	g_assert_true(store_message_begin(store, second->id, 1, 0, capped, "new@s.test", "Hi",
	                                  NOW - SECS(60), &row, &error));
	int64_t pacing = test_store_add_mailbox(store, "pacing@s.test", 10, NULL);
	g_assert_true(store_mailbox_set_next_send(store, pacing, NOW + SECS(30), &error));
	test_store_add_mailbox(store, "idle@s.test", 10, NULL);
	test_store_add_mailbox(store, "due@s.test", 10, NULL);
	store_enrollment_free(add_campaign(store, "B", "due@s.test", "b@p.test", NOW));
	test_store_add_mailbox(store, "later@s.test", 10, NULL);
	store_enrollment_free(
	        add_campaign(store, "C", "later@s.test", "c@p.test", NOW + SECS(3600)));
	g_assert_no_error(error);

	g_autoptr(GPtrArray) statuses = app_status_mailboxes(store, NOW, &error);
	g_assert_no_error(error);
	static const struct {
		const char *address;
		AppMailboxActivity activity;
		guint sent_today;
		int64_t next_due_at;
	} expected[] = {
	        /* In the store's order: by address. */
	        {"capped@s.test", APP_MAILBOX_CAPPED, 1, 0},
	        {"due@s.test", APP_MAILBOX_SENDING, 0, NOW},
	        {"idle@s.test", APP_MAILBOX_IDLE, 0, 0},
	        {"later@s.test", APP_MAILBOX_WAITING, 0, NOW + SECS(3600)},
	        {"pacing@s.test", APP_MAILBOX_PACING, 0, 0},
	        {"paused@s.test", APP_MAILBOX_PAUSED, 0, 0},
	};
	g_assert_cmpuint(statuses->len, ==, G_N_ELEMENTS(expected));
	for (guint i = 0; i < statuses->len; i++) {
		const AppMailboxStatus *s = statuses->pdata[i];
		g_assert_cmpstr(s->mailbox->address, ==, expected[i].address);
		g_assert_cmpint(s->activity, ==, expected[i].activity);
		g_assert_cmpuint(s->sent_today, ==, expected[i].sent_today);
		if (expected[i].next_due_at != 0)
			g_assert_cmpint(s->next_due_at, ==, expected[i].next_due_at);
	}
	g_clear_pointer(&statuses, g_ptr_array_unref);

	/* The last trouble of the past week, the newest of its kinds; an
	 * older one and a mere send are not it. */
	StoreEventInput old = {.at_us = NOW - SECS(8 * 86400),
	                       .kind = "paused",
	                       .mailbox_id = pacing,
	                       .detail = "IMAP: long ago"};
	StoreEventInput pause = {.at_us = NOW - SECS(7200),
	                         .kind = "paused",
	                         .mailbox_id = pacing,
	                         .detail = "SMTP: 421 try later"};
	StoreEventInput error_event = {.at_us = NOW - SECS(3600),
	                               .kind = "error",
	                               .mailbox_id = pacing,
	                               .detail = "step 2 body:1:4: no value for company"};
	StoreEventInput sent_event = {
	        .at_us = NOW - SECS(60), .kind = "sent", .mailbox_id = pacing, .detail = ""};
	g_assert_true(store_event_add(store, &old, &error));
	g_assert_true(store_event_add(store, &pause, &error));
	g_assert_true(store_event_add(store, &error_event, &error));
	g_assert_true(store_event_add(store, &sent_event, &error));
	g_autoptr(GPtrArray) again = app_status_mailboxes(store, NOW, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < again->len; i++) {
		const AppMailboxStatus *s = again->pdata[i];
		if (strcmp(s->mailbox->address, "pacing@s.test") == 0) {
			g_assert_cmpint(s->last_error_at, ==, NOW - SECS(3600));
			g_assert_cmpstr(s->last_error_kind, ==, "error");
			g_assert_cmpstr(s->last_error, ==, "step 2 body:1:4: no value for company");
		} else {
			g_assert_cmpint(s->last_error_at, ==, 0);
			g_assert_null(s->last_error);
		}
	}
	g_clear_pointer(&again, g_ptr_array_unref);
	test_store_remove(store, dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/app/status/each-situation", test_each_situation);
	return g_test_run();
}
