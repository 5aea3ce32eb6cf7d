/* The PostgreSQL driver: one libpq connection, statements prepared on the
 * server once, results read row by row like SQLite's. */
#define G_LOG_DOMAIN "piculet-store"

#include "store/store_pg.h"

#include "store/store_schema.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

/* Type OIDs of pg_type.h (stable: part of the wire protocol). */
#define PG_BYTEA_OID 17
#define PG_INT8_OID  20
#define PG_TEXT_OID  25

/* The advisory lock keys (any numbers of piculet's own): a migration
 * takes the first, so two processes opening a new database do not both
 * migrate it; the engine lock is the second (a session's); the leases'
 * claims take 7069630003 (store_sql_lease.c), a copy 7069630004
 * (store_pg_copy.c); a campaign's openings the two-key form
 * (store_sql_campaign.c), a mailbox's OAuth2 renewal the two-key form
 * with REFRESH_LOCK_KEY. Other writers
 * do not queue behind one lock, as they do on SQLite: the server orders
 * them row by row, and an engine paused in a transaction holds up only
 * the rows it wrote. */
#define MIGRATION_LOCK_KEY "7069630001"
/* A mailbox's turn to renew its OAuth2 tokens (two-key form, with the
 * mailbox's id). */
#define REFRESH_LOCK_KEY "706964"
#define ENGINE_LOCK_KEY  7069630002

/* How long a writer waits for another before STORE_ERROR_BUSY, as on
 * SQLite. */
#define LOCK_TIMEOUT "5s"

/* How long a statement may go unanswered before the link is taken for
 * dead: a network that drops packets without a word (a router gone, a
 * firewall's state lost) leaves a client waiting for ever. As long as an
 * engine's default lease; migrations (an index built over a large table)
 * take as long as they take. */
#define ANSWER_DEADLINE_S 60

/* Set on every connection unless its URI says otherwise: a connection
 * attempt ends after 10 s, and the kernel notices a dead link within about
 * a minute (keepalives on an idle one, an unacknowledged send on a busy
 * one). Unix sockets ignore them. */
static const char *const connection_defaults[][2] = {
        {"connect_timeout", "10"},     {"keepalives", "1"},       {"keepalives_idle", "30"},
        {"keepalives_interval", "10"}, {"keepalives_count", "3"}, {"tcp_user_timeout", "60000"},
};

typedef struct {
	PGconn *conn;
	char *message;   /* the last failure's words */
	int64_t changes; /* rows the last statement touched */
	unsigned next_name;
	bool engine_locked;
	guint refresh_locks;      /* OAuth2 renewal turns held (pg_lock_refresh) */
	bool reconnecting;        /* connection_lost at work: no second one inside it */
	int stop_fd;              /* StoreSettings.stop_fd */
	bool stopping;            /* a stop was asked for: short waits, no new link */
	int64_t copy_deadline_us; /* a COPY's, whole: begun, its rows, ended */
} StorePg;

typedef struct {
	char *name;
	char *sql; /* with $1, $2, ... */
	int n_params;
	bool prepared;
	Oid *types;
	bool *bound; /* before the first step */
	const char **values;
	int *lengths;
	int *formats;
	char (*numbers)[24]; /* the text of each number bound */
	PGresult *result;
	bool executed;
	int row;             /* the current row of result */
	unsigned char *blob; /* the last blob column read, decoded */
	size_t blob_size;
} PgStatement;

static StorePg *
pg_of(StoreSql *db)
{
	return db->connection;
}

PGconn *
store_pg_conn(StoreSql *db)
{
	return pg_of(db)->conn;
}

static PgStatement *
handle_of(StoreSqlStatement *stmt)
{
	return stmt->handle;
}

static void
set_message(StorePg *pg, const char *message)
{
	g_free(pg->message);
	pg->message = g_strchomp(g_strdup(message != NULL ? message : ""));
}

