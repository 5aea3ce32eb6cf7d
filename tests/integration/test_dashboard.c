/*
 * The dashboard in a real browser: Debian's chromium, driven by
 * tests/web/dashboard.mjs (playwright-core), against a real `piculet
 * serve` on loopback and the mail lab. This side makes the database (a
 * mailbox, a 3-step campaign, a user), serves it, and plays the engine and
 * the prospect when the browser says the campaign runs: `piculet tick`
 * sends the openings, Sybil answers from her lab mailbox, a second tick
 * reads her answer; the browser must then see it arrive in the replies page
 * without a reload, mark it, and find the numbers in the report; the third
 * step, a call, leaves tasks the browser marks done. Screenshots
 * of each page land in the build tree (PICULET_WEB_SHOTS).
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define OWNER_PASSWORD "the owner's long password"

static char *dir;
static char *db;
static char *token; /* in this run's messages: the lab's mailboxes outlive a run */

static const char campaign_file[] =
        "name: Main\n"
        "mailboxes: [alice@sender.test]\n"
        "timezone: UTC\n"
        "window: daily 08:00-18:00\n"
        "domain_caps: off\n"
        "interval: 0s\n"
        "steps:\n"
        "  - subject: \"A question for {{first_name}}\"\n"
        "    body: \"Hi {{first_name}}, a question from the dashboard's test TOKEN.\"\n"
        "  - delay: 2d\n"
        "    body: \"Bumping this, {{first_name}}. TOKEN\"\n"
        "  - delay: 3d\n"
        "    task: call\n"
        "    note: \"Ask about the question TOKEN\"\n";

static char *
piculet_ok(const char *const *args)
{
	const char *env[] = {"LAB_PW", test_lab_get()->password, "USER_PW", OWNER_PASSWORD, NULL};
	g_auto(TestCliRun) run = {0};
	test_cli_run_with_db(&run, db, env, args);
	if (run.status != 0)
		g_error("piculet %s %s: exit %d: %s", args[0], args[1] != NULL ? args[1] : "",
		        run.status, run.err);
	return g_strdup(run.out);
}

static void
die_with_parent(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* The mailbox and the owner; the CSV the browser uploads (Sybil first,
 * then 199 people of the lab's catch-all domain). The campaign is typed in
 * the browser (campaign_file). */
static char *
set_up(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	const char *add[] = {"mailbox", "add", "alice@sender.test", "--smtp", smtp,
	                     "--imap",  imap,  "--password-env",    "LAB_PW", NULL};
	g_free(piculet_ok(add));
	/* The lab's public OAuth2 client (as Microsoft 365's would be), for a
	 * mailbox the page signs in. */
	g_autofree char *auth = g_strdup_printf("%s/auth", lab->oauth_issuer);
	g_autofree char *token_url = g_strdup_printf("%s/token", lab->oauth_issuer);
	g_autofree char *device = g_strdup_printf("%s/device/auth", lab->oauth_issuer);
	const char *client[] = {
	        "oauth",      "set",     "lab-public",  "--client-id", lab->oauth_public_client_id,
	        "--auth-url", auth,      "--token-url", token_url,     "--device-url",
	        device,       "--scope", "mail",        NULL};
	g_free(piculet_ok(client));
	const char *user[] = {"user",    "add",   "owner@example.test",
	                      "--role",  "owner", "--password-env",
	                      "USER_PW", NULL};
	g_free(piculet_ok(user));
	/* Columns named as a German export names them: the page maps them. */
	g_autoptr(GString) rows = g_string_new("E-Mail,Vorname,Firma,Notizen\n");
	g_string_append(rows, "sybil@prospect.test,Sybil,Prospect,met at the fair\n");
	/* Two rows the page must list as left out, with their lines. */
	g_string_append(rows, "not-an-address,Bad,Row,\n@prospect.test,Worse,Row,\n");
	for (int i = 1; i < 200; i++)
		g_string_append_printf(rows, "person%03d@%s,Person %d,Crowd,\n", i,
		                       lab->crowd_domain, i);
	char *csv = g_build_filename(dir, "people.csv", NULL);
	g_assert_true(g_file_set_contents(csv, rows->str, (gssize)rows->len, NULL));
	return csv;
}

/* `piculet serve` on the test's database; its address in *@base. */
static GSubprocess *
start_serve(char **base)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	/* The mailbox's password, for the answers sent through it. */
	const TestLab *lab = test_lab_get();
	g_subprocess_launcher_setenv(launcher, "LAB_PW", lab->password, TRUE);
	/* The mailbox checks ask the lab's DNS server, never the system's. */
	g_subprocess_launcher_setenv(launcher, "PICULET_DNS_SERVER", lab->dns_server, TRUE);
	const char *argv[] = {g_getenv("PICULET_BIN"),
	                      "serve",
	                      "--listen",
	                      "127.0.0.1:0",
	                      "--db",
	                      db,
	                      "--ca-file",
	                      lab->ca_file,
	                      NULL};
	GSubprocess *child = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	int fd = g_unix_input_stream_get_fd(
	        G_UNIX_INPUT_STREAM(g_subprocess_get_stdout_pipe(child)));
	g_autoptr(GString) out = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, out, "/api/v1\n", 10000));
	const char *url = strstr(out->str, "http://");
	g_assert_nonnull(url);
	*base = g_strndup(url, strcspn(url, "\n") - strlen("/api/v1"));
	return child;
}

