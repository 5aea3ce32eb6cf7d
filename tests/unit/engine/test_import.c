#include "engine/engine_import.h"
#include "engine/engine_import_peek.h"
#include "helpers/test_store.h"

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
	test_bad_row(fixture, data, "first_name\nA\n",
	             "prospects.csv:1: header: no email column (one named email, e-mail, "
	             "email_address or \"email address\", or one the column mapping makes email)");
	test_bad_row(fixture, data, "email,,first_name\nok@acme.example,,A\nb@acme.example,x,B\n",
	             "prospects.csv:3: column 2: a value under no name in the header");
	test_bad_row(fixture, data, "", "prospects.csv: empty: no header row");
	test_bad_row(fixture, data, "email,first_name\nok@acme.example,A,extra\n",
	             "prospects.csv:2: 3 fields where the header has 2");
	/* A path is not a zone: refused before GLib reads it (it deadlocked). */
	test_bad_row(fixture, data, "email,timezone\nok@acme.example,/etc/passwd\n",
	             "prospects.csv:2: column \"timezone\": not a time zone (an IANA name like "
	             "Europe/Berlin)");
	test_bad_row(fixture, data, "email,timezone\nok@acme.example,../../etc/passwd\n",
	             "prospects.csv:2: column \"timezone\": not a time zone (an IANA name like "
	             "Europe/Berlin)");
	test_bad_row(fixture, data, "email,E-mail\na@acme.example,b@acme.example\n",
	             "prospects.csv:1: header: columns 1 (\"email\") and 2 (\"e-mail\") are the "
	             "same column");
	test_bad_row(fixture, data, "email,role,Role\na@acme.example,x,y\n",
	             "prospects.csv:1: header: columns 2 (\"role\") and 3 (\"role\") are the "
	             "same column");
	/* Line numbers are the file's lines: a blank line and a quoted field
	 * over two lines come before the bad row, which starts on line 6. */
	test_bad_row(fixture, data,
	             "email,note\r\na@acme.example,\"one\r\ntwo\"\r\n\r\nb@acme.example,x\r\n"
	             "not-an-address,y\r\n",
	             "prospects.csv:6: column \"email\": not an address: no @");
}

/* Excel: a byte-order mark, semicolons (German and French locales), tabs;
 * a NUL inside a field is refused, not cut. */
