/* The SQL back end: events, and the webhook deliveries they leave. */
#include "store/store_sql.h"

#include <pthread.h>
#include <string.h>

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

/* The opens and clicks written for one message: the store counts them on
 * it (schema 25), once per batch. */
typedef struct {
	int64_t message_id;
	int64_t opens;
	int64_t clicks;
} Tracked;

/* @event's share of @tracked's counts, if it is an open or a click of a
 * message; false when it is neither. */
static bool
tracked_of(const StoreEventInput *event, Tracked *tracked)
{
	if (event->message_id == 0)
		return false;
	*tracked = (Tracked){.message_id = event->message_id,
	                     .opens = strcmp(event->kind, "open") == 0,
	                     .clicks = strcmp(event->kind, "click") == 0};
	return tracked->opens + tracked->clicks > 0;
}

static bool
count_tracked(StoreSql *db, const Tracked *tracked, GError **error)
{
	return STORE_SQL_RUN(db,
	                     "UPDATE message SET opens = opens + ?2, clicks = clicks + ?3 "
	                     "WHERE id = ?1",
	                     "message counts", error, STORE_SQL_NUMBER(tracked->message_id),
	                     STORE_SQL_NUMBER(tracked->opens), STORE_SQL_NUMBER(tracked->clicks));
}

static int
compare_tracked(gconstpointer a, gconstpointer b)
{
	int64_t x = ((const Tracked *)a)->message_id;
	int64_t y = ((const Tracked *)b)->message_id;
	return (x > y) - (x < y);
}

/* Counts @events' opens and clicks on their messages: one update per
 * message, in the order of their ids (two writers of PostgreSQL then take
 * the rows' locks in one order). */
static bool
count_all_tracked(StoreSql *db, const StoreEventInput *events, gsize n, GError **error)
{
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Tracked));
	for (gsize i = 0; i < n; i++) {
		Tracked tracked;
		if (tracked_of(&events[i], &tracked))
			g_array_append_val(all, tracked);
	}
	g_array_sort(all, compare_tracked);
	guint kept = 0;
	for (guint i = 0; i < all->len; i++) {
		Tracked *each = &g_array_index(all, Tracked, i);
		Tracked *last = kept > 0 ? &g_array_index(all, Tracked, kept - 1) : NULL;
		if (last != NULL && last->message_id == each->message_id) {
			last->opens += each->opens;
			last->clicks += each->clicks;
		} else {
			g_array_index(all, Tracked, kept++) = *each;
		}
	}
	for (guint i = 0; i < kept; i++)
		if (!count_tracked(db, &g_array_index(all, Tracked, i), error))
			return false;
	return true;
}

/* Binds @event's seven values from parameter @first on. */
static void
bind_event(StoreSqlStatement *insert, int first, const StoreEventInput *event)
{
	store_sql_bind_int64(insert, first, event->at_us);
	store_sql_bind_text(insert, first + 1, event->kind);
	store_sql_bind_int64(insert, first + 2, event->mailbox_id);
	store_sql_bind_int64(insert, first + 3, event->enrollment_id);
	store_sql_bind_int64(insert, first + 4, event->message_id);
	store_sql_bind_text(insert, first + 5, store_sql_or_empty(event->detail));
	store_sql_bind_int64(insert, first + 6, event->campaign_id);
}

/* Inserts @event, and its deliveries when @announce. */
static bool
insert_event(StoreSql *db, const StoreEventInput *event, bool announce, GError **error)
{
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
	if (insert == NULL)
		return false;
	announce = announce && event->webhook_type != NULL;
	bind_event(insert, 1, event);
	bool returning = store_sql_dialect(db) != STORE_SQL_SQLITE;
	int rc = store_sql_step(insert);
	bool ok = rc == (returning ? STORE_SQL_ROW : STORE_SQL_DONE);
	if (!ok)
		store_sql_set_error(db, rc, "event", error);
	int64_t event_id = ok && returning ? store_sql_column_int64(insert, 0) : 0;
	store_sql_reset(insert);
	if (ok && !returning && announce)
		ok = last_rowid(db, &event_id, error);
	if (ok && announce)
		ok = add_deliveries(db, event_id, event->webhook_type, error);
	return ok;
}

