/*
 * The SQLite back end's migrations keep every row: a database written by
 * the first release (schema 2) opened by this one; and one written by a
 * newer piculet is refused.
 */
#include "store/store.h"
#include "store/store_schema.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

static void
exec_sql(sqlite3 *db, const char *sql)
{
	char *message = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK)
		g_error("%s: %s", sql, message);
}

/* Schema 2 with a mailbox paused for its IMAP and another for its SMTP,
 * enrollments whose reasons count retries and soft bounces, and events. */
static void
write_version_2(const char *path)
{
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	exec_sql(db, store_schema_migrations[0]);
	exec_sql(db, store_schema_migrations[1]);
	exec_sql(db, "PRAGMA user_version = 2;"
	             "INSERT INTO mailbox (id, address, smtp_host, smtp_port, smtp_security, "
	             "smtp_user, imap_host, imap_port, imap_security, imap_user, secret_source, "
	             "created_at, paused_reason, paused_until) VALUES "
	             "(1, 'a@s.test', 'h', 587, 'starttls', 'a', 'h', 993, 'tls', 'a', 'env:X', 0, "
	             "'IMAP: login refused', 900),"
	             "(2, 'b@s.test', 'h', 587, 'starttls', 'b', 'h', 993, 'tls', 'b', 'env:X', 0, "
	             "'throttled: 421 slow down', 800),"
	             "(3, 'c@s.test', 'h', 587, 'starttls', 'c', 'h', 993, 'tls', 'c', 'env:X', 0, "
	             "NULL, 0);"
	             "INSERT INTO campaign (id, name, state, definition, created_at) VALUES "
	             "(1, 'C', 'running', '', 0);"
	             "INSERT INTO prospect (id, email, created_at, updated_at) VALUES "
	             "(1, 'p1@p.test', 0, 0), (2, 'p2@p.test', 0, 0), (3, 'p3@p.test', 0, 0);"
	             "INSERT INTO enrollment (id, campaign_id, prospect_id, mailbox_id, state, "
	             "next_step, reason) VALUES "
	             "(1, 1, 1, 2, 'active', 2, 'retry 3: 451 try later'),"
	             "(2, 1, 2, 2, 'paused', 2, 'soft bounce 2: bounce 4.2.2: mailbox full'),"
	             "(3, 1, 3, NULL, 'queued', 1, NULL);"
	             "INSERT INTO step (campaign_id, number, subject, body, delay_s) VALUES "
	             "(1, 1, 'Hi', 'Hello', 0);"
	             "INSERT INTO message (id, enrollment_id, step, message_id, state, mailbox_id, "
	             "sent_at) VALUES (1, 1, 1, 'm1@s.test', 'sent', 2, 3 * 86400000000 + 7);"
	             "INSERT INTO event (id, at, kind, enrollment_id, message_id, detail) VALUES "
	             "(1, 10, 'sent', 1, 1, '250 ok'), (2, 20, 'paused', NULL, NULL, 'x'),"
	             "(3, 30, 'reply', 2, NULL, 'yes'), (4, 40, 'reply', 1, 1, 'hi'),"
	             "(5, 50, 'open', 1, 1, ''), (6, 60, 'open', 1, 1, '');"
	             "INSERT INTO inbound (mailbox_id, message_id, enrollment_id, class, "
	             "received_at) VALUES (2, '<r1@p.test>', 1, 'reply', 4 * 86400000000 + 9);");
	sqlite3_close(db);
}

static int64_t
event_mailbox(const char *path, int id)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db, "SELECT mailbox_id FROM event WHERE id = ?1", -1,
	                                   &stmt, NULL),
	                ==, SQLITE_OK);
	sqlite3_bind_int(stmt, 1, id);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	int64_t mailbox = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return mailbox;
}

