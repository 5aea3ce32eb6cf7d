/*
 * OAuth2 sign-in against the lab's real authorization server
 * (scripts/oauth-lab, oidc-provider), whose tokens the lab's Dovecot checks
 * by introspection for IMAP and for Postfix's submission: a mailbox signed
 * in through a browser (code + PKCE, the loopback redirect) or a device
 * code; `mailbox check` over XOAUTH2; a campaign sent and stopped by a
 * reply; access tokens kept and renewed; a rotated refresh token that
 * outlives a kill -9; a revoked grant that pauses only its mailbox until a
 * new sign-in; and no token, code or secret where it must not be.
 */
#include "engine/engine_mailbox.h"
#include "engine/engine_oauth.h"
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_oauth.h"
#include "helpers/test_pg.h"
#include "imap/imap_client.h"
#include "store/store.h"

#include <curl/curl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

typedef struct {
	char *dir;
	char *db;
	char *token;   /* in this run's subjects */
	GString *seen; /* every output of piculet, searched for secrets at the end */
} Setup;

static void
setup_clear(Setup *setup)
{
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", setup->dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	g_free(setup->dir);
	g_free(setup->db);
	g_free(setup->token);
	g_string_free(setup->seen, TRUE);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Setup, setup_clear)

static void
piculet(Setup *setup, TestCliRun *run, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, "OAUTH_SECRET", lab->oauth_client_secret,
	                     NULL};
	test_cli_run_with_db(run, setup->db, env, args);
	g_string_append_printf(setup->seen, "%s\n%s\n", run->out, run->err);
}

static void
piculet_ok(Setup *setup, const char *const *args)
{
	g_auto(TestCliRun) run = {0};
	piculet(setup, &run, args);
	if (run.status != 0)
		g_error("piculet %s %s: exit %d: %s", args[0], args[1] != NULL ? args[1] : "",
		        run.status, run.err);
}

/* A database @name in @dir with the lab's two clients: "lab"
 * (confidential, like Google's) and "lab-public" (like Microsoft's). */
static void
set_up_in(Setup *setup, const char *dir, const char *name)
{
	const TestLab *lab = test_lab_get();
	setup->dir = g_strdup(dir);
	setup->db = test_pg_store_location(setup->dir, name);
	setup->token = g_uuid_string_random();
	setup->seen = g_string_new(NULL);
	g_autofree char *auth = g_strdup_printf("%s/auth", lab->oauth_issuer);
	g_autofree char *token_url = g_strdup_printf("%s/token", lab->oauth_issuer);
	g_autofree char *device = g_strdup_printf("%s/device/auth", lab->oauth_issuer);
	const char *set_lab[] = {"oauth",
	                         "set",
	                         "lab",
	                         "--client-id",
	                         lab->oauth_client_id,
	                         "--client-secret-env",
	                         "OAUTH_SECRET",
	                         "--auth-url",
	                         auth,
	                         "--token-url",
	                         token_url,
	                         "--device-url",
	                         device,
	                         "--scope",
	                         "mail",
	                         NULL};
	const char *set_public[] = {
	        "oauth",      "set",     "lab-public",  "--client-id", lab->oauth_public_client_id,
	        "--auth-url", auth,      "--token-url", token_url,     "--device-url",
	        device,       "--scope", "mail",        NULL};
	piculet_ok(setup, set_lab);
	piculet_ok(setup, set_public);
}

static void
set_up(Setup *setup)
{
	g_autofree char *dir = g_dir_make_tmp("piculet-oauth-XXXXXX", NULL);
	set_up_in(setup, dir, "piculet");
}

static void
add_mailbox(Setup *setup, const char *address, const char *client)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	const char *args[] = {"mailbox",
	                      "add",
	                      address,
	                      "--smtp",
	                      smtp,
	                      "--imap",
	                      imap,
	                      client != NULL ? "--oauth" : "--password-env",
	                      client != NULL ? client : "LAB_PW",
	                      NULL};
	piculet_ok(setup, args);
}

/* piculet @args on the setup's database, its stdout readable at *@fd. */
static GSubprocess *
start_piculet(Setup *setup, const char *const *args, int *fd)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, NULL};
	return test_cli_start(setup->db, lab->ca_file, env, args, true, fd);
}

/* The rest of @fd's output, up to its end. */
static void
read_rest(int fd, GString *seen)
{
	test_cli_read_until(fd, seen, "\x01never\x01", 20000);
}

/* `mailbox authorize @address` with the browser's part played here; the
 * authorization code the browser carried. */
static char *
authorize(Setup *setup, const char *address, const char *expect)
{
	const TestLab *lab = test_lab_get();
	int fd = -1;
	const char *args[] = {"mailbox",   "authorize", address, "--no-browser",
	                      "--timeout", "60",        NULL};
	g_autoptr(GSubprocess) child = start_piculet(setup, args, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, seen, "code_challenge_method=S256", 20000));
	const char *at = strstr(seen->str, "https://");
	g_assert_nonnull(at);
	g_autofree char *url = g_strndup(at, strcspn(at, " \r\n"));
	g_assert_nonnull(strstr(url, "code_challenge="));
	g_assert_nonnull(strstr(url, "state="));
	g_autoptr(GError) error = NULL;
	char *code = NULL;
	g_assert_true(test_oauth_browse(lab, url, address, NULL, &code, false, &error));
	g_assert_no_error(error);
	g_assert_nonnull(code);
	read_rest(fd, seen);
	g_assert_true(g_subprocess_wait(child, NULL, &error));
	g_string_append(setup->seen, seen->str);
	if (!g_subprocess_get_if_exited(child))
		g_error("authorize %s: ended by signal %d: %s", address,
		        g_subprocess_get_term_sig(child), seen->str);
	if (g_subprocess_get_exit_status(child) != 0 || strstr(seen->str, expect) == NULL)
		g_error("authorize %s: exit %d: %s", address, g_subprocess_get_exit_status(child),
		        seen->str);
	return code;
}

/* A database with alice's mailbox signed in through the client "lab". */
static const char *
set_up_signed_in(Setup *setup)
{
	set_up(setup);
	add_mailbox(setup, "alice@sender.test", "lab");
	g_free(authorize(setup, "alice@sender.test", "signed in"));
	return "alice@sender.test";
}

