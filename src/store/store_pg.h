/*
 * The PostgreSQL driver's connection, shared by its files only
 * (store_pg.c, store_pg_copy.c, store_pg_import.c).
 */
#pragma once

#include "store/store_sql.h"

#include <libpq-fe.h>

/* The libpq connection of @db, which the PostgreSQL driver opened. */
PGconn *store_pg_conn(StoreSql *db);

/* Appends @size bytes of @text to @line in COPY's text format (a
 * backslash, a tab, a line end escaped); false on a NUL, which PostgreSQL's
 * text does not take. */
bool store_pg_copy_text(GString *line, const char *text, gsize size);

/* COPY @into FROM STDIN on @db's connection, the whole of it under a
 * statement's answer deadline (a silent server gives the link up, as for
 * any statement, instead of holding the caller for ever): begun, the rows
 * put (as many times as needed, a batch's worth), ended (@failure: undone
 * with it).
 * False when a part fails, the reason in the driver's message; after a
 * failed begin or put, end only says false. */
bool store_pg_copy_begin(StoreSql *db, const char *into);
bool store_pg_copy_put(StoreSql *db, const char *data, gsize length);
bool store_pg_copy_end(StoreSql *db, const char *failure);
