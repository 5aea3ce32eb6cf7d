#define G_LOG_DOMAIN "piculet-store"

#include "store/store_schema.h"
#include "store/store_sqlite_campaign.h"
#include "store/store_sqlite_engine.h"
#include "store/store_sqlite_private.h"

#include "base/base_error.h"

#include "base/base_json.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* How long a writer waits for another one (a running `piculet run`) before
 * STORE_ERROR_BUSY. */
#define BUSY_TIMEOUT_MS 5000

static void
finalize_statement(gpointer stmt)
{
	sqlite3_finalize(stmt);
}

/* Turns SQLite's verdict into this layer's terms. */
void
store_sqlite_set_error(Sqlite *sqlite, int rc, const char *what, GError **error)
{
	int code = STORE_ERROR_FAILED;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = STORE_ERROR_BUSY;
		break;
	case SQLITE_READONLY:
		code = STORE_ERROR_READ_ONLY;
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_NOTADB:
	case SQLITE_PERM:
		code = STORE_ERROR_OPEN;
		break;
	case SQLITE_CONSTRAINT:
		code = STORE_ERROR_INVALID;
		break;
	default:
		break;
	}
	/* SQLite's text can quote what it was given (a file name, a value):
	 * made printable like any outside text. */
	g_autofree char *message = base_error_printable_dup(sqlite != NULL && sqlite->db != NULL
	                                                            ? sqlite3_errmsg(sqlite->db)
	                                                            : sqlite3_errstr(rc),
	                                                    -1, 300);
	g_autofree char *place = base_error_printable_dup(what, -1, 300);
	if (code == STORE_ERROR_BUSY)
		g_set_error(error, STORE_ERROR, code,
		            "%s: the database is locked by another piculet (%s)", place, message);
	else
		g_set_error(error, STORE_ERROR, code, "%s: %s", place, message);
}

/* A prepared statement for @sql, cached for the life of the connection and
 * reset for this use. Borrowed. */
sqlite3_stmt *
store_sqlite_statement(Sqlite *sqlite, const char *sql, GError **error)
{
	sqlite3_stmt *stmt = g_hash_table_lookup(sqlite->statements, sql);
	if (stmt != NULL) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		return stmt;
	}
	int rc = sqlite3_prepare_v3(sqlite->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (rc != SQLITE_OK) {
		store_sqlite_set_error(sqlite, rc, "prepare", error);
		return NULL;
	}
	g_hash_table_insert(sqlite->statements, (gpointer)sql, stmt);
	return stmt;
}

bool
store_sqlite_step_done(Sqlite *sqlite, sqlite3_stmt *stmt, const char *what, GError **error)
{
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return true;
	store_sqlite_set_error(sqlite, rc, what, error);
	return false;
}

bool
store_sqlite_exec(Sqlite *sqlite, const char *sql, const char *what, GError **error)
{
	char *message = NULL;
	int rc = sqlite3_exec(sqlite->db, sql, NULL, NULL, &message);
	sqlite3_free(message);
	if (rc != SQLITE_OK) {
		store_sqlite_set_error(sqlite, rc, what, error);
		return false;
	}
	return true;
}

int64_t
store_sqlite_now_us(const Sqlite *sqlite)
{
	return sqlite->clock != NULL ? sqlite->clock(sqlite->clock_data) : g_get_real_time();
}

static void
sqlite_close(void *impl)
{
	Sqlite *sqlite = impl;
	if (sqlite == NULL)
		return;
	g_hash_table_unref(sqlite->statements);
	sqlite3_close_v2(sqlite->db);
	/* After SQLite's own descriptors: closing any descriptor of the file
	 * drops the process's fcntl locks, which SQLite's are. */
	if (sqlite->lock_fd >= 0)
		close(sqlite->lock_fd);
	g_free(sqlite->path);
	g_free(sqlite->key_path);
	g_free(sqlite);
}