/* The store's code for a failed result, from its SQLSTATE class. */
static int
code_of(StorePg *pg, const PGresult *result)
{
	/* The server's primary message: its CONTEXT and DETAIL lines are for
	 * a database's log, not a person's. */
	const char *primary =
	        result != NULL ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	set_message(pg, primary != NULL  ? primary
	                : result != NULL ? PQresultErrorMessage(result)
	                                 : PQerrorMessage(pg->conn));
	const char *state = result != NULL ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : NULL;
	if (state == NULL)
		return STORE_SQL_ERROR;
	if (g_str_has_prefix(state, "23"))
		return STORE_SQL_CONSTRAINT;
	if (strcmp(state, "P0L01") == 0)
		return STORE_SQL_FENCED;
	/* serialization_failure, deadlock_detected, lock_not_available,
	 * query_canceled (a lock or statement timeout) */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return STORE_SQL_BUSY;
	if (strcmp(state, "25006") == 0)
		return STORE_SQL_READONLY;
	if (strcmp(state, "42501") == 0)
		return STORE_SQL_PERM;
	if (g_str_has_prefix(state, "08") || g_str_has_prefix(state, "28") ||
	    g_str_has_prefix(state, "3D"))
		return STORE_SQL_CANTOPEN;
	return STORE_SQL_ERROR;
}

static const char *
pg_message(StoreSql *db)
{
	StorePg *pg = pg_of(db);
	return pg != NULL && pg->message != NULL ? pg->message : "";
}

/* @sql with SQLite's ?N written $N, and the highest N. Quoted text and
 * identifiers are left alone. */
