/* The SQLite back end: webhook subscriptions. */
#include "store/store_sql.h"

bool
store_sql_webhook_add(void *impl, const char *url, const char *events, GBytes *secret_sealed,
                      int64_t *id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt =
	        store_sql_statement(db,
	                            "INSERT INTO webhook (url, events, secret_sealed, "
	                            "created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
	                            error);
	if (stmt == NULL)
		return false;
	gsize size = 0;
	const void *data = g_bytes_get_data(secret_sealed, &size);
	store_sql_bind_text(stmt, 1, url);
	store_sql_bind_text(stmt, 2, events);
	store_sql_bind_blob(stmt, 3, data, (int)size);
	store_sql_bind_int64(stmt, 4, store_sql_now_us(db));
	int rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "webhook add", error);
		return false;
	}
	if (id != NULL)
		*id = store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

static GPtrArray *
webhooks(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_webhook_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreWebhook *w = g_new0(StoreWebhook, 1);
		w->id = store_sql_column_int64(stmt, 0);
		w->url = store_sql_column_dup(stmt, 1);
		w->events = store_sql_column_dup(stmt, 2);
		w->secret_sealed = g_bytes_new(store_sql_column_blob(stmt, 3),
		                               (gsize)store_sql_column_bytes(stmt, 3));
		w->created_at = store_sql_column_int64(stmt, 4);
		g_ptr_array_add(list, w);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "webhooks", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sql_webhook_list(void *impl, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT id, url, events, secret_sealed, created_at FROM webhook ORDER BY id",
	        error);
	return stmt != NULL ? webhooks(impl, stmt, error) : NULL;
}

StoreWebhook *
store_sql_webhook_get(void *impl, int64_t id, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl,
	        "SELECT id, url, events, secret_sealed, created_at FROM webhook WHERE id = ?1",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, id);
	g_autoptr(GPtrArray) found = webhooks(impl, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

bool
store_sql_webhook_remove(void *impl, int64_t id, bool *removed, GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(db, "DELETE FROM webhook WHERE id = ?1", "webhook remove", error,
	                   STORE_SQL_NUMBER(id)))
		return false;
	*removed = store_sql_changes(db) > 0;
	return true;
}