static bool
migrate(Sqlite *sqlite, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, "PRAGMA user_version", error);
	if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW) {
		if (stmt != NULL)
			store_sqlite_set_error(sqlite, sqlite3_errcode(sqlite->db),
			                       "read schema version", error);
		return false;
	}
	unsigned version = (unsigned)sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	if (version > store_schema_version) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_VERSION,
		            "the database is at schema version %u, written by a newer piculet; "
		            "this one knows up to version %u",
		            version, store_schema_version);
		return false;
	}
	for (unsigned v = version; v < store_schema_version; v++) {
		g_autofree char *set_version = g_strdup_printf("PRAGMA user_version = %u", v + 1);
		/* Each migration and its version bump happen together. */
		if (!store_sqlite_exec(sqlite, "BEGIN IMMEDIATE", "migrate", error))
			return false;
		if (!store_sqlite_exec(sqlite, store_schema_migrations[v], "migrate", error) ||
		    !store_sqlite_exec(sqlite, set_version, "migrate", error)) {
			store_sqlite_exec(sqlite, "ROLLBACK", "migrate", NULL);
			return false;
		}
		if (!store_sqlite_exec(sqlite, "COMMIT", "migrate", error))
			return false;
		g_debug("schema migrated to version %u", v + 1);
	}
	sqlite->version = store_schema_version;
	return true;
}

/* "secret.key" beside the database's real file (symlinks resolved). */
static char *
default_key_path(const char *path)
{
	g_autofree char *real = realpath(path, NULL);
	g_autofree char *folder = g_path_get_dirname(real != NULL ? real : path);
	return g_build_filename(folder, "secret.key", NULL);
}

static const char *
sqlite_key_path(void *impl)
{
	return ((Sqlite *)impl)->key_path;
}

/* flock(2) on the database file: it follows the file, not the path string
 * (a symlink, a relative path from elsewhere or a hard link all meet it),
 * and SQLite's fcntl locks do not touch it. */
static bool
sqlite_lock_engine(void *impl, GError **error)
{
	Sqlite *sqlite = impl;
	if (sqlite->lock_fd >= 0)
		return true;
	int fd = open(sqlite->path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "%s: %s", sqlite->path,
		            g_strerror(errno));
		return false;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		g_set_error(error, STORE_ERROR, STORE_ERROR_BUSY,
		            "another piculet run or tick is working on %s; one at a time",
		            sqlite->path);
		return false;
	}
	sqlite->lock_fd = fd;
	return true;
}

static void *
sqlite_open(const char *path, const StoreSettings *settings, GError **error)
{
	g_autofree char *folder = g_path_get_dirname(path);
	if (g_mkdir_with_parents(folder, 0700) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "%s: cannot create folder: %s",
		            folder, g_strerror(errno));
		return NULL;
	}
	bool created = !g_file_test(path, G_FILE_TEST_EXISTS);
	Sqlite *sqlite = g_new0(Sqlite, 1);
	sqlite->lock_fd = -1;
	sqlite->path = g_strdup(path);
	sqlite->clock = settings->clock;
	sqlite->clock_data = settings->clock_data;
	sqlite->key_path = settings->key_path != NULL ? g_strdup(settings->key_path) : NULL;
	sqlite->statements =
	        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, finalize_statement);
	sqlite->puts_insert = true;
	int rc = sqlite3_open_v2(path, &sqlite->db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		store_sqlite_set_error(sqlite, rc, path, error);
		sqlite_close(sqlite);
		return NULL;
	}
	/* Prospects and mailboxes are personal data: only the owner reads it. */
	if (created && strcmp(path, ":memory:") != 0)
		g_chmod(path, 0600);
	sqlite3_extended_result_codes(sqlite->db, 1);
	sqlite3_busy_timeout(sqlite->db, BUSY_TIMEOUT_MS);
	if (!store_sqlite_exec(sqlite, "PRAGMA foreign_keys = ON", path, error) ||
	    !store_sqlite_exec(sqlite, "PRAGMA journal_mode = WAL", path, error) ||
	    !store_sqlite_exec(sqlite, "PRAGMA synchronous = NORMAL", path, error) ||
	    !migrate(sqlite, error)) {
		g_prefix_error(error, "%s: ", path);
		sqlite_close(sqlite);
		return NULL;
	}
	if (sqlite->key_path == NULL)
		sqlite->key_path = default_key_path(path);
	return sqlite;
}

