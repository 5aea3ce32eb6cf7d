#include "app/app_db.h"

#include "app/app_error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

void
app_db_copy_result_clear(AppDbCopyResult *result)
{
	g_clear_pointer(&result->tables, g_ptr_array_unref);
	g_clear_pointer(&result->key_written, g_free);
}

static bool
same_bytes(const char *a, gsize n_a, const char *b, gsize n_b)
{
	return n_a == n_b && memcmp(a, b, n_a) == 0;
}

/* The destination's seal key is the source's: written from it when there
 * is none; a different one refused (the copied secrets would not open). */
static bool
carry_key(Store *source, Store *destination, AppDbCopyResult *result, GError **error)
{
	const char *from = store_get_key_path(source);
	const char *to = store_get_key_path(destination);
	g_autofree char *bytes = NULL;
	gsize length = 0;
	if (strcmp(from, to) == 0 || !g_file_test(from, G_FILE_TEST_EXISTS))
		return true;
	if (!g_file_get_contents(from, &bytes, &length, error)) {
		g_prefix_error(error, "copy: the file's seal key: ");
		return false;
	}
	bool ok = true;
	if (g_file_test(to, G_FILE_TEST_EXISTS)) {
		g_autofree char *theirs = NULL;
		gsize their_length = 0;
		ok = g_file_get_contents(to, &theirs, &their_length, error);
		if (!ok)
			g_prefix_error(error, "copy: the seal key at %s: ", to);
		else if (!same_bytes(bytes, length, theirs, their_length)) {
			g_set_error(
			        error, APP_ERROR, APP_ERROR_CONFIG,
			        "copy: the seal key for the PostgreSQL database (%s) is not the "
			        "file's (%s): the copied passwords and tokens would not open; "
			        "move %s aside, or set key_file to %s",
			        to, from, to, from);
			ok = false;
		}
		if (theirs != NULL)
			memset(theirs, 0, their_length);
		memset(bytes, 0, length);
		return ok;
	}
	g_autofree char *folder = g_path_get_dirname(to);
	if (g_mkdir_with_parents(folder, 0700) != 0) {
		g_set_error(error, APP_ERROR, APP_ERROR_CONFIG, "copy: %s: %s", folder,
		            g_strerror(errno));
		ok = false;
	}
	if (ok)
		ok = g_file_set_contents_full(to, bytes, (gssize)length,
		                              G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
	memset(bytes, 0, length);
	if (!ok)
		g_prefix_error(error, "copy: the seal key: ");
	else
		result->key_written = g_strdup(to);
	return ok;
}

bool
app_db_copy(Store *source, Store *destination, AppDbCopyResult *result, GError **error)
{
	memset(result, 0, sizeof *result);
	g_autofree char *from = store_describe(source);
	g_autofree char *to = store_describe(destination);
	g_autoptr(GError) local = NULL;
	if (!store_lock_engine(source, &local)) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "copy: stop piculet run on %s first (%s)", from, local->message);
		return false;
	}
	if (!carry_key(source, destination, result, error) ||
	    !store_move_mark(destination, STORE_MOVE_COPYING, from, error))
		return false;
	GError *copy_error = NULL;
	if (!store_copy_into(source, destination, &result->tables, &copy_error)) {
		/* The rows went back with the transaction; the mark goes too,
		 * unless it is another copy's, still at work. */
		if (!g_error_matches(copy_error, STORE_ERROR, STORE_ERROR_BUSY) &&
		    !store_move_mark(destination, STORE_MOVE_NONE, NULL, &local))
			g_warning("copy: the PostgreSQL database stays marked 'copying': %s",
			          local->message);
		g_propagate_error(error, copy_error);
		return false;
	}
	for (guint i = 0; i < result->tables->len; i++)
		result->rows += ((const StoreCount *)g_ptr_array_index(result->tables, i))->n;
	if (!store_move_mark(source, STORE_MOVE_MOVED, to, error)) {
		g_prefix_error(
		        error,
		        "copied, but %s could not be marked as moved (run no engine on it): ",
		        from);
		return false;
	}
	return true;
}

bool
app_db_reopen(Store *store, bool *was_moved, GError **error)
{
	g_auto(StoreMove) move = {0};
	*was_moved = false;
	if (!store_move_read(store, &move, error))
		return false;
	if (move.state == STORE_MOVE_COPYING) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "a copy into this database from %s has not finished: run piculet db "
		            "copy again",
		            move.other);
		return false;
	}
	*was_moved = move.state == STORE_MOVE_MOVED;
	return !*was_moved || store_move_mark(store, STORE_MOVE_NONE, NULL, error);
}

static char *
time_words(int64_t at_us)
{
	g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc(at_us / G_USEC_PER_SEC);
	return at != NULL ? g_date_time_format(at, "%Y-%m-%d %H:%M UTC") : g_strdup("?");
}

bool
app_db_engine_may_start(Store *store, GError **error)
{
	g_auto(StoreMove) move = {0};
	if (!store_move_read(store, &move, error))
		return false;
	g_autofree char *when = time_words(move.at);
	if (move.state == STORE_MOVE_COPYING) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "piculet db copy from %s into this database began at %s and has not "
		            "finished (or was stopped): no engine starts until it has; if it was "
		            "stopped, run it again",
		            move.other, when);
		return false;
	}
	if (move.state == STORE_MOVE_MOVED) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "this database was copied to %s at %s (piculet db copy): run the "
		            "engines there, so that no step is sent from both; to work from this "
		            "one again instead, piculet db reopen",
		            move.other, when);
		return false;
	}
	return true;
}