static guint
count_in_file(const char *path, const char *needle)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	guint n = 0;
	for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle))
		n++;
	return n;
}

static void
write_campaign(Setup *setup, const char *name, const char *mailbox, const char *email)
{
	g_autofree char *yaml =
	        g_strdup_printf("name: %s\nmailboxes: [%s]\ntimezone: UTC\nwindow: daily "
	                        "08:00-18:00\ndomain_caps: off\n"
	                        "interval: 0s\nsteps:\n"
	                        "  - subject: \"%s %s\"\n    body: \"Hello there. %s\"\n"
	                        "  - delay: 2d\n    body: \"Again. %s\"\n",
	                        name, mailbox, name, setup->token, setup->token, setup->token);
	g_autofree char *yaml_path = g_strdup_printf("%s/%s.yaml", setup->dir, name);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	g_autofree char *csv = g_strdup_printf("email,first_name\n%s,P\n", email);
	g_autofree char *csv_path = g_strdup_printf("%s/%s.csv", setup->dir, name);
	g_assert_true(g_file_set_contents(csv_path, csv, -1, NULL));
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects", "import", csv_path, "--campaign", name, NULL};
	const char *start[] = {"campaign", "start", name, NULL};
	piculet_ok(setup, create);
	piculet_ok(setup, import);
	piculet_ok(setup, start);
}

static void
tick(Setup *setup, const char *now)
{
	const TestLab *lab = test_lab_get();
	const char *args[] = {"tick", "--now", now, "--ca-file", lab->ca_file, NULL};
	piculet_ok(setup, args);
}

static char *
enrollment_state(Setup *setup, const char *campaign_name, const char *email)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(setup->db, &error);
	g_assert_no_error(error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, campaign_name, &error);
	g_assert_nonnull(campaign);
	g_autoptr(StoreEnrollment) e = store_enrollment_get(store, campaign->id, email, &error);
	g_assert_nonnull(e);
	return g_strdup(e->state);
}

static GBytes *
sealed_secret(Setup *setup, const char *address)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(setup->db, &error);
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) m = store_mailbox_get(store, address, &error);
	g_assert_nonnull(m);
	return m->secret_sealed != NULL ? g_bytes_ref(m->secret_sealed) : NULL;
}

/* No @secret in the database's files nor in anything piculet printed. */
static void
assert_nowhere(Setup *setup, const char *what, const char *secret)
{
	if (strstr(setup->seen->str, secret) != NULL)
		g_error("%s found in piculet's output", what);
	const char *suffixes[] = {"", "-wal", "-journal"};
	for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		g_autofree char *path = g_strdup_printf("%s%s", setup->db, suffixes[i]);
		gchar *bytes = NULL;
		gsize length = 0;
		if (!g_file_get_contents(path, &bytes, &length, NULL))
			continue;
		bool found = memmem(bytes, length, secret, strlen(secret)) != NULL;
		g_free(bytes);
		if (found)
			g_error("%s found in %s", what, path);
	}
}

static void
test_code_flow_check_campaign_and_secrets(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	set_up(&setup);
	const char *alice = "alice@sender.test";
	add_mailbox(&setup, alice, "lab");

	/* Before the sign-in: a check says what to run. */
	g_auto(TestCliRun) early = {0};
	const char *check[] = {"mailbox",   "check",      alice, "--no-dns",
	                       "--ca-file", lab->ca_file, NULL};
	piculet(&setup, &early, check);
	g_assert_cmpint(early.status, ==, 77);
	g_assert_nonnull(strstr(early.err, "not signed in yet: piculet mailbox authorize "
	                                   "alice@sender.test"));

	g_autofree char *code = authorize(&setup, alice, "mailbox alice@sender.test signed in");

	/* Both servers take the token: Dovecot logs the mechanism of each
	 * login, Postfix (through Dovecot SASL) that of each message taken. */
	guint imap_before =
	        count_in_file(lab->dovecot_log, "user=<alice@sender.test>, method=XOAUTH2");
	guint smtp_before = count_in_file(lab->postfix_log,
	                                  "sasl_method=XOAUTH2, sasl_username=alice@sender.test");
	g_auto(TestCliRun) checked = {0};
	const char *check_trace[] = {"mailbox", "check",     alice,        "--no-dns",
	                             "--trace", "--ca-file", lab->ca_file, NULL};
	piculet(&setup, &checked, check_trace);
	if (checked.status != 0)
		g_error("check: exit %d: %s %s", checked.status, checked.out, checked.err);
	g_assert_nonnull(strstr(checked.out, "sign-in: OAuth2 (client lab)"));
	g_assert_nonnull(strstr(checked.err, "AUTH XOAUTH2 (credentials hidden)"));
	g_assert_cmpuint(
	        count_in_file(lab->dovecot_log, "user=<alice@sender.test>, method=XOAUTH2"), >,
	        imap_before);

	/* A campaign goes out over the token, and a reply stops it. */
	write_campaign(&setup, "O1", alice, "carol@prospect.test");
	tick(&setup, "2026-12-01T09:00:00Z");
	g_autofree char *subject = g_strdup_printf("O1 %s", setup.token);
	g_autoptr(GBytes) first =
	        test_lab_wait_for_message(lab, "carol@prospect.test", "Subject", subject, 20000);
	g_assert_nonnull(first);
	g_assert_cmpuint(count_in_file(lab->postfix_log,
	                               "sasl_method=XOAUTH2, sasl_username=alice@sender.test"),
	                 >, smtp_before);
	g_autoptr(GError) error = NULL;
	g_autofree char *reply_id = test_lab_reply(lab, "carol@prospect.test", first,
	                                           "Sounds good, let us talk.", false, &error);
	g_assert_no_error(error);
	g_autoptr(GBytes) arrived =
	        test_lab_wait_for_message(lab, alice, "Message-ID", reply_id, 20000);
	g_assert_nonnull(arrived);
	tick(&setup, "2026-12-03T09:00:00Z");
	g_autofree char *state = enrollment_state(&setup, "O1", "carol@prospect.test");
	g_assert_cmpstr(state, ==, "replied");
	g_assert_cmpuint(test_lab_count_text(lab, "carol@prospect.test", setup.token), ==, 1);

	/* Nothing secret where it must not be: the tokens the server holds
	 * for alice now, the code the browser carried, the client secret. */
	g_autoptr(GPtrArray) tokens = test_oauth_lab_tokens(lab, alice);
	g_assert_cmpuint(tokens->len, >, 0);
	for (guint i = 0; i < tokens->len; i++)
		assert_nowhere(&setup, "a token", tokens->pdata[i]);
	assert_nowhere(&setup, "the authorization code", code);
	assert_nowhere(&setup, "the client secret", lab->oauth_client_secret);
}

