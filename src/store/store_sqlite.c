#define G_LOG_DOMAIN "piculet-store"

#include "store/store_schema.h"
#include "store/store_sqlite_private.h"

#include "base/base_error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
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
bool
store_sqlite_lock_engine(void *impl, GError **error)
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

bool
store_sqlite_begin(void *impl, GError **error)
{
	/* IMMEDIATE: take the write lock now, so a long import fails at once
	 * when another writer holds it, not half-way through. */
	return store_sqlite_exec(impl, "BEGIN IMMEDIATE", "begin", error);
}

bool
store_sqlite_commit(void *impl, GError **error)
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

const char *
store_sqlite_or_empty(const char *text)
{
	return text != NULL ? text : "";
}

char *
store_sqlite_column_dup(sqlite3_stmt *row, int column)
{
	const unsigned char *text = sqlite3_column_text(row, column);
	return text != NULL ? g_strdup((const char *)text) : NULL;
}

bool
store_sqlite_run(Sqlite *sqlite, const char *sql, const char *what, GError **error,
                 const StoreSqliteBind *binds, gsize n_binds)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, sql, error);
	if (stmt == NULL)
		return false;
	for (gsize i = 0; i < n_binds; i++) {
		if (!binds[i].is_text)
			sqlite3_bind_int64(stmt, (int)i + 1, binds[i].number);
		else if (binds[i].text != NULL)
			sqlite3_bind_text(stmt, (int)i + 1, binds[i].text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(stmt, (int)i + 1);
	}
	return store_sqlite_step_done(sqlite, stmt, what, error);
}

bool
store_sqlite_count(Sqlite *sqlite, const char *sql, int64_t a, int64_t b, guint *result,
                   GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, sql, error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, sqlite3_errcode(sqlite->db), "count", error);
		return false;
	}
	*result = (guint)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return true;
}

bool
store_sqlite_time_query(Sqlite *sqlite, const char *sql, int64_t value, const char *what,
                        int64_t *at_us, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, sql, error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, value);
	int rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, rc, what, error);
		return false;
	}
	*at_us = sqlite3_column_type(stmt, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return true;
}

bool
store_sqlite_next_wake(void *impl, int64_t after_us, int64_t *at_us, GError **error)
{
	/* One index range (state, next_due_at) per state; a wake for an
	 * enrollment of a campaign that is not running costs one empty pass. */
	*at_us = 0;
	return store_sqlite_time_query(
	        impl,
	        "SELECT min(t) FROM ("
	        "SELECT min(next_due_at) AS t FROM enrollment "
	        "  WHERE state = 'active' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_due_at) FROM enrollment "
	        "  WHERE state = 'queued' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_due_at) FROM enrollment "
	        "  WHERE state = 'paused' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_send_at) FROM mailbox WHERE next_send_at > ?1 "
	        "UNION ALL SELECT min(paused_until) FROM mailbox WHERE paused_until > ?1)",
	        after_us, "next wake", at_us, error);
}

/* The deliveries of event @event_id to the subscriptions that want
 * @type, each with its payload as of now (Standard Webhooks' envelope:
 * type, timestamp, data). */
static bool
add_deliveries(Sqlite *sqlite, int64_t event_id, const char *type, GError **error)
{
	return STORE_SQLITE_RUN(
	        sqlite,
	        "INSERT INTO webhook_delivery (webhook_id, event_id, type, payload, created_at, "
	        "next_at) "
	        "SELECT w.id, v.id, ?2, json_object('type', ?2, 'timestamp', "
	        "strftime('%Y-%m-%dT%H:%M:%SZ', v.at / 1000000, 'unixepoch'), 'data', "
	        "json_object('event_id', v.id, 'kind', v.kind, 'campaign', c.name, "
	        "'prospect', p.email, 'mailbox', mb.address, 'step', m.step, "
	        "'message_id', m.message_id, 'detail', v.detail, 'text', "
	        "CASE WHEN ?2 IN ('reply.received', 'auto_reply.received', 'reply.needs_review') "
	        "THEN (SELECT i.reply_text FROM inbound i WHERE i.enrollment_id = v.enrollment_id "
	        "ORDER BY i.id DESC LIMIT 1) END, 'intent', "
	        "CASE WHEN ?2 = 'reply.received' THEN (SELECT i.intent FROM inbound i "
	        "WHERE i.enrollment_id = v.enrollment_id AND i.intent != '' "
	        "ORDER BY i.id DESC LIMIT 1) END, "
	        "'return_date', CASE WHEN ?2 = 'auto_reply.received' THEN (SELECT "
	        "nullif(i.return_date, '') FROM inbound i WHERE i.enrollment_id = v.enrollment_id "
	        "AND i.class = 'auto_reply' ORDER BY i.id DESC LIMIT 1) END, "
	        "'bounce', CASE WHEN ?2 = 'bounce.received' THEN (SELECT json_object('status', "
	        "nullif(i.bounce_status, ''), 'reason', i.bounce_reason, 'hard', "
	        "json(CASE i.bounce_hard WHEN 1 THEN 'true' ELSE 'false' END)) FROM inbound i "
	        "WHERE i.enrollment_id = v.enrollment_id AND i.class = 'bounce' "
	        "ORDER BY i.id DESC LIMIT 1) END)), ?3, ?3 "
	        "FROM event v LEFT JOIN enrollment e ON e.id = v.enrollment_id "
	        "LEFT JOIN campaign c ON c.id = coalesce(v.campaign_id, e.campaign_id) "
	        "LEFT JOIN prospect p ON p.id = e.prospect_id "
	        "LEFT JOIN message m ON m.id = v.message_id "
	        "LEFT JOIN mailbox mb ON mb.id = v.mailbox_id, webhook w "
	        "WHERE v.id = ?1 AND (w.events = '*' OR "
	        "instr(' ' || w.events || ' ', ' ' || ?2 || ' ') > 0)",
	        "webhook outbox", error, STORE_SQLITE_NUMBER(event_id), STORE_SQLITE_TEXT(type),
	        STORE_SQLITE_NUMBER(store_sqlite_now_us(sqlite)));
}

