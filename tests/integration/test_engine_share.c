/*
 * Three engines share one PostgreSQL database (leases, fencing tokens):
 * thirty mailboxes of the lab, a campaign of three hundred prospects (the
 * lab's catch-all domain). One engine is killed with SIGKILL at random
 * instants thirty times and restarted; another is stopped (SIGSTOP) in
 * the middle of a send for longer than a lease, then continued. Every prospect gets
 * every step exactly once (counted in the lab's mailbox, not in the
 * database), none twice, every "uncertain" says why, and the continued
 * engine's late writes are refused (its log says so). And engines whose
 * clocks disagree, the network cut, a stop while cut off, an import and a
 * copy cut off, the daily limit shared.
 */
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"
#include "helpers/test_proxy.h"
#include "store/store.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MAILBOXES 30
#define PROSPECTS 300
#define STEPS     3
#define KILLS     30
/* B's stops at most until one finds it in the middle of a send; the
 * campaign is topped up meanwhile (100 more, up to p999: the markers have
 * three digits). */
#define MAX_STOPS     400
#define MAX_PROSPECTS 900

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

/* The database with the mailboxes, the campaign and its prospects,
 * started. */
static void
set_up(const char *db, const char *dir, const char *token, int n_mailboxes, int n_prospects,
       int daily_limit)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autoptr(GString) list = g_string_new(NULL);
	for (int i = 1; i <= n_mailboxes; i++) {
		g_autofree char *address = g_strdup_printf("sender%d@%s", i, lab->sender_domain);
		const char *add[] = {"mailbox", "add",         address, "--smtp",
		                     smtp,      "--imap",      imap,    "--password-env",
		                     "LAB_PW",  "--daily-cap", "1000",  NULL};
		piculet_ok(db, add);
		g_string_append_printf(list, "%s%s", i > 1 ? ", " : "", address);
	}
	g_autofree char *yaml = g_strdup_printf(
	        "name: share\nmailboxes: [%s]\nwindow: daily 00:00-24:00\ndomain_caps: off\n"
	        "interval: 0s\ndaily_limit: %d\nsteps:\n"
	        "  - subject: \"share {{first_name}}\"\n    body: \"step-1 {{first_name}} %s\"\n"
	        "  - delay: 4s\n    body: \"step-2 {{first_name}} %s\"\n"
	        "  - delay: 4s\n    body: \"step-3 {{first_name}} %s\"\n",
	        list->str, daily_limit, token, token, token);
	g_autofree char *yaml_path = g_build_filename(dir, "share.yaml", NULL);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	g_autoptr(GString) csv = g_string_new("email,first_name\n");
	for (int i = 1; i <= n_prospects; i++)
		g_string_append_printf(csv, "p%03d@%s,p%03d\n", i, lab->crowd_domain, i);
	g_autofree char *csv_path = g_build_filename(dir, "crowd.csv", NULL);
	g_assert_true(g_file_set_contents(csv_path, csv->str, -1, NULL));
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects", "import", csv_path, "--campaign", "share", NULL};
	const char *start[] = {"campaign", "start", "share", NULL};
	piculet_ok(db, create);
	piculet_ok(db, import);
	piculet_ok(db, start);
}

/* Prospects p@first to p@last (three digits) of the crowd, into the
 * running campaign: more work while the test waits for something. */
static void
top_up(const char *db, const char *dir, int first, int last)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GString) csv = g_string_new("email,first_name\n");
	for (int i = first; i <= last; i++)
		g_string_append_printf(csv, "p%03d@%s,p%03d\n", i, lab->crowd_domain, i);
	g_autofree char *name = g_strdup_printf("more-%d.csv", first);
	g_autofree char *csv_path = g_build_filename(dir, name, NULL);
	g_assert_true(g_file_set_contents(csv_path, csv->str, -1, NULL));
	const char *import[] = {"prospects", "import", csv_path, "--campaign", "share", NULL};
	piculet_ok(db, import);
}

static void
die_with_parent(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Debian's libfaketime (package faketime), in its multiarch folder. */
static char *
faketime_library(void)
{
	g_autoptr(GDir) lib = g_dir_open("/usr/lib", 0, NULL);
	const char *name;
	while (lib != NULL && (name = g_dir_read_name(lib)) != NULL) {
		char *path =
		        g_build_filename("/usr/lib", name, "faketime", "libfaketimeMT.so.1", NULL);
		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return path;
		g_free(path);
	}
	g_error("libfaketimeMT.so.1 not found under /usr/lib/*/faketime (scripts/deps)");
	return NULL;
}

/* How far the suite moved this process's clock from the real one
 * (PICULET_FAKETIME, "+7d", scripts/run-tests), in seconds; the database
 * server keeps the real clock. */
static int64_t
suite_clock_offset_s(void)
{
	const char *moved = g_getenv("PICULET_FAKETIME");
	if (moved == NULL || moved[0] == '\0')
		return 0;
	char *unit = NULL;
	int64_t n = g_ascii_strtoll(moved, &unit, 10);
	switch (*unit) {
	case 'd':
		return n * 86400;
	case 'h':
		return n * 3600;
	case 'm':
		return n * 60;
	case 's':
	case '\0':
		return n;
	default:
		g_error("PICULET_FAKETIME \"%s\": a number of s, m, h or d expected", moved);
		return 0;
	}
}

/* What @launcher starts runs on a clock @clock_offset (faketime's "+5m")
 * from this machine's: libfaketime preloaded (not faketime's wrapper,
 * which would take the signals meant for the child), before the
 * sanitizers' runtime. */
static void
use_clock(GSubprocessLauncher *launcher, const char *clock_offset)
{
	g_autofree char *library = faketime_library();
	g_autofree char *asan =
	        g_strdup_printf("%s:verify_asan_link_order=0",
	                        g_getenv("ASAN_OPTIONS") != NULL ? g_getenv("ASAN_OPTIONS") : "");
	g_subprocess_launcher_setenv(launcher, "LD_PRELOAD", library, TRUE);
	g_subprocess_launcher_setenv(launcher, "FAKETIME", clock_offset, TRUE);
	g_subprocess_launcher_setenv(launcher, "ASAN_OPTIONS", asan, TRUE);
}

/* `piculet run` on @db with @workers workers, its log appended to @log;
 * with @clock_offset (faketime's "+5m"), on a clock that far from this
 * machine's, as on another machine whose clock is off. */
static GSubprocess *
start_engine_on_clock(const char *db, const char *log, const char *workers,
                      const char *clock_offset)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	const char *argv[] = {g_getenv("PICULET_BIN"),
	                      "run",
	                      "--poll",
	                      "1",
	                      "--workers",
	                      workers,
	                      "--ca-file",
	                      lab->ca_file,
	                      "--db",
	                      db,
	                      NULL};
	g_autoptr(GSubprocessLauncher) launcher =
	        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	g_subprocess_launcher_setenv(launcher, "LAB_PW", lab->password, TRUE);
	g_subprocess_launcher_set_stderr_file_path(launcher, log);
	if (clock_offset != NULL)
		use_clock(launcher, clock_offset);
	GSubprocess *child = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	return child;
}