static char *
renumbered(const char *sql, int *n_params)
{
	GString *out = g_string_sized_new(strlen(sql) + 16);
	char quote = '\0';
	*n_params = 0;
	for (const char *p = sql; *p != '\0'; p++) {
		if (quote != '\0') {
			if (*p == quote)
				quote = '\0';
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?' && g_ascii_isdigit(p[1])) {
			int n = (int)g_ascii_strtoll(p + 1, NULL, 10);
			*n_params = MAX(*n_params, n);
			g_string_append_c(out, '$');
			continue;
		}
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

static void
clear_result(PgStatement *stmt)
{
	PQclear(stmt->result);
	stmt->result = NULL;
	PQfreemem(stmt->blob);
	stmt->blob = NULL;
	stmt->executed = false;
	stmt->row = -1;
}

static void *
pg_prepare(StoreSql *db, const char *sql, int *rc)
{
	StorePg *pg = pg_of(db);
	PgStatement *stmt = g_new0(PgStatement, 1);
	stmt->sql = renumbered(sql, &stmt->n_params);
	stmt->name = g_strdup_printf("piculet_%u", pg->next_name++);
	gsize n = (gsize)MAX(stmt->n_params, 1);
	stmt->types = g_new0(Oid, n);
	stmt->bound = g_new0(bool, n);
	stmt->values = g_new0(const char *, n);
	stmt->lengths = g_new0(int, n);
	stmt->formats = g_new0(int, n);
	stmt->numbers = g_malloc0_n(n, sizeof(*stmt->numbers));
	stmt->row = -1;
	*rc = STORE_SQL_OK;
	return stmt;
}

static void
pg_finalize(void *handle)
{
	PgStatement *stmt = handle;
	clear_result(stmt);
	g_free(stmt->name);
	g_free(stmt->sql);
	g_free(stmt->types);
	g_free(stmt->bound);
	g_free(stmt->values);
	g_free(stmt->lengths);
	g_free(stmt->formats);
	g_free(stmt->numbers);
	g_free(stmt);
}

static void
pg_reset(StoreSqlStatement *handle)
{
	PgStatement *stmt = handle_of(handle);
	clear_result(stmt);
	for (int i = 0; i < stmt->n_params; i++) {
		stmt->values[i] = NULL;
		stmt->lengths[i] = 0;
		stmt->formats[i] = 0;
	}
}

/* The slot of parameter @index (from 1), or NULL past the last. A type
 * is fixed by the first value bound: the server prepares the statement
 * with it. */
static bool
slot(PgStatement *stmt, int index, Oid type)
{
	if (index < 1 || index > stmt->n_params)
		return false;
	if (!stmt->prepared && type != 0)
		stmt->types[index - 1] = type;
	stmt->bound[index - 1] = true;
	return true;
}

static void
pg_bind_int64(StoreSqlStatement *handle, int index, int64_t value)
{
	PgStatement *stmt = handle_of(handle);
	if (!slot(stmt, index, PG_INT8_OID))
		return;
	g_snprintf(stmt->numbers[index - 1], sizeof(stmt->numbers[0]), "%" G_GINT64_FORMAT, value);
	stmt->values[index - 1] = stmt->numbers[index - 1];
	stmt->formats[index - 1] = 0;
}

static void
pg_bind_text(StoreSqlStatement *handle, int index, const char *text)
{
	PgStatement *stmt = handle_of(handle);
	if (!slot(stmt, index, PG_TEXT_OID))
		return;
	stmt->values[index - 1] = text;
	stmt->formats[index - 1] = 0;
}

static void
pg_bind_blob(StoreSqlStatement *handle, int index, const void *data, int size)
{
	PgStatement *stmt = handle_of(handle);
	if (!slot(stmt, index, PG_BYTEA_OID))
		return;
	/* Binary: the bytes as they are (never NULL for an empty blob). */
	stmt->values[index - 1] = data != NULL ? data : "";
	stmt->lengths[index - 1] = size;
	stmt->formats[index - 1] = 1;
}

static void
pg_bind_null(StoreSqlStatement *handle, int index)
{
	PgStatement *stmt = handle_of(handle);
	if (!slot(stmt, index, 0))
		return;
	stmt->values[index - 1] = NULL;
}

/* Waits until @pg's socket is ready for @events (what the server sent is
 * then read in) or until *@deadline_us (monotonic; 0: none), which a stop
 * asked for shortens to STORE_STOP_GRACE_S from then. False past it. */
static bool
wait_socket(StorePg *pg, short events, int64_t *deadline_us)
{
	int64_t grace = (int64_t)STORE_STOP_GRACE_S * G_USEC_PER_SEC;
	if (pg->stopping)
		*deadline_us = MIN(*deadline_us != 0 ? *deadline_us : INT64_MAX,
		                   g_get_monotonic_time() + grace);
	int64_t left = *deadline_us != 0 ? *deadline_us - g_get_monotonic_time() : -1;
	if (*deadline_us != 0 && left <= 0)
		return false;
	/* The stop pipe stays readable once written: watched until seen. */
	struct pollfd wait[2] = {{.fd = PQsocket(pg->conn), .events = events},
	                         {.fd = pg->stop_fd, .events = POLLIN}};
	nfds_t watched = pg->stop_fd > 0 && !pg->stopping ? 2 : 1;
	int ready = poll(wait, watched, left < 0 ? -1 : (int)MIN(left / 1000 + 1, INT_MAX));
	if (ready < 0 && errno != EINTR)
		return false;
	if (ready > 0 && watched == 2 && wait[1].revents != 0) {
		pg->stopping = true;
		*deadline_us = MIN(*deadline_us != 0 ? *deadline_us : INT64_MAX,
		                   g_get_monotonic_time() + grace);
	}
	/* A failed read marks the connection bad; its error result comes
	 * from PQgetResult. */
	if (ready > 0 && (wait[0].revents & POLLIN) != 0)
		PQconsumeInput(pg->conn);
	return true;
}

/* A server silent past the deadline: the link is taken for dead, the
 * connection shut (the next statement connects again, connection_lost),
 * the reason in pg->message. */
static void
give_up(StorePg *pg)
{
	g_autofree char *why =
	        pg->stopping ? g_strdup_printf("PostgreSQL did not answer within %d s of the stop: "
	                                       "the link is taken for dead",
	                                       STORE_STOP_GRACE_S)
	                     : g_strdup_printf("PostgreSQL did not answer within %d s: the link is "
	                                       "taken for dead",
	                                       ANSWER_DEADLINE_S);
	set_message(pg, why);
	shutdown(PQsocket(pg->conn), SHUT_RDWR);
	PQconsumeInput(pg->conn);
	PGresult *rest;
	while ((rest = PQgetResult(pg->conn)) != NULL)
		PQclear(rest);
}

/* The answer to what was just sent (its last result, as PQexec gives
 * it), read as it comes until @deadline_us (monotonic; 0: none); NULL past
 * it (give_up). */
static PGresult *
await_answer(StorePg *pg, int64_t deadline_us)
{
	PGresult *last = NULL;
	for (;;) {
		while (!PQisBusy(pg->conn)) {
			PGresult *next = PQgetResult(pg->conn);
			if (next == NULL)
				return last;
			PQclear(last);
			last = next;
		}
		if (!wait_socket(pg, POLLIN, &deadline_us))
			break;
	}
	PQclear(last);
	give_up(pg);
	return NULL;
}

static int64_t
answer_deadline(void)
{
	return g_get_monotonic_time() + (int64_t)ANSWER_DEADLINE_S * G_USEC_PER_SEC;
}

/* The answer to the statement just sent (await_answer's; NULL when it
 * could not be sent or the link was taken for dead), as a STORE_SQL_
 * code. */
static int
verdict_of(StorePg *pg, const PGresult *answer)
{
	ExecStatusType status = PQresultStatus(answer);
	if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
		return STORE_SQL_OK;
	if (answer == NULL && PQstatus(pg->conn) == CONNECTION_BAD)
		return STORE_SQL_UNAVAILABLE;
	return code_of(pg, answer);
}

static bool session_setup(StoreSql *db, GError **error);

/* After a failure: a connection that is gone is made again, for the next
 * statement (its prepared statements and session settings with it); the
 * failure is then STORE_SQL_UNAVAILABLE. An open transaction is lost with
 * the connection: the caller's unit of work failed as a whole. */
static int
connection_lost(StoreSql *db, int rc)
{
	StorePg *pg = pg_of(db);
	if (PQstatus(pg->conn) != CONNECTION_BAD || pg->reconnecting)
		return PQstatus(pg->conn) != CONNECTION_BAD ? rc : STORE_SQL_UNAVAILABLE;
	/* Stopping: a link made again now would only hold the stop up. */
	if (pg->stopping)
		return STORE_SQL_UNAVAILABLE;
	pg->reconnecting = true;
	g_autofree char *lost =
	        g_strdup(pg->message != NULL && pg->message[0] != '\0' ? pg->message
	                                                               : PQerrorMessage(pg->conn));
	g_strdelimit(lost, "\n", ' ');
	g_strchomp(lost);
	PQreset(pg->conn);
	pg->engine_locked = false;
	pg->refresh_locks = 0;
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, db->statements);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		((PgStatement *)((StoreSqlStatement *)value)->handle)->prepared = false;
	if (PQstatus(pg->conn) == CONNECTION_OK && session_setup(db, NULL)) {
		g_autofree char *said = g_strdup_printf(
		        "the connection to PostgreSQL was lost (%s); connected again", lost);
		set_message(pg, said);
	} else {
		g_autofree char *said = g_strdup_printf(
		        "the connection to PostgreSQL was lost (%s) and cannot be made again: %s",
		        lost, PQerrorMessage(pg->conn));
		g_strdelimit(said, "\n", ' ');
		set_message(pg, said);
	}
	pg->reconnecting = false;
	return STORE_SQL_UNAVAILABLE;
}

static int
execute(StoreSql *db, PgStatement *stmt)
{
	StorePg *pg = pg_of(db);
	if (PQstatus(pg->conn) == CONNECTION_BAD)
		return connection_lost(db, STORE_SQL_UNAVAILABLE);
	if (!stmt->prepared) {
		/* A number the statement skips (?1, ?3) has no type to infer:
		 * any will do for it. */
		for (int i = 0; i < stmt->n_params; i++)
			if (stmt->types[i] == 0 && !stmt->bound[i])
				stmt->types[i] = PG_TEXT_OID;
		PGresult *prepared =
		        PQsendPrepare(pg->conn, stmt->name, stmt->sql, stmt->n_params, stmt->types)
		                ? await_answer(pg, answer_deadline())
		                : NULL;
		int rc = verdict_of(pg, prepared);
		PQclear(prepared);
		if (rc != STORE_SQL_OK)
			return connection_lost(db, rc);
		stmt->prepared = true;
	}
	stmt->result = PQsendQueryPrepared(pg->conn, stmt->name, stmt->n_params, stmt->values,
	                                   stmt->lengths, stmt->formats, 0)
	                       ? await_answer(pg, answer_deadline())
	                       : NULL;
	stmt->executed = true;
	int rc = verdict_of(pg, stmt->result);
	if (rc != STORE_SQL_OK)
		return connection_lost(db, rc);
	const char *tuples = PQcmdTuples(stmt->result);
	pg->changes = tuples[0] != '\0' ? g_ascii_strtoll(tuples, NULL, 10) : 0;
	return STORE_SQL_OK;
}

static int
pg_step(StoreSqlStatement *handle)
{
	PgStatement *stmt = handle_of(handle);
	if (!stmt->executed) {
		int rc = execute(handle->db, stmt);
		if (rc != STORE_SQL_OK)
			return rc;
	} else if (stmt->result == NULL) {
		return STORE_SQL_DONE;
	}
	PQfreemem(stmt->blob);
	stmt->blob = NULL;
	stmt->row++;
	return stmt->row < PQntuples(stmt->result) ? STORE_SQL_ROW : STORE_SQL_DONE;
}

static bool
has_value(PgStatement *stmt, int column)
{
	return stmt->result != NULL && stmt->row >= 0 && stmt->row < PQntuples(stmt->result) &&
	       column < PQnfields(stmt->result) && !PQgetisnull(stmt->result, stmt->row, column);
}

static int64_t
pg_column_int64(StoreSqlStatement *handle, int column)
{
	PgStatement *stmt = handle_of(handle);
	if (!has_value(stmt, column))
		return 0;
	const char *text = PQgetvalue(stmt->result, stmt->row, column);
	/* A boolean comes as t or f; a numeric with its decimals (cut). */
	if (strcmp(text, "t") == 0)
		return 1;
	return g_ascii_strtoll(text, NULL, 10);
}

static const char *
pg_column_text(StoreSqlStatement *handle, int column)
{
	PgStatement *stmt = handle_of(handle);
	return has_value(stmt, column) ? PQgetvalue(stmt->result, stmt->row, column) : NULL;
}

static const void *
pg_column_blob(StoreSqlStatement *handle, int column, int *size)
{
	PgStatement *stmt = handle_of(handle);
	*size = 0;
	if (!has_value(stmt, column))
		return NULL;
	const char *text = PQgetvalue(stmt->result, stmt->row, column);
	if (PQftype(stmt->result, column) != PG_BYTEA_OID) {
		*size = PQgetlength(stmt->result, stmt->row, column);
		return text;
	}
	PQfreemem(stmt->blob);
	stmt->blob = PQunescapeBytea((const unsigned char *)text, &stmt->blob_size);
	*size = stmt->blob != NULL ? (int)stmt->blob_size : 0;
	return stmt->blob;
}

static bool
pg_column_is_null(StoreSqlStatement *handle, int column)
{
	return !has_value(handle_of(handle), column);
}

static int64_t
pg_changes(StoreSql *db)
{
	return pg_of(db)->changes;
}

/* Whether @sql is a migration (or the lock that waits for another's):
 * those run without a deadline. */
static bool
migration(const StoreSql *db, const char *sql)
{
	if (sql == db->driver->migrate_sql)
		return true;
	for (unsigned i = 0; i < *db->driver->version; i++)
		if (sql == db->driver->migrations[i])
			return true;
	return false;
}

static int
pg_exec(StoreSql *db, const char *sql)
{
	StorePg *pg = pg_of(db);
	if (PQstatus(pg->conn) == CONNECTION_BAD)
		return connection_lost(db, STORE_SQL_UNAVAILABLE);
	PGresult *result = PQsendQuery(pg->conn, sql)
	                           ? await_answer(pg, migration(db, sql) ? 0 : answer_deadline())
	                           : NULL;
	int rc = verdict_of(pg, result);
	PQclear(result);
	return rc == STORE_SQL_OK ? rc : connection_lost(db, rc);
}

static bool
pg_read_version(StoreSql *db, unsigned *version, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "SELECT CASE WHEN to_regclass('piculet_schema') IS NULL THEN 0 ELSE 1 END",
	        error);
	if (stmt == NULL)
		return false;
	int rc = store_sql_step(stmt);
	bool exists = rc == STORE_SQL_ROW && store_sql_column_int64(stmt, 0) == 1;
	store_sql_reset(stmt);
	*version = 0;
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "read schema version", error);
		return false;
	}
	if (!exists)
		return true;
	stmt = store_sql_statement(db, "SELECT coalesce(max(version), 0) FROM piculet_schema",
	                           error);
	if (stmt == NULL)
		return false;
	rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "read schema version", error);
		return false;
	}
	*version = (unsigned)store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