static unsigned
sqlite_schema_version(void *impl)
{
	return ((Sqlite *)impl)->version;
}

static bool
sqlite_begin(void *impl, GError **error)
{
	/* IMMEDIATE: take the write lock now, so a long import fails at once
	 * when another writer holds it, not half-way through. */
	return store_sqlite_exec(impl, "BEGIN IMMEDIATE", "begin", error);
}

static bool
sqlite_commit(void *impl, GError **error)
{
	return store_sqlite_exec(impl, "COMMIT", "commit", error);
}

static void
sqlite_rollback(void *impl)
{
	Sqlite *sqlite = impl;
	if (!sqlite3_get_autocommit(sqlite->db))
		store_sqlite_exec(sqlite, "ROLLBACK", "rollback", NULL);
}

static bool
sqlite_blacklist_add(void *impl, const char *entry, const char *reason, GError **error)
{
	sqlite3_stmt *stmt =
	        store_sqlite_statement(impl,
	                               "INSERT INTO blacklist (entry, reason, created_at) "
	                               "VALUES (?1, ?2, ?3) ON CONFLICT (entry) DO NOTHING",
	                               error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, entry, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, store_sqlite_now_us(impl));
	return store_sqlite_step_done(impl, stmt, "blacklist add", error);
}

static bool
sqlite_blacklist_remove(void *impl, const char *entry, bool *removed, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt =
	        store_sqlite_statement(sqlite, "DELETE FROM blacklist WHERE entry = ?1", error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, entry, -1, SQLITE_STATIC);
	if (!store_sqlite_step_done(sqlite, stmt, "blacklist remove", error))
		return false;
	*removed = sqlite3_changes(sqlite->db) > 0;
	return true;
}

static GPtrArray *
sqlite_blacklist_list(void *impl, GError **error)
{
	sqlite3_stmt *stmt =
	        store_sqlite_statement(impl, "SELECT entry FROM blacklist ORDER BY entry", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(g_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(entries, g_strdup((const char *)sqlite3_column_text(stmt, 0)));
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(impl, rc, "blacklist list", error);
		return NULL;
	}
	return g_steal_pointer(&entries);
}

static bool
sqlite_blacklist_blocks(void *impl, const char *email, bool *blocked, GError **error)
{
	const char *at = strchr(email, '@');
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT 1 FROM blacklist WHERE entry = ?1 OR entry = ?2 LIMIT 1", error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, at != NULL ? at : email, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sqlite_set_error(impl, rc, "blacklist check", error);
		return false;
	}
	*blocked = rc == SQLITE_ROW;
	return true;
}

const char *
store_sqlite_or_empty(const char *text)
{
	return text != NULL ? text : "";
}

/* The custom fields as a JSON object of strings. */
static char *
fields_json(const StoreProspectInput *prospect)
{
	GString *json = g_string_new("{");
	for (gsize i = 0; i < prospect->n_fields; i++)
		base_json_append_member_string(json, prospect->field_names[i],
		                               prospect->field_values[i]);
	g_string_append_c(json, '}');
	return g_string_free(json, FALSE);
}

/* Writes the prospect with one statement in the common case: an import
 * into an empty database is all inserts, a second import all updates, so
 * the statement that worked for the last row is tried first (INSERT ... ON
 * CONFLICT DO NOTHING, or an UPDATE that skips bounced, opted-out and
 * already-stamped rows); only when it changes nothing is the row read to
 * learn why. Custom fields are merged (json_patch), so fields not given
 * are kept. (One upsert with RETURNING was tried: SQLite materialises
 * RETURNING rows, which made imports three times slower.) */