bool
store_sql_event_add(void *impl, const StoreEventInput *event, GError **error)
{
	StoreSql *db = impl;
	/* The event and its deliveries together, or neither. */
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "event_add", error))
		return false;
	bool ok = insert_event(db, event, true, error);
	Tracked tracked;
	if (ok && tracked_of(event, &tracked))
		ok = count_tracked(db, &tracked, error);
	return store_sql_unit_end(db, &unit, ok, error);
}

/* Events written by one statement when none is announced: a statement
 * costs SQLite more than a row of it. */
#define ROWS_AT_ONCE 16
#define EVENT_VALUES 7

/* "INSERT ... VALUES (...), (...)" for ROWS_AT_ONCE events: made once, the
 * same text (and so the same prepared statement) ever after. */
static char insert_rows_text[2048];

static void
make_insert_rows(void)
{
	gsize n = g_strlcpy(insert_rows_text,
	                    "INSERT INTO event (at, kind, mailbox_id, enrollment_id, message_id, "
	                    "detail, campaign_id) VALUES ",
	                    sizeof insert_rows_text);
	for (int row = 0; row < ROWS_AT_ONCE; row++) {
		int at = row * EVENT_VALUES;
		n += (gsize)g_snprintf(
		        insert_rows_text + n, sizeof insert_rows_text - n,
		        "%s(?%d, ?%d, nullif(?%d, 0), nullif(?%d, 0), nullif(?%d, 0), "
		        "?%d, nullif(?%d, 0))",
		        row > 0 ? ", " : "", at + 1, at + 2, at + 3, at + 4, at + 5, at + 6,
		        at + 7);
	}
	g_assert(n < sizeof insert_rows_text);
}

static const char *
insert_rows_sql(void)
{
	static pthread_once_t made = PTHREAD_ONCE_INIT;
	pthread_once(&made, make_insert_rows);
	return insert_rows_text;
}

/* Inserts ROWS_AT_ONCE of @events, announcing none. */
static bool
insert_rows(StoreSql *db, const StoreEventInput *events, GError **error)
{
	StoreSqlStatement *insert = store_sql_statement(db, insert_rows_sql(), error);
	if (insert == NULL)
		return false;
	for (int row = 0; row < ROWS_AT_ONCE; row++)
		bind_event(insert, row * EVENT_VALUES + 1, &events[row]);
	bool ok = store_sql_step_done(db, insert, "events", error);
	store_sql_reset(insert);
	return ok;
}

bool
store_sql_event_add_all(void *impl, const StoreEventInput *events, gsize n, GError **error)
{
	StoreSql *db = impl;
	/* In a caller's transaction, that transaction is the unit (its caller
	 * rolls it back on an error): a savepoint around a batch would have
	 * SQLite keep a copy of every page the batch touches. */
	StoreSqlUnit unit = {.name = "event_add_all"};
	bool own = !db->driver->in_transaction(db);
	if (own && !store_sql_unit_begin(db, &unit, unit.name, error))
		return false;
	/* Read in the same transaction: a subscription made after it sees
	 * none of these events, as with one event at a time. */
	int64_t subscriptions = 0;
	bool ok = store_sql_number_query(
	        db, "SELECT count(*) FROM (SELECT 1 FROM webhook WHERE id > ?1 LIMIT 1) w", 0,
	        "webhook subscriptions", &subscriptions, error);
	gsize i = 0;
	if (subscriptions == 0)
		for (; ok && i + ROWS_AT_ONCE <= n; i += ROWS_AT_ONCE)
			ok = insert_rows(db, &events[i], error);
	for (; ok && i < n; i++)
		ok = insert_event(db, &events[i], subscriptions > 0, error);
	ok = ok && count_all_tracked(db, events, n, error);
	return own ? store_sql_unit_end(db, &unit, ok, error) : ok;
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