static void
test_excel_files(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	EngineImportSummary summary;
	g_assert_true(import(fixture,
	                     "\xEF\xBB\xBF"
	                     "E-Mail;Vorname;Firma\r\n"
	                     "anna@firma.example;Anna;\"Firma; GmbH\"\r\n",
	                     false, &summary, &error));
	g_assert_no_error(error);
	g_autoptr(StoreProspect) anna =
	        store_prospect_get(fixture->store, "anna@firma.example", &error);
	g_assert_nonnull(anna);
	g_assert_cmpstr(g_hash_table_lookup(anna->fields, "vorname"), ==, "Anna");
	g_assert_cmpstr(g_hash_table_lookup(anna->fields, "firma"), ==, "Firma; GmbH");
	g_assert_true(import(fixture, "email\tfirst_name\nbob@firma.example\tBob\n", false,
	                     &summary, &error));
	g_autoptr(StoreProspect) bob =
	        store_prospect_get(fixture->store, "bob@firma.example", &error);
	g_assert_cmpstr(bob->first_name, ==, "Bob");
	g_assert_cmpint(engine_import_guess_delimiter("a,b;c;d", 7), ==, ';');
	g_assert_cmpint(engine_import_guess_delimiter("\"a;b;c\",d", 9), ==, ',');
	g_assert_cmpint(engine_import_guess_delimiter("a,b;c", 5), ==, ',');

	/* A spreadsheet's empty columns beside the table, with no names. */
	g_assert_true(import(fixture,
	                     "Email Address,First name,,\r\n"
	                     "cleo@firma.example,Cleo,,\r\n"
	                     "dan@firma.example,Dan, ,\r\n",
	                     false, &summary, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(summary.imported, ==, 2);
	g_autoptr(StoreProspect) cleo =
	        store_prospect_get(fixture->store, "cleo@firma.example", &error);
	g_assert_cmpstr(cleo->first_name, ==, "Cleo");
	g_assert_cmpuint(g_hash_table_size(cleo->fields), ==, 0);

	static const char with_nul[] = "email,first_name\nnul@firma.example,Ca\0rol\n";
	FILE *file = fmemopen((void *)with_nul, sizeof with_nul - 1, "r");
	EngineImportOptions options = {0};
	g_autoptr(GError) nul_error = NULL;
	g_assert_false(engine_import_prospects(fixture->store, file, "prospects.csv", &options,
	                                       &summary, &nul_error));
	fclose(file);
	g_assert_error(nul_error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
	g_assert_cmpstr(nul_error->message, ==, "prospects.csv:2: field 2 holds a NUL byte");
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
	/* The row left out, with its place and why. */
	g_assert_cmpuint(summary.n_left_out, ==, 1);
	g_assert_true(g_str_has_prefix(summary.left_out[0], "prospects.csv:3: column \"email\": "));
	/* Only the first ones are kept; every one is counted. */
	GString *many = g_string_new("email\n");
	for (int i = 0; i < ENGINE_IMPORT_LEFT_OUT + 5; i++)
		g_string_append(many, "nobody\n");
	g_assert_true(import(fixture, many->str, true, &summary, &error));
	g_string_free(many, TRUE);
	g_assert_cmpuint(summary.invalid, ==, ENGINE_IMPORT_LEFT_OUT + 5);
	g_assert_cmpuint(summary.n_left_out, ==, ENGINE_IMPORT_LEFT_OUT);
	g_assert_true(g_str_has_prefix(summary.left_out[ENGINE_IMPORT_LEFT_OUT - 1],
	                               "prospects.csv:21: "));
}

/* A column mapping: columns of other names become piculet's, a field
 * renamed, one left out (its bad bytes never read); the errors say which
 * column. */
static void
test_column_mapping(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	EngineImportSummary summary;
	g_autoptr(GHashTable) columns = engine_import_columns_new();
	g_assert_true(engine_import_columns_add(columns, " Vorname ", "first_name", &error));
	g_assert_true(engine_import_columns_add(columns, "Firma", "Company", &error));
	g_assert_true(engine_import_columns_add(columns, "Position", "role", &error));
	g_assert_true(engine_import_columns_add(columns, "Notes", "", &error));
	g_assert_no_error(error);
	const char *csv = "E-Mail;Vorname;Firma;Position;Notes\n"
	                  "anna@firma.example;Anna;Firma GmbH;CTO;\xff\xfe not text\n";
	FILE *file = fmemopen((void *)csv, strlen(csv), "r");
	EngineImportOptions options = {.columns = columns};
	g_assert_true(engine_import_prospects(fixture->store, file, "prospects.csv", &options,
	                                      &summary, &error));
	fclose(file);
	g_assert_no_error(error);
	g_autoptr(StoreProspect) anna =
	        store_prospect_get(fixture->store, "anna@firma.example", &error);
	g_assert_cmpstr(anna->first_name, ==, "Anna");
	g_assert_cmpstr(anna->company, ==, "Firma GmbH");
	g_assert_cmpstr(g_hash_table_lookup(anna->fields, "role"), ==, "CTO");
	g_assert_cmpuint(g_hash_table_size(anna->fields), ==, 1);

	/* A mapping made for another file: the column it names is not here. */
	g_autoptr(GError) elsewhere = NULL;
	const char *other = "email,name\nb@firma.example,B\n";
	file = fmemopen((void *)other, strlen(other), "r");
	g_assert_false(engine_import_prospects(fixture->store, file, "prospects.csv", &options,
	                                       &summary, &elsewhere));
	fclose(file);
	g_assert_error(elsewhere, ENGINE_ERROR, ENGINE_ERROR_INPUT);
	g_assert_true(strstr(elsewhere->message, "the column mapping names \"") != NULL);

	/* Two columns made the same thing. */
	g_autoptr(GHashTable) twice = engine_import_columns_new();
	g_assert_true(engine_import_columns_add(twice, "Mail", "email", &error));
	g_autoptr(GError) same = NULL;
	const char *two = "email,mail\nc@firma.example,c@firma.example\n";
	EngineImportOptions twice_options = {.columns = twice};
	file = fmemopen((void *)two, strlen(two), "r");
	g_assert_false(engine_import_prospects(fixture->store, file, "prospects.csv",
	                                       &twice_options, &summary, &same));
	fclose(file);
	g_assert_cmpstr(same->message, ==,
	                "prospects.csv:1: header: columns 1 (\"email\") and 2 (\"mail\") are the "
	                "same column");

	/* What a mapping may say. */
	g_autoptr(GError) wrong = NULL;
	g_assert_false(engine_import_columns_add(columns, "notes", "x", &wrong));
	g_assert_cmpstr(wrong->message, ==, "column mapping: \"notes\" is mapped twice");
	g_clear_error(&wrong);
	g_assert_false(engine_import_columns_add(columns, "Web", "web site", &wrong));
	g_assert_true(g_str_has_prefix(
	        wrong->message, "column mapping: \"web\" becomes \"web site\", which is not"));
	g_clear_error(&wrong);
	g_assert_false(engine_import_columns_add(columns, "  ", "email", &wrong));
	g_assert_error(wrong, ENGINE_ERROR, ENGINE_ERROR_INPUT);
}

/* The first bytes of a file, before a mapping: its columns, what each is
 * taken for, the first values; a row cut at the end is not read. */
static void
test_peek(void)
{
	g_autoptr(GError) error = NULL;
	char used = '\0';
	const char *start = "\xEF\xBB\xBF"
	                    "E-Mail;Vorname;Firma\r\n"
	                    "anna@firma.example;Anna;\"Firma; GmbH\"\r\n"
	                    "bob@firma.example;Bob;\"Cut her";
	g_autoptr(GPtrArray) columns =
	        engine_import_peek_columns(start, strlen(start), '\0', 3, &used, &error);
	g_assert_no_error(error);
	g_assert_cmpint(used, ==, ';');
	g_assert_cmpuint(columns->len, ==, 3);
	const EngineImportColumn *mail = columns->pdata[0];
	const EngineImportColumn *first = columns->pdata[1];
	const EngineImportColumn *company = columns->pdata[2];
	g_assert_cmpstr(mail->header, ==, "E-Mail");
	g_assert_cmpstr(mail->meaning, ==, "email");
	g_assert_null(first->meaning);
	g_assert_cmpuint(company->samples->len, ==, 1);
	g_assert_cmpstr(company->samples->pdata[0], ==, "Firma; GmbH");

	/* At most the rows asked for; a broken quote named by its line. */
	const char *many = "email\na@x.example\nb@x.example\nc@x.example\n";
	g_autoptr(GPtrArray) two =
	        engine_import_peek_columns(many, strlen(many), ',', 2, &used, &error);
	g_assert_cmpuint(((EngineImportColumn *)two->pdata[0])->samples->len, ==, 2);
	const char *broken = "email,name\na@x.example,\"x\"y\n";
	g_assert_null(engine_import_peek_columns(broken, strlen(broken), '\0', 3, &used, &error));
	g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
	g_assert_true(g_str_has_prefix(error->message, "line 2: "));
	g_clear_error(&error);
	g_assert_null(engine_import_peek_columns("", 0, '\0', 3, &used, &error));
	g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
}

/* A separator as a person names it, on the command line or in a query. */
static void
test_delimiter_names(void)
{
	static const struct {
		const char *name;
		bool known;
		char delimiter;
	} cases[] = {{NULL, true, '\0'}, {",", true, ','}, {";", true, ';'}, {"tab", true, '\t'},
	             {"\t", true, '\t'}, {"|", false, 0},  {"", false, 0},   {"comma", false, 0}};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		char delimiter = 'x';
		g_assert_cmpint(engine_import_delimiter_parse(cases[i].name, &delimiter), ==,
		                cases[i].known);
		if (cases[i].known)
			g_assert_cmpint(delimiter, ==, cases[i].delimiter);
	}
}

/* A list of several batches (one is put while the next is read): every
 * row counted once, duplicates found across batches, every new prospect
 * enrolled; then a list whose bad row is in its last batch keeps nothing,
 * the batches put before it included. */
static void
test_many_batches(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	test_store_add_mailbox(fixture->store, "alice@sender.test", 50, NULL);
	int64_t campaign =
	        test_store_add_campaign(fixture->store, "Big", "alice@sender.test", NULL);
	const guint rows = 12000; /* three batches */
	g_autoptr(GString) csv = g_string_new("email,first_name\n");
	for (guint i = 0; i < rows; i++)
		g_string_append_printf(csv, "p%05u@many.example,P%u\n", i, i);
	g_string_append(csv, "p00000@many.example,Again\np07000@many.example,Again\n");
	FILE *file = fmemopen(csv->str, csv->len, "r");
	EngineImportOptions options = {.campaign_id = campaign};
	EngineImportSummary summary;
	g_assert_true(engine_import_prospects(fixture->store, file, "many.csv", &options, &summary,
	                                      &error));
	fclose(file);
	g_assert_no_error(error);
	g_assert_cmpuint(summary.rows, ==, rows + 2);
	g_assert_cmpuint(summary.imported, ==, rows);
	g_assert_cmpuint(summary.duplicates, ==, 2);
	g_assert_cmpuint(summary.enrolled, ==, rows);
	g_assert_cmpuint(count(fixture), ==, rows);

	g_string_assign(csv, "email,first_name\n");
	for (guint i = 0; i < rows; i++)
		g_string_append_printf(csv, "q%05u@many.example,Q%u\n", i, i);
	g_string_append(csv, "not-an-address,Nobody\n");
	file = fmemopen(csv->str, csv->len, "r");
	g_assert_false(engine_import_prospects(fixture->store, file, "more.csv", &options, &summary,
	                                       &error));
	fclose(file);
	g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT);
	g_assert_true(g_str_has_prefix(error->message, "more.csv:12002: column \"email\""));
	g_assert_cmpuint(count(fixture), ==, rows);
	g_autoptr(StoreCampaign) big = store_campaign_get(fixture->store, "Big", NULL);
	g_assert_cmpuint(big->n_enrolled, ==, rows);
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
	ADD("excel-bom-semicolons-tabs-empty-columns-and-nul", test_excel_files);
	ADD("column-mapping", test_column_mapping);
	ADD("many-batches-counted-enrolled-or-all-undone", test_many_batches);
#undef ADD
	g_test_add_func("/engine/import/delimiter-names", test_delimiter_names);
	g_test_add_func("/engine/import/peek-at-the-columns", test_peek);
	return g_test_run();
}
