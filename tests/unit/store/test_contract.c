/*
 * What every store back end must do: meson runs these cases on SQLite and
 * again on PostgreSQL ($PICULET_TEST_STORE=postgresql, against the lab's
 * server). Each case opens a fresh database; only store.h is used (what
 * needs the back end's own access is in test_migration.c).
 */
#include "store/store.h"

#include "helpers/test_pg.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	char *dir;
	char *path; /* a SQLite file, or a PostgreSQL URI */
	Store *store;
} Fixture;

static void
setup(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	fixture->dir = g_dir_make_tmp("piculet-store-XXXXXX", &error);
	g_assert_no_error(error);
	fixture->path = test_pg_wanted()
	                        ? test_pg_database_new("contract")
	                        : g_build_filename(fixture->dir, "sub", "piculet.db", NULL);
	fixture->store = store_open(fixture->path, &error);
	g_assert_no_error(error);
}

static void
teardown(Fixture *fixture, gconstpointer data)
{
	store_close(fixture->store);
	if (test_pg_wanted())
		test_pg_database_drop(fixture->path);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", fixture->dir);
	g_assert_true(g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL));
	g_free(fixture->path);
	g_free(fixture->dir);
}

/* Each engine counts its own schema versions. */
static unsigned
latest_version(void)
{
	return test_pg_wanted() ? 14 : 25;
}

static void
test_opens_and_migrates(Fixture *fixture, gconstpointer data)
{
	g_assert_cmpuint(store_get_schema_version(fixture->store), ==, latest_version());
	/* Reopening an up-to-date database changes nothing. */
	store_close(fixture->store);
	g_autoptr(GError) error = NULL;
	fixture->store = store_open(fixture->path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(store_get_schema_version(fixture->store), ==, latest_version());
}

static void
test_unopenable_path(void)
{
	g_autoptr(GError) error = NULL;
	Store *store = store_open("/proc/piculet/cannot/piculet.db", &error);
	g_assert_null(store);
	g_assert_error(error, STORE_ERROR, STORE_ERROR_OPEN);
}

static void
test_blacklist(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	Store *store = fixture->store;
	bool blocked = true;
	g_assert_true(store_blacklist_add(store, "ceo@acme.example", "asked", &error));
	g_assert_true(store_blacklist_add(store, "@competitor.example", "", &error));
	g_assert_true(store_blacklist_add(store, "ceo@acme.example", "again", &error));
	g_assert_no_error(error);
	g_assert_true(store_blacklist_blocks(store, "ceo@acme.example", &blocked, &error));
	g_assert_true(blocked);
	g_assert_true(store_blacklist_blocks(store, "anyone@competitor.example", &blocked, &error));
	g_assert_true(blocked);
	g_assert_true(store_blacklist_blocks(store, "cto@acme.example", &blocked, &error));
	g_assert_false(blocked);
	g_autoptr(GPtrArray) entries = store_blacklist_list(store, &error);
	g_assert_cmpuint(entries->len, ==, 2);
	g_assert_cmpstr(entries->pdata[0], ==, "@competitor.example");
	bool removed = false;
	g_assert_true(store_blacklist_remove(store, "@competitor.example", &removed, &error));
	g_assert_true(removed);
	g_assert_true(store_blacklist_remove(store, "@competitor.example", &removed, &error));
	g_assert_false(removed);
	g_autoptr(GError) invalid = NULL;
	g_assert_false(store_blacklist_add(store, "not an entry", "", &invalid));
	g_assert_error(invalid, STORE_ERROR, STORE_ERROR_INVALID);
}

static void
test_prospect_put_and_update(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const char *names[] = {"role", "city"};
	const char *values[] = {"CTO", "Köln"};
	StoreProspectInput carol = {.email = "carol@acme.example",
	                            .first_name = "Carol",
	                            .company = "Acme",
	                            .field_names = names,
	                            .field_values = values,
	                            .n_fields = 2};
	StoreProspectResult result;
	g_assert_true(store_prospect_put(fixture->store, &carol, &result, &error));
	g_assert_cmpint(result, ==, STORE_PROSPECT_INSERTED);
	const char *new_values[] = {"CEO"};
	StoreProspectInput again = {.email = "carol@acme.example",
	                            .first_name = "Carol",
	                            .company = "Acme Corp",
	                            .field_names = names,
	                            .field_values = new_values,
	                            .n_fields = 1};
	g_assert_true(store_prospect_put(fixture->store, &again, &result, &error));
	g_assert_cmpint(result, ==, STORE_PROSPECT_UPDATED);
	g_autoptr(StoreProspect) stored =
	        store_prospect_get(fixture->store, "carol@acme.example", &error);
	g_assert_nonnull(stored);
	g_assert_cmpstr(stored->company, ==, "Acme Corp");
	g_assert_cmpstr(g_hash_table_lookup(stored->fields, "role"), ==, "CEO");
	g_assert_cmpstr(g_hash_table_lookup(stored->fields, "city"), ==, "Köln");
	g_assert_cmpstr(stored->status, ==, "ok");
	g_autoptr(StoreProspect) missing = store_prospect_get(fixture->store, "x@y.z", &error);
	g_assert_null(missing);
	g_assert_no_error(error);
}

static void
test_bounced_prospect_kept(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StoreProspectInput dave = {.email = "dave@acme.example", .first_name = "Dave"};
	StoreProspectResult result;
	bool found = false;
	g_assert_true(store_prospect_put(fixture->store, &dave, &result, &error));
	g_assert_true(store_prospect_set_status(fixture->store, "dave@acme.example", "bounced",
	                                        &found, &error));
	g_assert_true(found);
	StoreProspectInput renamed = {.email = "dave@acme.example", .first_name = "David"};
	g_assert_true(store_prospect_put(fixture->store, &renamed, &result, &error));
	g_assert_cmpint(result, ==, STORE_PROSPECT_UNCHANGED_BOUNCED);
	g_autoptr(StoreProspect) stored =
	        store_prospect_get(fixture->store, "dave@acme.example", &error);
	g_assert_cmpstr(stored->first_name, ==, "Dave");
	g_assert_cmpstr(stored->status, ==, "bounced");
	g_autoptr(GError) invalid = NULL;
	g_assert_false(store_prospect_set_status(fixture->store, "dave@acme.example", "gone",
	                                         &found, &invalid));
	g_assert_error(invalid, STORE_ERROR, STORE_ERROR_INVALID);
}

static void
test_rollback_leaves_nothing(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StoreProspectResult result;
	g_assert_true(store_begin(fixture->store, &error));
	for (int i = 0; i < 10; i++) {
		g_autofree char *email = g_strdup_printf("p%d@acme.example", i);
		StoreProspectInput p = {.email = email};
		g_assert_true(store_prospect_put(fixture->store, &p, &result, &error));
	}
	store_rollback(fixture->store);
	guint64 count = 99;
	g_assert_true(store_prospect_count(fixture->store, &count, &error));
	g_assert_cmpuint(count, ==, 0);
	g_assert_true(store_begin(fixture->store, &error));
	StoreProspectInput kept = {.email = "kept@acme.example"};
	g_assert_true(store_prospect_put(fixture->store, &kept, &result, &error));
	g_assert_true(store_commit(fixture->store, &error));
	g_assert_true(store_prospect_count(fixture->store, &count, &error));
	g_assert_cmpuint(count, ==, 1);
	g_autoptr(GPtrArray) list = store_prospect_list(fixture->store, 0, &error);
	g_assert_cmpuint(list->len, ==, 1);
}

static void
test_mailboxes(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const guint8 sealed_bytes[] = {1, 2, 3, 4};
	g_autoptr(GBytes) sealed = g_bytes_new(sealed_bytes, sizeof sealed_bytes);
	StoreMailboxInput alice = {.address = "alice@sender.test",
	                           .display_name = "Alice",
	                           .smtp_host = "smtp.sender.test",
	                           .smtp_port = 587,
	                           .smtp_security = "starttls",
	                           .smtp_user = "alice",
	                           .imap_host = "imap.sender.test",
	                           .imap_port = 993,
	                           .imap_security = "tls",
	                           .imap_user = "alice",
	                           .secret_source = "sealed",
	                           .secret_sealed = sealed,
	                           .daily_cap = 40,
	                           .interval_min_s = 60,
	                           .interval_max_s = 180};
	int64_t id = 0;
	g_assert_true(store_mailbox_add(fixture->store, &alice, &id, &error));
	g_assert_no_error(error);
	g_assert_cmpint(id, >, 0);
	g_autoptr(GError) twice = NULL;
	g_assert_false(store_mailbox_add(fixture->store, &alice, &id, &twice));
	g_assert_error(twice, STORE_ERROR, STORE_ERROR_INVALID);
	StoreMailboxInput relay = alice;
	relay.address = "bob@sender.test";
	relay.smtp_host = "smtp.mailgun.test";
	relay.secret_source = "env:BOB_PASSWORD";
	relay.secret_sealed = NULL;
	g_assert_true(store_mailbox_add(fixture->store, &relay, NULL, &error));
	g_autoptr(StoreMailbox) got =
	        store_mailbox_get(fixture->store, "alice@sender.test", &error);
	g_assert_nonnull(got);
	g_assert_cmpstr(got->imap_host, ==, "imap.sender.test");
	g_assert_cmpuint(got->imap_port, ==, 993);
	g_assert_true(g_bytes_equal(got->secret_sealed, sealed));
	g_assert_cmpint(got->daily_cap, ==, 40);
	g_autoptr(GPtrArray) all = store_mailbox_list(fixture->store, &error);
	g_assert_cmpuint(all->len, ==, 2);
	g_assert_cmpstr(((StoreMailbox *)all->pdata[1])->smtp_host, ==, "smtp.mailgun.test");
	g_assert_null(((StoreMailbox *)all->pdata[1])->secret_sealed);
	bool removed = false;
	g_assert_true(store_mailbox_remove(fixture->store, "bob@sender.test", &removed, &error));
	g_assert_true(removed);
	StoreMailboxInput bad = alice;
	bad.address = "carol@sender.test";
	bad.interval_min_s = 200;
	g_autoptr(GError) invalid = NULL;
	g_assert_false(store_mailbox_add(fixture->store, &bad, NULL, &invalid));
	g_assert_error(invalid, STORE_ERROR, STORE_ERROR_INVALID);
}

static void
add_mailbox(Store *store, const char *address)
{
	g_autoptr(GError) error = NULL;
	StoreMailboxInput mailbox = {.address = address,
	                             .smtp_host = "127.0.0.1",
	                             .smtp_port = 587,
	                             .smtp_security = "starttls",
	                             .imap_host = "127.0.0.1",
	                             .imap_port = 993,
	                             .imap_security = "tls",
	                             .secret_source = "env:PASSWORD",
	                             .daily_cap = 50,
	                             .interval_min_s = 60,
	                             .interval_max_s = 180};
	g_assert_true(store_mailbox_add(store, &mailbox, NULL, &error));
	g_assert_no_error(error);
}

static const StoreStepInput three_steps[] = {
        {.subject = "Hi {{first_name}}", .body = "Hello", .delay_s = 0},
        {.subject = NULL, .body = "Bump", .delay_s = 3 * 86400},
        {.subject = NULL, .body = "Last", .delay_s = 7 * 86400},
};

static void
test_campaigns(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	add_mailbox(fixture->store, "alice@sender.test");
	const char *mailboxes[] = {"alice@sender.test"};
	StoreCampaignInput input = {.name = "Q4",
	                            .definition = "name: Q4\n",
	                            .steps = three_steps,
	                            .n_steps = 3,
	                            .mailboxes = mailboxes,
	                            .n_mailboxes = 1};
	int64_t id = 0;
	g_assert_true(store_campaign_create(fixture->store, &input, &id, &error));
	g_assert_no_error(error);
	g_autoptr(GError) twice = NULL;
	g_assert_false(store_campaign_create(fixture->store, &input, NULL, &twice));
	g_assert_error(twice, STORE_ERROR, STORE_ERROR_INVALID);
	g_assert_nonnull(strstr(twice->message, "exists already"));

	g_autoptr(StoreCampaign) got = store_campaign_get(fixture->store, "Q4", &error);
	g_assert_nonnull(got);
	g_assert_cmpint(got->id, ==, id);
	g_assert_cmpstr(got->state, ==, "draft");
	g_assert_cmpuint(got->n_steps, ==, 3);
	g_assert_cmpstr(got->definition, ==, "name: Q4\n");
	g_assert_null(store_campaign_get(fixture->store, "Q5", &error));
	g_assert_no_error(error);

	bool found = false;
	g_assert_true(store_campaign_set_state(fixture->store, "Q4", "running", &found, &error));
	g_assert_true(found);
	g_autoptr(GError) bad_state = NULL;
	g_assert_false(
	        store_campaign_set_state(fixture->store, "Q4", "flying", &found, &bad_state));
	g_assert_error(bad_state, STORE_ERROR, STORE_ERROR_INVALID);

	/* An unknown mailbox: named, and nothing of the campaign is kept. */
	const char *unknown[] = {"nobody@sender.test"};
	StoreCampaignInput other = input;
	other.name = "Other";
	other.mailboxes = unknown;
	g_autoptr(GError) no_mailbox = NULL;
	g_assert_false(store_campaign_create(fixture->store, &other, NULL, &no_mailbox));
	g_assert_error(no_mailbox, STORE_ERROR, STORE_ERROR_INVALID);
	g_assert_nonnull(strstr(no_mailbox->message, "nobody@sender.test"));
	g_assert_null(store_campaign_get(fixture->store, "Other", &error));

	/* Updating: two steps instead of three is fine while nothing was sent. */
	StoreCampaignInput shorter = input;
	shorter.definition = "name: Q4\nshorter: yes\n";
	shorter.n_steps = 2;
	g_assert_true(store_campaign_update(fixture->store, &shorter, &error));
	g_assert_no_error(error);
	g_autoptr(StoreCampaign) updated = store_campaign_get_by_id(fixture->store, id, &error);
	g_assert_cmpuint(updated->n_steps, ==, 2);
	g_assert_cmpstr(updated->state, ==, "running");
	g_autoptr(GPtrArray) all = store_campaign_list(fixture->store, &error);
	g_assert_cmpuint(all->len, ==, 1);
}

static void
test_enrollments(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	add_mailbox(fixture->store, "alice@sender.test");
	const char *mailboxes[] = {"alice@sender.test"};
	StoreCampaignInput input = {.name = "A",
	                            .definition = "",
	                            .steps = three_steps,
	                            .n_steps = 1,
	                            .mailboxes = mailboxes,
	                            .n_mailboxes = 1};
	int64_t a = 0;
	int64_t b = 0;
	g_assert_true(store_campaign_create(fixture->store, &input, &a, &error));
	input.name = "B";
	g_assert_true(store_campaign_create(fixture->store, &input, &b, &error));
	StoreProspectResult put;
	const char *emails[] = {"ann@prospect.test", "bo@prospect.test", "cy@blocked.test"};
	for (gsize i = 0; i < G_N_ELEMENTS(emails); i++) {
		StoreProspectInput prospect = {.email = emails[i]};
		g_assert_true(store_prospect_put(fixture->store, &prospect, &put, &error));
	}
	bool found = false;
	g_assert_true(store_prospect_set_status(fixture->store, "bo@prospect.test", "bounced",
	                                        &found, &error));
	g_assert_true(store_blacklist_add(fixture->store, "@blocked.test", "", &error));

	StoreEnrollResult result;
	g_assert_true(store_enrollment_add(fixture->store, a, "ann@prospect.test", false, &result,
	                                   &error));
	g_assert_cmpint(result, ==, STORE_ENROLL_ADDED);
	g_assert_true(store_enrollment_add(fixture->store, a, "ann@prospect.test", false, &result,
	                                   &error));
	g_assert_cmpint(result, ==, STORE_ENROLL_ALREADY);
	g_assert_true(store_enrollment_add(fixture->store, b, "ann@prospect.test", false, &result,
	                                   &error));
	g_assert_cmpint(result, ==, STORE_ENROLL_IN_OTHER_CAMPAIGN);
	g_assert_true(store_enrollment_add(fixture->store, b, "ann@prospect.test", true, &result,
	                                   &error));
	g_assert_cmpint(result, ==, STORE_ENROLL_ADDED);
	g_assert_true(store_enrollment_add(fixture->store, a, "bo@prospect.test", false, &result,
	                                   &error));
	g_assert_cmpint(result, ==, STORE_ENROLL_NOT_CONTACTABLE);
	g_assert_true(
	        store_enrollment_add(fixture->store, a, "cy@blocked.test", false, &result, &error));
	g_assert_cmpint(result, ==, STORE_ENROLL_NOT_CONTACTABLE);
	g_assert_true(store_enrollment_add(fixture->store, a, "zed@prospect.test", false, &result,
	                                   &error));
	g_assert_cmpint(result, ==, STORE_ENROLL_NO_PROSPECT);
	g_assert_no_error(error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get_by_id(fixture->store, a, &error);
	g_assert_cmpuint(campaign->n_enrolled, ==, 1);
	g_assert_cmpuint(campaign->n_active, ==, 1);
}

static void
test_import_stamp_finds_duplicates(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	StoreProspectResult result;
	StoreProspectInput before = {.email = "old@prospect.test", .first_name = "Old"};
	g_assert_true(store_prospect_put(fixture->store, &before, &result, &error));
	g_assert_cmpint(result, ==, STORE_PROSPECT_INSERTED);
	/* One import: a new address twice, an old one twice. */
	const int64_t stamp = 1796000000000000;
	const char *rows[] = {"new@prospect.test", "old@prospect.test", "new@prospect.test",
	                      "old@prospect.test"};
	const StoreProspectResult expected[] = {STORE_PROSPECT_INSERTED, STORE_PROSPECT_UPDATED,
	                                        STORE_PROSPECT_DUPLICATE, STORE_PROSPECT_DUPLICATE};
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		StoreProspectInput row = {.email = rows[i],
		                          .first_name = i < 2 ? "First" : "Second",
		                          .import_stamp = stamp};
		g_assert_true(store_prospect_put(fixture->store, &row, &result, &error));
		g_assert_cmpint(result, ==, expected[i]);
	}
	/* The duplicate changed nothing: the first row of the file wins. */
	g_autoptr(StoreProspect) got =
	        store_prospect_get(fixture->store, "new@prospect.test", &error);
	g_assert_cmpstr(got->first_name, ==, "First");
	/* The next import (another stamp) updates them again. */
	StoreProspectInput again = {.email = "new@prospect.test", .import_stamp = stamp + 1};
	g_assert_true(store_prospect_put(fixture->store, &again, &result, &error));
	g_assert_cmpint(result, ==, STORE_PROSPECT_UPDATED);
}

/* Many prospects at once say what one at a time would: new ones
 * inserted (with their fields, odd text and all), known ones updated, a
 * bounced or opted-out one left, an address again in the same import its
 * duplicate (the first row wins), a bounced one again bounced again; a
 * batch of the next import after it; rows without an import's stamp
 * update each other. */
static void
test_put_many_as_one_by_one(Fixture *fixture, gconstpointer data)
{
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	StoreProspectResult result;
	const char *known[] = {"old@prospect.test", "gone@prospect.test", "out@prospect.test"};
	for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
		StoreProspectInput before = {.email = known[i], .first_name = "Before"};
		g_assert_true(store_prospect_put(store, &before, &result, &error));
	}
	bool found = false;
	g_assert_true(
	        store_prospect_set_status(store, "gone@prospect.test", "bounced", &found, &error));
	g_assert_true(
	        store_prospect_set_status(store, "out@prospect.test", "opted_out", &found, &error));
	const int64_t stamp = 1796000000000000;
	const char *names[] = {"note"};
	const char *notes[] = {"a\ttab\nand \\N", "second"};
	const char *rows[] = {"new@prospect.test", "old@prospect.test", "gone@prospect.test",
	                      "out@prospect.test", "new@prospect.test", "gone@prospect.test",
	                      "old@prospect.test", "more@prospect.test"};
	const StoreProspectResult expected[] = {
	        STORE_PROSPECT_INSERTED,          STORE_PROSPECT_UPDATED,
	        STORE_PROSPECT_UNCHANGED_BOUNCED, STORE_PROSPECT_UNCHANGED_OPTED_OUT,
	        STORE_PROSPECT_DUPLICATE,         STORE_PROSPECT_UNCHANGED_BOUNCED,
	        STORE_PROSPECT_DUPLICATE,         STORE_PROSPECT_INSERTED};
	StoreProspectInput inputs[G_N_ELEMENTS(rows)];
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
		inputs[i] = (StoreProspectInput){.email = rows[i],
		                                 .first_name = i < 4 ? "First" : "Second",
		                                 .company = "Tab\tCo",
		                                 .field_names = names,
		                                 .field_values = &notes[i < 4 ? 0 : 1],
		                                 .n_fields = 1,
		                                 .import_stamp = stamp};
	StoreProspectResult results[G_N_ELEMENTS(rows)];
	g_assert_true(store_prospect_put_many(store, inputs, G_N_ELEMENTS(rows), results, &error));
	g_assert_no_error(error);
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
		g_assert_cmpint(results[i], ==, expected[i]);
	g_autoptr(StoreProspect) new_one = store_prospect_get(store, "new@prospect.test", &error);
	g_assert_cmpstr(new_one->first_name, ==, "First");
	g_assert_cmpstr(new_one->company, ==, "Tab\tCo");
	g_assert_cmpstr(g_hash_table_lookup(new_one->fields, "note"), ==, "a\ttab\nand \\N");
	g_assert_cmpstr(new_one->status, ==, "ok");
	g_autoptr(StoreProspect) old = store_prospect_get(store, "old@prospect.test", &error);
	g_assert_cmpstr(old->first_name, ==, "First");
	g_autoptr(StoreProspect) gone = store_prospect_get(store, "gone@prospect.test", &error);
	g_assert_cmpstr(gone->first_name, ==, "Before");
	guint64 count = 0;
	g_assert_true(store_prospect_count(store, &count, &error));
	g_assert_cmpuint(count, ==, 5);

	/* The next import: all known now. */
	StoreProspectInput next[] = {{.email = "new@prospect.test", .import_stamp = stamp + 1},
	                             {.email = "more@prospect.test", .import_stamp = stamp + 1}};
	g_assert_true(store_prospect_put_many(store, next, 2, results, &error));
	g_assert_cmpint(results[0], ==, STORE_PROSPECT_UPDATED);
	g_assert_cmpint(results[1], ==, STORE_PROSPECT_UPDATED);
	/* No stamp: the second row updates what the first wrote. */
	StoreProspectInput plain[] = {{.email = "plain@prospect.test", .first_name = "One"},
	                              {.email = "plain@prospect.test", .first_name = "Two"}};
	g_assert_true(store_prospect_put_many(store, plain, 2, results, &error));
	g_assert_cmpint(results[0], ==, STORE_PROSPECT_INSERTED);
	g_assert_cmpint(results[1], ==, STORE_PROSPECT_UPDATED);
	g_autoptr(StoreProspect) two = store_prospect_get(store, "plain@prospect.test", &error);
	g_assert_cmpstr(two->first_name, ==, "Two");
	g_assert_no_error(error);
}