static bool
try_insert(Sqlite *sqlite, const StoreProspectInput *prospect, const char *fields, int64_t stamp,
           bool *done, GError **error)
{
	sqlite3_stmt *insert = store_sqlite_statement(
	        sqlite,
	        "INSERT INTO prospect (email, first_name, last_name, company, timezone, fields, "
	        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) "
	        "ON CONFLICT (email) DO NOTHING",
	        error);
	if (insert == NULL)
		return false;
	sqlite3_bind_text(insert, 1, prospect->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 2, store_sqlite_or_empty(prospect->first_name), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(insert, 3, store_sqlite_or_empty(prospect->last_name), -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 4, store_sqlite_or_empty(prospect->company), -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 5, store_sqlite_or_empty(prospect->timezone), -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 6, fields, -1, SQLITE_STATIC);
	sqlite3_bind_int64(insert, 7, stamp);
	if (!store_sqlite_step_done(sqlite, insert, "prospect put", error))
		return false;
	*done = sqlite3_changes(sqlite->db) > 0;
	return true;
}

static bool
try_update(Sqlite *sqlite, const StoreProspectInput *prospect, const char *fields, int64_t stamp,
           bool *done, GError **error)
{
	sqlite3_stmt *update = store_sqlite_statement(
	        sqlite,
	        "UPDATE prospect SET first_name = ?2, last_name = ?3, company = ?4, timezone = ?5, "
	        "fields = json_patch(fields, ?6), updated_at = ?7 WHERE email = ?1 "
	        "AND status NOT IN ('bounced', 'opted_out') AND (?8 = 0 OR updated_at != ?8)",
	        error);
	if (update == NULL)
		return false;
	sqlite3_bind_text(update, 1, prospect->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(update, 2, store_sqlite_or_empty(prospect->first_name), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(update, 3, store_sqlite_or_empty(prospect->last_name), -1, SQLITE_STATIC);
	sqlite3_bind_text(update, 4, store_sqlite_or_empty(prospect->company), -1, SQLITE_STATIC);
	sqlite3_bind_text(update, 5, store_sqlite_or_empty(prospect->timezone), -1, SQLITE_STATIC);
	sqlite3_bind_text(update, 6, fields, -1, SQLITE_STATIC);
	sqlite3_bind_int64(update, 7, stamp);
	sqlite3_bind_int64(update, 8, prospect->import_stamp);
	if (!store_sqlite_step_done(sqlite, update, "prospect put", error))
		return false;
	*done = sqlite3_changes(sqlite->db) > 0;
	return true;
}

/* Why neither statement changed the row: it bounced, opted out, or was
 * written by this import already. */
static bool
explain_unchanged(Sqlite *sqlite, const StoreProspectInput *prospect, StoreProspectResult *result,
                  bool *exists, GError **error)
{
	sqlite3_stmt *find = store_sqlite_statement(
	        sqlite, "SELECT status, updated_at FROM prospect WHERE email = ?1", error);
	if (find == NULL)
		return false;
	sqlite3_bind_text(find, 1, prospect->email, -1, SQLITE_STATIC);
	int rc = sqlite3_step(find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "prospect lookup", error);
		return false;
	}
	*exists = rc == SQLITE_ROW;
	if (*exists) {
		const char *status = (const char *)sqlite3_column_text(find, 0);
		if (g_strcmp0(status, "bounced") == 0)
			*result = STORE_PROSPECT_UNCHANGED_BOUNCED;
		else if (g_strcmp0(status, "opted_out") == 0)
			*result = STORE_PROSPECT_UNCHANGED_OPTED_OUT;
		else
			*result = STORE_PROSPECT_DUPLICATE;
	}
	sqlite3_reset(find);
	return true;
}

static bool
sqlite_prospect_put(void *impl, const StoreProspectInput *prospect, StoreProspectResult *result,
                    GError **error)
{
	Sqlite *sqlite = impl;
	g_autofree char *fields = fields_json(prospect);
	int64_t stamp =
	        prospect->import_stamp > 0 ? prospect->import_stamp : store_sqlite_now_us(impl);
	bool done = false;
	if (sqlite->puts_insert) {
		if (!try_insert(sqlite, prospect, fields, stamp, &done, error))
			return false;
		if (done) {
			*result = STORE_PROSPECT_INSERTED;
			return true;
		}
		if (!try_update(sqlite, prospect, fields, stamp, &done, error))
			return false;
		if (done) {
			sqlite->puts_insert = false;
			*result = STORE_PROSPECT_UPDATED;
			return true;
		}
	} else {
		if (!try_update(sqlite, prospect, fields, stamp, &done, error))
			return false;
		if (done) {
			*result = STORE_PROSPECT_UPDATED;
			return true;
		}
	}
	bool exists = false;
	if (!explain_unchanged(sqlite, prospect, result, &exists, error))
		return false;
	if (exists)
		return true;
	if (!try_insert(sqlite, prospect, fields, stamp, &done, error))
		return false;
	sqlite->puts_insert = true;
	*result = STORE_PROSPECT_INSERTED;
	return true;
}

static StoreProspect *
prospect_from_row(sqlite3_stmt *row)
{
	StoreProspect *prospect = g_new0(StoreProspect, 1);
	prospect->id = sqlite3_column_int64(row, 0);
	prospect->email = g_strdup((const char *)sqlite3_column_text(row, 1));
	prospect->first_name = g_strdup((const char *)sqlite3_column_text(row, 2));
	prospect->last_name = g_strdup((const char *)sqlite3_column_text(row, 3));
	prospect->company = g_strdup((const char *)sqlite3_column_text(row, 4));
	prospect->timezone = g_strdup((const char *)sqlite3_column_text(row, 5));
	prospect->status = g_strdup((const char *)sqlite3_column_text(row, 6));
	prospect->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	json_t *fields = json_loads((const char *)sqlite3_column_text(row, 7), 0, NULL);
	const char *key;
	json_t *value;
	json_object_foreach(fields, key, value)
	{
		if (json_is_string(value))
			g_hash_table_insert(prospect->fields, g_strdup(key),
			                    g_strdup(json_string_value(value)));
	}
	json_decref(fields);
	return prospect;
}

#define PROSPECT_COLUMNS "id, email, first_name, last_name, company, timezone, status, fields"

static StoreProspect *
sqlite_prospect_get(void *impl, const char *email, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT " PROSPECT_COLUMNS " FROM prospect WHERE email = ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, email, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return NULL;
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(impl, rc, "prospect get", error);
		return NULL;
	}
	StoreProspect *prospect = prospect_from_row(stmt);
	sqlite3_reset(stmt);
	return prospect;
}

