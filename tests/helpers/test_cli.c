#include "test_cli.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

void
test_cli_run_clear(TestCliRun *run)
{
	g_free(run->out);
	g_free(run->err);
}

void
test_cli_run(TestCliRun *run, const char *const *env, const char *const *args)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	const char *binary = g_getenv("PICULET_BIN");
	g_assert_nonnull(binary);
	g_ptr_array_add(argv, (char *)binary);
	for (const char *const *a = args; *a != NULL; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	for (const char *const *e = env; e != NULL && *e != NULL; e += 2)
		g_subprocess_launcher_setenv(launcher, e[0], e[1], TRUE);
	g_autoptr(GSubprocess) child =
	        g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, &error);
	g_assert_no_error(error);
	g_subprocess_communicate_utf8(child, NULL, NULL, &run->out, &run->err, &error);
	g_assert_no_error(error);
	run->status = g_subprocess_get_exit_status(child);
	/* In the test's log, so a failed assertion on the status is explained. */
	if (run->status != 0 && run->err != NULL)
		g_test_message("piculet %s: exit %d: %s", args[0], run->status, run->err);
}

TestCliLock *
test_cli_hold_write_lock(const char *db)
{
	g_autoptr(GError) error = NULL;
	const char *sqlite_locker[] = {"/usr/bin/python3", "-c",
	                               "import sqlite3, sys\n"
	                               "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
	                               "c.execute('BEGIN IMMEDIATE')\n"
	                               "print('locked', flush=True)\n"
	                               "sys.stdin.read()\n",
	                               db, NULL};
	/* On PostgreSQL: a writer with a transaction open (a row written),
	 * until psql reads the end of its input. */
	const char *pg_locker[] = {"/usr/bin/psql", "-X", "-q", "-t", "-A", db, NULL};
	bool server = g_str_has_prefix(db, "postgres");
	GSubprocess *holder = g_subprocess_newv(
	        server ? pg_locker : sqlite_locker,
	        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
	g_assert_no_error(error);
	if (server) {
		const char *take = "BEGIN;\nINSERT INTO blacklist (entry, reason, created_at) "
		                   "VALUES ('@holder.example', 'held', 0);\nSELECT 'locked';\n";
		g_assert_true(g_output_stream_write_all(g_subprocess_get_stdin_pipe(holder), take,
		                                        strlen(take), NULL, NULL, &error));
		g_assert_true(
		        g_output_stream_flush(g_subprocess_get_stdin_pipe(holder), NULL, &error));
	}
	g_autoptr(GDataInputStream) lines =
	        g_data_input_stream_new(g_subprocess_get_stdout_pipe(holder));
	g_autofree char *said = g_data_input_stream_read_line(lines, NULL, NULL, &error);
	g_assert_cmpstr(said, ==, "locked");
	return holder;
}

void
test_cli_release_lock(TestCliLock *lock)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(g_output_stream_close(g_subprocess_get_stdin_pipe(lock), NULL, &error));
	g_assert_true(g_subprocess_wait_check(lock, NULL, &error));
	g_object_unref(lock);
}

bool
test_cli_read_until(int fd, GString *seen, const char *needle, int timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	while (strstr(seen->str, needle) == NULL) {
		gint64 left = (deadline - g_get_monotonic_time()) / 1000;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return false;
		char buffer[4096];
		ssize_t n = read(fd, buffer, sizeof buffer);
		if (n <= 0)
			return false;
		g_string_append_len(seen, buffer, n);
	}
	return true;
}

void
test_cli_run_with_db(TestCliRun *run, const char *db, const char *const *env,
                     const char *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	for (const char *const *a = args; *a != NULL; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, (char *)"--db");
	g_ptr_array_add(argv, (char *)db);
	g_ptr_array_add(argv, NULL);
	test_cli_run(run, env, (const char *const *)argv->pdata);
}

static void
die_with_parent(gpointer data)
{
	(void)data;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

GSubprocess *
test_cli_start(const char *db, const char *ca_file, const char *const *env, const char *const *args,
               bool with_stdout, int *fd)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, (char *)g_getenv("PICULET_BIN"));
	for (const char *const *a = args; *a != NULL; a++)
		g_ptr_array_add(argv, (char *)*a);
	const char *tail[] = {"--ca-file", ca_file, "--db", db, NULL};
	for (const char *const *a = tail; *a != NULL; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	        with_stdout ? G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE
	                    : G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	/* A failed assertion aborts this process: the child must not outlive it. */
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	for (const char *const *e = env; e != NULL && e[0] != NULL; e += 2)
		g_subprocess_launcher_setenv(launcher, e[0], e[1], TRUE);
	GSubprocess *child =
	        g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, &error);
	g_assert_no_error(error);
	GInputStream *out = with_stdout ? g_subprocess_get_stdout_pipe(child)
	                                : g_subprocess_get_stderr_pipe(child);
	*fd = g_unix_input_stream_get_fd(G_UNIX_INPUT_STREAM(out));
	return child;
}
