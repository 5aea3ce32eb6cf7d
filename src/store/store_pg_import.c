/* prospect_put_many on PostgreSQL: the new prospects of a batch go in by
 * one COPY (a round trip a row is what made an import slow there); those
 * the database has already are put one by one, as prospect_put does. */
#define G_LOG_DOMAIN "piculet-store"

#include "store/store_pg.h"

#include <inttypes.h>
#include <string.h>

#define COPY_CHUNK ((gsize)256 * 1024)

/* What prospect_put says of a later row with the address of an earlier
 * one of the same import, once the earlier one was put. */
static StoreProspectResult
repeated(StoreProspectResult first)
{
	return first == STORE_PROSPECT_UNCHANGED_BOUNCED ||
	                       first == STORE_PROSPECT_UNCHANGED_OPTED_OUT
	               ? first
	               : STORE_PROSPECT_DUPLICATE;
}

/* The addresses of @prospects (the first of each, @first[i] == i) that
 * the database holds. */
static GHashTable *
existing_addresses(StoreSql *db, const StoreProspectInput *prospects, gsize n, const gsize *first,
                   GError **error)
{
	g_autoptr(GString) list = g_string_new(NULL);
	for (gsize i = 0; i < n; i++)
		if (first[i] == i)
			g_string_append_printf(list, "%s%s", list->len > 0 ? "\n" : "",
			                       prospects[i].email);
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "SELECT email FROM prospect WHERE email = ANY (string_to_array(?1, chr(10)))",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, list->str);
	GHashTable *found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW)
		g_hash_table_add(found, store_sql_column_dup(stmt, 0));
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "prospect lookup", error);
		g_hash_table_unref(found);
		return NULL;
	}
	return found;
}

static bool
append_row(GString *chunk, const StoreProspectInput *prospect, int64_t stamp)
{
	const char *texts[] = {prospect->email, prospect->first_name, prospect->last_name,
	                       prospect->company, prospect->timezone};
	bool ok = true;
	for (gsize t = 0; ok && t < G_N_ELEMENTS(texts); t++) {
		const char *text = store_sql_or_empty(texts[t]);
		ok = store_pg_copy_text(chunk, text, strlen(text));
		g_string_append_c(chunk, '\t');
	}
	g_autofree char *fields = store_sql_prospect_fields_json(prospect);
	ok = ok && store_pg_copy_text(chunk, fields, strlen(fields));
	g_string_append_printf(chunk, "\t%" PRId64 "\t%" PRId64 "\n", stamp, stamp);
	return ok;
}

/* COPY of the rows marked in @new_rows; false (the server's words in
 * the connection) when it did not go in whole. */
static bool
copy_new(StoreSql *db, const StoreProspectInput *prospects, gsize n, const bool *new_rows)
{
	PGconn *conn = store_pg_conn(db);
	PGresult *result = PQexec(conn, "COPY prospect (email, first_name, last_name, company, "
	                                "timezone, fields, created_at, updated_at) FROM STDIN");
	bool ok = PQresultStatus(result) == PGRES_COPY_IN;
	PQclear(result);
	if (!ok)
		return false;
	g_autoptr(GString) chunk = g_string_sized_new(COPY_CHUNK + 4096);
	for (gsize i = 0; ok && i < n; i++) {
		if (!new_rows[i])
			continue;
		ok = append_row(chunk, &prospects[i], prospects[i].import_stamp);
		if (ok && chunk->len >= COPY_CHUNK) {
			ok = PQputCopyData(conn, chunk->str, (int)chunk->len) == 1;
			g_string_truncate(chunk, 0);
		}
	}
	if (ok && chunk->len > 0)
		ok = PQputCopyData(conn, chunk->str, (int)chunk->len) == 1;
	if (PQputCopyEnd(conn, ok ? NULL : "piculet: a value COPY cannot carry") != 1)
		ok = false;
	while ((result = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(result) != PGRES_COMMAND_OK) {
			g_debug("prospect COPY: %s", PQresultErrorMessage(result));
			ok = false;
		}
		PQclear(result);
	}
	return ok;
}

static bool
put_each(StoreSql *db, const StoreProspectInput *prospects, gsize n, StoreProspectResult *results,
         GError **error)
{
	for (gsize i = 0; i < n; i++)
		if (!store_sql_prospect_put(db, &prospects[i], &results[i], error))
			return false;
	return true;
}

/* Whether every row carries the same import's stamp: the rows the batch
 * path knows how to judge (without one, a later row updates an earlier
 * one rather than being its duplicate). */
static bool
one_import(const StoreProspectInput *prospects, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (prospects[i].import_stamp <= 0 ||
		    prospects[i].import_stamp != prospects[0].import_stamp)
			return false;
	return true;
}

bool
store_pg_import_prospects(StoreSql *db, const StoreProspectInput *prospects, gsize n,
                          StoreProspectResult *results, GError **error)
{
	if (n < 2 || !one_import(prospects, n))
		return put_each(db, prospects, n, results, error);
	g_autofree gsize *first = g_new(gsize, n);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (gsize i = 0; i < n; i++) {
		const gsize *earlier = g_hash_table_lookup(seen, prospects[i].email);
		first[i] = earlier != NULL ? *earlier : i;
		if (earlier == NULL)
			g_hash_table_insert(seen, (gpointer)prospects[i].email, &first[i]);
	}
	g_autoptr(GHashTable) existing = existing_addresses(db, prospects, n, first, error);
	if (existing == NULL)
		return false;
	g_autofree bool *new_rows = g_new0(bool, n);
	gsize n_new = 0;
	for (gsize i = 0; i < n; i++) {
		new_rows[i] = first[i] == i && !g_hash_table_contains(existing, prospects[i].email);
		n_new += new_rows[i];
	}
	bool copied = false;
	if (n_new > 0) {
		/* A savepoint: a row another writer put in meanwhile fails the
		 * COPY, which is then undone alone, and the rows go one by one. */
		StoreSqlUnit unit;
		if (!store_sql_unit_begin(db, &unit, "put_many", error))
			return false;
		copied = copy_new(db, prospects, n, new_rows);
		if (!store_sql_unit_end(db, &unit, copied, NULL) && copied) {
			g_set_error_literal(error, STORE_ERROR, STORE_ERROR_FAILED,
			                    "prospect put: the batch could not be kept");
			return false;
		}
		if (!copied)
			return put_each(db, prospects, n, results, error);
	}
	for (gsize i = 0; i < n; i++) {
		if (first[i] != i)
			results[i] = repeated(results[first[i]]);
		else if (new_rows[i])
			results[i] = STORE_PROSPECT_INSERTED;
		else if (!store_sql_prospect_put(db, &prospects[i], &results[i], error))
			return false;
	}
	return true;
}