/* A running three-step campaign "E" from alice with ann enrolled;
 * returns her enrollment (owned by the caller). */
static StoreEnrollment *
engine_fixture(Fixture *fixture, int64_t *mailbox_id, int64_t *campaign_id)
{
	g_autoptr(GError) error = NULL;
	add_mailbox(fixture->store, "alice@sender.test");
	g_autoptr(StoreMailbox) alice =
	        store_mailbox_get(fixture->store, "alice@sender.test", &error);
	*mailbox_id = alice->id;
	const char *mailboxes[] = {"alice@sender.test"};
	StoreCampaignInput input = {.name = "E",
	                            .definition = "",
	                            .steps = three_steps,
	                            .n_steps = 3,
	                            .mailboxes = mailboxes,
	                            .n_mailboxes = 1};
	g_assert_true(store_campaign_create(fixture->store, &input, campaign_id, &error));
	bool found = false;
	g_assert_true(store_campaign_set_state(fixture->store, "E", "running", &found, &error));
	StoreProspectResult put;
	StoreProspectInput ann = {.email = "ann@prospect.test"};
	g_assert_true(store_prospect_put(fixture->store, &ann, &put, &error));
	StoreEnrollResult result;
	g_assert_true(store_enrollment_add(fixture->store, *campaign_id, "ann@prospect.test", false,
	                                   &result, &error));
	g_assert_no_error(error);
	return store_enrollment_get(fixture->store, *campaign_id, "ann@prospect.test", &error);
}

/* bob@prospect.test, made and enrolled in @campaign_id beside ann; his
 * enrollment (owned by the caller). */
static StoreEnrollment *
enroll_bob(Store *store, int64_t campaign_id)
{
	g_autoptr(GError) error = NULL;
	StoreProspectResult put;
	StoreProspectInput bob = {.email = "bob@prospect.test"};
	g_assert_true(store_prospect_put(store, &bob, &put, &error));
	StoreEnrollResult result;
	g_assert_true(store_enrollment_add(store, campaign_id, "bob@prospect.test", false, &result,
	                                   &error));
	g_assert_no_error(error);
	return store_enrollment_get(store, campaign_id, "bob@prospect.test", &error);
}

#define DAY_US ((int64_t)86400 * G_USEC_PER_SEC)

/* Records an event of @kind about @message of @enrollment. */
static void
add_report_event(Store *store, int64_t mailbox_id, int64_t enrollment, int64_t message,
                 const char *kind)
{
	g_autoptr(GError) error = NULL;
	StoreEventInput event = {.at_us = 9 * DAY_US,
	                         .kind = kind,
	                         .mailbox_id = mailbox_id,
	                         .enrollment_id = enrollment,
	                         .message_id = message,
	                         .detail = kind};
	g_assert_true(store_event_add(store, &event, &error));
	g_assert_no_error(error);
}

/* The step report, its variants and its days as one line, to compare. */
static char *
report_line(Store *store, int64_t campaign_id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) steps = store_campaign_report(store, campaign_id, &error);
	g_autoptr(GArray) variants = store_campaign_variants(store, campaign_id, &error);
	g_autoptr(GArray) days = store_campaign_days(store, campaign_id, &error);
	g_autoptr(GPtrArray) intents = store_inbound_count_intents(store, campaign_id, &error);
	g_assert_no_error(error);
	GString *line = g_string_new(NULL);
	for (guint i = 0; i < steps->len; i++) {
		const StoreStepReport *r = &g_array_index(steps, StoreStepReport, i);
		g_string_append_printf(line,
		                       "step %d: %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
		                       " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
		                       " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
		                       " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "; ",
		                       r->step, r->sent, r->replied, r->auto_replied, r->bounced,
		                       r->opted_out, r->uncertain, r->opened, r->clicked);
	}
	for (guint i = 0; i < variants->len; i++) {
		const StoreVariantReport *v = &g_array_index(variants, StoreVariantReport, i);
		g_string_append_printf(line,
		                       "%d%c: %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
		                       " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "; ",
		                       v->step, 'A' + v->variant, v->sent, v->replied, v->bounced,
		                       v->opted_out);
	}
	for (guint i = 0; i < days->len; i++) {
		const StoreDayCount *d = &g_array_index(days, StoreDayCount, i);
		g_string_append_printf(line,
		                       "day %" G_GINT64_FORMAT ": %" G_GUINT64_FORMAT
		                       " %" G_GUINT64_FORMAT "; ",
		                       d->day, d->sent, d->replied);
	}
	for (guint i = 0; i < intents->len; i++) {
		const StoreCount *c = intents->pdata[i];
		g_string_append_printf(line, "%s %" G_GUINT64_FORMAT "; ", c->name, c->n);
	}
	return g_string_free(line, FALSE);
}

/* The report is kept as rows change (schema 20), not counted at each read:
 * it must follow every way a count changes: a message sent, events (twice
 * on one message: two replies, one "replied"), replies read on their day,
 * and a prospect erased, whose messages, events and replies all leave it. */
static void
test_report_follows_every_change(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) ann = engine_fixture(fixture, &mailbox_id, &campaign_id);
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreEnrollment) bob_here = enroll_bob(store, campaign_id);
	int64_t ann_1 = 0;
	int64_t ann_2 = 0;
	int64_t bob_1 = 0;
	g_assert_true(store_message_begin(store, ann->id, 1, 0, mailbox_id, "r1@sender.test", "A",
	                                  2 * DAY_US, &ann_1, &error));
	g_assert_true(store_message_finish(store, ann_1, "sent", "250", 2 * DAY_US + 5, &error));
	g_assert_true(store_message_begin(store, bob_here->id, 1, 1, mailbox_id, "r2@sender.test",
	                                  "B", 3 * DAY_US, &bob_1, &error));
	g_assert_true(store_message_finish(store, bob_1, "sent", "250", 3 * DAY_US + 5, &error));
	g_assert_true(store_message_begin(store, ann->id, 2, 0, mailbox_id, "r3@sender.test", "A2",
	                                  4 * DAY_US, &ann_2, &error));
	g_assert_true(store_message_finish(store, ann_2, "uncertain", "lost", 0, &error));
	g_assert_no_error(error);
	for (int i = 0; i < 2; i++)
		add_report_event(store, mailbox_id, ann->id, ann_1, "reply");
	for (int i = 0; i < 3; i++)
		add_report_event(store, mailbox_id, ann->id, ann_1, "open");
	add_report_event(store, mailbox_id, ann->id, ann_1, "machine_fetch");
	add_report_event(store, mailbox_id, bob_here->id, bob_1, "auto_reply");
	add_report_event(store, mailbox_id, bob_here->id, bob_1, "click");
	add_report_event(store, mailbox_id, bob_here->id, bob_1, "bounce");
	add_report_event(store, mailbox_id, bob_here->id, bob_1, "opt_out");
	const struct {
		int64_t enrollment;
		const char *klass;
		const char *message_id;
		int64_t at;
		const char *intent;
	} inbound[] = {{ann->id, "reply", "<i1@prospect.test>", 6 * DAY_US + 1, "interested"},
	               {bob_here->id, "reply", "<i2@prospect.test>", 6 * DAY_US + 2, "later"},
	               {bob_here->id, "reply", "<i4@prospect.test>", 6 * DAY_US + 3, "later"},
	               {bob_here->id, "auto_reply", "<i3@prospect.test>", 7 * DAY_US, NULL}};
	for (gsize i = 0; i < G_N_ELEMENTS(inbound); i++) {
		StoreInboundInput in = {.mailbox_id = mailbox_id,
		                        .message_id = inbound[i].message_id,
		                        .enrollment_id = inbound[i].enrollment,
		                        .klass = inbound[i].klass,
		                        .from_address = "x@prospect.test",
		                        .subject = "Re",
		                        .reply_text = "",
		                        .received_at = inbound[i].at,
		                        .intent = inbound[i].intent};
		bool added = false;
		g_assert_true(store_inbound_add(store, &in, &added, &error));
		g_assert_true(added);
	}
	g_autofree char *both = report_line(store, campaign_id);
	g_assert_cmpstr(
	        both, ==,
	        "step 1: 2 2 1 1 1 0 1 1; step 2: 0 0 0 0 0 1 0 0; step 3: 0 0 0 0 0 0 0 0; "
	        "1A: 1 1 0 0; 1B: 1 0 1 1; 2A: 0 0 0 0; "
	        "day 2: 1 0; day 3: 1 0; day 6: 0 3; later 2; interested 1; ");
	/* A person reads ann's reply again: a meeting, not interest. */
	g_autoptr(GPtrArray) anns = store_inbound_list_for_enrollment(store, ann->id, &error);
	g_assert_cmpuint(anns->len, ==, 1);
	bool found = false;
	g_assert_true(store_inbound_set_intent(store, ((StoreReply *)anns->pdata[0])->id, "meeting",
	                                       &found, &error));
	g_assert_true(found);

	bool removed = false;
	g_assert_true(store_prospect_remove(store, "bob@prospect.test", &removed, &error));
	g_assert_true(removed);
	g_autofree char *ann_only = report_line(store, campaign_id);
	g_assert_cmpstr(
	        ann_only, ==,
	        "step 1: 1 2 0 0 0 0 1 0; step 2: 0 0 0 0 0 1 0 0; step 3: 0 0 0 0 0 0 0 0; "
	        "1A: 1 1 0 0; 2A: 0 0 0 0; day 2: 1 0; day 6: 0 1; meeting 1; ");
	/* The engine takes an unsent record back: it leaves the report too. */
	int64_t taken = 0;
	g_assert_true(store_message_begin(store, ann->id, 3, 0, mailbox_id, "r4@sender.test", "A3",
	                                  8 * DAY_US, &taken, &error));
	g_assert_true(store_message_discard(store, taken, &error));
	g_autofree char *after = report_line(store, campaign_id);
	g_assert_cmpstr(after, ==, ann_only);
	g_assert_no_error(error);
}

