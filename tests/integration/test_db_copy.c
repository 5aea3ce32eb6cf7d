/*
 * `piculet db copy`, end to end, on the mail lab and the PostgreSQL lab:
 * a SQLite file that has sent its openings is copied into PostgreSQL; the
 * engine on the new database goes on where the file stopped (nothing sent
 * twice, the follow-ups threaded under the openings, the sealed password
 * opened with the seal key that came along); the engine on the file
 * refuses to start; a copy into a database with rows, or under another
 * seal key, changes nothing; an engine refuses to start on a database
 * while a copy into it is under way, and after one that was killed.
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"
#include "store/store.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define PROSPECTS 10

typedef struct {
	char *dir;
	char *file; /* the SQLite database */
	char *xdg;  /* the data folder of the commands: the new database's key */
	char *token;
} Setting;

static void
run_piculet(TestCliRun *run, const Setting *setting, const char *db, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, "XDG_DATA_HOME", setting->xdg, NULL};
	if (db != NULL)
		test_cli_run_with_db(run, db, env, args);
	else
		test_cli_run(run, env, args);
}

static void
piculet_ok(const Setting *setting, const char *db, const char *const *args)
{
	g_auto(TestCliRun) run = {0};
	run_piculet(&run, setting, db, args);
	if (run.status != 0)
		g_error("piculet %s: exit %d: %s", args[0], run.status, run.err);
}

/* One pass at @now; its summary line. */
static char *
tick(const Setting *setting, const char *db, const char *now, int *status)
{
	const TestLab *lab = test_lab_get();
	const char *args[] = {"tick", "--now", now, "--ca-file", lab->ca_file, NULL};
	g_auto(TestCliRun) run = {0};
	run_piculet(&run, setting, db, args);
	*status = run.status;
	return g_strdup(run.status == 0 ? run.out : run.err);
}

/* Two mailboxes of the lab (the first's password sealed in the file), a
 * two-step campaign to the crowd, started; its openings sent. */
static void
set_up_file(const Setting *setting)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autofree char *one = g_strdup_printf("sender1@%s", lab->sender_domain);
	g_autofree char *two = g_strdup_printf("sender2@%s", lab->sender_domain);
	const char *sealed[] = {"mailbox", "add",    one,  "--smtp",
	                        smtp,      "--imap", imap, "--store-password-env",
	                        "LAB_PW",  NULL};
	const char *read[] = {"mailbox",        "add",    two, "--smtp", smtp, "--imap", imap,
	                      "--password-env", "LAB_PW", NULL};
	piculet_ok(setting, setting->file, sealed);
	piculet_ok(setting, setting->file, read);
	g_autofree char *yaml = g_strdup_printf(
	        "name: moving\nmailboxes: [%s, %s]\nwindow: daily 00:00-24:00\ndomain_caps: off\n"
	        "interval: 0s\nsteps:\n"
	        "  - subject: \"moving {{first_name}}\"\n    body: \"step-1 {{first_name}} %s\"\n"
	        "  - delay: 2d\n    body: \"step-2 {{first_name}} %s\"\n",
	        one, two, setting->token, setting->token);
	g_autofree char *yaml_path = g_build_filename(setting->dir, "moving.yaml", NULL);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	g_autoptr(GString) csv = g_string_new("email,first_name\n");
	for (int i = 1; i <= PROSPECTS; i++)
		g_string_append_printf(csv, "m%02d-%s@%s,m%02d\n", i, setting->token,
		                       lab->crowd_domain, i);
	g_autofree char *csv_path = g_build_filename(setting->dir, "moving.csv", NULL);
	g_assert_true(g_file_set_contents(csv_path, csv->str, -1, NULL));
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects", "import", csv_path, "--campaign", "moving", NULL};
	const char *start[] = {"campaign", "start", "moving", NULL};
	piculet_ok(setting, setting->file, create);
	piculet_ok(setting, setting->file, import);
	piculet_ok(setting, setting->file, start);
	int status = 0;
	g_autofree char *sent = tick(setting, setting->file, "2026-12-01T10:00:00Z", &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(sent, "sent 10,"));
}

static char *
output_of(const Setting *setting, const char *db, const char *const *args)
{
	g_auto(TestCliRun) run = {0};
	run_piculet(&run, setting, db, args);
	g_assert_cmpint(run.status, ==, 0);
	return g_steal_pointer(&run.out);
}

/* How many of the crowd's messages hold "step-@step mNN TOKEN", for each
 * prospect: every one must be @expected. */
static void
assert_each_got(const Setting *setting, int step, guint expected)
{
	const TestLab *lab = test_lab_get();
	for (int i = 1; i <= PROSPECTS; i++) {
		g_autofree char *needle =
		        g_strdup_printf("step-%d m%02d %s", step, i, setting->token);
		if (expected > 0)
			g_assert_true(test_lab_wait_for_count(lab, lab->crowd_mailbox, needle,
			                                      expected, 20000));
		g_assert_cmpuint(test_lab_count_text(lab, lab->crowd_mailbox, needle), ==,
		                 expected);
	}
}

