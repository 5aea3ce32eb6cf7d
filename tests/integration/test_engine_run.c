/*
 * `piculet run` against the mail lab: it sends what is due, waits in IDLE,
 * and a reply stops the enrollment as soon as it arrives (long before the
 * hour-long poll would come round); SIGTERM ends it cleanly.
 */
#include "helpers/test_cli.h"
#include "helpers/test_fault_server.h"
#include "helpers/test_lab.h"
#include "helpers/test_lab_imap.h"
#include "helpers/test_pg.h"
#include "store/store.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void
piculet_ok(const char *db, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, NULL};
	g_auto(TestCliRun) run = {0};
	test_cli_run_with_db(&run, db, env, args);
	if (run.status != 0)
		g_error("piculet %s: exit %d: %s", args[0], run.status, run.err);
}

/* A database in @dir with bob's mailbox (its IMAP at @imap, "HOST:PORT";
 * its password in $LAB_PW, or in @password_file when not NULL) and
 * campaign @name, window always open, no pause between sends, its @steps
 * (the YAML list), started with @email enrolled. Returns the database's
 * path. */
static char *
set_up_campaign_with(const char *dir, const char *imap, const char *password_file, const char *name,
                     const char *steps, const char *email)
{
	const TestLab *lab = test_lab_get();
	char *db = test_pg_store_location(dir, "piculet");
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	const char *add[] = {"mailbox",
	                     "add",
	                     "bob@sender.test",
	                     "--smtp",
	                     smtp,
	                     "--imap",
	                     imap,
	                     password_file != NULL ? "--password-file" : "--password-env",
	                     password_file != NULL ? password_file : "LAB_PW",
	                     NULL};
	piculet_ok(db, add);
	g_autofree char *yaml =
	        g_strdup_printf("name: %s\nmailboxes: [bob@sender.test]\n"
	                        "window: daily 00:00-24:00\ndomain_caps: off\ninterval: 0s\n"
	                        "steps:\n%s",
	                        name, steps);
	g_autofree char *yaml_path = g_build_filename(dir, "campaign.yaml", NULL);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	g_autofree char *csv = g_strdup_printf("email,first_name\n%s,P\n", email);
	g_autofree char *csv_path = g_build_filename(dir, "p.csv", NULL);
	g_assert_true(g_file_set_contents(csv_path, csv, -1, NULL));
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects", "import", csv_path, "--campaign", name, NULL};
	const char *start[] = {"campaign", "start", name, NULL};
	piculet_ok(db, create);
	piculet_ok(db, import);
	piculet_ok(db, start);
	return db;
}

static char *
set_up_campaign(const char *dir, const char *imap, const char *name, const char *steps,
                const char *email)
{
	return set_up_campaign_with(dir, imap, NULL, name, steps, email);
}

/* Starts piculet with @args (NULL-terminated) on @db against the lab's CA;
 * its stderr is readable at *@fd. */
static GSubprocess *
start_piculet(const char *db, const char *const *args, int *fd)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, NULL};
	return test_cli_start(db, lab->ca_file, env, args, false, fd);
}

/* SIGTERM: the run says it stops, and ends. */
static void
stop_piculet(GSubprocess *child, int fd, GString *seen, int timeout_ms)
{
	g_autoptr(GError) error = NULL;
	g_subprocess_send_signal(child, SIGTERM);
	g_assert_true(test_cli_read_until(fd, seen, "stopping: signal received", timeout_ms));
	g_assert_true(g_subprocess_wait(child, NULL, &error));
}

