/* The SQLite back end: the HTTP API's keys. */
#include "store/store_sql.h"

bool
store_sql_api_key_add(void *impl, const char *name, const char *scope, GBytes *hash, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "INSERT INTO api_key (name, scope, hash, created_at) VALUES (?1, ?2, ?3, ?4)",
	        error);
	if (stmt == NULL)
		return false;
	gsize size = 0;
	const void *data = g_bytes_get_data(hash, &size);
	store_sql_bind_text(stmt, 1, name);
	store_sql_bind_text(stmt, 2, scope);
	store_sql_bind_blob(stmt, 3, data, (int)size);
	store_sql_bind_int64(stmt, 4, store_sql_now_us(db));
	int rc = store_sql_step(stmt);
	store_sql_reset(stmt);
	if (rc == STORE_SQL_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "a key named \"%s\" exists",
		            name);
		return false;
	}
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "api key add", error);
		return false;
	}
	return true;
}

/* The keys @stmt (bound) finds. */
static GPtrArray *
api_keys(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) keys =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_api_key_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreApiKey *key = g_new0(StoreApiKey, 1);
		key->id = store_sql_column_int64(stmt, 0);
		key->name = store_sql_column_dup(stmt, 1);
		key->scope = store_sql_column_dup(stmt, 2);
		key->created_at = store_sql_column_int64(stmt, 3);
		g_ptr_array_add(keys, key);
	}
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "api keys", error);
		return NULL;
	}
	return g_steal_pointer(&keys);
}

StoreApiKey *
store_sql_api_key_find(void *impl, GBytes *hash, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT id, name, scope, created_at FROM api_key WHERE hash = ?1", error);
	if (stmt == NULL)
		return NULL;
	gsize size = 0;
	const void *data = g_bytes_get_data(hash, &size);
	store_sql_bind_blob(stmt, 1, data, (int)size);
	g_autoptr(GPtrArray) found = api_keys(impl, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

GPtrArray *
store_sql_api_key_list(void *impl, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT id, name, scope, created_at FROM api_key ORDER BY name", error);
	return stmt != NULL ? api_keys(impl, stmt, error) : NULL;
}

bool
store_sql_api_key_remove(void *impl, const char *name, bool *removed, GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(db, "DELETE FROM api_key WHERE name = ?1", "api key remove", error,
	                   STORE_SQL_TEXT(name)))
		return false;
	*removed = store_sql_changes(db) > 0;
	return true;
}
