/*
 * Shared by the store's SQL files only: one implementation of every
 * operation of store.h over a connection, and the two drivers under it
 * (store_sqlite.c: an embedded SQLite file; store_pg.c: a PostgreSQL
 * server through libpq).
 *
 * The operations are written once, in the SQL both engines accept
 * (parameters as ?1, ?2, ...; the PostgreSQL driver renames them $1, $2,
 * ...). Where the two differ, the SQL text is chosen by the connection's
 * dialect (store_sql_dialect). Statements are prepared once per
 * connection; results are read row by row as with SQLite.
 */
#pragma once

#include "store/store_private.h"

/* What a step or an exec came to. The values are SQLite's primary result
 * codes, so the SQLite driver hands its own through; the PostgreSQL driver
 * maps its SQLSTATE classes onto the same few. */
enum {
	STORE_SQL_OK = 0,
	STORE_SQL_ERROR = 1,
	STORE_SQL_PERM = 3,
	STORE_SQL_BUSY = 5,
	STORE_SQL_LOCKED = 6,
	STORE_SQL_READONLY = 8,
	STORE_SQL_CANTOPEN = 14,
	STORE_SQL_CONSTRAINT = 19,
	STORE_SQL_NOTADB = 26,
	STORE_SQL_ROW = 100,
	STORE_SQL_DONE = 101,
	/* Not SQLite's: a write refused by a lease's fence (a trigger's
	 * RAISE on SQLite, SQLSTATE P0L01 on PostgreSQL). */
	STORE_SQL_FENCED = 200,
	/* Not SQLite's: the connection to the server was lost (the driver
	 * connects again for the next statement). */
	STORE_SQL_UNAVAILABLE = 201,
};

typedef enum {
	STORE_SQL_SQLITE,
	STORE_SQL_POSTGRESQL,
} StoreSqlDialect;

typedef struct StoreSql StoreSql;

/* A prepared statement of one connection: its driver's handle. */
typedef struct {
	StoreSql *db;
	void *handle;
} StoreSqlStatement;

typedef struct {
	const char *name;
	StoreSqlDialect dialect;
	/* Opens @location into db->connection; the folder, the file's mode,
	 * the session's settings. */
	bool (*connect)(StoreSql *db, const char *location, GError **error);
	void (*disconnect)(StoreSql *db);
	/* A new handle for @sql, or NULL with *@rc and the message set. */
	void *(*prepare)(StoreSql *db, const char *sql, int *rc);
	void (*finalize)(void *handle);
	/* Back to before the first step, every parameter NULL again. */
	void (*reset)(StoreSqlStatement *stmt);
	void (*bind_int64)(StoreSqlStatement *stmt, int index, int64_t value);
	/* @text and @data stay the caller's until the statement's next reset. */
	void (*bind_text)(StoreSqlStatement *stmt, int index, const char *text);
	void (*bind_blob)(StoreSqlStatement *stmt, int index, const void *data, int size);
	void (*bind_null)(StoreSqlStatement *stmt, int index);
	int (*step)(StoreSqlStatement *stmt);
	int64_t (*column_int64)(StoreSqlStatement *stmt, int column);
	const char *(*column_text)(StoreSqlStatement *stmt, int column);
	const void *(*column_blob)(StoreSqlStatement *stmt, int column, int *size);
	bool (*column_is_null)(StoreSqlStatement *stmt, int column);
	/* Rows the last statement inserted, changed or deleted. */
	int64_t (*changes)(StoreSql *db);
	/* Runs @sql, any number of statements without parameters. */
	int (*exec)(StoreSql *db, const char *sql);
	/* The engine's words about the last failure. */
	const char *(*message)(StoreSql *db);
	bool (*read_version)(StoreSql *db, unsigned *version, GError **error);
	/* Within the migration's transaction. */
	bool (*write_version)(StoreSql *db, unsigned version, GError **error);
	/* A writing transaction (SQLite: that waits for, then excludes, other
	 * writers); a migration's, which excludes other migrations. */
	const char *begin_sql;
	const char *migrate_sql;
	bool (*in_transaction)(StoreSql *db);
	bool (*lock_engine)(StoreSql *db, GError **error);
	/* store_oauth_refresh_lock */
	bool (*lock_refresh)(StoreSql *db, int64_t mailbox_id, bool take, bool *taken,
	                     GError **error);
	bool (*backup_write)(StoreSql *db, const char *destination, GError **error);
	/* The migrations of this dialect: [i] takes version i to i + 1. */
	const char *const *migrations;
	const unsigned *version; /* the latest */
} StoreSqlDriver;