static void
test_from_version_2(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-migrate-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "old.db", NULL);
	write_version_2(path);
	g_autoptr(Store) store = store_open(path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(store_get_schema_version(store), ==, store_schema_version);

	g_autoptr(StoreMailbox) a = store_mailbox_get(store, "a@s.test", &error);
	g_assert_cmpstr(a->paused_kind, ==, "reading");
	g_assert_cmpstr(a->paused_reason, ==, "IMAP: login refused");
	g_assert_cmpint(a->paused_until, ==, 900);
	g_autoptr(StoreMailbox) b = store_mailbox_get(store, "b@s.test", &error);
	g_assert_cmpstr(b->paused_kind, ==, "sending");
	g_autoptr(StoreMailbox) c = store_mailbox_get(store, "c@s.test", &error);
	g_assert_cmpstr(c->paused_kind, ==, "");

	g_autoptr(StoreEnrollment) retried = store_enrollment_get_by_id(store, 1, &error);
	g_assert_cmpint(retried->retries, ==, 3);
	g_assert_cmpint(retried->soft_bounces, ==, 0);
	g_assert_cmpstr(retried->reason, ==, "retry 3: 451 try later");
	g_assert_cmpint(retried->revision, ==, 0);
	g_autoptr(StoreEnrollment) soft = store_enrollment_get_by_id(store, 2, &error);
	g_assert_cmpint(soft->soft_bounces, ==, 2);
	g_assert_cmpint(soft->retries, ==, 0);
	g_assert_cmpstr(soft->state, ==, "paused");
	g_autoptr(StoreEnrollment) queued = store_enrollment_get_by_id(store, 3, &error);
	g_assert_cmpint(queued->retries, ==, 0);
	g_assert_cmpint(queued->soft_bounces, ==, 0);
	g_autoptr(GPtrArray) thread = store_message_list_for_enrollment(store, 1, &error);
	g_assert_cmpuint(thread->len, ==, 1);
	/* Schema 6 counted what was there. */
	g_autoptr(StoreCampaign) counted = store_campaign_get(store, "C", &error);
	g_assert_cmpuint(counted->n_enrolled, ==, 3);
	g_assert_cmpuint(counted->n_active, ==, 3);
	g_assert_cmpuint(counted->n_sent, ==, 1);
	g_assert_cmpuint(counted->n_uncertain, ==, 0);
	/* Schema 20 counted the report: the reply and the two opens of the
	 * message (one message opened), its day and the reply's. */
	g_autoptr(GArray) report = store_campaign_report(store, counted->id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(report->len, ==, 1);
	const StoreStepReport *step = &g_array_index(report, StoreStepReport, 0);
	g_assert_cmpuint(step->sent, ==, 1);
	g_assert_cmpuint(step->replied, ==, 1);
	g_assert_cmpuint(step->opened, ==, 1);
	g_autoptr(GArray) days = store_campaign_days(store, counted->id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(days->len, ==, 2);
	g_assert_cmpint(g_array_index(days, StoreDayCount, 0).day, ==, 3);
	g_assert_cmpuint(g_array_index(days, StoreDayCount, 0).sent, ==, 1);
	g_assert_cmpint(g_array_index(days, StoreDayCount, 1).day, ==, 4);
	g_assert_cmpuint(g_array_index(days, StoreDayCount, 1).replied, ==, 1);
	g_assert_no_error(error);
	store_close(g_steal_pointer(&store));

	/* Events: from their message, else their enrollment, else none. */
	g_assert_cmpint(event_mailbox(path, 1), ==, 2);
	g_assert_cmpint(event_mailbox(path, 2), ==, 0);
	g_assert_cmpint(event_mailbox(path, 3), ==, 2);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_true(g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL));
}

/* Schema 21 counts the replies by intent a version-20 database already
 * holds (one reply read twice as "later", one as "meeting"; one without an
 * enrollment, which no campaign counts). */
static void
test_from_version_20(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-migrate-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "v20.db", NULL);
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	for (int i = 0; i < 20; i++)
		exec_sql(db, store_schema_migrations[i]);
	exec_sql(db, "PRAGMA user_version = 20;"
	             "INSERT INTO mailbox (id, address, smtp_host, smtp_port, smtp_security, "
	             "smtp_user, imap_host, imap_port, imap_security, imap_user, secret_source, "
	             "created_at) VALUES (1, 'a@s.test', 'h', 587, 'starttls', 'a', 'h', 993, "
	             "'tls', 'a', 'env:X', 0);"
	             "INSERT INTO campaign (id, name, state, definition, created_at) VALUES "
	             "(1, 'C', 'running', '', 0);"
	             "INSERT INTO prospect (id, email, created_at, updated_at) VALUES "
	             "(1, 'p1@p.test', 0, 0), (2, 'p2@p.test', 0, 0);"
	             "INSERT INTO enrollment (id, campaign_id, prospect_id, mailbox_id, state, "
	             "next_step) VALUES (1, 1, 1, 1, 'replied', 2), (2, 1, 2, 1, 'replied', 2);"
	             "INSERT INTO inbound (mailbox_id, message_id, enrollment_id, class, "
	             "received_at, intent) VALUES (1, '<a@p.test>', 1, 'reply', 5, 'later'),"
	             "(1, '<b@p.test>', 2, 'reply', 6, 'later'),"
	             "(1, '<c@p.test>', 2, 'reply', 7, 'meeting'),"
	             "(1, '<d@p.test>', NULL, 'reply', 8, 'later');");
	sqlite3_close(db);
	g_autoptr(Store) store = store_open(path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(store_get_schema_version(store), ==, store_schema_version);
	g_autoptr(GPtrArray) intents = store_inbound_count_intents(store, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(intents->len, ==, 2);
	g_assert_cmpstr(((StoreCount *)intents->pdata[0])->name, ==, "later");
	g_assert_cmpuint(((StoreCount *)intents->pdata[0])->n, ==, 2);
	g_assert_cmpstr(((StoreCount *)intents->pdata[1])->name, ==, "meeting");
	g_assert_cmpuint(((StoreCount *)intents->pdata[1])->n, ==, 1);
	store_close(g_steal_pointer(&store));
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_true(g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL));
}

/* A database written by a newer piculet is refused, saying so. */
static void
test_newer_database_refused(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-migrate-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "new.db", NULL);
	store_close(store_open(path, &error));
	g_assert_no_error(error);
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	exec_sql(db, "PRAGMA user_version = 99");
	sqlite3_close(db);
	Store *store = store_open(path, &error);
	g_assert_null(store);
	g_assert_error(error, STORE_ERROR, STORE_ERROR_VERSION);
	g_assert_nonnull(strstr(error->message, "newer piculet"));
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_true(g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/store/migration/from-version-2-keeps-every-row", test_from_version_2);
	g_test_add_func("/store/migration/from-version-20-counts-the-intents",
	                test_from_version_20);
	g_test_add_func("/store/migration/newer-database-refused", test_newer_database_refused);
	return g_test_run();
}
