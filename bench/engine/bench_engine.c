/*
 * bench-engine: the engine's figures (bench/engine/run drives it).
 *
 *   bench-engine throughput DIR LAB_ENV SINK_PORT MAILBOXES PROSPECTS WORKERS
 *       One campaign, MAILBOXES mailboxes (the lab's sender1..N for IMAP,
 *       smtp-sink for SMTP, no pauses), PROSPECTS prospects each; one pass
 *       of the engine on WORKERS threads sends everything. Prints sends/s
 *       end to end and CPU per send.
 *   bench-engine lateness DIR LAB_ENV SINK_PORT MAILBOXES SECONDS INTERVAL WORKERS
 *       The same campaign paced INTERVAL seconds per mailbox, sender1's SMTP
 *       server accepting and never answering; `piculet run`'s loop on the
 *       real clock for SECONDS. Prints how late the other mailboxes' sends
 *       were behind their scheduled moments.
 *   bench-engine schedule DIR ENROLLMENTS MAILBOXES CAMPAIGNS QUERIES
 *       A database of that size (written directly, quickly), then QUERIES
 *       times "what is due next for mailbox M" (follow-ups, then
 *       openings) for random mailboxes. Prints the latency and peak RSS.
 */
#include "engine/engine_run.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <gmime/gmime.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static long
peak_rss_kib(void)
{
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	return usage.ru_maxrss;
}

static double
cpu_seconds(void)
{
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
	       (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
}

static char *
env_value(const char *path, const char *name)
{
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *prefix = g_strdup_printf("%s=", name);
	for (char **line = lines; *line != NULL; line++)
		if (g_str_has_prefix(*line, prefix)) {
			char *value = g_strdup(*line + strlen(prefix));
			g_strdelimit(value, "\"", ' ');
			return g_strstrip(value);
		}
	g_error("%s: no %s", path, name);
}

static int
number(const char *text)
{
	guint64 value = 0;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXINT, &value, NULL))
		g_error("not a number: %s", text);
	return (int)value;
}

static int64_t fixed_now;

static int64_t
fixed_clock(void *user_data)
{
	return fixed_now;
}

/* One running campaign "bench" from sender1..N (IMAP on the lab, SMTP on
 * @smtp_port; sender1's on @first_smtp_port instead when it is not 0),
 * @per_mailbox prospects per mailbox, @interval_s between two messages of
 * a mailbox. Returns the number of prospects. */
static int
build_campaign(Store *store, const char *lab_env, int smtp_port, int first_smtp_port,
               int n_mailboxes, int per_mailbox, int interval_s)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *imaps_port = env_value(lab_env, "LAB_IMAPS_PORT");
	g_autofree char *password = env_value(lab_env, "LAB_PASSWORD");
	g_setenv("BENCH_PW", password, TRUE);
	GString *yaml = g_string_new(NULL);
	g_string_printf(yaml,
	                "name: bench\nwindow: daily 00:00-24:00\ninterval: %ds\n"
	                "daily_limit: 10000\nmailboxes:\n",
	                interval_s);
	g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func(g_free);
	g_assert_true(store_begin(store, &error));
	for (int m = 1; m <= n_mailboxes; m++) {
		char *address = g_strdup_printf("sender%d@sender.test", m);
		g_ptr_array_add(addresses, address);
		g_string_append_printf(yaml, "  - %s\n", address);
		int port = m == 1 && first_smtp_port != 0 ? first_smtp_port : smtp_port;
		StoreMailboxInput mailbox = {.address = address,
		                             .display_name = "Bench Sender",
		                             .smtp_host = "127.0.0.1",
		                             .smtp_port = (uint16_t)port,
		                             .smtp_security = "none",
		                             .smtp_user = "",
		                             .imap_host = "127.0.0.1",
		                             .imap_port = (uint16_t)number(imaps_port),
		                             .imap_security = "tls",
		                             .imap_user = address,
		                             .secret_source = "env:BENCH_PW",
		                             .daily_cap = per_mailbox,
		                             .interval_min_s = interval_s,
		                             .interval_max_s = interval_s};
		g_assert_true(store_mailbox_add(store, &mailbox, NULL, &error));
	}
	/* BENCH_NO_CAPS: the same run without the recipient-domain caps, to
	 * measure what they cost (every prospect has a domain of its own). */
	if (g_getenv("BENCH_NO_CAPS") != NULL)
		g_string_append(yaml, "domain_caps: off\n");
	g_string_append(yaml, "steps:\n  - subject: \"A question for {{first_name}}\"\n"
	                      "    body: |\n      Hi {{first_name}}, a short question about "
	                      "{{company|your team}}.\n");
	StoreStepInput step = {"A question for {{first_name}}", "Hi", 0};
	StoreCampaignInput campaign = {.name = "bench",
	                               .definition = yaml->str,
	                               .steps = &step,
	                               .n_steps = 1,
	                               .mailboxes = (const char *const *)addresses->pdata,
	                               .n_mailboxes = addresses->len};
	int64_t campaign_id = 0;
	g_assert_true(store_campaign_create(store, &campaign, &campaign_id, &error));
	bool found = false;
	g_assert_true(store_campaign_set_state(store, "bench", "running", &found, &error));
	int total = n_mailboxes * per_mailbox;
	for (int i = 0; i < total; i++) {
		g_autofree char *email = g_strdup_printf("p%d@d%d.test", i, i);
		StoreProspectInput prospect = {
		        .email = email, .first_name = "Pat", .company = "Acme"};
		StoreProspectResult put;
		StoreEnrollResult enrolled;
		g_assert_true(store_prospect_put(store, &prospect, &put, &error));
		g_assert_true(
		        store_enrollment_add(store, campaign_id, email, false, &enrolled, &error));
	}
	g_assert_true(store_commit(store, &error));
	g_string_free(yaml, TRUE);
	return total;
}

