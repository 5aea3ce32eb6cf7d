/*
 * Which text a prospect gets, against the mail lab on a simulated clock,
 * through the commands a user runs. A follow-up with an `if:` goes to the
 * prospects it holds for and is skipped, taking no time, for the others.
 *
 * A/B variants: 400 prospects of the crowd, an opening with
 * variants A ("Alpha") and B ("Beta"), a winner asked for after 100 of
 * each at 95 %, 100 openings a day. Replies are put in the sender's INBOX
 * (as its provider would file them) at known rates: B far ahead on day 1,
 * before 100 of each went (no pick: never before N); 20 against 18 at 100
 * of each (no pick: not significant); then 45 of 150 against 18 of 150 (B
 * picked, and the last 100 openings all B).
 */
#include "helpers/test_lab_imap.h"
#include "helpers/test_setup.h"

#include <string.h>

#define PROSPECTS 400

/* The crowd's messages of this test: "pNNN" -> its raw bytes. */
static GHashTable *
delivered(const char *token)
{
	const TestLab *lab = test_lab_get();
	GHashTable *found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                          (GDestroyNotify)g_bytes_unref);
	g_autofree char *maildir = test_lab_maildir(lab, lab->crowd_mailbox);
	g_autofree char *marker = g_strdup_printf(" %s.", token);
	const char *folders[] = {"new", "cur"};
	for (gsize f = 0; f < G_N_ELEMENTS(folders); f++) {
		g_autofree char *path = g_build_filename(maildir, folders[f], NULL);
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const char *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree char *file = g_build_filename(path, name, NULL);
			char *text = NULL;
			gsize length = 0;
			if (!g_file_get_contents(file, &text, &length, NULL))
				continue;
			/* The body: "Hello pNNN TOKEN." */
			const char *at = strstr(text, marker);
			if (at == NULL || at - text < 4) {
				g_free(text);
				continue;
			}
			g_hash_table_replace(found, g_strndup(at - 4, 4),
			                     g_bytes_new_take(text, length));
		}
	}
	return found;
}

/* Waits until @count messages of this test are in the crowd's mailbox. */
static GHashTable *
wait_for(const char *token, guint count)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *needle = g_strdup_printf(" %s.", token);
	g_assert_true(test_lab_wait_for_count(lab, lab->crowd_mailbox, needle, count, 60000));
	GHashTable *found = delivered(token);
	g_assert_cmpuint(g_hash_table_size(found), ==, count);
	return found;
}

/* Of @messages, how many carry @subject's variant. */
static guint
with_subject(GHashTable *messages, const char *subject)
{
	guint n = 0;
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, messages);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		g_autofree char *got = test_lab_header(value, "Subject");
		n += got != NULL && g_str_has_prefix(got, subject);
	}
	return n;
}

/* Replies from @count prospects of @messages that got @subject and have
 * not replied yet (@replied), filed in alice's INBOX. */
static void
reply(GHashTable *messages, const char *subject, guint count, GHashTable *replied)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(ImapClient) imap = test_lab_imap_login(lab, "alice@sender.test");
	g_autoptr(GList) names = g_hash_table_get_keys(messages);
	names = g_list_sort(names, (GCompareFunc)strcmp);
	guint done = 0;
	for (GList *l = names; l != NULL && done < count; l = l->next) {
		GBytes *original = g_hash_table_lookup(messages, l->data);
		g_autofree char *got = test_lab_header(original, "Subject");
		if (got == NULL || !g_str_has_prefix(got, subject) ||
		    g_hash_table_contains(replied, l->data))
			continue;
		g_autofree char *id = test_lab_header(original, "Message-ID");
		g_autofree char *date = test_lab_header(original, "Date");
		g_autofree char *own = g_uuid_string_random();
		g_autofree char *raw = g_strdup_printf(
		        "From: <%s@crowd.test>\r\nTo: <alice@sender.test>\r\nSubject: Re: %s\r\n"
		        "Message-ID: <%s@crowd.test>\r\nIn-Reply-To: %s\r\n"
		        "References: %s\r\nDate: %s\r\n\r\nTell me more.\r\n",
		        (const char *)l->data, got, own, id, id, date);
		g_autoptr(GBytes) bytes = g_bytes_new(raw, strlen(raw));
		g_autoptr(GError) error = NULL;
		g_assert_true(imap_client_append(imap, "INBOX", NULL, bytes, NULL, &error));
		g_assert_no_error(error);
		g_hash_table_add(replied, g_strdup(l->data));
		done++;
	}
	g_assert_cmpuint(done, ==, count);
	imap_client_logout(imap);
}

