/*
 * The engine against the mail lab, through the command a user runs
 * (`piculet tick --now`, so days pass in seconds): a 3-step campaign to 20
 * prospects in which people reply, a colleague replies, an address does
 * not exist, a domain bounces later, someone is out of office, someone
 * asks to be removed; the mailbox is paused by hand for a while. Checked
 * in every recipient's mailbox and in the store: who got what, threaded, and never a step twice or
 * after a reply.
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"
#include "store/store.h"

#include <string.h>

static char *dir;
static char *db_path;
/* In every subject and body of this run, so mail of earlier runs in the
 * same lab never counts. */
static char *token;

static void
piculet(TestCliRun *run, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, NULL};
	test_cli_run_with_db(run, db_path, env, args);
}

static void
piculet_ok(const char *const *args)
{
	g_auto(TestCliRun) run = {0};
	piculet(&run, args);
	if (run.status != 0)
		g_error("piculet %s %s: exit %d: %s", args[0], args[1] != NULL ? args[1] : "",
		        run.status, run.err);
}

/* One pass at @now; returns its JSON summary line. */
static char *
tick(const char *now)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestCliRun) run = {0};
	const char *args[] = {"tick",   "--now",     now,          "--seed", "7",
	                      "--json", "--ca-file", lab->ca_file, NULL};
	piculet(&run, args);
	if (run.status != 0)
		g_error("tick %s: exit %d: %s", now, run.status, run.err);
	return g_strdup(run.out);
}

static char *
write_file(const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);
	g_auto(GStrv) parts = g_strsplit(text, "TOKEN", -1);
	g_autofree char *marked = g_strjoinv(token, parts);
	g_assert_true(g_file_set_contents(path, marked, -1, NULL));
	return path;
}

static void
add_mailbox(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	const char *args[] = {"mailbox",     "add", "alice@sender.test", "--smtp", smtp,
	                      "--imap",      imap,  "--password-env",    "LAB_PW", "--name",
	                      "Alice Smith", NULL};
	piculet_ok(args);
}

static const char main_campaign[] =
        "name: Main\n"
        "mailboxes: [alice@sender.test]\n"
        "timezone: UTC\n"
        "window: daily 08:00-18:00\ndomain_caps: off\n"
        "interval: 0s\n"
        "daily_limit: 100\n"
        "policies:\n"
        "  stop_on_company_reply: false\n"
        "steps:\n"
        "  - subject: \"Question for {{first_name}} (TOKEN)\"\n"
        "    body: \"Hi {{first_name}}, may I ask you something? TOKEN\"\n"
        "  - delay: 2d\n"
        "    body: \"Bumping this up, {{first_name}}. TOKEN\"\n"
        "  - delay: 3d\n"
        "    body: \"Last note from me, {{first_name}}. TOKEN\"\n";

static const char acme_campaign[] =
        "name: Acme\n"
        "mailboxes: [alice@sender.test]\n"
        "timezone: UTC\n"
        "window: daily 08:00-18:00\ndomain_caps: off\n"
        "interval: 0s\n"
        "policies:\n"
        "  stop_on_company_reply: true\n"
        "steps:\n"
        "  - subject: \"Acme and us, {{first_name}} (TOKEN)\"\n"
        "    body: \"Hi {{first_name}}, a question about Acme. TOKEN\"\n"
        "  - delay: 2d\n"
        "    body: \"Bumping this up. TOKEN\"\n";

/* The 18 prospects of Main and the 2 of Acme. */
static const char *const full_sequence[] = {"ivan", "judy",  "ken",   "liz",   "mallory",
                                            "nina", "oscar", "peggy", "quinn", "rupert"};

static GBytes *
wait_for_step(const char *address, const char *needle)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *marked = g_strdup_printf("%s %s", needle, token);
	GBytes *message = test_lab_wait_for_text(lab, address, marked, 20000);
	if (message == NULL)
		g_error("%s never got \"%s\"", address, needle);
	return message;
}

