/* The SQLite back end: what the guards watch. */
#include "store/store_sql.h"

#include <string.h>

bool
store_sql_guard_window(void *impl, int64_t campaign_id, int64_t mailbox_id, int64_t since_us,
                       guint window, StoreGuardWindow *out, GError **error)
{
	StoreSql *db = impl;
	memset(out, 0, sizeof *out);
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT e.state, min(m.created_at) AS first_at FROM enrollment e "
	        "JOIN message m ON m.enrollment_id = e.id "
	        "WHERE (?1 = 0 OR e.campaign_id = ?1) AND (?2 = 0 OR m.mailbox_id = ?2) "
	        "AND m.state IN ('sent', 'failed', 'uncertain') "
	        "GROUP BY e.id HAVING min(m.created_at) >= ?4 ORDER BY first_at DESC, e.id DESC "
	        "LIMIT ?3",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, campaign_id);
	store_sql_bind_int64(stmt, 2, mailbox_id);
	store_sql_bind_int64(stmt, 3, window);
	store_sql_bind_int64(stmt, 4, since_us);
	int rc;
	bool in_a_row = true;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		const char *state = (const char *)store_sql_column_text(stmt, 0);
		bool bounced = state != NULL && strcmp(state, "bounced") == 0;
		out->contacted++;
		out->bounced += bounced;
		in_a_row = in_a_row && bounced;
		out->bounced_in_a_row += in_a_row;
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "guard window", error);
		return false;
	}
	return true;
}

bool
store_sql_guard_complaints(void *impl, int64_t campaign_id, int64_t mailbox_id, int64_t since_us,
                           guint *sent, guint *complaints, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT (SELECT count(*) FROM message m JOIN enrollment e ON e.id = "
	        "m.enrollment_id "
	        "WHERE (?1 = 0 OR e.campaign_id = ?1) AND (?2 = 0 OR m.mailbox_id = ?2) "
	        "AND m.created_at >= ?3 AND m.state IN ('sent', 'uncertain')), "
	        "(SELECT count(*) FROM event v WHERE v.kind = 'complaint' AND v.at >= ?3 "
	        "AND (?1 = 0 OR v.campaign_id = ?1) AND (?2 = 0 OR v.mailbox_id = ?2))",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, campaign_id);
	store_sql_bind_int64(stmt, 2, mailbox_id);
	store_sql_bind_int64(stmt, 3, since_us);
	int rc = store_sql_step(stmt);
	*sent = rc == STORE_SQL_ROW ? (guint)store_sql_column_int64(stmt, 0) : 0;
	*complaints = rc == STORE_SQL_ROW ? (guint)store_sql_column_int64(stmt, 1) : 0;
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "guard complaints", error);
		return false;
	}
	return true;
}