static GSubprocess *
start_engine_with(const char *db, const char *log, const char *workers)
{
	return start_engine_on_clock(db, log, workers, NULL);
}

static GSubprocess *
start_engine(const char *db, const char *log)
{
	return start_engine_with(db, log, "4");
}

static char *
read_log(const char *log)
{
	char *text = NULL;
	if (!g_file_get_contents(log, &text, NULL, NULL))
		return g_strdup("");
	return text;
}

/* Waits (up to @timeout_ms) until @log holds @needle. */
static bool
wait_for_log(const char *log, const char *needle, int timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	do {
		g_autofree char *text = read_log(log);
		if (strstr(text, needle) != NULL)
			return true;
		g_usleep(50 * 1000);
	} while (g_get_monotonic_time() < deadline);
	return false;
}

/* Waits (up to two seconds) until @log grows by two "sent step" lines
 * within a few milliseconds: the engine is in a burst of work, its
 * workers in the middle of turns. */
static void
wait_for_work(const char *log)
{
	g_autofree char *before = read_log(log);
	gint64 deadline = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < deadline) {
		g_autofree char *now = read_log(log);
		const char *first = strstr(now + strlen(before), "sent step");
		if (first != NULL && strstr(first + 1, "sent step") != NULL)
			return;
		if (first != NULL) {
			g_free(before);
			before = g_strndup(now, (gsize)(first - now) + 1);
		}
		g_usleep(2 * 1000);
	}
}

/* The node name an engine's log gives ("node NAME: works its share"). */
static char *
node_of(const char *log)
{
	g_assert_true(wait_for_log(log, ": works its share", 20000));
	g_autofree char *text = read_log(log);
	const char *start = strstr(text, "node ") + strlen("node ");
	return g_strndup(start, strcspn(start, ":"));
}

/* The mailbox of a message "sending" (recorded, not settled) in a mailbox
 * @node holds; 0 when there is none. */
static int64_t
sending_held_by(Store *store, const char *node)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) leases = store_lease_list(store, &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) sending = store_message_list_sending(store, 0, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < sending->len; i++) {
		int64_t mailbox_id = ((StoreMessage *)sending->pdata[i])->mailbox_id;
		for (guint k = 0; k < leases->len; k++) {
			const StoreLeaseInfo *lease = leases->pdata[k];
			if (lease->mailbox_id == mailbox_id && strcmp(lease->holder, node) == 0)
				return mailbox_id;
		}
	}
	return 0;
}

/* Waits (up to 15 s: a lease and a pass or two) until an engine other
 * than @node holds mailbox @mailbox_id. False when none does by then (a
 * stop in the middle of a transaction holds the lease's row). */
static bool
wait_for_holder_other_than(Store *store, int64_t mailbox_id, const char *node)
{
	gint64 deadline = g_get_monotonic_time() + 15 * G_USEC_PER_SEC;
	do {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) leases = store_lease_list(store, &error);
		g_assert_no_error(error);
		for (guint i = 0; i < leases->len; i++) {
			const StoreLeaseInfo *lease = leases->pdata[i];
			if (lease->mailbox_id == mailbox_id && lease->holder[0] != '\0' &&
			    strcmp(lease->holder, node) != 0)
				return true;
		}
		g_usleep(50 * 1000);
	} while (g_get_monotonic_time() < deadline);
	return false;
}

/* Enrollments of the campaign not yet completed nor uncertain. */
static guint
unfinished(Store *store, int64_t campaign_id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) enrollments = store_enrollment_list(store, campaign_id, 0, &error);
	g_assert_no_error(error);
	guint left = 0;
	for (guint i = 0; i < enrollments->len; i++) {
		const StoreEnrollment *e = enrollments->pdata[i];
		if (strcmp(e->state, "completed") != 0 && strcmp(e->state, "uncertain") != 0)
			left++;
	}
	return left;
}

/* How many times each "step-N pNNN TOKEN" arrived in the crowd's mailbox
 * (marker -> count). */
static GHashTable *
delivered(const char *token, guint *total)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GHashTable) counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *maildir = test_lab_maildir(lab, lab->crowd_mailbox);
	*total = 0;
	const char *folders[] = {"new", "cur"};
	for (gsize f = 0; f < G_N_ELEMENTS(folders); f++) {
		g_autofree char *path = g_build_filename(maildir, folders[f], NULL);
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const char *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree char *file = g_build_filename(path, name, NULL);
			g_autofree char *text = NULL;
			if (!g_file_get_contents(file, &text, NULL, NULL))
				continue;
			const char *at = strstr(text, token);
			if (at == NULL || at - text < 12)
				continue;
			/* "step-N pNNN " just before the token. */
			const char *start = at - 12;
			g_autofree char *marker = g_strndup(start, 11);
			guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, marker));
			g_hash_table_replace(counts, g_strdup(marker), GUINT_TO_POINTER(n + 1));
			(*total)++;
		}
	}
	return g_steal_pointer(&counts);
}

/* What the database says was sent arrived once; nothing arrived twice;
 * what was not sent waits for a person, saying why. */