static void
test_rotation_outlives_kill_and_revocation_pauses(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	set_up(&setup);
	const char *alice = "alice@sender.test";
	add_mailbox(&setup, alice, "lab");
	add_mailbox(&setup, "bob@sender.test", NULL);
	g_free(authorize(&setup, alice, "signed in"));
	write_campaign(&setup, "O2", alice, "dave@prospect.test");
	write_campaign(&setup, "O3", "bob@sender.test", "erin@prospect.test");

	/* A check renews alice's token (the server rotates the refresh token);
	 * once the new one is stored, while it still logs in, kill -9. */
	g_autoptr(GBytes) before = sealed_secret(&setup, alice);
	int fd = -1;
	const char *check_args[] = {"mailbox", "check", alice, "--no-dns", NULL};
	g_autoptr(GSubprocess) check = start_piculet(&setup, check_args, &fd);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	bool rotated = false;
	while (!rotated && g_get_monotonic_time() < deadline) {
		g_autoptr(GBytes) now = sealed_secret(&setup, alice);
		rotated = now != NULL && !g_bytes_equal(now, before);
		if (!rotated)
			g_usleep(2000); /* polling the database: there is no event to wait on */
	}
	g_subprocess_force_exit(check);
	g_autoptr(GError) error = NULL;
	g_assert_true(g_subprocess_wait(check, NULL, &error));
	if (!rotated) {
		g_autoptr(GString) said = g_string_new(NULL);
		test_cli_read_until(fd, said, "\x01never\x01", 1000);
		g_error("the check never renewed the token: %s", said->str);
	}
	/* The old refresh token is dead at the server (its reuse would revoke
	 * the whole grant): the tick works only with the one kept. */
	tick(&setup, "2026-12-01T10:00:00Z");
	g_autofree char *dave = enrollment_state(&setup, "O2", "dave@prospect.test");
	g_assert_cmpstr(dave, ==, "active");
	g_autofree char *subject = g_strdup_printf("O2 %s", setup.token);
	g_autoptr(GBytes) first =
	        test_lab_wait_for_message(lab, "dave@prospect.test", "Subject", subject, 20000);
	g_assert_nonnull(first);

	/* The person revokes piculet's access: alice pauses with the words
	 * that say what to do; bob goes on. */
	test_oauth_lab_end(lab, "revoke", alice);
	tick(&setup, "2026-12-03T12:00:00Z");
	g_auto(TestCliRun) shown = {0};
	const char *show[] = {"mailbox", "show", alice, NULL};
	piculet(&setup, &shown, show);
	g_assert_nonnull(strstr(
	        shown.out, "paused: sign in again: piculet mailbox authorize alice@sender.test"));
	g_assert_cmpuint(test_lab_count_text(lab, "dave@prospect.test", setup.token), ==, 1);
	g_assert_true(test_lab_wait_for_count(lab, "erin@prospect.test", setup.token, 2, 20000));

	/* A new sign-in resumes it, and the sequence goes on. */
	g_free(authorize(&setup, alice, "signed in and resumed"));
	tick(&setup, "2026-12-03T13:00:00Z");
	g_assert_true(test_lab_wait_for_count(lab, "dave@prospect.test", setup.token, 2, 20000));
}

/* Lines of the authorization server's log that contain @needle, waited
 * for until there are @count (or 20 s pass). */
static bool
wait_for_log(const TestLab *lab, const char *needle, guint count)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (test_oauth_log_count(lab, needle) < count) {
		if (g_get_monotonic_time() > deadline)
			return false;
		g_usleep(2000); /* polling the server's log: there is no event to wait on */
	}
	return true;
}

/* The exit of @child, its output after @seen (all of it in @seen). */
static int
finish(GSubprocess *child, int fd, GString *seen)
{
	read_rest(fd, seen);
	g_autoptr(GError) error = NULL;
	g_assert_true(g_subprocess_wait(child, NULL, &error));
	g_assert_true(g_subprocess_get_if_exited(child));
	return g_subprocess_get_exit_status(child);
}

/* Token requests held at the server from now (test_oauth_lab_hold_tokens);
 * `mailbox check @address` started, and waited for until its request is
 * held. Its output at *@fd. */
static GSubprocess *
start_held_check(Setup *setup, const char *address, int *fd)
{
	const TestLab *lab = test_lab_get();
	guint held = test_oauth_log_count(lab, "POST /token held");
	test_oauth_lab_hold_tokens(lab, true);
	const char *args[] = {"mailbox", "check", address, "--no-dns", NULL};
	GSubprocess *check = start_piculet(setup, args, fd);
	if (!wait_for_log(lab, "POST /token held", held + 1)) {
		test_oauth_lab_hold_tokens(lab, false);
		g_autoptr(GString) said = g_string_new(NULL);
		finish(check, *fd, said);
		g_error("the check's token request never reached the server: %s", said->str);
	}
	return check;
}

/* `mailbox check @address` passes (@when says when, if not). */
static void
check_passes(Setup *setup, const char *address, const char *when)
{
	const TestLab *lab = test_lab_get();
	g_auto(TestCliRun) run = {0};
	const char *args[] = {"mailbox",   "check",      address, "--no-dns",
	                      "--ca-file", lab->ca_file, NULL};
	piculet(setup, &run, args);
	if (run.status != 0)
		g_error("a check %s: exit %d: %s", when, run.status, run.err);
}

/* The lab's server, like many, ends the whole grant when a rotated refresh
 * token is used a second time. Two processes that renew alice's token at
 * once take turns: the second waits while the first's request is held at
 * the server, then renews with the token the first saved; and an engine
 * whose copy of the mailbox predates both renews with the stored token,
 * not its own. The grant outlives all three. */