/* Events added in a batch (a server's fetches of tracked images): every
 * open and click counts on its message, as one at a time; a batch with one
 * bad event (a message that is not there) adds none of them. */
static void
test_events_added_in_a_batch(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) ann = engine_fixture(fixture, &mailbox_id, &campaign_id);
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	int64_t message = 0;
	g_assert_true(store_message_begin(store, ann->id, 1, 0, mailbox_id, "b1@sender.test", "A",
	                                  2 * DAY_US, &message, &error));
	g_assert_true(store_message_finish(store, message, "sent", "250", 2 * DAY_US + 5, &error));
	g_assert_no_error(error);
	StoreEventInput events[40];
	for (gsize i = 0; i < G_N_ELEMENTS(events); i++)
		events[i] = (StoreEventInput){.at_us = 3 * DAY_US + (int64_t)i,
		                              .kind = i % 10 == 9 ? "click" : "open",
		                              .mailbox_id = mailbox_id,
		                              .enrollment_id = ann->id,
		                              .message_id = message,
		                              .detail = "fetched"};
	g_assert_true(store_event_add_all(store, events, G_N_ELEMENTS(events), &error));
	g_assert_no_error(error);
	g_autofree char *counted = report_line(store, campaign_id);
	g_assert_nonnull(strstr(counted, "step 1: 1 0 0 0 0 0 1 1; "));
	g_autoptr(GPtrArray) timeline = store_event_list_for_prospect(store, ann->email, &error);
	g_assert_cmpuint(timeline->len, ==, G_N_ELEMENTS(events));

	events[17].message_id = message + 1000;
	g_assert_false(store_event_add_all(store, events, G_N_ELEMENTS(events), &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	g_autoptr(GPtrArray) after = store_event_list_for_prospect(store, ann->email, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(after->len, ==, G_N_ELEMENTS(events));
	g_autofree char *unchanged = report_line(store, campaign_id);
	g_assert_cmpstr(unchanged, ==, counted);
}

/* A/B/n: each message keeps its variant; the counts split by step and
 * variant, a message answered twice counted once; a step's winner is
 * recorded once (a second engine's pick does not replace it). */
static void
test_variants_and_a_winner(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) ann = engine_fixture(fixture, &mailbox_id, &campaign_id);
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreEnrollment) bob_here = enroll_bob(store, campaign_id);
	int64_t a_row = 0;
	int64_t b_row = 0;
	int64_t follow = 0;
	g_assert_true(store_message_begin(store, ann->id, 1, 0, mailbox_id, "va@sender.test", "A",
	                                  1000, &a_row, &error));
	g_assert_true(store_message_finish(store, a_row, "sent", "250", 1000, &error));
	g_assert_true(store_message_begin(store, bob_here->id, 1, 1, mailbox_id, "vb@sender.test",
	                                  "B", 1000, &b_row, &error));
	g_assert_true(store_message_finish(store, b_row, "sent", "250", 1000, &error));
	g_assert_true(store_message_begin(store, bob_here->id, 2, 2, mailbox_id, "vc@sender.test",
	                                  "C", 3000, &follow, &error));
	g_assert_no_error(error);
	for (int i = 0; i < 2; i++) {
		StoreEventInput reply = {.at_us = 2000 + i,
		                         .kind = "reply",
		                         .mailbox_id = mailbox_id,
		                         .enrollment_id = bob_here->id,
		                         .message_id = b_row,
		                         .detail = "yes"};
		g_assert_true(store_event_add(store, &reply, &error));
	}
	g_autoptr(StoreMessage) found = store_message_find(store, "vb@sender.test", &error);
	g_assert_cmpint(found->variant, ==, 1);
	g_autoptr(GArray) variants = store_campaign_variants(store, campaign_id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(variants->len, ==, 3);
	const StoreVariantReport *a = &g_array_index(variants, StoreVariantReport, 0);
	const StoreVariantReport *b = &g_array_index(variants, StoreVariantReport, 1);
	const StoreVariantReport *c = &g_array_index(variants, StoreVariantReport, 2);
	g_assert_cmpint(a->step, ==, 1);
	g_assert_cmpint(a->variant, ==, 0);
	g_assert_cmpuint(a->sent, ==, 1);
	g_assert_cmpuint(a->replied, ==, 0);
	g_assert_cmpint(b->variant, ==, 1);
	g_assert_cmpuint(b->sent, ==, 1);
	g_assert_cmpuint(b->replied, ==, 1);
	g_assert_cmpint(c->step, ==, 2);
	g_assert_cmpint(c->variant, ==, 2);
	g_assert_cmpuint(c->sent, ==, 0); /* still sending */

	bool recorded = false;
	g_assert_true(store_campaign_set_winner(store, campaign_id, 1, 1, 5000, "B wins", &recorded,
	                                        &error));
	g_assert_true(recorded);
	g_assert_true(store_campaign_set_winner(store, campaign_id, 1, 0, 6000, "A wins", &recorded,
	                                        &error));
	g_assert_false(recorded);
	g_autoptr(GArray) winners = store_campaign_winners(store, campaign_id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(winners->len, ==, 1);
	const StoreWinner *w = &g_array_index(winners, StoreWinner, 0);
	g_assert_cmpint(w->step, ==, 1);
	g_assert_cmpint(w->variant, ==, 1);
	g_assert_cmpint(w->decided_at, ==, 5000);
	g_assert_cmpstr(w->detail, ==, "B wins");
	g_autoptr(GError) bad = NULL;
	g_assert_false(store_campaign_set_winner(store, campaign_id, 0, 1, 1, "", &recorded, &bad));
	g_assert_error(bad, STORE_ERROR, STORE_ERROR_INVALID);

	/* The mailbox's own report over its campaigns: two sent, the replies
	 * as events (like a campaign's), the one still sending not counted. */
	StoreStepReport totals;
	g_autoptr(GArray) days = NULL;
	g_assert_true(store_mailbox_report(store, mailbox_id, &totals, &days, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(totals.sent, ==, 2);
	g_assert_cmpuint(totals.replied, ==, 2);
	g_assert_cmpuint(totals.bounced, ==, 0);
	g_assert_cmpuint(days->len, ==, 1);
	g_assert_cmpint(g_array_index(days, StoreDayCount, 0).day, ==, 0);
	g_assert_cmpuint(g_array_index(days, StoreDayCount, 0).sent, ==, 2);
	g_assert_cmpuint(g_array_index(days, StoreDayCount, 0).replied, ==, 2);
	g_autoptr(GArray) none = NULL;
	g_assert_true(store_mailbox_report(store, mailbox_id + 100, &totals, &none, &error));
	g_assert_cmpuint(totals.sent, ==, 0);
	g_assert_cmpuint(none->len, ==, 0);
}

/* A task step's to-do: one per enrollment and step, listed while open
 * with whom and what it is about, done once. */
static void
test_tasks(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) ann = engine_fixture(fixture, &mailbox_id, &campaign_id);
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	int64_t id = 0;
	int64_t again = 0;
	g_assert_true(
	        store_task_add(store, ann->id, 2, "call", "Ask about the demo", 1000, &id, &error));
	g_assert_cmpint(id, >, 0);
	g_assert_true(store_task_add(store, ann->id, 2, "call", "twice", 2000, &again, &error));
	g_assert_cmpint(again, ==, id);
	g_autoptr(GPtrArray) open = store_task_list(store, false, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(open->len, ==, 1);
	const StoreTask *task = open->pdata[0];
	g_assert_cmpstr(task->kind, ==, "call");
	g_assert_cmpstr(task->note, ==, "Ask about the demo");
	g_assert_cmpstr(task->email, ==, "ann@prospect.test");
	g_assert_cmpstr(task->campaign, ==, "E");
	g_assert_cmpstr(task->state, ==, "queued");
	g_assert_cmpint(task->step, ==, 2);
	g_assert_cmpint(task->done_at, ==, 0);
	bool done = false;
	g_assert_true(store_task_done(store, id, 5000, "sam", &done, &error));
	g_assert_true(done);
	g_assert_true(store_task_done(store, id, 6000, "kim", &done, &error));
	g_assert_false(done);
	g_autoptr(GPtrArray) none = store_task_list(store, false, 0, &error);
	g_assert_cmpuint(none->len, ==, 0);
	g_autoptr(GPtrArray) all = store_task_list(store, true, 0, &error);
	g_assert_cmpuint(all->len, ==, 1);
	g_autoptr(StoreTask) got = store_task_get(store, id, &error);
	g_assert_cmpint(got->done_at, ==, 5000);
	g_assert_cmpstr(got->done_by, ==, "sam");
	g_assert_null(store_task_get(store, id + 100, &error));
	g_assert_no_error(error);
}

/* "Never twice" rests on the store: a step of an enrollment is begun once;
 * a second begin is refused whatever its Message-ID, until the first is
 * discarded (it certainly did not leave). */
static void
test_message_step_begun_once(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) e = engine_fixture(fixture, &mailbox_id, &campaign_id);
	g_autoptr(GError) error = NULL;
	int64_t first = 0;
	g_assert_true(store_message_begin(fixture->store, e->id, 1, 0, mailbox_id,
	                                  "one@sender.test", "Hi", 1000, &first, &error));
	g_assert_no_error(error);
	int64_t again = 0;
	g_autoptr(GError) twice = NULL;
	g_assert_false(store_message_begin(fixture->store, e->id, 1, 0, mailbox_id,
	                                   "two@sender.test", "Hi", 2000, &again, &twice));
	g_assert_error(twice, STORE_ERROR, STORE_ERROR_CONFLICT);
	g_autoptr(GPtrArray) sending =
	        store_message_list_sending(fixture->store, mailbox_id, &error);
	g_assert_cmpuint(sending->len, ==, 1);
	g_autoptr(StoreMessage) found =
	        store_message_find(fixture->store, "one@sender.test", &error);
	g_assert_cmpstr(found->state, ==, "sending");
	g_assert_null(store_message_find(fixture->store, "two@sender.test", &error));
	g_assert_no_error(error);
	/* Discarded (not sent for certain), the step may begin again. */
	g_assert_true(store_message_discard(fixture->store, first, &error));
	g_assert_true(store_message_begin(fixture->store, e->id, 1, 0, mailbox_id,
	                                  "two@sender.test", "Hi", 3000, &again, &error));
	g_assert_true(store_message_finish(fixture->store, again, "sent", "250 ok", 3500, &error));
	g_autoptr(StoreMessage) sent =
	        store_message_find(fixture->store, "two@sender.test", &error);
	g_assert_cmpstr(sent->state, ==, "sent");
	g_assert_cmpint(sent->sent_at, ==, 3500);
	g_assert_cmpstr(sent->smtp_reply, ==, "250 ok");
	guint count = 0;
	g_assert_true(store_mailbox_count_sent(fixture->store, mailbox_id, 0, &count, &error));
	g_assert_cmpuint(count, ==, 1);
	/* Complaints: the mailbox's, since the time asked. */
	StoreEventInput complaint = {.at_us = 4000,
	                             .kind = "complaint",
	                             .mailbox_id = mailbox_id,
	                             .enrollment_id = e->id,
	                             .detail = "complained (abuse)"};
	g_assert_true(store_event_add(fixture->store, &complaint, &error));
	g_assert_true(
	        store_mailbox_count_complaints(fixture->store, mailbox_id, 3999, &count, &error));
	g_assert_cmpuint(count, ==, 1);
	g_assert_true(
	        store_mailbox_count_complaints(fixture->store, mailbox_id, 4001, &count, &error));
	g_assert_cmpuint(count, ==, 0);
	g_autoptr(GPtrArray) thread =
	        store_message_list_for_enrollment(fixture->store, e->id, &error);
	g_assert_cmpuint(thread->len, ==, 1);
}

/* Two writers of one enrollment: the write made on an older read is
 * refused (STORE_ERROR_CONFLICT) and changes nothing, so a follow-up's
 * "sent" can never undo a "replied" written meanwhile; a step begun is
 * handed out by neither list of due work again. */
static void
test_enrollment_revisions_and_claims(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) sender = engine_fixture(fixture, &mailbox_id, &campaign_id);
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreEnrollment) reader =
	        store_enrollment_get_by_id(fixture->store, sender->id, &error);
	g_assert_cmpint(reader->revision, ==, sender->revision);
	int64_t before = reader->revision;
	g_free(reader->state);
	reader->state = g_strdup("replied");
	g_assert_true(store_enrollment_update(fixture->store, reader, &error));
	g_assert_no_error(error);
	g_assert_cmpint(reader->revision, ==, before + 1);
	g_free(sender->state);
	sender->state = g_strdup("active");
	sender->next_step = 2;
	g_autoptr(GError) conflict = NULL;
	g_assert_false(store_enrollment_update(fixture->store, sender, &conflict));
	g_assert_error(conflict, STORE_ERROR, STORE_ERROR_CONFLICT);
	g_assert_cmpint(sender->revision, ==, before);
	g_autoptr(StoreEnrollment) now =
	        store_enrollment_get_by_id(fixture->store, sender->id, &error);
	g_assert_cmpstr(now->state, ==, "replied");
	g_assert_cmpint(now->next_step, ==, 1);
	g_assert_cmpint(now->revision, ==, before + 1);

	/* Queued and due: listed until its step is begun, then not. */
	g_free(now->state);
	now->state = g_strdup("queued");
	now->next_due_at = 10;
	g_assert_true(store_enrollment_update(fixture->store, now, &error));
	g_autoptr(GPtrArray) queued =
	        store_enrollment_list_queued(fixture->store, campaign_id, 100, 10, NULL, &error);
	g_assert_cmpuint(queued->len, ==, 1);
	/* A capped domain is left out; a domain that only ends like it is
	 * not. */
	g_autoptr(GPtrArray) skipped = store_enrollment_list_queued(
	        fixture->store, campaign_id, 100, 10, ",acme.test,prospect.test,", &error);
	g_assert_cmpuint(skipped->len, ==, 0);
	g_autoptr(GPtrArray) kept = store_enrollment_list_queued(
	        fixture->store, campaign_id, 100, 10, ",other.prospect.test,", &error);
	g_assert_cmpuint(kept->len, ==, 1);
	int64_t row = 0;
	g_assert_true(store_message_begin(fixture->store, now->id, 1, 0, mailbox_id,
	                                  "claimed@sender.test", "Hi", 50, &row, &error));
	g_autoptr(GPtrArray) claimed =
	        store_enrollment_list_queued(fixture->store, campaign_id, 100, 10, NULL, &error);
	g_assert_cmpuint(claimed->len, ==, 0);
	/* Sent: active at step 2, mailbox set; due again, listed for step 2. */
	g_assert_true(store_message_finish(fixture->store, row, "sent", "250", 60, &error));
	g_free(now->state);
	now->state = g_strdup("active");
	now->next_step = 2;
	now->mailbox_id = mailbox_id;
	g_assert_true(store_enrollment_update(fixture->store, now, &error));
	g_autoptr(GPtrArray) due =
	        store_enrollment_list_due(fixture->store, mailbox_id, 100, 10, NULL, &error);
	g_assert_cmpuint(due->len, ==, 1);
	g_autoptr(GPtrArray) due_skipped = store_enrollment_list_due(
	        fixture->store, mailbox_id, 100, 10, ",prospect.test,", &error);
	g_assert_cmpuint(due_skipped->len, ==, 0);
	g_assert_true(store_message_begin(fixture->store, now->id, 2, 0, mailbox_id,
	                                  "second@sender.test", "Re: Hi", 70, &row, &error));
	g_autoptr(GPtrArray) begun =
	        store_enrollment_list_due(fixture->store, mailbox_id, 100, 10, NULL, &error);
	g_assert_cmpuint(begun->len, ==, 0);
	g_assert_no_error(error);
}

/* The rest of store.h: a mailbox's settings replaced, its pacing time, a
 * campaign's enrollments and counts, the report per step, a prospect's
 * enrollments everywhere, its timeline, and its removal with what was sent
 * to it. */
static void
test_the_rest(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) ann = engine_fixture(fixture, &mailbox_id, &campaign_id);
	g_autoptr(GError) error = NULL;
	Store *store = fixture->store;

	/* Settings replaced; pacing state kept until set. */
	g_assert_true(store_mailbox_set_next_send(store, mailbox_id, 4242, &error));
	StoreMailboxInput changed = {.address = "alice@sender.test",
	                             .smtp_host = "relay.test",
	                             .smtp_port = 2525,
	                             .smtp_security = "tls",
	                             .imap_host = "127.0.0.1",
	                             .imap_port = 993,
	                             .imap_security = "tls",
	                             .secret_source = "env:OTHER",
	                             .daily_cap = 7,
	                             .interval_min_s = 5,
	                             .interval_max_s = 9};
	bool found = false;
	g_assert_true(store_mailbox_update(store, &changed, &found, &error));
	g_assert_true(found);
	g_autoptr(StoreMailbox) alice = store_mailbox_get(store, "alice@sender.test", &error);
	g_assert_cmpstr(alice->smtp_host, ==, "relay.test");
	g_assert_cmpint(alice->smtp_port, ==, 2525);
	g_assert_cmpint(alice->daily_cap, ==, 7);
	g_assert_cmpstr(alice->secret_source, ==, "env:OTHER");
	g_assert_cmpint(alice->next_send_at, ==, 4242);
	changed.address = "nobody@sender.test";
	g_assert_true(store_mailbox_update(store, &changed, &found, &error));
	g_assert_false(found);

	/* Bob in the same campaign and in a second one. */
	StoreProspectResult put;
	StoreProspectInput bob = {.email = "bob@prospect.test"};
	g_assert_true(store_prospect_put(store, &bob, &put, &error));
	StoreEnrollResult result;
	g_assert_true(store_enrollment_add(store, campaign_id, "bob@prospect.test", false, &result,
	                                   &error));
	const char *mailboxes[] = {"alice@sender.test"};
	StoreCampaignInput second = {.name = "F",
	                             .definition = "",
	                             .steps = three_steps,
	                             .n_steps = 3,
	                             .mailboxes = mailboxes,
	                             .n_mailboxes = 1};
	int64_t second_id = 0;
	g_assert_true(store_campaign_create(store, &second, &second_id, &error));
	g_assert_true(
	        store_enrollment_add(store, second_id, "bob@prospect.test", true, &result, &error));
	g_assert_cmpint(result, ==, STORE_ENROLL_ADDED);
	g_autoptr(GPtrArray) all = store_enrollment_list(store, campaign_id, 0, &error);
	g_assert_cmpuint(all->len, ==, 2);
	g_assert_cmpstr(((StoreEnrollment *)all->pdata[0])->email, ==, "ann@prospect.test");
	g_autoptr(GPtrArray) first = store_enrollment_list(store, campaign_id, 1, &error);
	g_assert_cmpuint(first->len, ==, 1);
	g_autoptr(GPtrArray) bobs =
	        store_enrollment_list_for_prospect(store, "bob@prospect.test", &error);
	g_assert_cmpuint(bobs->len, ==, 2);

	/* Ann's opening sent at 1000 and answered; bob's at 5000, uncertain. */
	int64_t row = 0;
	g_assert_true(store_message_begin(store, ann->id, 1, 0, mailbox_id, "a1@sender.test", "Hi",
	                                  1000, &row, &error));
	g_assert_true(store_message_finish(store, row, "sent", "250", 1000, &error));
	StoreEventInput reply = {.at_us = 2000,
	                         .kind = "reply",
	                         .mailbox_id = mailbox_id,
	                         .enrollment_id = ann->id,
	                         .message_id = row,
	                         .detail = "yes"};
	g_assert_true(store_event_add(store, &reply, &error));
	g_autoptr(StoreEnrollment) bob_here =
	        store_enrollment_get(store, campaign_id, "bob@prospect.test", &error);
	g_assert_true(store_message_begin(store, bob_here->id, 1, 0, mailbox_id, "b1@sender.test",
	                                  "Hi", 5000, &row, &error));
	g_assert_true(store_message_finish(store, row, "uncertain", "lost", 0, &error));
	guint openings = 0;
	g_assert_true(store_campaign_count_openings(store, campaign_id, 0, &openings, &error));
	g_assert_cmpuint(openings, ==, 2);
	g_assert_true(store_campaign_count_openings(store, campaign_id, 3000, &openings, &error));
	g_assert_cmpuint(openings, ==, 1);
	g_autoptr(GArray) report = store_campaign_report(store, campaign_id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(report->len, ==, 3);
	const StoreStepReport *step1 = &g_array_index(report, StoreStepReport, 0);
	g_assert_cmpint(step1->step, ==, 1);
	g_assert_cmpuint(step1->sent, ==, 1);
	g_assert_cmpuint(step1->replied, ==, 1);
	g_assert_cmpuint(step1->uncertain, ==, 1);
	g_assert_cmpuint(g_array_index(report, StoreStepReport, 1).sent, ==, 0);

	/* Ann's timeline: her events by time, with their campaign, step and
	 * mailbox by name; bob's are not in it. */
	StoreEventInput paused = {.at_us = 3000,
	                          .kind = "paused",
	                          .enrollment_id = ann->id,
	                          .detail = "out of office"};
	g_assert_true(store_event_add(store, &paused, &error));
	StoreEventInput bob_event = {.at_us = 2500, .kind = "error", .enrollment_id = bob_here->id};
	g_assert_true(store_event_add(store, &bob_event, &error));
	g_autoptr(GPtrArray) timeline =
	        store_event_list_for_prospect(store, "ann@prospect.test", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(timeline->len, ==, 2);
	const StoreEvent *first_event = timeline->pdata[0];
	g_assert_cmpint(first_event->at, ==, 2000);
	g_assert_cmpstr(first_event->kind, ==, "reply");
	g_assert_cmpstr(first_event->campaign, ==, "E");
	g_assert_cmpint(first_event->step, ==, 1);
	g_assert_cmpstr(first_event->mailbox, ==, "alice@sender.test");
	g_assert_cmpstr(first_event->detail, ==, "yes");
	const StoreEvent *second_event = timeline->pdata[1];
	g_assert_cmpstr(second_event->kind, ==, "paused");
	g_assert_cmpint(second_event->step, ==, 0);
	g_assert_null(second_event->mailbox);
	g_autoptr(GPtrArray) nobody = store_event_list_for_prospect(store, "x@y.test", &error);
	g_assert_cmpuint(nobody->len, ==, 0);
	g_assert_cmpstr(first_event->email, ==, "ann@prospect.test");

	/* The feed: every event in the order written, paged by id. */
	g_autoptr(GPtrArray) feed = store_event_list_after(store, 0, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(feed->len, ==, 3);
	const StoreEvent *second_written = feed->pdata[1];
	g_assert_cmpstr(second_written->kind, ==, "paused");
	g_autoptr(GPtrArray) rest = store_event_list_after(store, second_written->id, 10, &error);
	g_assert_cmpuint(rest->len, ==, 1);
	g_assert_cmpstr(((StoreEvent *)rest->pdata[0])->kind, ==, "error");
	g_assert_cmpstr(((StoreEvent *)rest->pdata[0])->email, ==, "bob@prospect.test");
	g_autoptr(GPtrArray) one = store_event_list_after(store, 0, 1, &error);
	g_assert_cmpuint(one->len, ==, 1);

	/* Pages of prospects: after a cursor, searched, by status. */
	StoreProspectInput carl = {.email = "carl@other.test", .company = "Percent 100%"};
	g_assert_true(store_prospect_put(store, &carl, &put, &error));
	StoreProspectQuery all_query = {.limit = 2};
	g_autoptr(GPtrArray) page1 = store_prospect_page(store, &all_query, &error);
	g_assert_cmpuint(page1->len, ==, 2);
	g_assert_cmpstr(((StoreProspect *)page1->pdata[0])->email, ==, "ann@prospect.test");
	StoreProspectQuery next = {.after = ((StoreProspect *)page1->pdata[1])->email, .limit = 2};
	g_autoptr(GPtrArray) page2 = store_prospect_page(store, &next, &error);
	g_assert_cmpuint(page2->len, ==, 1);
	g_assert_cmpstr(((StoreProspect *)page2->pdata[0])->email, ==, "carl@other.test");
	StoreProspectQuery search = {.search = "100%"};
	g_autoptr(GPtrArray) found_carl = store_prospect_page(store, &search, &error);
	g_assert_cmpuint(found_carl->len, ==, 1);
	StoreProspectQuery wildcard = {.search = "_"};
	g_autoptr(GPtrArray) none_found = store_prospect_page(store, &wildcard, &error);
	g_assert_cmpuint(none_found->len, ==, 0);
	StoreProspectQuery domain = {.search = "PROSPECT.test"};
	g_autoptr(GPtrArray) at_domain = store_prospect_page(store, &domain, &error);
	g_assert_cmpuint(at_domain->len, ==, 2);
	bool marked = false;
	g_assert_true(
	        store_prospect_set_status(store, "carl@other.test", "bounced", &marked, &error));
	StoreProspectQuery bounced = {.status = "bounced"};
	g_autoptr(GPtrArray) only_bounced = store_prospect_page(store, &bounced, &error);
	g_assert_cmpuint(only_bounced->len, ==, 1);
	g_assert_no_error(error);

	/* Forgotten: the prospect, its enrollments, what was sent to it. */
	bool removed = false;
	g_assert_true(store_prospect_remove(store, "bob@prospect.test", &removed, &error));
	g_assert_true(removed);
	g_autoptr(GPtrArray) none =
	        store_enrollment_list_for_prospect(store, "bob@prospect.test", &error);
	g_assert_cmpuint(none->len, ==, 0);
	g_assert_null(store_message_find(store, "b1@sender.test", &error));
	g_assert_true(store_campaign_count_openings(store, campaign_id, 0, &openings, &error));
	g_assert_cmpuint(openings, ==, 1);
	g_assert_true(store_prospect_remove(store, "bob@prospect.test", &removed, &error));
	g_assert_false(removed);
	g_assert_no_error(error);
}

/* The HTTP API's keys: found by their hash only, names unique, scopes
 * checked, removed once. */
static void
test_api_keys(Fixture *fixture, gconstpointer data)
{
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	guint8 one[32] = {1};
	guint8 two[32] = {2};
	g_autoptr(GBytes) hash_one = g_bytes_new(one, sizeof one);
	g_autoptr(GBytes) hash_two = g_bytes_new(two, sizeof two);
	g_assert_true(store_api_key_add(store, "crm", "write", hash_one, &error));
	g_assert_no_error(error);
	g_autoptr(GError) taken = NULL;
	g_assert_false(store_api_key_add(store, "crm", "read", hash_two, &taken));
	g_assert_error(taken, STORE_ERROR, STORE_ERROR_INVALID);
	g_autoptr(GError) scope = NULL;
	g_assert_false(store_api_key_add(store, "zap", "admin", hash_two, &scope));
	g_assert_error(scope, STORE_ERROR, STORE_ERROR_INVALID);
	g_assert_true(store_api_key_add(store, "board", "read", hash_two, &error));

	g_autoptr(StoreApiKey) found = store_api_key_find(store, hash_one, &error);
	g_assert_nonnull(found);
	g_assert_cmpstr(found->name, ==, "crm");
	g_assert_cmpstr(found->scope, ==, "write");
	guint8 other[32] = {3};
	g_autoptr(GBytes) hash_other = g_bytes_new(other, sizeof other);
	g_assert_null(store_api_key_find(store, hash_other, &error));
	g_assert_no_error(error);
	g_autoptr(GPtrArray) keys = store_api_key_list(store, &error);
	g_assert_cmpuint(keys->len, ==, 2);
	g_assert_cmpstr(((StoreApiKey *)keys->pdata[0])->name, ==, "board");

	bool removed = false;
	g_assert_true(store_api_key_remove(store, "crm", &removed, &error));
	g_assert_true(removed);
	g_assert_null(store_api_key_find(store, hash_one, &error));
	g_assert_true(store_api_key_remove(store, "crm", &removed, &error));
	g_assert_false(removed);
	g_assert_no_error(error);
}

/* The dashboard's users: addresses unique, roles checked; a session found
 * by its hash until it ends; a password change and a removal end a user's
 * sessions, and no other's. */
static void
test_users(Fixture *fixture, gconstpointer data)
{
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_assert_true(store_user_add(store, "ann@example.test", "owner", "scrypt$h1", &error));
	g_assert_no_error(error);
	g_assert_true(store_user_add(store, "bob@example.test", "viewer", "scrypt$h2", &error));
	g_autoptr(GError) taken = NULL;
	g_assert_false(store_user_add(store, "ann@example.test", "member", "scrypt$h3", &taken));
	g_assert_error(taken, STORE_ERROR, STORE_ERROR_INVALID);
	g_autoptr(GError) role = NULL;
	g_assert_false(store_user_add(store, "cy@example.test", "admin", "scrypt$h3", &role));
	g_assert_error(role, STORE_ERROR, STORE_ERROR_INVALID);
	g_autoptr(StoreUser) ann = store_user_find(store, "ANN@example.test", &error);
	g_assert_nonnull(ann);
	g_assert_cmpstr(ann->role, ==, "owner");
	g_assert_cmpstr(ann->password_hash, ==, "scrypt$h1");
	g_assert_null(store_user_find(store, "cy@example.test", &error));
	g_assert_no_error(error);
	g_autoptr(StoreUser) bob = store_user_find(store, "bob@example.test", &error);

	int64_t now = g_get_real_time(); /* the store's clock: it forgets ended sessions by it */
	guint8 one[32] = {1};
	guint8 two[32] = {2};
	guint8 three[32] = {3};
	g_autoptr(GBytes) ann_token = g_bytes_new(one, sizeof one);
	g_autoptr(GBytes) bob_token = g_bytes_new(two, sizeof two);
	g_autoptr(GBytes) ended_token = g_bytes_new(three, sizeof three);
	g_assert_true(
	        store_user_session_add(store, ann->id, ann_token, "csrf-a", now + 1000000, &error));
	g_assert_true(
	        store_user_session_add(store, bob->id, bob_token, "csrf-b", now + 1000000, &error));
	g_assert_true(
	        store_user_session_add(store, bob->id, ended_token, "csrf-c", now - 1, &error));
	g_assert_no_error(error);
	g_autoptr(StoreUserSession) found = store_user_session_find(store, ann_token, now, &error);
	g_assert_nonnull(found);
	g_assert_cmpstr(found->user->email, ==, "ann@example.test");
	g_assert_cmpstr(found->csrf, ==, "csrf-a");
	g_assert_null(store_user_session_find(store, ended_token, now, &error));
	g_assert_null(store_user_session_find(store, ann_token, now + 1000000, &error));
	g_assert_no_error(error);

	bool done = false;
	g_assert_true(
	        store_user_set_password(store, "ann@example.test", "scrypt$h4", &done, &error));
	g_assert_true(done);
	g_assert_null(store_user_session_find(store, ann_token, now, &error));
	g_autoptr(StoreUserSession) kept = store_user_session_find(store, bob_token, now, &error);
	g_assert_nonnull(kept);
	g_assert_true(
	        store_user_set_password(store, "cy@example.test", "scrypt$h5", &done, &error));
	g_assert_false(done);
	g_assert_true(store_user_set_role(store, "bob@example.test", "member", &done, &error));
	g_assert_true(done);
	g_assert_true(store_user_remove(store, "bob@example.test", &done, &error));
	g_assert_true(done);
	g_assert_null(store_user_session_find(store, bob_token, now, &error));
	g_autoptr(GPtrArray) users = store_user_list(store, &error);
	g_assert_cmpuint(users->len, ==, 1);
	g_assert_cmpstr(((StoreUser *)users->pdata[0])->password_hash, ==, "scrypt$h4");
	g_assert_no_error(error);
}

/* Webhooks: an event of a type a subscription wants leaves a delivery in
 * the same write, with its payload; per subscription the oldest pending
 * one is due first; outcomes, dead letters and replays. */
static void
test_webhooks(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) ann = engine_fixture(fixture, &mailbox_id, &campaign_id);
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) sealed = g_bytes_new("sealed", 6);
	int64_t all = 0, replies = 0;
	g_assert_true(store_webhook_add(store, "https://crm.test/hook", "*", sealed, &all, &error));
	g_assert_true(store_webhook_add(store, "http://127.0.0.1:9/r", "reply.received", sealed,
	                                &replies, &error));
	g_autoptr(GError) bad = NULL;
	g_assert_false(store_webhook_add(store, "ftp://x", "*", sealed, NULL, &bad));
	g_assert_error(bad, STORE_ERROR, STORE_ERROR_INVALID);

	StoreEventInput sent = {.at_us = 1000,
	                        .kind = "sent",
	                        .webhook_type = "message.sent",
	                        .mailbox_id = mailbox_id,
	                        .enrollment_id = ann->id,
	                        .detail = "250 ok"};
	StoreEventInput reply = {.at_us = 2000,
	                         .kind = "reply",
	                         .webhook_type = "reply.received",
	                         .enrollment_id = ann->id};
	StoreEventInput quiet = {.at_us = 3000, .kind = "error", .enrollment_id = ann->id};
	g_assert_true(store_event_add(store, &sent, &error));
	g_assert_true(store_event_add(store, &reply, &error));
	g_assert_true(store_event_add(store, &quiet, &error));
	g_assert_no_error(error);
	/* What the mail that came in said travels with its event. */
	bool added = false;
	StoreInboundInput away = {.mailbox_id = mailbox_id,
	                          .message_id = "away@prospect.test",
	                          .enrollment_id = ann->id,
	                          .klass = "auto_reply",
	                          .received_at = 3500,
	                          .return_date = "2026-12-14"};
	StoreInboundInput bounced = {.mailbox_id = mailbox_id,
	                             .message_id = "gone@prospect.test",
	                             .enrollment_id = ann->id,
	                             .klass = "bounce",
	                             .received_at = 3600,
	                             .bounce_status = "5.1.1",
	                             .bounce_reason = "user_unknown",
	                             .bounce_hard = true};
	g_assert_true(store_inbound_add(store, &away, &added, &error));
	g_assert_true(store_inbound_add(store, &bounced, &added, &error));
	StoreEventInput auto_reply = {.at_us = 3500,
	                              .kind = "auto_reply",
	                              .webhook_type = "auto_reply.received",
	                              .enrollment_id = ann->id};
	StoreEventInput bounce = {.at_us = 3600,
	                          .kind = "bounce",
	                          .webhook_type = "bounce.received",
	                          .enrollment_id = ann->id};
	g_assert_true(store_event_add(store, &auto_reply, &error));
	g_assert_true(store_event_add(store, &bounce, &error));
	g_autoptr(GPtrArray) announced = store_delivery_list(store, all, "pending", 0, &error);
	g_assert_cmpuint(announced->len, ==, 4);
	g_assert_nonnull(strstr(((StoreDelivery *)announced->pdata[2])->payload,
	                        "\"return_date\":\"2026-12-14\""));
	g_assert_nonnull(strstr(((StoreDelivery *)announced->pdata[3])->payload,
	                        "\"bounce\":{\"status\":\"5.1.1\",\"reason\":\"user_unknown\","
	                        "\"hard\":true}"));

	/* Due: each subscription's oldest; the next waits behind it. */
	g_autoptr(GPtrArray) due = store_delivery_list_due(store, G_MAXINT64, 0, &error);
	g_assert_cmpuint(due->len, ==, 2);
	const StoreDelivery *first = due->pdata[0];
	g_assert_cmpint(first->webhook_id, ==, all);
	g_assert_cmpstr(first->type, ==, "message.sent");
	g_assert_nonnull(strstr(first->payload, "\"type\":\"message.sent\""));
	g_assert_nonnull(strstr(first->payload, "\"prospect\":\"ann@prospect.test\""));
	g_assert_nonnull(strstr(first->payload, "\"campaign\":\"E\""));
	g_assert_nonnull(strstr(first->payload, "\"timestamp\":\"1970-01-01T00:00:00Z\""));
	const StoreDelivery *theirs = due->pdata[1];
	g_assert_cmpint(theirs->webhook_id, ==, replies);
	g_assert_cmpstr(theirs->type, ==, "reply.received");

	/* Failed: pending again later; the one behind it waits. */
	int64_t far = G_MAXINT64 / 2;
	g_assert_true(store_delivery_finish(store, first->id, "pending", "500", 4000, far, &error));
	g_autoptr(GPtrArray) later = store_delivery_list_due(store, far - 1, 0, &error);
	g_assert_cmpuint(later->len, ==, 1);
	g_assert_cmpint(((StoreDelivery *)later->pdata[0])->webhook_id, ==, replies);
	g_assert_true(store_delivery_finish(store, first->id, "delivered", NULL, 6000, 0, &error));
	g_autoptr(GPtrArray) next = store_delivery_list_due(store, G_MAXINT64, 0, &error);
	g_assert_cmpuint(next->len, ==, 2);
	g_assert_cmpstr(((StoreDelivery *)next->pdata[0])->type, ==, "reply.received");

	/* Dead, listed, replayed. */
	g_assert_true(store_delivery_finish(store, theirs->id, "dead", "gone", 7000, 0, &error));
	g_autoptr(GPtrArray) dead = store_delivery_list(store, replies, "dead", 0, &error);
	g_assert_cmpuint(dead->len, ==, 1);
	g_assert_cmpstr(((StoreDelivery *)dead->pdata[0])->last_error, ==, "gone");
	g_assert_cmpint(((StoreDelivery *)dead->pdata[0])->attempts, ==, 1);
	g_assert_cmpint(((StoreDelivery *)dead->pdata[0])->first_tried_at, ==, 7000);
	bool found = false;
	g_assert_true(store_delivery_replay(store, theirs->id, 8000, &found, &error));
	g_assert_true(found);
	g_assert_true(store_delivery_replay(store, theirs->id, 8000, &found, &error));
	g_assert_false(found);
	g_autoptr(GError) wrong = NULL;
	g_assert_false(store_delivery_finish(store, theirs->id, "lost", NULL, 0, 0, &wrong));
	g_assert_error(wrong, STORE_ERROR, STORE_ERROR_INVALID);

	g_autoptr(GPtrArray) hooks = store_webhook_list(store, &error);
	g_assert_cmpuint(hooks->len, ==, 2);
	g_autoptr(StoreWebhook) got = store_webhook_get(store, replies, &error);
	g_assert_cmpstr(got->events, ==, "reply.received");
	g_assert_true(g_bytes_equal(got->secret_sealed, sealed));
	bool removed = false;
	g_assert_true(store_webhook_remove(store, replies, &removed, &error));
	g_assert_true(removed);
	g_assert_null(store_webhook_get(store, replies, &error));
	g_autoptr(GPtrArray) gone = store_delivery_list(store, replies, "pending", 0, &error);
	g_assert_cmpuint(gone->len, ==, 0);
	g_assert_no_error(error);
}

/* A campaign's counts follow its rows: enrolling, moving, sending,
 * discarding, and forgetting a person with what was sent to them. */
static void
test_campaign_counts(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) ann = engine_fixture(fixture, &mailbox_id, &campaign_id);
	Store *store = fixture->store;
	g_autoptr(GError) error = NULL;
	StoreProspectResult put;
	StoreEnrollResult result;
	const char *others[] = {"bob@prospect.test", "cy@prospect.test"};
	for (gsize i = 0; i < G_N_ELEMENTS(others); i++) {
		StoreProspectInput p = {.email = others[i]};
		g_assert_true(store_prospect_put(store, &p, &put, &error));
		g_assert_true(store_enrollment_add(store, campaign_id, others[i], false, &result,
		                                   &error));
	}
	const char *mailboxes[] = {"alice@sender.test"};
	StoreCampaignInput second = {.name = "G",
	                             .definition = "",
	                             .steps = three_steps,
	                             .n_steps = 3,
	                             .mailboxes = mailboxes,
	                             .n_mailboxes = 1};
	int64_t second_id = 0;
	g_assert_true(store_campaign_create(store, &second, &second_id, &error));
	g_assert_true(
	        store_enrollment_add(store, second_id, "bob@prospect.test", true, &result, &error));
	g_autoptr(StoreEnrollment) bob =
	        store_enrollment_get(store, campaign_id, "bob@prospect.test", &error);
	g_autoptr(StoreEnrollment) cy =
	        store_enrollment_get(store, campaign_id, "cy@prospect.test", &error);

	/* Ann's opening went; Bob's may have; Cy's never left. */
	int64_t row = 0;
	g_assert_true(store_message_begin(store, ann->id, 1, 0, mailbox_id, "a1@sender.test", "Hi",
	                                  1000, &row, &error));
	g_assert_true(store_message_finish(store, row, "sent", "250", 1000, &error));
	g_assert_true(store_message_begin(store, bob->id, 1, 0, mailbox_id, "b1@sender.test", "Hi",
	                                  1000, &row, &error));
	g_assert_true(store_message_finish(store, row, "uncertain", "lost", 0, &error));
	g_assert_true(store_message_begin(store, cy->id, 1, 0, mailbox_id, "c1@sender.test", "Hi",
	                                  1000, &row, &error));
	g_assert_true(store_message_discard(store, row, &error));
	/* Ann replied. */
	g_free(ann->state);
	ann->state = g_strdup("replied");
	g_assert_true(store_enrollment_update(store, ann, &error));
	g_assert_no_error(error);
	g_autoptr(StoreCampaign) e = store_campaign_get_by_id(store, campaign_id, &error);
	g_assert_cmpuint(e->n_enrolled, ==, 3);
	g_assert_cmpuint(e->n_active, ==, 2);
	g_assert_cmpuint(e->n_sent, ==, 1);
	g_assert_cmpuint(e->n_replied, ==, 1);
	g_assert_cmpuint(e->n_uncertain, ==, 1);

	/* Bob forgotten: his enrollments and his message go, and their counts. */
	bool removed = false;
	g_assert_true(store_prospect_remove(store, "bob@prospect.test", &removed, &error));
	g_autoptr(StoreCampaign) after = store_campaign_get_by_id(store, campaign_id, &error);
	g_assert_cmpuint(after->n_enrolled, ==, 2);
	g_assert_cmpuint(after->n_active, ==, 1);
	g_assert_cmpuint(after->n_sent, ==, 1);
	g_assert_cmpuint(after->n_uncertain, ==, 0);
	g_autoptr(StoreCampaign) g = store_campaign_get_by_id(store, second_id, &error);
	g_assert_cmpuint(g->n_enrolled, ==, 0);

	/* A campaign's own event names it, and is in no prospect's history. */
	StoreEventInput ended = {.at_us = 9000,
	                         .kind = "campaign_completed",
	                         .campaign_id = campaign_id,
	                         .detail = "every enrollment has ended"};
	g_assert_true(store_event_add(store, &ended, &error));
	g_autoptr(GPtrArray) feed = store_event_list_after(store, 0, 0, &error);
	const StoreEvent *last = feed->pdata[feed->len - 1];
	g_assert_cmpstr(last->kind, ==, "campaign_completed");
	g_assert_cmpstr(last->campaign, ==, "E");
	g_assert_null(last->email);
	g_autoptr(GPtrArray) anns =
	        store_event_list_for_prospect(store, "ann@prospect.test", &error);
	for (guint i = 0; i < anns->len; i++)
		g_assert_cmpstr(((StoreEvent *)anns->pdata[i])->kind, !=, "campaign_completed");
	g_assert_no_error(error);
}

