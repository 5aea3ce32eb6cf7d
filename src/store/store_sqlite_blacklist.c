/* The SQLite back end: the blacklist. */
#include "store/store_sqlite_private.h"

#include <string.h>

bool
store_sqlite_blacklist_add(void *impl, const char *entry, const char *reason, GError **error)
{
	sqlite3_stmt *stmt =
	        store_sqlite_statement(impl,
	                               "INSERT INTO blacklist (entry, reason, created_at) "
	                               "VALUES (?1, ?2, ?3) ON CONFLICT (entry) DO NOTHING",
	                               error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, entry, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, store_sqlite_now_us(impl));
	return store_sqlite_step_done(impl, stmt, "blacklist add", error);
}

bool
store_sqlite_blacklist_remove(void *impl, const char *entry, bool *removed, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt =
	        store_sqlite_statement(sqlite, "DELETE FROM blacklist WHERE entry = ?1", error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, entry, -1, SQLITE_STATIC);
	if (!store_sqlite_step_done(sqlite, stmt, "blacklist remove", error))
		return false;
	*removed = sqlite3_changes(sqlite->db) > 0;
	return true;
}

GPtrArray *
store_sqlite_blacklist_list(void *impl, GError **error)
{
	sqlite3_stmt *stmt =
	        store_sqlite_statement(impl, "SELECT entry FROM blacklist ORDER BY entry", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(g_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(entries, g_strdup((const char *)sqlite3_column_text(stmt, 0)));
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(impl, rc, "blacklist list", error);
		return NULL;
	}
	return g_steal_pointer(&entries);
}

bool
store_sqlite_blacklist_blocks(void *impl, const char *email, bool *blocked, GError **error)
{
	const char *at = strchr(email, '@');
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT 1 FROM blacklist WHERE entry = ?1 OR entry = ?2 LIMIT 1", error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, at != NULL ? at : email, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sqlite_set_error(impl, rc, "blacklist check", error);
		return false;
	}
	*blocked = rc == SQLITE_ROW;
	return true;
}
