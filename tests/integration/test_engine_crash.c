/*
 * Crash safety against the mail lab: a message the engine recorded as
 * "sending" when it died is settled on restart through the Sent folder
 * (found: sent; not found: uncertain, explained, never resent); and 50
 * kill -9 at random instants of a running campaign leave no recipient
 * with a step twice, none missing, every uncertain explained.
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_lab_imap.h"
#include "helpers/test_pg.h"
#include "imap/imap_client.h"
#include "store/store.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static char *dir;
static char *token;

static void
piculet(TestCliRun *run, const char *db, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, NULL};
	test_cli_run_with_db(run, db, env, args);
}

static void
piculet_ok(const char *db, const char *const *args)
{
	g_auto(TestCliRun) run = {0};
	piculet(&run, db, args);
	if (run.status != 0)
		g_error("piculet %s: exit %d: %s", args[0], run.status, run.err);
}

/* The simulated clock every pass of these tests runs on; what a test
 * records itself is stamped on the same clock, never the real one. */
static GDateTime *
simulated_at(int minutes)
{
	g_autoptr(GDateTime) start = g_date_time_new_utc(2026, 12, 1, 9, 0, 0);
	return g_date_time_add_minutes(start, minutes);
}

static char *
tick_args_now(int minutes)
{
	g_autoptr(GDateTime) now = simulated_at(minutes);
	return g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
}

static void
tick(const char *db, int minutes)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *now = tick_args_now(minutes);
	const char *args[] = {"tick", "--now", now, "--ca-file", lab->ca_file, NULL};
	piculet_ok(db, args);
}

/* A database with bob's mailbox, a campaign of @n_steps sending from it to
 * @emails (NULL-terminated), started. */
static char *
set_up(const char *name, const char *const *emails, int n_steps, const char *delay)
{
	const TestLab *lab = test_lab_get();
	char *db = test_pg_store_location(dir, name);
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	const char *add[] = {"mailbox", "add", "bob@sender.test", "--smtp", smtp,
	                     "--imap",  imap,  "--password-env",  "LAB_PW", "--daily-cap",
	                     "1000",    NULL};
	piculet_ok(db, add);
	GString *yaml = g_string_new(NULL);
	g_string_append_printf(yaml,
	                       "name: %s\nmailboxes: [bob@sender.test]\nwindow: daily "
	                       "00:00-24:00\ndomain_caps: off\n"
	                       "interval: 0s\ndaily_limit: 1000\nsteps:\n",
	                       name);
	for (int step = 1; step <= n_steps; step++) {
		if (step == 1)
			g_string_append_printf(yaml, "  - subject: \"%s {{first_name}}\"\n", token);
		else
			g_string_append_printf(yaml, "  - delay: %s\n", delay);
		g_string_append_printf(yaml, "    body: \"step-%d-of-%s for {{first_name}}\"\n",
		                       step, token);
	}
	g_autofree char *yaml_path = g_strdup_printf("%s/%s.yaml", dir, name);
	g_assert_true(g_file_set_contents(yaml_path, yaml->str, -1, NULL));
	g_string_free(yaml, TRUE);
	GString *csv = g_string_new("email,first_name\n");
	for (const char *const *e = emails; *e != NULL; e++)
		g_string_append_printf(csv, "%s,P%u\n", *e, (guint)(e - emails));
	g_autofree char *csv_path = g_strdup_printf("%s/%s.csv", dir, name);
	g_assert_true(g_file_set_contents(csv_path, csv->str, -1, NULL));
	g_string_free(csv, TRUE);
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects", "import", csv_path, "--campaign", name, NULL};
	const char *start[] = {"campaign", "start", name, NULL};
	piculet_ok(db, create);
	piculet_ok(db, import);
	piculet_ok(db, start);
	return db;
}

static int64_t
enrollment_of(Store *store, const char *campaign, const char *email, StoreEnrollment **out)
{
	g_autoptr(StoreCampaign) c = store_campaign_get(store, campaign, NULL);
	g_assert_nonnull(c);
	*out = store_enrollment_get(store, c->id, email, NULL);
	g_assert_nonnull(*out);
	return (*out)->id;
}

/* Files a copy of the message @message_id to @to in bob's Sent folder, as
 * a send that reached the server before a crash leaves it. */
static void
file_copy_in_sent(const char *to, const char *message_id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) imap = test_lab_imap_login(test_lab_get(), "bob@sender.test");
	g_autofree char *copy = g_strdup_printf(
	        "From: <bob@sender.test>\r\nTo: <%s>\r\nSubject: s\r\n"
	        "Message-ID: <%s>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n\r\nhi\r\n",
	        to, message_id);
	g_autoptr(GBytes) bytes = g_bytes_new(copy, strlen(copy));
	g_assert_true(imap_client_append(imap, "Sent", "(\\Seen)", bytes, NULL, &error));
	g_assert_no_error(error);
	imap_client_logout(imap);
}