/* Where the database is when no --db says: $PICULET_DB, else the user's
 * data folder. */
static void
test_default_path(void)
{
	g_setenv("PICULET_DB", "/srv/outreach/piculet.db", TRUE);
	g_autofree char *set = store_default_path();
	g_assert_cmpstr(set, ==, "/srv/outreach/piculet.db");
	g_unsetenv("PICULET_DB");
	g_autofree char *unset = store_default_path();
	g_autofree char *expected =
	        g_build_filename(g_get_user_data_dir(), "piculet", "piculet.db", NULL);
	g_assert_cmpstr(unset, ==, expected);
}

/* A server's URI is told from a file's path; its password is found in
 * either place libpq takes one, and never shown. */
static void
test_locations(void)
{
	g_assert_false(store_location_is_server("/var/lib/piculet/piculet.db"));
	g_assert_false(store_location_is_server("postgresql.db"));
	g_assert_true(store_location_is_server("postgresql:///piculet?host=/run/postgresql"));
	g_assert_true(store_location_is_server("postgres://db.example/piculet"));
	g_assert_false(store_location_has_password("postgresql://piculet@db.example/p"));
	g_assert_false(store_location_has_password("/srv/user:pw@host.db"));
	g_assert_true(store_location_has_password("postgresql://piculet:s3cret@db.example/p"));
	g_assert_true(store_location_has_password("postgresql:///p?host=/run&password=s3cret"));
	const char *shown[][2] = {
	        {"postgresql://piculet:s3cret@db.example:5432/p?sslmode=verify-full",
	         "postgresql://piculet:***@db.example:5432/p?sslmode=verify-full"},
	        {"postgresql:///p?user=u&password=s3cret&host=/run",
	         "postgresql:///p?user=u&password=***&host=/run"},
	        {"postgresql://u:a@b@db.example/p", "postgresql://u:***@db.example/p"},
	        {"postgresql://db.example/p", "postgresql://db.example/p"},
	        {"/srv/u:pw@x.db", "/srv/u:pw@x.db"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(shown); i++) {
		g_autofree char *display = store_location_display(shown[i][0]);
		g_assert_cmpstr(display, ==, shown[i][1]);
		g_assert_null(strstr(display, "s3cret"));
	}
}

static int64_t
fixed_clock(void *data)
{
	return *(const int64_t *)data;
}

/* The store's settings: the time rows are stamped with comes from its
 * clock (no wall clock inside), the seal key's place is a setting with a
 * default, and another connection shares both. */
static void
test_settings(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	/* Beside the SQLite file; a server's database has no folder: the
	 * user's data folder, as for the default file. */
	g_autofree char *real_key =
	        test_pg_wanted()
	                ? g_build_filename(g_get_user_data_dir(), "piculet", "secret.key", NULL)
	                : g_build_filename(fixture->dir, "sub", "secret.key", NULL);
	g_assert_cmpstr(store_get_key_path(fixture->store), ==, real_key);
	int64_t now = (int64_t)1234567 * G_USEC_PER_SEC;
	g_autofree char *key = g_build_filename(fixture->dir, "elsewhere.key", NULL);
	StoreSettings settings = {.clock = fixed_clock, .clock_data = &now, .key_path = key};
	g_autoptr(Store) timed = store_open_with(fixture->path, &settings, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(store_get_key_path(timed), ==, key);
	g_autoptr(Store) another = store_open_another(timed, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(store_get_key_path(another), ==, key);
	add_mailbox(another, "stamp@sender.test");
	const char *mailboxes[] = {"stamp@sender.test"};
	StoreStepInput step = {"Hi", "Hello", 0};
	StoreCampaignInput input = {.name = "T",
	                            .definition = "",
	                            .steps = &step,
	                            .n_steps = 1,
	                            .mailboxes = mailboxes,
	                            .n_mailboxes = 1};
	int64_t id = 0;
	g_assert_true(store_campaign_create(another, &input, &id, &error));
	g_assert_no_error(error);
	g_autoptr(StoreCampaign) stamped = store_campaign_get(fixture->store, "T", &error);
	g_assert_cmpint(stamped->created_at, ==, now);
}

/* One engine per database: the second connection to ask is refused
 * (STORE_ERROR_BUSY, saying so) until the first is closed; through a
 * symlink too, since the lock is the file's. */
static void
test_engine_lock(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(store_lock_engine(fixture->store, &error));
	g_assert_true(store_lock_engine(fixture->store, &error)); /* held already */
	g_autofree char *link = g_build_filename(fixture->dir, "link.db", NULL);
	if (!test_pg_wanted())
		g_assert_cmpint(symlink(fixture->path, link), ==, 0);
	g_autoptr(Store) second = store_open(test_pg_wanted() ? fixture->path : link, &error);
	g_assert_no_error(error);
	g_autoptr(GError) busy = NULL;
	g_assert_false(store_lock_engine(second, &busy));
	g_assert_error(busy, STORE_ERROR, STORE_ERROR_BUSY);
	g_assert_nonnull(strstr(busy->message, "another piculet run or tick is working on"));
	store_close(g_steal_pointer(&fixture->store));
	g_assert_true(store_lock_engine(second, &error));
	g_assert_no_error(error);
}

/* A mailbox's turn to renew its OAuth2 tokens: one store at a time per
 * mailbox, another mailbox's turn free meanwhile; let go of, or ended
 * with the store that held it. */
static void
test_oauth_refresh_turns(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) second = store_open(fixture->path, &error);
	g_assert_no_error(error);
	bool taken = false;
	g_assert_true(store_oauth_refresh_lock(fixture->store, 7, true, &taken, &error));
	g_assert_true(taken);
	g_assert_true(store_oauth_refresh_lock(second, 7, true, &taken, &error));
	g_assert_no_error(error);
	g_assert_false(taken);
	g_assert_true(store_oauth_refresh_lock(second, 8, true, &taken, &error));
	g_assert_true(taken);
	g_assert_true(store_oauth_refresh_lock(fixture->store, 7, false, &taken, &error));
	g_assert_false(taken);
	g_assert_true(store_oauth_refresh_lock(second, 7, true, &taken, &error));
	g_assert_true(taken);
	g_assert_true(store_oauth_refresh_lock(fixture->store, 8, true, &taken, &error));
	g_assert_false(taken);
	/* Closed while holding both: nothing left held. */
	store_close(g_steal_pointer(&second));
	g_autoptr(Store) third = store_open(fixture->path, &error);
	g_assert_no_error(error);
	for (int64_t id = 7; id <= 8; id++) {
		g_assert_true(store_oauth_refresh_lock(third, id, true, &taken, &error));
		g_assert_no_error(error);
		g_assert_true(taken);
	}
}

/* What the engine asks while it runs: what is due, what waits, when to
 * wake, where a folder was left, and mail in stored once. */
static void
test_engine_questions(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) e = engine_fixture(fixture, &mailbox_id, &campaign_id);
	g_autoptr(GError) error = NULL;
	/* Queued: an opening due now. */
	g_autoptr(GPtrArray) queued =
	        store_enrollment_list_queued(fixture->store, campaign_id, 5000, 10, NULL, &error);
	g_assert_cmpuint(queued->len, ==, 1);
	/* Sent step 1: active, its follow-up due at 9000 for this mailbox. */
	g_free(e->state);
	e->state = g_strdup("active");
	e->next_step = 2;
	e->next_due_at = 9000;
	e->mailbox_id = mailbox_id;
	e->last_sent_at = 5000;
	g_assert_true(store_enrollment_update(fixture->store, e, &error));
	g_autoptr(GPtrArray) early =
	        store_enrollment_list_due(fixture->store, mailbox_id, 8999, 10, NULL, &error);
	g_assert_cmpuint(early->len, ==, 0);
	g_autoptr(GPtrArray) due =
	        store_enrollment_list_due(fixture->store, mailbox_id, 9000, 10, NULL, &error);
	g_assert_cmpuint(due->len, ==, 1);
	int64_t at = 0;
	g_assert_true(store_mailbox_next_due(fixture->store, mailbox_id, &at, &error));
	g_assert_cmpint(at, ==, 9000);
	g_assert_true(store_next_wake(fixture->store, 5000, &at, &error));
	g_assert_cmpint(at, ==, 9000);
	g_assert_true(store_next_wake(fixture->store, 9000, &at, &error));
	g_assert_cmpint(at, ==, 0);
	/* Paused: waits, resumable at its time. */
	g_free(e->state);
	e->state = g_strdup("paused");
	e->next_due_at = 20000;
	g_assert_true(store_enrollment_update(fixture->store, e, &error));
	g_autoptr(GPtrArray) waiting =
	        store_enrollment_list_waiting(fixture->store, mailbox_id, &error);
	g_assert_cmpuint(waiting->len, ==, 1);
	g_autoptr(GPtrArray) not_yet =
	        store_enrollment_list_resumable(fixture->store, 19999, &error);
	g_assert_cmpuint(not_yet->len, ==, 0);
	g_autoptr(GPtrArray) resumable =
	        store_enrollment_list_resumable(fixture->store, 20000, &error);
	g_assert_cmpuint(resumable->len, ==, 1);
	g_autoptr(GPtrArray) open =
	        store_enrollment_list_open_by_email(fixture->store, "ann@prospect.test", &error);
	g_assert_cmpuint(open->len, ==, 1);
	g_autoptr(GPtrArray) at_domain = store_enrollment_list_open_by_domain(
	        fixture->store, campaign_id, "@prospect.test", &error);
	g_assert_cmpuint(at_domain->len, ==, 1);
	/* A folder's cursor. */
	uint32_t validity = 1;
	uint32_t last = 1;
	g_assert_true(store_mailbox_get_cursor(fixture->store, mailbox_id, "INBOX", &validity,
	                                       &last, &error));
	g_assert_cmpuint(validity, ==, 0);
	g_assert_true(
	        store_mailbox_set_cursor(fixture->store, mailbox_id, "INBOX", 77, 42, &error));
	g_assert_true(store_mailbox_get_cursor(fixture->store, mailbox_id, "INBOX", &validity,
	                                       &last, &error));
	g_assert_cmpuint(validity, ==, 77);
	g_assert_cmpuint(last, ==, 42);
	/* A pause of the mailbox is a wake too; its kind is kept beside the
	 * reason, and both go when it ends. */
	g_assert_true(store_mailbox_set_paused(fixture->store, mailbox_id, "reading", "IMAP: down",
	                                       15000, &error));
	g_assert_true(store_next_wake(fixture->store, 9000, &at, &error));
	g_assert_cmpint(at, ==, 15000);
	g_autoptr(StoreMailbox) paused =
	        store_mailbox_get(fixture->store, "alice@sender.test", &error);
	g_assert_cmpstr(paused->paused_kind, ==, "reading");
	g_assert_cmpstr(paused->paused_reason, ==, "IMAP: down");
	g_assert_true(store_mailbox_set_paused(fixture->store, mailbox_id, "reading", NULL, 15000,
	                                       &error));
	g_autoptr(StoreMailbox) resumed =
	        store_mailbox_get(fixture->store, "alice@sender.test", &error);
	g_assert_cmpstr(resumed->paused_kind, ==, "");
	g_assert_null(resumed->paused_reason);
	g_assert_cmpint(resumed->paused_until, ==, 0);
	g_assert_true(store_mailbox_set_paused(fixture->store, mailbox_id, "reading", "IMAP: down",
	                                       15000, &error));
	/* Mail in: stored once per mailbox and Message-ID. */
	StoreInboundInput in = {.mailbox_id = mailbox_id,
	                        .message_id = "reply@prospect.test",
	                        .enrollment_id = e->id,
	                        .klass = "reply",
	                        .from_address = "ann@prospect.test",
	                        .received_at = 21000,
	                        .intent = "later",
	                        .intent_date = "2027-04-01"};
	bool added = false;
	g_assert_true(store_inbound_add(fixture->store, &in, &added, &error));
	g_assert_true(added);
	g_assert_true(store_inbound_add(fixture->store, &in, &added, &error));
	g_assert_false(added);
	StoreEventInput event = {.at_us = 21000,
	                         .kind = "reply",
	                         .mailbox_id = mailbox_id,
	                         .enrollment_id = e->id,
	                         .detail = "yes"};
	g_assert_true(store_event_add(fixture->store, &event, &error));
	g_autoptr(GPtrArray) replies =
	        store_inbound_list_replies(fixture->store, campaign_id, NULL, NULL, 0, 0, &error);
	g_assert_cmpuint(replies->len, ==, 1);
	g_assert_no_error(error);
	const StoreReply *reply = replies->pdata[0];
	g_assert_cmpstr(reply->intent, ==, "later");
	g_assert_cmpstr(reply->intent_date, ==, "2027-04-01");
	g_assert_cmpstr(reply->referral, ==, "");
	g_assert_false(reply->needs_review);
	/* By intent: the others are left out; and counted per intent. */
	StoreInboundInput other = {.mailbox_id = mailbox_id,
	                           .message_id = "other@prospect.test",
	                           .enrollment_id = e->id,
	                           .klass = "reply",
	                           .from_address = "bo@prospect.test",
	                           .received_at = 22000,
	                           .intent = "wrong_person",
	                           .referral = "cy@prospect.test",
	                           .needs_review = true};
	/* The last reply's intent (a step's `if: reply == ...`). */
	g_autofree char *intent_before = NULL;
	g_assert_true(store_inbound_last_intent(fixture->store, e->id, &intent_before, &error));
	g_assert_cmpstr(intent_before, ==, "later");
	g_assert_true(store_inbound_add(fixture->store, &other, &added, &error));
	g_autofree char *intent_after = NULL;
	g_assert_true(store_inbound_last_intent(fixture->store, e->id, &intent_after, &error));
	g_assert_cmpstr(intent_after, ==, "wrong_person");
	g_autofree char *intent_none = NULL;
	g_assert_true(
	        store_inbound_last_intent(fixture->store, e->id + 1000, &intent_none, &error));
	g_assert_cmpstr(intent_none, ==, "");
	g_autoptr(GPtrArray) later = store_inbound_list_replies(fixture->store, campaign_id,
	                                                        "later", NULL, 0, 0, &error);
	g_assert_cmpuint(later->len, ==, 1);
	g_autoptr(GPtrArray) both =
	        store_inbound_list_replies(fixture->store, campaign_id, NULL, NULL, 0, 0, &error);
	g_assert_cmpuint(both->len, ==, 2);
	const StoreReply *newest = both->pdata[0];
	g_assert_cmpstr(newest->referral, ==, "cy@prospect.test");
	g_assert_true(newest->needs_review);
	g_assert_cmpstr(newest->message_id, ==, "other@prospect.test");
	g_autoptr(GPtrArray) second_page =
	        store_inbound_list_replies(fixture->store, campaign_id, NULL, NULL, 1, 1, &error);
	g_assert_cmpuint(second_page->len, ==, 1);
	g_assert_cmpstr(((StoreReply *)second_page->pdata[0])->intent, ==, "later");
	g_autoptr(GPtrArray) to_alice = store_inbound_list_replies(
	        fixture->store, campaign_id, NULL, "alice@sender.test", 0, 0, &error);
	g_assert_cmpuint(to_alice->len, ==, 2);
	g_autoptr(GPtrArray) to_bob = store_inbound_list_replies(fixture->store, campaign_id, NULL,
	                                                         "bob@sender.test", 0, 0, &error);
	g_assert_cmpuint(to_bob->len, ==, 0);
	/* An answer to it: written once per key, whatever is asked again. */
	StoreAnswerInput answer = {.inbound_id = newest->id,
	                           .mailbox_id = mailbox_id,
	                           .request_key = "key-of-the-page",
	                           .message_id = "answer-1@sender.test",
	                           .author = "ann@example.test",
	                           .to_address = "bo@prospect.test",
	                           .subject = "Re: hello",
	                           .body = "Thanks"};
	int64_t answer_id = 0;
	int64_t again_id = 0;
	bool existing = true;
	g_assert_true(store_answer_begin(fixture->store, &answer, &answer_id, &existing, &error));
	g_assert_false(existing);
	answer.message_id = "answer-2@sender.test";
	g_assert_true(store_answer_begin(fixture->store, &answer, &again_id, &existing, &error));
	g_assert_true(existing);
	g_assert_cmpint(again_id, ==, answer_id);
	g_assert_true(
	        store_answer_finish(fixture->store, answer_id, "sent", "250 ok", 23000, &error));
	g_autoptr(GPtrArray) answers = store_answer_list(fixture->store, newest->id, &error);
	g_assert_cmpuint(answers->len, ==, 1);
	const StoreAnswer *stored = answers->pdata[0];
	g_assert_cmpstr(stored->state, ==, "sent");
	g_assert_cmpstr(stored->message_id, ==, "answer-1@sender.test");
	g_assert_cmpint(stored->sent_at, ==, 23000);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) counts =
	        store_inbound_count_intents(fixture->store, campaign_id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(counts->len, ==, 2);
	const StoreCount *first = counts->pdata[0];
	g_assert_cmpuint(first->n, ==, 1);
	/* One reply by its id; the enrollment's, oldest first; a person's
	 * reading of it. */
	g_autoptr(StoreReply) one = store_inbound_get(fixture->store, newest->id, &error);
	g_assert_nonnull(one);
	g_assert_cmpint(one->enrollment_id, ==, e->id);
	g_assert_cmpstr(one->from_address, ==, "bo@prospect.test");
	g_assert_null(store_inbound_get(fixture->store, newest->id + 100, &error));
	g_assert_no_error(error);
	g_autoptr(GPtrArray) thread =
	        store_inbound_list_for_enrollment(fixture->store, e->id, &error);
	g_assert_cmpuint(thread->len, ==, 2);
	g_assert_cmpint(((StoreReply *)thread->pdata[0])->received_at, ==, 21000);
	bool found = false;
	g_assert_true(
	        store_inbound_set_intent(fixture->store, newest->id, "meeting", &found, &error));
	g_assert_true(found);
	g_autoptr(StoreReply) read_again = store_inbound_get(fixture->store, newest->id, &error);
	g_assert_cmpstr(read_again->intent, ==, "meeting");
	g_assert_false(read_again->needs_review);
	g_assert_true(store_inbound_set_intent(fixture->store, newest->id + 100, "meeting", &found,
	                                       &error));
	g_assert_false(found);
}

/* OAuth2 clients are saved, replaced by name and listed; a mailbox's
 * secret alone changes in one statement (a rotated refresh token). */
static void
test_oauth_clients_and_secret(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	Store *store = fixture->store;
	g_autoptr(GBytes) sealed = g_bytes_new_static("sealed-1", 8);
	StoreOauthClientInput lab = {.name = "lab",
	                             .client_id = "id-1",
	                             .secret_sealed = sealed,
	                             .auth_url = "https://a/auth",
	                             .token_url = "https://a/token",
	                             .scope = "mail"};
	g_assert_true(store_oauth_client_set(store, &lab, &error));
	StoreOauthClientInput missing = lab;
	missing.client_id = NULL;
	g_assert_false(store_oauth_client_set(store, &missing, &error));
	g_assert_error(error, STORE_ERROR, STORE_ERROR_INVALID);
	g_clear_error(&error);
	lab.client_id = "id-2";
	lab.secret_sealed = NULL;
	lab.device_url = "https://a/device";
	g_assert_true(store_oauth_client_set(store, &lab, &error));
	g_autoptr(StoreOauthClient) got = store_oauth_client_get(store, "lab", &error);
	g_assert_nonnull(got);
	g_assert_cmpstr(got->client_id, ==, "id-2");
	g_assert_null(got->secret_sealed);
	g_assert_cmpstr(got->device_url, ==, "https://a/device");
	g_assert_cmpstr(got->auth_params, ==, "");
	g_assert_null(store_oauth_client_get(store, "none", &error));
	g_assert_no_error(error);
	g_autoptr(GPtrArray) all = store_oauth_client_list(store, &error);
	g_assert_cmpuint(all->len, ==, 1);

	/* An OAuth2 mailbox may have no secret yet. */
	StoreMailboxInput alice = {.address = "alice@sender.test",
	                           .smtp_host = "127.0.0.1",
	                           .smtp_port = 587,
	                           .smtp_security = "starttls",
	                           .imap_host = "127.0.0.1",
	                           .imap_port = 993,
	                           .imap_security = "tls",
	                           .secret_source = "oauth:lab",
	                           .daily_cap = 10,
	                           .interval_min_s = 1,
	                           .interval_max_s = 2};
	g_assert_true(store_mailbox_add(store, &alice, NULL, &error));
	bool found = false;
	g_autoptr(GBytes) refresh = g_bytes_new_static("refresh-2", 9);
	g_assert_true(store_mailbox_set_secret(store, "alice@sender.test", "oauth:lab", refresh,
	                                       &found, &error));
	g_assert_true(found);
	g_autoptr(StoreMailbox) m = store_mailbox_get(store, "alice@sender.test", &error);
	g_assert_true(g_bytes_equal(m->secret_sealed, refresh));
	g_assert_cmpstr(m->secret_source, ==, "oauth:lab");
	g_assert_true(store_mailbox_set_secret(store, "nobody@sender.test", "oauth:lab", refresh,
	                                       &found, &error));
	g_assert_false(found);
	/* A rotated token replaces the one it came from, and nothing newer. */
	g_autoptr(GBytes) rotated = g_bytes_new_static("refresh-3", 9);
	g_autoptr(GBytes) newer = g_bytes_new_static("refresh-new", 11);
	bool replaced = false;
	g_assert_true(store_mailbox_replace_secret(store, "alice@sender.test", "oauth:lab", refresh,
	                                           rotated, &replaced, &error));
	g_assert_true(replaced);
	g_assert_true(store_mailbox_set_secret(store, "alice@sender.test", "oauth:lab", newer,
	                                       &found, &error));
	g_assert_true(store_mailbox_replace_secret(store, "alice@sender.test", "oauth:lab", rotated,
	                                           refresh, &replaced, &error));
	g_assert_no_error(error);
	g_assert_false(replaced);
	g_assert_true(store_mailbox_replace_secret(store, "alice@sender.test", "oauth:other", newer,
	                                           refresh, &replaced, &error));
	g_assert_false(replaced);
	g_autoptr(StoreMailbox) kept = store_mailbox_get(store, "alice@sender.test", &error);
	g_assert_true(g_bytes_equal(kept->secret_sealed, newer));
}

static bool
deliverer(Store *store, const char *holder, int64_t now_us, int64_t lease_us)
{
	g_autoptr(GError) error = NULL;
	bool held = false;
	g_assert_true(store_delivery_lease(store, holder, now_us, lease_us, &held, &error));
	g_assert_no_error(error);
	return held;
}

/* One webhook deliverer at a time: the first takes the lease, another
 * waits while it lasts and takes it once it expired or was let go; the
 * holder renews it. */
static void
test_delivery_lease(Fixture *fixture, gconstpointer data)
{
	Store *store = fixture->store;
	const int64_t t0 = (int64_t)1800000000 * G_USEC_PER_SEC;
	const int64_t lease = 15 * G_USEC_PER_SEC;
	g_assert_true(deliverer(store, "a", t0, lease));
	g_assert_false(deliverer(store, "b", t0 + 1, lease));
	g_assert_true(deliverer(store, "a", t0 + lease - 1, lease));
	/* Renewed: still a's a lease after t0. */
	g_assert_false(deliverer(store, "b", t0 + lease, lease));
	g_assert_true(deliverer(store, "b", t0 + 2 * lease - 1, lease));
	g_assert_false(deliverer(store, "a", t0 + 2 * lease, lease));
	/* Let go by another than its holder: nothing; by b: a takes it. */
	g_assert_false(deliverer(store, "a", 0, 0));
	g_assert_false(deliverer(store, "a", t0 + 2 * lease + 1, lease));
	g_assert_false(deliverer(store, "b", 0, 0));
	g_assert_true(deliverer(store, "a", t0 + 2 * lease + 2, lease));
	g_autoptr(GError) nameless = NULL;
	bool held = false;
	g_assert_false(store_delivery_lease(store, "", t0, lease, &held, &nameless));
	g_assert_error(nameless, STORE_ERROR, STORE_ERROR_INVALID);
}

/* The first seal key's fingerprint is kept: a later one is not recorded
 * over it unless asked to (a key made anew), and reading records nothing. */
static void
test_seal_key(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *none = NULL;
	g_assert_true(store_seal_key_read(fixture->store, &none, &error));
	g_assert_no_error(error);
	g_assert_null(none);
	g_autofree char *first = NULL;
	g_assert_true(store_seal_key_claim(fixture->store, "0123456789abcdef01234567", false,
	                                   &first, &error));
	g_assert_cmpstr(first, ==, "0123456789abcdef01234567");
	g_autofree char *second = NULL;
	g_assert_true(store_seal_key_claim(fixture->store, "ffffffffffffffffffffffff", false,
	                                   &second, &error));
	g_assert_cmpstr(second, ==, "0123456789abcdef01234567");
	g_autoptr(Store) other = store_open_another(fixture->store, &error);
	g_assert_no_error(error);
	g_autofree char *read = NULL;
	g_assert_true(store_seal_key_read(other, &read, &error));
	g_assert_cmpstr(read, ==, "0123456789abcdef01234567");
	/* A key made anew (the old one lost) replaces it. */
	g_autofree char *replaced = NULL;
	g_assert_true(store_seal_key_claim(fixture->store, "ffffffffffffffffffffffff", true,
	                                   &replaced, &error));
	g_assert_cmpstr(replaced, ==, "ffffffffffffffffffffffff");
	g_autofree char *empty = NULL;
	g_autoptr(GError) refused = NULL;
	g_assert_false(store_seal_key_claim(fixture->store, "", false, &empty, &refused));
	g_assert_error(refused, STORE_ERROR, STORE_ERROR_INVALID);
}

/* A backup while a write transaction of another connection is open: a
 * whole database at the moment the snapshot began, its mailboxes stamped
 * with when it was taken, the original untouched; a second backup over
 * the first replaces it. */
static GArray *
claim(Store *store, const char *node, int64_t now, guint *share)
{
	g_autoptr(GError) error = NULL;
	GArray *held = NULL;
	g_assert_true(
	        store_lease_claim(store, node, now, 30 * G_USEC_PER_SEC, share, &held, &error));
	g_assert_no_error(error);
	return held;
}

static int64_t
token_of(GArray *held, int64_t mailbox_id)
{
	for (guint i = 0; i < held->len; i++)
		if (g_array_index(held, StoreLease, i).mailbox_id == mailbox_id)
			return g_array_index(held, StoreLease, i).token;
	return 0;
}

/* Several engines share the mailboxes: a fair share each, a token that
 * grows with every new holder, expired leases taken over, and the fence:
 * a write about a mailbox whose lease has another holder is refused. */
static void
test_leases(Fixture *fixture, gconstpointer data)
{
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) e = engine_fixture(fixture, &mailbox_id, &campaign_id);
	add_mailbox(fixture->store, "bob@sender.test");
	add_mailbox(fixture->store, "carol@sender.test");
	add_mailbox(fixture->store, "dave@sender.test");
	g_autoptr(GError) error = NULL;
	const int64_t t0 = (int64_t)1800000000 * G_USEC_PER_SEC;
	const int64_t lease = 30 * G_USEC_PER_SEC;
	guint share = 0;
	g_autoptr(GArray) first = claim(fixture->store, "a", t0, &share);
	g_assert_cmpuint(share, ==, 4);
	g_assert_cmpuint(first->len, ==, 4);
	g_assert_cmpint(token_of(first, mailbox_id), ==, 1);
	g_assert_cmpint(g_array_index(first, StoreLease, 0).expires_at, ==, t0 + lease);

	/* A second node: a share of two, nothing free yet. */
	g_autoptr(GArray) none = claim(fixture->store, "b", t0 + 1, &share);
	g_assert_cmpuint(share, ==, 2);
	g_assert_cmpuint(none->len, ==, 0);
	/* The first lets two go; the second takes them, each token one more. */
	int64_t given[2] = {g_array_index(first, StoreLease, 2).mailbox_id,
	                    g_array_index(first, StoreLease, 3).mailbox_id};
	g_assert_true(store_lease_release(fixture->store, "a", given[0], &error));
	g_assert_true(store_lease_release(fixture->store, "a", given[1], &error));
	g_autoptr(GArray) second = claim(fixture->store, "b", t0 + 2, &share);
	g_assert_cmpuint(second->len, ==, 2);
	g_assert_cmpint(token_of(second, given[0]), ==, 2);
	g_autoptr(GArray) renewed = claim(fixture->store, "a", t0 + 3, &share);
	g_assert_cmpuint(renewed->len, ==, 2);
	g_assert_cmpint(g_array_index(renewed, StoreLease, 0).expires_at, ==, t0 + 3 + lease);

	/* "a" stops renewing; once its leases and its node expired, "b" takes
	 * all four, and the tokens say so. */
	g_autoptr(GArray) before = claim(fixture->store, "b", t0 + 3 + lease - 1, &share);
	g_assert_cmpuint(before->len, ==, 2);
	g_autoptr(GArray) all = claim(fixture->store, "b", t0 + 3 + lease, &share);
	g_assert_cmpuint(share, ==, 4);
	g_assert_cmpuint(all->len, ==, 4);
	g_assert_cmpint(token_of(all, mailbox_id), ==, 2);

	/* "a" wakes: its writes about the mailbox are refused, "b"'s go. */
	g_autoptr(Store) late = store_open_another(fixture->store, &error);
	g_assert_no_error(error);
	g_assert_true(store_lease_fence(late, mailbox_id, 1, 0, &error));
	int64_t row = 0;
	g_autoptr(GError) fenced = NULL;
	g_assert_false(store_message_begin(late, e->id, 1, 0, mailbox_id, "late@sender.test", "Hi",
	                                   t0, &row, &fenced));
	g_assert_error(fenced, STORE_ERROR, STORE_ERROR_FENCED);
	g_autoptr(GError) paced = NULL;
	g_assert_false(store_mailbox_set_next_send(late, mailbox_id, t0, &paced));
	g_assert_error(paced, STORE_ERROR, STORE_ERROR_FENCED);
	/* Other mailboxes, and an unfenced connection, are not its business. */
	g_assert_true(store_mailbox_set_next_send(late, given[0], t0, &error));
	g_assert_no_error(error);
	g_autoptr(Store) holder = store_open_another(fixture->store, &error);
	g_assert_true(store_lease_fence(holder, mailbox_id, 2, 0, &error));
	g_assert_true(store_message_begin(holder, e->id, 1, 0, mailbox_id, "held@sender.test", "Hi",
	                                  t0, &row, &error));
	g_assert_no_error(error);
	/* Nor may the late one take back what the holder began. */
	g_autoptr(GError) undone = NULL;
	g_assert_false(store_message_discard(late, row, &undone));
	g_assert_error(undone, STORE_ERROR, STORE_ERROR_FENCED);
	g_autoptr(GPtrArray) begun = store_message_list_sending(holder, mailbox_id, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(begun->len, ==, 1);
	g_assert_true(store_lease_fence(late, 0, 0, 0, &error));
	g_assert_true(store_mailbox_set_next_send(late, mailbox_id, t0, &error));
	g_assert_no_error(error);

	/* Who holds what; a clean stop lets everything go. */
	g_autoptr(GPtrArray) listed = store_lease_list(fixture->store, &error);
	g_assert_cmpuint(listed->len, ==, 4);
	StoreLeaseInfo *alice = listed->pdata[0];
	g_assert_cmpstr(alice->address, ==, "alice@sender.test");
	g_assert_cmpstr(alice->holder, ==, "b");
	g_assert_cmpint(alice->token, ==, 2);
	g_assert_true(store_lease_release(fixture->store, "b", 0, &error));
	g_autoptr(GPtrArray) released = store_lease_list(fixture->store, &error);
	g_assert_cmpstr(((StoreLeaseInfo *)released->pdata[0])->holder, ==, "");
	g_autoptr(GArray) back = claim(fixture->store, "a", t0 + 4 + lease, &share);
	g_assert_cmpuint(back->len, ==, 4);
	g_assert_cmpint(token_of(back, mailbox_id), ==, 3);
	g_autoptr(GError) nameless = NULL;
	g_assert_false(store_lease_release(fixture->store, "", 0, &nameless));
	g_assert_error(nameless, STORE_ERROR, STORE_ERROR_INVALID);

	/* The clock leases are judged by (the database's) does not go back. */
	int64_t earlier = 0;
	int64_t later = 0;
	g_assert_true(store_lease_clock(fixture->store, &earlier, &error));
	g_assert_true(store_lease_clock(fixture->store, &later, &error));
	g_assert_no_error(error);
	g_assert_cmpint(earlier, >, 0);
	g_assert_cmpint(later, >=, earlier);
}

/* A backup is a SQLite file's copy; on PostgreSQL it is refused with
 * the tool that does it. */
static void
test_backup_postgresql(Fixture *fixture)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *copy = g_build_filename(fixture->dir, "copy.db", NULL);
	g_assert_false(store_backup_write(fixture->store, copy, &error));
	g_assert_error(error, STORE_ERROR, STORE_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "pg_dump"));
	g_assert_false(g_file_test(copy, G_FILE_TEST_EXISTS));
}