static void
remove_dir(const char *dir)
{
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

static void
test_reply_stops_at_once_and_sigterm(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-run-XXXXXX", NULL);
	g_autofree char *token = g_uuid_string_random();
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autofree char *steps = g_strdup_printf("  - subject: \"run %s\"\n    body: hello\n"
	                                         "  - delay: 1h\n    body: again\n",
	                                         token);
	g_autofree char *db = set_up_campaign(dir, imap, "R", steps, "sybil@prospect.test");
	int fd = -1;
	const char *run_args[] = {"run", "--poll", "3600", NULL};
	g_autoptr(GSubprocess) child = start_piculet(db, run_args, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, seen, "sent step 1 to sybil@prospect.test", 20000));

	/* One engine per database file: a tick beside the run is refused. On
	 * a server engines share the mailboxes: the tick's fair share of the
	 * one mailbox is none while the run holds it, so it sends nothing. */
	const char *tick_args[] = {"tick", "--ca-file", lab->ca_file, NULL};
	const char *env[] = {"LAB_PW", lab->password, NULL};
	g_auto(TestCliRun) second = {0};
	test_cli_run_with_db(&second, db, env, tick_args);
	if (test_pg_wanted()) {
		g_assert_cmpint(second.status, ==, 0);
		g_assert_nonnull(strstr(second.out, "sent 0,"));
	} else {
		g_assert_cmpint(second.status, ==, 75);
		g_assert_nonnull(strstr(second.err, "another piculet run or tick is working on"));
	}
	/* A file's lock is the database's, not its path's: through a symlink
	 * from another folder too. */
	if (!test_pg_wanted()) {
		g_autofree char *other_dir = g_strdup_printf("%s/elsewhere", dir);
		g_assert_cmpint(g_mkdir_with_parents(other_dir, 0700), ==, 0);
		g_autofree char *link = g_strdup_printf("%s/link.db", other_dir);
		g_assert_cmpint(symlink(db, link), ==, 0);
		g_auto(TestCliRun) third = {0};
		test_cli_run_with_db(&third, link, env, tick_args);
		g_assert_cmpint(third.status, ==, 75);
		g_assert_nonnull(strstr(third.err, "another piculet run or tick is working on"));
	}

	g_autofree char *subject = g_strdup_printf("run %s", token);
	g_autoptr(GBytes) first =
	        test_lab_wait_for_message(lab, "sybil@prospect.test", "Subject", subject, 20000);
	g_assert_nonnull(first);
	g_autofree char *reply_id = test_lab_reply(lab, "sybil@prospect.test", first,
	                                           "Yes, tell me more.", false, &error);
	g_assert_no_error(error);
	g_assert_nonnull(reply_id);
	/* The next poll is an hour away: only IDLE can bring this in time. */
	g_assert_true(test_cli_read_until(fd, seen, "enrollment 1 (sybil@prospect.test): replied",
	                                  20000));

	stop_piculet(child, fd, seen, 20000);
	g_assert_true(g_subprocess_get_if_exited(child));
	g_assert_cmpint(g_subprocess_get_exit_status(child), ==, 0);

	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "R", &error);
	g_autoptr(StoreEnrollment) e =
	        store_enrollment_get(store, campaign->id, "sybil@prospect.test", &error);
	g_assert_cmpstr(e->state, ==, "replied");
	g_autoptr(GPtrArray) replies =
	        store_inbound_list_replies(store, campaign->id, NULL, NULL, 0, 0, &error);
	g_assert_cmpuint(replies->len, ==, 1);
	g_assert_cmpstr(((StoreReply *)replies->pdata[0])->reply_text, ==, "Yes, tell me more.");
	remove_dir(dir);
}

/* Files @raw in bob's Junk folder, as a provider's spam filter would. */
static void
file_in_junk(const char *raw)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client = test_lab_imap_login(test_lab_get(), "bob@sender.test");
	g_autoptr(GBytes) bytes = g_bytes_new(raw, strlen(raw));
	g_assert_true(imap_client_append(client, "Junk", NULL, bytes, NULL, &error));
	g_assert_no_error(error);
	imap_client_logout(client);
}

/* "Never after a reply" holds for a reply the provider filed as spam: the
 * look right before a follow-up reads Junk too, not only every ten
 * minutes. The follow-up is due 15 s after the first step; the reply lands
 * in Junk right after the first step went. */
