/*
 * `piculet prospects` and `piculet blacklist` as a user runs them, on a
 * database file of their own: summaries, exit codes, errors that name the
 * place, and nothing half-written.
 */
#include "helpers/test_cli.h"
#include "helpers/test_pg.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *dir;
static char *db; /* a SQLite file, or on PostgreSQL one of the lab's */

static char *
path_of(const char *name)
{
	return g_build_filename(dir, name, NULL);
}

static void
piculet(TestCliRun *run, const char *const *args)
{
	test_cli_run_with_db(run, db, NULL, args);
}

static char *
write_csv(const char *name, const char *text)
{
	char *path = path_of(name);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void
test_import_list_blacklist(void)
{
	g_auto(TestCliRun) block = {0};
	const char *add[] = {"blacklist", "add", "@Competitor.example", "boss@acme.example", NULL};
	piculet(&block, add);
	g_assert_cmpint(block.status, ==, 0);
	g_autofree char *csv = write_csv("good.csv", "email,first_name,company,role\n"
	                                             "carol@acme.example,Carol,Acme,CTO\n"
	                                             "boss@acme.example,Boss,Acme,CEO\n"
	                                             "x@competitor.example,X,Competitor,\n"
	                                             "CAROL@acme.example,Carol,Acme,CTO\n");
	g_auto(TestCliRun) import = {0};
	const char *args[] = {"prospects", "import", csv, NULL};
	piculet(&import, args);
	g_assert_cmpint(import.status, ==, 0);
	g_assert_cmpstr(import.out, ==,
	                "4 rows: 1 imported, 0 updated, skipped: 0 invalid, 1 duplicate, 2 "
	                "blacklisted, 0 bounced, 0 opted out\n");
	g_auto(TestCliRun) list = {0};
	const char *list_args[] = {"prospects", "list", "--json", NULL};
	piculet(&list, list_args);
	g_assert_cmpstr(list.out, ==,
	                "{\"email\":\"carol@acme.example\",\"first_name\":\"Carol\",\"last_name\":"
	                "\"\",\"company\":\"Acme\",\"timezone\":\"\",\"status\":\"ok\",\"fields\":"
	                "{\"role\":\"CTO\"}}\n");
	g_auto(TestCliRun) entries = {0};
	const char *entries_args[] = {"blacklist", "list", NULL};
	piculet(&entries, entries_args);
	g_assert_cmpstr(entries.out, ==, "@competitor.example\nboss@acme.example\n");
}

static void
test_bad_file_changes_nothing(void)
{
	g_autofree char *csv = write_csv("bad.csv", "email,first_name\n"
	                                            "new1@acme.example,One\n"
	                                            "a@b@c,Broken\n");
	g_auto(TestCliRun) before = {0};
	const char *list_args[] = {"prospects", "list", NULL};
	piculet(&before, list_args);
	g_auto(TestCliRun) import = {0};
	const char *args[] = {"prospects", "import", csv, NULL};
	piculet(&import, args);
	g_assert_cmpint(import.status, ==, 65);
	g_autofree char *expected = g_strdup_printf(
	        "piculet prospects import: %s:3: column \"email\": not an address: more than one @ "
	        "(nothing was imported)\n",
	        csv);
	g_assert_cmpstr(import.err, ==, expected);
	g_auto(TestCliRun) after = {0};
	piculet(&after, list_args);
	g_assert_cmpstr(after.out, ==, before.out);
}

/* --column: a German export's columns mapped, one left out; a mistake in
 * the mapping is a usage error, a mapping for another file an input
 * error, nothing imported either way. */
static void
test_import_column_mapping(void)
{
	g_autofree char *csv =
	        write_csv("export.csv", "E-Mail Adresse;Vorname;Firma;Notiz\n"
	                                "erik@firma.example;Erik;Firma AG;call back\n");
	const char *mapped[] = {"prospects",
	                        "import",
	                        csv,
	                        "--column",
	                        "E-Mail Adresse=email",
	                        "--column",
	                        "Vorname=first_name",
	                        "--column",
	                        "firma=company",
	                        "--column",
	                        "Notiz=",
	                        NULL};
	g_auto(TestCliRun) import = {0};
	piculet(&import, mapped);
	g_assert_cmpint(import.status, ==, 0);
	g_auto(TestCliRun) shown = {0};
	const char *show[] = {"prospects", "show", "erik@firma.example", "--json", NULL};
	piculet(&shown, show);
	g_assert_nonnull(strstr(shown.out, "\"first_name\":\"Erik\""));
	g_assert_nonnull(strstr(shown.out, "\"company\":\"Firma AG\""));
	g_assert_null(strstr(shown.out, "notiz"));

	g_auto(TestCliRun) no_equals = {0};
	const char *bad[] = {"prospects", "import", csv, "--column", "Vorname", NULL};
	piculet(&no_equals, bad);
	g_assert_cmpint(no_equals.status, ==, 64);
	g_assert_nonnull(strstr(no_equals.err, "--column Vorname: HEADER=WHAT"));
	g_auto(TestCliRun) elsewhere = {0};
	const char *other[] = {"prospects", "import", csv, "--column", "Nachname=last_name", NULL};
	piculet(&elsewhere, other);
	g_assert_cmpint(elsewhere.status, ==, 65);
	g_assert_nonnull(strstr(elsewhere.err, "the column mapping names \"nachname\""));
	g_assert_nonnull(strstr(elsewhere.err, "(nothing was imported)"));
}

static void
test_show_edit_remove(void)
{
	g_autofree char *csv = write_csv("one.csv", "email,first_name,company,city\n"
	                                            "dana@acme.example,Dana,Acme,Lyon\n");
	const char *import[] = {"prospects", "import", csv, NULL};
	g_auto(TestCliRun) imported = {0};
	piculet(&imported, import);
	g_assert_cmpint(imported.status, ==, 0);
	const char *edit[] = {"prospects",    "edit",    "Dana@Acme.example", "--first-name",
	                      "Danielle",     "--field", "city=Paris",        "--timezone",
	                      "Europe/Paris", NULL};
	g_auto(TestCliRun) edited = {0};
	piculet(&edited, edit);
	g_assert_cmpint(edited.status, ==, 0);
	g_assert_cmpstr(edited.out, ==, "prospect dana@acme.example updated\n");
	const char *show[] = {"prospects", "show", "dana@acme.example", NULL};
	g_auto(TestCliRun) shown = {0};
	piculet(&shown, show);
	g_assert_cmpstr(shown.out, ==,
	                "dana@acme.example: Danielle , Acme (Europe/Paris), status ok\n"
	                "  city: Paris\n");
	/* Bad values change nothing and say why. */
	const char *bad_zone[] = {"prospects",  "edit",      "dana@acme.example",
	                          "--timezone", "Mars/Base", NULL};
	g_auto(TestCliRun) refused = {0};
	piculet(&refused, bad_zone);
	g_assert_cmpint(refused.status, ==, 65);
	g_assert_nonnull(strstr(refused.err, "\"Mars/Base\" is not a known time zone"));
	const char *bad_field[] = {"prospects",       "edit", "dana@acme.example", "--field",
	                           "note=two\nlines", NULL};
	g_auto(TestCliRun) injected = {0};
	piculet(&injected, bad_field);
	g_assert_cmpint(injected.status, ==, 64);
	const char *remove[] = {"prospects", "remove", "dana@acme.example", NULL};
	g_auto(TestCliRun) removed = {0};
	piculet(&removed, remove);
	g_assert_cmpint(removed.status, ==, 0);
	g_auto(TestCliRun) gone = {0};
	piculet(&gone, show);
	g_assert_cmpint(gone.status, ==, 66);
	g_auto(TestCliRun) again = {0};
	piculet(&again, remove);
	g_assert_cmpint(again.status, ==, 66);
}

static void
test_missing_file(void)
{
	g_auto(TestCliRun) import = {0};
	const char *args[] = {"prospects", "import", "/nonexistent/prospects.csv", NULL};
	piculet(&import, args);
	g_assert_cmpint(import.status, ==, 66);
	g_assert_nonnull(strstr(import.err, "/nonexistent/prospects.csv"));
}

static void
test_mailbox_password_sealed(void)
{
	const char *env[] = {"ALICE_PW", "hunter2-very-secret", NULL};
	const char *add[] = {"mailbox",
	                     "add",
	                     "Alice@Sender.test",
	                     "--smtp",
	                     "smtp.sender.test",
	                     "--imap",
	                     "imap.sender.test",
	                     "--name",
	                     "Alice",
	                     "--store-password-env",
	                     "ALICE_PW",
	                     "--db",
	                     db,
	                     NULL};
	g_auto(TestCliRun) added = {0};
	test_cli_run(&added, env, add);
	g_assert_cmpint(added.status, ==, 0);
	g_assert_cmpstr(added.out, ==, "mailbox alice@sender.test added\n");
	/* Nowhere in the database (its file, or all a server holds of it), nor
	 * in what the commands print. */
	g_autofree char *bytes = NULL;
	gsize n = 0;
	if (test_pg_wanted())
		bytes = test_pg_database_dump(db, &n);
	else
		g_assert_true(g_file_get_contents(db, &bytes, &n, NULL));
	/* memmem: the bytes hold NULs, where a string search would stop. */
	g_assert_nonnull(memmem(bytes, n, "alice@sender.test", strlen("alice@sender.test")));
	g_assert_null(memmem(bytes, n, "hunter2", strlen("hunter2")));
	g_assert_null(memmem(bytes, n, "68756e74657232", 14)); /* hunter2 as bytea */
	g_autofree char *key = test_pg_wanted() ? g_build_filename(g_get_user_data_dir(), "piculet",
	                                                           "secret.key", NULL)
	                                        : path_of("secret.key");
	GStatBuf st;
	g_assert_cmpint(g_stat(key, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	if (!test_pg_wanted()) {
		g_assert_cmpint(g_stat(db, &st), ==, 0);
		g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	}
	g_auto(TestCliRun) shown = {0};
	const char *show[] = {"mailbox", "show", "alice@sender.test", "--json", "--db", db, NULL};
	test_cli_run(&shown, NULL, show);
	g_assert_cmpint(shown.status, ==, 0);
	g_assert_nonnull(strstr(shown.out, "\"password\":\"sealed\""));
	g_assert_null(strstr(shown.out, "hunter2"));
	g_auto(TestCliRun) again = {0};
	test_cli_run(&again, env, add);
	g_assert_cmpint(again.status, ==, 65);
	g_assert_nonnull(strstr(again.err, "exists already"));
	g_auto(TestCliRun) removed = {0};
	const char *remove[] = {"mailbox", "remove", "alice@sender.test", "--db", db, NULL};
	test_cli_run(&removed, NULL, remove);
	g_assert_cmpint(removed.status, ==, 0);
	g_auto(TestCliRun) gone = {0};
	test_cli_run(&gone, NULL, show);
	g_assert_cmpint(gone.status, ==, 66);
}

/* Text from outside reaches the terminal printable: an escape sequence in
 * a CSV field (a title change, a screen clear), a BEL, a backspace that
 * would overwrite what a person reads, a lone CR. */
static void
test_outside_text_printed_safely(void)
{
	g_autofree char *csv =
	        write_csv("hostile.csv",
	                  "email,first_name,note\n"
	                  "eve@acme.example,\"Eve\x1b]0;pwned\x07\",\"ok\x08\x08\x1b[2Jx\rX\"\n");
	g_auto(TestCliRun) imported = {0};
	const char *import[] = {"prospects", "import", csv, NULL};
	piculet(&imported, import);
	g_assert_cmpint(imported.status, ==, 0);
	g_auto(TestCliRun) shown = {0};
	const char *show[] = {"prospects", "show", "eve@acme.example", NULL};
	piculet(&shown, show);
	g_auto(TestCliRun) listed = {0};
	const char *list[] = {"prospects", "list", NULL};
	piculet(&listed, list);
	const char *outputs[] = {shown.out, listed.out};
	for (gsize i = 0; i < G_N_ELEMENTS(outputs); i++) {
		g_assert_nonnull(strstr(outputs[i], "eve@acme.example"));
		g_assert_null(strchr(outputs[i], '\x1b'));
		g_assert_null(strchr(outputs[i], '\x07'));
		g_assert_null(strchr(outputs[i], '\x08'));
		g_assert_null(strchr(outputs[i], '\r'));
		g_assert_nonnull(strstr(outputs[i], "Eve\xef\xbf\xbd]0;pwned"));
	}
	/* --json keeps the data, escaped. */
	g_auto(TestCliRun) json = {0};
	const char *show_json[] = {"prospects", "show", "eve@acme.example", "--json", NULL};
	piculet(&json, show_json);
	g_assert_nonnull(strstr(json.out, "Eve\\u001b]0;pwned\\u0007"));
	/* ...the custom fields with it, as the API's card has them. */
	g_assert_nonnull(
	        strstr(json.out, "\"fields\":{\"note\":\"ok\\u0008\\u0008\\u001b[2Jx\\rX\"}"));
}

/* `piculet --db PATH COMMAND` works like `piculet COMMAND --db PATH`. */
static void
test_global_db_option(void)
{
	g_autofree char *global = test_pg_store_location(dir, "global");
	g_auto(TestCliRun) added = {0};
	const char *add[] = {"--db", global, "blacklist", "add", "@global.example", NULL};
	test_cli_run(&added, NULL, add);
	g_assert_cmpint(added.status, ==, 0);
	g_auto(TestCliRun) listed = {0};
	g_autofree char *db_option = g_strdup_printf("--db=%s", global);
	const char *list[] = {db_option, "blacklist", "list", NULL};
	test_cli_run(&listed, NULL, list);
	g_assert_cmpint(listed.status, ==, 0);
	g_assert_cmpstr(listed.out, ==, "@global.example\n");
	g_auto(TestCliRun) missing = {0};
	const char *bare[] = {"--db", NULL};
	test_cli_run(&missing, NULL, bare);
	g_assert_cmpint(missing.status, ==, 64);
}

/* A database another process is writing: every command says so with the
 * same code, 75 (try again later), not 74 in one and 75 in another. On
 * PostgreSQL writers do not wait for one another (the server orders them
 * row by row): both go. */
static void
test_busy_database_is_75_everywhere(void)
{
	g_autofree char *busy = test_pg_store_location(dir, "busy");
	g_auto(TestCliRun) created = {0};
	const char *create[] = {"--db", busy, "blacklist", "add", "@first.example", NULL};
	test_cli_run(&created, NULL, create);
	g_assert_cmpint(created.status, ==, 0);
	TestCliLock *lock = test_cli_hold_write_lock(busy);
	g_autofree char *csv = write_csv("busy.csv", "email\nbusy@acme.example\n");
	const char *blacklist[] = {"--db", busy, "blacklist", "add", "@second.example", NULL};
	const char *import[] = {"--db", busy, "prospects", "import", csv, NULL};
	const char *const *commands[] = {blacklist, import};
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
		g_auto(TestCliRun) run = {0};
		test_cli_run(&run, NULL, commands[i]);
		if (test_pg_wanted()) {
			g_assert_cmpint(run.status, ==, 0);
			continue;
		}
		g_assert_cmpint(run.status, ==, 75);
		g_assert_nonnull(strstr(run.err, "locked"));
	}
	test_cli_release_lock(lock);
}

static int
add_sealed(const char *address, const char *database, TestCliRun *run)
{
	const char *env[] = {"PW", "another-secret", NULL};
	const char *add[] = {"mailbox",
	                     "add",
	                     address,
	                     "--smtp",
	                     "smtp.sender.test",
	                     "--imap",
	                     "imap.sender.test",
	                     "--store-password-env",
	                     "PW",
	                     "--db",
	                     database,
	                     NULL};
	test_cli_run(run, env, add);
	return run->status;
}

/* The seal key belongs to the database's real file: through a symlink in
 * another folder the same key is used (a second key once appeared there and
 * locked the real mailbox out), and a lost key is never silently replaced. */
static void
test_sealed_key_follows_the_database(void)
{
	g_autofree char *real_dir = path_of("real");
	g_autofree char *other_dir = path_of("elsewhere");
	g_assert_cmpint(g_mkdir_with_parents(real_dir, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(other_dir, 0700), ==, 0);
	g_autofree char *real_db = g_build_filename(real_dir, "piculet.db", NULL);
	g_autofree char *link = g_build_filename(other_dir, "link.db", NULL);
	g_autofree char *key = g_build_filename(real_dir, "secret.key", NULL);
	g_autofree char *stray_key = g_build_filename(other_dir, "secret.key", NULL);
	g_auto(TestCliRun) first = {0};
	g_assert_cmpint(add_sealed("alice@sender.test", real_db, &first), ==, 0);
	g_assert_true(g_file_test(key, G_FILE_TEST_EXISTS));
	g_assert_cmpint(symlink(real_db, link), ==, 0);

	g_auto(TestCliRun) through_link = {0};
	g_assert_cmpint(add_sealed("bob@sender.test", link, &through_link), ==, 0);
	g_assert_false(g_file_test(stray_key, G_FILE_TEST_EXISTS));

	/* The key is lost: nothing makes a new one while sealed passwords
	 * exist, and opening one says what is missing. */
	g_autofree char *saved = g_strdup_printf("%s.saved", key);
	g_assert_cmpint(g_rename(key, saved), ==, 0);
	g_auto(TestCliRun) refused = {0};
	g_assert_cmpint(add_sealed("carol@sender.test", link, &refused), !=, 0);
	g_assert_nonnull(strstr(refused.err, "missing while sealed secrets depend on it"));
	g_auto(TestCliRun) check = {0};
	const char *check_args[] = {"mailbox", "check", "alice@sender.test", "--db", link, NULL};
	test_cli_run(&check, NULL, check_args);
	g_assert_cmpint(check.status, !=, 0);
	g_assert_nonnull(strstr(check.err, "key file"));
	g_assert_nonnull(strstr(check.err, "is missing"));
	g_assert_false(g_file_test(key, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(stray_key, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_assert_nonnull(g_getenv("PICULET_BIN"));
	dir = g_dir_make_tmp("piculet-cli-prospects-XXXXXX", NULL);
	db = test_pg_store_location(dir, "piculet");
	g_test_add_func("/cli/prospects/import-list-and-blacklist", test_import_list_blacklist);
	g_test_add_func("/cli/prospects/bad-file-changes-nothing", test_bad_file_changes_nothing);
	g_test_add_func("/cli/prospects/missing-file-exits-66", test_missing_file);
	g_test_add_func("/cli/prospects/show-edit-remove", test_show_edit_remove);
	g_test_add_func("/cli/prospects/import-column-mapping", test_import_column_mapping);
	g_test_add_func("/cli/mailbox/password-sealed-never-shown", test_mailbox_password_sealed);
	g_test_add_func("/cli/global-db-option-before-the-command", test_global_db_option);
	g_test_add_func("/cli/busy-database-is-75-everywhere", test_busy_database_is_75_everywhere);
	g_test_add_func("/cli/prospects/outside-text-printed-safely",
	                test_outside_text_printed_safely);
	/* A SQLite file's own: its key beside its real file, through symlinks
	 * (a server's database names its key in the configuration). */
	if (!test_pg_wanted())
		g_test_add_func("/cli/mailbox/sealed-key-follows-the-database",
		                test_sealed_key_follows_the_database);
	int status = g_test_run();
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	g_free(db);
	return status;
}