static void
test_backup(Fixture *fixture, gconstpointer data)
{
	if (test_pg_wanted()) {
		test_backup_postgresql(fixture);
		return;
	}
	int64_t mailbox_id = 0;
	int64_t campaign_id = 0;
	g_autoptr(StoreEnrollment) e = engine_fixture(fixture, &mailbox_id, &campaign_id);
	g_autoptr(GError) error = NULL;
	int64_t last = -1;
	g_assert_true(store_mailbox_last_message_at(fixture->store, mailbox_id, &last, &error));
	g_assert_cmpint(last, ==, 0);
	int64_t row = 0;
	g_assert_true(store_message_begin(fixture->store, e->id, 1, 0, mailbox_id,
	                                  "one@sender.test", "Hi", 1000, &row, &error));
	g_assert_true(store_mailbox_last_message_at(fixture->store, mailbox_id, &last, &error));
	g_assert_cmpint(last, ==, 1000);

	g_autoptr(Store) other = store_open_another(fixture->store, &error);
	g_assert_no_error(error);
	g_assert_true(store_begin(other, &error));
	g_assert_true(store_blacklist_add(other, "late@example.test", "after", &error));
	g_autofree char *copy = g_build_filename(fixture->dir, "copy.db", NULL);
	g_assert_true(g_file_set_contents(copy, "an older backup", -1, NULL));
	int64_t before = g_get_real_time();
	g_assert_true(store_backup_write(fixture->store, copy, &error));
	g_assert_no_error(error);
	g_assert_true(store_commit(other, &error));

	g_autoptr(Store) restored = store_open(copy, &error);
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) mailbox = store_mailbox_get(restored, "alice@sender.test", &error);
	g_assert_nonnull(mailbox);
	g_assert_cmpint(mailbox->sent_check_since, >=, before);
	g_assert_cmpint(mailbox->sent_check_since, <=, g_get_real_time());
	g_autoptr(StoreMessage) message = store_message_find(restored, "one@sender.test", &error);
	g_assert_nonnull(message);
	bool blocked = true;
	g_assert_true(store_blacklist_blocks(restored, "late@example.test", &blocked, &error));
	g_assert_false(blocked);
	g_assert_true(store_mailbox_set_sent_check(restored, mailbox->id, 0, &error));
	g_autoptr(StoreMailbox) looked = store_mailbox_get(restored, "alice@sender.test", &error);
	g_assert_cmpint(looked->sent_check_since, ==, 0);
	g_autoptr(StoreMailbox) original =
	        store_mailbox_get(fixture->store, "alice@sender.test", &error);
	g_assert_cmpint(original->sent_check_since, ==, 0);
	g_autofree char *partial = g_strconcat(copy, ".partial", NULL);
	g_assert_false(g_file_test(partial, G_FILE_TEST_EXISTS));
}