static void
test_reply_in_junk_stops_the_follow_up(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *dir = g_dir_make_tmp("piculet-junk-XXXXXX", NULL);
	g_autofree char *token = g_uuid_string_random();
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autofree char *steps = g_strdup_printf("  - subject: \"junk %s\"\n    body: hello\n"
	                                         "  - delay: 15s\n    body: \"again %s\"\n",
	                                         token, token);
	g_autofree char *db = set_up_campaign(dir, imap, "J", steps, "trent@prospect.test");
	int fd = -1;
	const char *run_args[] = {"run", "--poll", "1", NULL};
	g_autoptr(GSubprocess) child = start_piculet(db, run_args, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, seen, "sent step 1 to trent@prospect.test", 20000));
	g_autofree char *subject = g_strdup_printf("junk %s", token);
	g_autoptr(GBytes) first =
	        test_lab_wait_for_message(lab, "trent@prospect.test", "Subject", subject, 10000);
	g_assert_nonnull(first);
	g_autofree char *first_id = test_lab_header(first, "Message-Id");
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *date = g_date_time_format(now, "%a, %d %b %Y %H:%M:%S +0000");
	g_autofree char *reply =
	        g_strdup_printf("From: <trent@prospect.test>\r\nTo: <bob@sender.test>\r\n"
	                        "Subject: Re: %s\r\nMessage-ID: <junk-reply-%s@prospect.test>\r\n"
	                        "In-Reply-To: %s\r\nReferences: %s\r\nDate: %s\r\n\r\n"
	                        "Yes, call me tomorrow.\r\n",
	                        subject, token, first_id, first_id, date);
	file_in_junk(reply);
	g_assert_true(test_cli_read_until(fd, seen, "(trent@prospect.test): replied", 40000));

	stop_piculet(child, fd, seen, 20000);
	g_assert_null(strstr(seen->str, "sent step 2 to trent@prospect.test"));
	g_autofree char *again = g_strdup_printf("again %s", token);
	g_assert_cmpuint(test_lab_count_text(lab, "trent@prospect.test", again), ==, 0);
	remove_dir(dir);
}

/* A server that accepts and then says nothing holds an IMAP wait; SIGTERM
 * must end `piculet tick` at once (not at the wait's deadline, not by
 * dying): the pass ends, the summary is printed, exit 0, and the mailbox is
 * not paused for it. */
static void
test_sigterm_ends_a_hanging_wait(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TestFaultServer) silent = test_fault_server_start("127.0.0.1", "HANG\n");
	g_autofree char *dir = g_dir_make_tmp("piculet-stop-XXXXXX", NULL);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", test_fault_server_get_port(silent));
	g_autofree char *db = set_up_campaign(dir, imap, "S", "  - subject: s\n    body: s\n",
	                                      "uma@prospect.test");
	int fd = -1;
	const char *tick_args[] = {"tick", "--trace", NULL};
	g_autoptr(GSubprocess) child = start_piculet(db, tick_args, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autofree char *connected = g_strdup_printf("%s: connected", imap);
	g_assert_true(test_cli_read_until(fd, seen, connected, 20000));
	gint64 asked = g_get_monotonic_time();
	stop_piculet(child, fd, seen, 5000);
	/* Within a second or so, far under the 60 s the wait had left. */
	g_assert_cmpint(g_get_monotonic_time() - asked, <, 5 * G_USEC_PER_SEC);
	g_assert_true(g_subprocess_get_if_exited(child));
	g_assert_cmpint(g_subprocess_get_exit_status(child), ==, 0);
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreMailbox) bob = store_mailbox_get(store, "bob@sender.test", &error);
	g_assert_null(bob->paused_reason);
	remove_dir(dir);
}

/* A pass runs when something falls due, not only every --poll: with the
 * poll an hour away and no mail arriving, the follow-up due 3 s after the
 * first step goes out within seconds. */
static void
test_wakes_when_something_falls_due(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *dir = g_dir_make_tmp("piculet-wake-XXXXXX", NULL);
	g_autofree char *token = g_uuid_string_random();
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autofree char *steps = g_strdup_printf("  - subject: \"wake %s\"\n    body: hello\n"
	                                         "  - delay: 3s\n    body: again\n",
	                                         token);
	g_autofree char *db = set_up_campaign(dir, imap, "W", steps, "uma@prospect.test");
	int fd = -1;
	const char *run_args[] = {"run", "--poll", "3600", NULL};
	g_autoptr(GSubprocess) child = start_piculet(db, run_args, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, seen, "sent step 1 to uma@prospect.test", 20000));
	g_assert_true(test_cli_read_until(fd, seen, "sent step 2 to uma@prospect.test", 20000));
	stop_piculet(child, fd, seen, 20000);
	remove_dir(dir);
}

/* The password is asked of its source at every connect, not once per
 * run: changed in its file while `piculet run` works, the next connection
 * uses the new one (a wrong one here, so the change shows as a refused
 * login instead of a second step). */
