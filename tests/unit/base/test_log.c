/*
 * base_log's journal writer: the native protocol's fields (message,
 * priority, domain, the thread's context) in one datagram to a socket of
 * the test's own, a value with a newline in the protocol's binary form;
 * $JOURNAL_STREAM recognised only when it names stderr; and base_notify's
 * datagrams.
 */
#include "base/base_log.h"
#include "base/base_notify.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char *dir;

static int
bound_socket(const char *name, char **path)
{
	*path = g_build_filename(dir, name, NULL);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	g_strlcpy(address.sun_path, *path, sizeof address.sun_path);
	g_assert_cmpint(bind(fd, (struct sockaddr *)&address, sizeof address), ==, 0);
	struct timeval timeout = {.tv_sec = 10};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
	return fd;
}

static GBytes *
receive(int fd)
{
	char buffer[8192];
	ssize_t n = recv(fd, buffer, sizeof buffer, 0);
	g_assert_cmpint(n, >, 0);
	return g_bytes_new(buffer, (gsize)n);
}

static bool
has_line(GBytes *datagram, const char *line)
{
	gsize n = 0;
	const char *data = g_bytes_get_data(datagram, &n);
	g_autofree char *wanted = g_strdup_printf("%s\n", line);
	return memmem(data, n, wanted, strlen(wanted)) != NULL;
}

static void
test_journal_fields(void)
{
	g_autofree char *path = NULL;
	int fd = bound_socket("journal", &path);
	g_assert_true(base_log_use_journal(path));

	base_log_context_set(BASE_LOG_MAILBOX, "alice@sender.test");
	base_log_context_set(BASE_LOG_ENROLLMENT, "42");
	g_log("piculet-engine", G_LOG_LEVEL_MESSAGE, "sent step %d", 2);
	g_autoptr(GBytes) sent = receive(fd);
	g_assert_true(has_line(sent, "MESSAGE=sent step 2"));
	g_assert_true(has_line(sent, "PRIORITY=5"));
	g_assert_true(has_line(sent, "SYSLOG_IDENTIFIER=piculet"));
	g_assert_true(has_line(sent, "GLIB_DOMAIN=piculet-engine"));
	g_assert_true(has_line(sent, "PICULET_MAILBOX=alice@sender.test"));
	g_assert_true(has_line(sent, "PICULET_ENROLLMENT=42"));
	g_assert_false(has_line(sent, "PICULET_CAMPAIGN="));

	/* Cleared: the next line has none; a warning is priority 4. */
	base_log_context_clear();
	g_log("piculet-engine", G_LOG_LEVEL_WARNING, "paused");
	g_autoptr(GBytes) warned = receive(fd);
	g_assert_true(has_line(warned, "PRIORITY=4"));
	g_assert_null(memmem(g_bytes_get_data(warned, NULL), g_bytes_get_size(warned),
	                     "PICULET_MAILBOX", 15));

	close(fd);
}

static gpointer
log_from_thread(gpointer data)
{
	base_log_context_set(BASE_LOG_MESSAGE_ID, "abc@sender.test");
	g_log("piculet-smtp", G_LOG_LEVEL_MESSAGE, "from a worker");
	return NULL;
}

static void
test_thread_context(void)
{
	g_autofree char *path = NULL;
	int fd = bound_socket("journal-threads", &path);
	g_assert_true(base_log_use_journal(path));
	base_log_context_set(BASE_LOG_MAILBOX, "main@sender.test");
	GThread *worker = g_thread_new("worker", log_from_thread, NULL);
	g_thread_join(worker);
	g_autoptr(GBytes) line = receive(fd);
	g_assert_true(has_line(line, "PICULET_MESSAGE_ID=abc@sender.test"));
	g_assert_null(memmem(g_bytes_get_data(line, NULL), g_bytes_get_size(line),
	                     "main@sender.test", 16));
	base_log_context_clear();
	close(fd);
}

/* The binary form: KEY, newline, 64-bit little-endian length, value (a
 * campaign's name is the user's to choose). The message itself is made
 * printable first, as on a terminal. */