/* A database's mark while it is copied into and after it was copied
 * elsewhere. */
static void
test_move_marks(Store *store)
{
	g_autoptr(GError) error = NULL;
	g_auto(StoreMove) none = {0};
	g_assert_true(store_move_read(store, &none, &error));
	g_assert_cmpint(none.state, ==, STORE_MOVE_NONE);
	g_assert_null(none.other);
	int64_t before = g_get_real_time();
	g_assert_true(store_move_mark(store, STORE_MOVE_COPYING, "from.db", &error));
	g_auto(StoreMove) copying = {0};
	g_assert_true(store_move_read(store, &copying, &error));
	g_assert_cmpint(copying.state, ==, STORE_MOVE_COPYING);
	g_assert_cmpstr(copying.other, ==, "from.db");
	g_assert_cmpint(copying.at, >=, before);
	g_assert_cmpint(copying.at, <=, g_get_real_time());
	g_assert_true(store_move_mark(store, STORE_MOVE_MOVED, "postgresql:///there", &error));
	g_auto(StoreMove) moved = {0};
	g_assert_true(store_move_read(store, &moved, &error));
	g_assert_cmpint(moved.state, ==, STORE_MOVE_MOVED);
	g_assert_cmpstr(moved.other, ==, "postgresql:///there");
	g_assert_true(store_move_mark(store, STORE_MOVE_NONE, NULL, &error));
	g_auto(StoreMove) cleared = {0};
	g_assert_true(store_move_read(store, &cleared, &error));
	g_assert_cmpint(cleared.state, ==, STORE_MOVE_NONE);
	g_assert_no_error(error);
}

