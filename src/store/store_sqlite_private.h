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
