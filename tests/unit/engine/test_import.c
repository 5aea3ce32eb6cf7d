#include "engine/engine_import.h"

#include <string.h>

typedef struct {
	char *dir;
	Store *store;
} Fixture;

static void
setup(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	fixture->dir = g_dir_make_tmp("piculet-import-XXXXXX", &error);
	g_autofree char *path = g_build_filename(fixture->dir, "piculet.db", NULL);
	fixture->store = store_open(path, &error);
	g_assert_no_error(error);
}

static void
teardown(Fixture *fixture, gconstpointer data)
{
	store_close(fixture->store);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", fixture->dir);
	g_assert_true(g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL));
	g_free(fixture->dir);
}

static bool
import(Fixture *fixture, const char *csv, bool skip_invalid, EngineImportSummary *summary,
       GError **error)
{
	FILE *file = fmemopen((void *)csv, strlen(csv), "r");
	EngineImportOptions options = {.skip_invalid = skip_invalid};
	bool ok = engine_import_prospects(fixture->store, file, "prospects.csv", &options, summary,
	                                  error);
	fclose(file);
	return ok;
}

static guint64
count(Fixture *fixture)
{
	guint64 n = 0;
	g_assert_true(store_prospect_count(fixture->store, &n, NULL));
	return n;
}

static void
test_summary(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	EngineImportSummary summary;
	bool found = false;
	g_assert_true(store_blacklist_add(fixture->store, "@blocked.example", "", &error));
	StoreProspectInput gone = {.email = "gone@acme.example"};
	StoreProspectResult result;
	g_assert_true(store_prospect_put(fixture->store, &gone, &result, &error));
	g_assert_true(store_prospect_set_status(fixture->store, "gone@acme.example", "bounced",
	                                        &found, &error));
	const char *csv = "E-mail,First Name,Last Name,Company,Timezone,Role\r\n"
	                  "Carol@Acme.example,Carol,Prospect,Acme,Europe/Berlin,CTO\r\n"
	                  "\"dave@acme.example\",\"Dave \"\"D\"\"\",,\"Acme, Inc.\",,\"line "
	                  "one\nline two\"\r\n"
	                  "carol@acme.example,Again,,,,\r\n"
	                  "x@blocked.example,X,,,,\r\n"
	                  "gone@acme.example,Gone,,,,\r\n";
	g_assert_true(import(fixture, csv, false, &summary, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(summary.rows, ==, 5);
	g_assert_cmpuint(summary.imported, ==, 2);
	g_assert_cmpuint(summary.duplicates, ==, 1);
	g_assert_cmpuint(summary.skipped_blacklisted, ==, 1);
	g_assert_cmpuint(summary.skipped_bounced, ==, 1);
	g_autoptr(StoreProspect) dave =
	        store_prospect_get(fixture->store, "dave@acme.example", &error);
	g_assert_cmpstr(dave->first_name, ==, "Dave \"D\"");
	g_assert_cmpstr(dave->company, ==, "Acme, Inc.");
	g_assert_cmpstr(g_hash_table_lookup(dave->fields, "role"), ==, "line one\nline two");

	/* Again, as updates. */
	g_assert_true(import(fixture, csv, false, &summary, &error));
	g_assert_cmpuint(summary.imported, ==, 0);
	g_assert_cmpuint(summary.updated, ==, 2);
}

static void
test_bad_row(Fixture *fixture, gconstpointer data, const char *csv, const char *message)
{
	g_autoptr(GError) error = NULL;
	EngineImportSummary summary;
	g_assert_false(import(fixture, csv, false, &summary, &error));
	g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
	g_assert_cmpstr(error->message, ==, message);
	g_assert_cmpuint(count(fixture), ==, 0);
}

static void
test_bad_rows_store_nothing(Fixture *fixture, gconstpointer data)
{
	test_bad_row(fixture, data, "email,first_name\nok@acme.example,A\na@b@c,B\n",
	             "prospects.csv:3: column \"email\": not an address: more than one @");
	test_bad_row(fixture, data,
	             "email,first_name\nok@acme.example,A\nwith space@acme.example,B\n",
	             "prospects.csv:3: column \"email\": not an address: a space or control "
	             "character in it");
	test_bad_row(fixture, data, "email,first_name\nok@acme.example,\"Caf\xe9\"\n",
	             "prospects.csv:2: column \"first_name\": not UTF-8");
	test_bad_row(fixture, data, "email,first_name\nok@acme.example,\"A\r\nBcc: x@y\"\n",
	             "prospects.csv:2: column \"first_name\": a line break in a value that goes "
	             "into headers");
	test_bad_row(fixture, data, "email,timezone\nok@acme.example,Mars/Olympus\n",
	             "prospects.csv:2: column \"timezone\": not a time zone (an IANA name like "
	             "Europe/Berlin)");
	test_bad_row(fixture, data, "first_name\nA\n", "prospects.csv:1: header: no email column");
	test_bad_row(fixture, data, "", "prospects.csv: empty: no header row");
	test_bad_row(fixture, data, "email,first_name\nok@acme.example,A,extra\n",
	             "prospects.csv:2: 3 fields where the header has 2");
}

static void
test_broken_quote(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	EngineImportSummary summary;
	g_assert_false(import(fixture, "email,first_name\nok@acme.example,\"unclosed\n", false,
	                      &summary, &error));
	g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "prospects.csv:2: "));
	g_assert_cmpuint(count(fixture), ==, 0);
}

static void
test_skip_invalid(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	EngineImportSummary summary;
	g_assert_true(import(fixture, "email\nok@acme.example\nnot-an-address\nb@acme.example\n",
	                     true, &summary, &error));
	g_assert_cmpuint(summary.imported, ==, 2);
	g_assert_cmpuint(summary.invalid, ==, 1);
	g_assert_cmpuint(count(fixture), ==, 2);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/engine/import/" path, Fixture, NULL, setup, fn, teardown)
	ADD("summary-counts-every-reason", test_summary);
	ADD("bad-row-names-place-and-stores-nothing", test_bad_rows_store_nothing);
	ADD("broken-quote-stores-nothing", test_broken_quote);
	ADD("skip-invalid-leaves-bad-rows-out", test_skip_invalid);
#undef ADD
	return g_test_run();
}