static guint64
copied_rows(GPtrArray *tables, const char *name)
{
	for (guint i = 0; i < tables->len; i++) {
		const StoreCount *table = tables->pdata[i];
		if (strcmp(table->name, name) == 0)
			return table->n;
	}
	return G_MAXUINT64;
}

/* A SQLite file with a row or more in the tables whose copy can go wrong:
 * bytes, odd text, counts kept by triggers, leases. */
static void
fill_source(Store *source)
{
	g_autoptr(GError) error = NULL;
	add_mailbox(source, "alice@sender.test");
	const guint8 awkward[32] = {0x00, '\\', '\t', '\n', '\r', 0xff, 'N', 0x5c, 0x00};
	g_autoptr(GBytes) hash = g_bytes_new(awkward, sizeof awkward);
	g_assert_true(store_api_key_add(source, "crm", "write", hash, &error));
	const char *names[] = {"note", "empty"};
	const char *values[] = {"tab\there\nline two \\N back\\slash \"quoted\" é 日本", ""};
	StoreProspectInput odd = {.email = "odd@prospect.test",
	                          .first_name = "Zoë",
	                          .company = "A\\B\tC",
	                          .field_names = names,
	                          .field_values = values,
	                          .n_fields = 2};
	StoreProspectResult put;
	g_assert_true(store_prospect_put(source, &odd, &put, &error));
	const char *mailboxes[] = {"alice@sender.test"};
	StoreCampaignInput input = {.name = "E",
	                            .definition = "name: E\n",
	                            .steps = three_steps,
	                            .n_steps = 3,
	                            .mailboxes = mailboxes,
	                            .n_mailboxes = 1};
	int64_t campaign_id = 0;
	g_assert_true(store_campaign_create(source, &input, &campaign_id, &error));
	bool found = false;
	g_assert_true(store_campaign_set_state(source, "E", "running", &found, &error));
	StoreEnrollResult enrolled;
	g_assert_true(store_enrollment_add(source, campaign_id, "odd@prospect.test", false,
	                                   &enrolled, &error));
	g_autoptr(StoreEnrollment) e =
	        store_enrollment_get(source, campaign_id, "odd@prospect.test", &error);
	g_autoptr(StoreMailbox) alice = store_mailbox_get(source, "alice@sender.test", &error);
	int64_t row = 0;
	g_assert_true(store_message_begin(source, e->id, 1, 0, alice->id, "o1@sender.test",
	                                  "Hi Zoë", 1000, &row, &error));
	g_assert_true(store_message_finish(source, row, "sent", "250 2.0.0 ok", 1000, &error));
	guint share = 0;
	g_autoptr(GArray) held = NULL;
	g_assert_true(store_lease_claim(source, "node-a", g_get_real_time(), 60 * G_USEC_PER_SEC,
	                                &share, &held, &error));
	g_assert_cmpuint(held->len, ==, 1);
	g_assert_true(store_move_mark(source, STORE_MOVE_MOVED, "an earlier copy", &error));
	g_assert_no_error(error);
}