static bool
pg_write_version(StoreSql *db, unsigned version, GError **error)
{
	return store_sql_exec(
	               db,
	               "CREATE TABLE IF NOT EXISTS piculet_schema (version bigint NOT NULL); "
	               "DELETE FROM piculet_schema",
	               "migrate", error) &&
	       STORE_SQL_RUN(db, "INSERT INTO piculet_schema (version) VALUES (?1)", "migrate",
	                     error, STORE_SQL_NUMBER(version));
}

static bool
pg_in_transaction(StoreSql *db)
{
	PGTransactionStatusType status = PQtransactionStatus(pg_of(db)->conn);
	return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

/* One `piculet run` per database, as the SQLite file's lock says: a
 * session lock, which the server drops when the connection ends however
 * it ends. */
static bool
pg_lock_engine(StoreSql *db, GError **error)
{
	StorePg *pg = pg_of(db);
	if (pg->engine_locked)
		return true;
	int64_t answer = 0;
	if (!store_sql_number_query(db, "SELECT pg_try_advisory_lock(?1)", ENGINE_LOCK_KEY,
	                            "engine lock", &answer, error))
		return false;
	pg->engine_locked = answer == 1;
	if (!pg->engine_locked) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_BUSY,
		                    "another piculet run or tick is working on this PostgreSQL "
		                    "database; one at a time");
		return false;
	}
	return true;
}