static void
die_with_parent(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* A copy under way: the engine does not start on its destination. The
 * test holds a lock that the copy needs (an open write to the
 * blacklist), so the copy waits in the middle, its mark visible. */
static void
check_engine_waits_for_copy(const Setting *setting)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *target = test_pg_database_new("dbcopy_during");
	g_autoptr(Store) holder = store_open(target, &error);
	g_assert_no_error(error);
	g_assert_true(store_begin(holder, &error));
	g_assert_true(store_blacklist_add(holder, "hold@example.test", "a lock", &error));

	const char *argv[] = {g_getenv("PICULET_BIN"), "db",   "copy", "--from",
	                      setting->file,           "--to", target, NULL};
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	        G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	g_subprocess_launcher_setenv(launcher, "XDG_DATA_HOME", setting->xdg, TRUE);
	g_autoptr(GSubprocess) copy = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);

	g_autoptr(Store) watcher = store_open(target, &error);
	g_assert_no_error(error);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	StoreMoveState state = STORE_MOVE_NONE;
	while (state != STORE_MOVE_COPYING && g_get_monotonic_time() < deadline) {
		g_auto(StoreMove) move = {0};
		g_assert_true(store_move_read(watcher, &move, &error));
		state = move.state;
		if (state != STORE_MOVE_COPYING)
			g_usleep(20 * 1000);
	}
	g_assert_cmpint(state, ==, STORE_MOVE_COPYING);
	int status = 0;
	g_autofree char *refused = tick(setting, target, "2026-12-01T10:00:00Z", &status);
	g_assert_cmpint(status, !=, 0);
	g_assert_nonnull(strstr(refused, "has not finished"));

	store_rollback(holder);
	g_autofree char *err = NULL;
	g_assert_true(g_subprocess_communicate_utf8(copy, NULL, NULL, NULL, &err, &error));
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(copy));
	if (g_subprocess_get_exit_status(copy) != 0)
		g_error("db copy: %s", err);
	g_auto(StoreMove) after = {0};
	g_assert_true(store_move_read(watcher, &after, &error));
	g_assert_cmpint(after.state, ==, STORE_MOVE_NONE);
	g_autofree char *nothing_due = tick(setting, target, "2026-12-01T10:00:00Z", &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(nothing_due, "sent 0,"));
	store_close(g_steal_pointer(&holder));
	store_close(g_steal_pointer(&watcher));
	test_pg_database_drop(target);
}