static void
test_sending_settled_through_sent_folder(void)
{
	const char *emails[] = {"carol@prospect.test", "dave@prospect.test", NULL};
	g_autofree char *db = set_up("settle", emails, 2, "1h");
	g_autofree char *found_id = g_strdup_printf("found-%s@sender.test", token);
	g_autofree char *lost_id = g_strdup_printf("lost-%s@sender.test", token);
	{
		/* As a crash would leave it: step 1 of both recorded "sending";
		 * one copy reached the Sent folder, the other did not. */
		g_autoptr(GError) error = NULL;
		g_autoptr(Store) store = store_open(db, &error);
		g_autoptr(StoreMailbox) bob = store_mailbox_get(store, "bob@sender.test", &error);
		StoreEnrollment *carol = NULL;
		StoreEnrollment *dave = NULL;
		enrollment_of(store, "settle", "carol@prospect.test", &carol);
		enrollment_of(store, "settle", "dave@prospect.test", &dave);
		int64_t row = 0;
		g_autoptr(GDateTime) crashed_at = simulated_at(0);
		int64_t crashed_us = g_date_time_to_unix(crashed_at) * G_USEC_PER_SEC;
		g_assert_true(store_message_begin(store, carol->id, 1, 0, bob->id, found_id, "s",
		                                  crashed_us, &row, &error));
		g_assert_true(store_message_begin(store, dave->id, 1, 0, bob->id, lost_id, "s",
		                                  crashed_us, &row, &error));
		store_enrollment_free(carol);
		store_enrollment_free(dave);
		file_copy_in_sent("carol@prospect.test", found_id);
	}
	tick(db, 0);
	tick(db, 120);
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreMessage) found = store_message_find(store, found_id, &error);
	g_autoptr(StoreMessage) lost = store_message_find(store, lost_id, &error);
	g_assert_cmpstr(found->state, ==, "sent");
	g_assert_cmpstr(lost->state, ==, "uncertain");
	g_assert_nonnull(strstr(lost->smtp_reply, "not found in the Sent folder"));
	StoreEnrollment *carol = NULL;
	StoreEnrollment *dave = NULL;
	enrollment_of(store, "settle", "carol@prospect.test", &carol);
	enrollment_of(store, "settle", "dave@prospect.test", &dave);
	/* Carol went on to step 2; Dave waits for a person to look. */
	g_assert_cmpstr(carol->state, ==, "completed");
	g_assert_cmpstr(dave->state, ==, "uncertain");
	store_enrollment_free(carol);
	store_enrollment_free(dave);
	const TestLab *lab = test_lab_get();
	g_autofree char *step1 = g_strdup_printf("step-1-of-%s", token);
	g_autofree char *step2 = g_strdup_printf("step-2-of-%s", token);
	g_assert_true(test_lab_wait_for_count(lab, "carol@prospect.test", step2, 1, 20000));
	/* Step 1 was never sent again to either. */
	g_assert_cmpuint(test_lab_count_text(lab, "carol@prospect.test", step1), ==, 0);
	g_assert_cmpuint(test_lab_count_text(lab, "dave@prospect.test", step1), ==, 0);
	g_assert_cmpuint(test_lab_count_text(lab, "dave@prospect.test", step2), ==, 0);
	g_auto(TestCliRun) show = {0};
	const char *show_args[] = {"campaign", "show", "settle", NULL};
	piculet(&show, db, show_args);
	g_assert_cmpint(show.status, ==, 0);
	g_assert_nonnull(strstr(show.out, "1 uncertain"));
}

/* Starts a pass and kills it with SIGKILL after @delay_us. */
static void
tick_killed(const char *db, int minutes, gulong delay_us)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *now = tick_args_now(minutes);
	const char *bin = g_getenv("PICULET_BIN");
	g_auto(GStrv) env = g_get_environ();
	env = g_environ_setenv(env, "LAB_PW", lab->password, TRUE);
	const char *argv[] = {bin,          "tick", "--now", now, "--ca-file",
	                      lab->ca_file, "--db", db,      NULL};
	GPid pid = 0;
	g_autoptr(GError) error = NULL;
	g_assert_true(g_spawn_async(NULL, (char **)argv, env,
	                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
	                                    G_SPAWN_STDERR_TO_DEV_NULL,
	                            NULL, NULL, &pid, &error));
	/* The instant of the crash is the thing varied, not a wait for
	 * something to happen. */
	g_usleep(delay_us);
	kill(pid, SIGKILL);
	int status = 0;
	waitpid(pid, &status, 0);
	g_spawn_close_pid(pid);
}

