/*
 * `piculet campaign` and `prospects import --campaign` as a user runs them,
 * on a database file of their own: create, edit, states, preview (exact
 * messages and times), and errors that name the place.
 */
#include "helpers/test_cli.h"
#include "helpers/test_pg.h"

#include <glib/gstdio.h>
#include <string.h>

static char *dir;
static char *db; /* the file's database: a SQLite file, or on PostgreSQL one of the lab's */

static char *
path_of(const char *name)
{
	return g_build_filename(dir, name, NULL);
}

static void
piculet(TestCliRun *run, const char *const *args)
{
	const char *env[] = {"PW", "secret", NULL};
	test_cli_run_with_db(run, db, env, args);
}

static char *
write_file(const char *name, const char *text)
{
	char *path = path_of(name);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static const char campaign_text[] = "name: Q4\n"
                                    "mailboxes: [alice@sender.test]\n"
                                    "timezone: Europe/Berlin\n"
                                    "use_prospect_timezone: true\n"
                                    "window: mon-fri 09:00-17:00\n"
                                    "steps:\n"
                                    "  - subject: \"Quick question, {{first_name}}\"\n"
                                    "    body: |\n"
                                    "      Hi {{first_name}}, is {{company|your team}} hiring?\n"
                                    "  - delay: 3d\n"
                                    "    body: Bumping this, {{sender.first_name}}\n";

static void
setup_mailbox(void)
{
	g_auto(TestCliRun) add = {0};
	const char *args[] = {"mailbox",   "add",    "alice@sender.test", "--smtp",
	                      "127.0.0.1", "--imap", "127.0.0.1",         "--password-env",
	                      "PW",        "--name", "Alice Smith",       NULL};
	piculet(&add, args);
	g_assert_cmpint(add.status, ==, 0);
}

static void
test_create_import_preview(void)
{
	setup_mailbox();
	g_autofree char *file = write_file("q4.yaml", campaign_text);
	g_auto(TestCliRun) create = {0};
	const char *create_args[] = {"campaign", "create", file, NULL};
	piculet(&create, create_args);
	g_assert_cmpint(create.status, ==, 0);
	g_assert_nonnull(strstr(create.out, "campaign \"Q4\" created: 2 steps"));

	g_auto(TestCliRun) again = {0};
	piculet(&again, create_args);
	g_assert_cmpint(again.status, ==, 65);
	g_assert_nonnull(strstr(again.err, "exists already"));

	g_autofree char *csv = write_file("p.csv", "email,first_name,company,timezone\n"
	                                           "ann@prospect.test,Ann,Acme,America/New_York\n"
	                                           "bo@prospect.test,,,\n"
	                                           "cy@prospect.test,Cy,,\n");
	g_auto(TestCliRun) import = {0};
	const char *import_args[] = {"prospects", "import", csv, "--campaign", "Q4", NULL};
	piculet(&import, import_args);
	g_assert_cmpint(import.status, ==, 0);
	g_assert_nonnull(strstr(import.out, "campaign \"Q4\": 3 enrolled, 0 already in it"));

	g_auto(TestCliRun) show = {0};
	const char *show_args[] = {"campaign", "show", "Q4", NULL};
	piculet(&show, show_args);
	g_assert_cmpint(show.status, ==, 0);
	g_assert_nonnull(strstr(show.out, "mailboxes: alice@sender.test\n"));
	g_assert_nonnull(strstr(show.out, "window:    mon-fri 09:00-17:00, Europe/Berlin"));
	g_assert_nonnull(strstr(show.out, "step 2:    after 3d (reply in the thread)"));
	g_assert_nonnull(strstr(show.out, "prospects: 3 enrolled"));

	/* Friday 16:30 UTC is 11:30 in New York: step 1 goes then; step 2
	 * three days later is Monday, inside the window. */
	g_auto(TestCliRun) preview = {0};
	const char *preview_args[] = {"campaign", "preview", "Q4", "--from", "2026-11-27T16:30:00Z",
	                              NULL};
	piculet(&preview, preview_args);
	g_assert_cmpint(preview.status, ==, 0);
	g_assert_nonnull(strstr(preview.out, "=== step 1: earliest Fri 2026-11-27 11:30 "
	                                     "America/New_York (2026-11-27T16:30:00Z)"));
	g_assert_nonnull(strstr(preview.out, "Subject: Quick question, Ann\r\n"));
	g_assert_nonnull(strstr(preview.out, "Hi Ann, is Acme hiring?"));
	g_assert_nonnull(strstr(preview.out, "=== step 2: earliest Mon 2026-11-30 11:30"));
	g_assert_nonnull(strstr(preview.out, "Subject: Re: Quick question, Ann\r\n"));
	g_assert_nonnull(strstr(preview.out, "In-Reply-To: <"));
	g_assert_nonnull(strstr(preview.out, "Bumping this, Alice"));

	/* Cy has no zone: Berlin's window; Saturday moves to Monday 09:00. */
	g_auto(TestCliRun) cy = {0};
	const char *cy_args[] = {"campaign",
	                         "preview",
	                         "Q4",
	                         "--prospect",
	                         "CY@prospect.test",
	                         "--from",
	                         "2026-11-28T12:00:00Z",
	                         NULL};
	piculet(&cy, cy_args);
	g_assert_cmpint(cy.status, ==, 0);
	g_assert_nonnull(strstr(cy.out, "=== step 1: earliest Mon 2026-11-30 09:00 Europe/Berlin "
	                                "(2026-11-30T08:00:00Z)"));
	g_assert_nonnull(strstr(cy.out, "Hi Cy, is your team hiring?"));

	/* Bo has no first name: the preview says which field, and where. */
	g_auto(TestCliRun) bo = {0};
	const char *bo_args[] = {"campaign",
	                         "preview",
	                         "Q4",
	                         "--prospect",
	                         "bo@prospect.test",
	                         "--from",
	                         "2026-11-28T12:00:00Z",
	                         NULL};
	piculet(&bo, bo_args);
	g_assert_cmpint(bo.status, ==, 65);
	g_assert_nonnull(strstr(bo.err, "bo@prospect.test: step 1 body:1:"));
	g_assert_nonnull(strstr(bo.err, "first_name"));
}

static void
test_states_and_edit(void)
{
	static const struct {
		const char *action;
		int status;
		const char *out;
	} moves[] = {
	        {"pause", 65, NULL},    {"start", 0, "running"},  {"start", 65, NULL},
	        {"pause", 0, "paused"}, {"resume", 0, "running"}, {"archive", 0, "archived"},
	        {"resume", 65, NULL},
	};
	/* Editing while running: one step more is fine. */
	g_autofree char *longer_text =
	        g_strconcat(campaign_text, "  - delay: 1w\n    body: Last one\n", NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(moves); i++) {
		g_auto(TestCliRun) run = {0};
		const char *args[] = {"campaign", moves[i].action, "Q4", NULL};
		piculet(&run, args);
		g_assert_cmpint(run.status, ==, moves[i].status);
		if (moves[i].out != NULL)
			g_assert_nonnull(strstr(run.out, moves[i].out));
		if (i == 1) {
			g_autofree char *longer = write_file("q4-longer.yaml", longer_text);
			g_auto(TestCliRun) edit = {0};
			const char *edit_args[] = {"campaign", "edit", longer, NULL};
			piculet(&edit, edit_args);
			g_assert_cmpint(edit.status, ==, 0);
			g_assert_nonnull(strstr(edit.out, "3 steps"));
		}
	}
	g_auto(TestCliRun) list = {0};
	const char *list_args[] = {"campaign", "list", "--json", NULL};
	piculet(&list, list_args);
	g_assert_cmpint(list.status, ==, 0);
	g_assert_nonnull(strstr(list.out, "\"name\":\"Q4\",\"state\":\"archived\",\"steps\":3"));
}

static void
test_bad_files(void)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
	        {"name: X\n\tmailboxes: [alice@sender.test]\n", "bad.yaml:2:1: a tab"},
	        {"name: X\nmailboxes: [alice@sender.test]\nwindow: mon-fri 17:00-09:00\n",
	         "bad.yaml:3:9: window \"mon-fri 17:00-09:00\": the window ends before it starts"},
	        {"name: X\nmailboxes: [alice@sender.test]\ntimezone: Europe/Nowhere\n",
	         "bad.yaml:3:11: timezone: \"Europe/Nowhere\" is not a known time zone"},
	        {"name: X\nmailboxes: [alice@sender.test]\nsteps:\n  - subject: a\n    body: "
	         "b\n    bcc: c\n",
	         "bad.yaml:6:5: step 1: unknown key \"bcc\""},
	};
	g_autofree char *file = path_of("bad.yaml");
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_assert_true(g_file_set_contents(file, cases[i].text, -1, NULL));
		g_auto(TestCliRun) run = {0};
		const char *args[] = {"campaign", "create", file, NULL};
		piculet(&run, args);
		g_assert_cmpint(run.status, ==, 65);
		g_assert_nonnull(strstr(run.err, cases[i].error));
	}
	g_auto(TestCliRun) list = {0};
	const char *list_args[] = {"campaign", "list", NULL};
	piculet(&list, list_args);
	g_assert_null(strstr(list.out, "X\t"));
	g_auto(TestCliRun) missing = {0};
	const char *missing_args[] = {"campaign", "create", "/nonexistent/q.yaml", NULL};
	piculet(&missing, missing_args);
	g_assert_cmpint(missing.status, ==, 66);
}

