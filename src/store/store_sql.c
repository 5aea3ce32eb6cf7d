/* The SQL back end: the connection's life, its statements, migrations,
 * transactions, events and the wake-up time, over either driver. */
#define G_LOG_DOMAIN "piculet-store"

#include "store/store_sql.h"

#include "base/base_error.h"

#include "piculet_config.h"

#include <string.h>

StoreSqlDialect
store_sql_dialect(const StoreSql *db)
{
	return db->driver->dialect;
}

int
store_sql_errcode(const StoreSql *db)
{
	return db->last_code;
}

void
store_sql_set_error(StoreSql *db, int rc, const char *what, GError **error)
{
	int code = STORE_ERROR_FAILED;
	switch (rc) {
	case STORE_SQL_BUSY:
	case STORE_SQL_LOCKED:
		code = STORE_ERROR_BUSY;
		break;
	case STORE_SQL_READONLY:
		code = STORE_ERROR_READ_ONLY;
		break;
	case STORE_SQL_CANTOPEN:
	case STORE_SQL_NOTADB:
	case STORE_SQL_PERM:
		code = STORE_ERROR_OPEN;
		break;
	case STORE_SQL_CONSTRAINT:
		code = STORE_ERROR_INVALID;
		break;
	case STORE_SQL_FENCED:
		code = STORE_ERROR_FENCED;
		break;
	case STORE_SQL_UNAVAILABLE:
		code = STORE_ERROR_UNAVAILABLE;
		break;
	default:
		break;
	}
	/* The engine's text can quote what it was given (a file name, a
	 * value): made printable like any outside text. */
	const char *said = db != NULL ? db->driver->message(db) : NULL;
	g_autofree char *message = base_error_printable_dup(
	        said != NULL && said[0] != '\0' ? said : "failed", -1, 300);
	g_autofree char *place = base_error_printable_dup(what, -1, 300);
	if (code == STORE_ERROR_BUSY)
		g_set_error(error, STORE_ERROR, code,
		            "%s: the database is locked by another piculet (%s)", place, message);
	else
		g_set_error(error, STORE_ERROR, code, "%s: %s", place, message);
}

static void
statement_free(gpointer data)
{
	StoreSqlStatement *stmt = data;
	stmt->db->driver->finalize(stmt->handle);
	g_free(stmt);
}

StoreSqlStatement *
store_sql_statement(StoreSql *db, const char *sql, GError **error)
{
	StoreSqlStatement *stmt = g_hash_table_lookup(db->statements, sql);
	if (stmt != NULL) {
		db->driver->reset(stmt);
		return stmt;
	}
	int rc = STORE_SQL_ERROR;
	void *handle = db->driver->prepare(db, sql, &rc);
	if (handle == NULL) {
		db->last_code = rc;
		store_sql_set_error(db, rc, "prepare", error);
		return NULL;
	}
	stmt = g_new0(StoreSqlStatement, 1);
	stmt->db = db;
	stmt->handle = handle;
	g_hash_table_insert(db->statements, (gpointer)sql, stmt);
	return stmt;
}

void
store_sql_reset(StoreSqlStatement *stmt)
{
	stmt->db->driver->reset(stmt);
}

void
store_sql_bind_int64(StoreSqlStatement *stmt, int index, int64_t value)
{
	stmt->db->driver->bind_int64(stmt, index, value);
}

void
store_sql_bind_text(StoreSqlStatement *stmt, int index, const char *text)
{
	if (text == NULL)
		stmt->db->driver->bind_null(stmt, index);
	else
		stmt->db->driver->bind_text(stmt, index, text);
}

void
store_sql_bind_blob(StoreSqlStatement *stmt, int index, const void *data, int size)
{
	stmt->db->driver->bind_blob(stmt, index, data, size);
}

void
store_sql_bind_null(StoreSqlStatement *stmt, int index)
{
	stmt->db->driver->bind_null(stmt, index);
}

int
store_sql_step(StoreSqlStatement *stmt)
{
	int rc = stmt->db->driver->step(stmt);
	if (rc != STORE_SQL_ROW && rc != STORE_SQL_DONE)
		stmt->db->last_code = rc;
	return rc;
}

int64_t
store_sql_column_int64(StoreSqlStatement *stmt, int column)
{
	return stmt->db->driver->column_int64(stmt, column);
}

int
store_sql_column_int(StoreSqlStatement *stmt, int column)
{
	return (int)stmt->db->driver->column_int64(stmt, column);
}

const char *
store_sql_column_text(StoreSqlStatement *stmt, int column)
{
	return stmt->db->driver->column_text(stmt, column);
}

const void *
store_sql_column_blob(StoreSqlStatement *stmt, int column)
{
	int size = 0;
	return stmt->db->driver->column_blob(stmt, column, &size);
}

int
store_sql_column_bytes(StoreSqlStatement *stmt, int column)
{
	int size = 0;
	stmt->db->driver->column_blob(stmt, column, &size);
	return size;
}

bool
store_sql_column_is_null(StoreSqlStatement *stmt, int column)
{
	return stmt->db->driver->column_is_null(stmt, column);
}