/* The browser's script, its stdin and stdout ours. */
static GSubprocess *
start_browser(const char *base, const char *csv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_BASE", base, TRUE);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_EMAIL", "owner@example.test", TRUE);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_PASSWORD", OWNER_PASSWORD, TRUE);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_CSV", csv, TRUE);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_CAMPAIGN", "Main", TRUE);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_TOKEN", token, TRUE);
	g_auto(GStrv) parts = g_strsplit(campaign_file, "TOKEN", -1);
	g_autofree char *definition = g_strjoinv(token, parts);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_DEFINITION", definition, TRUE);
	const TestLab *lab = test_lab_get();
	g_autofree char *submission = g_strdup_printf("%u", lab->submission_port);
	g_autofree char *imaps = g_strdup_printf("%u", lab->imaps_port);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_LAB_SUBMISSION", submission, TRUE);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_LAB_IMAPS", imaps, TRUE);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_LAB_PASSWORD", lab->password, TRUE);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_OAUTH_ISSUER", lab->oauth_issuer, TRUE);
	const char *shots = g_getenv("PICULET_WEB_SHOTS");
	g_autofree char *own_shots = g_build_filename(dir, "screenshots", NULL);
	g_subprocess_launcher_setenv(launcher, "PICULET_WEB_SHOTS",
	                             shots != NULL ? shots : own_shots, TRUE);
	g_autofree char *script = g_test_build_filename(G_TEST_DIST, "web", "dashboard.mjs", NULL);
	const char *argv[] = {"node", script, NULL};
	GSubprocess *child = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	return child;
}

static char *
tick(const char *now)
{
	const char *args[] = {"tick", "--now",  now,         "--seed",
	                      "3",    "--json", "--ca-file", test_lab_get()->ca_file,
	                      NULL};
	return piculet_ok(args);
}

/* The number after "@name": in @json (the first). */
static gint64
count_of(const char *json, const char *name)
{
	g_autofree char *key = g_strdup_printf("\"%s\":", name);
	const char *at = strstr(json, key);
	g_assert_nonnull(at);
	return g_ascii_strtoll(at + strlen(key), NULL, 10);
}

/* How many messages of @address's Sent folder hold @needle. */
static guint
in_sent(const TestLab *lab, const char *address, const char *needle)
{
	g_autofree char *root = test_lab_maildir(lab, address);
	guint found = 0;
	const char *parts[] = {"cur", "new"};
	for (gsize i = 0; i < G_N_ELEMENTS(parts); i++) {
		g_autofree char *folder = g_build_filename(root, ".Sent", parts[i], NULL);
		g_autoptr(GDir) dir_of = g_dir_open(folder, 0, NULL);
		const char *name;
		while (dir_of != NULL && (name = g_dir_read_name(dir_of)) != NULL) {
			g_autofree char *path = g_build_filename(folder, name, NULL);
			g_autofree char *text = NULL;
			if (g_file_get_contents(path, &text, NULL, NULL) && strstr(text, needle))
				found++;
		}
	}
	return found;
}

static void
tell(GOutputStream *to_browser, const char *line)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(
	        g_output_stream_write_all(to_browser, line, strlen(line), NULL, NULL, &error));
	g_assert_true(g_output_stream_flush(to_browser, NULL, &error));
}

