/*
 * The PostgreSQL driver's connection, shared by its two files only
 * (store_pg.c, store_pg_copy.c).
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