static void
test_two_renewals_at_once_take_turns(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	const char *alice = set_up_signed_in(&setup);
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(setup.db, &error);
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) stale = store_mailbox_get(store, alice, &error);
	g_assert_nonnull(stale);
	guint refused = test_oauth_log_count(lab, "token refused: refresh_token");
	guint held = test_oauth_log_count(lab, "POST /token held");

	int first_fd = -1;
	g_autoptr(GSubprocess) first = start_held_check(&setup, alice, &first_fd);
	g_autoptr(GString) first_said = g_string_new(NULL);
	const char *check_args[] = {"mailbox", "check", alice, "--no-dns", NULL};
	int second_fd = -1;
	g_autoptr(GSubprocess) second = start_piculet(&setup, check_args, &second_fd);
	g_autoptr(GString) second_said = g_string_new(NULL);
	bool waited = test_cli_read_until(second_fd, second_said,
	                                  "alice@sender.test: another process is renewing its "
	                                  "OAuth2 token; waiting for it",
	                                  20000);
	test_oauth_lab_hold_tokens(lab, false);
	int first_status = finish(first, first_fd, first_said);
	int second_status = finish(second, second_fd, second_said);
	g_string_append_printf(setup.seen, "%s\n%s\n", first_said->str, second_said->str);
	if (!waited)
		g_error("the second check did not wait for the first (exit %d): %s", second_status,
		        second_said->str);
	if (first_status != 0 || second_status != 0)
		g_error("checks: exit %d and %d: %s / %s", first_status, second_status,
		        first_said->str, second_said->str);
	g_assert_cmpuint(test_oauth_log_count(lab, "POST /token held"), ==, held + 1);

	/* Renewed twice since it was read: the stale copy's token is long
	 * dead, the stored one is what goes. */
	g_autoptr(BaseSecret) access =
	        engine_oauth_access_token(store, stale, lab->ca_file, 0, NULL, true, &error);
	g_assert_no_error(error);
	g_assert_nonnull(access);
	g_autoptr(GBytes) stored = sealed_secret(&setup, alice);
	g_assert_true(g_bytes_equal(stored, stale->secret_sealed));

	g_assert_cmpuint(test_oauth_log_count(lab, "token refused: refresh_token"), ==, refused);
	check_passes(&setup, alice, "after");
}

/* A sign-in while a renewal is on its way (the person signs in again, or
 * edits the mailbox, as the engine renews): the server rotates the older
 * grant's token, and that token is not saved over the newer sign-in. */
static void
test_sign_in_during_a_renewal_is_kept(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	const char *alice = set_up_signed_in(&setup);
	/* alice's sign-in of now, made beside (the same key seals it). */
	g_auto(Setup) beside = {0};
	set_up_in(&beside, setup.dir, "beside");
	add_mailbox(&beside, alice, "lab");
	g_free(authorize(&beside, alice, "signed in"));
	g_autoptr(GBytes) newer = sealed_secret(&beside, alice);

	int fd = -1;
	g_autoptr(GSubprocess) check = start_held_check(&setup, alice, &fd);
	g_autoptr(GString) said = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(setup.db, &error);
	g_assert_no_error(error);
	bool found = false;
	g_assert_true(store_mailbox_set_secret(store, alice, "oauth:lab", newer, &found, &error));
	g_assert_true(found);
	test_oauth_lab_hold_tokens(lab, false);
	int status = finish(check, fd, said);
	g_string_append(setup.seen, said->str);
	if (status != 0)
		g_error("the check: exit %d: %s", status, said->str);
	g_autoptr(GBytes) stored = sealed_secret(&setup, alice);
	if (!g_bytes_equal(stored, newer))
		g_error("the newer sign-in was saved over: %s", said->str);
	g_assert_nonnull(strstr(said->str, "alice@sender.test: its sign-in changed while its "
	                                   "token was renewed; the new sign-in is kept"));
	check_passes(&setup, alice, "with the newer sign-in");
}

/* Where a desktop is (DISPLAY set, no --no-browser), `mailbox authorize`
 * opens the browser itself: xdg-open is given the authorization URL it
 * printed, as its one argument (no shell between). The desktop's xdg-open
 * is played by a script that writes down what it was given; the browser's
 * part then follows that URL to the end. */
static void
test_browser_opened_with_xdg_open(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	set_up(&setup);
	const char *alice = "alice@sender.test";
	add_mailbox(&setup, alice, "lab");
	g_autofree char *bin = g_build_filename(setup.dir, "bin", NULL);
	g_assert_cmpint(g_mkdir(bin, 0700), ==, 0);
	g_autofree char *opener = g_build_filename(bin, "xdg-open", NULL);
	g_autofree char *record = g_build_filename(setup.dir, "opened", NULL);
	g_autofree char *script =
	        g_strdup_printf("#!/bin/sh\nprintf '%%s\\n%%s\\n' \"$#\" \"$1\" > '%s.part'\n"
	                        "mv '%s.part' '%s'\n",
	                        record, record, record);
	g_assert_true(g_file_set_contents(opener, script, -1, NULL));
	g_assert_cmpint(g_chmod(opener, 0700), ==, 0);
	g_autofree char *path = g_strdup_printf("%s:%s", bin, g_getenv("PATH"));
	const char *env[] = {"LAB_PW", lab->password, "DISPLAY", ":7", "PATH", path, NULL};
	const char *args[] = {"mailbox", "authorize", alice, "--timeout", "60", NULL};
	int fd = -1;
	g_autoptr(GSubprocess) child = test_cli_start(setup.db, lab->ca_file, env, args, true, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, seen, "code_challenge_method=S256", 20000));
	const char *at = strstr(seen->str, "https://");
	g_assert_nonnull(at);
	g_autofree char *printed = g_strndup(at, strcspn(at, " \r\n"));
	/* The opener runs on its own: its record is there within moments. */
	g_autofree char *opened = NULL;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (!g_file_get_contents(record, &opened, NULL, NULL) &&
	       g_get_monotonic_time() < deadline)
		g_usleep(20 * 1000);
	g_assert_nonnull(opened);
	g_auto(GStrv) lines = g_strsplit(opened, "\n", -1);
	g_assert_cmpstr(lines[0], ==, "1");
	g_assert_cmpstr(lines[1], ==, printed);
	g_autoptr(GError) error = NULL;
	g_autofree char *code = NULL;
	g_assert_true(test_oauth_browse(lab, lines[1], alice, NULL, &code, false, &error));
	g_assert_no_error(error);
	read_rest(fd, seen);
	g_assert_true(g_subprocess_wait(child, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(child), ==, 0);
	g_assert_nonnull(strstr(seen->str, "mailbox alice@sender.test signed in"));
}

