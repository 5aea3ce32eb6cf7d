/* The SQLite driver: the embedded default, one file. */
#define G_LOG_DOMAIN "piculet-store"

#include "store/store_sqlite.h"

#include "store/store_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* How long a writer waits for another one (a running `piculet run`) before
 * STORE_ERROR_BUSY. */
#define BUSY_TIMEOUT_MS 5000

StoreSqlite *
store_sqlite_of(StoreSql *db)
{
	return db->connection;
}

static sqlite3_stmt *
handle_of(StoreSqlStatement *stmt)
{
	return stmt->handle;
}

/* The primary code: the store's codes are SQLite's primary ones; the
 * fence's RAISE (the schema's only one) is the store's own. */
static int
primary(int rc)
{
	return rc == SQLITE_CONSTRAINT_TRIGGER ? STORE_SQL_FENCED : rc & 0xff;
}

static const char *
sqlite_message(StoreSql *db)
{
	StoreSqlite *sqlite = store_sqlite_of(db);
	return sqlite != NULL && sqlite->db != NULL ? sqlite3_errmsg(sqlite->db)
	                                            : sqlite3_errstr(db->last_code);
}

static void *
sqlite_prepare(StoreSql *db, const char *sql, int *rc)
{
	sqlite3_stmt *stmt = NULL;
	*rc = primary(sqlite3_prepare_v3(store_sqlite_of(db)->db, sql, -1,
	                                 SQLITE_PREPARE_PERSISTENT, &stmt, NULL));
	return *rc == SQLITE_OK ? stmt : NULL;
}

static void
sqlite_finalize(void *handle)
{
	sqlite3_finalize(handle);
}

static void
sqlite_reset(StoreSqlStatement *stmt)
{
	sqlite3_reset(handle_of(stmt));
	sqlite3_clear_bindings(handle_of(stmt));
}

static void
sqlite_bind_int64(StoreSqlStatement *stmt, int index, int64_t value)
{
	sqlite3_bind_int64(handle_of(stmt), index, value);
}

static void
sqlite_bind_text(StoreSqlStatement *stmt, int index, const char *text)
{
	sqlite3_bind_text(handle_of(stmt), index, text, -1, SQLITE_STATIC);
}

static void
sqlite_bind_blob(StoreSqlStatement *stmt, int index, const void *data, int size)
{
	sqlite3_bind_blob(handle_of(stmt), index, data, size, SQLITE_STATIC);
}

static void
sqlite_bind_null(StoreSqlStatement *stmt, int index)
{
	sqlite3_bind_null(handle_of(stmt), index);
}

static int
sqlite_step(StoreSqlStatement *stmt)
{
	return primary(sqlite3_step(handle_of(stmt)));
}

static int64_t
sqlite_column_int64(StoreSqlStatement *stmt, int column)
{
	return sqlite3_column_int64(handle_of(stmt), column);
}

static const char *
sqlite_column_text(StoreSqlStatement *stmt, int column)
{
	return (const char *)sqlite3_column_text(handle_of(stmt), column);
}

static const void *
sqlite_column_blob(StoreSqlStatement *stmt, int column, int *size)
{
	const void *data = sqlite3_column_blob(handle_of(stmt), column);
	*size = sqlite3_column_bytes(handle_of(stmt), column);
	return data;
}

static bool
sqlite_column_is_null(StoreSqlStatement *stmt, int column)
{
	return sqlite3_column_type(handle_of(stmt), column) == SQLITE_NULL;
}

static int64_t
sqlite_changes(StoreSql *db)
{
	return sqlite3_changes64(store_sqlite_of(db)->db);
}

static int
sqlite_exec(StoreSql *db, const char *sql)
{
	return primary(sqlite3_exec(store_sqlite_of(db)->db, sql, NULL, NULL, NULL));
}

static bool
sqlite_read_version(StoreSql *db, unsigned *version, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(db, "PRAGMA user_version", error);
	if (stmt == NULL)
		return false;
	int rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "read schema version", error);
		return false;
	}
	*version = (unsigned)store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

static bool
sqlite_write_version(StoreSql *db, unsigned version, GError **error)
{
	g_autofree char *sql = g_strdup_printf("PRAGMA user_version = %u", version);
	return store_sql_exec(db, sql, "migrate", error);
}

static bool
sqlite_in_transaction(StoreSql *db)
{
	return !sqlite3_get_autocommit(store_sqlite_of(db)->db);
}

/* flock(2) on the database file: it follows the file, not the path string
 * (a symlink, a relative path from elsewhere or a hard link all meet it),
 * and SQLite's fcntl locks do not touch it. */
static bool
sqlite_lock_engine(StoreSql *db, GError **error)
{
	StoreSqlite *sqlite = store_sqlite_of(db);
	if (sqlite->lock_fd >= 0)
		return true;
	int fd = open(db->location, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "%s: %s", db->location,
		            g_strerror(errno));
		return false;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		g_set_error(error, STORE_ERROR, STORE_ERROR_BUSY,
		            "another piculet run or tick is working on %s; one at a time",
		            db->location);
		return false;
	}
	sqlite->lock_fd = fd;
	return true;
}