/* A session's lock, so the server drops it when the connection ends
 * however it ends. */
static bool
pg_lock_refresh(StoreSql *db, int64_t mailbox_id, bool take, bool *taken, GError **error)
{
	int64_t said = 0;
	if (!store_sql_number_query(db,
	                            take ? "SELECT pg_try_advisory_lock(" REFRESH_LOCK_KEY
	                                   ", CAST(?1 % 2147483648 AS integer))"
	                                 : "SELECT pg_advisory_unlock(" REFRESH_LOCK_KEY
	                                   ", CAST(?1 % 2147483648 AS integer))",
	                            mailbox_id, "OAuth2 renewal lock", &said, error))
		return false;
	bool answer = said == 1;
	StorePg *pg = pg_of(db);
	if (take && answer)
		pg->refresh_locks++;
	else if (!take && answer && pg->refresh_locks > 0)
		pg->refresh_locks--;
	*taken = take && answer;
	return true;
}

static bool
pg_backup_write(StoreSql *db, const char *destination, GError **error)
{
	g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
	                    "piculet backup copies a SQLite file; back a PostgreSQL database up "
	                    "with pg_dump");
	return false;
}

static void
pg_disconnect(StoreSql *db)
{
	StorePg *pg = pg_of(db);
	if (pg == NULL)
		return;
	/* The server drops a closed session's locks when its process ends,
	 * a moment later: the engine lock and renewal turns are let go of
	 * now, so whoever asks next finds them free. */
	if ((pg->engine_locked || pg->refresh_locks > 0) && PQstatus(pg->conn) == CONNECTION_OK &&
	    PQsendQuery(pg->conn, "SELECT pg_advisory_unlock_all()"))
		PQclear(await_answer(pg, answer_deadline()));
	PQfinish(pg->conn);
	g_free(pg->message);
	g_free(pg);
	db->connection = NULL;
}