bool
store_sqlite_event_add(void *impl, const StoreEventInput *event, GError **error)
{
	Sqlite *sqlite = impl;
	/* The event and its deliveries together, or neither. */
	if (!store_sqlite_exec(sqlite, "SAVEPOINT event_add", "event", error))
		return false;
	bool ok = STORE_SQLITE_RUN(
	        sqlite,
	        "INSERT INTO event (at, kind, mailbox_id, enrollment_id, message_id, detail, "
	        "campaign_id) "
	        "VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), nullif(?5, 0), ?6, nullif(?7, 0))",
	        "event", error, STORE_SQLITE_NUMBER(event->at_us), STORE_SQLITE_TEXT(event->kind),
	        STORE_SQLITE_NUMBER(event->mailbox_id), STORE_SQLITE_NUMBER(event->enrollment_id),
	        STORE_SQLITE_NUMBER(event->message_id),
	        STORE_SQLITE_TEXT(store_sqlite_or_empty(event->detail)),
	        STORE_SQLITE_NUMBER(event->campaign_id));
	if (ok && event->webhook_type != NULL)
		ok = add_deliveries(sqlite, sqlite3_last_insert_rowid(sqlite->db),
		                    event->webhook_type, error);
	if (!ok) {
		store_sqlite_exec(sqlite, "ROLLBACK TO event_add", "event", NULL);
		store_sqlite_exec(sqlite, "RELEASE event_add", "event", NULL);
		return false;
	}
	return store_sqlite_exec(sqlite, "RELEASE event_add", "event", error);
}

/* Every event query selects these columns, in this order. */
#define EVENT_SELECT                                                                               \
	"SELECT v.id, v.at, v.kind, c.name, p.email, coalesce(m.step, 0), mb.address, v.detail "   \
	"FROM event v LEFT JOIN enrollment e ON e.id = v.enrollment_id "                           \
	"LEFT JOIN campaign c ON c.id = coalesce(v.campaign_id, e.campaign_id) "                   \
	"LEFT JOIN prospect p ON p.id = e.prospect_id "                                            \
	"LEFT JOIN message m ON m.id = v.message_id "                                              \
	"LEFT JOIN mailbox mb ON mb.id = v.mailbox_id "

/* The events @stmt (bound) finds. */
static GPtrArray *
events(Sqlite *sqlite, sqlite3_stmt *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_event_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StoreEvent *event = g_new0(StoreEvent, 1);
		event->id = sqlite3_column_int64(stmt, 0);
		event->at = sqlite3_column_int64(stmt, 1);
		event->kind = store_sqlite_column_dup(stmt, 2);
		event->campaign = store_sqlite_column_dup(stmt, 3);
		event->email = store_sqlite_column_dup(stmt, 4);
		event->step = sqlite3_column_int(stmt, 5);
		event->mailbox = store_sqlite_column_dup(stmt, 6);
		event->detail = store_sqlite_column_dup(stmt, 7);
		g_ptr_array_add(list, event);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "events", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sqlite_event_list_for_prospect(void *impl, const char *email, GError **error)
{
	/* The prospect's few enrollments, then their events (event_by_enrollment). */
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl,
	        EVENT_SELECT "WHERE e.prospect_id = (SELECT id FROM prospect WHERE email = ?1) "
	                     "ORDER BY v.at, v.id",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, email, -1, SQLITE_STATIC);
	return events(impl, stmt, error);
}

GPtrArray *
store_sqlite_event_list_after(void *impl, int64_t after_id, guint limit, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl, EVENT_SELECT "WHERE v.id > ?1 ORDER BY v.id LIMIT ?2", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, after_id);
	sqlite3_bind_int64(stmt, 2, limit > 0 ? (sqlite3_int64)limit : -1);
	return events(impl, stmt, error);
}

/* clang-format off */
#define STORE_SQLITE_ENTRY(returns, name, how, params, args) .name = store_sqlite_##name,
/* clang-format on */

const StoreBackend store_sqlite_backend = {.name = "sqlite",
                                           .open = sqlite_open,
                                           .close = sqlite_close,
                                           .key_path = sqlite_key_path,
                                           .schema_version = sqlite_schema_version,
                                           .rollback = sqlite_rollback,
                                           STORE_OPERATIONS(STORE_SQLITE_ENTRY)};