/* What the copy must have carried, read through the store. */
static void
check_copied(Store *store)
{
	g_autoptr(GError) error = NULL;
	const guint8 awkward[32] = {0x00, '\\', '\t', '\n', '\r', 0xff, 'N', 0x5c, 0x00};
	g_autoptr(GBytes) hash = g_bytes_new(awkward, sizeof awkward);
	g_autoptr(StoreApiKey) key = store_api_key_find(store, hash, &error);
	g_assert_nonnull(key);
	g_assert_cmpstr(key->name, ==, "crm");
	g_autoptr(StoreProspect) odd = store_prospect_get(store, "odd@prospect.test", &error);
	g_assert_nonnull(odd);
	g_assert_cmpstr(odd->first_name, ==, "Zoë");
	g_assert_cmpstr(odd->company, ==, "A\\B\tC");
	g_assert_cmpstr(g_hash_table_lookup(odd->fields, "note"), ==,
	                "tab\there\nline two \\N back\\slash \"quoted\" é 日本");
	g_assert_cmpstr(g_hash_table_lookup(odd->fields, "empty"), ==, "");
	g_autoptr(StoreMessage) message = store_message_find(store, "o1@sender.test", &error);
	g_assert_nonnull(message);
	g_autoptr(StoreCampaign) e = store_campaign_get(store, "E", &error);
	g_assert_cmpuint(e->n_enrolled, ==, 1);
	g_assert_cmpuint(e->n_sent, ==, 1);
	/* The lease let go, its token kept: the next holder's is larger. */
	g_autoptr(GPtrArray) leases = store_lease_list(store, &error);
	g_assert_cmpuint(leases->len, ==, 1);
	const StoreLeaseInfo *lease = leases->pdata[0];
	g_assert_cmpstr(lease->holder, ==, "");
	g_assert_cmpint(lease->token, ==, 1);
	/* New rows take ids after the copied ones (the identity's sequence
	 * would start at alice's 1 otherwise). */
	int64_t carol = 0;
	StoreMailboxInput next = {.address = "carol@sender.test",
	                          .smtp_host = "127.0.0.1",
	                          .smtp_port = 587,
	                          .smtp_security = "starttls",
	                          .imap_host = "127.0.0.1",
	                          .imap_port = 993,
	                          .imap_security = "tls",
	                          .secret_source = "env:PASSWORD",
	                          .daily_cap = 50,
	                          .interval_min_s = 60,
	                          .interval_max_s = 180};
	g_assert_true(store_mailbox_add(store, &next, &carol, &error));
	g_assert_cmpint(carol, ==, 2);
	g_auto(StoreMove) move = {0};
	g_assert_true(store_move_read(store, &move, &error));
	g_assert_cmpint(move.state, ==, STORE_MOVE_NONE);
	g_assert_no_error(error);
}

/* The marks, and the copy of a SQLite file into PostgreSQL: every row,
 * bytes and odd text as they were, counts as they were, ids continuing
 * after the copied ones, leases let go; a second copy into the same
 * database refused. Between two SQLite files (or on the SQLite run) the
 * copy is refused: it goes into PostgreSQL only. */
static void
test_moves_and_copy(Fixture *fixture, gconstpointer data)
{
	test_move_marks(fixture->store);
	g_autoptr(GError) error = NULL;
	g_autofree char *file = g_build_filename(fixture->dir, "from.db", NULL);
	g_autoptr(Store) source = store_open(file, &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) tables = NULL;
	if (!test_pg_wanted()) {
		g_autoptr(GError) refused = NULL;
		g_assert_false(store_copy_into(source, fixture->store, &tables, &refused));
		g_assert_error(refused, STORE_ERROR, STORE_ERROR_INVALID);
		g_assert_null(tables);
		return;
	}
	fill_source(source);
	g_assert_true(store_move_mark(fixture->store, STORE_MOVE_COPYING, "from.db", &error));
	g_assert_true(store_copy_into(source, fixture->store, &tables, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(copied_rows(tables, "mailbox"), ==, 1);
	g_assert_cmpuint(copied_rows(tables, "prospect"), ==, 1);
	g_assert_cmpuint(copied_rows(tables, "message"), ==, 1);
	g_assert_cmpuint(copied_rows(tables, "api_key"), ==, 1);
	g_assert_cmpuint(copied_rows(tables, "engine_node"), ==, G_MAXUINT64);
	g_assert_cmpuint(copied_rows(tables, "database_move"), ==, G_MAXUINT64);
	check_copied(fixture->store);

	g_autoptr(GPtrArray) again = NULL;
	g_autoptr(GError) refused = NULL;
	g_assert_false(store_copy_into(source, fixture->store, &again, &refused));
	g_assert_error(refused, STORE_ERROR, STORE_ERROR_INVALID);
	g_assert_nonnull(strstr(refused->message, "rows already"));
	g_assert_null(again);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/store/contract/" path, Fixture, NULL, setup, fn, teardown)
	ADD("oauth-clients-and-a-mailbox-secret", test_oauth_clients_and_secret);
	ADD("opens-creates-folder-and-migrates", test_opens_and_migrates);
	ADD("blacklist-addresses-and-domains", test_blacklist);
	ADD("prospect-put-updates-and-keeps-fields", test_prospect_put_and_update);
	ADD("bounced-prospect-left-as-it-is", test_bounced_prospect_kept);
	ADD("rollback-leaves-nothing", test_rollback_leaves_nothing);
	ADD("mailboxes-add-get-list-remove", test_mailboxes);
	ADD("campaigns-create-get-update-state", test_campaigns);
	ADD("enrollments-held-and-skipped", test_enrollments);
	ADD("import-stamp-finds-duplicates", test_import_stamp_finds_duplicates);
	ADD("prospects-put-many-as-one-by-one", test_put_many_as_one_by_one);
	ADD("message-step-begun-once", test_message_step_begun_once);
	ADD("variants-counted-and-a-winner-recorded-once", test_variants_and_a_winner);
	ADD("report-follows-every-change", test_report_follows_every_change);
	ADD("events-added-in-a-batch", test_events_added_in_a_batch);
	ADD("tasks-added-once-listed-and-done-once", test_tasks);
	ADD("engine-questions", test_engine_questions);
	ADD("enrollment-revisions-and-claims", test_enrollment_revisions_and_claims);
	ADD("settings-clock-and-key-path", test_settings);
	ADD("api-keys", test_api_keys);
	ADD("users-and-sessions", test_users);
	ADD("webhooks-outbox", test_webhooks);
	ADD("campaign-counts-follow-the-rows", test_campaign_counts);
	ADD("the-rest-of-store-h", test_the_rest);
	ADD("one-engine-per-database", test_engine_lock);
	ADD("oauth-refresh-turns", test_oauth_refresh_turns);
	ADD("backup-while-writing", test_backup);
	ADD("leases-shares-tokens-and-fences", test_leases);
	ADD("seal-key-fingerprint-first-one-kept", test_seal_key);
	ADD("one-webhook-deliverer-at-a-time", test_delivery_lease);
	ADD("moves-marked-and-a-file-copied-into-postgresql", test_moves_and_copy);
#undef ADD
	g_test_add_func("/store/contract/unopenable-path-is-open-error", test_unopenable_path);
	g_test_add_func("/store/contract/default-path", test_default_path);
	g_test_add_func("/store/contract/locations-and-their-passwords", test_locations);
	return g_test_run();
}
