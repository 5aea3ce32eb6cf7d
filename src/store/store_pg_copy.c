/* store_copy_into: every row of a SQLite file into an empty PostgreSQL
 * database, in one transaction of the destination, through COPY. */
#define G_LOG_DOMAIN "piculet-store"

#include "store/store_pg.h"
#include "store/store_sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Another advisory lock key of piculet's (store_pg.c has the others; the
 * leases' claims take 7069630003): one copy into a database at a time. */
#define COPY_LOCK_KEY "7069630004"

/* How long the copy waits for another client's lock on a table (an engine
 * or a serve on the new database) before it gives up: within the answer
 * deadline of every statement (60 s), so the server's refusal comes
 * before the link is taken for dead. */
#define COPY_LOCK_TIMEOUT "30s"

/* Table and column names go into the statements as identifiers (they
 * cannot be parameters): the catalogs' own names, quoted by
 * PQescapeIdentifier; no value is ever written into SQL. */

/* Flushed to the server at this size. */
#define COPY_CHUNK ((gsize)256 * 1024)

typedef struct {
	char *name;
	char *quoted;       /* as an SQL identifier */
	GPtrArray *columns; /* char *, the source's, in its order */
	GArray *is_bytea;   /* gboolean, per column */
	GPtrArray *refers;  /* char *, the tables its foreign keys point to */
	guint64 rows;
} CopyTable;

/* Every statement and COPY into the destination goes under a deadline
 * (store_pg_query, store_pg_copy_*): a server or a link that falls silent
 * ends the copy, its transaction undone by the server, instead of holding
 * it for ever. */
typedef struct {
	sqlite3 *source;
	StoreSql *into;
	PGconn *conn;
	GPtrArray *tables; /* CopyTable, in the order copied */
	GError **error;
} Copy;

/* Not copied: the names of the engines alive on the source (they are not
 * on the destination), the source's own move mark, its webhook
 * deliverer's lease, and its seal key's fingerprint (the copy carries the
 * key itself; the destination records it at its first use). */
static const char *const left_out_tables[] = {"engine_node", "database_move", "webhook_deliverer",
                                              "seal_key"};

static void
copy_table_free(CopyTable *table)
{
	g_free(table->name);
	if (table->quoted != NULL)
		PQfreemem(table->quoted);
	g_ptr_array_unref(table->columns);
	g_array_unref(table->is_bytea);
	g_ptr_array_unref(table->refers);
	g_free(table);
}

/* The failure of @what: the server's words in @result, else the driver's
 * (a link taken for dead is STORE_ERROR_UNAVAILABLE). */
static bool
fail_pg(Copy *copy, const char *what, const PGresult *result)
{
	bool lost = PQstatus(copy->conn) == CONNECTION_BAD;
	const char *driver = copy->into->driver->message(copy->into);
	g_autofree char *said =
	        g_strdup(result != NULL && PQresultErrorMessage(result)[0] != '\0'
	                         ? PQresultErrorMessage(result)
	                 : driver != NULL && driver[0] != '\0' ? driver
	                                                       : PQerrorMessage(copy->conn));
	g_strstrip(g_strdelimit(said, "\n", ' '));
	g_set_error(copy->error, STORE_ERROR, lost ? STORE_ERROR_UNAVAILABLE : STORE_ERROR_FAILED,
	            "copy: %s: PostgreSQL: %s", what, said[0] != '\0' ? said : "no answer");
	return false;
}

static bool
fail_sqlite(Copy *copy, const char *what)
{
	g_set_error(copy->error, STORE_ERROR, STORE_ERROR_FAILED, "copy: %s: %s", what,
	            sqlite3_errmsg(copy->source));
	return false;
}

/* Runs @sql (no parameters, or @n_params texts) on the destination. */
static PGresult *
pg_run(Copy *copy, const char *what, const char *sql, int n_params, const char *const *params)
{
	PGresult *result = store_pg_query(copy->into, sql, n_params, params);
	ExecStatusType status = PQresultStatus(result);
	if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
		return result;
	fail_pg(copy, what, result);
	PQclear(result);
	return NULL;
}

static bool
pg_do(Copy *copy, const char *what, const char *sql)
{
	PGresult *result = pg_run(copy, what, sql, 0, NULL);
	PQclear(result);
	return result != NULL;
}

static CopyTable *
find_table(GPtrArray *tables, const char *name)
{
	for (guint i = 0; i < tables->len; i++) {
		CopyTable *table = g_ptr_array_index(tables, i);
		if (strcmp(table->name, name) == 0)
			return table;
	}
	return NULL;
}