static int
throughput(const char *dir, const char *lab_env, int sink_port, int n_mailboxes, int n_prospects,
           int workers)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *name = g_strdup_printf("throughput-%d.db", workers);
	g_autofree char *db = g_build_filename(dir, name, NULL);
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	int total = build_campaign(store, lab_env, sink_port, 0, n_mailboxes, n_prospects, 0);
	g_autofree char *ca_file = env_value(lab_env, "LAB_CA_FILE");
	NetTlsOptions tls_options = {.ca_file = ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	fixed_now = g_get_real_time();
	EngineRunOptions options = {.tls = tls,
	                            .clock = fixed_clock,
	                            .seed = 1,
	                            .max_sends_per_run = (guint)n_prospects * 2,
	                            .workers = (guint)workers};
	double cpu0 = cpu_seconds();
	gint64 t0 = g_get_monotonic_time();
	EngineTickSummary summary;
	g_autoptr(EngineRun) run = engine_run_new(store, &options);
	if (!engine_run_pass(run, &summary, &error))
		g_error("pass: %s", error->message);
	double wall = (double)(g_get_monotonic_time() - t0) / 1e6;
	double cpu = cpu_seconds() - cpu0;
	printf("%d worker(s): sent=%u of %d in %.2f s: %.0f sends/s, CPU %.0f us per send "
	       "(render, compose, store, SMTP; %d IMAP logins included), peak RSS %.1f MiB\n",
	       workers, summary.sent, total, wall, summary.sent / wall, 1e6 * cpu / summary.sent,
	       n_mailboxes, peak_rss_kib() / 1024.0);
	return summary.sent == (guint)total ? 0 : 1;
}

/* The throughput campaign at @location (a PostgreSQL URI, for engines
 * that run as processes: bench/store's sends with 1, 2, 3 engines), no
 * pauses; prints the number of messages to send. */
static int
build_at(const char *location, const char *lab_env, int sink_port, int n_mailboxes, int n_prospects)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(location, &error);
	if (store == NULL)
		g_error("%s", error->message);
	printf("%d\n", build_campaign(store, lab_env, sink_port, 0, n_mailboxes, n_prospects, 0));
	return 0;
}

/* Accepts connections and never says a word (sockets kept open). */
static gpointer
silent_server(gpointer data)
{
	int listener = GPOINTER_TO_INT(data);
	while (accept(listener, NULL, NULL) >= 0)
		;
	return NULL;
}

static int
silent_listen(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in address = {.sin_family = AF_INET,
	                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t length = sizeof address;
	if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) != 0 ||
	    listen(fd, 16) != 0 || getsockname(fd, (struct sockaddr *)&address, &length) != 0)
		g_error("silent server: %s", g_strerror(errno));
	g_thread_unref(g_thread_new("silent", silent_server, GINT_TO_POINTER(fd)));
	return ntohs(address.sin_port);
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* `piculet run`'s loop on the real clock for @seconds: N mailboxes, each
 * pacing @interval_s, sender1's SMTP server silent after accepting. How
 * late each send of the others is behind its scheduled moment (the one
 * before it plus the interval). */
