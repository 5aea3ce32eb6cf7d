/* The SQLite driver: a backup taken while the engine goes on. */
#include "store/store_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

/* Stamps the copy @db: every mailbox looks at its Sent folder since @now_us
 * before it sends; then one self-contained file (no -wal beside it). */
static int
stamp_copy(sqlite3 *db, int64_t now_us)
{
	sqlite3_stmt *stmt = NULL;
	int rc =
	        sqlite3_prepare_v2(db, "UPDATE mailbox SET sent_check_since = ?1", -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(stmt, 1, now_us);
		rc = sqlite3_step(stmt);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(stmt);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	return rc;
}

static bool
sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

bool
store_sqlite_backup_write(StoreSql *db, const char *destination, GError **error)
{
	g_autofree char *partial = g_strconcat(destination, ".partial", NULL);
	g_autofree char *partial_journal = g_strconcat(partial, "-journal", NULL);
	g_unlink(partial);
	g_unlink(partial_journal);
	int fd = g_open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "%s: %s", partial,
		            g_strerror(errno));
		return false;
	}
	close(fd);
	sqlite3 *copy = NULL;
	int rc = sqlite3_open_v2(partial, &copy, SQLITE_OPEN_READWRITE, NULL);
	const char *what = "backup: opening the copy";
	if (rc == SQLITE_OK) {
		/* One step over every page: one read snapshot of the source, which
		 * WAL lets the engine keep writing beside. */
		sqlite3_backup *backup =
		        sqlite3_backup_init(copy, "main", store_sqlite_of(db)->db, "main");
		what = "backup: copying";
		if (backup == NULL) {
			rc = sqlite3_errcode(copy);
		} else {
			rc = sqlite3_backup_step(backup, -1);
			int finished = sqlite3_backup_finish(backup);
			rc = rc == SQLITE_DONE ? finished : rc;
		}
	}
	if (rc == SQLITE_OK) {
		what = "backup: stamping the copy";
		rc = stamp_copy(copy, store_sql_now_us(db));
	}
	if (rc != SQLITE_OK) {
		g_set_error(error, STORE_ERROR,
		            rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? STORE_ERROR_BUSY
		                                                     : STORE_ERROR_FAILED,
		            "%s %s: %s", what, destination,
		            copy != NULL ? sqlite3_errmsg(copy) : sqlite3_errstr(rc));
		sqlite3_close(copy);
		g_unlink(partial);
		return false;
	}
	sqlite3_close(copy);
	if (!sync_file(partial) || g_rename(partial, destination) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "backup: %s: %s", destination,
		            g_strerror(errno));
		g_unlink(partial);
		return false;
	}
	return true;
}