static void
check_every_step(Store *store, int64_t campaign_id, const char *token, guint n_prospects,
                 guint *sent_out, guint *uncertain_out, guint *total_out)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) enrollments = store_enrollment_list(store, campaign_id, 0, &error);
	g_assert_cmpuint(enrollments->len, ==, n_prospects);
	guint sent = 0;
	guint uncertain = 0;
	for (guint i = 0; i < enrollments->len; i++) {
		g_autoptr(GPtrArray) messages = store_message_list_for_enrollment(
		        store, ((StoreEnrollment *)enrollments->pdata[i])->id, &error);
		for (guint k = 0; k < messages->len; k++)
			sent += strcmp(((StoreMessage *)messages->pdata[k])->state, "sent") == 0;
	}
	guint total = 0;
	gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	/* What the queue still holds arrives in a moment. */
	g_autoptr(GHashTable) counts = delivered(token, &total);
	while (total < sent && g_get_monotonic_time() < deadline) {
		g_usleep(200 * 1000);
		g_hash_table_unref(counts);
		counts = delivered(token, &total);
	}
	for (guint i = 0; i < enrollments->len; i++) {
		const StoreEnrollment *e = enrollments->pdata[i];
		g_autoptr(GPtrArray) messages =
		        store_message_list_for_enrollment(store, e->id, &error);
		g_autofree char *who = g_strndup(e->email, strcspn(e->email, "@"));
		for (int step = 1; step <= STEPS; step++) {
			g_autofree char *marker = g_strdup_printf("step-%d %s", step, who);
			guint arrived = GPOINTER_TO_UINT(g_hash_table_lookup(counts, marker));
			const StoreMessage *m = NULL;
			for (guint k = 0; k < messages->len; k++)
				if (((StoreMessage *)messages->pdata[k])->step == step)
					m = messages->pdata[k];
			if (arrived > 1)
				g_error("%s got step %d %u times", e->email, step, arrived);
			if (m != NULL && strcmp(m->state, "sent") == 0) {
				g_assert_cmpuint(arrived, ==, 1);
			} else if (m != NULL && strcmp(m->state, "uncertain") == 0) {
				/* Said why, and the enrollment waits for a person. */
				uncertain++;
				g_assert_nonnull(m->smtp_reply);
				g_assert_cmpstr(e->state, ==, "uncertain");
			} else {
				g_assert_cmpstr(e->state, ==, "uncertain");
				g_assert_cmpuint(arrived, ==, 0);
			}
		}
		if (strcmp(e->state, "uncertain") != 0) {
			g_assert_cmpstr(e->state, ==, "completed");
			continue;
		}
		/* Uncertain for a send of its own that may or may not have
		 * gone, not for another engine's that went. */
		bool unsettled = false;
		for (guint k = 0; k < messages->len; k++)
			unsettled = unsettled || strcmp(((StoreMessage *)messages->pdata[k])->state,
			                                "sent") != 0;
		if (!unsettled)
			g_error("%s is uncertain (%s), every message of it sent", e->email,
			        e->reason);
	}
	*sent_out = sent;
	*uncertain_out = uncertain;
	*total_out = total;
}

static void
test_three_engines_kills_and_a_pause(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-share-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "share");
	g_autofree char *token = g_strdup_printf("t%08x", g_random_int());
	set_up(db, dir, token, MAILBOXES, PROSPECTS, 1000);
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "share", &error);
	g_assert_nonnull(campaign);

	g_autofree char *log_a = g_build_filename(dir, "a.log", NULL);
	g_autofree char *log_b = g_build_filename(dir, "b.log", NULL);
	g_autofree char *log_c = g_build_filename(dir, "c.log", NULL);
	/* B first: alone, it holds every mailbox and sends; the others join
	 * and take their shares. */
	g_autoptr(GSubprocess) b = start_engine_with(db, log_b, "8");
	g_autofree char *node_b = node_of(log_b);
	g_assert_true(wait_for_log(log_b, "sent step 1", 30000));
	g_autoptr(GSubprocess) a = start_engine(db, log_a);
	GSubprocess *c = start_engine(db, log_c);

	/* B is stopped at varied instants until one finds it in the middle of
	 * a send (a message recorded "sending" in a mailbox it holds, not yet
	 * settled); it is continued once another engine holds that mailbox,
	 * and its settling write is refused. A stop that finds no send in
	 * flight is continued at once. */
	GRand *rand = g_rand_new_with_seed(20261203);
	bool b_refused = false;
	int stops = 0;
	int prospects = PROSPECTS;
	while (!b_refused && stops < MAX_STOPS) {
		if (prospects < MAX_PROSPECTS && unfinished(store, campaign->id) < 100) {
			top_up(db, dir, prospects + 1, prospects + 100);
			prospects += 100;
		}
		g_usleep((gulong)g_rand_int_range(rand, 0, 20000));
		g_subprocess_send_signal(b, SIGSTOP);
		stops++;
		int64_t caught = sending_held_by(store, node_b);
		if (caught != 0 && wait_for_holder_other_than(store, caught, node_b)) {
			g_subprocess_send_signal(b, SIGCONT);
			b_refused = wait_for_log(log_b, "late write refused", 10000);
		} else {
			g_subprocess_send_signal(b, SIGCONT);
		}
	}
	g_rand_free(rand);
	g_test_message("B stopped %d times over %d prospects; a late write refused: %s", stops,
	               prospects, b_refused ? "yes" : "no");
	g_assert_true(b_refused);

	/* C: killed at random instants and started again while the campaign
	 * goes on. */
	rand = g_rand_new_with_seed(20261202);
	for (int kill = 0; kill < KILLS; kill++) {
		/* The instant of the crash is the thing varied, not a wait for
		 * something to happen. */
		g_usleep((gulong)g_rand_int_range(rand, 0, 300000));
		g_subprocess_send_signal(c, SIGKILL);
		g_assert_true(g_subprocess_wait(c, NULL, &error));
		g_object_unref(c);
		c = start_engine(db, log_c);
	}
	g_rand_free(rand);

	/* Everything goes, the killed engine's mailboxes with the others. */
	gint64 deadline = g_get_monotonic_time() + 180 * G_USEC_PER_SEC;
	while (unfinished(store, campaign->id) > 0 && g_get_monotonic_time() < deadline)
		g_usleep(200 * 1000);
	g_assert_cmpuint(unfinished(store, campaign->id), ==, 0);
	GSubprocess *engines[] = {a, b, c};
	for (gsize i = 0; i < G_N_ELEMENTS(engines); i++) {
		g_subprocess_send_signal(engines[i], SIGTERM);
		g_assert_true(g_subprocess_wait(engines[i], NULL, &error));
		g_assert_cmpint(g_subprocess_get_exit_status(engines[i]), ==, 0);
	}
	g_object_unref(c);

	guint sent = 0;
	guint uncertain = 0;
	guint total = 0;
	check_every_step(store, campaign->id, token, (guint)prospects, &sent, &uncertain, &total);
	g_test_message("%u prospects, %u messages sent, %u uncertain, %u arrived, after %d kills "
	               "and %d stops of B",
	               prospects, sent, uncertain, total, KILLS, stops);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

