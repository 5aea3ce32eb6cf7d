/* The SQLite back end: the counts of /metrics. */
#include "store/store_sql.h"

#include <string.h>

/* Rows of (label, count) from @sql (a literal) into a new array. */
static GPtrArray *
counts_of(StoreSql *db, const char *sql, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(db, sql, error);
	if (stmt == NULL)
		return NULL;
	GPtrArray *counts = g_ptr_array_new_with_free_func((GDestroyNotify)store_count_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreCount *count = g_new0(StoreCount, 1);
		count->name = store_sql_column_dup(stmt, 0);
		if (count->name == NULL)
			count->name = g_strdup("");
		count->n = (guint64)store_sql_column_int64(stmt, 1);
		g_ptr_array_add(counts, count);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		g_ptr_array_unref(counts);
		store_sql_set_error(db, rc, "metrics", error);
		return NULL;
	}
	return counts;
}

static bool
numbers_of(StoreSql *db, int64_t now_us, StoreMetrics *out, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT (SELECT count(*) FROM mailbox), "
	        "(SELECT count(*) FROM mailbox WHERE guard <> ''), "
	        "(SELECT count(*) FROM enrollment WHERE state IN ('queued', 'active') "
	        " AND next_due_at <= ?1)",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, now_us);
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_ROW) {
		out->mailboxes = (guint64)store_sql_column_int64(stmt, 0);
		out->mailboxes_guarded = (guint64)store_sql_column_int64(stmt, 1);
		out->due_now = (guint64)store_sql_column_int64(stmt, 2);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "metrics", error);
		return false;
	}
	return true;
}

static bool
latency_of(StoreSql *db, StoreMetrics *out, GError **error)
{
	StoreSqlStatement *stmt =
	        store_sql_statement(db,
	                            "SELECT sent_at - created_at FROM message WHERE state = 'sent' "
	                            "AND sent_at IS NOT NULL AND sent_at >= created_at",
	                            error);
	if (stmt == NULL)
		return false;
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		double seconds = (double)store_sql_column_int64(stmt, 0) / G_USEC_PER_SEC;
		out->latency_count++;
		out->latency_sum_s += seconds;
		for (int i = 0; i < STORE_LATENCY_BOUNDS; i++)
			if (seconds <= store_latency_bounds_s[i])
				out->latency_le[i]++;
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "metrics", error);
		return false;
	}
	return true;
}

bool
store_sql_metrics_read(void *impl, int64_t now_us, StoreMetrics *out, GError **error)
{
	StoreSql *db = impl;
	memset(out, 0, sizeof *out);
	out->messages_by_state = counts_of(
	        db, "SELECT state, count(*) FROM message GROUP BY state ORDER BY state", error);
	out->events_by_kind =
	        out->messages_by_state != NULL
	                ? counts_of(db,
	                            "SELECT kind, count(*) FROM event GROUP BY kind ORDER BY kind",
	                            error)
	                : NULL;
	out->paused_by_kind =
	        out->events_by_kind != NULL
	                ? counts_of(db,
	                            "SELECT paused_kind, count(*) FROM mailbox WHERE paused_reason "
	                            "IS NOT NULL GROUP BY paused_kind ORDER BY paused_kind",
	                            error)
	                : NULL;
	out->enrollments_by_state =
	        out->paused_by_kind != NULL
	                ? counts_of(db,
	                            "SELECT state, count(*) FROM enrollment GROUP BY state "
	                            "ORDER BY state",
	                            error)
	                : NULL;
	if (out->enrollments_by_state == NULL || !numbers_of(db, now_us, out, error) ||
	    !latency_of(db, out, error)) {
		store_metrics_clear(out);
		return false;
	}
	return true;
}
