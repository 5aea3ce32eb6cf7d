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

/* @sql (several statements when there are no parameters; @params texts,
 * $1...) on @db's connection, under the answer deadline of every
 * statement; its last result (the caller's, even when it reports an
 * error), or NULL when it could not be sent or the link was taken for dead
 * (the reason in the driver's message; nothing is connected again). */
PGresult *store_pg_query(StoreSql *db, const char *sql, int n_params, const char *const *params);

/* COPY @into FROM STDIN on @db's connection, the whole of it under a
 * statement's answer deadline (a silent server gives the link up, as for
 * any statement, instead of holding the caller for ever): begun, the rows
 * put (as many times as needed, a batch's worth), ended (@failure: undone
 * with it).
 * False when a part fails, the reason in the driver's message; after a
 * failed begin or put, end only says false. */
bool store_pg_copy_begin(StoreSql *db, const char *into);
/* The COPY under way has taken a piece: its deadline starts again, so a
 * COPY of any size is bounded by its progress (a server silent for the
 * deadline), not by its whole time. */
void store_pg_copy_progressed(StoreSql *db);
bool store_pg_copy_put(StoreSql *db, const char *data, gsize length);
bool store_pg_copy_end(StoreSql *db, const char *failure);