/* @uri (the lab's, "postgresql:///NAME?host=...") through @proxy: TCP. */
static char *
through(const char *uri, const TestProxy *proxy)
{
	const char *name = uri + strlen("postgresql:///");
	g_autofree char *database = g_strndup(name, strcspn(name, "?"));
	return g_strdup_printf("postgresql://piculet@127.0.0.1:%u/%s", test_proxy_get_port(proxy),
	                       database);
}

/* Every mailbox held by @node (a live lease). */
static bool
all_held_by(Store *store, const char *node)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) leases = store_lease_list(store, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < leases->len; i++)
		if (strcmp(((StoreLeaseInfo *)leases->pdata[i])->holder, node) != 0)
			return false;
	return leases->len > 0;
}

/* An engine cut off from the database while it works: it sends nothing
 * more (every send is recorded before it goes), the other engine takes
 * its mailboxes within the lease and finishes the campaign, the cut-off
 * engine takes the silent link for dead after the deadline instead of
 * waiting for ever, and once the network mends its writes are refused,
 * nothing sent twice. */
static void
test_network_cut(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-cut-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "cut");
	g_autofree char *token = g_strdup_printf("t%08x", g_random_int());
	const int mailboxes = 10;
	const int prospects = 150;
	set_up(db, dir, token, mailboxes, prospects, 1000);
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "share", &error);
	g_assert_nonnull(campaign);
	g_autofree char *socket =
	        g_build_filename(g_getenv("PICULET_TEST_PG_SOCKET"), ".s.PGSQL.5432", NULL);
	g_autoptr(TestProxy) proxy = test_proxy_start(socket);
	g_autofree char *db_b = through(db, proxy);

	g_autofree char *log_a = g_build_filename(dir, "a.log", NULL);
	g_autofree char *log_b = g_build_filename(dir, "b.log", NULL);
	g_autoptr(GSubprocess) b = start_engine(db_b, log_b);
	g_assert_true(wait_for_log(log_b, "sent step 1", 30000));
	g_autoptr(GSubprocess) a = start_engine(db, log_a);
	g_autofree char *node_a = node_of(log_a);
	wait_for_work(log_b);
	test_proxy_cut(proxy);
	gint64 cut_at = g_get_monotonic_time();
	gint64 cut_real = g_get_real_time();
	/* A takes every mailbox within a lease (3 s) and a pass or two. */
	while (!all_held_by(store, node_a) && g_get_monotonic_time() - cut_at < 20 * G_USEC_PER_SEC)
		g_usleep(50 * 1000);
	g_assert_true(all_held_by(store, node_a));
	double moved_s = (double)(g_get_monotonic_time() - cut_at) / 1e6;
	gint64 deadline = g_get_monotonic_time() + 120 * G_USEC_PER_SEC;
	while (unfinished(store, campaign->id) > 0 && g_get_monotonic_time() < deadline)
		g_usleep(200 * 1000);
	g_assert_cmpuint(unfinished(store, campaign->id), ==, 0);

	/* B does not wait for ever on the silent link: after the deadline
	 * (60 s) it takes it for dead, and tries again at its next pass. */
	g_assert_true(wait_for_log(log_b, "did not answer within 60 s", 90000));
	test_proxy_mend(proxy);
	g_assert_true(wait_for_log(log_b, "held by another engine now", 30000));
	GSubprocess *engines[] = {a, b};
	for (gsize i = 0; i < G_N_ELEMENTS(engines); i++) {
		g_subprocess_send_signal(engines[i], SIGTERM);
		g_assert_true(g_subprocess_wait(engines[i], NULL, &error));
		g_assert_cmpint(g_subprocess_get_exit_status(engines[i]), ==, 0);
	}
	guint sent = 0;
	guint uncertain = 0;
	guint total = 0;
	check_every_step(store, campaign->id, token, (guint)prospects, &sent, &uncertain, &total);
	g_test_message("cut: every mailbox moved %.1f s after the cut; %u sent, %u uncertain, "
	               "%u arrived",
	               moved_s, sent, uncertain, total);
	/* B sent nothing a lease after the cut: its last "sent" line, and
	 * everything it says after (what it had begun is refused). */
	g_autofree char *b_said = read_log(log_b);
	g_auto(GStrv) lines = g_strsplit(b_said, "\n", -1);
	for (gchar **line = lines; *line != NULL; line++) {
		if (strstr(*line, "sent step") == NULL)
			continue;
		g_autofree char *stamp = g_strndup(*line, strcspn(*line, " "));
		g_autoptr(GDateTime) at = g_date_time_new_from_iso8601(stamp, NULL);
		g_assert_nonnull(at);
		g_assert_cmpint(g_date_time_to_unix(at) * G_USEC_PER_SEC +
		                        g_date_time_get_microsecond(at),
		                <, cut_real + 3 * G_USEC_PER_SEC);
	}
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

static void
on_ended(GObject *source, GAsyncResult *result, gpointer data)
{
	(void)g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
	*(bool *)data = true;
}

/* Whether @process ended within @timeout_ms; killed and reaped when not. */
static bool
ended_within(GSubprocess *process, guint timeout_ms)
{
	bool ended = false;
	g_subprocess_wait_async(process, NULL, on_ended, &ended);
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	while (!ended && g_get_monotonic_time() < deadline)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(10 * 1000);
	if (ended)
		return true;
	g_subprocess_force_exit(process);
	while (!ended)
		g_main_context_iteration(NULL, TRUE);
	return false;
}

