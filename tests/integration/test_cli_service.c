/*
 * piculet as a service: the configuration file and its precedence (file <
 * environment < flag), its errors, the service manager's notifications
 * (READY, WATCHDOG, RELOADING, STOPPING) from a real `piculet run` to a
 * socket of the test's own, SIGHUP re-reading the file, and the systemd
 * unit as systemd-analyze reads it.
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static char *dir;

static char *
path_in_dir(const char *name)
{
	return g_build_filename(dir, name, NULL);
}

static char *
write_config(const char *name, const char *text)
{
	char *path = path_in_dir(name);
	g_autofree char *parent = g_path_get_dirname(path);
	g_assert_cmpint(g_mkdir_with_parents(parent, 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* `config show --json`: the setting @name's value and where it came from. */
static void
assert_setting(const TestCliRun *run, const char *name, const char *value, const char *from)
{
	g_assert_cmpint(run->status, ==, 0);
	json_error_t problem;
	json_t *all = json_loads(run->out, 0, &problem);
	g_assert_nonnull(all);
	json_t *setting = json_object_get(json_object_get(all, "settings"), name);
	g_assert_nonnull(setting);
	g_assert_cmpstr(json_string_value(json_object_get(setting, "value")), ==, value);
	g_assert_cmpstr(json_string_value(json_object_get(setting, "from")), ==, from);
	json_decref(all);
}