struct StoreSql {
	const StoreSqlDriver *driver;
	void *connection; /* the driver's */
	unsigned version;
	GHashTable *statements; /* SQL text -> StoreSqlStatement *, prepared once */
	bool puts_insert; /* the last prospect put (or batch) was new: try INSERT (COPY) first */
	char *location;
	StoreClockFunc clock; /* NULL: the real time */
	void *clock_data;
	char *key_path;
	int stop_fd;      /* StoreSettings.stop_fd */
	int last_code;    /* the last failure's STORE_SQL_ code */
	bool fence_ready; /* SQLite: this connection's fence made (store_sql_lease.c) */
};

extern const StoreSqlDriver store_sqlite_driver;
extern const StoreSqlDriver store_pg_driver;

/* The connection's dialect, for the few statements written twice. */
StoreSqlDialect store_sql_dialect(const StoreSql *db);
/* @sqlite's text on SQLite, @postgresql's on PostgreSQL (both literals). */
#define STORE_SQL_PICK(db, sqlite, postgresql)                                                     \
	(store_sql_dialect(db) == STORE_SQL_SQLITE ? (sqlite) : (postgresql))

/* Turns the verdict @rc into a STORE_ERROR prefixed with @what. */
void store_sql_set_error(StoreSql *db, int rc, const char *what, GError **error);
/* The last failure's code. */
int store_sql_errcode(const StoreSql *db);
/* The prepared statement for @sql (a string literal: its address is the
 * cache key), reset and unbound. Borrowed. */
StoreSqlStatement *store_sql_statement(StoreSql *db, const char *sql, GError **error);
void store_sql_reset(StoreSqlStatement *stmt);
void store_sql_bind_int64(StoreSqlStatement *stmt, int index, int64_t value);
void store_sql_bind_text(StoreSqlStatement *stmt, int index, const char *text);
void store_sql_bind_blob(StoreSqlStatement *stmt, int index, const void *data, int size);
void store_sql_bind_null(StoreSqlStatement *stmt, int index);
/* STORE_SQL_ROW, STORE_SQL_DONE, or the failure's code. */
int store_sql_step(StoreSqlStatement *stmt);
int64_t store_sql_column_int64(StoreSqlStatement *stmt, int column);
int store_sql_column_int(StoreSqlStatement *stmt, int column);
/* Borrowed until the next step or reset; NULL for SQL NULL. */
const char *store_sql_column_text(StoreSqlStatement *stmt, int column);
const void *store_sql_column_blob(StoreSqlStatement *stmt, int column);
int store_sql_column_bytes(StoreSqlStatement *stmt, int column);
bool store_sql_column_is_null(StoreSqlStatement *stmt, int column);
int64_t store_sql_changes(StoreSql *db);

/* A write of several statements that is whole or not at all: a savepoint
 * @name (an identifier) in the caller's transaction, or a transaction of
 * its own when there is none (PostgreSQL takes savepoints only inside
 * one). store_sql_unit_end keeps it when @ok, else undoes it; false when
 * !@ok or the end failed. */
typedef struct {
	const char *name;
	bool own; /* a transaction of its own */
} StoreSqlUnit;

bool store_sql_unit_begin(StoreSql *db, StoreSqlUnit *unit, const char *name, GError **error);
bool store_sql_unit_end(StoreSql *db, StoreSqlUnit *unit, bool ok, GError **error);