static void
test_copy_and_go_on(void)
{
	/* Registered on the PostgreSQL suite alone (a copy goes there). */
	g_assert_true(test_pg_wanted());
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-dbcopy-XXXXXX", &error);
	g_assert_no_error(error);
	Setting setting = {.dir = dir,
	                   .file = g_build_filename(dir, "work.db", NULL),
	                   .xdg = g_build_filename(dir, "xdg", NULL),
	                   .token = g_strdup_printf("%08x", g_random_int())};
	set_up_file(&setting);
	assert_each_got(&setting, 1, 1);
	const char *report[] = {"report", "moving", NULL};
	g_autofree char *report_before = output_of(&setting, setting.file, report);

	/* A password in --to would show in the process list: refused. */
	const char *with_password[] = {"db", "copy", "--to", "postgresql://me:secret@127.0.0.1/x",
	                               NULL};
	g_auto(TestCliRun) refused = {0};
	test_cli_run(&refused, NULL, with_password);
	g_assert_cmpint(refused.status, ==, 64);
	g_assert_nonnull(strstr(refused.err, "carries a password"));

	g_autofree char *pg = test_pg_database_new("dbcopy");
	const char *copy[] = {"db", "copy", "--from", setting.file, "--to", pg, NULL};
	g_auto(TestCliRun) copied = {0};
	run_piculet(&copied, &setting, NULL, copy);
	if (copied.status != 0)
		g_error("db copy: %s", copied.err);
	g_assert_nonnull(strstr(copied.out, "message                    10 rows"));
	g_assert_nonnull(strstr(copied.out, "every count checked"));
	g_autofree char *new_key = g_build_filename(setting.xdg, "piculet", "secret.key", NULL);
	g_assert_nonnull(strstr(copied.out, new_key));
	g_autofree char *old_key = g_build_filename(dir, "secret.key", NULL);
	g_autofree char *old_bytes = NULL;
	g_autofree char *new_bytes = NULL;
	gsize n_old = 0;
	gsize n_new = 0;
	g_assert_true(g_file_get_contents(old_key, &old_bytes, &n_old, NULL));
	g_assert_true(g_file_get_contents(new_key, &new_bytes, &n_new, NULL));
	g_assert_cmpmem(old_bytes, n_old, new_bytes, n_new);
	GStatBuf key_stat;
	g_assert_cmpint(g_stat(new_key, &key_stat), ==, 0);
	g_assert_cmpint(key_stat.st_mode & 0777, ==, 0600);
	g_autofree char *report_after = output_of(&setting, pg, report);
	g_assert_cmpstr(report_after, ==, report_before);

	/* The file's engine refuses: the work is on the server now. */
	int status = 0;
	g_autofree char *on_file = tick(&setting, setting.file, "2026-12-03T11:00:00Z", &status);
	g_assert_cmpint(status, !=, 0);
	g_assert_nonnull(strstr(on_file, "was copied to"));
	g_assert_nonnull(strstr(on_file, "piculet db reopen"));
	assert_each_got(&setting, 2, 0);

	/* The server's engine: nothing again on the day of the openings; the
	 * follow-ups when due, once each, under the openings, from both
	 * mailboxes (the sealed password opened). */
	g_autofree char *again = tick(&setting, pg, "2026-12-01T10:00:00Z", &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(again, "sent 0,"));
	g_autofree char *follow = tick(&setting, pg, "2026-12-03T11:00:00Z", &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(follow, "sent 10,"));
	g_assert_nonnull(strstr(follow, "mailboxes paused 0"));
	assert_each_got(&setting, 2, 1);
	assert_each_got(&setting, 1, 1);
	g_autofree char *first = g_strdup_printf("step-1 m01 %s", setting.token);
	g_autofree char *second = g_strdup_printf("step-2 m01 %s", setting.token);
	g_autoptr(GBytes) opening = test_lab_wait_for_text(lab, lab->crowd_mailbox, first, 1000);
	g_autoptr(GBytes) follow_up = test_lab_wait_for_text(lab, lab->crowd_mailbox, second, 1000);
	g_autofree char *opening_id = test_lab_header(opening, "Message-ID");
	g_autofree char *in_reply_to = test_lab_header(follow_up, "In-Reply-To");
	g_assert_cmpstr(in_reply_to, ==, opening_id);

	/* A second copy into it: refused, nothing changed. */
	g_autofree char *report_sent = output_of(&setting, pg, report);
	g_auto(TestCliRun) twice = {0};
	run_piculet(&twice, &setting, NULL, copy);
	g_assert_cmpint(twice.status, !=, 0);
	g_assert_nonnull(strstr(twice.err, "rows already"));
	g_autofree char *report_still = output_of(&setting, pg, report);
	g_assert_cmpstr(report_still, ==, report_sent);

	/* Under another seal key: refused before a row moves. */
	g_autofree char *other = test_pg_database_new("dbcopy_key");
	Setting elsewhere = setting;
	elsewhere.xdg = g_build_filename(dir, "xdg-other", NULL);
	g_autofree char *other_folder = g_build_filename(elsewhere.xdg, "piculet", NULL);
	g_assert_cmpint(g_mkdir_with_parents(other_folder, 0700), ==, 0);
	g_autofree char *other_key = g_build_filename(other_folder, "secret.key", NULL);
	g_assert_true(g_file_set_contents(other_key, "0123456789abcdef0123456789abcdef", 32, NULL));
	const char *copy_other[] = {"db", "copy", "--from", setting.file, "--to", other, NULL};
	g_auto(TestCliRun) wrong_key = {0};
	run_piculet(&wrong_key, &elsewhere, NULL, copy_other);
	g_assert_cmpint(wrong_key.status, !=, 0);
	g_assert_nonnull(strstr(wrong_key.err, "is not the file's"));
	{
		g_autoptr(Store) untouched = store_open(other, &error);
		g_assert_no_error(error);
		g_autoptr(GPtrArray) mailboxes = store_mailbox_list(untouched, &error);
		g_assert_cmpuint(mailboxes->len, ==, 0);
		g_auto(StoreMove) move = {0};
		g_assert_true(store_move_read(untouched, &move, &error));
		g_assert_cmpint(move.state, ==, STORE_MOVE_NONE);
	}
	g_free(elsewhere.xdg);
	test_pg_database_drop(other);

	/* A copy killed half-way leaves its mark: no engine starts there. */
	g_autofree char *killed = test_pg_database_new("dbcopy_killed");
	{
		g_autoptr(Store) marked = store_open(killed, &error);
		g_assert_no_error(error);
		g_assert_true(store_move_mark(marked, STORE_MOVE_COPYING, setting.file, &error));
	}
	g_autofree char *on_killed = tick(&setting, killed, "2026-12-01T10:00:00Z", &status);
	g_assert_cmpint(status, !=, 0);
	g_assert_nonnull(strstr(on_killed, "has not finished"));
	test_pg_database_drop(killed);

	check_engine_waits_for_copy(&setting);

	/* The file taken back: its engine may start again. */
	const char *reopen[] = {"db", "reopen", NULL};
	g_autofree char *reopened = output_of(&setting, setting.file, reopen);
	g_assert_nonnull(strstr(reopened, "engines may run on it again"));
	g_autofree char *nothing = tick(&setting, setting.file, "2026-12-01T10:00:00Z", &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(nothing, "sent 0,"));

	test_pg_database_drop(pg);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_true(g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL));
	g_free(setting.file);
	g_free(setting.xdg);
	g_free(setting.token);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/db-copy/a-file-copied-into-postgresql-goes-on-there",
	                test_copy_and_go_on);
	return g_test_run();
}