static GPtrArray *
sqlite_prospect_list(void *impl, guint limit, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT " PROSPECT_COLUMNS " FROM prospect ORDER BY email LIMIT ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, limit > 0 ? (sqlite3_int64)limit : -1);
	g_autoptr(GPtrArray) prospects =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_prospect_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		g_ptr_array_add(prospects, prospect_from_row(stmt));
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(impl, rc, "prospect list", error);
		return NULL;
	}
	return g_steal_pointer(&prospects);
}

static bool
sqlite_prospect_count(void *impl, guint64 *count, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(impl, "SELECT count(*) FROM prospect", error);
	if (stmt == NULL)
		return false;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_sqlite_set_error(impl, sqlite3_errcode(((Sqlite *)impl)->db),
		                       "prospect count", error);
		return false;
	}
	*count = (guint64)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return true;
}

static bool
sqlite_prospect_set_status(void *impl, const char *email, const char *status, bool *found,
                           GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite, "UPDATE prospect SET status = ?2, updated_at = ?3 WHERE email = ?1", error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, store_sqlite_now_us(impl));
	if (!store_sqlite_step_done(sqlite, stmt, "prospect status", error))
		return false;
	*found = sqlite3_changes(sqlite->db) > 0;
	return true;
}

/* Binds a mailbox's settings as ?1 (address) to ?16 (signature): the
 * order of both the insert and the update. */