static void
test_device_grant_public_client(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	set_up(&setup);
	const char *bob = "bob@sender.test";
	add_mailbox(&setup, bob, "lab-public");
	int fd = -1;
	const char *args[] = {"mailbox", "authorize", bob, "--device", "--timeout", "60", NULL};
	g_autoptr(GSubprocess) child = start_piculet(&setup, args, &fd);
	g_autoptr(GString) seen = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, seen, "(or open", 20000));
	const char *open = strstr(seen->str, "open ");
	const char *code = strstr(seen->str, "enter the code ");
	g_assert_nonnull(open);
	g_assert_nonnull(code);
	g_autofree char *uri = g_strndup(open + 5, strcspn(open + 5, " \n"));
	g_autofree char *user_code = g_strndup(code + 15, strcspn(code + 15, " \n"));
	g_autoptr(GError) error = NULL;
	g_assert_true(test_oauth_browse(lab, uri, bob, user_code, NULL, false, &error));
	g_assert_no_error(error);
	read_rest(fd, seen);
	g_assert_true(g_subprocess_wait(child, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(child), ==, 0);
	g_assert_nonnull(strstr(seen->str, "mailbox bob@sender.test signed in"));
	const char *check[] = {"mailbox",   "check",      bob, "--no-dns",
	                       "--ca-file", lab->ca_file, NULL};
	piculet_ok(&setup, check);
}

/* The engine's token keeping, against the real server: one token request
 * while the token lasts, a new one when it is about to end, and a token the
 * server no longer takes refused by Dovecot with its reasons, then renewed. */