/* Asked to stop while its database is cut off, an engine does not wait
 * out the statement deadline (60 s) nor make the link again: every answer
 * after the stop is awaited STORE_STOP_GRACE_S at most, then it ends. */
static void
test_stop_while_cut_off(void)
{
	g_autofree char *dir = g_dir_make_tmp("piculet-stop-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "stop");
	g_autofree char *token = g_strdup_printf("t%08x", g_random_int());
	set_up(db, dir, token, 4, 80, 1000);
	g_autofree char *socket =
	        g_build_filename(g_getenv("PICULET_TEST_PG_SOCKET"), ".s.PGSQL.5432", NULL);
	g_autoptr(TestProxy) proxy = test_proxy_start(socket);
	g_autofree char *db_b = through(db, proxy);
	g_autofree char *log_b = g_build_filename(dir, "b.log", NULL);
	g_autoptr(GSubprocess) b = start_engine(db_b, log_b);
	g_assert_true(wait_for_log(log_b, "sent step 1", 30000));
	wait_for_work(log_b);
	test_proxy_cut(proxy);
	gint64 stop_at = g_get_monotonic_time();
	g_subprocess_send_signal(b, SIGTERM);
	/* The workers' waits, then the lease release's on the main
	 * connection: twice the grace, and room. */
	g_assert_true(ended_within(b, 4 * STORE_STOP_GRACE_S * 1000));
	double took_s = (double)(g_get_monotonic_time() - stop_at) / 1e6;
	g_test_message("stopped %.1f s after SIGTERM, its database cut off", took_s);
	g_assert_true(g_subprocess_get_if_exited(b));
	g_assert_true(wait_for_log(log_b, "of the stop: the link is taken for dead", 1000));
	test_proxy_mend(proxy);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

#define IMPORT_ROWS 200000

/* Work on a thread of its own that must give up on a silent link: the
 * test waits for it a bounded time, and fails (instead of hanging) when
 * it still waits. */
typedef struct {
	bool (*work)(gpointer data, GError **error);
	gpointer data;
	GError *error; /* its failure, or "it went in" */
	bool returned;
	GMutex lock;
	GCond done;
} Bounded;

static gpointer
run_bounded(gpointer data)
{
	Bounded *bounded = data;
	GError *error = NULL;
	bool ok = bounded->work(bounded->data, &error);
	g_mutex_lock(&bounded->lock);
	bounded->error =
	        ok ? g_error_new_literal(STORE_ERROR, STORE_ERROR_FAILED, "it went in") : error;
	bounded->returned = true;
	g_cond_signal(&bounded->done);
	g_mutex_unlock(&bounded->lock);
	return NULL;
}

/* Runs @work(@data) on a thread; waits for it 6 x STORE_STOP_GRACE_S at
 * most (@what in the failure); its error, which the caller frees. */
static GError *
bounded_run(bool (*work)(gpointer data, GError **error), gpointer data, const char *what)
{
	Bounded bounded = {.work = work, .data = data};
	g_mutex_init(&bounded.lock);
	g_cond_init(&bounded.done);
	gint64 started = g_get_monotonic_time();
	GThread *thread = g_thread_new(what, run_bounded, &bounded);
	gint64 until = started + 6 * STORE_STOP_GRACE_S * G_USEC_PER_SEC;
	g_mutex_lock(&bounded.lock);
	while (!bounded.returned)
		if (!g_cond_wait_until(&bounded.done, &bounded.lock, until))
			g_error("the %s still waits on the silent link after %d s", what,
			        6 * STORE_STOP_GRACE_S);
	g_mutex_unlock(&bounded.lock);
	g_thread_join(thread);
	g_test_message("the %s gave up %.1f s after it began", what,
	               (double)(g_get_monotonic_time() - started) / 1e6);
	g_cond_clear(&bounded.done);
	g_mutex_clear(&bounded.lock);
	return bounded.error;
}

/* @db through a new proxy (*@proxy, to cut), a stop asked for from the
 * start (@stop: the pipe, closed by the caller), so every answer is
 * awaited STORE_STOP_GRACE_S at most instead of a minute. */
static Store *
open_stopping_through_proxy(const char *db, TestProxy **proxy, int stop[2])
{
	g_autoptr(GError) error = NULL;
	g_autofree char *socket =
	        g_build_filename(g_getenv("PICULET_TEST_PG_SOCKET"), ".s.PGSQL.5432", NULL);
	*proxy = test_proxy_start(socket);
	g_autofree char *cut_db = through(db, *proxy);
	g_assert_true(g_unix_open_pipe(stop, FD_CLOEXEC, NULL));
	g_assert_cmpint(write(stop[1], "x", 1), ==, 1);
	StoreSettings settings = {.stop_fd = stop[0]};
	Store *store = store_open_with(cut_db, &settings, &error);
	g_assert_no_error(error);
	return store;
}

typedef struct {
	Store *store;
	const StoreProspectInput *rows;
	StoreProspectResult *results;
} Import;

static bool
import_rows(gpointer data, GError **error)
{
	Import *import = data;
	return store_prospect_put_many(import->store, import->rows, IMPORT_ROWS, import->results,
	                               error);
}

/* A list imported while the link to the database drops in the middle of
 * its COPY (the server silent, nothing reset): the import gives the link
 * up after the answer deadline and says so, instead of waiting for ever,
 * and nothing of it is kept. A stop is asked for from the start, so the
 * deadline is STORE_STOP_GRACE_S instead of a minute. */
static void
test_import_cut_off(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-importcut-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "importcut");
	g_autoptr(Store) direct = store_open(db, &error);
	g_assert_no_error(error);
	g_autoptr(TestProxy) proxy = NULL;
	int stop[2];
	Store *store = open_stopping_through_proxy(db, &proxy, stop);

	/* About 10 MB of COPY: the link drops after the first megabyte. */
	g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func(g_free);
	g_autofree StoreProspectInput *rows = g_new0(StoreProspectInput, IMPORT_ROWS);
	for (guint i = 0; i < IMPORT_ROWS; i++) {
		g_ptr_array_add(emails, g_strdup_printf("person%06u@cut.test", i));
		rows[i] = (StoreProspectInput){.email = emails->pdata[i],
		                               .first_name = "A name long enough",
		                               .company = "A company of some length",
		                               .import_stamp = 1234567};
	}
	g_autofree StoreProspectResult *results = g_new0(StoreProspectResult, IMPORT_ROWS);
	Import import = {.store = store, .rows = rows, .results = results};
	test_proxy_cut_after(proxy, 1024 * 1024);
	g_autoptr(GError) failed = bounded_run(import_rows, &import, "import");
	g_assert_error(failed, STORE_ERROR, STORE_ERROR_UNAVAILABLE);
	g_assert_nonnull(strstr(failed->message, "did not answer within"));
	store_close(store);

	guint64 kept = 1;
	g_assert_true(store_prospect_count(direct, &kept, &error));
	g_assert_cmpuint(kept, ==, 0);
	close(stop[0]);
	close(stop[1]);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

#define COPY_ROWS 40000

typedef struct {
	Store *source;
	Store *destination;
} Copying;

static bool
copy_database(gpointer data, GError **error)
{
	Copying *copying = data;
	GPtrArray *tables = NULL;
	bool ok = store_copy_into(copying->source, copying->destination, &tables, error);
	g_clear_pointer(&tables, g_ptr_array_unref);
	return ok;
}

/* `piculet db copy` while the link to the new database drops in the middle
 * of a table's COPY (the server silent, nothing reset): the copy gives the
 * link up once the server stops taking its rows, and says so, instead of
 * waiting for ever; nothing of it is kept. A stop is asked for from the
 * start, so the deadline is STORE_STOP_GRACE_S instead of a minute. */
static void
test_copy_cut_off(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-copycut-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "piculet.db", NULL);
	g_autoptr(Store) source = store_open(file, &error);
	g_assert_no_error(error);
	/* About 2 MB of blacklist: the link drops after the first 256 KB. */
	g_assert_true(store_begin(source, &error));
	for (guint i = 0; i < COPY_ROWS; i++) {
		g_autofree char *entry = g_strdup_printf("someone%06u@copied.test", i);
		g_assert_true(store_blacklist_add(source, entry, "asked to be left alone", &error));
	}
	g_assert_true(store_commit(source, &error));
	g_assert_no_error(error);

	g_autofree char *db = test_pg_store_location(dir, "copycut");
	g_autoptr(Store) direct = store_open(db, &error);
	g_assert_no_error(error);
	g_autoptr(TestProxy) proxy = NULL;
	int stop[2];
	Store *destination = open_stopping_through_proxy(db, &proxy, stop);

	Copying copying = {.source = source, .destination = destination};
	test_proxy_cut_after(proxy, 256 * 1024);
	g_autoptr(GError) failed = bounded_run(copy_database, &copying, "copy");
	g_assert_error(failed, STORE_ERROR, STORE_ERROR_UNAVAILABLE);
	g_assert_nonnull(strstr(failed->message, "did not answer within"));
	g_assert_nonnull(strstr(failed->message, "blacklist"));
	store_close(destination);

	g_autoptr(GPtrArray) kept = store_blacklist_list(direct, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(kept->len, ==, 0);
	close(stop[0]);
	close(stop[1]);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

/* Openings of the campaign recorded in the store (sending, sent or
 * uncertain). */
static guint
openings_recorded(Store *store, int64_t campaign_id)
{
	g_autoptr(GError) error = NULL;
	guint n = 0;
	g_assert_true(store_campaign_count_openings(store, campaign_id, 0, &n, &error));
	g_assert_no_error(error);
	return n;
}

/* Whether every mailbox is held and @holders engines hold as many each. */
static bool
held_evenly(const GPtrArray *leases, guint holders)
{
	g_autoptr(GHashTable) counts = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < leases->len; i++) {
		const StoreLeaseInfo *lease = leases->pdata[i];
		if (lease->holder[0] == '\0')
			return false;
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, lease->holder));
		g_hash_table_insert(counts, lease->holder, GUINT_TO_POINTER(n + 1));
	}
	if (g_hash_table_size(counts) != holders)
		return false;
	GHashTableIter iter;
	gpointer held;
	g_hash_table_iter_init(&iter, counts);
	while (g_hash_table_iter_next(&iter, NULL, &held))
		if (GPOINTER_TO_UINT(held) * holders != leases->len)
			return false;
	return true;
}

