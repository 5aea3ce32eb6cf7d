/* The SQLite back end: prospects. */
#include "store/store_sql.h"

#include "base/base_json.h"
#include "piculet_config.h"

#include <jansson.h>

#include <string.h>

char *
store_sql_prospect_fields_json(const StoreProspectInput *prospect)
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
try_insert(StoreSql *db, const StoreProspectInput *prospect, const char *fields, int64_t stamp,
           bool *done, GError **error)
{
	StoreSqlStatement *insert = store_sql_statement(
	        db,
	        "INSERT INTO prospect (email, first_name, last_name, company, timezone, fields, "
	        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) "
	        "ON CONFLICT (email) DO NOTHING",
	        error);
	if (insert == NULL)
		return false;
	store_sql_bind_text(insert, 1, prospect->email);
	store_sql_bind_text(insert, 2, store_sql_or_empty(prospect->first_name));
	store_sql_bind_text(insert, 3, store_sql_or_empty(prospect->last_name));
	store_sql_bind_text(insert, 4, store_sql_or_empty(prospect->company));
	store_sql_bind_text(insert, 5, store_sql_or_empty(prospect->timezone));
	store_sql_bind_text(insert, 6, fields);
	store_sql_bind_int64(insert, 7, stamp);
	if (!store_sql_step_done(db, insert, "prospect put", error))
		return false;
	*done = store_sql_changes(db) > 0;
	return true;
}

/* @merged: the custom fields with those of ?6 over them. */
#define UPDATE_PROSPECT(merged)                                                                    \
	"UPDATE prospect SET first_name = ?2, last_name = ?3, company = ?4, timezone = ?5, "       \
	"fields = " merged ", updated_at = ?7 WHERE email = ?1 "                                   \
	"AND status NOT IN ('bounced', 'opted_out') AND (?8 = 0 OR updated_at != ?8)"

static bool
try_update(StoreSql *db, const StoreProspectInput *prospect, const char *fields, int64_t stamp,
           bool *done, GError **error)
{
	StoreSqlStatement *update = store_sql_statement(
	        db,
	        STORE_SQL_PICK(db, UPDATE_PROSPECT("json_patch(fields, ?6)"),
	                       UPDATE_PROSPECT("(fields::jsonb || ?6::jsonb)::text")),
	        error);
	if (update == NULL)
		return false;
	store_sql_bind_text(update, 1, prospect->email);
	store_sql_bind_text(update, 2, store_sql_or_empty(prospect->first_name));
	store_sql_bind_text(update, 3, store_sql_or_empty(prospect->last_name));
	store_sql_bind_text(update, 4, store_sql_or_empty(prospect->company));
	store_sql_bind_text(update, 5, store_sql_or_empty(prospect->timezone));
	store_sql_bind_text(update, 6, fields);
	store_sql_bind_int64(update, 7, stamp);
	store_sql_bind_int64(update, 8, prospect->import_stamp);
	if (!store_sql_step_done(db, update, "prospect put", error))
		return false;
	*done = store_sql_changes(db) > 0;
	return true;
}

/* Why neither statement changed the row: it bounced, opted out, or was
 * written by this import already. */
static bool
explain_unchanged(StoreSql *db, const StoreProspectInput *prospect, StoreProspectResult *result,
                  bool *exists, GError **error)
{
	StoreSqlStatement *find = store_sql_statement(
	        db, "SELECT status, updated_at FROM prospect WHERE email = ?1", error);
	if (find == NULL)
		return false;
	store_sql_bind_text(find, 1, prospect->email);
	int rc = store_sql_step(find);
	if (rc != STORE_SQL_ROW && rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "prospect lookup", error);
		return false;
	}
	*exists = rc == STORE_SQL_ROW;
	if (*exists) {
		const char *status = (const char *)store_sql_column_text(find, 0);
		if (g_strcmp0(status, "bounced") == 0)
			*result = STORE_PROSPECT_UNCHANGED_BOUNCED;
		else if (g_strcmp0(status, "opted_out") == 0)
			*result = STORE_PROSPECT_UNCHANGED_OPTED_OUT;
		else
			*result = STORE_PROSPECT_DUPLICATE;
	}
	store_sql_reset(find);
	return true;
}