static void
test_kill_at_random_points(void)
{
	const TestLab *lab = test_lab_get();
	static const char *const names[] = {
	        "erin", "frank", "grace", "heidi", "ivan",   "judy",  "ken",   "liz", "mallory",
	        "nina", "oscar", "peggy", "quinn", "rupert", "sybil", "trent", "uma", "victor"};
	g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func(g_free);
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		g_ptr_array_add(emails, g_strdup_printf("%s@prospect.test", names[i]));
	g_ptr_array_add(emails, NULL);
	g_autofree char *db = set_up("crash", (const char *const *)emails->pdata, 3, "20m");
	GRand *rand = g_rand_new_with_seed(20261126);
	int minutes = 0;
	for (int round = 0; round < 50; round++) {
		tick_killed(db, minutes, (gulong)g_rand_int_range(rand, 0, 120000));
		minutes += 10;
	}
	g_rand_free(rand);
	/* Restarted for good: everything settles and goes. */
	for (int i = 0; i < 8; i++) {
		tick(db, minutes);
		minutes += 30;
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "crash", &error);
	g_autoptr(GPtrArray) enrollments = store_enrollment_list(store, campaign->id, 0, &error);
	guint uncertain = 0;
	for (guint i = 0; i < enrollments->len; i++) {
		const StoreEnrollment *e = enrollments->pdata[i];
		g_autoptr(GPtrArray) messages =
		        store_message_list_for_enrollment(store, e->id, &error);
		for (int step = 1; step <= 3; step++) {
			g_autofree char *marker = g_strdup_printf("step-%d-of-%s", step, token);
			guint delivered = test_lab_count_text(lab, e->email, marker);
			const StoreMessage *m = NULL;
			for (guint k = 0; k < messages->len; k++)
				if (((StoreMessage *)messages->pdata[k])->step == step)
					m = messages->pdata[k];
			/* Never twice. */
			if (delivered > 1)
				g_error("%s got step %d %u times", e->email, step, delivered);
			if (m != NULL && strcmp(m->state, "sent") == 0) {
				/* Recorded sent: it arrived (give the queue a moment). */
				g_assert_true(
				        test_lab_wait_for_count(lab, e->email, marker, 1, 20000));
			} else if (m != NULL && strcmp(m->state, "uncertain") == 0) {
				uncertain++;
				g_assert_nonnull(m->smtp_reply);
				g_assert_cmpstr(e->state, ==, "uncertain");
			} else {
				/* Nothing recorded: only after an uncertain step. */
				g_assert_cmpstr(e->state, ==, "uncertain");
				g_assert_cmpuint(delivered, ==, 0);
			}
		}
		if (strcmp(e->state, "uncertain") != 0)
			g_assert_cmpstr(e->state, ==, "completed");
	}
	g_test_message("%u of %u enrollments uncertain after 50 kills", uncertain,
	               enrollments->len);
	g_autoptr(GPtrArray) sending = store_message_list_sending(store, 0, &error);
	g_assert_cmpuint(sending->len, ==, 0);
}

/* A send cut by a crash whose copy is in Sent, while a reply had ended the
 * enrollment meanwhile: the message is settled as sent and the enrollment
 * stays replied (never reopened for the next step). */
static void
test_settled_send_does_not_reopen_a_reply(void)
{
	const char *emails[] = {"erin@prospect.test", NULL};
	g_autofree char *db = set_up("reopen", emails, 2, "1h");
	g_autofree char *found_id = g_strdup_printf("reopen-%s@sender.test", token);
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(Store) store = store_open(db, &error);
		g_autoptr(StoreMailbox) bob = store_mailbox_get(store, "bob@sender.test", &error);
		StoreEnrollment *erin = NULL;
		enrollment_of(store, "reopen", "erin@prospect.test", &erin);
		int64_t row = 0;
		g_autoptr(GDateTime) crashed_at = simulated_at(0);
		int64_t crashed_us = g_date_time_to_unix(crashed_at) * G_USEC_PER_SEC;
		g_assert_true(store_message_begin(store, erin->id, 1, 0, bob->id, found_id, "s",
		                                  crashed_us, &row, &error));
		g_free(erin->state);
		erin->state = g_strdup("replied");
		g_assert_true(store_enrollment_update(store, erin, &error));
		store_enrollment_free(erin);
		file_copy_in_sent("erin@prospect.test", found_id);
	}
	tick(db, 0);
	tick(db, 120);
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreMessage) found = store_message_find(store, found_id, &error);
	g_assert_cmpstr(found->state, ==, "sent");
	StoreEnrollment *erin = NULL;
	enrollment_of(store, "reopen", "erin@prospect.test", &erin);
	g_assert_cmpstr(erin->state, ==, "replied");
	g_assert_cmpint(erin->next_step, ==, 1);
	store_enrollment_free(erin);
	const TestLab *lab = test_lab_get();
	g_autofree char *step2 = g_strdup_printf("step-2-of-%s", token);
	g_assert_cmpuint(test_lab_count_text(lab, "erin@prospect.test", step2), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("piculet-crash-XXXXXX", NULL);
	token = g_uuid_string_random();
	g_test_add_func("/engine/crash/settled-send-does-not-reopen-a-reply",
	                test_settled_send_does_not_reopen_a_reply);
	g_test_add_func("/engine/crash/sending-settled-through-sent-folder",
	                test_sending_settled_through_sent_folder);
	g_test_add_func("/engine/crash/kill-9-at-random-points", test_kill_at_random_points);
	int status = g_test_run();
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	g_free(dir);
	g_free(token);
	return status;
}
