/*
 * app_backup: a backup of the database and its seal key taken while
 * `piculet run` goes on, and a restore that loses nothing.
 *
 * A backup is two files: FILE, the database as it was at one moment (a
 * consistent copy, store_backup_write), and FILE.key, the seal key that opens the
 * passwords, tokens and webhook secrets sealed in it. Every mailbox in the
 * copy carries the moment it was taken, so a database used from it (through
 * app_backup_restore or copied by hand) first looks in each mailbox's Sent
 * folder for what was sent after that moment: a person it finds there whose
 * sequence the backup thinks still open is held for a person to look at,
 * never sent the same step again (engine_send).
 *
 * A restore never overwrites without being asked (@replace), never while a
 * `piculet run` or another process has the database open, and moves what it
 * replaces aside (PATH.before-restore, secret.key.before-restore).
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

typedef struct {
	bool key_copied; /* FILE.key written (false: no key yet, nothing sealed) */
} AppBackupResult;

/* Writes @destination and @destination.key from @store. */
bool app_backup_create(Store *store, const char *destination, AppBackupResult *result,
                       GError **error);

typedef struct {
	char *moved_aside;     /* where the database replaced went; NULL: none was there */
	char *key_moved_aside; /* where a different seal key went; NULL: none */
	bool key_restored;     /* @backup.key put beside the database */
	int64_t taken_at;      /* when the backup was taken (µs); 0: unknown (no mailbox) */
	guint n_mailboxes;     /* mailboxes whose Sent folder is looked at before they send */
} AppRestoreResult;

void app_backup_restore_result_clear(AppRestoreResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(AppRestoreResult, app_backup_restore_result_clear)

/* Puts the backup @backup (and @backup.key) in place as the database at
 * @target; migrates it when an older piculet took it. */
bool app_backup_restore(const char *backup, const char *target, bool replace,
                        AppRestoreResult *result, GError **error);
