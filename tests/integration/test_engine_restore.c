/*
 * Backups and restores against the mail lab: a backup taken in the middle
 * of a campaign (while another process holds the database's write lock),
 * more sent after it, the backup restored over the database: the next pass
 * finds in the mailbox's Sent folder the messages the backup never heard
 * of, holds those people (uncertain) instead of writing to them again, and
 * goes on with the others. A restore refuses to replace a database that a
 * piculet run works on.
 */
#include "helpers/test_lab.h"
#include "helpers/test_lab_imap.h"
#include "helpers/test_setup.h"

#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Five prospects, one step, two a day (the mailbox's cap). */
static const char *const prospects[] = {"carol@prospect.test", "dave@prospect.test",
                                        "erin@prospect.test",  "frank@prospect.test",
                                        "grace@prospect.test", NULL};

static guint
count_all(const TestLab *lab, const char *token)
{
	guint n = 0;
	for (const char *const *p = prospects; *p != NULL; p++)
		n += test_lab_count_text(lab, *p, token);
	return n;
}

/* Waits until @n prospects have one message with @token each. */
static void
wait_for_total(const TestLab *lab, const char *token, guint n)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (count_all(lab, token) < n && g_get_monotonic_time() < deadline)
		g_usleep(10000); /* polling Maildirs, as test_lab_wait_for_count does */
	g_assert_cmpuint(count_all(lab, token), ==, n);
}

static void
test_restore_holds_what_went_after(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestSetup) setup = {0};
	test_setup_init(&setup, "restore");
	/* erwin sends for this test only: its Sent folder is this test's, made
	 * empty first (a run before, in the same lab, may have filled it). */
	ImapClient *imap = test_lab_imap_login(lab, "erwin@sender.test");
	g_autoptr(GError) error = NULL;
	imap_client_delete(imap, "Sent", NULL);
	g_assert_true(imap_client_create(imap, "Sent", &error));
	imap_client_logout(imap);
	imap_client_free(imap);
	const char *more[] = {"--daily-cap", "2", "--store-password-env", "LAB_PW", NULL};
	test_setup_mailbox(&setup, "erwin@sender.test", more);
	GString *csv = g_string_new("email,first_name\n");
	for (const char *const *p = prospects; *p != NULL; p++)
		g_string_append_printf(csv, "%s,P\n", *p);
	test_setup_campaign(&setup, "Restored",
	                    "name: Restored\nmailboxes: [erwin@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ndomain_caps: off\ninterval: 0s\n"
	                    "steps:\n  - subject: \"Restored TOKEN\"\n    body: \"Hello. TOKEN\"\n",
	                    csv->str);
	g_string_free(csv, TRUE);

	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-01T09:00:00Z", "sent"), ==, 2);
	wait_for_total(lab, setup.token, 2);

	/* The backup, while another process holds the write lock. */
	g_autofree char *backup = g_build_filename(setup.dir, "backup.db", NULL);
	TestCliLock *lock = test_cli_hold_write_lock(setup.db);
	const char *take[] = {"backup", backup, NULL};
	g_auto(TestCliRun) taken = {0};
	test_setup_piculet(&setup, &taken, take);
	test_cli_release_lock(lock);
	g_assert_cmpint(taken.status, ==, 0);
	g_assert_nonnull(strstr(taken.out, "and its seal key"));
	g_autofree char *backup_key = g_strconcat(backup, ".key", NULL);
	g_assert_true(g_file_test(backup_key, G_FILE_TEST_IS_REGULAR));

	/* Two more after the backup. */
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-02T09:00:00Z", "sent"), ==, 2);
	wait_for_total(lab, setup.token, 4);

	/* Restoring needs --replace, and keeps what it replaces. */
	const char *restore[] = {"restore", backup, NULL};
	g_auto(TestCliRun) refused = {0};
	test_setup_piculet(&setup, &refused, restore);
	g_assert_cmpint(refused.status, !=, 0);
	g_assert_nonnull(strstr(refused.err, "--replace"));
	const char *replace[] = {"restore", backup, "--replace", NULL};
	g_auto(TestCliRun) restored = {0};
	test_setup_piculet(&setup, &restored, replace);
	g_assert_cmpint(restored.status, ==, 0);
	g_assert_nonnull(strstr(restored.out, "1 mailbox will look in the Sent folder"));
	g_autofree char *aside = g_strconcat(setup.db, ".before-restore", NULL);
	g_assert_true(g_file_test(aside, G_FILE_TEST_IS_REGULAR));

	/* The backup knows two sent; the Sent folder shows two more: those
	 * two are held, the fifth prospect gets its message, nobody a second. */
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-03T09:00:00Z", "uncertain"), ==, 2);
	wait_for_total(lab, setup.token, 5);
	for (const char *const *p = prospects; *p != NULL; p++)
		g_assert_cmpuint(test_lab_count_text(lab, *p, setup.token), ==, 1);
	g_auto(TestCliRun) report = {0};
	const char *report_args[] = {"report", "Restored", "--json", NULL};
	test_setup_piculet(&setup, &report, report_args);
	g_assert_cmpint(report.status, ==, 0);
	g_assert_nonnull(strstr(report.out, "\"sent\":3"));
	/* Days later: nothing more, and the reason is there to read. */
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-04T09:00:00Z", "sent"), ==, 0);
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", NULL};
	test_setup_piculet(&setup, &status, status_args);
	g_assert_nonnull(strstr(status.out, "2 uncertain, waiting for a person"));
	g_assert_nonnull(strstr(status.out, "restored from a backup taken at"));
}