/* The leases once @holders engines hold them evenly, or as they are after
 * 30 s. */
static GPtrArray *
wait_for_even_shares(Store *store, guint holders)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *leases = NULL;
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	do {
		if (leases != NULL)
			g_usleep(50 * 1000);
		g_clear_pointer(&leases, g_ptr_array_unref);
		leases = store_lease_list(store, &error);
		g_assert_no_error(error);
	} while (!held_evenly(leases, holders) && g_get_monotonic_time() < deadline);
	return leases;
}

/* Two engines on machines whose clocks are five minutes apart (one run
 * under faketime), a lease being three seconds: each holds half the
 * mailboxes and keeps it while the campaign goes out (no lease taken
 * over: the holders and tokens at the end are those of the start), every
 * step sent once, none uncertain. On each engine's own clock, the one
 * ahead took every lease of the other as long expired, and the other
 * never had its share. */
static void
test_clocks_apart(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-clocks-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "clocks");
	g_autofree char *token = g_strdup_printf("t%08x", g_random_int());
	const guint prospects = 40;
	set_up(db, dir, token, 10, (int)prospects, 1000);
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "share", &error);
	g_assert_nonnull(campaign);
	const char *pause[] = {"campaign", "pause", "share", NULL};
	piculet_ok(db, pause);
	g_autofree char *log_a = g_build_filename(dir, "a.log", NULL);
	g_autofree char *log_b = g_build_filename(dir, "b.log", NULL);
	GSubprocess *engines[] = {start_engine(db, log_a),
	                          start_engine_on_clock(db, log_b, "4", "+5m")};
	g_assert_true(wait_for_log(log_a, "taken (lease", 30000));
	g_assert_true(wait_for_log(log_b, "taken (lease", 30000));
	g_autoptr(GPtrArray) shared = wait_for_even_shares(store, 2);
	g_assert_true(held_evenly(shared, 2));

	const char *resume[] = {"campaign", "resume", "share", NULL};
	piculet_ok(db, resume);
	gint64 deadline = g_get_monotonic_time() + 120 * G_USEC_PER_SEC;
	while (unfinished(store, campaign->id) > 0 && g_get_monotonic_time() < deadline)
		g_usleep(200 * 1000);
	g_assert_cmpuint(unfinished(store, campaign->id), ==, 0);
	g_autoptr(GPtrArray) after = store_lease_list(store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(after->len, ==, shared->len);
	for (guint i = 0; i < after->len; i++) {
		const StoreLeaseInfo *then = shared->pdata[i];
		const StoreLeaseInfo *now = after->pdata[i];
		g_assert_cmpint(now->mailbox_id, ==, then->mailbox_id);
		g_assert_cmpstr(now->holder, ==, then->holder);
		g_assert_cmpint(now->token, ==, then->token);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(engines); i++) {
		g_subprocess_send_signal(engines[i], SIGTERM);
		g_assert_true(g_subprocess_wait(engines[i], NULL, &error));
		g_assert_cmpint(g_subprocess_get_exit_status(engines[i]), ==, 0);
		g_object_unref(engines[i]);
	}
	guint sent = 0;
	guint uncertain = 0;
	guint total = 0;
	check_every_step(store, campaign->id, token, prospects, &sent, &uncertain, &total);
	g_assert_cmpuint(sent, ==, prospects * STEPS);
	g_assert_cmpuint(uncertain, ==, 0);

	/* The doctor on a machine five minutes ahead of this one (not behind
	 * what the engines wrote) says so. */
	int64_t ahead_s = suite_clock_offset_s() + 300;
	g_autofree char *offset = g_strdup_printf("+%" G_GINT64_FORMAT, ahead_s);
	const char *doctor[] = {g_getenv("PICULET_BIN"), "doctor", "--offline", "--db", db, NULL};
	g_autoptr(GSubprocessLauncher) launcher =
	        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	use_clock(launcher, offset);
	g_autoptr(GSubprocess) doctor_run = g_subprocess_launcher_spawnv(launcher, doctor, &error);
	g_assert_no_error(error);
	g_autofree char *said = NULL;
	g_assert_true(g_subprocess_communicate_utf8(doctor_run, NULL, NULL, &said, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(doctor_run), ==, 0);
	g_autofree char *pattern = g_strdup_printf(
	        "warn database clock: this machine's clock is (%" G_GINT64_FORMAT
	        "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT ") s ahead of the database server's",
	        ahead_s - 1, ahead_s, ahead_s + 1);
	g_autoptr(GRegex) ahead = g_regex_new(pattern, 0, 0, NULL);
	if (!g_regex_match(ahead, said, 0, NULL))
		g_error("the doctor %" G_GINT64_FORMAT " s ahead said: %s", ahead_s, said);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

/* Three engines, each holding four mailboxes, one campaign of 300
 * prospects with a daily limit of 60 openings and no pause between sends:
 * between them they send 60 openings that day, not 60 each nor what each
 * counted before the others' latest (the store counts them under a lock of
 * the campaign's openings). The engines are stopped once 60 are recorded;
 * the count is taken again after, and in the lab's mailbox. */
static void
test_daily_limit_shared(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-limit-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "limit");
	g_autofree char *token = g_strdup_printf("t%08x", g_random_int());
	const int limit = 60;
	set_up(db, dir, token, 12, 300, limit);
	g_autoptr(Store) store = store_open(db, &error);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "share", &error);
	g_assert_nonnull(campaign);
	/* Paused until every engine holds its share of the mailboxes: then
	 * all three send at once. */
	const char *pause[] = {"campaign", "pause", "share", NULL};
	piculet_ok(db, pause);
	const char *names[] = {"a.log", "b.log", "c.log"};
	GSubprocess *engines[G_N_ELEMENTS(names)];
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *log = g_build_filename(dir, names[i], NULL);
		engines[i] = start_engine(db, log);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *log = g_build_filename(dir, names[i], NULL);
		g_assert_true(wait_for_log(log, "taken (lease", 30000));
	}
	g_autoptr(GPtrArray) leases = wait_for_even_shares(store, 3);
	g_assert_true(held_evenly(leases, 3));
	const char *resume[] = {"campaign", "resume", "share", NULL};
	piculet_ok(db, resume);
	/* A bound, not a figure: on a loaded machine sixty openings can take
	 * more than a minute. */
	gint64 deadline = g_get_monotonic_time() + 180 * G_USEC_PER_SEC;
	while (openings_recorded(store, campaign->id) < (guint)limit &&
	       g_get_monotonic_time() < deadline)
		g_usleep(50 * 1000);
	for (gsize i = 0; i < G_N_ELEMENTS(engines); i++) {
		g_subprocess_send_signal(engines[i], SIGTERM);
		g_assert_true(g_subprocess_wait(engines[i], NULL, &error));
		g_assert_cmpint(g_subprocess_get_exit_status(engines[i]), ==, 0);
		g_object_unref(engines[i]);
	}
	g_assert_cmpuint(openings_recorded(store, campaign->id), ==, (guint)limit);
	/* Openings only: a follow-up may have gone to the first ones. */
	guint openings = 0;
	gint64 queue_deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	do {
		guint total = 0;
		g_autoptr(GHashTable) counts = delivered(token, &total);
		openings = 0;
		GHashTableIter iter;
		gpointer marker;
		g_hash_table_iter_init(&iter, counts);
		while (g_hash_table_iter_next(&iter, &marker, NULL))
			openings += g_str_has_prefix(marker, "step-1 ");
		if (openings < (guint)limit)
			g_usleep(200 * 1000);
	} while (openings < (guint)limit && g_get_monotonic_time() < queue_deadline);
	g_assert_cmpuint(openings, ==, (guint)limit);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

