/* The SQLite back end: the webhooks' outbox. */
#include "store/store_sqlite_private.h"

#define DELIVERY_COLUMNS                                                                           \
	"SELECT d.id, d.webhook_id, d.event_id, d.type, d.payload, d.state, d.attempts, "          \
	"d.created_at, d.next_at, d.last_error, coalesce(d.first_tried_at, 0) "                    \
	"FROM webhook_delivery d "

static GPtrArray *
deliveries(Sqlite *sqlite, sqlite3_stmt *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_delivery_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StoreDelivery *d = g_new0(StoreDelivery, 1);
		d->id = sqlite3_column_int64(stmt, 0);
		d->webhook_id = sqlite3_column_int64(stmt, 1);
		d->event_id = sqlite3_column_int64(stmt, 2);
		d->type = store_sqlite_column_dup(stmt, 3);
		d->payload = store_sqlite_column_dup(stmt, 4);
		d->state = store_sqlite_column_dup(stmt, 5);
		d->attempts = sqlite3_column_int(stmt, 6);
		d->created_at = sqlite3_column_int64(stmt, 7);
		d->next_at = sqlite3_column_int64(stmt, 8);
		d->last_error = store_sqlite_column_dup(stmt, 9);
		d->first_tried_at = sqlite3_column_int64(stmt, 10);
		g_ptr_array_add(list, d);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "deliveries", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sqlite_delivery_list_due(void *impl, int64_t now_us, guint limit, GError **error)
{
	/* Per subscription its oldest pending delivery (one index probe each),
	 * kept when it is due. */
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl,
	        DELIVERY_COLUMNS
	        "WHERE d.id IN (SELECT (SELECT min(p.id) FROM webhook_delivery p "
	        "WHERE p.webhook_id = w.id AND p.state = 'pending') FROM webhook w) "
	        "AND d.next_at <= ?1 ORDER BY d.id LIMIT ?2",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, now_us);
	sqlite3_bind_int64(stmt, 2, limit > 0 ? (sqlite3_int64)limit : -1);
	return deliveries(impl, stmt, error);
}

bool
store_sqlite_delivery_finish(void *impl, int64_t id, const char *state, const char *failure,
                             int64_t tried_us, int64_t next_us, GError **error)
{
	return STORE_SQLITE_RUN(
	        impl,
	        "UPDATE webhook_delivery SET state = ?2, attempts = attempts + 1, last_error = ?3, "
	        "first_tried_at = coalesce(first_tried_at, ?4), "
	        "next_at = CASE WHEN ?2 = 'pending' THEN ?5 ELSE next_at END, "
	        "delivered_at = CASE WHEN ?2 = 'delivered' THEN ?4 ELSE delivered_at END "
	        "WHERE id = ?1",
	        "delivery finish", error, STORE_SQLITE_NUMBER(id), STORE_SQLITE_TEXT(state),
	        STORE_SQLITE_TEXT(failure), STORE_SQLITE_NUMBER(tried_us),
	        STORE_SQLITE_NUMBER(next_us));
}

GPtrArray *
store_sqlite_delivery_list(void *impl, int64_t webhook_id, const char *state, guint limit,
                           GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(
	        impl,
	        DELIVERY_COLUMNS "WHERE (?1 = 0 OR d.webhook_id = ?1) AND d.state = ?2 "
	                         "ORDER BY d.id LIMIT ?3",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, webhook_id);
	sqlite3_bind_text(stmt, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, limit > 0 ? (sqlite3_int64)limit : -1);
	return deliveries(impl, stmt, error);
}

bool
store_sqlite_delivery_replay(void *impl, int64_t id, int64_t now_us, bool *found, GError **error)
{
	Sqlite *sqlite = impl;
	if (!STORE_SQLITE_RUN(
	            sqlite,
	            "UPDATE webhook_delivery SET state = 'pending', next_at = ?2, "
	            "first_tried_at = NULL, attempts = 0 WHERE id = ?1 AND state = 'dead'",
	            "delivery replay", error, STORE_SQLITE_NUMBER(id), STORE_SQLITE_NUMBER(now_us)))
		return false;
	*found = sqlite3_changes(sqlite->db) > 0;
	return true;
}