/* A client stopped in a transaction (paused, cut off) holds its locks
 * until the server ends its session: a minute at most (an engine's
 * connections, less: store_lease_fence). */
static bool
session_setup(StoreSql *db, GError **error)
{
	return store_sql_exec(db,
	                      "SET lock_timeout = '" LOCK_TIMEOUT "'; "
	                      "SET idle_in_transaction_session_timeout = '60s'; "
	                      "SET client_min_messages = warning; SET TIME ZONE 'UTC'",
	                      "PostgreSQL", error);
}

static void
quiet_notices(void *data, const char *message)
{
	g_debug("PostgreSQL: %s", message);
}

/* The default seal key: the user's data folder, as for the default
 * SQLite file (a server has no folder beside the database). */
static char *
default_key_path(void)
{
	return g_build_filename(g_get_user_data_dir(), "piculet", "secret.key", NULL);
}

static bool
pg_connect(StoreSql *db, const char *location, GError **error)
{
	StorePg *pg = g_new0(StorePg, 1);
	pg->stop_fd = db->stop_fd;
	db->connection = pg;
	/* The defaults first: what the location says comes after them and
	 * wins (libpq expands a URI or "key=value" text given as dbname). */
	const char *keys[G_N_ELEMENTS(connection_defaults) + 2];
	const char *values[G_N_ELEMENTS(connection_defaults) + 2];
	for (gsize i = 0; i < G_N_ELEMENTS(connection_defaults); i++) {
		keys[i] = connection_defaults[i][0];
		values[i] = connection_defaults[i][1];
	}
	keys[G_N_ELEMENTS(connection_defaults)] = "dbname";
	values[G_N_ELEMENTS(connection_defaults)] = location;
	keys[G_N_ELEMENTS(connection_defaults) + 1] = NULL;
	values[G_N_ELEMENTS(connection_defaults) + 1] = NULL;
	pg->conn = PQconnectdbParams(keys, values, 1);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		/* libpq's words name the server, never the password. */
		set_message(pg, PQerrorMessage(pg->conn));
		g_autofree char *said = g_strdup(pg->message);
		g_strdelimit(said, "\n", ' ');
		g_set_error(error, STORE_ERROR, STORE_ERROR_OPEN, "PostgreSQL: cannot connect: %s",
		            said);
		return false;
	}
	PQsetNoticeProcessor(pg->conn, quiet_notices, NULL);
	if (!session_setup(db, error))
		return false;
	if (db->key_path == NULL)
		db->key_path = default_key_path();
	return true;
}

