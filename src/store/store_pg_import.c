/* prospect_put_many on PostgreSQL: a batch of one import in a few
 * statements (a round trip a row is what made an import slow there). The
 * new prospects go in by one COPY; those to update, by a COPY into a
 * temporary table and one UPDATE from it; what a row comes to is judged
 * as prospect_put judges it, from what one lookup of the batch found. */
#define G_LOG_DOMAIN "piculet-store"

#include "store/store_pg.h"

#include <inttypes.h>
#include <string.h>

#define COPY_CHUNK ((gsize)32 * 1024)

#define COPY_PROSPECTS                                                                             \
	"COPY prospect (email, first_name, last_name, company, timezone, fields, created_at, "     \
	"updated_at) FROM STDIN"

/* What one row of the batch is to become. */
typedef enum {
	ROW_REPEATED, /* the address of an earlier row of the batch */
	ROW_NEW,
	ROW_UPDATE,
	ROW_KNOWN, /* judged from the lookup: left as it is */
} RowPlan;

/* What the lookup found of an address. */
typedef struct {
	bool bounced;
	bool opted_out;
	int64_t updated_at;
} Found;

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

/* The addresses of the rows @chosen, one a line: the list that
 * string_to_array(?, chr(10)) takes apart (an address holds no line
 * end). */
static char *
address_list(const StoreProspectInput *prospects, gsize n, const bool *chosen)
{
	GString *list = g_string_new(NULL);
	for (gsize i = 0; i < n; i++) {
		if (!chosen[i])
			continue;
		if (list->len > 0)
			g_string_append_c(list, '\n');
		g_string_append(list, prospects[i].email);
	}
	return g_string_free(list, FALSE);
}

/* The addresses of @prospects (the first of each, @first[i] == i) that
 * the database holds: address -> Found. */
static GHashTable *
look_up(StoreSql *db, const StoreProspectInput *prospects, gsize n, const gsize *first,
        GError **error)
{
	g_autofree bool *chosen = g_new(bool, n);
	for (gsize i = 0; i < n; i++)
		chosen[i] = first[i] == i;
	g_autofree char *addresses = address_list(prospects, n, chosen);
	StoreSqlStatement *stmt =
	        store_sql_statement(db,
	                            "SELECT email, status, updated_at FROM prospect "
	                            "WHERE email = ANY (string_to_array(?1, chr(10)))",
	                            error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, addresses);
	GHashTable *found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		const char *status = store_sql_column_text(stmt, 1);
		Found *row = g_new0(Found, 1);
		row->bounced = g_strcmp0(status, "bounced") == 0;
		row->opted_out = g_strcmp0(status, "opted_out") == 0;
		row->updated_at = store_sql_column_int64(stmt, 2);
		g_hash_table_insert(found, store_sql_column_dup(stmt, 0), row);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "prospect lookup", error);
		g_hash_table_unref(found);
		return NULL;
	}
	return found;
}

/* One row in COPY's text format: the address, the names, the zone, the
 * fields, then @stamp twice when @stamped. */
static bool
append_row(GString *chunk, const StoreProspectInput *prospect, bool stamped)
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
	if (stamped)
		g_string_append_printf(chunk, "\t%" PRId64 "\t%" PRId64, prospect->import_stamp,
		                       prospect->import_stamp);
	g_string_append_c(chunk, '\n');
	return ok;
}

/* Whether @db's link is gone (a COPY given up on a silent server), with
 * @error then: the caller's transaction went with it, so the import stops
 * there rather than go on outside it (the next statement would connect
 * again). Asked before the batch's savepoint is ended. */
static bool
link_lost(StoreSql *db, GError **error)
{
	if (PQstatus(store_pg_conn(db)) != CONNECTION_BAD)
		return false;
	g_set_error(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE, "prospect put: %s",
	            db->driver->message(db));
	return true;
}

/* COPY (@into: the statement) of the rows planned @plan, stamped or not;
 * false when they did not go in whole (the server's words in the debug
 * log: the caller goes row by row, which says them; or the link is lost:
 * link_lost). */
static bool
copy_rows(StoreSql *db, const char *into, const StoreProspectInput *prospects, gsize n,
          const RowPlan *plans, RowPlan plan, bool stamped)
{
	if (!store_pg_copy_begin(db, into)) {
		g_debug("prospect COPY: %s", db->driver->message(db));
		return false;
	}
	g_autoptr(GString) chunk = g_string_sized_new(COPY_CHUNK + 4096);
	bool ok = true;
	bool encoded = true;
	for (gsize i = 0; ok && i < n; i++) {
		if (plans[i] != plan)
			continue;
		encoded = append_row(chunk, &prospects[i], stamped);
		ok = encoded;
		if (ok && chunk->len >= COPY_CHUNK) {
			ok = store_pg_copy_put(db, chunk->str, chunk->len);
			g_string_truncate(chunk, 0);
		}
	}
	if (ok && chunk->len > 0)
		ok = store_pg_copy_put(db, chunk->str, chunk->len);
	ok = store_pg_copy_end(db, encoded ? NULL : "piculet: a value COPY cannot carry") && ok;
	if (!ok) {
		g_debug("prospect COPY: %s", db->driver->message(db));
	}
	return ok;
}

/* The rows to update through the temporary table: exactly @n_update
 * changed, or none kept (another writer got in between the lookup and
 * now: the caller goes row by row). */
