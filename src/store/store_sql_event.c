/* The SQL back end: events, and the webhook deliveries they leave. */
#include "store/store_sql.h"

/* The payload: Standard Webhooks' envelope (type, timestamp, data). The
 * subscriptions are the outer loop (CROSS JOIN keeps SQLite to that
 * order): with none that wants the event, nothing else is read. */
#define DELIVERY_DATA(object, timestamp, boolean, has_type)                                        \
	object "('type', ?2, 'timestamp', " timestamp ", 'data', " object "('event_id', v.id, "    \
	       "'kind', v.kind, 'campaign', c.name, 'prospect', p.email, 'mailbox', mb.address, "  \
	       "'step', m.step, 'message_id', m.message_id, 'detail', v.detail, 'text', "          \
	       "CASE WHEN ?2 IN ('reply.received', 'auto_reply.received', 'reply.needs_review') "  \
	       "THEN (SELECT i.reply_text FROM inbound i WHERE i.enrollment_id = v.enrollment_id " \
	       "ORDER BY i.id DESC LIMIT 1) END, 'intent', "                                       \
	       "CASE WHEN ?2 = 'reply.received' THEN (SELECT i.intent FROM inbound i "             \
	       "WHERE i.enrollment_id = v.enrollment_id AND i.intent != '' "                       \
	       "ORDER BY i.id DESC LIMIT 1) END, "                                                 \
	       "'return_date', CASE WHEN ?2 = 'auto_reply.received' THEN (SELECT "                 \
	       "nullif(i.return_date, '') FROM inbound i WHERE i.enrollment_id = v.enrollment_id " \
	       "AND i.class = 'auto_reply' ORDER BY i.id DESC LIMIT 1) END, "                      \
	       "'bounce', CASE WHEN ?2 = 'bounce.received' THEN (SELECT " object "('status', "     \
	       "nullif(i.bounce_status, ''), 'reason', i.bounce_reason, 'hard', " boolean          \
	       ") FROM inbound i "                                                                 \
	       "WHERE i.enrollment_id = v.enrollment_id AND i.class = 'bounce' "                   \
	       "ORDER BY i.id DESC LIMIT 1) END)) "                                                \
	       "FROM webhook w CROSS JOIN event v "                                                \
	       "LEFT JOIN enrollment e ON e.id = v.enrollment_id "                                 \
	       "LEFT JOIN campaign c ON c.id = coalesce(v.campaign_id, e.campaign_id) "            \
	       "LEFT JOIN prospect p ON p.id = e.prospect_id "                                     \
	       "LEFT JOIN message m ON m.id = v.message_id "                                       \
	       "LEFT JOIN mailbox mb ON mb.id = v.mailbox_id "                                     \
	       "WHERE v.id = ?1 AND (w.events = '*' OR " has_type ")"

/* The deliveries of event @event_id to the subscriptions that want
 * @type, each with its payload as of now. */
static bool
add_deliveries(StoreSql *db, int64_t event_id, const char *type, GError **error)
{
	return STORE_SQL_RUN(
	        db,
	        STORE_SQL_PICK(
	                db,
	                "INSERT INTO webhook_delivery (webhook_id, event_id, type, created_at, "
	                "next_at, payload) SELECT w.id, v.id, ?2, ?3, ?3, " DELIVERY_DATA(
	                        "json_object",
	                        "strftime('%Y-%m-%dT%H:%M:%SZ', v.at / 1000000, 'unixepoch')",
	                        "json(CASE i.bounce_hard WHEN 1 THEN 'true' ELSE 'false' END)",
	                        "instr(' ' || w.events || ' ', ' ' || ?2 || ' ') > 0"),
	                "INSERT INTO webhook_delivery (webhook_id, event_id, type, created_at, "
	                "next_at, payload) SELECT w.id, v.id, ?2, ?3, ?3, " DELIVERY_DATA(
	                        "json_build_object",
	                        "to_char(to_timestamp(v.at / 1000000) AT TIME ZONE 'UTC', "
	                        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
	                        "i.bounce_hard = 1",
	                        "strpos(' ' || w.events || ' ', ' ' || ?2 || ' ') > 0")),
	        "webhook outbox", error, STORE_SQL_NUMBER(event_id), STORE_SQL_TEXT(type),
	        STORE_SQL_NUMBER(store_sql_now_us(db)));
}

/* SQLite's rowid of the last row the connection inserted (outside
 * triggers). */