const StoreSqlDriver store_pg_driver = {
        .name = "postgresql",
        .dialect = STORE_SQL_POSTGRESQL,
        .connect = pg_connect,
        .disconnect = pg_disconnect,
        .prepare = pg_prepare,
        .finalize = pg_finalize,
        .reset = pg_reset,
        .bind_int64 = pg_bind_int64,
        .bind_text = pg_bind_text,
        .bind_blob = pg_bind_blob,
        .bind_null = pg_bind_null,
        .step = pg_step,
        .column_int64 = pg_column_int64,
        .column_text = pg_column_text,
        .column_blob = pg_column_blob,
        .column_is_null = pg_column_is_null,
        .changes = pg_changes,
        .exec = pg_exec,
        .message = pg_message,
        .read_version = pg_read_version,
        .write_version = pg_write_version,
        .begin_sql = "BEGIN",
        .migrate_sql = "BEGIN; SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")",
        .in_transaction = pg_in_transaction,
        .lock_engine = pg_lock_engine,
        .lock_refresh = pg_lock_refresh,
        .backup_write = pg_backup_write,
        .migrations = store_schema_pg_migrations,
        .version = &store_schema_pg_version,
};

/* What is queued for the server sent, waiting as long as *@deadline_us
 * allows; false when it cannot be (the link given up). */