static void
test_password_read_at_every_connect(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *dir = g_dir_make_tmp("piculet-secret-XXXXXX", NULL);
	g_autofree char *password_file = g_build_filename(dir, "password", NULL);
	g_assert_true(g_file_set_contents(password_file, lab->password, -1, NULL));
	g_assert_cmpint(g_chmod(password_file, 0600), ==, 0);
	g_autofree char *token = g_uuid_string_random();
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autofree char *steps = g_strdup_printf("  - subject: \"secret %s\"\n    body: hello\n"
	                                         "  - delay: 3s\n    body: again\n",
	                                         token);
	g_autofree char *db =
	        set_up_campaign_with(dir, imap, password_file, "P", steps, "victor@prospect.test");
	int fd = -1;
	const char *run_args[] = {"run", "--poll", "1", NULL};
	g_autoptr(GSubprocess) child = start_piculet(db, run_args, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, seen, "sent step 1 to victor@prospect.test", 20000));
	g_assert_true(g_file_set_contents(password_file, "not-the-password", -1, NULL));
	g_assert_true(
	        test_cli_read_until(fd, seen, "mailbox bob@sender.test paused: SMTP: AUTH", 20000));
	stop_piculet(child, fd, seen, 20000);
	g_assert_null(strstr(seen->str, "sent step 2 to victor@prospect.test"));
	remove_dir(dir);
}

/* Every prospect the lab has a mailbox for. */
static const char *const lab_prospects[] = {
        "carol", "dave",   "erin",  "frank",   "grace", "heidi",  "ivan",
        "judy",  "ken",    "liz",   "mallory", "nina",  "oscar",  "peggy",
        "quinn", "rupert", "sybil", "trent",   "uma",   "victor", NULL};

/* A campaign @name from @mailboxes (the YAML list's items), window always
 * open, no pause between sends, at most @daily_limit openings a day, one
 * step, with @n lab prospects from the @first-th on, started. */
static void
add_campaign(const char *db, const char *dir, const char *name, const char *mailboxes,
             int daily_limit, int first, int n)
{
	g_autofree char *yaml =
	        g_strdup_printf("name: %s\nmailboxes: [%s]\n"
	                        "window: daily 00:00-24:00\ndomain_caps: off\ninterval: 0s\n"
	                        "daily_limit: %d\n"
	                        "steps:\n  - subject: \"%s {{first_name}}\"\n"
	                        "    body: hello\n",
	                        name, mailboxes, daily_limit, name);
	g_autofree char *yaml_path = g_strdup_printf("%s/%s.yaml", dir, name);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	GString *csv = g_string_new("email,first_name\n");
	for (int i = first; i < first + n; i++)
		g_string_append_printf(csv, "%s@prospect.test,P%d\n", lab_prospects[i], i);
	g_autofree char *csv_path = g_strdup_printf("%s/%s.csv", dir, name);
	g_assert_true(g_file_set_contents(csv_path, csv->str, -1, NULL));
	g_string_free(csv, TRUE);
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects", "import", csv_path, "--campaign", name, NULL};
	const char *start[] = {"campaign", "start", name, NULL};
	piculet_ok(db, create);
	piculet_ok(db, import);
	piculet_ok(db, start);
}

static void
add_mailbox(const char *db, const char *address, guint16 smtp_port)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", smtp_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	const char *add[] = {"mailbox", "add", address,          "--smtp", smtp,
	                     "--imap",  imap,  "--password-env", "LAB_PW", NULL};
	piculet_ok(db, add);
}

/* One server that accepts and then never answers holds up only its own
 * mailbox: with alice's SMTP silent (and alice worked first), bob's three
 * messages all go while alice's connection still waits for a greeting
 * (60 s away). One thread working the mailboxes in turn failed this. */