int64_t
store_sql_changes(StoreSql *db)
{
	return db->driver->changes(db);
}

bool
store_sql_step_done(StoreSql *db, StoreSqlStatement *stmt, const char *what, GError **error)
{
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_DONE || rc == STORE_SQL_ROW)
		return true;
	store_sql_set_error(db, rc, what, error);
	return false;
}

bool
store_sql_exec(StoreSql *db, const char *sql, const char *what, GError **error)
{
	int rc = db->driver->exec(db, sql);
	if (rc != STORE_SQL_OK) {
		db->last_code = rc;
		store_sql_set_error(db, rc, what, error);
		return false;
	}
	return true;
}

int64_t
store_sql_now_us(const StoreSql *db)
{
	return db->clock != NULL ? db->clock(db->clock_data) : g_get_real_time();
}

const char *
store_sql_or_empty(const char *text)
{
	return text != NULL ? text : "";
}

char *
store_sql_column_dup(StoreSqlStatement *row, int column)
{
	const char *text = store_sql_column_text(row, column);
	return text != NULL ? g_strdup(text) : NULL;
}

bool
store_sql_run(StoreSql *db, const char *sql, const char *what, GError **error,
              const StoreSqlBind *binds, gsize n_binds)
{
	StoreSqlStatement *stmt = store_sql_statement(db, sql, error);
	if (stmt == NULL)
		return false;
	for (gsize i = 0; i < n_binds; i++) {
		if (!binds[i].is_text)
			store_sql_bind_int64(stmt, (int)i + 1, binds[i].number);
		else
			store_sql_bind_text(stmt, (int)i + 1, binds[i].text);
	}
	bool ok = store_sql_step_done(db, stmt, what, error);
	store_sql_reset(stmt);
	return ok;
}

bool
store_sql_count(StoreSql *db, const char *sql, int64_t a, int64_t b, guint *result, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(db, sql, error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, a);
	store_sql_bind_int64(stmt, 2, b);
	int rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "count", error);
		return false;
	}
	*result = (guint)store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

bool
store_sql_number_query(StoreSql *db, const char *sql, int64_t value, const char *what,
                       int64_t *number, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(db, sql, error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, value);
	int rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, what, error);
		return false;
	}
	*number = store_sql_column_is_null(stmt, 0) ? 0 : store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

bool
store_sql_text_query(StoreSql *db, const char *sql, const char *what, char **text, GError **error)
{
	*text = NULL;
	StoreSqlStatement *stmt = store_sql_statement(db, sql, error);
	if (stmt == NULL)
		return false;
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_ROW)
		*text = store_sql_column_dup(stmt, 0);
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW && rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, what, error);
		return false;
	}
	return true;
}

/* A savepoint's statement, prepared once: one runs around each write made
 * inside a caller's transaction (a batch of events: two a row). All have
 * one name: RELEASE and ROLLBACK TO take the innermost of that name. */
static bool
run_savepoint(StoreSql *db, const char *sql, const char *what, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(db, sql, error);
	if (stmt == NULL)
		return false;
	bool ok = store_sql_step_done(db, stmt, what, error);
	store_sql_reset(stmt);
	return ok;
}

bool
store_sql_unit_begin(StoreSql *db, StoreSqlUnit *unit, const char *name, GError **error)
{
	unit->name = name;
	unit->own = !db->driver->in_transaction(db);
	if (unit->own)
		return store_sql_exec(db, db->driver->begin_sql, name, error);
	return run_savepoint(db, "SAVEPOINT piculet_unit", name, error);
}

bool
store_sql_unit_end(StoreSql *db, StoreSqlUnit *unit, bool ok, GError **error)
{
	if (unit->own) {
		if (ok)
			return store_sql_exec(db, "COMMIT", unit->name, error);
		store_sql_exec(db, "ROLLBACK", unit->name, NULL);
		return false;
	}
	if (ok)
		return run_savepoint(db, "RELEASE piculet_unit", unit->name, error);
	run_savepoint(db, "ROLLBACK TO piculet_unit", unit->name, NULL);
	run_savepoint(db, "RELEASE piculet_unit", unit->name, NULL);
	return false;
}

static void
sql_close(void *impl)
{
	StoreSql *db = impl;
	if (db == NULL)
		return;
	/* Statements before their connection. */
	g_hash_table_unref(db->statements);
	db->driver->disconnect(db);
	g_free(db->location);
	g_free(db->key_path);
	g_free(db);
}

/* Each migration and its version bump happen together, the version read
 * again under the writers' lock: of two processes opening a new database
 * at once, the second finds it migrated. */