static void
report(TestSetup *setup, TestCliRun *run)
{
	const char *args[] = {"report", "Split", NULL};
	test_setup_piculet(setup, run, args);
	g_assert_cmpint(run->status, ==, 0);
}

static void
test_winner_only_when_significant(void)
{
	g_auto(TestSetup) setup = {0};
	test_setup_init(&setup, "variants");
	const char *more[] = {"--daily-cap", "1000", NULL};
	test_setup_mailbox(&setup, "alice@sender.test", more);
	GString *csv = g_string_new("email,first_name\n");
	for (int i = 0; i < PROSPECTS; i++)
		g_string_append_printf(csv, "p%03d@crowd.test,p%03d\n", i, i);
	test_setup_campaign(&setup, "Split",
	                    "name: Split\nmailboxes: [alice@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ndomain_caps: off\ninterval: 0s\n"
	                    "daily_limit: 100\npolicies:\n  stop_on_company_reply: false\n"
	                    "steps:\n  - body: \"Hello {{first_name}} TOKEN.\"\n"
	                    "    variants:\n      - subject: \"Alpha TOKEN\"\n"
	                    "      - subject: \"Beta TOKEN\"\n"
	                    "    winner: {after: 100, confidence: 95}\n",
	                    csv->str);
	g_string_free(csv, TRUE);
	g_autofree char *alpha = g_strdup_printf("Alpha %s", setup.token);
	g_autofree char *beta = g_strdup_printf("Beta %s", setup.token);
	g_autoptr(GHashTable) replied =
	        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	/* Day 1: 50 of each; B answered far more (20 of 50 against none),
	 * but before 100 of each: no pick. */
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-01T09:00:00Z", "sent"), ==, 100);
	g_autoptr(GHashTable) day1 = wait_for(setup.token, 100);
	g_assert_cmpuint(with_subject(day1, alpha), ==, 50);
	g_assert_cmpuint(with_subject(day1, beta), ==, 50);
	reply(day1, beta, 20, replied);
	test_setup_tick(&setup, "2026-12-01T20:00:00Z", "sent");
	g_auto(TestCliRun) early = {0};
	report(&setup, &early);
	g_assert_nonnull(strstr(early.out, "1 A        50     0 ( 0.0%)"));
	g_assert_nonnull(strstr(early.out, "1 B        50    20 (40.0%)"));
	g_assert_null(strstr(early.out, "winner"));

	/* A catches up overnight: 18 of 50. Day 2 is split again. */
	reply(day1, alpha, 18, replied);
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-02T09:00:00Z", "sent"), ==, 100);
	g_autoptr(GHashTable) day2 = wait_for(setup.token, 200);
	g_assert_cmpuint(with_subject(day2, alpha), ==, 100);
	g_assert_cmpuint(with_subject(day2, beta), ==, 100);

	/* 100 of each now, 20 against 18 replies: not significant, no pick;
	 * day 3 is split too. */
	test_setup_tick(&setup, "2026-12-02T20:00:00Z", "sent");
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-03T09:00:00Z", "sent"), ==, 100);
	g_autoptr(GHashTable) day3 = wait_for(setup.token, 300);
	g_assert_cmpuint(with_subject(day3, alpha), ==, 150);
	g_assert_cmpuint(with_subject(day3, beta), ==, 150);
	g_auto(TestCliRun) close = {0};
	report(&setup, &close);
	g_assert_nonnull(strstr(close.out, "1 A       150    18 (12.0%)"));
	g_assert_nonnull(strstr(close.out, "1 B       150    20 (13.3%)"));
	g_assert_null(strstr(close.out, "winner"));

	/* B's later openings answered too: 45 of 150 against A's 18 of 150
	 * (p = 0.0002): B is picked, and the last 100 are all B. */
	reply(day3, beta, 25, replied);
	test_setup_tick(&setup, "2026-12-03T20:00:00Z", "sent");
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-04T09:00:00Z", "sent"), ==, 100);
	g_autoptr(GHashTable) day4 = wait_for(setup.token, 400);
	g_assert_cmpuint(with_subject(day4, alpha), ==, 150);
	g_assert_cmpuint(with_subject(day4, beta), ==, 250);
	g_auto(TestCliRun) won = {0};
	report(&setup, &won);
	g_assert_nonnull(strstr(won.out, "1 A       150    18 (12.0%)"));
	g_assert_nonnull(strstr(won.out, "1 B       250    45 (18.0%)"));
	g_assert_nonnull(strstr(won.out, "winner"));
	g_assert_nonnull(strstr(won.out, "step 1: B wins: B: 45 of 150 replied (30.0 %), A: 18 of "
	                                 "150 (12.0 %); Fisher's exact test, two-sided, p = "));
	g_assert_nonnull(strstr(won.out, "(picked 2026-12-04 09:00 UTC; only B is sent since)"));
}

