/* The SQLite back end: the blacklist. */
#include "store/store_sql.h"

#include <string.h>

bool
store_sql_blacklist_add(void *impl, const char *entry, const char *reason, GError **error)
{
	StoreSqlStatement *stmt =
	        store_sql_statement(impl,
	                            "INSERT INTO blacklist (entry, reason, created_at) "
	                            "VALUES (?1, ?2, ?3) ON CONFLICT (entry) DO NOTHING",
	                            error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, entry);
	store_sql_bind_text(stmt, 2, reason);
	store_sql_bind_int64(stmt, 3, store_sql_now_us(impl));
	return store_sql_step_done(impl, stmt, "blacklist add", error);
}

bool
store_sql_blacklist_remove(void *impl, const char *entry, bool *removed, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt =
	        store_sql_statement(db, "DELETE FROM blacklist WHERE entry = ?1", error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, entry);
	if (!store_sql_step_done(db, stmt, "blacklist remove", error))
		return false;
	*removed = store_sql_changes(db) > 0;
	return true;
}

GPtrArray *
store_sql_blacklist_list(void *impl, GError **error)
{
	StoreSqlStatement *stmt =
	        store_sql_statement(impl, "SELECT entry FROM blacklist ORDER BY entry", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(g_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW)
		g_ptr_array_add(entries, g_strdup((const char *)store_sql_column_text(stmt, 0)));
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(impl, rc, "blacklist list", error);
		return NULL;
	}
	return g_steal_pointer(&entries);
}

bool
store_sql_blacklist_blocks(void *impl, const char *email, bool *blocked, GError **error)
{
	const char *at = strchr(email, '@');
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT 1 FROM blacklist WHERE entry = ?1 OR entry = ?2 LIMIT 1", error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, email);
	store_sql_bind_text(stmt, 2, at != NULL ? at : email);
	int rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW && rc != STORE_SQL_DONE) {
		store_sql_set_error(impl, rc, "blacklist check", error);
		return false;
	}
	*blocked = rc == STORE_SQL_ROW;
	return true;
}