/* doctor, without the network, on this file's database (a file, or a
 * server: then the engines at work instead of the file's lock). */
static void
test_doctor_offline(void)
{
	g_auto(TestCliRun) run = {0};
	const char *args[] = {"doctor", "--offline", NULL};
	piculet(&run, args);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_nonnull(strstr(run.out, "ok   database: "));
	g_assert_nonnull(strstr(run.out, test_pg_wanted() ? "ok   engines: none works"
	                                                  : "ok   engine: none works"));
	g_assert_nonnull(strstr(run.out, "0 problems"));
	/* A server's clock beside this machine's: the same here, unless the
	 * suite runs with the clock moved (the database server keeps the
	 * real one). */
	if (test_pg_wanted())
		g_assert_nonnull(strstr(run.out, g_getenv("PICULET_FAKETIME") == NULL
		                                         ? "ok   database clock: this machine's "
		                                           "is within 5 s of the database server's"
		                                         : "warn database clock: this machine's "
		                                           "clock is "));
	else
		g_assert_null(strstr(run.out, "database clock"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("piculet-cli-campaign-XXXXXX", NULL);
	db = test_pg_store_location(dir, "piculet");
	g_test_add_func("/cli/campaign/create-import-preview", test_create_import_preview);
	g_test_add_func("/cli/campaign/states-and-edit", test_states_and_edit);
	g_test_add_func("/cli/campaign/bad-files-name-the-place", test_bad_files);
	g_test_add_func("/cli/doctor/offline", test_doctor_offline);
	int status = g_test_run();
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	g_free(dir);
	g_free(db);
	return status;
}