/* Steps @stmt once; true on a row or done. */
bool store_sql_step_done(StoreSql *db, StoreSqlStatement *stmt, const char *what, GError **error);
bool store_sql_exec(StoreSql *db, const char *sql, const char *what, GError **error);
/* The store's time (its clock setting). */
int64_t store_sql_now_us(const StoreSql *db);
/* A column's text, newly allocated, or NULL for SQL NULL. */
char *store_sql_column_dup(StoreSqlStatement *row, int column);
const char *store_sql_or_empty(const char *text);

/* A prospect's custom fields as a JSON object of strings. */
char *store_sql_prospect_fields_json(const StoreProspectInput *prospect);

/* prospect_put_many on PostgreSQL (store_pg_import.c). */
bool store_pg_import_prospects(StoreSql *db, const StoreProspectInput *prospects, gsize n,
                               StoreProspectResult *results, GError **error);

/* store_copy_into between two connections of this back end: @source
 * SQLite's, @destination PostgreSQL's (store_pg_copy.c). */
bool store_pg_copy_from_sqlite(void *source, void *destination, GPtrArray **tables, GError **error);

/* Every operation of store.h, as store_sql_<name> (in the file of its
 * subject: store_sql_<subject>.c). */
/* clang-format off */
#define STORE_SQL_DECLARE(returns, name, how, params, args)                                        \
	returns store_sql_##name STORE_WITH_IMPL params;
/* clang-format on */
STORE_OPERATIONS(STORE_SQL_DECLARE)

/* One value to bind: a number, or a text (NULL binds NULL). */
typedef struct {
	bool is_text;
	int64_t number;
	const char *text;
} StoreSqlBind;

#define STORE_SQL_NUMBER(value) ((StoreSqlBind){.number = (value)})
#define STORE_SQL_TEXT(value)   ((StoreSqlBind){.is_text = true, .text = (value)})

#define STORE_SQL_RUN(db, sql, what, error, ...)                                                   \
	store_sql_run(db, sql, what, error, (const StoreSqlBind[]){__VA_ARGS__},                   \
	              sizeof((const StoreSqlBind[]){__VA_ARGS__}) / sizeof(StoreSqlBind))

/* The rows of @stmt (bound) as (day, sent, replied) into StoreDayCount,
 * the statement reset after; NULL with @what in the error. */
GArray *store_sql_day_counts(StoreSql *db, StoreSqlStatement *stmt, const char *what,
                             GError **error);

/* Binds @binds in order, runs the statement once: keeps the many one-line
 * writes one line each. Through STORE_SQL_RUN. */
bool store_sql_run(StoreSql *db, const char *sql, const char *what, GError **error,
                   const StoreSqlBind *binds, gsize n_binds);
/* Runs @sql, whose two parameters are @a and @b, for one count. */
bool store_sql_count(StoreSql *db, const char *sql, int64_t a, int64_t b, guint *result,
                     GError **error);
/* Runs @sql, whose one parameter is @value, for one nullable number (a
 * time, an answer of PostgreSQL's lock functions); 0 when NULL. */
bool store_sql_number_query(StoreSql *db, const char *sql, int64_t value, const char *what,
                            int64_t *number, GError **error);

/* Runs @sql (no parameters) for one text: the first row's first column,
 * newly allocated, or NULL when there is no row. */
bool store_sql_text_query(StoreSql *db, const char *sql, const char *what, char **text,
                          GError **error);

/* A LIMIT that limits nothing (SQLite takes -1 for it, PostgreSQL not). */
#define STORE_SQL_NO_LIMIT INT64_MAX

/* Every enrollment query selects these columns, in this order. */
#define STORE_SQL_ENROLLMENT_SELECT                                                                \
	"SELECT e.id, e.campaign_id, e.prospect_id, coalesce(e.mailbox_id, 0), p.email, e.state, " \
	"e.next_step, e.next_due_at, e.last_sent_at, e.reason, e.revision, e.retries, "            \
	"e.soft_bounces "                                                                          \
	"FROM enrollment e JOIN prospect p ON p.id = e.prospect_id "