static void
reply(const char *from, GBytes *original, const char *body, bool auto_reply)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *id = test_lab_reply(lab, from, original, body, auto_reply, &error);
	g_assert_no_error(error);
	g_assert_nonnull(id);
	/* In alice's mailbox before the next pass reads it. */
	g_autoptr(GBytes) arrived =
	        test_lab_wait_for_message(lab, "alice@sender.test", "Message-ID", id, 20000);
	g_assert_nonnull(arrived);
}

static StoreEnrollment *
enrollment(Store *store, const char *campaign_name, const char *email)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, campaign_name, &error);
	g_assert_nonnull(campaign);
	StoreEnrollment *found = store_enrollment_get(store, campaign->id, email, &error);
	g_assert_no_error(error);
	g_assert_nonnull(found);
	return found;
}

static void
assert_state(Store *store, const char *campaign, const char *email, const char *state)
{
	g_autoptr(StoreEnrollment) e = enrollment(store, campaign, email);
	if (strcmp(e->state, state) != 0)
		g_error("%s in %s: state %s (%s), expected %s", email, campaign, e->state,
		        e->reason != NULL ? e->reason : "", state);
}

/* How many messages from alice @address holds. */
static guint
from_alice(const char *address)
{
	g_autofree char *marked = g_strdup_printf("(%s)", token);
	return test_lab_count_text(test_lab_get(), address, marked);
}

