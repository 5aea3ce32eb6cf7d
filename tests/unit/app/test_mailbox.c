/*
 * Mailbox use cases on a real store: adding one with its defaults, editing
 * only what is given, pausing and resuming by hand, and sealing a
 * password (the key is made when none exists and no other mailbox depends
 * on one; it is never made when another mailbox's sealed password would be
 * lost by it).
 */
#include "app/app_error.h"
#include "app/app_mailbox.h"

#include "base/base_error.h"
#include "base/base_seal.h"
#include "engine/engine_mailbox.h"
#include "helpers/test_store.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static void
test_seal(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = NULL;
	Store *store = test_store_new("piculet-seal", &dir);
	const char *key_path = store_get_key_path(store);
	g_assert_false(g_file_test(key_path, G_FILE_TEST_EXISTS));

	g_autoptr(BaseSecret) secret = base_secret_new("hunter2", -1);
	g_autoptr(GBytes) sealed = app_mailbox_seal_password(store, "a@s.test", secret, &error);
	g_assert_no_error(error);
	g_assert_nonnull(sealed);
	GStatBuf st;
	g_assert_cmpint(g_stat(key_path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_autoptr(BaseSealKey) key = base_seal_key_load(key_path, &error);
	g_autoptr(BaseSecret) opened = base_seal_open(key, sealed, "a@s.test", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(base_secret_get(opened), ==, "hunter2");
	test_store_add_mailbox(store, "a@s.test", 10, sealed);

	/* The key gone while a's password depends on it: b's is refused, and
	 * no new key is made. */
	g_assert_cmpint(g_unlink(key_path), ==, 0);
	g_autoptr(GError) missing = NULL;
	g_assert_null(app_mailbox_seal_password(store, "b@s.test", secret, &missing));
	g_assert_error(missing, BASE_ERROR, BASE_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(missing->message, key_path));
	g_assert_false(g_file_test(key_path, G_FILE_TEST_EXISTS));
	/* Sealing a's own again is allowed: nothing else depends on the key. */
	g_autoptr(GBytes) again = app_mailbox_seal_password(store, "a@s.test", secret, &error);
	g_assert_no_error(error);
	g_assert_nonnull(again);

	test_store_remove(store, dir);
}

/* Found by its address, or named as missing; removed once. */
static void
test_get_and_remove(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = NULL;
	Store *store = test_store_new("piculet-mailbox", &dir);
	test_store_add_mailbox(store, "a@s.test", 10, NULL);
	g_autoptr(StoreMailbox) found = app_mailbox_get(store, "a@s.test", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(found->address, ==, "a@s.test");
	g_autoptr(GError) missing = NULL;
	g_assert_null(app_mailbox_get(store, "b@s.test", &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(missing->message, "b@s.test"));
	g_assert_true(app_mailbox_remove(store, "a@s.test", &error));
	g_assert_no_error(error);
	g_autoptr(GError) gone = NULL;
	g_assert_false(app_mailbox_remove(store, "a@s.test", &gone));
	g_assert_error(gone, APP_ERROR, APP_ERROR_NOT_FOUND);
	test_store_remove(store, dir);
}

/* Add fills in what was not given; refuses what cannot make a mailbox. */
static void
test_add(void)
{
	char *dir = NULL;
	Store *store = test_store_new("piculet-mailbox-add", &dir);
	g_autoptr(BaseSecret) secret = base_secret_new("hunter2", -1);
	AppMailboxSettings settings = {
	        .address = "a@s.test",
	        .smtp_host = "smtp.s.test",
	        .smtp_security = "tls",
	        .imap_host = "imap.s.test",
	        .imap_port = 1993,
	        .password = {.given = secret},
	        .daily_cap = -1,
	        .interval_min_s = -1,
	        .interval_max_s = 90,
	};
	g_autoptr(GError) error = NULL;
	g_assert_true(app_mailbox_add(store, &settings, &error));
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) m = app_mailbox_get(store, "a@s.test", &error);
	g_assert_nonnull(m);
	g_assert_cmpuint(m->smtp_port, ==, 465); /* tls */
	g_assert_cmpstr(m->imap_security, ==, APP_MAILBOX_IMAP_SECURITY);
	g_assert_cmpuint(m->imap_port, ==, 1993);
	g_assert_cmpstr(m->smtp_user, ==, "a@s.test");
	g_assert_cmpstr(m->imap_user, ==, "a@s.test");
	g_assert_cmpint(m->daily_cap, ==, APP_MAILBOX_DAILY_CAP);
	g_assert_cmpint(m->interval_min_s, ==, APP_MAILBOX_INTERVAL_MIN_S);
	g_assert_cmpint(m->interval_max_s, ==, 90);
	g_assert_cmpstr(m->secret_source, ==, "sealed");
	g_assert_nonnull(m->secret_sealed);

	/* Two passwords, or none: not a mailbox; nothing written. */
	AppMailboxSettings two = settings;
	two.address = "b@s.test";
	two.password.env = "B_PASSWORD";
	g_autoptr(GError) several = NULL;
	g_assert_false(app_mailbox_add(store, &two, &several));
	g_assert_error(several, APP_ERROR, APP_ERROR_INVALID);
	AppMailboxSettings none = two;
	none.password = (AppMailboxPassword){0};
	g_autoptr(GError) missing = NULL;
	g_assert_false(app_mailbox_add(store, &none, &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_INVALID);
	g_autoptr(GError) absent = NULL;
	g_assert_null(app_mailbox_get(store, "b@s.test", &absent));
	/* The same address twice: the store refuses it. */
	g_autoptr(GError) twice = NULL;
	g_assert_false(app_mailbox_add(store, &settings, &twice));
	g_assert_error(twice, STORE_ERROR, STORE_ERROR_INVALID);
	test_store_remove(store, dir);
}

/* Edit changes what is given and keeps the rest, the sealed password too. */
static void
test_edit(void)
{
	char *dir = NULL;
	Store *store = test_store_new("piculet-mailbox-edit", &dir);
	g_autoptr(BaseSecret) secret = base_secret_new("hunter2", -1);
	AppMailboxSettings settings = {
	        .address = "a@s.test",
	        .display_name = "Ann",
	        .smtp_host = "smtp.s.test",
	        .imap_host = "imap.s.test",
	        .password = {.given = secret},
	        .daily_cap = 20,
	        .interval_min_s = -1,
	        .interval_max_s = -1,
	};
	g_autoptr(GError) error = NULL;
	g_assert_true(app_mailbox_add(store, &settings, &error));
	g_autoptr(StoreMailbox) before = app_mailbox_get(store, "a@s.test", &error);

	AppMailboxSettings changes = {
	        .address = "a@s.test",
	        .smtp_security = "tls",     /* without a host: the port stays */
	        .imap_host = "mail.s.test", /* without a port: the usual one */
	        .daily_cap = 35,
	        .interval_min_s = -1,
	        .interval_max_s = -1,
	};
	g_assert_true(app_mailbox_edit(store, &changes, &error));
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) after = app_mailbox_get(store, "a@s.test", &error);
	g_assert_cmpstr(after->display_name, ==, "Ann");
	g_assert_cmpstr(after->smtp_host, ==, "smtp.s.test");
	g_assert_cmpstr(after->smtp_security, ==, "tls");
	g_assert_cmpuint(after->smtp_port, ==, before->smtp_port);
	g_assert_cmpstr(after->imap_host, ==, "mail.s.test");
	g_assert_cmpuint(after->imap_port, ==, 993);
	g_assert_cmpint(after->daily_cap, ==, 35);
	g_assert_cmpint(after->interval_max_s, ==, before->interval_max_s);
	g_assert_cmpstr(after->secret_source, ==, "sealed");
	g_assert_true(g_bytes_equal(after->secret_sealed, before->secret_sealed));

	/* A new password replaces the old one. */
	AppMailboxSettings password = {.address = "a@s.test",
	                               .password = {.env = "A_PASSWORD"},
	                               .daily_cap = -1,
	                               .interval_min_s = -1,
	                               .interval_max_s = -1};
	g_assert_true(app_mailbox_edit(store, &password, &error));
	g_autoptr(StoreMailbox) replaced = app_mailbox_get(store, "a@s.test", &error);
	g_assert_cmpstr(replaced->secret_source, ==, "env:A_PASSWORD");
	g_assert_null(replaced->secret_sealed);

	password.address = "nobody@s.test";
	g_autoptr(GError) missing = NULL;
	g_assert_false(app_mailbox_edit(store, &password, &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);
	test_store_remove(store, dir);
}

/* A pause by hand stops sending until resumed; resume ends any pause. */
static void
test_pause_and_resume(void)
{
	char *dir = NULL;
	Store *store = test_store_new("piculet-mailbox-pause", &dir);
	int64_t id = test_store_add_mailbox(store, "a@s.test", 10, NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true(app_mailbox_pause(store, "a@s.test", 1000, &error));
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) paused = app_mailbox_get(store, "a@s.test", &error);
	g_assert_cmpint(engine_mailbox_pause_of(paused), ==, ENGINE_MAILBOX_PAUSED_SENDING);
	g_assert_cmpint(paused->paused_until, ==, 0); /* only a person ends it */

	bool was_paused = false;
	g_assert_true(app_mailbox_resume(store, "a@s.test", 2000, &was_paused, &error));
	g_assert_true(was_paused);
	g_autoptr(StoreMailbox) resumed = app_mailbox_get(store, "a@s.test", &error);
	g_assert_cmpint(engine_mailbox_pause_of(resumed), ==, ENGINE_MAILBOX_USABLE);
	g_assert_true(app_mailbox_resume(store, "a@s.test", 2000, &was_paused, &error));
	g_assert_false(was_paused);
	/* Each a timeline event of the mailbox (mailbox.paused, .resumed); the
	 * resume of a mailbox that was not paused writes none. */
	g_autoptr(GPtrArray) events = store_event_list_after(store, 0, 0, &error);
	g_assert_cmpuint(events->len, ==, 2);
	g_assert_cmpstr(((StoreEvent *)events->pdata[0])->kind, ==, "paused");
	g_assert_cmpstr(((StoreEvent *)events->pdata[0])->mailbox, ==, "a@s.test");
	g_assert_cmpstr(((StoreEvent *)events->pdata[1])->kind, ==, "mailbox_resumed");

	/* A pause the engine set (reading: a refused IMAP login) ends too. */
	g_assert_true(
	        store_mailbox_set_paused(store, id, "reading", "imap: login refused", 0, &error));
	g_assert_true(app_mailbox_resume(store, "a@s.test", 2000, &was_paused, &error));
	g_assert_true(was_paused);
	g_autoptr(GError) missing = NULL;
	g_assert_false(app_mailbox_pause(store, "nobody@s.test", 1000, &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);
	test_store_remove(store, dir);
}

static void
test_parse_ramp(void)
{
	int start = -1;
	int step = -1;
	g_assert_true(app_mailbox_parse_ramp("10+5/day", &start, &step));
	g_assert_cmpint(start, ==, 10);
	g_assert_cmpint(step, ==, 5);
	g_assert_true(app_mailbox_parse_ramp("off", &start, &step));
	g_assert_cmpint(start, ==, 0);
	g_assert_cmpint(step, ==, 0);
	const char *bad[] = {"",        "10",        "10+5",    "0+5/day",   "+5/day",
	                     "10+/day", "10+5/week", "a+b/day", "10+5/day ", NULL};
	for (const char *const *b = bad; *b != NULL; b++)
		if (app_mailbox_parse_ramp(*b, &start, &step))
			g_error("\"%s\" was taken for a ramp", *b);
}

static void
test_parse_freeze(void)
{
	int64_t from = -1;
	int64_t until = -1;
	g_assert_true(app_mailbox_parse_freeze("2026-12-20..2027-01-05", &from, &until));
	g_autoptr(GDateTime) first = g_date_time_new_utc(2026, 12, 20, 0, 0, 0);
	g_autoptr(GDateTime) after = g_date_time_new_utc(2027, 1, 6, 0, 0, 0);
	g_assert_cmpint(from, ==, g_date_time_to_unix(first) * G_USEC_PER_SEC);
	g_assert_cmpint(until, ==, g_date_time_to_unix(after) * G_USEC_PER_SEC);
	g_assert_true(app_mailbox_parse_freeze("2026-12-20..2026-12-20", &from, &until));
	g_assert_cmpint(until - from, ==, (int64_t)86400 * G_USEC_PER_SEC);
	g_assert_true(app_mailbox_parse_freeze("off", &from, &until));
	g_assert_cmpint(from, ==, 0);
	g_assert_cmpint(until, ==, 0);
	const char *bad[] = {"2026-12-20",
	                     "2026-12-20..",
	                     "..2026-12-20",
	                     "2026-12-21..2026-12-20",
	                     "2026-02-30..2026-03-01",
	                     "20.12.2026..21.12.2026",
	                     NULL};
	for (const char *const *b = bad; *b != NULL; b++)
		if (app_mailbox_parse_freeze(*b, &from, &until))
			g_error("\"%s\" was taken for a freeze", *b);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/app/mailbox/seal-password", test_seal);
	g_test_add_func("/app/mailbox/get-and-remove", test_get_and_remove);
	g_test_add_func("/app/mailbox/add-fills-in-defaults", test_add);
	g_test_add_func("/app/mailbox/edit-changes-only-what-is-given", test_edit);
	g_test_add_func("/app/mailbox/pause-and-resume", test_pause_and_resume);
	g_test_add_func("/app/mailbox/parse-ramp", test_parse_ramp);
	g_test_add_func("/app/mailbox/parse-freeze", test_parse_freeze);
	return g_test_run();
}
