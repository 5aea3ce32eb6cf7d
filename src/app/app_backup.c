#include "app/app_backup.h"

#include "app/app_error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

static bool
copy_key(const char *from, const char *to, GError **error)
{
	g_autofree char *bytes = NULL;
	gsize length = 0;
	if (!g_file_get_contents(from, &bytes, &length, error))
		return false;
	bool ok = g_file_set_contents_full(to, bytes, (gssize)length,
	                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
	memset(bytes, 0, length);
	return ok;
}

bool
app_backup_create(Store *store, const char *destination, AppBackupResult *result, GError **error)
{
	memset(result, 0, sizeof *result);
	if (!store_backup_write(store, destination, error))
		return false;
	const char *key_path = store_get_key_path(store);
	if (!g_file_test(key_path, G_FILE_TEST_EXISTS))
		return true;
	g_autofree char *key_copy = g_strconcat(destination, ".key", NULL);
	if (!copy_key(key_path, key_copy, error)) {
		g_prefix_error(error, "backup: the seal key: ");
		return false;
	}
	result->key_copied = true;
	return true;
}

void
app_backup_restore_result_clear(AppRestoreResult *result)
{
	g_free(result->moved_aside);
	g_free(result->key_moved_aside);
}

static bool
same_contents(const char *a, const char *b)
{
	g_autofree char *one = NULL;
	g_autofree char *two = NULL;
	gsize n_one = 0;
	gsize n_two = 0;
	return g_file_get_contents(a, &one, &n_one, NULL) &&
	       g_file_get_contents(b, &two, &n_two, NULL) && n_one == n_two &&
	       memcmp(one, two, n_one) == 0;
}

/* The database at @target may be replaced: nothing has it open. */
static bool
check_target_free(const char *target, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(Store) current = store_open(target, &local);
	if (current == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "restore: %s cannot be opened to be replaced: %s", target,
		            local->message);
		return false;
	}
	if (!store_lock_engine(current, &local)) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "restore: %s: stop piculet run first (%s)", target, local->message);
		return false;
	}
	store_close(g_steal_pointer(&current));
	/* Our connection was the last one when its write-ahead log went with
	 * it; one left means another process (a piculet serve) reads it. */
	g_autofree char *wal = g_strconcat(target, "-wal", NULL);
	if (g_file_test(wal, G_FILE_TEST_EXISTS)) {
		g_set_error(
		        error, APP_ERROR, APP_ERROR_STATE,
		        "restore: another process has %s open (a piculet serve?): stop it first",
		        target);
		return false;
	}
	return true;
}

static bool
move_aside(const char *path, char **moved, GError **error)
{
	g_autofree char *aside = g_strconcat(path, ".before-restore", NULL);
	for (int n = 2; g_file_test(aside, G_FILE_TEST_EXISTS); n++) {
		g_free(aside);
		aside = g_strdup_printf("%s.before-restore.%d", path, n);
	}
	if (g_rename(path, aside) != 0) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE, "restore: cannot move %s aside: %s",
		            path, g_strerror(errno));
		return false;
	}
	*moved = g_steal_pointer(&aside);
	return true;
}

bool
app_backup_restore(const char *backup, const char *target, bool replace, AppRestoreResult *result,
                   GError **error)
{
	memset(result, 0, sizeof *result);
	if (!g_file_test(backup, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "restore: no backup at %s",
		            backup);
		return false;
	}
	bool target_exists = g_file_test(target, G_FILE_TEST_EXISTS);
	if (target_exists && !replace) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "restore: %s exists; --replace moves it aside and puts the backup in "
		            "its place",
		            target);
		return false;
	}
	/* The copy is checked (and migrated) beside the target, then renamed
	 * into place in one step: the target is never half-written. */
	g_autofree char *staged = g_strconcat(target, ".restoring", NULL);
	g_autofree char *folder = g_path_get_dirname(target);
	g_autofree char *bytes = NULL;
	gsize length = 0;
	if (g_mkdir_with_parents(folder, 0700) != 0 ||
	    !g_file_get_contents(backup, &bytes, &length, error) ||
	    !g_file_set_contents_full(staged, bytes, (gssize)length, G_FILE_SET_CONTENTS_CONSISTENT,
	                              0600, error)) {
		if (error != NULL && *error == NULL)
			g_set_error(error, APP_ERROR, APP_ERROR_STATE, "restore: %s: %s", folder,
			            g_strerror(errno));
		return false;
	}
	g_autofree char *staged_key = g_build_filename(folder, ".restoring.key", NULL);
	StoreSettings settings = {.key_path = staged_key};
	g_autoptr(GError) local = NULL;
	g_autoptr(Store) store = store_open_with(staged, &settings, &local);
	g_autoptr(GPtrArray) mailboxes = store != NULL ? store_mailbox_list(store, &local) : NULL;
	if (mailboxes == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "restore: %s is not a piculet database: %s", backup, local->message);
		store_close(g_steal_pointer(&store));
		g_unlink(staged);
		return false;
	}
	for (guint i = 0; i < mailboxes->len; i++) {
		const StoreMailbox *mailbox = mailboxes->pdata[i];
		result->taken_at = MAX(result->taken_at, mailbox->sent_check_since);
		result->n_mailboxes += mailbox->sent_check_since > 0;
	}
	store_close(g_steal_pointer(&store));
	if (target_exists && (!check_target_free(target, error) ||
	                      !move_aside(target, &result->moved_aside, error))) {
		g_unlink(staged);
		return false;
	}
	if (g_rename(staged, target) != 0) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE, "restore: %s: %s", target,
		            g_strerror(errno));
		g_unlink(staged);
		return false;
	}
	/* The key: the backup's beside the database, a different one kept. */
	g_autofree char *backup_key = g_strconcat(backup, ".key", NULL);
	g_autoptr(Store) placed = store_open(target, error);
	if (placed == NULL)
		return false;
	const char *key_path = store_get_key_path(placed);
	if (!g_file_test(backup_key, G_FILE_TEST_EXISTS))
		return true;
	if (g_file_test(key_path, G_FILE_TEST_EXISTS)) {
		if (same_contents(backup_key, key_path)) {
			result->key_restored = true;
			return true;
		}
		if (!move_aside(key_path, &result->key_moved_aside, error))
			return false;
	}
	if (!copy_key(backup_key, key_path, error)) {
		g_prefix_error(error, "restore: the seal key: ");
		return false;
	}
	result->key_restored = true;
	return true;
}
