/* The SQLite back end: what the guards watch. */
#include "store/store_sqlite_private.h"

#include <string.h>

bool
store_sqlite_guard_window(void *impl, int64_t campaign_id, int64_t mailbox_id, int64_t since_us,
                          guint window, StoreGuardWindow *out, GError **error)
{
	Sqlite *sqlite = impl;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "SELECT e.state, min(m.created_at) AS first_at FROM enrollment e "
	        "JOIN message m ON m.enrollment_id = e.id "
	        "WHERE (?1 = 0 OR e.campaign_id = ?1) AND (?2 = 0 OR m.mailbox_id = ?2) "
	        "AND m.state IN ('sent', 'failed', 'uncertain') "
	        "GROUP BY e.id HAVING first_at >= ?4 ORDER BY first_at DESC, e.id DESC LIMIT ?3",
	        error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	sqlite3_bind_int64(stmt, 2, mailbox_id);
	sqlite3_bind_int64(stmt, 3, window);
	sqlite3_bind_int64(stmt, 4, since_us);
	int rc;
	bool in_a_row = true;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(stmt, 0);
		bool bounced = state != NULL && strcmp(state, "bounced") == 0;
		out->contacted++;
		out->bounced += bounced;
		in_a_row = in_a_row && bounced;
		out->bounced_in_a_row += in_a_row;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "guard window", error);
		return false;
	}
	return true;
}

bool
store_sqlite_guard_complaints(void *impl, int64_t campaign_id, int64_t mailbox_id, int64_t since_us,
                              guint *sent, guint *complaints, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "SELECT (SELECT count(*) FROM message m JOIN enrollment e ON e.id = "
	        "m.enrollment_id "
	        "WHERE (?1 = 0 OR e.campaign_id = ?1) AND (?2 = 0 OR m.mailbox_id = ?2) "
	        "AND m.created_at >= ?3 AND m.state IN ('sent', 'uncertain')), "
	        "(SELECT count(*) FROM event v WHERE v.kind = 'complaint' AND v.at >= ?3 "
	        "AND (?1 = 0 OR v.campaign_id = ?1) AND (?2 = 0 OR v.mailbox_id = ?2))",
	        error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	sqlite3_bind_int64(stmt, 2, mailbox_id);
	sqlite3_bind_int64(stmt, 3, since_us);
	int rc = sqlite3_step(stmt);
	*sent = rc == SQLITE_ROW ? (guint)sqlite3_column_int64(stmt, 0) : 0;
	*complaints = rc == SQLITE_ROW ? (guint)sqlite3_column_int64(stmt, 1) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, rc, "guard complaints", error);
		return false;
	}
	return true;
}
