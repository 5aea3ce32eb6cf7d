/*
 * Shared by the SQLite back end's files only: the connection and the
 * helpers every statement goes through (prepared once, errors converted
 * to STORE_ERROR in one place).
 */
#pragma once

#include "store/store_private.h"

#include <sqlite3.h>

typedef struct {
	sqlite3 *db;
	unsigned version;
	GHashTable *statements; /* SQL text -> sqlite3_stmt *, prepared once */
	bool puts_insert;       /* the last prospect put was new: try INSERT first */
	char *path;
	StoreClockFunc clock; /* NULL: the real time */
	void *clock_data;
	char *key_path;
	int lock_fd; /* the engine lock's descriptor, or -1 */
} Sqlite;

/* Turns SQLite's verdict @rc into a STORE_ERROR prefixed with @what. */
void store_sqlite_set_error(Sqlite *sqlite, int rc, const char *what, GError **error);
/* The prepared statement for @sql (a string literal: its address is the
 * cache key), reset and unbound. Borrowed. */
sqlite3_stmt *store_sqlite_statement(Sqlite *sqlite, const char *sql, GError **error);
/* Steps @stmt once; true on a row or done. */
bool store_sqlite_step_done(Sqlite *sqlite, sqlite3_stmt *stmt, const char *what, GError **error);
bool store_sqlite_exec(Sqlite *sqlite, const char *sql, const char *what, GError **error);
/* The store's time (its clock setting). */
int64_t store_sqlite_now_us(const Sqlite *sqlite);
/* A column's text, newly allocated, or NULL for SQL NULL. */
char *store_sqlite_column_dup(sqlite3_stmt *row, int column);
const char *store_sqlite_or_empty(const char *text);

/* Every operation of store.h, as store_sqlite_<name> (in the file of its
 * subject: store_sqlite_<subject>.c). */
/* clang-format off */
#define STORE_SQLITE_DECLARE(returns, name, how, params, args)                                     \
	returns store_sqlite_##name STORE_WITH_IMPL params;
/* clang-format on */
STORE_OPERATIONS(STORE_SQLITE_DECLARE)

/* One value to bind: a number, or a text (NULL binds NULL). */
typedef struct {
	bool is_text;
	int64_t number;
	const char *text;
} StoreSqliteBind;

#define STORE_SQLITE_NUMBER(value) ((StoreSqliteBind){.number = (value)})
#define STORE_SQLITE_TEXT(value)   ((StoreSqliteBind){.is_text = true, .text = (value)})

#define STORE_SQLITE_RUN(sqlite, sql, what, error, ...)                                            \
	store_sqlite_run(sqlite, sql, what, error, (const StoreSqliteBind[]){__VA_ARGS__},         \
	                 sizeof((const StoreSqliteBind[]){__VA_ARGS__}) / sizeof(StoreSqliteBind))

/* Binds @binds in order, runs the statement once: keeps the many one-line
 * writes one line each. Through STORE_SQLITE_RUN. */
bool store_sqlite_run(Sqlite *sqlite, const char *sql, const char *what, GError **error,
                      const StoreSqliteBind *binds, gsize n_binds);
/* Runs @sql, whose two parameters are @a and @b, for one count. */
bool store_sqlite_count(Sqlite *sqlite, const char *sql, int64_t a, int64_t b, guint *result,
                        GError **error);
/* Runs @sql, whose one parameter is @value, for one nullable time; 0 when
 * NULL. */
bool store_sqlite_time_query(Sqlite *sqlite, const char *sql, int64_t value, const char *what,
                             int64_t *at_us, GError **error);

/* Every enrollment query selects these columns, in this order. */
#define STORE_SQLITE_ENROLLMENT_SELECT                                                             \
	"SELECT e.id, e.campaign_id, e.prospect_id, coalesce(e.mailbox_id, 0), p.email, e.state, " \
	"e.next_step, e.next_due_at, e.last_sent_at, e.reason, e.revision, e.retries, "            \
	"e.soft_bounces "                                                                          \
	"FROM enrollment e JOIN prospect p ON p.id = e.prospect_id "
