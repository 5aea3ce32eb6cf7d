/* The SQLite back end: OAuth2 clients. */
#include "store/store_sql.h"

bool
store_sql_oauth_client_set(void *impl, const StoreOauthClientInput *c, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "INSERT INTO oauth_client (name, client_id, secret_sealed, auth_url, token_url, "
	        "device_url, scope, auth_params, created_at, updated_at) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT (name) DO UPDATE SET "
	        "client_id = excluded.client_id, secret_sealed = excluded.secret_sealed, "
	        "auth_url = excluded.auth_url, token_url = excluded.token_url, "
	        "device_url = excluded.device_url, scope = excluded.scope, "
	        "auth_params = excluded.auth_params, updated_at = excluded.updated_at",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, c->name);
	store_sql_bind_text(stmt, 2, c->client_id);
	if (c->secret_sealed != NULL)
		store_sql_bind_blob(stmt, 3, g_bytes_get_data(c->secret_sealed, NULL),
		                    (int)g_bytes_get_size(c->secret_sealed));
	else
		store_sql_bind_null(stmt, 3);
	store_sql_bind_text(stmt, 4, c->auth_url);
	store_sql_bind_text(stmt, 5, c->token_url);
	store_sql_bind_text(stmt, 6, store_sql_or_empty(c->device_url));
	store_sql_bind_text(stmt, 7, c->scope);
	store_sql_bind_text(stmt, 8, store_sql_or_empty(c->auth_params));
	store_sql_bind_int64(stmt, 9, store_sql_now_us(impl));
	return store_sql_step_done(db, stmt, "oauth client", error);
}

#define OAUTH_CLIENT_COLUMNS                                                                       \
	"name, client_id, secret_sealed, auth_url, token_url, device_url, scope, auth_params, "    \
	"updated_at"

static StoreOauthClient *
client_from_row(StoreSqlStatement *row)
{
	StoreOauthClient *c = g_new0(StoreOauthClient, 1);
	c->name = store_sql_column_dup(row, 0);
	c->client_id = store_sql_column_dup(row, 1);
	if (!store_sql_column_is_null(row, 2))
		c->secret_sealed = g_bytes_new(store_sql_column_blob(row, 2),
		                               (gsize)store_sql_column_bytes(row, 2));
	c->auth_url = store_sql_column_dup(row, 3);
	c->token_url = store_sql_column_dup(row, 4);
	c->device_url = store_sql_column_dup(row, 5);
	c->scope = store_sql_column_dup(row, 6);
	c->auth_params = store_sql_column_dup(row, 7);
	c->updated_at = store_sql_column_int64(row, 8);
	return c;
}

StoreOauthClient *
store_sql_oauth_client_get(void *impl, const char *name, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT " OAUTH_CLIENT_COLUMNS " FROM oauth_client WHERE name = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, name);
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_DONE)
		return NULL;
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(impl, rc, "oauth client", error);
		return NULL;
	}
	StoreOauthClient *client = client_from_row(stmt);
	store_sql_reset(stmt);
	return client;
}

GPtrArray *
store_sql_oauth_client_list(void *impl, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT " OAUTH_CLIENT_COLUMNS " FROM oauth_client ORDER BY name", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) clients =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_oauth_client_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW)
		g_ptr_array_add(clients, client_from_row(stmt));
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(impl, rc, "oauth client list", error);
		return NULL;
	}
	return g_steal_pointer(&clients);
}

bool
store_sql_oauth_refresh_lock(void *impl, int64_t mailbox_id, bool take, bool *taken, GError **error)
{
	StoreSql *db = impl;
	*taken = false;
	return db->driver->lock_refresh(db, mailbox_id, take, taken, error);
}