static void
bind_mailbox(sqlite3_stmt *stmt, const StoreMailboxInput *m)
{
	sqlite3_bind_text(stmt, 1, m->address, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, store_sqlite_or_empty(m->display_name), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, m->smtp_host, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, m->smtp_port);
	sqlite3_bind_text(stmt, 5, m->smtp_security, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, store_sqlite_or_empty(m->smtp_user), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, m->imap_host, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 8, m->imap_port);
	sqlite3_bind_text(stmt, 9, m->imap_security, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, store_sqlite_or_empty(m->imap_user), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 11, m->secret_source, -1, SQLITE_STATIC);
	if (m->secret_sealed != NULL)
		sqlite3_bind_blob(stmt, 12, g_bytes_get_data(m->secret_sealed, NULL),
		                  (int)g_bytes_get_size(m->secret_sealed), SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 12);
	sqlite3_bind_int(stmt, 13, m->daily_cap);
	sqlite3_bind_int(stmt, 14, m->interval_min_s);
	sqlite3_bind_int(stmt, 15, m->interval_max_s);
	sqlite3_bind_text(stmt, 16, store_sqlite_or_empty(m->signature), -1, SQLITE_STATIC);
}

static bool
sqlite_mailbox_add(void *impl, const StoreMailboxInput *m, int64_t *id, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "INSERT INTO mailbox (address, display_name, smtp_host, smtp_port, smtp_security, "
	        "smtp_user, imap_host, imap_port, imap_security, imap_user, secret_source, "
	        "secret_sealed, daily_cap, interval_min_s, interval_max_s, signature, created_at) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
	        "?17)",
	        error);
	if (stmt == NULL)
		return false;
	bind_mailbox(stmt, m);
	sqlite3_bind_int64(stmt, 17, store_sqlite_now_us(impl));
	int rc = sqlite3_step(stmt);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "mailbox %s exists already",
		            m->address);
		return false;
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "mailbox add", error);
		return false;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(sqlite->db);
	return true;
}

#define MAILBOX_COLUMNS                                                                            \
	"id, address, display_name, smtp_host, smtp_port, smtp_security, smtp_user, imap_host, "   \
	"imap_port, imap_security, imap_user, secret_source, secret_sealed, daily_cap, "           \
	"interval_min_s, interval_max_s, signature, paused_reason, paused_until, next_send_at, "   \
	"paused_kind"

char *
store_sqlite_column_dup(sqlite3_stmt *row, int column)
{
	const unsigned char *text = sqlite3_column_text(row, column);
	return text != NULL ? g_strdup((const char *)text) : NULL;
}

static StoreMailbox *
mailbox_from_row(sqlite3_stmt *row)
{
	StoreMailbox *m = g_new0(StoreMailbox, 1);
	m->id = sqlite3_column_int64(row, 0);
	m->address = store_sqlite_column_dup(row, 1);
	m->display_name = store_sqlite_column_dup(row, 2);
	m->smtp_host = store_sqlite_column_dup(row, 3);
	m->smtp_port = (uint16_t)sqlite3_column_int(row, 4);
	m->smtp_security = store_sqlite_column_dup(row, 5);
	m->smtp_user = store_sqlite_column_dup(row, 6);
	m->imap_host = store_sqlite_column_dup(row, 7);
	m->imap_port = (uint16_t)sqlite3_column_int(row, 8);
	m->imap_security = store_sqlite_column_dup(row, 9);
	m->imap_user = store_sqlite_column_dup(row, 10);
	m->secret_source = store_sqlite_column_dup(row, 11);
	if (sqlite3_column_type(row, 12) == SQLITE_BLOB)
		m->secret_sealed = g_bytes_new(sqlite3_column_blob(row, 12),
		                               (gsize)sqlite3_column_bytes(row, 12));
	m->daily_cap = sqlite3_column_int(row, 13);
	m->interval_min_s = sqlite3_column_int(row, 14);
	m->interval_max_s = sqlite3_column_int(row, 15);
	m->signature = store_sqlite_column_dup(row, 16);
	m->paused_reason = store_sqlite_column_dup(row, 17);
	m->paused_until = sqlite3_column_int64(row, 18);
	m->next_send_at = sqlite3_column_int64(row, 19);
	m->paused_kind = store_sqlite_column_dup(row, 20);
	return m;
}