static void
test_access_token_kept_and_renewed(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	const char *alice = set_up_signed_in(&setup);

	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(setup.db, &error);
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) mailbox = store_mailbox_get(store, alice, &error);
	g_assert_nonnull(mailbox);
	EngineOauthCache cache = {0};
	guint issued = test_oauth_log_count(lab, "token issued: refresh_token");
	g_autoptr(BaseSecret) first =
	        engine_oauth_access_token(store, mailbox, lab->ca_file, 0, &cache, false, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(test_oauth_log_count(lab, "token issued: refresh_token"), ==, issued + 1);
	g_autoptr(BaseSecret) again =
	        engine_oauth_access_token(store, mailbox, lab->ca_file, 0, &cache, false, &error);
	g_assert_cmpstr(base_secret_get(again), ==, base_secret_get(first));
	g_assert_cmpuint(test_oauth_log_count(lab, "token issued: refresh_token"), ==, issued + 1);
	g_assert_cmpuint(cache.refreshes, ==, 1);

	/* About to end: renewed before it is used. */
	cache.expires_at_us =
	        g_get_monotonic_time() + (gint64)(ENGINE_OAUTH_EARLY_S - 60) * G_USEC_PER_SEC;
	g_autoptr(BaseSecret) renewed =
	        engine_oauth_access_token(store, mailbox, lab->ca_file, 0, &cache, false, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(base_secret_get(renewed), !=, base_secret_get(first));
	g_assert_cmpuint(cache.refreshes, ==, 2);

	/* Ended at the server before its time: the login is refused with the
	 * server's reasons; renewing (what the engine does once) works. */
	test_oauth_lab_end(lab, "expire", alice);
	NetTlsOptions tls_options = {.ca_file = lab->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	g_assert_nonnull(tls);
	g_autoptr(BaseSecret) cached =
	        engine_oauth_access_token(store, mailbox, lab->ca_file, 0, &cache, false, &error);
	ImapClient *refused = engine_mailbox_open_imap(mailbox, cached, true, tls, -1, &error);
	g_assert_null(refused);
	g_assert_error(error, IMAP_ERROR, IMAP_ERROR_AUTH);
	g_assert_nonnull(strstr(error->message, "refused the token (status"));
	g_clear_error(&error);
	g_autoptr(BaseSecret) fresh =
	        engine_oauth_access_token(store, mailbox, lab->ca_file, 0, &cache, true, &error);
	g_assert_no_error(error);
	g_autoptr(ImapClient) imap =
	        engine_mailbox_open_imap(mailbox, fresh, true, tls, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(imap);
	imap_client_logout(imap);
	engine_oauth_cache_clear(&cache);
}

/* Presets: the provider's servers, security and daily limit, and OAuth2
 * through the client of its name; the provider read off the domain's MX
 * when nothing says where the mailbox is. No server of theirs is asked. */
static void
test_provider_presets_and_mx_guess(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	set_up(&setup);
	const char *google[] = {"oauth", "set", "google", "--client-id", "1234.apps.example", NULL};
	piculet_ok(&setup, google);
	const char *microsoft[] = {"oauth", "set", "microsoft", "--client-id", "0000-1111", NULL};
	piculet_ok(&setup, microsoft);

	g_auto(TestCliRun) guessed = {0};
	const char *add_guess[] = {"mailbox",      "add",           "ann@gsuite.test",
	                           "--dns-server", lab->dns_server, NULL};
	piculet(&setup, &guessed, add_guess);
	g_assert_cmpint(guessed.status, ==, 0);
	g_assert_nonnull(strstr(guessed.out, "provider: google (from the MX of gsuite.test)"));
	g_assert_nonnull(strstr(guessed.out, "now sign it in: piculet mailbox authorize "
	                                     "ann@gsuite.test"));
	const char *add_m365[] = {"mailbox",    "add",       "ben@m365.test",
	                          "--provider", "microsoft", "--daily-cap",
	                          "40",         NULL};
	piculet_ok(&setup, add_m365);
	g_auto(TestCliRun) listed = {0};
	const char *list[] = {"mailbox", "list", NULL};
	piculet(&setup, &listed, list);
	g_assert_nonnull(strstr(listed.out, "ann@gsuite.test\t\tsmtp smtp.gmail.com:465 tls\timap "
	                                    "imap.gmail.com:993 tls\tpassword oauth:google\tcap "
	                                    "2000/day"));
	g_assert_nonnull(strstr(listed.out, "ben@m365.test\t\tsmtp smtp.office365.com:587 starttls"
	                                    "\timap outlook.office365.com:993 tls\tpassword "
	                                    "oauth:microsoft\tcap 40/day"));

	/* Nothing to go by: said plainly. */
	g_auto(TestCliRun) unknown = {0};
	const char *add_unknown[] = {"mailbox",      "add",           "cy@prospect.test",
	                             "--dns-server", lab->dns_server, NULL};
	piculet(&setup, &unknown, add_unknown);
	g_assert_cmpint(unknown.status, ==, 64);
	g_assert_nonnull(strstr(unknown.err, "names no provider piculet knows; give --smtp and "
	                                     "--imap, or --provider"));
	/* Google has no device sign-in for mail: said before anything is sent. */
	g_auto(TestCliRun) device = {0};
	const char *authorize_device[] = {"mailbox", "authorize", "ann@gsuite.test", "--device",
	                                  NULL};
	piculet(&setup, &device, authorize_device);
	g_assert_cmpint(device.status, !=, 0);
	g_assert_nonnull(strstr(device.err, "this provider has no device sign-in for mail"));
}

/* A token the servers refuse although it should still be good (ended
 * early): renewed once and tried again, at the IMAP login and at the SMTP
 * login of a pass, and no send fails for it. */
static void
test_refused_token_renewed_without_a_failed_send(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	const char *alice = set_up_signed_in(&setup);
	write_campaign(&setup, "O6", alice, "frank@prospect.test");
	guint refused = test_oauth_log_count(lab, "refused by the lab");
	guint issued = test_oauth_log_count(lab, "token issued: refresh_token");

	/* The first check of the pass (its IMAP login) says no. */
	test_oauth_lab_refuse(lab, alice, 0, 1);
	tick(&setup, "2026-12-01T09:00:00Z");
	g_assert_cmpuint(test_oauth_log_count(lab, "refused by the lab"), ==, refused + 1);
	g_assert_cmpuint(test_oauth_log_count(lab, "token issued: refresh_token"), ==, issued + 2);
	g_assert_true(test_lab_wait_for_count(lab, "frank@prospect.test", setup.token, 1, 20000));

	/* The second (its SMTP login) says no. */
	test_oauth_lab_refuse(lab, alice, 1, 1);
	tick(&setup, "2026-12-03T09:00:00Z");
	g_assert_cmpuint(test_oauth_log_count(lab, "refused by the lab"), ==, refused + 2);
	g_assert_true(test_lab_wait_for_count(lab, "frank@prospect.test", setup.token, 2, 20000));
	g_autofree char *state = enrollment_state(&setup, "O6", "frank@prospect.test");
	g_assert_cmpstr(state, ==, "completed");
	g_auto(TestCliRun) shown = {0};
	const char *show[] = {"mailbox", "show", alice, NULL};
	piculet(&setup, &shown, show);
	g_assert_null(strstr(shown.out, "paused"));
}

static size_t
collect(char *data, size_t size, size_t count, void *user_data)
{
	g_string_append_len(user_data, data, (gssize)(size * count));
	return size * count;
}

/* @method of @path with @key (or none: NULL) and @body (JSON, or NULL:
 * none); its status in *@status, its body returned; no redirect followed
 * (*@location, when asked: where one points). */
static char *
exchange(const char *base, const char *method, const char *path, const char *key, const char *body,
         long *status, char **location)
{
	CURL *curl = curl_easy_init();
	g_autofree char *url = g_strdup_printf("%s%s", base, path);
	g_autofree char *auth = g_strdup_printf("Authorization: Bearer %s", key);
	struct curl_slist *headers = NULL;
	if (body != NULL && body[0] != '\0')
		headers = curl_slist_append(headers, "Content-Type: application/json");
	if (key != NULL)
		headers = curl_slist_append(headers, auth);
	GString *answer = g_string_new(NULL);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	if (body != NULL)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	g_assert_cmpint(curl_easy_perform(curl), ==, CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	if (location != NULL) {
		char *where = NULL;
		curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &where);
		*location = g_strdup(where);
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return g_string_free(answer, FALSE);
}

/* An API request with @key and no body; its status in *@status, its body
 * returned. */
static char *
api(const char *base, const char *method, const char *path, const char *key, long *status)
{
	return exchange(base, method, path, key, strcmp(method, "POST") == 0 ? "" : NULL, status,
	                NULL);
}

static char *
json_field(const char *text, const char *name)
{
	json_t *object = json_loads(text, 0, NULL);
	g_assert_nonnull(object);
	char *value = g_strdup(json_string_value(json_object_get(object, name)));
	json_decref(object);
	return value;
}

/* Through the API (a server has no browser): the device grant, its code in
 * the answer, followed until signed in; a pause for want of a sign-in
 * ends; a provider without a device grant is said plainly. */
static void
test_sign_in_through_the_api(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	set_up(&setup);
	const char *bob = "bob@sender.test";
	add_mailbox(&setup, bob, "lab-public");
	/* Paused for want of a sign-in, as the engine leaves it. */
	write_campaign(&setup, "O7", bob, "grace@prospect.test");
	tick(&setup, "2026-12-01T09:00:00Z");
	g_auto(TestCliRun) paused = {0};
	const char *show[] = {"mailbox", "show", bob, NULL};
	piculet(&setup, &paused, show);
	g_assert_nonnull(
	        strstr(paused.out, "paused: not signed in yet: piculet mailbox authorize bob@"));
	g_auto(TestCliRun) key_run = {0};
	const char *make_key[] = {"apikey", "create", "board", NULL};
	piculet(&setup, &key_run, make_key);
	g_autofree char *key = g_strstrip(g_strdup(key_run.out));
	g_assert_true(g_str_has_prefix(key, "pk_"));

	int fd = -1;
	const char *serve_args[] = {"serve", "--listen", "127.0.0.1:0", NULL};
	g_autoptr(GSubprocess) serve = start_piculet(&setup, serve_args, &fd);
	g_autoptr(GString) out = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, out, "/api/v1\n", 10000));
	const char *url = strstr(out->str, "http://");
	g_autofree char *base = g_strndup(url, strcspn(url, "\n") - strlen("/api/v1"));

	long status = 0;
	g_autofree char *none =
	        api(base, "GET", "/api/v1/mailboxes/bob%40sender.test/authorize", key, &status);
	g_assert_cmpint(status, ==, 404);
	g_assert_nonnull(strstr(none, "no sign-in of this mailbox was started"));
	g_autofree char *started =
	        api(base, "POST", "/api/v1/mailboxes/bob%40sender.test/authorize", key, &status);
	g_assert_cmpint(status, ==, 202);
	g_autofree char *state = json_field(started, "state");
	g_assert_cmpstr(state, ==, "pending");
	g_autofree char *user_code = json_field(started, "user_code");
	g_autofree char *uri = json_field(started, "verification_uri");
	g_assert_nonnull(user_code);
	/* Asked again while pending: the same code. */
	g_autofree char *again =
	        api(base, "POST", "/api/v1/mailboxes/bob%40sender.test/authorize", key, &status);
	g_assert_cmpint(status, ==, 202);
	g_autofree char *same = json_field(again, "user_code");
	g_assert_cmpstr(same, ==, user_code);

	g_autoptr(GError) error = NULL;
	g_assert_true(test_oauth_browse(lab, uri, bob, user_code, NULL, false, &error));
	g_assert_no_error(error);
	/* The server polls at the device grant's interval (5 s): followed
	 * here with a deadline. */
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	g_autofree char *now = NULL;
	for (;;) {
		g_free(now);
		now = api(base, "GET", "/api/v1/mailboxes/bob%40sender.test/authorize", key,
		          &status);
		g_assert_cmpint(status, ==, 200);
		if (strstr(now, "\"signed_in\"") != NULL || g_get_monotonic_time() > deadline)
			break;
		g_usleep(200000); /* polling the API, as a dashboard would */
	}
	g_assert_nonnull(strstr(now, "\"state\":\"signed_in\""));
	g_assert_nonnull(strstr(now, "\"resumed\":true"));
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
	const char *check_bob[] = {"mailbox",   "check",      bob, "--no-dns",
	                           "--ca-file", lab->ca_file, NULL};
	piculet_ok(&setup, check_bob);
}

/* POST of JSON @body to @path, or GET with @body NULL; no redirect
 * followed (*@location: where one points). */
static char *
request(const char *base, const char *path, const char *key, const char *body, long *status,
        char **location)
{
	return exchange(base, body != NULL ? "POST" : "GET", path, key, body, status, location);
}

/* The dashboard's sign-in: the code flow in the browser that asks, the
 * provider coming back to piculet serve's own /oauth/callback (Google has
 * no device grant for mail). A place to come back to that is not ours is
 * refused; the callback works once; the mailbox then checks out over
 * XOAUTH2. */
static void
test_sign_in_in_the_browser_through_the_api(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	set_up(&setup);
	const char *alice = "alice@sender.test";
	add_mailbox(&setup, alice, "lab");
	g_auto(TestCliRun) key_run = {0};
	const char *make_key[] = {"apikey", "create", "board", NULL};
	piculet(&setup, &key_run, make_key);
	g_autofree char *key = g_strstrip(g_strdup(key_run.out));
	int fd = -1;
	const char *serve_args[] = {"serve",     "--listen",   "127.0.0.1:0",
	                            "--ca-file", lab->ca_file, NULL};
	g_autoptr(GSubprocess) serve = start_piculet(&setup, serve_args, &fd);
	g_autoptr(GString) out = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, out, "/api/v1\n", 10000));
	const char *url = strstr(out->str, "http://");
	g_autofree char *base = g_strndup(url, strcspn(url, "\n") - strlen("/api/v1"));
	const char *path = "/api/v1/mailboxes/alice%40sender.test/authorize";

	long status = 0;
	g_autofree char *elsewhere = request(
	        base, path, key, "{\"redirect_uri\": \"http://evil.example/oauth/callback\"}",
	        &status, NULL);
	g_assert_cmpint(status, ==, 422);
	g_assert_nonnull(strstr(elsewhere, "is no place to come back to"));
	g_autofree char *body = g_strdup_printf("{\"redirect_uri\": \"%s/oauth/callback\"}", base);
	g_autofree char *started = request(base, path, key, body, &status, NULL);
	g_assert_cmpint(status, ==, 202);
	g_autofree char *flow = json_field(started, "flow");
	g_assert_cmpstr(flow, ==, "code");
	g_autofree char *authorization = json_field(started, "authorization_url");
	g_assert_nonnull(authorization);

	/* The person signs in at the provider; the browser is stopped where
	 * the provider sends it back, to go there by hand. */
	g_autoptr(GError) error = NULL;
	g_autofree char *code = NULL;
	g_assert_true(test_oauth_browse(lab, authorization, alice, NULL, &code, true, &error));
	g_assert_no_error(error);
	g_assert_nonnull(code);
	g_autoptr(GUri) asked = g_uri_parse(authorization, G_URI_FLAGS_ENCODED_QUERY, NULL);
	g_autoptr(GHashTable) params =
	        g_uri_parse_params(g_uri_get_query(asked), -1, "&", G_URI_PARAMS_NONE, NULL);
	const char *state = g_hash_table_lookup(params, "state");
	g_assert_nonnull(state);
	g_autofree char *back_path =
	        g_strdup_printf("/oauth/callback?state=%s&code=%s", state, code);
	g_autofree char *where = NULL;
	g_free(request(base, back_path, NULL, NULL, &status, &where));
	g_assert_cmpint(status, ==, 303);
	g_assert_nonnull(where);
	g_assert_true(g_str_has_suffix(where, "/#/status?signed_in=alice%40sender.test"));
	/* Once only. */
	g_autofree char *twice = request(base, back_path, NULL, NULL, &status, NULL);
	g_assert_cmpint(status, ==, 400);
	g_assert_nonnull(strstr(twice, "finished already"));
	g_autofree char *now = request(base, path, key, NULL, &status, NULL);
	g_assert_cmpint(status, ==, 200);
	g_autofree char *signed_in = json_field(now, "state");
	g_assert_cmpstr(signed_in, ==, "signed_in");

	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
	/* The server's log names the route, never the code it was brought. */
	read_rest(fd, out);
	g_assert_nonnull(strstr(out->str, "GET /oauth/callback: 303"));
	g_assert_null(strstr(out->str, code));
	const char *check[] = {"mailbox",   "check",      alice, "--no-dns",
	                       "--ca-file", lab->ca_file, NULL};
	piculet_ok(&setup, check);
}

