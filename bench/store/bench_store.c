/*
 * bench-store: the store's figures on PostgreSQL (bench/store/run drives
 * it; SQLite's are bench-engine's).
 *
 *   bench-store schedule URI ENROLLMENTS MAILBOXES CAMPAIGNS QUERIES
 *       The schema through the store, then a database of that size written
 *       straight in (generate_series), then QUERIES times "what is due next
 *       for mailbox M" (follow-ups, then openings) through the store, for
 *       random mailboxes: the same rows and questions as bench-engine's
 *       schedule on SQLite. Prints the latency.
 */
#include "store/store.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
number(const char *text)
{
	return (int)g_ascii_strtoll(text, NULL, 10);
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;
	return (x > y) - (x < y);
}

static void
exec_pg(PGconn *conn, const char *sql)
{
	PGresult *result = PQexec(conn, sql);
	if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK)
		g_error("%s: %s", sql, PQresultErrorMessage(result));
	PQclear(result);
}

/* The rows of bench-engine's schedule, in PostgreSQL's words. */
static void
build(PGconn *conn, int n_enrollments, int n_mailboxes, int n_campaigns)
{
	char sql[4096];
	/* The rows straight in, their triggers off (the lab's role is a
	 * superuser); the campaigns' counts made once after, as the triggers
	 * would have. */
	exec_pg(conn, "BEGIN; SET LOCAL session_replication_role = replica");
	g_snprintf(sql, sizeof sql,
	           "INSERT INTO mailbox (id, address, smtp_host, smtp_port, smtp_security, "
	           "smtp_user, imap_host, imap_port, imap_security, imap_user, secret_source, "
	           "created_at) SELECT i, 'm' || i || '@sender.test', 'h', 587, 'starttls', 'u', "
	           "'h', 993, 'tls', 'u', 'env:X', 0 FROM generate_series(1, %d) i",
	           n_mailboxes);
	exec_pg(conn, sql);
	g_snprintf(sql, sizeof sql,
	           "INSERT INTO campaign (id, name, state, definition, created_at) "
	           "SELECT i, 'c' || i, 'running', '', 0 FROM generate_series(1, %d) i",
	           n_campaigns);
	exec_pg(conn, sql);
	g_snprintf(sql, sizeof sql,
	           "INSERT INTO campaign_mailbox (campaign_id, mailbox_id) "
	           "SELECT ((i - 1) %% %d) + 1, i FROM generate_series(1, %d) i",
	           n_campaigns, n_mailboxes);
	exec_pg(conn, sql);
	g_snprintf(sql, sizeof sql,
	           "INSERT INTO prospect (id, email, created_at, updated_at) "
	           "SELECT i, 'p' || i || '@prospect.test', 0, 0 FROM generate_series(1, %d) i",
	           n_enrollments);
	exec_pg(conn, sql);
	/* Half on their way (follow-ups, sticky mailbox, due over a month),
	 * half still queued for their opening. */
	g_snprintf(sql, sizeof sql,
	           "INSERT INTO enrollment (id, campaign_id, prospect_id, mailbox_id, state, "
	           "next_step, next_due_at, created_at) "
	           "SELECT i, ((i - 1) %% %d) + 1, i, "
	           "CASE WHEN i %% 2 = 0 THEN ((i - 1) %% %d) + 1 END, "
	           "CASE WHEN i %% 2 = 0 THEN 'active' ELSE 'queued' END, "
	           "CASE WHEN i %% 2 = 0 THEN 2 ELSE 1 END, "
	           "CASE WHEN i %% 2 = 0 THEN floor(random() * 2592000)::bigint * 1000000 "
	           "ELSE 0 END, 0 FROM generate_series(1, %d) i",
	           n_campaigns, n_mailboxes, n_enrollments);
	exec_pg(conn, sql);
	exec_pg(conn, "INSERT INTO campaign_count (campaign_id, what, n) "
	              "SELECT campaign_id, state, count(*) FROM enrollment GROUP BY 1, 2");
	exec_pg(conn, "COMMIT");
	exec_pg(conn, "ANALYZE");
}

static int
schedule(const char *uri, int n_enrollments, int n_mailboxes, int n_campaigns, int n_queries)
{
	g_autoptr(GError) error = NULL;
	store_close(store_open(uri, &error));
	g_assert_no_error(error);
	PGconn *conn = PQconnectdb(uri);
	if (PQstatus(conn) != CONNECTION_OK)
		g_error("%s", PQerrorMessage(conn));
	gint64 t0 = g_get_monotonic_time();
	build(conn, n_enrollments, n_mailboxes, n_campaigns);
	PQfinish(conn);
	printf("built %d enrollments, %d mailboxes, %d campaigns in %.1f s\n", n_enrollments,
	       n_mailboxes, n_campaigns, (double)(g_get_monotonic_time() - t0) / 1e6);

	g_autoptr(Store) store = store_open(uri, &error);
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
	       "mailboxes): median %.2f ms, p99 %.2f ms, max %.2f ms; %u candidates found\n",
	       n_queries, ms[n_queries / 2], ms[(n_queries * 99) / 100], ms[n_queries - 1],
	       found_total);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 7 && strcmp(argv[1], "schedule") == 0)
		return schedule(argv[2], number(argv[3]), number(argv[4]), number(argv[5]),
		                number(argv[6]));
	fprintf(stderr,
	        "usage: bench-store schedule URI ENROLLMENTS MAILBOXES CAMPAIGNS QUERIES\n");
	return 64;
}
