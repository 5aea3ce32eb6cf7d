/* The SQLite back end: mail that came in. */
#include "store/store_sqlite_private.h"

bool
store_sqlite_inbound_add(void *impl, const StoreInboundInput *in, bool *added, GError **error)
{
	Sqlite *sqlite = impl;
	if (!STORE_SQLITE_RUN(sqlite,
	                      "INSERT INTO inbound (mailbox_id, message_id, enrollment_id, class, "
	                      "from_address, subject, reply_text, received_at, intent, "
	                      "intent_date, referral, needs_review, return_date, bounce_status, "
	                      "bounce_reason, bounce_hard) VALUES (?1, ?2, nullif(?3, 0), "
	                      "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
	                      "ON CONFLICT (mailbox_id, message_id) DO NOTHING",
	                      "inbound", error, STORE_SQLITE_NUMBER(in->mailbox_id),
	                      STORE_SQLITE_TEXT(in->message_id),
	                      STORE_SQLITE_NUMBER(in->enrollment_id), STORE_SQLITE_TEXT(in->klass),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->from_address)),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->subject)),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->reply_text)),
	                      STORE_SQLITE_NUMBER(in->received_at),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->intent)),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->intent_date)),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->referral)),
	                      STORE_SQLITE_NUMBER(in->needs_review ? 1 : 0),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->return_date)),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->bounce_status)),
	                      STORE_SQLITE_TEXT(store_sqlite_or_empty(in->bounce_reason)),
	                      STORE_SQLITE_NUMBER(in->bounce_hard ? 1 : 0)))
		return false;
	*added = sqlite3_changes(sqlite->db) > 0;
	return true;
}

/* What every reading of replies selects, in this order. */
#define REPLY_SELECT                                                                               \
	"SELECT coalesce(c.name, '-'), coalesce(p.email, '-'), i.from_address, i.class, "          \
	"i.subject, i.reply_text, i.received_at, i.intent, i.intent_date, i.referral, "            \
	"i.needs_review, i.id, coalesce(i.enrollment_id, 0) FROM inbound i "                       \
	"LEFT JOIN enrollment e ON e.id = i.enrollment_id "                                        \
	"LEFT JOIN prospect p ON p.id = e.prospect_id "                                            \
	"LEFT JOIN campaign c ON c.id = e.campaign_id "

static StoreReply *
reply_of(sqlite3_stmt *stmt)
{
	StoreReply *r = g_new0(StoreReply, 1);
	r->campaign = store_sqlite_column_dup(stmt, 0);
	r->email = store_sqlite_column_dup(stmt, 1);
	r->from_address = store_sqlite_column_dup(stmt, 2);
	r->klass = store_sqlite_column_dup(stmt, 3);
	r->subject = store_sqlite_column_dup(stmt, 4);
	r->reply_text = store_sqlite_column_dup(stmt, 5);
	r->received_at = sqlite3_column_int64(stmt, 6);
	r->intent = store_sqlite_column_dup(stmt, 7);
	r->intent_date = store_sqlite_column_dup(stmt, 8);
	r->referral = store_sqlite_column_dup(stmt, 9);
	r->needs_review = sqlite3_column_int64(stmt, 10) != 0;
	r->id = sqlite3_column_int64(stmt, 11);
	r->enrollment_id = sqlite3_column_int64(stmt, 12);
	return r;
}

/* Every row of @stmt (its parameters bound) as StoreReply. */
static GPtrArray *
replies_of(Sqlite *sqlite, sqlite3_stmt *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_reply_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(list, reply_of(stmt));
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "replies", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sqlite_inbound_list_replies(void *impl, int64_t campaign_id, const char *intent,
                                  GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        REPLY_SELECT
	        "WHERE ((?1 = 0 AND (e.id IS NOT NULL OR i.class = 'unmatched_bounce')) "
	        "OR e.campaign_id = ?1) AND i.class != 'bounce' AND (?2 IS NULL OR i.intent = ?2) "
	        "ORDER BY i.received_at DESC, i.id DESC",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	if (intent != NULL)
		sqlite3_bind_text(stmt, 2, intent, -1, SQLITE_TRANSIENT);
	return replies_of(sqlite, stmt, error);
}

StoreReply *
store_sqlite_inbound_get(void *impl, int64_t id, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, REPLY_SELECT "WHERE i.id = ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	g_autoptr(GPtrArray) found = replies_of(sqlite, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

GPtrArray *
store_sqlite_inbound_list_for_enrollment(void *impl, int64_t enrollment_id, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite, REPLY_SELECT "WHERE i.enrollment_id = ?1 ORDER BY i.received_at, i.id",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, enrollment_id);
	return replies_of(sqlite, stmt, error);
}

bool
store_sqlite_inbound_set_intent(void *impl, int64_t id, const char *intent, bool *found,
                                GError **error)
{
	Sqlite *sqlite = impl;
	if (!STORE_SQLITE_RUN(sqlite,
	                      "UPDATE inbound SET intent = ?2, needs_review = 0 WHERE id = ?1",
	                      "reply", error, STORE_SQLITE_NUMBER(id), STORE_SQLITE_TEXT(intent)))
		return false;
	*found = sqlite3_changes(sqlite->db) > 0;
	return true;
}

GPtrArray *
store_sqlite_inbound_count_intents(void *impl, int64_t campaign_id, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "SELECT i.intent, count(*) FROM inbound i JOIN enrollment e ON e.id = "
	        "i.enrollment_id WHERE e.campaign_id = ?1 AND i.intent != '' "
	        "GROUP BY i.intent ORDER BY count(*) DESC, i.intent",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_count_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StoreCount *count = g_new0(StoreCount, 1);
		count->name = store_sqlite_column_dup(stmt, 0);
		count->n = (guint64)sqlite3_column_int64(stmt, 1);
		g_ptr_array_add(list, count);
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "replies by intent", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}