static void
test_silent_server_holds_up_only_its_mailbox(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(TestFaultServer) silent = test_fault_server_start("127.0.0.1", "HANG\n");
	g_autofree char *dir = g_dir_make_tmp("piculet-workers-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "piculet");
	add_mailbox(db, "alice@sender.test", test_fault_server_get_port(silent));
	add_mailbox(db, "bob@sender.test", lab->submission_port);
	g_autofree char *token = g_uuid_string_random();
	g_autofree char *mute = g_strdup_printf("mute%.8s", token);
	g_autofree char *heard = g_strdup_printf("heard%.8s", token);
	add_campaign(db, dir, mute, "alice@sender.test", 30, 0, 1);
	add_campaign(db, dir, heard, "bob@sender.test", 30, 1, 3);
	int fd = -1;
	const char *run_args[] = {"run", "--poll", "3600", "--workers", "2", "--trace", NULL};
	g_autoptr(GSubprocess) child = start_piculet(db, run_args, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autofree char *connected =
	        g_strdup_printf("127.0.0.1:%u: connected", test_fault_server_get_port(silent));
	g_autofree char *third =
	        g_strdup_printf("sent step 1 to %s@prospect.test", lab_prospects[3]);
	g_assert_true(test_cli_read_until(fd, seen, connected, 20000));
	/* Well before the silent server gives up (it closes after 10 s). */
	g_assert_true(test_cli_read_until(fd, seen, third, 8000));
	/* alice is still waiting: not paused, nothing refused. */
	g_assert_null(strstr(seen->str, "mailbox alice@sender.test paused"));
	stop_piculet(child, fd, seen, 5000);
	g_assert_cmpint(g_subprocess_get_exit_status(child), ==, 0);
	g_autofree char *difference = test_fault_server_finish(silent);
	g_assert_null(difference);
	remove_dir(dir);
}

/* Two mailboxes share a campaign's openings, on four workers: each
 * prospect gets one message (a step claimed by one worker is never handed
 * to another, which would have found its message and called the
 * enrollment uncertain), and the campaign's daily limit holds across both
 * mailboxes exactly. */
static void
test_shared_openings_claimed_once(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-claim-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "piculet");
	add_mailbox(db, "alice@sender.test", lab->submission_port);
	add_mailbox(db, "bob@sender.test", lab->submission_port);
	g_autofree char *token = g_uuid_string_random();
	g_autofree char *name = g_strdup_printf("shared%.8s", token);
	add_campaign(db, dir, name, "alice@sender.test, bob@sender.test", 13, 0, 20);
	const char *env[] = {"LAB_PW", lab->password, NULL};
	const char *tick[] = {"tick", "--workers", "4", "--ca-file", lab->ca_file, "--json", NULL};
	g_auto(TestCliRun) run = {0};
	test_cli_run_with_db(&run, db, env, tick);
	g_assert_cmpint(run.status, ==, 0);
	g_assert_nonnull(strstr(run.out, "\"sent\":13"));
	g_assert_nonnull(strstr(run.out, "\"uncertain\":0"));
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, name, &error);
	g_assert_nonnull(campaign);
	g_autoptr(GPtrArray) enrollments = store_enrollment_list(store, campaign->id, 0, &error);
	g_assert_nonnull(enrollments);
	guint messages = 0;
	guint by_mailbox[3] = {0};
	for (guint i = 0; i < enrollments->len; i++) {
		const StoreEnrollment *e = enrollments->pdata[i];
		g_autoptr(GPtrArray) sent = store_message_list_for_enrollment(store, e->id, &error);
		g_assert_nonnull(sent);
		g_assert_cmpuint(sent->len, <=, 1);
		g_assert_cmpstr(e->state, ==, sent->len == 1 ? "completed" : "queued");
		messages += sent->len;
		if (sent->len == 1)
			by_mailbox[CLAMP(e->mailbox_id, 0, 2)]++;
	}
	g_assert_cmpuint(messages, ==, 13);
	/* Both mailboxes took openings. */
	g_assert_cmpuint(by_mailbox[1], >, 0);
	g_assert_cmpuint(by_mailbox[2], >, 0);
	remove_dir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/run/reply-stops-at-once-and-sigterm-ends-it",
	                test_reply_stops_at_once_and_sigterm);
	g_test_add_func("/engine/run/sigterm-ends-a-hanging-wait-at-once",
	                test_sigterm_ends_a_hanging_wait);
	g_test_add_func("/engine/run/wakes-when-something-falls-due",
	                test_wakes_when_something_falls_due);
	g_test_add_func("/engine/run/password-read-at-every-connect",
	                test_password_read_at_every_connect);
	g_test_add_func("/engine/run/reply-in-junk-stops-the-follow-up",
	                test_reply_in_junk_stops_the_follow_up);
	g_test_add_func("/engine/run/silent-server-holds-up-only-its-mailbox",
	                test_silent_server_holds_up_only_its_mailbox);
	g_test_add_func("/engine/run/shared-openings-claimed-once",
	                test_shared_openings_claimed_once);
	return g_test_run();
}
