/*
 * The SQLite driver's connection, shared by its two files only
 * (store_sqlite.c, store_sqlite_backup.c).
 */
#pragma once

#include "store/store_sql.h"

#include <sqlite3.h>

typedef struct {
	sqlite3 *db;
	int lock_fd;    /* the engine lock's descriptor, or -1 */
	int refresh_fd; /* "DATABASE-oauth-lock" (store_oauth_refresh_lock), or -1 */
} StoreSqlite;

/* The connection of @db, which the SQLite driver opened. */
StoreSqlite *store_sqlite_of(StoreSql *db);

/* `piculet backup`: one consistent copy of the file while the engine goes
 * on writing. */
bool store_sqlite_backup_write(StoreSql *db, const char *destination, GError **error);