/* The turns to renew OAuth2 tokens: a byte per mailbox of a file of their
 * own. Not the database file: closing any descriptor of it would drop the
 * fcntl locks SQLite's connections of this process hold. Open file
 * description locks belong to the descriptor, so two stores of one
 * process exclude each other as two processes do. */
static bool
sqlite_lock_refresh(StoreSql *db, int64_t mailbox_id, bool take, bool *taken, GError **error)
{
	StoreSqlite *sqlite = store_sqlite_of(db);
	if (sqlite->refresh_fd < 0) {
		/* The file's real path: a symlink or another path to it meets
		 * the same turns. */
		g_autofree char *real = realpath(db->location, NULL);
		g_autofree char *path =
		        g_strdup_printf("%s-oauth-lock", real != NULL ? real : db->location);
		sqlite->refresh_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (sqlite->refresh_fd < 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "%s: %s", path,
			            g_strerror(errno));
			return false;
		}
	}
	struct flock byte = {.l_type = take ? F_WRLCK : F_UNLCK,
	                     .l_whence = SEEK_SET,
	                     .l_start = (off_t)mailbox_id,
	                     .l_len = 1};
	if (fcntl(sqlite->refresh_fd, F_OFD_SETLK, &byte) == 0) {
		*taken = take;
		return true;
	}
	if (take && (errno == EAGAIN || errno == EACCES))
		return true;
	g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "the OAuth2 renewal lock of %s: %s",
	            db->location, g_strerror(errno));
	return false;
}

static void
sqlite_disconnect(StoreSql *db)
{
	StoreSqlite *sqlite = store_sqlite_of(db);
	if (sqlite == NULL)
		return;
	sqlite3_close_v2(sqlite->db);
	/* After SQLite's own descriptors: closing any descriptor of the file
	 * drops the process's fcntl locks, which SQLite's are. */
	if (sqlite->lock_fd >= 0)
		close(sqlite->lock_fd);
	if (sqlite->refresh_fd >= 0)
		close(sqlite->refresh_fd);
	g_free(sqlite);
	db->connection = NULL;
}

/* "secret.key" beside the database's real file (symlinks resolved). */
static char *
default_key_path(const char *path)
{
	g_autofree char *real = realpath(path, NULL);
	g_autofree char *folder = g_path_get_dirname(real != NULL ? real : path);
	return g_build_filename(folder, "secret.key", NULL);
}

static bool
sqlite_connect(StoreSql *db, const char *path, GError **error)
{
	g_autofree char *folder = g_path_get_dirname(path);
	if (g_mkdir_with_parents(folder, 0700) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "%s: cannot create folder: %s",
		            folder, g_strerror(errno));
		return false;
	}
	bool created = !g_file_test(path, G_FILE_TEST_EXISTS);
	StoreSqlite *sqlite = g_new0(StoreSqlite, 1);
	sqlite->lock_fd = -1;
	sqlite->refresh_fd = -1;
	db->connection = sqlite;
	int rc = sqlite3_open_v2(path, &sqlite->db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		db->last_code = primary(rc);
		store_sql_set_error(db, db->last_code, path, error);
		return false;
	}
	/* Prospects and mailboxes are personal data: only the owner reads it. */
	if (created && strcmp(path, ":memory:") != 0)
		g_chmod(path, 0600);
	sqlite3_extended_result_codes(sqlite->db, 1);
	sqlite3_busy_timeout(sqlite->db, BUSY_TIMEOUT_MS);
	if (!store_sql_exec(db, "PRAGMA foreign_keys = ON", path, error) ||
	    !store_sql_exec(db, "PRAGMA journal_mode = WAL", path, error) ||
	    !store_sql_exec(db, "PRAGMA synchronous = NORMAL", path, error))
		return false;
	if (db->key_path == NULL)
		db->key_path = default_key_path(path);
	return true;
}

const StoreSqlDriver store_sqlite_driver = {
        .name = "sqlite",
        .dialect = STORE_SQL_SQLITE,
        .connect = sqlite_connect,
        .disconnect = sqlite_disconnect,
        .prepare = sqlite_prepare,
        .finalize = sqlite_finalize,
        .reset = sqlite_reset,
        .bind_int64 = sqlite_bind_int64,
        .bind_text = sqlite_bind_text,
        .bind_blob = sqlite_bind_blob,
        .bind_null = sqlite_bind_null,
        .step = sqlite_step,
        .column_int64 = sqlite_column_int64,
        .column_text = sqlite_column_text,
        .column_blob = sqlite_column_blob,
        .column_is_null = sqlite_column_is_null,
        .changes = sqlite_changes,
        .exec = sqlite_exec,
        .message = sqlite_message,
        .read_version = sqlite_read_version,
        .write_version = sqlite_write_version,
        /* IMMEDIATE: take the write lock now, so a long import fails at
         * once when another writer holds it, not half-way through. */
        .begin_sql = "BEGIN IMMEDIATE",
        .migrate_sql = "BEGIN IMMEDIATE",
        .in_transaction = sqlite_in_transaction,
        .lock_engine = sqlite_lock_engine,
        .lock_refresh = sqlite_lock_refresh,
        .backup_write = store_sqlite_backup_write,
        .migrations = store_schema_migrations,
        .version = &store_schema_version,
};