static bool
migrate(StoreSql *db, GError **error)
{
	unsigned latest = *db->driver->version;
	unsigned version = 0;
	/* The common case without a transaction: a reader does not wait for
	 * a writer. */
	if (!db->driver->read_version(db, &version, error))
		return false;
	if (version == latest) {
		db->version = latest;
		return true;
	}
	for (;;) {
		if (!store_sql_exec(db, db->driver->migrate_sql, "migrate", error))
			return false;
		if (!db->driver->read_version(db, &version, error))
			goto fail;
		if (version > latest) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_VERSION,
			            "the database is at schema version %u, written by a newer "
			            "piculet; this one knows up to version %u",
			            version, latest);
			goto fail;
		}
		if (version == latest)
			break;
		if (!store_sql_exec(db, db->driver->migrations[version], "migrate", error) ||
		    !db->driver->write_version(db, version + 1, error))
			goto fail;
		if (!store_sql_exec(db, "COMMIT", "migrate", error))
			return false;
		g_debug("schema migrated to version %u", version + 1);
	}
	if (!store_sql_exec(db, "COMMIT", "migrate", error))
		return false;
	db->version = latest;
	return true;
fail:
	store_sql_exec(db, "ROLLBACK", "migrate", NULL);
	return false;
}

static bool
is_postgresql(const char *location)
{
	return g_str_has_prefix(location, "postgresql://") ||
	       g_str_has_prefix(location, "postgres://");
}

static void *
sql_open(const char *location, const StoreSettings *settings, GError **error)
{
	StoreSql *db = g_new0(StoreSql, 1);
	db->driver = &store_sqlite_driver;
	if (is_postgresql(location)) {
#if PICULET_HAVE_POSTGRESQL
		db->driver = &store_pg_driver;
#else
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_OPEN,
		                    "this piculet was built without PostgreSQL (libpq)");
		g_free(db);
		return NULL;
#endif
	}
	db->location = g_strdup(location);
	db->clock = settings->clock;
	db->clock_data = settings->clock_data;
	db->key_path = settings->key_path != NULL ? g_strdup(settings->key_path) : NULL;
	db->stop_fd = settings->stop_fd;
	db->statements = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, statement_free);
	db->puts_insert = true;
	if (!db->driver->connect(db, location, error)) {
		sql_close(db);
		return NULL;
	}
	if (!migrate(db, error)) {
		g_prefix_error(error, "%s: ",
		               db->driver->dialect == STORE_SQL_SQLITE ? location : "PostgreSQL");
		sql_close(db);
		return NULL;
	}
	return db;
}

static const char *
sql_key_path(void *impl)
{
	return ((StoreSql *)impl)->key_path;
}

static unsigned
sql_schema_version(void *impl)
{
	return ((StoreSql *)impl)->version;
}

static void
sql_rollback(void *impl)
{
	StoreSql *db = impl;
	if (db->driver->in_transaction(db))
		store_sql_exec(db, "ROLLBACK", "rollback", NULL);
}

bool
store_sql_begin(void *impl, GError **error)
{
	StoreSql *db = impl;
	return store_sql_exec(db, db->driver->begin_sql, "begin", error);
}

bool
store_sql_commit(void *impl, GError **error)
{
	return store_sql_exec(impl, "COMMIT", "commit", error);
}

bool
store_sql_lock_engine(void *impl, GError **error)
{
	StoreSql *db = impl;
	return db->driver->lock_engine(db, error);
}

bool
store_sql_backup_write(void *impl, const char *destination, GError **error)
{
	StoreSql *db = impl;
	return db->driver->backup_write(db, destination, error);
}

bool
store_sql_next_wake(void *impl, int64_t after_us, int64_t *at_us, GError **error)
{
	/* One index range (state, next_due_at) per state; a wake for an
	 * enrollment of a campaign that is not running costs one empty pass. */
	*at_us = 0;
	return store_sql_number_query(
	        impl,
	        "SELECT min(t) FROM ("
	        "SELECT min(next_due_at) AS t FROM enrollment "
	        "  WHERE state = 'active' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_due_at) FROM enrollment "
	        "  WHERE state = 'queued' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_due_at) FROM enrollment "
	        "  WHERE state = 'paused' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_send_at) FROM mailbox WHERE next_send_at > ?1 "
	        "UNION ALL SELECT min(paused_until) FROM mailbox WHERE paused_until > ?1) AS wake",
	        after_us, "next wake", at_us, error);
}

/* clang-format off */
#define STORE_SQL_ENTRY(returns, name, how, params, args) .name = store_sql_##name,
/* clang-format on */

const StoreBackend store_sql_backend = {.name = "sql",
                                        .open = sql_open,
                                        .close = sql_close,
                                        .key_path = sql_key_path,
                                        .schema_version = sql_schema_version,
                                        .rollback = sql_rollback,
                                        STORE_OPERATIONS(STORE_SQL_ENTRY)};

GArray *
store_sql_day_counts(StoreSql *db, StoreSqlStatement *stmt, const char *what, GError **error)
{
	g_autoptr(GArray) days = g_array_new(FALSE, TRUE, sizeof(StoreDayCount));
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreDayCount day = {.day = store_sql_column_int64(stmt, 0),
		                     .sent = (guint64)store_sql_column_int64(stmt, 1),
		                     .replied = (guint64)store_sql_column_int64(stmt, 2)};
		g_array_append_val(days, day);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, what, error);
		return NULL;
	}
	return g_steal_pointer(&days);
}