/* piculet @args on @db with @key_file as the seal key (another machine's
 * key file, or the first machine's). */
static void
piculet_with_key(TestCliRun *run, const char *db, const char *key_file, const char *const *args)
{
	const TestLab *lab = test_lab_get();
	const char *env[] = {"LAB_PW", lab->password, "PICULET_KEY_FILE", key_file, NULL};
	test_cli_run_with_db(run, db, env, args);
}

/* A second machine whose key file is not the first one's: before, its
 * engine paused for every engine the mailboxes whose passwords it could
 * not open, and its server refused the links the others signed. Now
 * `tick`/`run`, `serve` and `mailbox add` refuse to start there, saying
 * so, and nothing is paused or added; `doctor` says it; the first
 * machine's key still works. */
static void
test_another_machine_s_key(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-keys-XXXXXX", NULL);
	g_autofree char *db = test_pg_store_location(dir, "keys");
	g_autofree char *first_key = g_build_filename(dir, "first.key", NULL);
	g_autofree char *second_key = g_build_filename(dir, "second.key", NULL);
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	g_autofree char *address = g_strdup_printf("sender1@%s", lab->sender_domain);
	const char *add[] = {"mailbox", "add",    address, "--smtp",
	                     smtp,      "--imap", imap,    "--store-password-env",
	                     "LAB_PW",  NULL};
	g_auto(TestCliRun) added = {0};
	piculet_with_key(&added, db, first_key, add);
	g_assert_cmpint(added.status, ==, 0);
	g_autofree char *token = g_strdup_printf("t%08x", g_random_int());
	g_autofree char *yaml = g_strdup_printf(
	        "name: keys\nmailboxes: [%s]\nwindow: daily 00:00-24:00\ndomain_caps: off\n"
	        "interval: 0s\nsteps:\n  - subject: \"keys {{first_name}}\"\n"
	        "    body: \"step-1 {{first_name}} %s\"\n",
	        address, token);
	g_autofree char *yaml_path = g_build_filename(dir, "keys.yaml", NULL);
	g_assert_true(g_file_set_contents(yaml_path, yaml, -1, NULL));
	g_autofree char *csv =
	        g_strdup_printf("email,first_name\nk001@%s,k001\n", lab->crowd_domain);
	g_autofree char *csv_path = g_build_filename(dir, "keys.csv", NULL);
	g_assert_true(g_file_set_contents(csv_path, csv, -1, NULL));
	const char *create[] = {"campaign", "create", yaml_path, NULL};
	const char *import[] = {"prospects", "import", csv_path, "--campaign", "keys", NULL};
	const char *start[] = {"campaign", "start", "keys", NULL};
	const char *const *setup[] = {create, import, start};
	for (gsize i = 0; i < G_N_ELEMENTS(setup); i++) {
		g_auto(TestCliRun) done = {0};
		piculet_with_key(&done, db, first_key, setup[i]);
		g_assert_cmpint(done.status, ==, 0);
	}
	/* The second machine has a key of its own (32 bytes, 0600). */
	guint8 bytes[32];
	for (gsize i = 0; i < sizeof bytes; i++)
		bytes[i] = (guint8)g_random_int_range(0, 256);
	g_assert_true(g_file_set_contents_full(second_key, (const char *)bytes, sizeof bytes,
	                                       G_FILE_SET_CONTENTS_NONE, 0600, NULL));
	g_auto(TestCliRun) hook = {0};
	const char *webhook[] = {"webhook", "add", "http://127.0.0.1:9/hook", NULL};
	piculet_with_key(&hook, db, second_key, webhook);
	g_assert_cmpint(hook.status, ==, 78);
	g_assert_nonnull(strstr(hook.err, "is not this database's"));

	g_auto(TestCliRun) tick = {0};
	const char *tick_args[] = {"tick", "--ca-file", lab->ca_file, NULL};
	piculet_with_key(&tick, db, second_key, tick_args);
	g_assert_cmpint(tick.status, ==, 78);
	g_assert_nonnull(strstr(tick.err, "is not this database's"));
	g_assert_nonnull(strstr(tick.err, second_key));
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) mailbox = store_mailbox_get(store, address, &error);
	g_assert_nonnull(mailbox);
	g_assert_cmpint(mailbox->paused_until, ==, 0);
	g_assert_null(mailbox->paused_reason);

	const char *another[] = {"mailbox", "add", "sender2@sender.test",  "--smtp", smtp,
	                         "--imap",  imap,  "--store-password-env", "LAB_PW", NULL};
	g_auto(TestCliRun) refused = {0};
	piculet_with_key(&refused, db, second_key, another);
	g_assert_cmpint(refused.status, ==, 78);
	g_assert_nonnull(strstr(refused.err, "is not this database's"));
	g_autoptr(StoreMailbox) none = store_mailbox_get(store, "sender2@sender.test", &error);
	g_assert_null(none);

	g_auto(TestCliRun) doctor = {0};
	const char *doctor_args[] = {"doctor", "--offline", NULL};
	piculet_with_key(&doctor, db, second_key, doctor_args);
	g_assert_cmpint(doctor.status, ==, 78);
	g_assert_nonnull(strstr(doctor.out, "FAIL seal key: "));

	const char *env[] = {"PICULET_KEY_FILE", second_key, NULL};
	const char *serve[] = {"serve", "--listen", "127.0.0.1:0", NULL};
	int fd = -1;
	g_autoptr(GSubprocess) server = test_cli_start(db, lab->ca_file, env, serve, false, &fd);
	g_autoptr(GString) said = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, said, "is not this database's", 30000));
	g_assert_true(g_subprocess_wait(server, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(server), ==, 78);
	close(fd);

	/* The first machine's key: the opening goes. */
	g_auto(TestCliRun) sent = {0};
	piculet_with_key(&sent, db, first_key, tick_args);
	g_assert_cmpint(sent.status, ==, 0);
	g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "keys", &error);
	g_assert_cmpuint(unfinished(store, campaign->id), ==, 0);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_assert_true(test_pg_wanted());
	g_test_add_func("/engine/share/three-engines-kills-and-a-pause",
	                test_three_engines_kills_and_a_pause);
	g_test_add_func("/engine/share/network-cut", test_network_cut);
	g_test_add_func("/engine/share/stop-while-cut-off", test_stop_while_cut_off);
	g_test_add_func("/engine/share/import-cut-off", test_import_cut_off);
	g_test_add_func("/engine/share/copy-cut-off", test_copy_cut_off);
	g_test_add_func("/engine/share/daily-limit-over-three-engines", test_daily_limit_shared);
	g_test_add_func("/engine/share/clocks-five-minutes-apart", test_clocks_apart);
	g_test_add_func("/engine/share/another-machine-s-seal-key", test_another_machine_s_key);
	return g_test_run();
}