/* Step 2 only to the German prospect; the French one gets step 3 a day
 * after step 1 (the skipped step took no time), with "skipped" in its
 * timeline and in the preview. */
static void
test_condition_skips_a_step(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestSetup) setup = {0};
	test_setup_init(&setup, "condition");
	test_setup_mailbox(&setup, "alice@sender.test", NULL);
	test_setup_campaign(&setup, "Cond",
	                    "name: Cond\nmailboxes: [alice@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ninterval: 0s\ndomain_caps: off\n"
	                    "policies:\n  stop_on_company_reply: false\n"
	                    "steps:\n  - subject: \"Cond TOKEN\"\n    body: \"Hello. TOKEN\"\n"
	                    "  - delay: 1d\n    if: \"{{country}} == DE\"\n"
	                    "    body: \"Guten Tag. TOKEN\"\n"
	                    "  - delay: 1d\n    body: \"Last one. TOKEN\"\n",
	                    "email,first_name,country\nheidi@prospect.test,Heidi,de\n"
	                    "ivan@prospect.test,Ivan,FR\n");
	g_autofree char *german = g_strdup_printf("Guten Tag. %s", setup.token);
	g_autofree char *last = g_strdup_printf("Last one. %s", setup.token);
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-01T09:00:00Z", "sent"), ==, 2);
	g_auto(TestCliRun) preview = {0};
	const char *preview_args[] = {"campaign",           "preview", "Cond", "--prospect",
	                              "ivan@prospect.test", NULL};
	test_setup_piculet(&setup, &preview, preview_args);
	g_assert_nonnull(strstr(preview.out, "=== step 2: skipped for this prospect: "
	                                     "\"{{country}} == DE\" does not hold"));
	/* Day 2: Heidi gets step 2; Ivan's step 2 is skipped and his step 3
	 * is due at once (a day after step 1). */
	test_setup_tick(&setup, "2026-12-02T09:00:00Z", "sent");
	test_setup_tick(&setup, "2026-12-02T10:00:00Z", "sent");
	g_assert_true(test_lab_wait_for_count(lab, "heidi@prospect.test", german, 1, 20000));
	g_assert_true(test_lab_wait_for_count(lab, "ivan@prospect.test", last, 1, 20000));
	g_assert_cmpuint(test_lab_count_text(lab, "ivan@prospect.test", german), ==, 0);
	g_assert_cmpuint(test_lab_count_text(lab, "heidi@prospect.test", last), ==, 0);
	g_auto(TestCliRun) shown = {0};
	const char *show[] = {"prospects", "show", "ivan@prospect.test", NULL};
	test_setup_piculet(&setup, &shown, show);
	g_assert_nonnull(strstr(shown.out, "skipped, campaign Cond"));
	g_assert_nonnull(strstr(shown.out, "step 2 skipped: \"{{country}} == DE\" does not hold "
	                                   "(country: FR)"));
	/* Day 3: Heidi's step 3. */
	test_setup_tick(&setup, "2026-12-03T09:00:00Z", "sent");
	g_assert_true(test_lab_wait_for_count(lab, "heidi@prospect.test", last, 1, 20000));
	g_assert_cmpuint(test_lab_count_text(lab, "ivan@prospect.test", last), ==, 1);
}

