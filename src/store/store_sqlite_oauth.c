/* The SQLite back end: OAuth2 clients. */
#include "store/store_sqlite_private.h"

bool
store_sqlite_oauth_client_set(void *impl, const StoreOauthClientInput *c, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
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
	sqlite3_bind_text(stmt, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, c->client_id, -1, SQLITE_STATIC);
	if (c->secret_sealed != NULL)
		sqlite3_bind_blob(stmt, 3, g_bytes_get_data(c->secret_sealed, NULL),
		                  (int)g_bytes_get_size(c->secret_sealed), SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 3);
	sqlite3_bind_text(stmt, 4, c->auth_url, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, c->token_url, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, store_sqlite_or_empty(c->device_url), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, c->scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, store_sqlite_or_empty(c->auth_params), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 9, store_sqlite_now_us(impl));
	return store_sqlite_step_done(sqlite, stmt, "oauth client", error);
}

#define OAUTH_CLIENT_COLUMNS                                                                       \
	"name, client_id, secret_sealed, auth_url, token_url, device_url, scope, auth_params, "    \
	"updated_at"

static StoreOauthClient *
client_from_row(sqlite3_stmt *row)
{
	StoreOauthClient *c = g_new0(StoreOauthClient, 1);
	c->name = store_sqlite_column_dup(row, 0);
	c->client_id = store_sqlite_column_dup(row, 1);
	if (sqlite3_column_type(row, 2) == SQLITE_BLOB)
		c->secret_sealed = g_bytes_new(sqlite3_column_blob(row, 2),
		                               (gsize)sqlite3_column_bytes(row, 2));
	c->auth_url = store_sqlite_column_dup(row, 3);
	c->token_url = store_sqlite_column_dup(row, 4);
	c->device_url = store_sqlite_column_dup(row, 5);
	c->scope = store_sqlite_column_dup(row, 6);
	c->auth_params = store_sqlite_column_dup(row, 7);
	c->updated_at = sqlite3_column_int64(row, 8);
	return c;
}

StoreOauthClient *
store_sqlite_oauth_client_get(void *impl, const char *name, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT " OAUTH_CLIENT_COLUMNS " FROM oauth_client WHERE name = ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return NULL;
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(impl, rc, "oauth client", error);
		return NULL;
	}
	StoreOauthClient *client = client_from_row(stmt);
	sqlite3_reset(stmt);
	return client;
}

GPtrArray *
store_sqlite_oauth_client_list(void *impl, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT " OAUTH_CLIENT_COLUMNS " FROM oauth_client ORDER BY name", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) clients =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_oauth_client_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(clients, client_from_row(stmt));
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(impl, rc, "oauth client list", error);
		return NULL;
	}
	return g_steal_pointer(&clients);
}