bool
store_sql_prospect_put(void *impl, const StoreProspectInput *prospect, StoreProspectResult *result,
                       GError **error)
{
	StoreSql *db = impl;
	g_autofree char *fields = store_sql_prospect_fields_json(prospect);
	int64_t stamp =
	        prospect->import_stamp > 0 ? prospect->import_stamp : store_sql_now_us(impl);
	bool done = false;
	if (db->puts_insert) {
		if (!try_insert(db, prospect, fields, stamp, &done, error))
			return false;
		if (done) {
			*result = STORE_PROSPECT_INSERTED;
			return true;
		}
		if (!try_update(db, prospect, fields, stamp, &done, error))
			return false;
		if (done) {
			db->puts_insert = false;
			*result = STORE_PROSPECT_UPDATED;
			return true;
		}
	} else {
		if (!try_update(db, prospect, fields, stamp, &done, error))
			return false;
		if (done) {
			*result = STORE_PROSPECT_UPDATED;
			return true;
		}
	}
	bool exists = false;
	if (!explain_unchanged(db, prospect, result, &exists, error))
		return false;
	if (exists)
		return true;
	if (!try_insert(db, prospect, fields, stamp, &done, error))
		return false;
	db->puts_insert = true;
	*result = STORE_PROSPECT_INSERTED;
	return true;
}

bool
store_sql_prospect_put_many(void *impl, const StoreProspectInput *prospects, gsize n,
                            StoreProspectResult *results, GError **error)
{
#if PICULET_HAVE_POSTGRESQL
	if (store_sql_dialect(impl) == STORE_SQL_POSTGRESQL)
		return store_pg_import_prospects(impl, prospects, n, results, error);
#endif
	/* SQLite's calls are in-process: one statement a row is fast. */
	for (gsize i = 0; i < n; i++)
		if (!store_sql_prospect_put(impl, &prospects[i], &results[i], error))
			return false;
	return true;
}

static StoreProspect *
prospect_from_row(StoreSqlStatement *row)
{
	StoreProspect *prospect = g_new0(StoreProspect, 1);
	prospect->id = store_sql_column_int64(row, 0);
	prospect->email = g_strdup((const char *)store_sql_column_text(row, 1));
	prospect->first_name = g_strdup((const char *)store_sql_column_text(row, 2));
	prospect->last_name = g_strdup((const char *)store_sql_column_text(row, 3));
	prospect->company = g_strdup((const char *)store_sql_column_text(row, 4));
	prospect->timezone = g_strdup((const char *)store_sql_column_text(row, 5));
	prospect->status = g_strdup((const char *)store_sql_column_text(row, 6));
	prospect->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	const char *text = (const char *)store_sql_column_text(row, 7);
	/* Most prospects have no fields of their own: no parse for them. */
	if (text == NULL || strcmp(text, "{}") == 0)
		return prospect;
	json_t *fields = json_loads(text, 0, NULL);
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

StoreProspect *
store_sql_prospect_get(void *impl, const char *email, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT " PROSPECT_COLUMNS " FROM prospect WHERE email = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, email);
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_DONE)
		return NULL;
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(impl, rc, "prospect get", error);
		return NULL;
	}
	StoreProspect *prospect = prospect_from_row(stmt);
	store_sql_reset(stmt);
	return prospect;
}

GPtrArray *
store_sql_prospect_list(void *impl, guint limit, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT " PROSPECT_COLUMNS " FROM prospect ORDER BY email LIMIT ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, limit > 0 ? (int64_t)limit : STORE_SQL_NO_LIMIT);
	g_autoptr(GPtrArray) prospects =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_prospect_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		g_ptr_array_add(prospects, prospect_from_row(stmt));
	}
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(impl, rc, "prospect list", error);
		return NULL;
	}
	return g_steal_pointer(&prospects);
}

/* @text as a LIKE pattern matching it anywhere (its own % _ \\ escaped). */
static char *
like_anywhere(const char *text)
{
	GString *pattern = g_string_new("%");
	for (const char *c = text; *c != '\0'; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			g_string_append_c(pattern, '\\');
		g_string_append_c(pattern, *c);
	}
	g_string_append_c(pattern, '%');
	return g_string_free(pattern, FALSE);
}

/* @like: a LIKE that ignores ASCII case (SQLite's LIKE, PostgreSQL's
 * ILIKE). */
#define PROSPECT_PAGE(like)                                                                        \
	"SELECT " PROSPECT_COLUMNS " FROM prospect WHERE email > ?1 "                              \
	"AND (CAST(?2 AS TEXT) IS NULL OR email " like " ?2 ESCAPE '\\' OR first_name " like       \
	" ?2 ESCAPE '\\' OR last_name " like " ?2 ESCAPE '\\' OR company " like                    \
	" ?2 ESCAPE '\\') AND (CAST(?3 AS TEXT) IS NULL OR status = ?3) ORDER BY email LIMIT ?4"

