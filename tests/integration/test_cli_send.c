/*
 * `piculet send` as a user runs it, against the mail lab: exit codes,
 * output, and no password anywhere in what it prints.
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"

#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

/* Runs build/piculet with @args and the lab's password in $LAB_PW; @password
 * overrides it when not NULL. */
static void
run_piculet(TestCliRun *run, const char *password, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", password ? password : lab->password, NULL};
	test_cli_run(run, env, args);
}

static char *
body_file(void)
{
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	int fd = g_file_open_tmp("piculet-body-XXXXXX.txt", &path, &error);
	g_assert_no_error(error);
	close(fd);
	g_assert_true(g_file_set_contents(path, "Hi,\nshort and personal.\n", -1, &error));
	return g_steal_pointer(&path);
}

static void
send_to(TestCliRun *run, const char *to, const char *password, bool trace)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *body = body_file();
	const char *args[] = {"send",
	                      "--smtp",
	                      smtp,
	                      "--starttls",
	                      "--user",
	                      "alice@sender.test",
	                      "--password-env",
	                      "LAB_PW",
	                      "--ca-file",
	                      lab->ca_file,
	                      "--from",
	                      "alice@sender.test",
	                      "--to",
	                      to,
	                      "--subject",
	                      "From the command line",
	                      "--body-file",
	                      body,
	                      trace ? "--trace" : NULL,
	                      NULL};
	run_piculet(run, password, args);
	unlink(body);
}

static void
test_send_delivers(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestCliRun) run = {0};
	send_to(&run, "dave@prospect.test", NULL, true);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_true(g_str_has_prefix(run.out, "dave@prospect.test: 250 2.0.0 Ok: queued as "));
	/* The trace shows the exchange and hides the credentials. */
	g_assert_nonnull(strstr(run.err, "C: STARTTLS"));
	g_assert_nonnull(strstr(run.err, "C: AUTH PLAIN (credentials hidden)"));
	g_assert_null(strstr(run.err, lab->password));
	g_autofree char *auth =
	        g_base64_encode((const guchar *)lab->password, strlen(lab->password));
	g_assert_null(strstr(run.err, auth));
	g_autoptr(GBytes) found = test_lab_wait_for_message(lab, "dave@prospect.test", "Subject",
	                                                    "From the command line", 10000);
	g_assert_nonnull(found);
}

static void
test_unknown_recipient_exit(void)
{
	g_auto(TestCliRun) run = {0};
	send_to(&run, "nobody@prospect.test", NULL, false);
	g_assert_cmpint(run.status, ==, 67);
	g_assert_nonnull(strstr(run.out, "nobody@prospect.test: 550 5.1.1"));
}

static void
test_wrong_password_exit(void)
{
	g_auto(TestCliRun) run = {0};
	send_to(&run, "dave@prospect.test", "wrong-password-123", true);
	g_assert_cmpint(run.status, ==, 77);
	g_assert_nonnull(strstr(run.err, "535"));
	g_assert_null(strstr(run.err, "wrong-password-123"));
	g_assert_null(strstr(run.out, "wrong-password-123"));
}

static void
test_count_one_session(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestCliRun) run = {0};
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submissions_port);
	g_autofree char *body = body_file();
	const char *args[] = {"send",
	                      "--smtp",
	                      smtp,
	                      "--tls",
	                      "--user",
	                      "bob@sender.test",
	                      "--password-env",
	                      "LAB_PW",
	                      "--ca-file",
	                      lab->ca_file,
	                      "--from",
	                      "bob@sender.test",
	                      "--to",
	                      "erin@prospect.test",
	                      "--subject",
	                      "counted",
	                      "--body-file",
	                      body,
	                      "--count",
	                      "5",
	                      NULL};
	guint before = test_lab_count_text(lab, "erin@prospect.test", "From: bob@sender.test");
	run_piculet(&run, NULL, args);
	unlink(body);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_nonnull(strstr(run.out, "sent 5 messages on one session"));
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (test_lab_count_text(lab, "erin@prospect.test", "From: bob@sender.test") <
	               before + 5 &&
	       g_get_monotonic_time() < deadline)
		g_usleep(10000);
	g_assert_cmpuint(test_lab_count_text(lab, "erin@prospect.test", "From: bob@sender.test"),
	                 ==, before + 5);
}

static void
test_bad_usage(void)
{
	g_auto(TestCliRun) run = {0};
	const char *args[] = {"send", "--smtp", "127.0.0.1:25", "--to", "x@y", NULL};
	run_piculet(&run, NULL, args);
	g_assert_cmpint(run.status, ==, 64);
	g_assert_nonnull(strstr(run.err, "--from ADDRESS is required"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_assert_nonnull(g_getenv("PICULET_BIN"));
	g_test_add_func("/cli/send/delivers-and-trace-hides-credentials", test_send_delivers);
	g_test_add_func("/cli/send/unknown-recipient-exits-67", test_unknown_recipient_exit);
	g_test_add_func("/cli/send/wrong-password-exits-77-without-password",
	                test_wrong_password_exit);
	g_test_add_func("/cli/send/count-sends-on-one-session", test_count_one_session);
	g_test_add_func("/cli/send/missing-from-is-usage-error", test_bad_usage);
	return g_test_run();
}
