/* The SQLite back end: mail that came in. */
#include "store/store_sql.h"

bool
store_sql_inbound_add(void *impl, const StoreInboundInput *in, bool *added, GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(db,
	                   "INSERT INTO inbound (mailbox_id, message_id, enrollment_id, class, "
	                   "from_address, subject, reply_text, received_at, intent, "
	                   "intent_date, referral, needs_review, return_date, bounce_status, "
	                   "bounce_reason, bounce_hard) VALUES (?1, ?2, nullif(?3, 0), "
	                   "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
	                   "ON CONFLICT (mailbox_id, message_id) DO NOTHING",
	                   "inbound", error, STORE_SQL_NUMBER(in->mailbox_id),
	                   STORE_SQL_TEXT(in->message_id), STORE_SQL_NUMBER(in->enrollment_id),
	                   STORE_SQL_TEXT(in->klass),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->from_address)),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->subject)),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->reply_text)),
	                   STORE_SQL_NUMBER(in->received_at),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->intent)),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->intent_date)),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->referral)),
	                   STORE_SQL_NUMBER(in->needs_review ? 1 : 0),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->return_date)),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->bounce_status)),
	                   STORE_SQL_TEXT(store_sql_or_empty(in->bounce_reason)),
	                   STORE_SQL_NUMBER(in->bounce_hard ? 1 : 0)))
		return false;
	*added = store_sql_changes(db) > 0;
	return true;
}

/* What every reading of replies selects, in this order. */
#define REPLY_SELECT                                                                               \
	"SELECT coalesce(c.name, '-'), coalesce(p.email, '-'), i.from_address, i.class, "          \
	"i.subject, i.reply_text, i.received_at, i.intent, i.intent_date, i.referral, "            \
	"i.needs_review, i.id, coalesce(i.enrollment_id, 0), coalesce(i.message_id, ''), "         \
	"coalesce(m.address, '') FROM inbound i "                                                  \
	"LEFT JOIN mailbox m ON m.id = i.mailbox_id "                                              \
	"LEFT JOIN enrollment e ON e.id = i.enrollment_id "                                        \
	"LEFT JOIN prospect p ON p.id = e.prospect_id "                                            \
	"LEFT JOIN campaign c ON c.id = e.campaign_id "

static StoreReply *
reply_of(StoreSqlStatement *stmt)
{
	StoreReply *r = g_new0(StoreReply, 1);
	r->campaign = store_sql_column_dup(stmt, 0);
	r->email = store_sql_column_dup(stmt, 1);
	r->from_address = store_sql_column_dup(stmt, 2);
	r->klass = store_sql_column_dup(stmt, 3);
	r->subject = store_sql_column_dup(stmt, 4);
	r->reply_text = store_sql_column_dup(stmt, 5);
	r->received_at = store_sql_column_int64(stmt, 6);
	r->intent = store_sql_column_dup(stmt, 7);
	r->intent_date = store_sql_column_dup(stmt, 8);
	r->referral = store_sql_column_dup(stmt, 9);
	r->needs_review = store_sql_column_int64(stmt, 10) != 0;
	r->id = store_sql_column_int64(stmt, 11);
	r->enrollment_id = store_sql_column_int64(stmt, 12);
	r->message_id = store_sql_column_dup(stmt, 13);
	r->mailbox = store_sql_column_dup(stmt, 14);
	return r;
}

/* Every row of @stmt (its parameters bound) as StoreReply. */
static GPtrArray *
replies_of(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_reply_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW)
		g_ptr_array_add(list, reply_of(stmt));
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "replies", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sql_inbound_list_replies(void *impl, int64_t campaign_id, const char *intent,
                               const char *mailbox, guint limit, guint offset, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        REPLY_SELECT
	        "WHERE ((?1 = 0 AND (e.id IS NOT NULL OR i.class = 'unmatched_bounce')) "
	        "OR e.campaign_id = ?1) AND i.class != 'bounce' AND (CAST(?2 AS TEXT) IS NULL OR "
	        "i.intent = ?2) AND (CAST(?5 AS TEXT) IS NULL OR m.address = ?5) "
	        "ORDER BY i.received_at DESC, i.id DESC LIMIT ?3 OFFSET ?4",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, campaign_id);
	if (intent != NULL)
		store_sql_bind_text(stmt, 2, intent);
	store_sql_bind_int64(stmt, 3, limit > 0 ? (int64_t)limit : STORE_SQL_NO_LIMIT);
	store_sql_bind_int64(stmt, 4, offset);
	if (mailbox != NULL)
		store_sql_bind_text(stmt, 5, mailbox);
	return replies_of(db, stmt, error);
}

StoreReply *
store_sql_inbound_get(void *impl, int64_t id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(db, REPLY_SELECT "WHERE i.id = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, id);
	g_autoptr(GPtrArray) found = replies_of(db, stmt, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

GPtrArray *
store_sql_inbound_list_for_enrollment(void *impl, int64_t enrollment_id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db, REPLY_SELECT "WHERE i.enrollment_id = ?1 ORDER BY i.received_at, i.id", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, enrollment_id);
	return replies_of(db, stmt, error);
}

bool
store_sql_inbound_set_intent(void *impl, int64_t id, const char *intent, bool *found,
                             GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(db, "UPDATE inbound SET intent = ?2, needs_review = 0 WHERE id = ?1",
	                   "reply", error, STORE_SQL_NUMBER(id), STORE_SQL_TEXT(intent)))
		return false;
	*found = store_sql_changes(db) > 0;
	return true;
}

GPtrArray *
store_sql_inbound_count_intents(void *impl, int64_t campaign_id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        /* Kept in report_count (schema 21) as replies come and change. */
	        "SELECT substr(what, 8), n FROM report_count WHERE campaign_id = ?1 "
	        "AND what LIKE 'intent:%' AND step = 0 AND variant = 0 AND day = 0 AND n > 0 "
	        "ORDER BY n DESC, what",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, campaign_id);
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_count_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreCount *count = g_new0(StoreCount, 1);
		count->name = store_sql_column_dup(stmt, 0);
		count->n = (guint64)store_sql_column_int64(stmt, 1);
		g_ptr_array_add(list, count);
	}
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "replies by intent", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

bool
store_sql_inbound_last_intent(void *impl, int64_t enrollment_id, char **intent, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT intent FROM inbound WHERE enrollment_id = ?1 AND intent != '' "
	        "ORDER BY received_at DESC, id DESC LIMIT 1",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, enrollment_id);
	int rc = store_sql_step(stmt);
	*intent = rc == STORE_SQL_ROW ? store_sql_column_dup(stmt, 0) : g_strdup("");
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW && rc != STORE_SQL_DONE) {
		g_clear_pointer(intent, g_free);
		store_sql_set_error(db, rc, "last intent", error);
		return false;
	}
	return true;
}