GPtrArray *
store_sql_prospect_page(void *impl, const StoreProspectQuery *query, GError **error)
{
	/* Email order through the unique index: a page costs what it reads,
	 * whatever the table's size (a rare search reads further). */
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, STORE_SQL_PICK(impl, PROSPECT_PAGE("LIKE"), PROSPECT_PAGE("ILIKE")), error);
	if (stmt == NULL)
		return NULL;
	g_autofree char *pattern = query->search != NULL ? like_anywhere(query->search) : NULL;
	store_sql_bind_text(stmt, 1, query->after != NULL ? query->after : "");
	if (pattern != NULL)
		store_sql_bind_text(stmt, 2, pattern);
	else
		store_sql_bind_null(stmt, 2);
	if (query->status != NULL)
		store_sql_bind_text(stmt, 3, query->status);
	else
		store_sql_bind_null(stmt, 3);
	store_sql_bind_int64(stmt, 4,
	                     query->limit > 0 ? (int64_t)query->limit : STORE_SQL_NO_LIMIT);
	g_autoptr(GPtrArray) prospects =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_prospect_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW)
		g_ptr_array_add(prospects, prospect_from_row(stmt));
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(impl, rc, "prospect page", error);
		return NULL;
	}
	return g_steal_pointer(&prospects);
}

bool
store_sql_prospect_count(void *impl, guint64 *count, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(impl, "SELECT count(*) FROM prospect", error);
	if (stmt == NULL)
		return false;
	if (store_sql_step(stmt) != STORE_SQL_ROW) {
		store_sql_set_error(impl, store_sql_errcode(impl), "prospect count", error);
		return false;
	}
	*count = (guint64)store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

/* One statement per dialect: the custom fields are a JSON object in text,
 * read by SQLite's ->> and by PostgreSQL's after a cast. */
#define MISSING_SELECT(fields)                                                                     \
	"SELECT count(*), count(*) FILTER (WHERE CASE CAST(?1 AS text) "                           \
	"WHEN 'first_name' THEN p.first_name WHEN 'last_name' THEN p.last_name "                   \
	"WHEN 'company' THEN p.company WHEN 'timezone' THEN p.timezone "                           \
	"ELSE coalesce(" fields " ->> CAST(?1 AS text), '') END = '') "                            \
	"FROM prospect p WHERE ?2 = 0 OR p.id IN "                                                 \
	"(SELECT e.prospect_id FROM enrollment e WHERE e.campaign_id = ?2)"

bool
store_sql_prospect_count_missing(void *impl, const char *field, int64_t campaign_id,
                                 guint64 *missing, guint64 *total, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl,
	        STORE_SQL_PICK(impl, MISSING_SELECT("p.fields"), MISSING_SELECT("p.fields::jsonb")),
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, field);
	store_sql_bind_int64(stmt, 2, campaign_id);
	if (store_sql_step(stmt) != STORE_SQL_ROW) {
		store_sql_set_error(impl, store_sql_errcode(impl), "prospect fields", error);
		store_sql_reset(stmt);
		return false;
	}
	*total = (guint64)store_sql_column_int64(stmt, 0);
	*missing = (guint64)store_sql_column_int64(stmt, 1);
	store_sql_reset(stmt);
	return true;
}

bool
store_sql_prospect_set_status(void *impl, const char *email, const char *status, bool *found,
                              GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "UPDATE prospect SET status = ?2, updated_at = ?3 WHERE email = ?1", error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, email);
	store_sql_bind_text(stmt, 2, status);
	store_sql_bind_int64(stmt, 3, store_sql_now_us(impl));
	if (!store_sql_step_done(db, stmt, "prospect status", error))
		return false;
	*found = store_sql_changes(db) > 0;
	return true;
}

/* With the prospect go what names it: its enrollments (and so the messages
 * sent), the mail it sent us, and the events about it. */
bool
store_sql_prospect_remove(void *impl, const char *email, bool *removed, GError **error)
{
	StoreSql *db = impl;
	static const char *const statements[] = {
	        "DELETE FROM inbound WHERE enrollment_id IN (SELECT e.id FROM enrollment e "
	        "JOIN prospect p ON p.id = e.prospect_id WHERE p.email = ?1)",
	        "DELETE FROM event WHERE enrollment_id IN (SELECT e.id FROM enrollment e "
	        "JOIN prospect p ON p.id = e.prospect_id WHERE p.email = ?1)",
	        "DELETE FROM prospect WHERE email = ?1",
	};
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "prospect_remove", error))
		return false;
	for (gsize i = 0; i < G_N_ELEMENTS(statements); i++) {
		StoreSqlStatement *stmt = store_sql_statement(db, statements[i], error);
		if (stmt == NULL)
			goto fail;
		store_sql_bind_text(stmt, 1, email);
		if (!store_sql_step_done(db, stmt, "prospect remove", error))
			goto fail;
		*removed = store_sql_changes(db) > 0;
	}
	return store_sql_unit_end(db, &unit, true, error);
fail:
	return store_sql_unit_end(db, &unit, false, NULL);
}
