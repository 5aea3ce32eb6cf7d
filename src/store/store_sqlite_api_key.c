/* The SQLite back end: the HTTP API's keys. */
#include "store/store_sqlite_private.h"

bool
store_sqlite_api_key_add(void *impl, const char *name, const char *scope, GBytes *hash,
                         GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "INSERT INTO api_key (name, scope, hash, created_at) VALUES (?1, ?2, ?3, ?4)",
	        error);
	if (stmt == NULL)
		return false;
	gsize size = 0;
	const void *data = g_bytes_get_data(hash, &size);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, scope, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 3, data, (int)size, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, store_sqlite_now_us(sqlite));
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "a key named \"%s\" exists",
		            name);
		return false;
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "api key add", error);
		return false;
	}
	return true;
}

/* The keys @stmt (bound) finds. */
static GPtrArray *
api_keys(Sqlite *sqlite, sqlite3_stmt *stmt, GError **error)
{
	g_autoptr(GPtrArray) keys =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_api_key_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StoreApiKey *key = g_new0(StoreApiKey, 1);
		key->id = sqlite3_column_int64(stmt, 0);
		key->name = store_sqlite_column_dup(stmt, 1);
		key->scope = store_sqlite_column_dup(stmt, 2);
		key->created_at = sqlite3_column_int64(stmt, 3);
		g_ptr_array_add(keys, key);
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "api keys", error);
		return NULL;
	}
	return g_steal_pointer(&keys);
}

StoreApiKey *
store_sqlite_api_key_find(void *impl, GBytes *hash, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT id, name, scope, created_at FROM api_key WHERE hash = ?1", error);
	if (stmt == NULL)
		return NULL;
	gsize size = 0;
	const void *data = g_bytes_get_data(hash, &size);
	sqlite3_bind_blob(stmt, 1, data, (int)size, SQLITE_STATIC);
	g_autoptr(GPtrArray) found = api_keys(impl, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

GPtrArray *
store_sqlite_api_key_list(void *impl, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT id, name, scope, created_at FROM api_key ORDER BY name", error);
	return stmt != NULL ? api_keys(impl, stmt, error) : NULL;
}

bool
store_sqlite_api_key_remove(void *impl, const char *name, bool *removed, GError **error)
{
	Sqlite *sqlite = impl;
	if (!STORE_SQLITE_RUN(sqlite, "DELETE FROM api_key WHERE name = ?1", "api key remove",
	                      error, STORE_SQLITE_TEXT(name)))
		return false;
	*removed = sqlite3_changes(sqlite->db) > 0;
	return true;
}
