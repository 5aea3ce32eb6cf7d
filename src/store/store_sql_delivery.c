/* The SQL back end: the webhooks' outbox. */
#include "store/store_sql.h"

#include <jansson.h>

#define DELIVERY_COLUMNS                                                                           \
	"SELECT d.id, d.webhook_id, d.event_id, d.type, d.payload, d.state, d.attempts, "          \
	"d.created_at, d.next_at, d.last_error, coalesce(d.first_tried_at, 0) "                    \
	"FROM webhook_delivery d "

/* The payload as SQLite writes it, compact, in its own order:
 * PostgreSQL's json_build_object puts spaces around its separators. */
static char *
payload_of(StoreSql *db, StoreSqlStatement *stmt, int column)
{
	const char *text = store_sql_column_text(stmt, column);
	if (text == NULL || store_sql_dialect(db) == STORE_SQL_SQLITE)
		return g_strdup(text);
	json_t *json = json_loads(text, JSON_DECODE_ANY, NULL);
	char *compact =
	        json != NULL
	                ? json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)
	                : NULL;
	json_decref(json);
	char *payload = g_strdup(compact != NULL ? compact : text);
	free(compact);
	return payload;
}

static GPtrArray *
deliveries(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_delivery_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreDelivery *d = g_new0(StoreDelivery, 1);
		d->id = store_sql_column_int64(stmt, 0);
		d->webhook_id = store_sql_column_int64(stmt, 1);
		d->event_id = store_sql_column_int64(stmt, 2);
		d->type = store_sql_column_dup(stmt, 3);
		d->payload = payload_of(db, stmt, 4);
		d->state = store_sql_column_dup(stmt, 5);
		d->attempts = store_sql_column_int(stmt, 6);
		d->created_at = store_sql_column_int64(stmt, 7);
		d->next_at = store_sql_column_int64(stmt, 8);
		d->last_error = store_sql_column_dup(stmt, 9);
		d->first_tried_at = store_sql_column_int64(stmt, 10);
		g_ptr_array_add(list, d);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "deliveries", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sql_delivery_list_due(void *impl, int64_t now_us, guint limit, GError **error)
{
	/* Per subscription its oldest pending delivery (one index probe each),
	 * kept when it is due. */
	StoreSqlStatement *stmt = store_sql_statement(
	        impl,
	        DELIVERY_COLUMNS
	        "WHERE d.id IN (SELECT (SELECT min(p.id) FROM webhook_delivery p "
	        "WHERE p.webhook_id = w.id AND p.state = 'pending') FROM webhook w) "
	        "AND d.next_at <= ?1 ORDER BY d.id LIMIT ?2",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, now_us);
	store_sql_bind_int64(stmt, 2, limit > 0 ? (int64_t)limit : STORE_SQL_NO_LIMIT);
	return deliveries(impl, stmt, error);
}

bool
store_sql_delivery_finish(void *impl, int64_t id, const char *state, const char *failure,
                          int64_t tried_us, int64_t next_us, GError **error)
{
	return STORE_SQL_RUN(
	        impl,
	        "UPDATE webhook_delivery SET state = ?2, attempts = attempts + 1, last_error = ?3, "
	        "first_tried_at = coalesce(first_tried_at, ?4), "
	        "next_at = CASE WHEN ?2 = 'pending' THEN ?5 ELSE next_at END, "
	        "delivered_at = CASE WHEN ?2 = 'delivered' THEN ?4 ELSE delivered_at END "
	        "WHERE id = ?1",
	        "delivery finish", error, STORE_SQL_NUMBER(id), STORE_SQL_TEXT(state),
	        STORE_SQL_TEXT(failure), STORE_SQL_NUMBER(tried_us), STORE_SQL_NUMBER(next_us));
}

GPtrArray *
store_sql_delivery_list(void *impl, int64_t webhook_id, const char *state, guint limit,
                        GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl,
	        DELIVERY_COLUMNS "WHERE (?1 = 0 OR d.webhook_id = ?1) AND d.state = ?2 "
	                         "ORDER BY d.id LIMIT ?3",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, webhook_id);
	store_sql_bind_text(stmt, 2, state);
	store_sql_bind_int64(stmt, 3, limit > 0 ? (int64_t)limit : STORE_SQL_NO_LIMIT);
	return deliveries(impl, stmt, error);
}

bool
store_sql_delivery_lease(void *impl, const char *holder, int64_t now_us, int64_t lease_us,
                         bool *held, GError **error)
{
	StoreSql *db = impl;
	if (lease_us == 0)
		return STORE_SQL_RUN(
		        db, "UPDATE webhook_deliverer SET expires_at = 0 WHERE holder = ?1",
		        "webhook deliverer", error, STORE_SQL_TEXT(holder));
	/* Taken when free or expired, renewed by its holder; one statement,
	 * so two takers at once cannot both win. */
	if (!STORE_SQL_RUN(db,
	                   "INSERT INTO webhook_deliverer (id, holder, expires_at) "
	                   "VALUES (1, ?1, ?2 + ?3) ON CONFLICT (id) DO UPDATE SET "
	                   "holder = excluded.holder, expires_at = excluded.expires_at "
	                   "WHERE webhook_deliverer.holder = excluded.holder "
	                   "OR webhook_deliverer.expires_at <= ?2",
	                   "webhook deliverer", error, STORE_SQL_TEXT(holder),
	                   STORE_SQL_NUMBER(now_us), STORE_SQL_NUMBER(lease_us)))
		return false;
	g_autofree char *now_held_by = NULL;
	if (!store_sql_text_query(db, "SELECT holder FROM webhook_deliverer WHERE id = 1",
	                          "webhook deliverer", &now_held_by, error))
		return false;
	*held = g_strcmp0(now_held_by, holder) == 0;
	return true;
}

bool
store_sql_delivery_replay(void *impl, int64_t id, int64_t now_us, bool *found, GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(db,
	                   "UPDATE webhook_delivery SET state = 'pending', next_at = ?2, "
	                   "first_tried_at = NULL, attempts = 0 WHERE id = ?1 AND state = 'dead'",
	                   "delivery replay", error, STORE_SQL_NUMBER(id),
	                   STORE_SQL_NUMBER(now_us)))
		return false;
	*found = store_sql_changes(db) > 0;
	return true;
}