static void
test_campaign_to_twenty(void)
{
	const TestLab *lab = test_lab_get();
	add_mailbox();
	g_autofree char *main_file = write_file("main.yaml", main_campaign);
	g_autofree char *acme_file = write_file("acme.yaml", acme_campaign);
	GString *csv = g_string_new("email,first_name,company\n");
	const char *early[] = {"carol", "frank", "grace", "dave", "erin", "heidi"};
	for (gsize i = 0; i < G_N_ELEMENTS(early); i++)
		g_string_append_printf(csv, "%s@prospect.test,%c%s,Prospect\n", early[i],
		                       g_ascii_toupper(early[i][0]), early[i] + 1);
	for (gsize i = 0; i < G_N_ELEMENTS(full_sequence); i++)
		g_string_append_printf(csv, "%s@prospect.test,%c%s,Prospect\n", full_sequence[i],
		                       g_ascii_toupper(full_sequence[i][0]), full_sequence[i] + 1);
	g_string_append(csv, "nobody@prospect.test,Nobody,Prospect\nx@bounce.test,X,Bounce\n");
	g_autofree char *main_csv = write_file("main.csv", csv->str);
	g_string_free(csv, TRUE);
	g_autofree char *acme_csv =
	        write_file("acme.csv", "email,first_name,company\nann@acme.test,Ann,Acme\n"
	                               "ben@acme.test,Ben,Acme\n");
	const char *create_main[] = {"campaign", "create", main_file, NULL};
	const char *create_acme[] = {"campaign", "create", acme_file, NULL};
	const char *import_main[] = {"prospects", "import", main_csv, "--campaign", "Main", NULL};
	const char *import_acme[] = {"prospects", "import", acme_csv, "--campaign", "Acme", NULL};
	const char *start_main[] = {"campaign", "start", "Main", NULL};
	const char *start_acme[] = {"campaign", "start", "Acme", NULL};
	piculet_ok(create_main);
	piculet_ok(create_acme);
	piculet_ok(import_main);
	piculet_ok(import_acme);

	/* Before the campaigns start, a pass sends nothing. */
	g_autofree char *idle = tick("2026-12-01T09:00:00Z");
	g_assert_nonnull(strstr(idle, "\"sent\":0,"));
	piculet_ok(start_main);
	piculet_ok(start_acme);

	/* Day 1, 07:00: outside the window: nothing. 09:00: every opening. */
	g_autofree char *early_pass = tick("2026-12-01T07:00:00Z");
	g_assert_nonnull(strstr(early_pass, "\"sent\":0,"));
	/* Paused by hand, the mailbox sends nothing, inside the window too,
	 * until it is resumed. */
	const char *pause[] = {"mailbox", "pause", "alice@sender.test", NULL};
	const char *resume[] = {"mailbox", "resume", "alice@sender.test", NULL};
	piculet_ok(pause);
	g_autofree char *paused_pass = tick("2026-12-01T08:30:00Z");
	g_assert_nonnull(strstr(paused_pass, "\"sent\":0,"));
	piculet_ok(resume);
	g_autofree char *day1 = tick("2026-12-01T09:00:00Z");
	g_assert_nonnull(strstr(day1, "\"sent\":19,\"failed\":1,"));

	/* The mailbox says what it waits for: step 2, two days later. */
	g_auto(TestCliRun) status = {0};
	const char *status_args[] = {"status", "--now", "2026-12-01T09:30:00Z", NULL};
	piculet(&status, status_args);
	g_assert_nonnull(strstr(status.out, "alice@sender.test: waiting: the next step is due at "
	                                    "2026-12-03T09:00:00Z"));

	/* Answers to the first step. */
	g_autoptr(GBytes) carol1 = wait_for_step("carol@prospect.test", "may I ask you something?");
	g_autoptr(GBytes) frank1 = wait_for_step("frank@prospect.test", "may I ask you something?");
	g_autoptr(GBytes) grace1 = wait_for_step("grace@prospect.test", "may I ask you something?");
	g_autoptr(GBytes) erin1 = wait_for_step("erin@prospect.test", "may I ask you something?");
	g_autoptr(GBytes) heidi1 = wait_for_step("heidi@prospect.test", "may I ask you something?");
	g_autoptr(GBytes) ann1 = wait_for_step("ann@acme.test", "a question about Acme.");
	reply("carol@prospect.test", carol1, "Sounds interesting, let's talk.", false);
	reply("frank@prospect.test", frank1, "Thanks, not now but keep in touch.", false);
	reply("grace@prospect.test", grace1, "Call me on Thursday.", false);
	reply("erin@prospect.test", erin1,
	      "Vielen Dank für Ihre Nachricht. Ich bin bis zum 09.12.2026 nicht im Büro und "
	      "ab dem 10.12.2026 wieder erreichbar.",
	      true);
	reply("heidi@prospect.test", heidi1, "Bitte keine E-Mails mehr.", false);
	/* Ann forwarded it; her colleague Cat answers in the thread. */
	reply("cat@acme.test", ann1, "Ann asked me to answer: yes, let's meet.", false);
	/* The bounce.test domain's report arrives later, as a DSN. */
	g_assert_true(test_lab_wait_for_count(lab, "alice@sender.test", token, 7, 30000));

	/* Day 3: the news is read first, then step 2 goes to who is left. */
	g_autofree char *day3 = tick("2026-12-03T09:00:00Z");
	g_assert_nonnull(strstr(day3, "\"sent\":11,"));
	g_assert_nonnull(strstr(day3, "\"replies\":4,"));
	g_assert_nonnull(strstr(day3, "\"auto_replies\":1,"));
	g_assert_nonnull(strstr(day3, "\"opt_outs\":1,"));

	/* Carol's timeline says what happened to her, in order: her opening
	 * went from alice, her reply to it stopped the sequence. */
	g_auto(TestCliRun) carol = {0};
	const char *show_carol[] = {"prospects", "show", "carol@prospect.test", NULL};
	piculet(&carol, show_carol);
	g_assert_cmpint(carol.status, ==, 0);
	const char *carol_sent =
	        strstr(carol.out, "Z sent, campaign Main, step 1, alice@sender.test");
	const char *carol_reply =
	        strstr(carol.out, "2026-12-03T09:00:00Z reply, campaign Main, step 1, "
	                          "alice@sender.test: reply from carol@prospect.test");
	g_assert_nonnull(carol_sent);
	g_assert_nonnull(carol_reply);
	g_assert_true(carol_sent < carol_reply);

	/* Dave answers step 2 before step 3 is due. */
	g_autoptr(GBytes) dave2 = wait_for_step("dave@prospect.test", "Bumping this up, Dave.");
	reply("dave@prospect.test", dave2, "OK, you got me: what is it?", false);

	g_autofree char *day6 = tick("2026-12-06T09:00:00Z");
	g_assert_nonnull(strstr(day6, "\"sent\":10,"));
	/* Erin is back on the 10th: step 2 then, step 3 three days later. */
	g_autofree char *day8 = tick("2026-12-08T09:00:00Z");
	g_assert_nonnull(strstr(day8, "\"sent\":0,"));
	/* Nothing else is due, but the mailbox is not idle: it says who waits
	 * and until when. */
	g_auto(TestCliRun) waiting = {0};
	const char *waiting_args[] = {"status", "--now", "2026-12-08T09:30:00Z", NULL};
	piculet(&waiting, waiting_args);
	g_assert_null(strstr(waiting.out, "alice@sender.test: idle"));
	g_assert_nonnull(strstr(waiting.out, "1 paused (erin@prospect.test resumes at 2026-12-"));
	g_assert_nonnull(strstr(waiting.out, "auto-reply: back on 2026-12-10"));
	g_autofree char *day10 = tick("2026-12-10T09:00:00Z");
	g_assert_nonnull(strstr(day10, "\"sent\":1,"));
	g_autofree char *day13 = tick("2026-12-13T09:00:00Z");
	g_assert_nonnull(strstr(day13, "\"sent\":1,"));
	/* Nothing is ever due again. */
	g_autofree char *day30 = tick("2026-12-30T09:00:00Z");
	g_assert_nonnull(strstr(day30, "\"sent\":0,"));

	/* The mailboxes: exactly what each should have. */
	for (gsize i = 0; i < G_N_ELEMENTS(full_sequence); i++) {
		g_autofree char *address = g_strdup_printf("%s@prospect.test", full_sequence[i]);
		g_autofree char *last_text =
		        g_strdup_printf("Last note from me, %c%s.",
		                        g_ascii_toupper(full_sequence[i][0]), full_sequence[i] + 1);
		g_autoptr(GBytes) last = wait_for_step(address, last_text);
		g_assert_cmpuint(from_alice(address), ==, 3);
		/* Threaded under the first message. */
		g_autoptr(GBytes) first = wait_for_step(address, "may I ask you something?");
		g_autofree char *first_id = test_lab_header(first, "Message-Id");
		g_autofree char *references = test_lab_header(last, "References");
		g_autofree char *subject = test_lab_header(last, "Subject");
		g_assert_nonnull(strstr(references, first_id));
		g_assert_true(g_str_has_prefix(subject, "Re: Question for "));
	}
	g_assert_cmpuint(from_alice("carol@prospect.test"), ==, 1);
	g_assert_cmpuint(from_alice("frank@prospect.test"), ==, 1);
	g_assert_cmpuint(from_alice("grace@prospect.test"), ==, 1);
	g_assert_cmpuint(from_alice("heidi@prospect.test"), ==, 1);
	g_assert_cmpuint(from_alice("dave@prospect.test"), ==, 2);
	g_assert_cmpuint(from_alice("erin@prospect.test"), ==, 3);
	g_assert_cmpuint(from_alice("ann@acme.test"), ==, 1);
	g_assert_cmpuint(from_alice("ben@acme.test"), ==, 1);
	g_assert_cmpuint(from_alice("cat@acme.test"), ==, 0);

	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db_path, &error);
	g_assert_no_error(error);
	assert_state(store, "Main", "carol@prospect.test", "replied");
	assert_state(store, "Main", "dave@prospect.test", "replied");
	assert_state(store, "Main", "heidi@prospect.test", "opted_out");
	assert_state(store, "Main", "erin@prospect.test", "completed");
	assert_state(store, "Main", "ivan@prospect.test", "completed");
	assert_state(store, "Main", "nobody@prospect.test", "bounced");
	assert_state(store, "Main", "x@bounce.test", "bounced");
	assert_state(store, "Acme", "ann@acme.test", "replied");
	assert_state(store, "Acme", "ben@acme.test", "stopped");
	bool blocked = false;
	g_assert_true(store_blacklist_blocks(store, "heidi@prospect.test", &blocked, &error));
	g_assert_true(blocked);
	g_autoptr(StoreProspect) x = store_prospect_get(store, "x@bounce.test", &error);
	g_assert_cmpstr(x->status, ==, "bounced");

	/* What people see. */
	g_auto(TestCliRun) report = {0};
	const char *report_args[] = {"report", "Main", "--json", NULL};
	piculet(&report, report_args);
	g_assert_cmpint(report.status, ==, 0);
	g_assert_nonnull(strstr(report.out,
	                        "{\"step\":1,\"sent\":17,\"replied\":3,\"auto_replied\":1,"
	                        "\"bounced\":2,\"opted_out\":1,"));
	g_assert_nonnull(strstr(report.out, "{\"step\":2,\"sent\":12,\"replied\":1,"));
	g_assert_nonnull(strstr(report.out, "{\"step\":3,\"sent\":11,\"replied\":0,"));
	/* What the replies meant (docs/classification.md). */
	g_assert_nonnull(strstr(report.out, "{\"intents\":{\"meeting\":2,\"later\":1,"
	                                    "\"needs_review\":1,\"unsubscribe\":1}}"));
	g_auto(TestCliRun) later = {0};
	const char *later_args[] = {"replies", "Main", "--intent", "later", "--json", NULL};
	piculet(&later, later_args);
	g_assert_cmpint(later.status, ==, 0);
	g_assert_nonnull(strstr(later.out, "\"prospect\":\"frank@prospect.test\""));
	g_assert_nonnull(strstr(later.out, "\"intent\":\"later\""));
	/* Frank's reply with its conversation, and a person's reading of it. */
	const char *id_at = strstr(later.out, "\"id\":");
	g_assert_nonnull(id_at);
	g_autofree char *id = g_strndup(id_at + 5, strspn(id_at + 5, "0123456789"));
	g_auto(TestCliRun) thread = {0};
	const char *thread_args[] = {"replies", "thread", id, NULL};
	piculet(&thread, thread_args);
	g_assert_cmpint(thread.status, ==, 0);
	g_assert_nonnull(strstr(thread.out, "sent step 1 (sent)"));
	g_assert_nonnull(strstr(thread.out, "from frank@prospect.test (reply, later"));
	g_auto(TestCliRun) mark = {0};
	const char *mark_args[] = {"replies", "mark", id, "interested", NULL};
	piculet(&mark, mark_args);
	g_assert_cmpint(mark.status, ==, 0);
	g_auto(TestCliRun) interested = {0};
	const char *interested_args[] = {"replies",    "Main",   "--intent",
	                                 "interested", "--json", NULL};
	piculet(&interested, interested_args);
	g_assert_nonnull(strstr(interested.out, "frank@prospect.test"));
	g_assert_null(strstr(later.out, "carol@prospect.test"));
	g_auto(TestCliRun) unknown = {0};
	const char *unknown_args[] = {"replies", "Main", "--intent", "keen", NULL};
	piculet(&unknown, unknown_args);
	g_assert_cmpint(unknown.status, !=, 0);
	g_assert_nonnull(strstr(unknown.err, "no intent \"keen\""));
	g_auto(TestCliRun) replies = {0};
	const char *replies_args[] = {"replies", "Acme", NULL};
	piculet(&replies, replies_args);
	g_assert_nonnull(strstr(replies.out, "cat@acme.test (reply, meeting) for ann@acme.test"));
	g_assert_nonnull(strstr(replies.out, "Ann asked me to answer: yes, let's meet."));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("piculet-engine-XXXXXX", NULL);
	token = g_uuid_string_random();
	db_path = test_pg_store_location(dir, "piculet");
	g_test_add_func("/engine/lab/three-steps-to-twenty-prospects", test_campaign_to_twenty);
	int status = g_test_run();
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	g_free(db_path);
	g_free(dir);
	return status;
}