/* A task step: the prospect's sequence waits at it (nothing sent, for
 * days) until a person marks it done; the next email goes a day after
 * that, not after the task was due. */
static void
test_task_step_waits(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestSetup) setup = {0};
	test_setup_init(&setup, "task");
	test_setup_mailbox(&setup, "alice@sender.test", NULL);
	test_setup_campaign(&setup, "Call",
	                    "name: Call\nmailboxes: [alice@sender.test]\ntimezone: UTC\n"
	                    "window: daily 08:00-18:00\ninterval: 0s\ndomain_caps: off\n"
	                    "steps:\n  - subject: \"Call TOKEN\"\n    body: \"Hello. TOKEN\"\n"
	                    "  - delay: 1d\n    task: call\n    note: Ask about the demo\n"
	                    "  - delay: 1d\n    body: \"After our call. TOKEN\"\n",
	                    "email,first_name,company\njudy@prospect.test,Judy,Acme\n");
	g_autofree char *after = g_strdup_printf("After our call. %s", setup.token);
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-01T09:00:00Z", "sent"), ==, 1);
	g_auto(TestCliRun) empty = {0};
	const char *list[] = {"tasks", NULL};
	test_setup_piculet(&setup, &empty, list);
	g_assert_nonnull(strstr(empty.out, "no open tasks"));
	/* Day 2: the task opens; days 3 and 4 send nothing. */
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-02T09:00:00Z", "sent"), ==, 0);
	g_auto(TestCliRun) open = {0};
	test_setup_piculet(&setup, &open, list);
	g_assert_nonnull(strstr(open.out, "1\tcall\tjudy@prospect.test (Judy, Acme)\tCall, step 2\t"
	                                  "Ask about the demo\n"));
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-03T09:00:00Z", "sent"), ==, 0);
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-04T09:00:00Z", "sent"), ==, 0);
	g_assert_cmpuint(test_lab_count_text(lab, "judy@prospect.test", after), ==, 0);
	g_auto(TestCliRun) shown = {0};
	const char *show[] = {"prospects", "show", "judy@prospect.test", NULL};
	test_setup_piculet(&setup, &shown, show);
	g_assert_nonnull(strstr(shown.out, "task 1 (step 2): call: Ask about the demo"));
	/* Done on day 4 at 10:00: the last step is due on day 5 at 10:00. */
	const char *done[] = {"tasks", "done", "1", "--by", "sam", "--now", "2026-12-04T10:00:00Z",
	                      NULL};
	test_setup_piculet_ok(&setup, done);
	g_auto(TestCliRun) twice = {0};
	test_setup_piculet(&setup, &twice, done);
	g_assert_cmpint(twice.status, !=, 0);
	g_assert_nonnull(
	        strstr(twice.err, "task 1 was done already, at 2026-12-04 10:00 UTC by sam"));
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-04T11:00:00Z", "sent"), ==, 0);
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-05T09:30:00Z", "sent"), ==, 0);
	g_assert_cmpuint(test_setup_tick(&setup, "2026-12-05T10:00:00Z", "sent"), ==, 1);
	g_assert_true(test_lab_wait_for_count(lab, "judy@prospect.test", after, 1, 20000));
	g_auto(TestCliRun) finished = {0};
	test_setup_piculet(&setup, &finished, list);
	g_assert_nonnull(strstr(finished.out, "no open tasks"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/variants/winner-only-when-significant",
	                test_winner_only_when_significant);
	g_test_add_func("/engine/variants/a-step-skipped-by-its-condition",
	                test_condition_skips_a_step);
	g_test_add_func("/engine/variants/a-task-step-waits-for-a-person", test_task_step_waits);
	return g_test_run();
}