static void
test_dashboard(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *csv = set_up();
	g_autofree char *base = NULL;
	g_autoptr(GSubprocess) serve = start_serve(&base);
	g_autoptr(GSubprocess) browser = start_browser(base, csv);
	int from_browser = g_unix_input_stream_get_fd(
	        G_UNIX_INPUT_STREAM(g_subprocess_get_stdout_pipe(browser)));
	GOutputStream *to_browser = g_subprocess_get_stdin_pipe(browser);
	g_autoptr(GString) said = g_string_new(NULL);
	if (!test_cli_read_until(from_browser, said, "started\n", 90000))
		g_error("the browser did not start the campaign: %s", said->str);

	/* The engine sends the openings; Sybil answers; the engine reads it. */
	g_autofree char *first = tick("2026-12-01T09:00:00Z");
	gint64 sent = count_of(first, "sent");
	g_assert_cmpint(sent, >=, 1);
	g_autofree char *asked = g_strdup_printf("the dashboard's test %s", token);
	g_autoptr(GBytes) opening =
	        test_lab_wait_for_text(lab, "sybil@prospect.test", asked, 20000);
	g_assert_nonnull(opening);
	g_autoptr(GError) error = NULL;
	g_autofree char *reply_id = test_lab_reply(lab, "sybil@prospect.test", opening,
	                                           "Yes, tell me more about it.", false, &error);
	g_assert_no_error(error);
	g_autoptr(GBytes) arrived =
	        test_lab_wait_for_message(lab, "alice@sender.test", "Message-ID", reply_id, 20000);
	g_assert_nonnull(arrived);
	g_autofree char *later = tick("2026-12-01T11:00:00Z");
	g_assert_cmpint(count_of(later, "replies"), ==, 1);
	sent += count_of(later, "sent");
	tell(to_browser, "replied\n");

	/* The answer written in the browser: in Sybil's mailbox, threaded under
	 * her reply; in Alice's Sent folder; and Sybil's sequence stays stopped
	 * when the follow-ups fall due. */
	if (!test_cli_read_until(from_browser, said, "answered\n", 90000))
		g_error("the browser did not answer: %s", said->str);
	g_autofree char *answered = g_strdup_printf("a call on Thursday? %s", token);
	g_autoptr(GBytes) answer =
	        test_lab_wait_for_text(lab, "sybil@prospect.test", answered, 20000);
	g_assert_nonnull(answer);
	g_autofree char *in_reply_to = test_lab_header(answer, "In-Reply-To");
	g_assert_nonnull(in_reply_to);
	g_assert_nonnull(strstr(in_reply_to, reply_id));
	g_autofree char *subject = test_lab_header(answer, "Subject");
	g_assert_cmpstr(subject, ==, "Re: A question for Sybil");
	g_assert_cmpuint(in_sent(lab, "alice@sender.test", answered), ==, 1);
	g_autofree char *follow_ups = tick("2026-12-04T09:00:00Z");
	g_assert_cmpint(count_of(follow_ups, "sent"), >=, 1);
	g_autofree char *bumped = g_strdup_printf("Bumping this, Sybil. %s", token);
	g_assert_cmpuint(test_lab_count_text(lab, "sybil@prospect.test", bumped), ==, 0);
	g_assert_cmpuint(test_lab_count_text(lab, "sybil@prospect.test", answered), ==, 1);
	sent += count_of(follow_ups, "sent");
	/* The third step is a call for a person: a task for everyone but
	 * Sybil, whose sequence her reply stopped (the day's openings go
	 * too: 30 a day). */
	g_autofree char *calls = tick("2026-12-07T09:00:00Z");
	sent += count_of(calls, "sent");
	const char *list_tasks[] = {"tasks", "--json", NULL};
	g_autofree char *tasks = piculet_ok(list_tasks);
	g_assert_nonnull(strstr(tasks, "person001@"));
	g_assert_null(strstr(tasks, "sybil@"));
	g_autofree char *checked = g_strdup_printf("checked %" G_GINT64_FORMAT "\n", sent);
	tell(to_browser, checked);

	if (!test_cli_read_until(from_browser, said, "done\n", 90000))
		g_error("the browser did not finish: %s", said->str);
	g_assert_true(g_subprocess_wait(browser, NULL, &error));
	g_assert_true(g_subprocess_get_if_exited(browser));
	g_assert_cmpint(g_subprocess_get_exit_status(browser), ==, 0);
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(serve), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("piculet-dashboard-XXXXXX", NULL);
	db = test_pg_store_location(dir, "p");
	token = g_strdup_printf("t%" G_GINT64_FORMAT, g_get_monotonic_time());
	g_test_add_func("/dashboard/in-chromium-against-the-lab", test_dashboard);
	int status = g_test_run();
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	return status;
}