static int
lateness(const char *dir, const char *lab_env, int sink_port, int n_mailboxes, int seconds,
         int interval_s, int workers)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *name = g_strdup_printf("lateness-%d.db", workers);
	g_autofree char *db = g_build_filename(dir, name, NULL);
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	int silent_port = silent_listen();
	build_campaign(store, lab_env, sink_port, silent_port, n_mailboxes,
	               seconds / interval_s + 3, interval_s);
	g_autofree char *ca_file = env_value(lab_env, "LAB_CA_FILE");
	NetTlsOptions tls_options = {.ca_file = ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	int stop[2];
	g_assert_true(g_unix_open_pipe(stop, FD_CLOEXEC, NULL));
	EngineRunOptions options = {
	        .tls = tls, .seed = 1, .stop_fd = stop[0], .workers = (guint)workers};
	EngineRun *run = engine_run_new(store, &options);
	int64_t start_at = g_get_real_time();
	gint64 end = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
	for (gint64 now = g_get_monotonic_time(); now < end; now = g_get_monotonic_time()) {
		bool news = false;
		if (!engine_run_dispatch(run, &error) ||
		    !engine_run_wait(run, (int)((end - now) / 1000) + 1, -1, &news, &error))
			g_error("run: %s", error->message);
	}
	int64_t end_at = g_get_real_time();
	/* The silent server's connection ends at once, not at its deadline. */
	g_assert_cmpint(write(stop[1], "", 1), ==, 1);
	engine_run_free(run);
	sqlite3 *sql = NULL;
	sqlite3_stmt *rows = NULL;
	g_assert_cmpint(sqlite3_open(db, &sql), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(sql,
	                                   "SELECT mailbox_id, created_at FROM message "
	                                   "WHERE mailbox_id > 1 ORDER BY mailbox_id, created_at",
	                                   -1, &rows, NULL),
	                ==, SQLITE_OK);
	/* Every send after a mailbox's first (which waits for its IMAP login
	 * at the start) against the one before it; and the send each mailbox
	 * had due when the run ended and had not made, late by at least the
	 * time since it fell due. A mailbox that never sent was due from the
	 * start. */
	g_autoptr(GArray) late = g_array_new(FALSE, FALSE, sizeof(double));
	int64_t interval_us = (int64_t)interval_s * G_USEC_PER_SEC;
	g_autofree int64_t *last_at = g_new0(int64_t, (gsize)n_mailboxes + 1);
	guint sends = 0;
	while (sqlite3_step(rows) == SQLITE_ROW) {
		int64_t mailbox = sqlite3_column_int64(rows, 0);
		int64_t at = sqlite3_column_int64(rows, 1);
		sends++;
		if (last_at[mailbox] != 0) {
			double ms = (double)(at - last_at[mailbox] - interval_us) / 1e3;
			g_array_append_val(late, ms);
		}
		last_at[mailbox] = at;
	}
	guint never = 0;
	for (int m = 2; m <= n_mailboxes; m++) {
		int64_t due = last_at[m] != 0 ? last_at[m] + interval_us : start_at;
		never += last_at[m] == 0;
		if (due < end_at) {
			double ms = (double)(end_at - due) / 1e3;
			g_array_append_val(late, ms);
		}
	}
	sqlite3_finalize(rows);
	sqlite3_close(sql);
	close(stop[0]);
	close(stop[1]);
	if (late->len == 0)
		g_error("nothing fell due");
	double *ms = (double *)(void *)late->data;
	qsort(ms, late->len, sizeof *ms, compare_double);
	printf("%d worker(s): %u sends by the %d other mailboxes in %d s (%u never sent); "
	       "lateness behind the scheduled moment: median %.0f ms, p99 %.0f ms, max %.0f ms\n",
	       workers, sends, n_mailboxes - 1, seconds, never, ms[late->len / 2],
	       ms[(late->len * 99) / 100], ms[late->len - 1]);
	return 0;
}

static void
exec_sql(sqlite3 *db, const char *sql)
{
	char *message = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK)
		g_error("%s: %s", sql, message);
}