/* A stop while the callback waits on a token endpoint that never answers
 * (a fault no real server makes on demand: a socket that listens and says
 * nothing) ends the wait: the server is gone long before libcurl's 30 s. */
static void
test_stop_during_the_code_exchange(void)
{
	const TestLab *lab = test_lab_get();
	g_auto(Setup) setup = {0};
	set_up(&setup);
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) silent = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
	                                         G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string("127.0.0.1");
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_assert_true(g_socket_bind(silent, any, TRUE, &error));
	g_assert_true(g_socket_listen(silent, &error));
	g_autoptr(GSocketAddress) bound = g_socket_get_local_address(silent, &error);
	guint16 port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_autofree char *auth = g_strdup_printf("%s/auth", lab->oauth_issuer);
	g_autofree char *token_url = g_strdup_printf("http://127.0.0.1:%u/token", port);
	const char *set_silent[] = {"oauth",   "set",        "silent", "--client-id",
	                            "silent",  "--auth-url", auth,     "--token-url",
	                            token_url, "--scope",    "mail",   NULL};
	piculet_ok(&setup, set_silent);
	const char *alice = "alice@sender.test";
	add_mailbox(&setup, alice, "silent");
	g_auto(TestCliRun) key_run = {0};
	const char *make_key[] = {"apikey", "create", "board", NULL};
	piculet(&setup, &key_run, make_key);
	g_autofree char *key = g_strstrip(g_strdup(key_run.out));
	int fd = -1;
	const char *serve_args[] = {"serve", "--listen", "127.0.0.1:0", NULL};
	g_autoptr(GSubprocess) serve = start_piculet(&setup, serve_args, &fd);
	g_autoptr(GString) out = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, out, "/api/v1\n", 10000));
	const char *url = strstr(out->str, "http://");
	g_autofree char *base = g_strndup(url, strcspn(url, "\n") - strlen("/api/v1"));
	long status = 0;
	g_autofree char *body = g_strdup_printf("{\"redirect_uri\": \"%s/oauth/callback\"}", base);
	g_autofree char *started = request(base, "/api/v1/mailboxes/alice%40sender.test/authorize",
	                                   key, body, &status, NULL);
	g_assert_cmpint(status, ==, 202);
	g_autofree char *authorization = json_field(started, "authorization_url");
	g_autoptr(GUri) asked = g_uri_parse(authorization, G_URI_FLAGS_ENCODED_QUERY, NULL);
	g_autoptr(GHashTable) params =
	        g_uri_parse_params(g_uri_get_query(asked), -1, "&", G_URI_PARAMS_NONE, NULL);
	g_autofree char *back = g_strdup_printf("%s/oauth/callback?state=%s&code=any", base,
	                                        (const char *)g_hash_table_lookup(params, "state"));
	/* The browser's visit, which will not be answered before the stop. */
	const char *argv[] = {"curl", "--silent", "--max-time", "60", back, NULL};
	g_autoptr(GSubprocess) browser =
	        g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
	g_assert_no_error(error);
	/* The exchange has reached the silent endpoint once it took the
	 * connection (its backlog holds it). */
	g_autoptr(GSocket) taken = NULL;
	while (taken == NULL) {
		g_assert_true(g_socket_condition_timed_wait(silent, G_IO_IN, 30 * G_USEC_PER_SEC,
		                                            NULL, &error));
		taken = g_socket_accept(silent, NULL, NULL);
	}
	gint64 stop_at = g_get_monotonic_time();
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
	double took_s = (double)(g_get_monotonic_time() - stop_at) / 1e6;
	g_test_message("the server stopped %.1f s after SIGTERM, a token exchange in flight",
	               took_s);
	g_assert_cmpfloat(took_s, <, 10.0);
	g_assert_true(g_subprocess_wait(browser, NULL, &error));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/oauth/lab/code-flow-check-campaign-and-no-secret-leaks",
	                test_code_flow_check_campaign_and_secrets);
	g_test_add_func("/oauth/lab/rotation-outlives-kill-and-revocation-pauses-one-mailbox",
	                test_rotation_outlives_kill_and_revocation_pauses);
	g_test_add_func("/oauth/lab/two-renewals-at-once-take-turns",
	                test_two_renewals_at_once_take_turns);
	g_test_add_func("/oauth/lab/sign-in-during-a-renewal-is-kept",
	                test_sign_in_during_a_renewal_is_kept);
	g_test_add_func("/oauth/lab/device-grant-public-client", test_device_grant_public_client);
	g_test_add_func("/oauth/lab/browser-opened-with-xdg-open",
	                test_browser_opened_with_xdg_open);
	g_test_add_func("/oauth/lab/access-token-kept-renewed-and-retried",
	                test_access_token_kept_and_renewed);
	g_test_add_func("/oauth/lab/provider-presets-and-mx-guess",
	                test_provider_presets_and_mx_guess);
	g_test_add_func("/oauth/lab/refused-token-renewed-without-a-failed-send",
	                test_refused_token_renewed_without_a_failed_send);
	g_test_add_func("/oauth/lab/sign-in-through-the-api", test_sign_in_through_the_api);
	g_test_add_func("/oauth/lab/sign-in-in-the-browser-through-the-api",
	                test_sign_in_in_the_browser_through_the_api);
	g_test_add_func("/oauth/lab/stop-during-the-code-exchange",
	                test_stop_during_the_code_exchange);
	return g_test_run();
}
