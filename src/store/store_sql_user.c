/* The store's SQL: the dashboard's users and their sessions. */
#include "store/store_sql.h"

bool
store_sql_user_add(void *impl, const char *email, const char *role, const char *password_hash,
                   GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt =
	        store_sql_statement(db,
	                            "INSERT INTO app_user (email, role, password_hash, created_at) "
	                            "VALUES (?1, ?2, ?3, ?4)",
	                            error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, email);
	store_sql_bind_text(stmt, 2, role);
	store_sql_bind_text(stmt, 3, password_hash);
	store_sql_bind_int64(stmt, 4, store_sql_now_us(db));
	int rc = store_sql_step(stmt);
	store_sql_reset(stmt);
	if (rc == STORE_SQL_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "a user %s exists", email);
		return false;
	}
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "user add", error);
		return false;
	}
	return true;
}

/* The user of the row @stmt is on, from its column @first on. */
static StoreUser *
user_of_row(StoreSqlStatement *stmt, int first)
{
	StoreUser *user = g_new0(StoreUser, 1);
	user->id = store_sql_column_int64(stmt, first);
	user->email = store_sql_column_dup(stmt, first + 1);
	user->role = store_sql_column_dup(stmt, first + 2);
	user->password_hash = store_sql_column_dup(stmt, first + 3);
	user->created_at = store_sql_column_int64(stmt, first + 4);
	return user;
}

/* The users @stmt (bound) finds. */
static GPtrArray *
users(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) found =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_user_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW)
		g_ptr_array_add(found, user_of_row(stmt, 0));
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "users", error);
		return NULL;
	}
	return g_steal_pointer(&found);
}

StoreUser *
store_sql_user_find(void *impl, const char *email, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl,
	        "SELECT id, email, role, password_hash, created_at FROM app_user "
	        "WHERE email = lower(?1)",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, email);
	g_autoptr(GPtrArray) found = users(impl, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

GPtrArray *
store_sql_user_list(void *impl, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl,
	        "SELECT id, email, role, password_hash, created_at FROM app_user ORDER BY email",
	        error);
	return stmt != NULL ? users(impl, stmt, error) : NULL;
}

bool
store_sql_user_remove(void *impl, const char *email, bool *removed, GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(db, "DELETE FROM app_user WHERE email = lower(?1)", "user remove", error,
	                   STORE_SQL_TEXT(email)))
		return false;
	*removed = store_sql_changes(db) > 0;
	return true;
}

bool
store_sql_user_set_password(void *impl, const char *email, const char *password_hash, bool *found,
                            GError **error)
{
	StoreSql *db = impl;
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "user_password", error))
		return false;
	bool ok = STORE_SQL_RUN(
	        db, "UPDATE app_user SET password_hash = ?2 WHERE email = lower(?1)",
	        "user password", error, STORE_SQL_TEXT(email), STORE_SQL_TEXT(password_hash));
	*found = ok && store_sql_changes(db) > 0;
	ok = ok && STORE_SQL_RUN(db,
	                         "DELETE FROM user_session WHERE user_id IN "
	                         "(SELECT id FROM app_user WHERE email = lower(?1))",
	                         "user password", error, STORE_SQL_TEXT(email));
	return store_sql_unit_end(db, &unit, ok, error);
}

bool
store_sql_user_set_role(void *impl, const char *email, const char *role, bool *found,
                        GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(db, "UPDATE app_user SET role = ?2 WHERE email = lower(?1)", "user role",
	                   error, STORE_SQL_TEXT(email), STORE_SQL_TEXT(role)))
		return false;
	*found = store_sql_changes(db) > 0;
	return true;
}

bool
store_sql_user_session_add(void *impl, int64_t user_id, GBytes *token_hash, const char *csrf,
                           int64_t expires_at, GError **error)
{
	StoreSql *db = impl;
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "session_add", error))
		return false;
	int64_t now = store_sql_now_us(db);
	bool ok = STORE_SQL_RUN(
	        db, "DELETE FROM user_session WHERE user_id = ?1 AND expires_at <= ?2",
	        "session add", error, STORE_SQL_NUMBER(user_id), STORE_SQL_NUMBER(now));
	StoreSqlStatement *stmt =
	        ok ? store_sql_statement(db,
	                                 "INSERT INTO user_session "
	                                 "(token_hash, user_id, csrf, created_at, expires_at) "
	                                 "VALUES (?1, ?2, ?3, ?4, ?5)",
	                                 error)
	           : NULL;
	if (stmt != NULL) {
		gsize size = 0;
		const void *data = g_bytes_get_data(token_hash, &size);
		store_sql_bind_blob(stmt, 1, data, (int)size);
		store_sql_bind_int64(stmt, 2, user_id);
		store_sql_bind_text(stmt, 3, csrf);
		store_sql_bind_int64(stmt, 4, now);
		store_sql_bind_int64(stmt, 5, expires_at);
		ok = store_sql_step_done(db, stmt, "session add", error);
		store_sql_reset(stmt);
	} else {
		ok = false;
	}
	return store_sql_unit_end(db, &unit, ok, error);
}

StoreUserSession *
store_sql_user_session_find(void *impl, GBytes *token_hash, int64_t now_us, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT u.id, u.email, u.role, u.password_hash, u.created_at, s.csrf, s.expires_at "
	        "FROM user_session s JOIN app_user u ON u.id = s.user_id "
	        "WHERE s.token_hash = ?1 AND s.expires_at > ?2",
	        error);
	if (stmt == NULL)
		return NULL;
	gsize size = 0;
	const void *data = g_bytes_get_data(token_hash, &size);
	store_sql_bind_blob(stmt, 1, data, (int)size);
	store_sql_bind_int64(stmt, 2, now_us);
	StoreUserSession *session = NULL;
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_ROW) {
		session = g_new0(StoreUserSession, 1);
		session->user = user_of_row(stmt, 0);
		session->csrf = store_sql_column_dup(stmt, 5);
		session->expires_at = store_sql_column_int64(stmt, 6);
	} else if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "session", error);
	}
	store_sql_reset(stmt);
	return session;
}

bool
store_sql_user_session_remove(void *impl, GBytes *token_hash, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt =
	        store_sql_statement(db, "DELETE FROM user_session WHERE token_hash = ?1", error);
	if (stmt == NULL)
		return false;
	gsize size = 0;
	const void *data = g_bytes_get_data(token_hash, &size);
	store_sql_bind_blob(stmt, 1, data, (int)size);
	bool ok = store_sql_step_done(db, stmt, "session remove", error);
	store_sql_reset(stmt);
	return ok;
}