static StoreMailbox *
sqlite_mailbox_get(void *impl, const char *address, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT " MAILBOX_COLUMNS " FROM mailbox WHERE address = ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, address, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return NULL;
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(impl, rc, "mailbox get", error);
		return NULL;
	}
	StoreMailbox *mailbox = mailbox_from_row(stmt);
	sqlite3_reset(stmt);
	return mailbox;
}

static GPtrArray *
sqlite_mailbox_list(void *impl, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, "SELECT " MAILBOX_COLUMNS " FROM mailbox ORDER BY address", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) mailboxes =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_mailbox_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(mailboxes, mailbox_from_row(stmt));
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(impl, rc, "mailbox list", error);
		return NULL;
	}
	return g_steal_pointer(&mailboxes);
}

static bool
sqlite_mailbox_remove(void *impl, const char *address, bool *removed, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt =
	        store_sqlite_statement(sqlite, "DELETE FROM mailbox WHERE address = ?1", error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, address, -1, SQLITE_STATIC);
	if (!store_sqlite_step_done(sqlite, stmt, "mailbox remove", error))
		return false;
	*removed = sqlite3_changes(sqlite->db) > 0;
	return true;
}

static bool
sqlite_mailbox_update(void *impl, const StoreMailboxInput *m, bool *found, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "UPDATE mailbox SET display_name = ?2, smtp_host = ?3, smtp_port = ?4, "
	        "smtp_security = ?5, smtp_user = ?6, imap_host = ?7, imap_port = ?8, "
	        "imap_security = ?9, imap_user = ?10, secret_source = ?11, secret_sealed = ?12, "
	        "daily_cap = ?13, interval_min_s = ?14, interval_max_s = ?15, signature = ?16 "
	        "WHERE address = ?1",
	        error);
	if (stmt == NULL)
		return false;
	bind_mailbox(stmt, m);
	if (!store_sqlite_step_done(sqlite, stmt, "mailbox update", error))
		return false;
	*found = sqlite3_changes(sqlite->db) > 0;
	return true;
}

/* With the prospect go what names it: its enrollments (and so the messages
 * sent), the mail it sent us, and the events about it. */
static bool
sqlite_prospect_remove(void *impl, const char *email, bool *removed, GError **error)
{
	Sqlite *sqlite = impl;
	static const char *const statements[] = {
	        "DELETE FROM inbound WHERE enrollment_id IN (SELECT e.id FROM enrollment e "
	        "JOIN prospect p ON p.id = e.prospect_id WHERE p.email = ?1)",
	        "DELETE FROM event WHERE enrollment_id IN (SELECT e.id FROM enrollment e "
	        "JOIN prospect p ON p.id = e.prospect_id WHERE p.email = ?1)",
	        "DELETE FROM prospect WHERE email = ?1",
	};
	if (!store_sqlite_exec(sqlite, "SAVEPOINT prospect_remove", "prospect remove", error))
		return false;
	for (gsize i = 0; i < G_N_ELEMENTS(statements); i++) {
		sqlite3_stmt *stmt = store_sqlite_statement(sqlite, statements[i], error);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_text(stmt, 1, email, -1, SQLITE_STATIC);
		if (!store_sqlite_step_done(sqlite, stmt, "prospect remove", error))
			goto fail;
		*removed = sqlite3_changes(sqlite->db) > 0;
	}
	return store_sqlite_exec(sqlite, "RELEASE prospect_remove", "prospect remove", error);
fail:
	store_sqlite_exec(sqlite, "ROLLBACK TO prospect_remove", "rollback", NULL);
	store_sqlite_exec(sqlite, "RELEASE prospect_remove", "release", NULL);
	return false;
}

