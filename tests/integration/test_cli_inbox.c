/*
 * `piculet inbox` as a user runs it, against the mail lab: scan with a
 * cursor prints exactly the new messages as JSON, folders shows special
 * use, a wrong password exits 77 without the password in any output.
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void
run_inbox(TestCliRun *run, const char *password, const char *const *extra)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, (char *)"inbox");
	g_ptr_array_add(argv, (char *)extra[0]);
	const char *common[] = {"--imap",
	                        imap,
	                        "--user",
	                        "dave@prospect.test",
	                        "--password-env",
	                        "LAB_PW",
	                        "--ca-file",
	                        lab->ca_file,
	                        NULL};
	for (const char *const *a = common; *a != NULL; a++)
		g_ptr_array_add(argv, (char *)*a);
	for (const char *const *a = extra + 1; *a != NULL; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	const char *env[] = {"LAB_PW", password ? password : lab->password, NULL};
	test_cli_run(run, env, (const char *const *)argv->pdata);
}

/* The JSON lines of @out whose subject starts with @prefix. */
static GPtrArray *
subjects_with(const char *out, const char *prefix)
{
	GPtrArray *subjects = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	for (char **line = lines; *line != NULL; line++) {
		if (**line == '\0')
			continue;
		json_error_t json_error;
		json_t *object = json_loads(*line, 0, &json_error);
		g_assert_nonnull(object);
		g_assert_true(json_is_integer(json_object_get(object, "uid")));
		const char *subject = json_string_value(json_object_get(object, "subject"));
		if (subject != NULL && g_str_has_prefix(subject, prefix))
			g_ptr_array_add(subjects, g_strdup(subject));
		json_decref(object);
	}
	return subjects;
}

static void
send_to_dave(const char *subject)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *uuid = g_uuid_string_random();
	g_autofree char *text = g_strdup_printf(
	        "From: =?UTF-8?Q?J=C3=BCrgen_K=C3=B6nig?= <erin@prospect.test>\r\n"
	        "To: <dave@prospect.test>\r\nSubject: %s\r\nMessage-ID: <%s@prospect.test>\r\n"
	        "Auto-Submitted: auto-replied\r\n\r\nBack on Monday.\r\n",
	        subject, uuid);
	const char *to[] = {"dave@prospect.test", NULL};
	g_assert_true(test_lab_send(lab, "alice@sender.test", to, text, &error));
	g_autoptr(GBytes) found =
	        test_lab_wait_for_message(lab, "dave@prospect.test", "Subject", subject, 10000);
	g_assert_nonnull(found);
}

static void
test_scan_with_cursor(void)
{
	g_autofree char *cursor = NULL;
	int fd = g_file_open_tmp("piculet-cursor-XXXXXX.json", &cursor, NULL);
	close(fd);
	unlink(cursor);
	g_autofree char *tag = g_strdup_printf("scan-%08x", g_random_int());
	g_autofree char *first = g_strdup_printf("%s one", tag);
	send_to_dave(first);

	g_auto(TestCliRun) run1 = {0};
	const char *scan[] = {"scan", "--cursor", cursor, "--body-bytes", "64", NULL};
	run_inbox(&run1, NULL, scan);
	g_assert_cmpint(run1.status, ==, 0);
	g_autoptr(GPtrArray) seen1 = subjects_with(run1.out, tag);
	g_assert_cmpuint(seen1->len, ==, 1);
	g_assert_nonnull(strstr(run1.out, "\"from\":\"Jürgen König <erin@prospect.test>\""));
	g_assert_nonnull(strstr(run1.out, "\"auto_submitted\":\"auto-replied\""));
	g_assert_nonnull(strstr(run1.out, "\"body\":\"Back on Monday.\\r\\n\""));

	/* Nothing new: nothing printed. */
	g_auto(TestCliRun) run2 = {0};
	run_inbox(&run2, NULL, scan);
	g_assert_cmpint(run2.status, ==, 0);
	g_assert_cmpstr(run2.out, ==, "");

	g_autofree char *second = g_strdup_printf("%s two", tag);
	g_autofree char *third = g_strdup_printf("%s three", tag);
	send_to_dave(second);
	send_to_dave(third);
	g_auto(TestCliRun) run3 = {0};
	run_inbox(&run3, NULL, scan);
	g_autoptr(GPtrArray) seen3 = subjects_with(run3.out, tag);
	g_assert_cmpuint(seen3->len, ==, 2);
	g_assert_cmpstr(seen3->pdata[0], ==, second);
	g_assert_cmpstr(seen3->pdata[1], ==, third);
	unlink(cursor);
}