static bool
left_out(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(left_out_tables); i++)
		if (strcmp(left_out_tables[i], name) == 0)
			return true;
	return false;
}

/* The source's tables and their columns. */
static bool
read_source_tables(Copy *copy, GPtrArray *tables)
{
	sqlite3_stmt *list = NULL;
	sqlite3_stmt *columns = NULL;
	bool ok = false;
	if (sqlite3_prepare_v2(copy->source,
	                       "SELECT name FROM sqlite_master WHERE type = 'table' "
	                       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
	                       -1, &list, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(copy->source, "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
	                       -1, &columns, NULL) != SQLITE_OK) {
		fail_sqlite(copy, "the file's tables");
		goto out;
	}
	int rc;
	while ((rc = sqlite3_step(list)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(list, 0);
		if (left_out(name))
			continue;
		CopyTable *table = g_new0(CopyTable, 1);
		table->name = g_strdup(name);
		table->quoted = PQescapeIdentifier(copy->conn, name, strlen(name));
		if (table->quoted == NULL) {
			copy_table_free(table);
			fail_pg(copy, "a table's name", NULL);
			goto out;
		}
		table->columns = g_ptr_array_new_with_free_func(g_free);
		table->is_bytea = g_array_new(FALSE, FALSE, sizeof(gboolean));
		table->refers = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(tables, table);
		sqlite3_reset(columns);
		sqlite3_bind_text(columns, 1, table->name, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(columns)) == SQLITE_ROW)
			g_ptr_array_add(table->columns,
			                g_strdup((const char *)sqlite3_column_text(columns, 0)));
		if (rc != SQLITE_DONE) {
			fail_sqlite(copy, table->name);
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		fail_sqlite(copy, "the file's tables");
		goto out;
	}
	ok = true;
out:
	sqlite3_finalize(list);
	sqlite3_finalize(columns);
	return ok;
}

/* Every source column has its place on the destination (a file newer
 * than this piculet's PostgreSQL schema would lose data otherwise); which
 * of them are bytea there. */
static bool
match_destination(Copy *copy, GPtrArray *tables)
{
	PGresult *result = pg_run(copy, "the database's tables",
	                          "SELECT table_name, column_name, data_type "
	                          "FROM information_schema.columns "
	                          "WHERE table_schema = current_schema()",
	                          0, NULL);
	if (result == NULL)
		return false;
	g_autoptr(GHashTable) types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int n = PQntuples(result);
	for (int i = 0; i < n; i++)
		g_hash_table_insert(types,
		                    g_strdup_printf("%s.%s", PQgetvalue(result, i, 0),
		                                    PQgetvalue(result, i, 1)),
		                    PQgetvalue(result, i, 2));
	bool ok = true;
	for (guint t = 0; ok && t < tables->len; t++) {
		CopyTable *table = g_ptr_array_index(tables, t);
		for (guint c = 0; c < table->columns->len; c++) {
			g_autofree char *key = g_strdup_printf(
			        "%s.%s", table->name, (char *)g_ptr_array_index(table->columns, c));
			const char *type = g_hash_table_lookup(types, key);
			if (type == NULL) {
				g_set_error(copy->error, STORE_ERROR, STORE_ERROR_INVALID,
				            "copy: the file's %s has no place in the PostgreSQL "
				            "database (is the file from a newer piculet?)",
				            key);
				ok = false;
				break;
			}
			gboolean bytea = strcmp(type, "bytea") == 0;
			g_array_append_val(table->is_bytea, bytea);
		}
	}
	PQclear(result);
	return ok;
}

/* The order in which the destination's foreign keys are met as rows
 * arrive: a table after every table it refers to. */
static bool
order_by_references(Copy *copy, GPtrArray *tables)
{
	PGresult *result = pg_run(copy, "the database's references",
	                          "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text "
	                          "FROM pg_constraint c WHERE c.contype = 'f' "
	                          "AND c.connamespace = current_schema()::regnamespace",
	                          0, NULL);
	if (result == NULL)
		return false;
	for (int i = 0; i < PQntuples(result); i++) {
		CopyTable *from = find_table(tables, PQgetvalue(result, i, 0));
		const char *to = PQgetvalue(result, i, 1);
		if (from != NULL && strcmp(from->name, to) != 0 && find_table(tables, to) != NULL)
			g_ptr_array_add(from->refers, g_strdup(to));
	}
	PQclear(result);
	GPtrArray *ordered = g_ptr_array_new_with_free_func((GDestroyNotify)copy_table_free);
	while (tables->len > 0) {
		guint next = tables->len;
		for (guint i = 0; i < tables->len && next == tables->len; i++) {
			CopyTable *table = g_ptr_array_index(tables, i);
			bool ready = true;
			for (guint r = 0; ready && r < table->refers->len; r++)
				ready = find_table(ordered, g_ptr_array_index(table->refers, r)) !=
				        NULL;
			if (ready)
				next = i;
		}
		if (next == tables->len) {
			g_set_error_literal(copy->error, STORE_ERROR, STORE_ERROR_INVALID,
			                    "copy: the database's tables refer to each other in a "
			                    "circle; no order to copy them in");
			g_ptr_array_unref(ordered);
			return false;
		}
		g_ptr_array_add(ordered, g_ptr_array_steal_index(tables, next));
	}
	g_ptr_array_extend_and_steal(tables, ordered);
	return true;
}

/* Each table of the destination empty: a copy never mixes two histories
 * (the same ids would mean different rows). */
static bool
check_empty(Copy *copy, const CopyTable *table)
{
	g_autofree char *sql =
	        g_strconcat("SELECT EXISTS (SELECT 1 FROM ", table->quoted, ")", NULL);
	PGresult *result = pg_run(copy, table->name, sql, 0, NULL);
	if (result == NULL)
		return false;
	bool empty = strcmp(PQgetvalue(result, 0, 0), "f") == 0;
	PQclear(result);
	if (!empty)
		g_set_error(copy->error, STORE_ERROR, STORE_ERROR_INVALID,
		            "copy: the PostgreSQL database has rows already (in %s); a copy goes "
		            "into a new, empty database",
		            table->name);
	return empty;
}

bool
store_pg_copy_text(GString *line, const char *text, gsize size)
{
	for (gsize i = 0; i < size; i++) {
		switch (text[i]) {
		case '\0':
			return false;
		case '\\':
			g_string_append(line, "\\\\");
			break;
		case '\t':
			g_string_append(line, "\\t");
			break;
		case '\n':
			g_string_append(line, "\\n");
			break;
		case '\r':
			g_string_append(line, "\\r");
			break;
		default:
			g_string_append_c(line, text[i]);
		}
	}
	return true;
}

static void
append_bytea(GString *line, const unsigned char *data, int size)
{
	static const char hex[] = "0123456789abcdef";
	g_string_append(line, "\\\\x");
	for (int i = 0; i < size; i++) {
		g_string_append_c(line, hex[data[i] >> 4]);
		g_string_append_c(line, hex[data[i] & 0xf]);
	}
}

/* One value of the current row of @row, column @c, for a column of the
 * destination that is bytea or not. */
static bool
append_value(Copy *copy, const CopyTable *table, sqlite3_stmt *row, int c, bool bytea,
             GString *line)
{
	int type = sqlite3_column_type(row, c);
	if (type == SQLITE_NULL) {
		g_string_append(line, "\\N");
		return true;
	}
	if (bytea) {
		const unsigned char *data = sqlite3_column_blob(row, c);
		append_bytea(line, data, sqlite3_column_bytes(row, c));
		return true;
	}
	if (type == SQLITE_INTEGER) {
		g_string_append_printf(line, "%" PRId64, (int64_t)sqlite3_column_int64(row, c));
		return true;
	}
	if (type == SQLITE_FLOAT) {
		g_string_append_printf(line, "%.17g", sqlite3_column_double(row, c));
		return true;
	}
	const unsigned char *text = sqlite3_column_text(row, c);
	if (!store_pg_copy_text(line, (const char *)text, (gsize)sqlite3_column_bytes(row, c))) {
		g_set_error(copy->error, STORE_ERROR, STORE_ERROR_INVALID,
		            "copy: %s.%s, row %" PRId64 ": a NUL character, which PostgreSQL's "
		            "text does not take",
		            table->name, sqlite3_column_name(row, c), (int64_t)table->rows + 1);
		return false;
	}
	return true;
}

/* A piece of the table's COPY sent; the server taking it is progress. */
static bool
put_data(Copy *copy, const CopyTable *table, GString *chunk)
{
	if (chunk->len == 0)
		return true;
	if (!store_pg_copy_put(copy->into, chunk->str, chunk->len))
		return fail_pg(copy, table->name, NULL);
	store_pg_copy_progressed(copy->into);
	g_string_truncate(chunk, 0);
	return true;
}

/* Streams the rows of @row into the COPY under way; ends it. */
static bool
stream_rows(Copy *copy, CopyTable *table, sqlite3_stmt *row)
{
	g_autoptr(GString) chunk = g_string_sized_new(COPY_CHUNK + 4096);
	int rc;
	bool ok = true;
	while (ok && (rc = sqlite3_step(row)) == SQLITE_ROW) {
		for (guint c = 0; ok && c < table->columns->len; c++) {
			if (c > 0)
				g_string_append_c(chunk, '\t');
			ok = append_value(copy, table, row, (int)c,
			                  g_array_index(table->is_bytea, gboolean, c), chunk);
		}
		g_string_append_c(chunk, '\n');
		table->rows++;
		if (ok && chunk->len >= COPY_CHUNK)
			ok = put_data(copy, table, chunk);
	}
	if (ok && rc != SQLITE_DONE)
		ok = fail_sqlite(copy, table->name);
	if (ok)
		ok = put_data(copy, table, chunk);
	/* Ended either way: a COPY cut short with an error message is undone. */
	bool ended = store_pg_copy_end(copy->into, ok ? NULL : "piculet: the copy stopped");
	if (ok && !ended)
		ok = fail_pg(copy, table->name, NULL);
	return ok;
}

/* Both sides count the table alike. */
static bool
check_count(Copy *copy, const CopyTable *table)
{
	g_autofree char *sql = g_strconcat("SELECT count(*) FROM ", table->quoted, NULL);
	PGresult *result = pg_run(copy, table->name, sql, 0, NULL);
	if (result == NULL)
		return false;
	guint64 there = g_ascii_strtoull(PQgetvalue(result, 0, 0), NULL, 10);
	PQclear(result);
	sqlite3_stmt *count = NULL;
	guint64 here = 0;
	if (sqlite3_prepare_v2(copy->source, sql, -1, &count, NULL) != SQLITE_OK ||
	    sqlite3_step(count) != SQLITE_ROW) {
		sqlite3_finalize(count);
		return fail_sqlite(copy, table->name);
	}
	here = (guint64)sqlite3_column_int64(count, 0);
	sqlite3_finalize(count);
	if (here != there || here != table->rows) {
		g_set_error(copy->error, STORE_ERROR, STORE_ERROR_FAILED,
		            "copy: %s: %" G_GUINT64_FORMAT " rows in the file, %" G_GUINT64_FORMAT
		            " read, %" G_GUINT64_FORMAT " in PostgreSQL; nothing kept",
		            table->name, here, table->rows, there);
		return false;
	}
	return true;
}

static bool
copy_table(Copy *copy, CopyTable *table)
{
	g_autoptr(GString) names = g_string_new(NULL);
	for (guint c = 0; c < table->columns->len; c++) {
		const char *column = g_ptr_array_index(table->columns, c);
		char *quoted = PQescapeIdentifier(copy->conn, column, strlen(column));
		if (quoted == NULL)
			return fail_pg(copy, table->name, NULL);
		g_string_append_printf(names, "%s%s", c > 0 ? ", " : "", quoted);
		PQfreemem(quoted);
	}
	g_autofree char *into =
	        g_strconcat("COPY ", table->quoted, " (", names->str, ") FROM STDIN", NULL);
	g_autofree char *from = g_strconcat("SELECT ", names->str, " FROM ", table->quoted, NULL);
	sqlite3_stmt *row = NULL;
	if (sqlite3_prepare_v2(copy->source, from, -1, &row, NULL) != SQLITE_OK)
		return fail_sqlite(copy, table->name);
	bool ok = store_pg_copy_begin(copy->into, into);
	if (!ok)
		fail_pg(copy, table->name, NULL);
	else
		ok = stream_rows(copy, table, row);
	sqlite3_finalize(row);
	return ok && check_count(copy, table);
}

/* The identity columns' sequences continue after the ids copied. */
static bool
continue_identities(Copy *copy)
{
	PGresult *result = pg_run(copy, "the database's identities",
	                          "SELECT table_name, column_name FROM information_schema.columns "
	                          "WHERE table_schema = current_schema() AND is_identity = 'YES'",
	                          0, NULL);
	if (result == NULL)
		return false;
	bool ok = true;
	for (int i = 0; ok && i < PQntuples(result); i++) {
		const char *name = PQgetvalue(result, i, 0);
		const char *column = PQgetvalue(result, i, 1);
		char *table_quoted = PQescapeIdentifier(copy->conn, name, strlen(name));
		char *column_quoted = PQescapeIdentifier(copy->conn, column, strlen(column));
		g_autofree char *sql =
		        g_strconcat("SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(",
		                    column_quoted, "), 0) + 1, false) FROM ", table_quoted, NULL);
		PQfreemem(table_quoted);
		PQfreemem(column_quoted);
		const char *params[] = {name, column};
		PGresult *set = pg_run(copy, name, sql, 2, params);
		ok = set != NULL;
		PQclear(set);
	}
	PQclear(result);
	return ok;
}

static bool
set_triggers(Copy *copy, bool enabled)
{
	for (guint i = 0; i < copy->tables->len; i++) {
		const CopyTable *table = g_ptr_array_index(copy->tables, i);
		g_autofree char *sql =
		        g_strconcat("ALTER TABLE ", table->quoted, enabled ? " ENABLE" : " DISABLE",
		                    " TRIGGER USER", NULL);
		if (!pg_do(copy, table->name, sql))
			return false;
	}
	return true;
}

/* Inside the destination's transaction. */
static bool
copy_all(Copy *copy)
{
	for (guint i = 0; i < copy->tables->len; i++)
		if (!check_empty(copy, g_ptr_array_index(copy->tables, i)))
			return false;
	/* The counts' and the fence's triggers stay out: the counts come as
	 * they are, and no engine works these rows yet. */
	if (!set_triggers(copy, false))
		return false;
	for (guint i = 0; i < copy->tables->len; i++)
		if (!copy_table(copy, g_ptr_array_index(copy->tables, i)))
			return false;
	return pg_do(copy, "leases", "UPDATE mailbox_lease SET holder = '', expires_at = 0") &&
	       continue_identities(copy) && set_triggers(copy, true) &&
	       pg_do(copy, "the database's mark",
	             "DELETE FROM database_move WHERE what = 'copying'");
}

static bool
take_copy_lock(Copy *copy, bool *taken)
{
	PGresult *result = pg_run(copy, "copy lock",
	                          "SELECT pg_try_advisory_lock(" COPY_LOCK_KEY ")", 0, NULL);
	if (result == NULL)
		return false;
	*taken = strcmp(PQgetvalue(result, 0, 0), "t") == 0;
	PQclear(result);
	if (!*taken)
		g_set_error_literal(copy->error, STORE_ERROR, STORE_ERROR_BUSY,
		                    "copy: another piculet db copy is writing into this database");
	return *taken;
}

bool
store_pg_copy_from_sqlite(void *source, void *destination, GPtrArray **tables, GError **error)
{
	StoreSql *into = destination;
	Copy copy = {.source = store_sqlite_of(source)->db,
	             .into = into,
	             .conn = store_pg_conn(into),
	             .tables = g_ptr_array_new_with_free_func((GDestroyNotify)copy_table_free),
	             .error = error};
	bool locked = false;
	bool ok = false;
	bool began = false;
	/* One snapshot of the file from the first read to the last. */
	if (sqlite3_exec(copy.source, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		fail_sqlite(&copy, "begin");
		goto out;
	}
	if (!take_copy_lock(&copy, &locked) || !read_source_tables(&copy, copy.tables) ||
	    !match_destination(&copy, copy.tables) || !order_by_references(&copy, copy.tables))
		goto out;
	began = pg_do(&copy, "begin", "BEGIN; SET LOCAL lock_timeout = '" COPY_LOCK_TIMEOUT "'");
	if (!began || !copy_all(&copy))
		goto out;
	ok = pg_do(&copy, "commit", "COMMIT");
	began = false;
out:
	if (began)
		PQclear(store_pg_query(into, "ROLLBACK", 0, NULL));
	if (locked)
		PQclear(store_pg_query(into, "SELECT pg_advisory_unlock(" COPY_LOCK_KEY ")", 0,
		                       NULL));
	sqlite3_exec(copy.source, "ROLLBACK", NULL, NULL, NULL);
	if (ok) {
		*tables = g_ptr_array_new_with_free_func((GDestroyNotify)store_count_free);
		for (guint i = 0; i < copy.tables->len; i++) {
			const CopyTable *table = g_ptr_array_index(copy.tables, i);
			StoreCount *count = g_new0(StoreCount, 1);
			count->name = g_strdup(table->name);
			count->n = table->rows;
			g_ptr_array_add(*tables, count);
		}
	}
	g_ptr_array_unref(copy.tables);
	return ok;
}