const StoreBackend store_sqlite_backend = {
        .name = "sqlite",
        .open = sqlite_open,
        .close = sqlite_close,
        .key_path = sqlite_key_path,
        .lock_engine = sqlite_lock_engine,
        .schema_version = sqlite_schema_version,
        .begin = sqlite_begin,
        .commit = sqlite_commit,
        .rollback = sqlite_rollback,
        .blacklist_add = sqlite_blacklist_add,
        .blacklist_remove = sqlite_blacklist_remove,
        .blacklist_list = sqlite_blacklist_list,
        .blacklist_blocks = sqlite_blacklist_blocks,
        .prospect_put = sqlite_prospect_put,
        .prospect_get = sqlite_prospect_get,
        .prospect_list = sqlite_prospect_list,
        .prospect_count = sqlite_prospect_count,
        .prospect_set_status = sqlite_prospect_set_status,
        .mailbox_add = sqlite_mailbox_add,
        .mailbox_get = sqlite_mailbox_get,
        .mailbox_list = sqlite_mailbox_list,
        .mailbox_remove = sqlite_mailbox_remove,
        .mailbox_update = sqlite_mailbox_update,
        .prospect_remove = sqlite_prospect_remove,
        .enrollment_list_for_prospect = store_sqlite_engine_list_for_prospect,
        .mailbox_next_due = store_sqlite_engine_next_due,
        .campaign_create = store_sqlite_campaign_create,
        .campaign_update = store_sqlite_campaign_update,
        .campaign_get = store_sqlite_campaign_get,
        .campaign_list = store_sqlite_campaign_list,
        .campaign_set_state = store_sqlite_campaign_set_state,
        .enrollment_add = store_sqlite_campaign_enroll,
        .enrollment_list = store_sqlite_campaign_enrollments,
        .set_next_send = store_sqlite_engine_set_next_send,
        .set_paused = store_sqlite_engine_set_paused,
        .get_cursor = store_sqlite_engine_get_cursor,
        .set_cursor = store_sqlite_engine_set_cursor,
        .count_sent = store_sqlite_engine_count_sent,
        .count_openings = store_sqlite_engine_count_openings,
        .report = store_sqlite_engine_report,
        .list_due = store_sqlite_engine_list_due,
        .list_queued = store_sqlite_engine_list_queued,
        .get_enrollment = store_sqlite_engine_get_enrollment,
        .update_enrollment = store_sqlite_engine_update_enrollment,
        .list_open_by_email = store_sqlite_engine_list_open_by_email,
        .list_open_by_domain = store_sqlite_engine_list_open_by_domain,
        .list_resumable = store_sqlite_engine_list_resumable,
        .list_waiting = store_sqlite_engine_list_waiting,
        .next_wake = store_sqlite_engine_next_wake,
        .message_begin = store_sqlite_engine_message_begin,
        .message_finish = store_sqlite_engine_message_finish,
        .message_discard = store_sqlite_engine_message_discard,
        .messages_of = store_sqlite_engine_messages_of,
        .messages_sending = store_sqlite_engine_messages_sending,
        .message_find = store_sqlite_engine_message_find,
        .event_add = store_sqlite_engine_event_add,
        .inbound_add = store_sqlite_engine_inbound_add,
        .replies = store_sqlite_engine_replies,
};