static bool
last_rowid(StoreSql *db, int64_t *id, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(db, "SELECT last_insert_rowid()", error);
	if (stmt == NULL)
		return false;
	int rc = store_sql_step(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "event", error);
		return false;
	}
	*id = store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

bool
store_sql_event_add(void *impl, const StoreEventInput *event, GError **error)
{
	StoreSql *db = impl;
	/* The event and its deliveries together, or neither. */
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "event_add", error))
		return false;
	bool ok = false;
	/* SQLite gathers what RETURNING returns in a table of its own, made and
	 * dropped at every insert: the id is asked for after (the events are
	 * the busiest insert, one per fetch of a tracked image). */
#define INSERT_EVENT                                                                               \
	"INSERT INTO event (at, kind, mailbox_id, enrollment_id, message_id, detail, "             \
	"campaign_id) "                                                                            \
	"VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), nullif(?5, 0), ?6, nullif(?7, 0))"
	StoreSqlStatement *insert = store_sql_statement(
	        db, STORE_SQL_PICK(db, INSERT_EVENT, INSERT_EVENT " RETURNING id"), error);
#undef INSERT_EVENT
	if (insert != NULL) {
		store_sql_bind_int64(insert, 1, event->at_us);
		store_sql_bind_text(insert, 2, event->kind);
		store_sql_bind_int64(insert, 3, event->mailbox_id);
		store_sql_bind_int64(insert, 4, event->enrollment_id);
		store_sql_bind_int64(insert, 5, event->message_id);
		store_sql_bind_text(insert, 6, store_sql_or_empty(event->detail));
		store_sql_bind_int64(insert, 7, event->campaign_id);
		bool returning = store_sql_dialect(db) != STORE_SQL_SQLITE;
		int rc = store_sql_step(insert);
		ok = rc == (returning ? STORE_SQL_ROW : STORE_SQL_DONE);
		if (!ok)
			store_sql_set_error(db, rc, "event", error);
		int64_t event_id = ok && returning ? store_sql_column_int64(insert, 0) : 0;
		store_sql_reset(insert);
		if (ok && !returning && event->webhook_type != NULL)
			ok = last_rowid(db, &event_id, error);
		if (ok && event->webhook_type != NULL)
			ok = add_deliveries(db, event_id, event->webhook_type, error);
	}
	return store_sql_unit_end(db, &unit, ok, error);
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
events(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_event_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreEvent *event = g_new0(StoreEvent, 1);
		event->id = store_sql_column_int64(stmt, 0);
		event->at = store_sql_column_int64(stmt, 1);
		event->kind = store_sql_column_dup(stmt, 2);
		event->campaign = store_sql_column_dup(stmt, 3);
		event->email = store_sql_column_dup(stmt, 4);
		event->step = store_sql_column_int(stmt, 5);
		event->mailbox = store_sql_column_dup(stmt, 6);
		event->detail = store_sql_column_dup(stmt, 7);
		g_ptr_array_add(list, event);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "events", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sql_event_list_for_prospect(void *impl, const char *email, GError **error)
{
	/* The prospect's few enrollments, then their events (event_by_enrollment). */
	StoreSqlStatement *stmt = store_sql_statement(
	        impl,
	        EVENT_SELECT "WHERE e.prospect_id = (SELECT id FROM prospect WHERE email = ?1) "
	                     "ORDER BY v.at, v.id",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, email);
	return events(impl, stmt, error);
}

GPtrArray *
store_sql_event_list_after(void *impl, int64_t after_id, guint limit, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, EVENT_SELECT "WHERE v.id > ?1 ORDER BY v.id LIMIT ?2", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, after_id);
	store_sql_bind_int64(stmt, 2, limit > 0 ? (int64_t)limit : STORE_SQL_NO_LIMIT);
	return events(impl, stmt, error);
}

bool
store_sql_event_last_trouble(void *impl, int64_t mailbox_id, int64_t since_us, int64_t *at,
                             char **kind, char **detail, GError **error)
{
	StoreSql *db = impl;
	*at = 0;
	*kind = NULL;
	*detail = NULL;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT at, kind, detail FROM event WHERE mailbox_id = ?1 AND at >= ?2 "
	        "AND kind IN ('paused', 'error', 'uncertain') ORDER BY at DESC, id DESC LIMIT 1",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, mailbox_id);
	store_sql_bind_int64(stmt, 2, since_us);
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_ROW) {
		*at = store_sql_column_int64(stmt, 0);
		*kind = store_sql_column_dup(stmt, 1);
		*detail = store_sql_column_dup(stmt, 2);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW && rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "last trouble", error);
		return false;
	}
	return true;
}