static void
test_multiline_value(void)
{
	g_autofree char *path = NULL;
	int fd = bound_socket("journal-multi", &path);
	g_assert_true(base_log_use_journal(path));
	base_log_context_set(BASE_LOG_CAMPAIGN, "one\ntwo");
	g_log("piculet", G_LOG_LEVEL_MESSAGE, "a\x1b[31mred");
	base_log_context_clear();
	g_autoptr(GBytes) line = receive(fd);
	gsize n = 0;
	const char *data = g_bytes_get_data(line, &n);
	static const char expected[] = "PICULET_CAMPAIGN\n\x07\0\0\0\0\0\0\0one\ntwo\n";
	g_assert_nonnull(memmem(data, n, expected, sizeof expected - 1));
	g_assert_null(memmem(data, n, "\x1b", 1));
	close(fd);
}

static void
test_journal_stream(void)
{
	struct stat st;
	g_assert_cmpint(fstat(STDERR_FILENO, &st), ==, 0);
	g_autofree char *mine = g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
	                                        (guint64)st.st_dev, (guint64)st.st_ino);
	g_setenv("JOURNAL_STREAM", mine, TRUE);
	g_assert_true(base_log_stderr_is_journal());
	g_setenv("JOURNAL_STREAM", "1:2", TRUE);
	g_assert_false(base_log_stderr_is_journal());
	g_unsetenv("JOURNAL_STREAM");
	g_assert_false(base_log_stderr_is_journal());
}

static void
test_notify(void)
{
	g_autofree char *path = NULL;
	int fd = bound_socket("notify", &path);
	g_setenv("NOTIFY_SOCKET", path, TRUE);
	g_setenv("WATCHDOG_USEC", "2000000", TRUE);
	g_autofree char *other = g_strdup_printf("%d", (int)getpid() + 1);
	g_setenv("WATCHDOG_PID", other, TRUE);
	base_notify_init();
	/* Taken out of the environment: children do not notify for us. */
	g_assert_null(g_getenv("NOTIFY_SOCKET"));
	/* The watchdog named another process. */
	g_assert_cmpint(base_notify_watchdog_us(), ==, 0);
	g_assert_true(base_notify_send("READY=1"));
	g_autoptr(GBytes) ready = receive(fd);
	g_assert_cmpmem(g_bytes_get_data(ready, NULL), g_bytes_get_size(ready), "READY=1", 7);
	g_assert_true(base_notify_reloading());
	g_autoptr(GBytes) reloading = receive(fd);
	g_assert_true(g_str_has_prefix(g_bytes_get_data(reloading, NULL),
	                               "RELOADING=1\nMONOTONIC_USEC="));

	g_setenv("NOTIFY_SOCKET", path, TRUE);
	g_setenv("WATCHDOG_USEC", "2000000", TRUE);
	g_autofree char *mine = g_strdup_printf("%d", (int)getpid());
	g_setenv("WATCHDOG_PID", mine, TRUE);
	base_notify_init();
	g_assert_cmpint(base_notify_watchdog_us(), ==, 2000000);
	/* No socket: nothing to do, and that is success. */
	base_notify_init();
	g_assert_true(base_notify_send("STOPPING=1"));
	close(fd);
}

int
main(int argc, char **argv)
{
	/* piculet's writer, as main() installs it, before GTest's. */
	base_log_init(BASE_LOG_NORMAL);
	g_test_init(&argc, &argv, NULL);
	/* The warnings logged here are data, not failures. */
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	dir = g_dir_make_tmp("piculet-log-XXXXXX", NULL);
	g_test_add_func("/base/log/journal-fields", test_journal_fields);
	g_test_add_func("/base/log/thread-context", test_thread_context);
	g_test_add_func("/base/log/multiline-value", test_multiline_value);
	g_test_add_func("/base/log/journal-stream", test_journal_stream);
	g_test_add_func("/base/notify", test_notify);
	int status = g_test_run();
	g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(rm, NULL, NULL, NULL, NULL);
	g_free(dir);
	return status;
}