static void
test_precedence(void)
{
	g_autofree char *file_db = path_in_dir("file.db");
	g_autofree char *env_db = path_in_dir("env.db");
	g_autofree char *flag_db = path_in_dir("flag.db");
	g_autofree char *text = g_strdup_printf("# a comment\n[store]\ndatabase = %s\n"
	                                        "[engine]\nworkers = 7\npoll = 9\n",
	                                        file_db);
	g_autofree char *conf = write_config("precedence.conf", text);
	const char *show[] = {"config", "show", "--json", NULL};

	const char *from_file[] = {"PICULET_CONFIG", conf, NULL};
	g_auto(TestCliRun) shown = {0};
	test_cli_run(&shown, from_file, show);
	assert_setting(&shown, "store.database", file_db, "file");
	assert_setting(&shown, "engine.workers", "7", "file");
	assert_setting(&shown, "network.ca_file", NULL, "default");

	const char *from_env[] = {"PICULET_CONFIG",  conf, "PICULET_DB", env_db,
	                          "PICULET_WORKERS", "3",  NULL};
	g_auto(TestCliRun) env_shown = {0};
	test_cli_run(&env_shown, from_env, show);
	assert_setting(&env_shown, "store.database", env_db, "environment");
	assert_setting(&env_shown, "engine.workers", "3", "environment");
	assert_setting(&env_shown, "engine.poll", "9", "file");

	const char *global_flag[] = {"--db", flag_db, "config", "show", "--json", NULL};
	g_auto(TestCliRun) flag_shown = {0};
	test_cli_run(&flag_shown, from_env, global_flag);
	assert_setting(&flag_shown, "store.database", flag_db, "flag");

	/* And the commands really open what the winner names. */
	const char *list[] = {"prospects", "list", NULL};
	g_auto(TestCliRun) listed = {0};
	test_cli_run(&listed, from_file, list);
	g_assert_cmpint(listed.status, ==, 0);
	g_assert_true(g_file_test(file_db, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(env_db, G_FILE_TEST_EXISTS));
	/* Every command, whatever parses its options. */
	const char *block[] = {"blacklist", "add", "x@example.test", NULL};
	g_auto(TestCliRun) blocked = {0};
	test_cli_run(&blocked, from_file, block);
	g_assert_cmpint(blocked.status, ==, 0);
	const char *blocklist[] = {"blacklist", "list", "--db", file_db, NULL};
	g_auto(TestCliRun) blocks = {0};
	test_cli_run(&blocks, NULL, blocklist);
	g_assert_nonnull(strstr(blocks.out, "x@example.test"));
	g_auto(TestCliRun) env_listed = {0};
	test_cli_run(&env_listed, from_env, list);
	g_assert_cmpint(env_listed.status, ==, 0);
	g_assert_true(g_file_test(env_db, G_FILE_TEST_EXISTS));
	g_autofree char *own_db = path_in_dir("own.db");
	const char *own[] = {"prospects", "list", "--db", own_db, NULL};
	g_auto(TestCliRun) own_listed = {0};
	test_cli_run(&own_listed, from_env, own);
	g_assert_cmpint(own_listed.status, ==, 0);
	g_assert_true(g_file_test(own_db, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(flag_db, G_FILE_TEST_EXISTS));
}

static void
test_user_file(void)
{
	g_autofree char *xdg = path_in_dir("xdg");
	g_autofree char *conf =
	        write_config("xdg/piculet/piculet.conf", "[guards]\nbounce_rate = 2.5%\n");
	const char *env[] = {"XDG_CONFIG_HOME", xdg, NULL};
	const char *show[] = {"config", "show", "--json", NULL};
	g_auto(TestCliRun) shown = {0};
	test_cli_run(&shown, env, show);
	assert_setting(&shown, "guards.bounce_rate", "2.5%", "file");
	g_autofree char *read = g_strdup_printf("\"%s (read)\"", conf);
	g_assert_nonnull(strstr(shown.out, read));
}

static void
assert_refused(const char *text, const char *words)
{
	g_autofree char *db = path_in_dir("refused.db");
	g_autofree char *full = g_strdup_printf("[store]\ndatabase = %s\n%s", db, text);
	g_autofree char *conf = write_config("refused.conf", full);
	const char *env[] = {"PICULET_CONFIG", conf, NULL};
	const char *list[] = {"prospects", "list", NULL};
	g_auto(TestCliRun) run = {0};
	test_cli_run(&run, env, list);
	g_assert_cmpint(run.status, ==, 78);
	g_assert_nonnull(strstr(run.err, conf));
	g_assert_nonnull(strstr(run.err, words));
	g_assert_false(g_file_test(db, G_FILE_TEST_EXISTS));
	const char *check[] = {"config", "check", NULL};
	g_auto(TestCliRun) checked = {0};
	test_cli_run(&checked, env, check);
	g_assert_cmpint(checked.status, ==, 78);
}

static void
test_wrong_files(void)
{
	assert_refused("[engine]\nwokers = 8\n", "[engine] wokers: no such setting");
	assert_refused("[engine]\nworkers = 99\n", "[engine] workers = \"99\": expected a whole");
	assert_refused("[guards]\nbounce_rate = 150%\n", "[guards] bounce_rate = \"150%\"");
	assert_refused("[engine]\nserve = 127.0.0.1:99999\n", "[engine] serve = ");
	assert_refused("[log]\nlevel = loud\n", "expected quiet, normal or verbose");
	assert_refused("workers = 3\n", "refused.conf");
	/* A file named and missing is an error, not the defaults. */
	g_autofree char *missing = path_in_dir("missing.conf");
	const char *env[] = {"PICULET_CONFIG", missing, NULL};
	const char *list[] = {"prospects", "list", NULL};
	g_auto(TestCliRun) run = {0};
	test_cli_run(&run, env, list);
	g_assert_cmpint(run.status, ==, 78);
	g_assert_nonnull(strstr(run.err, missing));
	/* A variable with a bad value is named too. */
	const char *bad_env[] = {"PICULET_CONFIG", "", "PICULET_POLL", "soon", NULL};
	g_auto(TestCliRun) bad = {0};
	test_cli_run(&bad, bad_env, list);
	g_assert_cmpint(bad.status, ==, 78);
	g_assert_nonnull(strstr(bad.err, "$PICULET_POLL \"soon\""));
}

/* The next datagram on @fd (the manager's side), waiting at most 30 s. */
static char *
receive(int fd)
{
	char buffer[4096];
	ssize_t n = recv(fd, buffer, sizeof buffer - 1, 0);
	g_assert_cmpint(n, >, 0);
	buffer[n] = '\0';
	return g_strdup(buffer);
}

static void
receive_until(int fd, const char *wanted)
{
	for (int i = 0; i < 100; i++) {
		g_autofree char *state = receive(fd);
		if (strstr(state, wanted) != NULL)
			return;
	}
	g_assert_not_reached();
}

static void
test_notify_and_reload(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *socket_path = path_in_dir("notify.sock");
	g_autofree char *db = test_pg_store_location(dir, "service");
	g_autofree char *conf = write_config("service.conf", "[engine]\npoll = 60\n");
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	g_assert_cmpint(fd, >=, 0);
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	g_strlcpy(address.sun_path, socket_path, sizeof address.sun_path);
	g_assert_cmpint(bind(fd, (struct sockaddr *)&address, sizeof address), ==, 0);
	struct timeval timeout = {.tv_sec = 30};
	g_assert_cmpint(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), ==, 0);

	/* A 400 ms watchdog: keep-alives every 100 ms whatever --poll says. */
	const char *env[] = {"NOTIFY_SOCKET",
	                     socket_path,
	                     "WATCHDOG_USEC",
	                     "400000",
	                     "PICULET_CONFIG",
	                     conf,
	                     NULL};
	const char *args[] = {"run", NULL};
	int err_fd = -1;
	g_autoptr(GSubprocess) child = test_cli_start(db, lab->ca_file, env, args, false, &err_fd);
	g_autofree char *ready = receive(fd);
	g_assert_cmpstr(ready, ==, "READY=1\nSTATUS=running");
	g_autofree char *alive = receive(fd);
	g_assert_cmpstr(alive, ==, "WATCHDOG=1");

	/* SIGHUP: the file again, the log level changed at once. */
	g_assert_true(g_file_set_contents(conf, "[engine]\npoll = 60\n[log]\nlevel = verbose\n", -1,
	                                  NULL));
	g_subprocess_send_signal(child, SIGHUP);
	receive_until(fd, "RELOADING=1\nMONOTONIC_USEC=");
	receive_until(fd, "READY=1");
	g_autoptr(GString) seen = g_string_new(NULL);
	g_assert_true(test_cli_read_until(
	        err_fd, seen, "configuration reloaded: log.level (default) -> verbose", 30000));

	/* A wrong file on reload: a warning, the configuration in force stays. */
	g_assert_true(g_file_set_contents(conf, "[engine]\npoll = never\n", -1, NULL));
	g_subprocess_send_signal(child, SIGHUP);
	receive_until(fd, "READY=1");
	g_assert_true(test_cli_read_until(err_fd, seen, "configuration not reloaded", 30000));
	g_assert_true(test_cli_read_until(err_fd, seen, "poll = \"never\"", 30000));

	g_subprocess_send_signal(child, SIGTERM);
	receive_until(fd, "STOPPING=1");
	g_assert_true(g_subprocess_wait(child, NULL, NULL));
	g_assert_true(g_subprocess_get_if_exited(child));
	g_assert_cmpint(g_subprocess_get_exit_status(child), ==, 0);
	close(fd);
}

/* systemd-analyze reads the unit as systemd would, offline: it verifies,
 * and its hardening rates "OK" or better (exposure below 2.0). */
static void
test_unit_file(void)
{
	g_autofree char *template = NULL;
	g_assert_true(g_file_get_contents(PICULET_SOURCE_DIR "/dist/piculet.service.in", &template,
	                                  NULL, NULL));
	g_autofree char *bin_dir = g_path_get_dirname(g_getenv("PICULET_BIN"));
	g_auto(GStrv) parts = g_strsplit(template, "@BINDIR@", -1);
	g_autofree char *unit_text = g_strjoinv(bin_dir, parts);
	g_autofree char *unit = path_in_dir("piculet.service");
	g_assert_true(g_file_set_contents(unit, unit_text, -1, NULL));

	const char *verify[] = {"systemd-analyze", "verify", "--man=no", unit, NULL};
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	int status = -1;
	g_assert_true(g_spawn_sync(dir, (char **)verify, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
	                           &out, &err, &status, NULL));
	if (status != 0)
		g_printerr("%s%s", out, err);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(err, ==, "");

	const char *security[] = {"systemd-analyze", "security", "--offline=true", unit, NULL};
	g_autofree char *rating = NULL;
	g_assert_true(g_spawn_sync(dir, (char **)security, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
	                           &rating, NULL, &status, NULL));
	const char *level = strstr(rating, "Overall exposure level for piculet.service: ");
	g_assert_nonnull(level);
	double exposure = g_ascii_strtod(
	        level + strlen("Overall exposure level for piculet.service: "), NULL);
	g_assert_cmpfloat(exposure, <, 2.0);
}

/* The output of a program run with @argv (NULL-terminated) in @dir, with
 * the build's piculet first on PATH; its status in *@status. */
static char *
spawn_output(const char *const *argv, int *status, char **err)
{
	g_autofree char *bin_dir = g_path_get_dirname(g_getenv("PICULET_BIN"));
	g_autofree char *path = g_strdup_printf("%s:%s", bin_dir, g_getenv("PATH"));
	g_auto(GStrv) env = g_environ_setenv(g_get_environ(), "PATH", path, TRUE);
	env = g_environ_setenv(env, "MANWIDTH", "200", TRUE);
	/* man-db's seccomp sandbox refuses what libfaketime does (make
	 * test-later): the sandbox is man's, not what is tested here. */
	env = g_environ_setenv(env, "MAN_DISABLE_SECCOMP", "1", TRUE);
	char *out = NULL;
	g_assert_true(g_spawn_sync(dir, (char **)argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
	                           err, status, NULL));
	return out;
}

/* Every command has its page, made from its --help: it renders without a
 * warning and its synopsis is the usage line. The build's list of pages
 * is the command table's. */
static void
test_manual_pages(void)
{
	g_autofree char *bin_dir = g_path_get_dirname(g_getenv("PICULET_BIN"));
	g_autofree char *man_dir = g_build_filename(bin_dir, "dist", NULL);
	const char *words[] = {g_getenv("PICULET_BIN"), "help", "--words", "", NULL};
	int status = -1;
	g_autofree char *commands = spawn_output(words, &status, NULL);
	g_assert_cmpint(status, ==, 0);
	g_auto(GStrv) names = g_strsplit(g_strstrip(commands), "\n", -1);
	g_assert_cmpuint(g_strv_length(names), >, 15);
	for (gsize i = 0; names[i] != NULL; i++) {
		g_autofree char *file = g_strdup_printf("%s/piculet-%s.1", man_dir, names[i]);
		g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
		const char *check[] = {"groff", "-k", "-man", "-ww", "-z", file, NULL};
		g_autofree char *warnings = NULL;
		g_autofree char *silent = spawn_output(check, &status, &warnings);
		g_assert_cmpstr(silent, ==, "");
		g_assert_cmpint(status, ==, 0);
		g_assert_cmpstr(warnings, ==, "");
		const char *render[] = {"man", "-l", file, NULL};
		g_autofree char *page = spawn_output(render, &status, NULL);
		g_assert_cmpint(status, ==, 0);
		const char *help_args[] = {g_getenv("PICULET_BIN"), names[i], "--help", NULL};
		g_autofree char *help = spawn_output(help_args, &status, NULL);
		g_assert_cmpint(status, ==, 0);
		/* "usage: piculet run [--poll S] ...": the synopsis's first line. */
		g_autofree char *first = g_strndup(help + strlen("usage: "),
		                                   strcspn(help + strlen("usage: "), "\n"));
		if (strstr(page, first) == NULL)
			g_error("piculet-%s.1 lacks \"%s\":\n%s", names[i], first, page);
	}
	const char *others[] = {"piculet.1", "piculet.conf.5", "piculet-campaign.5", NULL};
	for (gsize i = 0; others[i] != NULL; i++) {
		g_autofree char *file = g_build_filename(man_dir, others[i], NULL);
		const char *check[] = {"groff", "-k", "-man", "-ww", "-z", file, NULL};
		g_autofree char *warnings = NULL;
		g_autofree char *silent = spawn_output(check, &status, &warnings);
		g_assert_cmpstr(silent, ==, "");
		g_assert_cmpint(status, ==, 0);
		g_assert_cmpstr(warnings, ==, "");
	}
	/* piculet.conf(5) lists every setting of `config show`. */
	g_autofree char *conf_page_file = g_build_filename(man_dir, "piculet.conf.5", NULL);
	const char *render_conf[] = {"man", "-l", conf_page_file, NULL};
	g_autofree char *conf_page = spawn_output(render_conf, &status, NULL);
	g_assert_nonnull(strstr(conf_page, "PICULET_GUARD_IN_A_ROW"));
	g_assert_nonnull(strstr(conf_page, "[engine]"));
}

/* The bash completion loads and offers commands, subcommands, options,
 * and the database's mailbox and campaign names. */
static void
test_bash_completion(void)
{
	g_autofree char *db = path_in_dir("completion.db");
	g_autofree char *yaml = path_in_dir("completion.yaml");
	g_assert_true(
	        g_file_set_contents(yaml,
	                            "name: Spring outreach\nmailboxes: [ann@example.test]\nsteps:\n"
	                            "  - subject: Hi\n    body: Hello\n",
	                            -1, NULL));
	const char *env[] = {"PW", "secret", NULL};
	const char *add[] = {"mailbox",
	                     "add",
	                     "ann@example.test",
	                     "--smtp",
	                     "127.0.0.1:587",
	                     "--imap",
	                     "127.0.0.1:993",
	                     "--password-env",
	                     "PW",
	                     "--db",
	                     db,
	                     NULL};
	g_auto(TestCliRun) added = {0};
	test_cli_run(&added, env, add);
	g_assert_cmpint(added.status, ==, 0);
	const char *create[] = {"campaign", "create", yaml, "--db", db, NULL};
	g_auto(TestCliRun) created = {0};
	test_cli_run(&created, NULL, create);
	g_assert_cmpint(created.status, ==, 0);

	g_autofree char *script = g_strdup_printf(
	        "set -eu\n"
	        "source '%s/dist/completion/piculet.bash'\n"
	        "complete -p piculet\n"
	        "ask() { COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _piculet;\n"
	        "        echo \"${COMPREPLY[*]}\"; }\n"
	        "ask piculet mai\n"
	        "ask piculet campaign st\n"
	        "ask piculet run --wor\n"
	        "ask piculet --db '%s' mailbox check ''\n"
	        "ask piculet --db '%s' campaign start Sp\n"
	        "ask piculet --db '%s' report ''\n",
	        PICULET_SOURCE_DIR, db, db, db);
	const char *bash[] = {"bash", "-c", script, NULL};
	int status = -1;
	g_autofree char *err = NULL;
	g_autofree char *out = spawn_output(bash, &status, &err);
	if (status != 0)
		g_printerr("%s%s", out, err);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(err, ==, "");
	/* zsh's: it parses (zsh offers no way to run a completion outside an
	 * interactive shell short of a pseudo-terminal). */
	g_autofree char *zsh_file =
	        g_build_filename(PICULET_SOURCE_DIR, "dist", "completion", "_piculet", NULL);
	const char *zsh[] = {"zsh", "-n", zsh_file, NULL};
	int zsh_status = -1;
	g_autofree char *zsh_err = NULL;
	g_autofree char *zsh_out = spawn_output(zsh, &zsh_status, &zsh_err);
	g_assert_cmpint(zsh_status, ==, 0);
	g_assert_cmpstr(zsh_err, ==, "");
	g_assert_cmpstr(zsh_out, ==, "");
	g_assert_cmpstr(out, ==,
	                "complete -o default -F _piculet piculet\n"
	                "mailbox\n"
	                "start\n"
	                "--workers\n"
	                "ann@example.test\n"
	                "Spring outreach\n"
	                "Spring outreach\n");
}

/* doctor: every check a line, exit 0 when nothing is wrong; a seal key
 * open to others and a mailbox whose login fails are problems (78). */
static void
test_doctor(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *folder = path_in_dir("doctor");
	g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);
	g_autofree char *db = test_pg_store_location(folder, "piculet");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	/* The key beside the file (SQLite's default), and for a server in
	 * the test's folder too, not the data folder other tests share. */
	g_autofree char *key = g_build_filename(folder, "secret.key", NULL);
	const char *env[] = {"LAB_PW",           lab->password, "WRONG_PW", "not-the-password",
	                     "PICULET_KEY_FILE", key,           NULL};
	const char *add[] = {"mailbox", "add", "alice@sender.test",    "--smtp", smtp,
	                     "--imap",  imap,  "--store-password-env", "LAB_PW", "--db",
	                     db,        NULL};
	g_auto(TestCliRun) added = {0};
	test_cli_run(&added, env, add);
	g_assert_cmpint(added.status, ==, 0);
	const char *doctor[] = {"doctor",       "--db",          db,  "--ca-file", lab->ca_file,
	                        "--dns-server", lab->dns_server, NULL};
	g_auto(TestCliRun) healthy = {0};
	test_cli_run(&healthy, env, doctor);
	if (healthy.status != 0)
		g_printerr("%s%s", healthy.out, healthy.err);
	g_assert_cmpint(healthy.status, ==, 0);
	g_assert_nonnull(strstr(healthy.out, "ok   database: "));
	g_assert_nonnull(strstr(healthy.out, "ok   seal key: "));
	g_assert_nonnull(strstr(healthy.out,
	                        "ok   mailbox alice@sender.test: SMTP and IMAP log in, "
	                        "Sent folder found\n"));
	g_assert_nonnull(strstr(healthy.out, "0 problems"));

	/* A key others may read, and a mailbox with a wrong password. */
	g_assert_cmpint(g_chmod(key, 0644), ==, 0);
	const char *add_bob[] = {"mailbox", "add", "bob@sender.test", "--smtp",   smtp,
	                         "--imap",  imap,  "--password-env",  "WRONG_PW", "--db",
	                         db,        NULL};
	g_auto(TestCliRun) added_bob = {0};
	test_cli_run(&added_bob, env, add_bob);
	g_assert_cmpint(added_bob.status, ==, 0);
	g_auto(TestCliRun) sick = {0};
	test_cli_run(&sick, env, doctor);
	g_assert_cmpint(sick.status, ==, 78);
	g_assert_nonnull(strstr(sick.out, "FAIL seal key: "));
	g_assert_nonnull(strstr(sick.out, "has mode 644"));
	g_assert_nonnull(strstr(sick.out, "FAIL mailbox bob@sender.test: login refused"));
	/* alice's sealed password will not open with such a key either. */
	g_assert_nonnull(strstr(sick.out, "FAIL mailbox alice@sender.test: password: "));
	g_assert_nonnull(strstr(sick.out, "3 problems"));
	g_assert_null(strstr(sick.out, lab->password));
	g_assert_null(strstr(sick.out, "not-the-password"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("piculet-service-XXXXXX", NULL);
	g_assert_nonnull(dir);
	/* Nothing from this machine's own files may take part. */
	g_autofree char *xdg = g_build_filename(dir, "no-xdg", NULL);
	g_setenv("XDG_CONFIG_HOME", xdg, TRUE);
	g_unsetenv("PICULET_DB");
	g_test_add_func("/service/config/precedence", test_precedence);
	g_test_add_func("/service/config/user-file", test_user_file);
	g_test_add_func("/service/config/wrong-files", test_wrong_files);
	g_test_add_func("/service/notify-and-reload", test_notify_and_reload);
	g_test_add_func("/service/unit-file", test_unit_file);
	g_test_add_func("/service/manual-pages", test_manual_pages);
	g_test_add_func("/service/bash-completion", test_bash_completion);
	g_test_add_func("/service/doctor", test_doctor);
	int status = g_test_run();
	g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);
	if (!g_spawn_command_line_sync(rm, NULL, NULL, NULL, NULL))
		status = 1;
	g_free(dir);
	return status;
}
