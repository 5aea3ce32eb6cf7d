/*
 * app_db: moving the work from a SQLite file to a PostgreSQL database
 * (`piculet db copy`), and the marks that keep two places from sending
 * the same steps.
 *
 * A copy takes the file's engine lock (no engine runs on it meanwhile),
 * marks the new database 'copying' (engines refuse to start on it until
 * the copy is whole, and after a copy that was killed), copies every row
 * in one transaction (store_copy_into), then marks the file 'moved':
 * engines refuse to start on the place the work left. The seal key goes
 * with the rows: the new database's key file is written from the file's
 * when there is none, and a different one stops the copy before it starts.
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

typedef struct {
	GPtrArray *tables; /* StoreCount: each table and its rows, in the order copied */
	guint64 rows;      /* all of them */
	char *key_written; /* the key file written for the new database, or NULL */
} AppDbCopyResult;

void app_db_copy_result_clear(AppDbCopyResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(AppDbCopyResult, app_db_copy_result_clear)

/* Copies @source (a SQLite file) into @destination (an empty PostgreSQL
 * database). */
bool app_db_copy(Store *source, Store *destination, AppDbCopyResult *result, GError **error);

/* Takes back a database marked 'moved' (engines may run on it again);
 * *@was_moved says whether it was. */
bool app_db_reopen(Store *store, bool *was_moved, GError **error);

/* APP_ERROR_STATE, with what to do, when an engine must not start on
 * @store: a copy into it is under way (or was killed), or its work was
 * moved elsewhere. */
bool app_db_engine_may_start(Store *store, GError **error);
