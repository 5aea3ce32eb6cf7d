/* The SQLite back end: webhook subscriptions. */
#include "store/store_sqlite_private.h"

bool
store_sqlite_webhook_add(void *impl, const char *url, const char *events, GBytes *secret_sealed,
                         int64_t *id, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt =
	        store_sqlite_statement(sqlite,
	                               "INSERT INTO webhook (url, events, secret_sealed, "
	                               "created_at) VALUES (?1, ?2, ?3, ?4)",
	                               error);
	if (stmt == NULL)
		return false;
	gsize size = 0;
	const void *data = g_bytes_get_data(secret_sealed, &size);
	sqlite3_bind_text(stmt, 1, url, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, events, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 3, data, (int)size, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, store_sqlite_now_us(sqlite));
	if (!store_sqlite_step_done(sqlite, stmt, "webhook add", error))
		return false;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(sqlite->db);
	return true;
}

static GPtrArray *
webhooks(Sqlite *sqlite, sqlite3_stmt *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_webhook_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StoreWebhook *w = g_new0(StoreWebhook, 1);
		w->id = sqlite3_column_int64(stmt, 0);
		w->url = store_sqlite_column_dup(stmt, 1);
		w->events = store_sqlite_column_dup(stmt, 2);
		w->secret_sealed = g_bytes_new(sqlite3_column_blob(stmt, 3),
		                               (gsize)sqlite3_column_bytes(stmt, 3));
		w->created_at = sqlite3_column_int64(stmt, 4);
		g_ptr_array_add(list, w);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "webhooks", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sqlite_webhook_list(void *impl, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT id, url, events, secret_sealed, created_at FROM webhook ORDER BY id",
	        error);
	return stmt != NULL ? webhooks(impl, stmt, error) : NULL;
}

StoreWebhook *
store_sqlite_webhook_get(void *impl, int64_t id, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl,
	        "SELECT id, url, events, secret_sealed, created_at FROM webhook WHERE id = ?1",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	g_autoptr(GPtrArray) found = webhooks(impl, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

bool
store_sqlite_webhook_remove(void *impl, int64_t id, bool *removed, GError **error)
{
	Sqlite *sqlite = impl;
	if (!STORE_SQLITE_RUN(sqlite, "DELETE FROM webhook WHERE id = ?1", "webhook remove", error,
	                      STORE_SQLITE_NUMBER(id)))
		return false;
	*removed = sqlite3_changes(sqlite->db) > 0;
	return true;
}