static void
test_folders(void)
{
	g_auto(TestCliRun) run = {0};
	const char *folders[] = {"folders", NULL};
	run_inbox(&run, NULL, folders);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_nonnull(strstr(run.out, "Sent\t\\Sent\n"));
	g_assert_nonnull(strstr(run.out, "INBOX\n"));
}

static void
test_wrong_password(void)
{
	g_auto(TestCliRun) run = {0};
	const char *scan[] = {"scan", "--trace", NULL};
	run_inbox(&run, "not-this-one-42", scan);
	g_assert_cmpint(run.status, ==, 77);
	g_assert_null(strstr(run.err, "not-this-one-42"));
	g_autofree char *encoded = g_base64_encode((const guchar *)"not-this-one-42", 15);
	g_assert_null(strstr(run.err, encoded));
	/* Nor the SASL PLAIN response that carries it, nor any part of it. */
	static const char plain[] = "\0dave@prospect.test\0not-this-one-42";
	g_autofree char *response = g_base64_encode((const guchar *)plain, sizeof plain - 1);
	g_assert_null(strstr(run.err, response));
	g_assert_null(strstr(run.err, "AGRhdmVA"));
	g_assert_nonnull(strstr(run.err, "C: A1 AUTHENTICATE PLAIN (credentials hidden)"));
}

static void
test_watch_prints_new_mail_and_stops_on_sigterm(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autofree char *cursor = g_strdup_printf("%s/watch-%08x.cursor", lab->dir, g_random_int());
	const char *argv[] = {g_getenv("PICULET_BIN"),
	                      "inbox",
	                      "watch",
	                      "--imap",
	                      imap,
	                      "--user",
	                      "dave@prospect.test",
	                      "--password-env",
	                      "LAB_PW",
	                      "--ca-file",
	                      lab->ca_file,
	                      "--cursor",
	                      cursor,
	                      NULL};
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
	g_subprocess_launcher_setenv(launcher, "LAB_PW", lab->password, TRUE);
	g_autoptr(GSubprocess) child = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	int fd = g_unix_input_stream_get_fd(
	        G_UNIX_INPUT_STREAM(g_subprocess_get_stdout_pipe(child)));
	g_autoptr(GString) seen = g_string_new(NULL);

	/* The first sync prints what is there and saves the cursor; then IDLE. */
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (!g_file_test(cursor, G_FILE_TEST_EXISTS) && g_get_monotonic_time() < deadline)
		test_cli_read_until(fd, seen, "\x01never", 20);
	g_assert_true(g_file_test(cursor, G_FILE_TEST_EXISTS));
	g_autofree char *subject = g_strdup_printf("watched %08x", g_random_int());
	send_to_dave(subject);
	g_assert_true(test_cli_read_until(fd, seen, subject, 10000));

	g_subprocess_send_signal(child, SIGTERM);
	g_assert_true(g_subprocess_wait(child, NULL, &error));
	g_assert_true(g_subprocess_get_if_exited(child));
	g_assert_cmpint(g_subprocess_get_exit_status(child), ==, 0);
	unlink(cursor);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_assert_nonnull(g_getenv("PICULET_BIN"));
	g_test_add_func("/cli/inbox/scan-with-cursor-prints-exactly-the-new",
	                test_scan_with_cursor);
	g_test_add_func("/cli/inbox/folders-with-special-use", test_folders);
	g_test_add_func("/cli/inbox/watch-prints-new-mail-and-stops-on-sigterm",
	                test_watch_prints_new_mail_and_stops_on_sigterm);
	g_test_add_func("/cli/inbox/wrong-password-exits-77-without-password", test_wrong_password);
	return g_test_run();
}