static void
test_restore_refused_while_running(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestSetup) setup = {0};
	test_setup_init(&setup, "restore-busy");
	const char *list[] = {"blacklist", "add", "someone@example.test", NULL};
	test_setup_piculet_ok(&setup, list);
	g_autofree char *backup = g_build_filename(setup.dir, "backup.db", NULL);
	const char *take[] = {"backup", backup, NULL};
	test_setup_piculet_ok(&setup, take);

	/* run says READY (the service manager's protocol) once it holds the
	 * database: a socket of the test's own hears it. */
	g_autofree char *socket_path = g_build_filename(setup.dir, "notify.sock", NULL);
	int notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	g_strlcpy(address.sun_path, socket_path, sizeof address.sun_path);
	g_assert_cmpint(bind(notify_fd, (struct sockaddr *)&address, sizeof address), ==, 0);
	struct timeval timeout = {.tv_sec = 30};
	setsockopt(notify_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
	const char *env[] = {"NOTIFY_SOCKET", socket_path, NULL};
	const char *run_args[] = {"run", NULL};
	int err_fd = -1;
	g_autoptr(GSubprocess) run =
	        test_cli_start(setup.db, lab->ca_file, env, run_args, false, &err_fd);
	char ready[256];
	ssize_t n = recv(notify_fd, ready, sizeof ready - 1, 0);
	g_assert_cmpint(n, >, 0);
	ready[n] = '\0';
	g_assert_nonnull(strstr(ready, "READY=1"));
	close(notify_fd);

	const char *replace[] = {"restore", backup, "--replace", NULL};
	g_auto(TestCliRun) refused = {0};
	test_setup_piculet(&setup, &refused, replace);
	g_assert_cmpint(refused.status, !=, 0);
	g_assert_nonnull(strstr(refused.err, "stop piculet run first"));
	g_subprocess_send_signal(run, SIGTERM);
	g_assert_true(g_subprocess_wait(run, NULL, NULL));
	/* Nothing was moved: the database is where it was, whole. */
	g_autofree char *aside = g_strconcat(setup.db, ".before-restore", NULL);
	g_assert_false(g_file_test(aside, G_FILE_TEST_EXISTS));
	const char *show[] = {"blacklist", "list", NULL};
	g_auto(TestCliRun) shown = {0};
	test_setup_piculet(&setup, &shown, show);
	g_assert_nonnull(strstr(shown.out, "someone@example.test"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/restore/holds-what-went-after", test_restore_holds_what_went_after);
	g_test_add_func("/restore/refused-while-running", test_restore_refused_while_running);
	return g_test_run();
}