static bool
update_rows(StoreSql *db, const StoreProspectInput *prospects, gsize n, const RowPlan *plans,
            gsize n_update, int64_t stamp)
{
	g_autofree bool *chosen = g_new(bool, n);
	for (gsize i = 0; i < n; i++)
		chosen[i] = plans[i] == ROW_UPDATE;
	g_autofree char *addresses = address_list(prospects, n, chosen);
	if (!store_sql_exec(db,
	                    "CREATE TEMP TABLE IF NOT EXISTS piculet_import (email text, "
	                    "first_name text, last_name text, company text, timezone text, "
	                    "fields text); DELETE FROM piculet_import",
	                    "prospect put", NULL) ||
	    !copy_rows(db,
	               "COPY piculet_import (email, first_name, last_name, company, timezone, "
	               "fields) FROM STDIN",
	               prospects, n, plans, ROW_UPDATE, false))
		return false;
	/* The addresses again, as a condition the prospect index answers:
	 * joined on the temporary table alone, the planner walks the whole
	 * prospect table for every batch (a hash join; 40 µs a row with a
	 * million prospects). The conditions are prospect_put's, so that a
	 * row changed since the lookup is not counted. */
	StoreSqlStatement *update = store_sql_statement(
	        db,
	        "UPDATE prospect p SET first_name = u.first_name, last_name = u.last_name, "
	        "company = u.company, timezone = u.timezone, "
	        "fields = (p.fields::jsonb || u.fields::jsonb)::text, updated_at = ?1 "
	        "FROM piculet_import u WHERE p.email = u.email "
	        "AND p.email = ANY (string_to_array(?2, chr(10))) "
	        "AND p.status NOT IN ('bounced', 'opted_out') AND p.updated_at != ?1",
	        NULL);
	if (update == NULL)
		return false;
	store_sql_bind_int64(update, 1, stamp);
	store_sql_bind_text(update, 2, addresses);
	return store_sql_step_done(db, update, "prospect put", NULL) &&
	       (gsize)store_sql_changes(db) == n_update &&
	       store_sql_exec(db, "DELETE FROM piculet_import", "prospect put", NULL);
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

/* Each row's plan and, for those the lookup settles, its result. */
static void
plan_rows(const StoreProspectInput *prospects, gsize n, const gsize *first, GHashTable *found,
          RowPlan *plans, StoreProspectResult *results, gsize *n_new, gsize *n_update)
{
	for (gsize i = 0; i < n; i++) {
		const Found *row = g_hash_table_lookup(found, prospects[i].email);
		if (first[i] != i)
			plans[i] = ROW_REPEATED;
		else if (row == NULL)
			plans[i] = ROW_NEW;
		else if (row->bounced || row->opted_out ||
		         row->updated_at == prospects[i].import_stamp)
			plans[i] = ROW_KNOWN;
		else
			plans[i] = ROW_UPDATE;
		if (plans[i] == ROW_KNOWN)
			results[i] = row->bounced     ? STORE_PROSPECT_UNCHANGED_BOUNCED
			             : row->opted_out ? STORE_PROSPECT_UNCHANGED_OPTED_OUT
			                              : STORE_PROSPECT_DUPLICATE;
		else if (plans[i] == ROW_NEW)
			results[i] = STORE_PROSPECT_INSERTED;
		else if (plans[i] == ROW_UPDATE)
			results[i] = STORE_PROSPECT_UPDATED;
		*n_new += plans[i] == ROW_NEW;
		*n_update += plans[i] == ROW_UPDATE;
	}
	for (gsize i = 0; i < n; i++)
		if (plans[i] == ROW_REPEATED)
			results[i] = repeated(results[first[i]]);
}

/* The batch of a new list: every address new, in by one COPY without a
 * lookup first (one round trip and as many index probes fewer). False,
 * nothing written, when one was known: the caller looks them up; or, with
 * @error, when the link was lost. */
static bool
copy_all_new(StoreSql *db, const StoreProspectInput *prospects, gsize n, const gsize *first,
             RowPlan *plans, StoreProspectResult *results, GError **error)
{
	for (gsize i = 0; i < n; i++)
		plans[i] = first[i] == i ? ROW_NEW : ROW_REPEATED;
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "put_new", NULL))
		return false;
	bool copied = copy_rows(db, COPY_PROSPECTS, prospects, n, plans, ROW_NEW, true);
	if (!copied && link_lost(db, error))
		return false;
	if (!store_sql_unit_end(db, &unit, copied, NULL) || !copied)
		return false;
	for (gsize i = 0; i < n; i++)
		results[i] = first[i] == i ? STORE_PROSPECT_INSERTED : STORE_PROSPECT_DUPLICATE;
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
	g_autofree RowPlan *plans = g_new(RowPlan, n);
	GError *lost = NULL;
	if (db->puts_insert && copy_all_new(db, prospects, n, first, plans, results, &lost))
		return true;
	if (lost != NULL) {
		g_propagate_error(error, lost);
		return false;
	}
	g_autoptr(GHashTable) found = look_up(db, prospects, n, first, error);
	if (found == NULL)
		return false;
	/* The next batch is tried as all new when this one had none known,
	 * as a new list's batches are. */
	db->puts_insert = g_hash_table_size(found) == 0;
	gsize n_new = 0;
	gsize n_update = 0;
	plan_rows(prospects, n, first, found, plans, results, &n_new, &n_update);
	if (n_new == 0 && n_update == 0)
		return true;
	/* A savepoint: when another writer put or changed a row of the batch
	 * since the lookup, the batch's writes are undone alone and its rows
	 * go one by one. */
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "put_many", error))
		return false;
	bool written =
	        (n_new == 0 || copy_rows(db, COPY_PROSPECTS, prospects, n, plans, ROW_NEW, true)) &&
	        (n_update == 0 ||
	         update_rows(db, prospects, n, plans, n_update, prospects[0].import_stamp));
	if (!written && link_lost(db, error))
		return false;
	if (!store_sql_unit_end(db, &unit, written, NULL) && written) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_FAILED,
		                    "prospect put: the batch could not be kept");
		return false;
	}
	return written || put_each(db, prospects, n, results, error);
}