static int
schedule(const char *dir, int n_enrollments, int n_mailboxes, int n_campaigns, int n_queries)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_build_filename(dir, "schedule.db", NULL);
	/* The schema through the store, the rows straight in: building a
	 * million enrollments one API call at a time is not what is measured. */
	store_close(store_open(path, &error));
	g_assert_no_error(error);
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
	gint64 t0 = g_get_monotonic_time();
	exec_sql(db, "PRAGMA synchronous = OFF; BEGIN");
	g_autofree char *sql = g_strdup_printf(
	        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
	        "INSERT INTO mailbox (id, address, smtp_host, smtp_port, smtp_security, smtp_user, "
	        "imap_host, imap_port, imap_security, imap_user, secret_source, created_at) "
	        "SELECT i, 'm' || i || '@sender.test', 'h', 587, 'starttls', 'u', 'h', 993, 'tls', "
	        "'u', 'env:X', 0 FROM n;"
	        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
	        "INSERT INTO campaign (id, name, state, definition, created_at) "
	        "SELECT i, 'c' || i, 'running', '', 0 FROM n;"
	        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
	        "INSERT INTO campaign_mailbox (campaign_id, mailbox_id) "
	        "SELECT ((i - 1) %% %d) + 1, i FROM n;"
	        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
	        "INSERT INTO prospect (id, email, created_at, updated_at) "
	        "SELECT i, 'p' || i || '@prospect.test', 0, 0 FROM n;"
	        /* Half of them on their way (follow-ups, sticky mailbox, due over
	         * a month), half still queued for their opening. */
	        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
	        "INSERT INTO enrollment (id, campaign_id, prospect_id, mailbox_id, state, "
	        "next_step, next_due_at, created_at) "
	        "SELECT i, ((i - 1) %% %d) + 1, i, "
	        "CASE WHEN i %% 2 = 0 THEN ((i - 1) %% %d) + 1 ELSE NULL END, "
	        "CASE WHEN i %% 2 = 0 THEN 'active' ELSE 'queued' END, "
	        "CASE WHEN i %% 2 = 0 THEN 2 ELSE 1 END, "
	        "CASE WHEN i %% 2 = 0 THEN (abs(random()) %% 2592000) * 1000000 ELSE 0 END, 0 "
	        "FROM n;",
	        n_mailboxes, n_campaigns, n_mailboxes, n_campaigns, n_enrollments, n_enrollments,
	        n_campaigns, n_mailboxes);
	exec_sql(db, sql);
	exec_sql(db, "COMMIT; ANALYZE");
	sqlite3_close(db);
	printf("built %d enrollments, %d mailboxes, %d campaigns in %.1f s\n", n_enrollments,
	       n_mailboxes, n_campaigns, (double)(g_get_monotonic_time() - t0) / 1e6);

	g_autoptr(Store) store = store_open(path, &error);
	g_assert_no_error(error);
	GRand *rand = g_rand_new_with_seed(7);
	g_autofree double *ms = g_new(double, (gsize)n_queries);
	int64_t now = (int64_t)1296000 * 1000000; /* half-way through the month */
	guint found_total = 0;
	for (int q = 0; q < n_queries; q++) {
		int64_t mailbox = g_rand_int_range(rand, 1, n_mailboxes + 1);
		gint64 start = g_get_monotonic_time();
		g_autoptr(GPtrArray) due =
		        store_enrollment_list_due(store, mailbox, now, 50, NULL, &error);
		/* Mailbox m sends for campaign ((m - 1) % CAMPAIGNS) + 1 (see above). */
		g_autoptr(GPtrArray) queued = store_enrollment_list_queued(
		        store, ((mailbox - 1) % n_campaigns) + 1, now, 20, NULL, &error);
		ms[q] = (double)(g_get_monotonic_time() - start) / 1000.0;
		g_assert_nonnull(due);
		g_assert_nonnull(queued);
		found_total += due->len + queued->len;
	}
	g_rand_free(rand);
	qsort(ms, (size_t)n_queries, sizeof *ms, compare_double);
	printf("what is due next for a mailbox (follow-ups, then openings; %d random "
	       "mailboxes): median %.2f ms, p99 %.2f ms, max %.2f ms; %u candidates found; "
	       "peak RSS %.1f MiB\n",
	       n_queries, ms[n_queries / 2], ms[(n_queries * 99) / 100], ms[n_queries - 1],
	       found_total, peak_rss_kib() / 1024.0);
	return 0;
}

int
main(int argc, char **argv)
{
	g_mime_init();
	if (argc == 8 && strcmp(argv[1], "throughput") == 0)
		return throughput(argv[2], argv[3], number(argv[4]), number(argv[5]),
		                  number(argv[6]), number(argv[7]));
	if (argc == 9 && strcmp(argv[1], "lateness") == 0)
		return lateness(argv[2], argv[3], number(argv[4]), number(argv[5]), number(argv[6]),
		                number(argv[7]), number(argv[8]));
	if (argc == 7 && strcmp(argv[1], "build") == 0)
		return build_at(argv[2], argv[3], number(argv[4]), number(argv[5]),
		                number(argv[6]));
	if (argc == 7 && strcmp(argv[1], "schedule") == 0)
		return schedule(argv[2], number(argv[3]), number(argv[4]), number(argv[5]),
		                number(argv[6]));
	fprintf(stderr,
	        "usage: bench-engine throughput DIR LAB_ENV SINK_PORT MAILBOXES "
	        "PROSPECTS WORKERS\n       bench-engine lateness DIR LAB_ENV SINK_PORT "
	        "MAILBOXES SECONDS INTERVAL WORKERS\n       bench-engine build LOCATION LAB_ENV "
	        "SINK_PORT MAILBOXES PROSPECTS\n       bench-engine schedule DIR "
	        "ENROLLMENTS MAILBOXES CAMPAIGNS QUERIES\n");
	return 64;
}