static bool
flush_within(StorePg *pg, int64_t *deadline_us)
{
	int pending;
	while ((pending = PQflush(pg->conn)) == 1)
		if (!wait_socket(pg, POLLIN | POLLOUT, deadline_us)) {
			give_up(pg);
			return false;
		}
	if (pending < 0)
		set_message(pg, PQerrorMessage(pg->conn));
	return pending == 0;
}

PGresult *
store_pg_query(StoreSql *db, const char *sql, int n_params, const char *const *params)
{
	StorePg *pg = pg_of(db);
	if (PQstatus(pg->conn) == CONNECTION_BAD)
		return NULL;
	int sent = n_params == 0 ? PQsendQuery(pg->conn, sql)
	                         : PQsendQueryParams(pg->conn, sql, n_params, NULL, params, NULL,
	                                             NULL, 0);
	if (!sent) {
		set_message(pg, PQerrorMessage(pg->conn));
		return NULL;
	}
	return await_answer(pg, answer_deadline());
}

void
store_pg_copy_progressed(StoreSql *db)
{
	pg_of(db)->copy_deadline_us = answer_deadline();
}

bool
store_pg_copy_begin(StoreSql *db, const char *into)
{
	StorePg *pg = pg_of(db);
	if (PQstatus(pg->conn) == CONNECTION_BAD) {
		connection_lost(db, STORE_SQL_UNAVAILABLE);
		return false;
	}
	if (!PQsendQuery(pg->conn, into)) {
		set_message(pg, PQerrorMessage(pg->conn));
		return false;
	}
	/* One deadline for the whole COPY, as for a statement: a link that
	 * lets a little through now and then does not hold it for ever. */
	pg->copy_deadline_us = answer_deadline();
	for (;;) {
		while (!PQisBusy(pg->conn)) {
			PGresult *result = PQgetResult(pg->conn);
			if (result == NULL)
				return false;
			bool copying = PQresultStatus(result) == PGRES_COPY_IN;
			if (!copying)
				code_of(pg, result);
			PQclear(result);
			/* The rows go as they are made: nothing waits on a full
			 * socket longer than the deadline. */
			if (copying)
				return PQsetnonblocking(pg->conn, 1) == 0;
		}
		if (!wait_socket(pg, POLLIN, &pg->copy_deadline_us)) {
			give_up(pg);
			return false;
		}
	}
}

bool
store_pg_copy_put(StoreSql *db, const char *data, gsize length)
{
	StorePg *pg = pg_of(db);
	int queued;
	while ((queued = PQputCopyData(pg->conn, data, (int)length)) == 0)
		if (!flush_within(pg, &pg->copy_deadline_us))
			return false;
	if (queued < 0) {
		set_message(pg, PQerrorMessage(pg->conn));
		return false;
	}
	return flush_within(pg, &pg->copy_deadline_us);
}

bool
store_pg_copy_end(StoreSql *db, const char *failure)
{
	StorePg *pg = pg_of(db);
	if (PQstatus(pg->conn) == CONNECTION_BAD)
		return false;
	int64_t *deadline = &pg->copy_deadline_us;
	int ended;
	while ((ended = PQputCopyEnd(pg->conn, failure)) == 0)
		if (!wait_socket(pg, POLLIN | POLLOUT, deadline)) {
			give_up(pg);
			return false;
		}
	bool sent = ended == 1 && flush_within(pg, deadline);
	if (ended < 0)
		set_message(pg, PQerrorMessage(pg->conn));
	PQsetnonblocking(pg->conn, 0);
	if (!sent)
		return false;
	PGresult *result = await_answer(pg, *deadline);
	bool ok = result != NULL && PQresultStatus(result) == PGRES_COMMAND_OK;
	if (result != NULL && !ok)
		code_of(pg, result);
	PQclear(result);
	return ok && failure == NULL;
}
