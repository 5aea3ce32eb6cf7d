/* The SQLite back end: what the engine reads and writes while it runs. */
#include "store/store_sqlite_engine.h"

#include "store/store_sqlite_campaign.h"

#include <string.h>

/* One value to bind: a number, or a text (NULL binds NULL). */
typedef struct {
	bool is_text;
	int64_t number;
	const char *text;
} Bind;

#define NUMBER(value) ((Bind){.number = (value)})
#define TEXT(value)   ((Bind){.is_text = true, .text = (value)})

/* Binds @binds in order, runs the statement once: keeps the many one-line
 * writes below one line each. */
static bool
run(Sqlite *sqlite, const char *sql, const char *what, GError **error, const Bind *binds,
    gsize n_binds)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, sql, error);
	if (stmt == NULL)
		return false;
	for (gsize i = 0; i < n_binds; i++) {
		if (!binds[i].is_text)
			sqlite3_bind_int64(stmt, (int)i + 1, binds[i].number);
		else if (binds[i].text != NULL)
			sqlite3_bind_text(stmt, (int)i + 1, binds[i].text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(stmt, (int)i + 1);
	}
	return store_sqlite_step_done(sqlite, stmt, what, error);
}

#define RUN(sqlite, sql, what, error, ...)                                                         \
	run(sqlite, sql, what, error, (const Bind[]){__VA_ARGS__},                                 \
	    sizeof((const Bind[]){__VA_ARGS__}) / sizeof(Bind))

static bool
count(Sqlite *sqlite, const char *sql, int64_t a, int64_t b, guint *result, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, sql, error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, sqlite3_errcode(sqlite->db), "count", error);
		return false;
	}
	*result = (guint)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return true;
}

bool
store_sqlite_engine_set_next_send(void *impl, int64_t mailbox_id, int64_t at_us, GError **error)
{
	return RUN(impl, "UPDATE mailbox SET next_send_at = ?2 WHERE id = ?1", "mailbox pacing",
	           error, NUMBER(mailbox_id), NUMBER(at_us));
}

bool
store_sqlite_engine_set_paused(void *impl, int64_t mailbox_id, const char *kind, const char *reason,
                               int64_t until_us, GError **error)
{
	return RUN(impl,
	           "UPDATE mailbox SET paused_reason = ?2, paused_until = ?3, paused_kind = ?4 "
	           "WHERE id = ?1",
	           "mailbox pause", error, NUMBER(mailbox_id), TEXT(reason),
	           NUMBER(reason != NULL ? until_us : 0), TEXT(reason != NULL ? kind : ""));
}

bool
store_sqlite_engine_get_cursor(void *impl, int64_t mailbox_id, const char *folder,
                               uint32_t *uid_validity, uint32_t *last_uid, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt =
	        store_sqlite_statement(sqlite,
	                               "SELECT uid_validity, last_uid FROM mailbox_cursor "
	                               "WHERE mailbox_id = ?1 AND folder = ?2",
	                               error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, mailbox_id);
	sqlite3_bind_text(stmt, 2, folder, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	*uid_validity = rc == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(stmt, 0) : 0;
	*last_uid = rc == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(stmt, 1) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "mailbox cursor", error);
		return false;
	}
	return true;
}

bool
store_sqlite_engine_set_cursor(void *impl, int64_t mailbox_id, const char *folder,
                               uint32_t uid_validity, uint32_t last_uid, GError **error)
{
	return RUN(impl,
	           "INSERT INTO mailbox_cursor (mailbox_id, folder, uid_validity, last_uid) "
	           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (mailbox_id, folder) DO UPDATE SET "
	           "uid_validity = excluded.uid_validity, last_uid = excluded.last_uid",
	           "mailbox cursor", error, NUMBER(mailbox_id), TEXT(folder),
	           NUMBER((int64_t)uid_validity), NUMBER((int64_t)last_uid));
}

bool
store_sqlite_engine_count_sent(void *impl, int64_t mailbox_id, int64_t since_us, guint *result,
                               GError **error)
{
	return count(impl,
	             "SELECT count(*) FROM message WHERE mailbox_id = ?1 AND created_at >= ?2 "
	             "AND state IN ('sending', 'sent', 'uncertain')",
	             mailbox_id, since_us, result, error);
}

bool
store_sqlite_engine_count_openings(void *impl, int64_t campaign_id, int64_t since_us, guint *result,
                                   GError **error)
{
	return count(impl,
	             "SELECT count(*) FROM message m JOIN enrollment e ON e.id = m.enrollment_id "
	             "WHERE e.campaign_id = ?1 AND m.step = 1 AND m.created_at >= ?2 "
	             "AND m.state IN ('sending', 'sent', 'uncertain')",
	             campaign_id, since_us, result, error);
}

/* A step begun (its message recorded, perhaps in flight in another worker)
 * is never handed out again: one UNIQUE(enrollment, step) index probe. */
#define NOT_BEGUN                                                                                  \
	"AND NOT EXISTS (SELECT 1 FROM message m "                                                 \
	"WHERE m.enrollment_id = e.id AND m.step = e.next_step) "

/* Runs an enrollment query. @binds names each parameter in order: 'a' and
 * 'b' the two numbers, 't' the text, 'l' the limit (0: none). */
static GPtrArray *
enrollments(Sqlite *sqlite, const char *sql, const char *binds, int64_t a, int64_t b,
            const char *text, guint limit, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, sql, error);
	if (stmt == NULL)
		return NULL;
	for (int i = 0; binds[i] != '\0'; i++) {
		switch (binds[i]) {
		case 'a':
			sqlite3_bind_int64(stmt, i + 1, a);
			break;
		case 'b':
			sqlite3_bind_int64(stmt, i + 1, b);
			break;
		case 't':
			sqlite3_bind_text(stmt, i + 1, text, -1, SQLITE_STATIC);
			break;
		default:
			sqlite3_bind_int64(stmt, i + 1, limit > 0 ? (sqlite3_int64)limit : -1);
			break;
		}
	}
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_enrollment_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(list, store_sqlite_campaign_enrollment_from_row(stmt));
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "enrollments", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sqlite_engine_list_due(void *impl, int64_t mailbox_id, int64_t now_us, guint limit,
                             GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "JOIN campaign c ON c.id = e.campaign_id "
	                   "WHERE e.mailbox_id = ?1 AND e.state = 'active' "
	                   "AND e.next_due_at <= ?2 AND c.state = 'running' " NOT_BEGUN
	                   "ORDER BY e.next_due_at, e.id LIMIT ?3",
	                   "abl", mailbox_id, now_us, NULL, limit, error);
}

GPtrArray *
store_sqlite_engine_list_queued(void *impl, int64_t campaign_id, int64_t now_us, guint limit,
                                GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE e.campaign_id = ?1 AND e.state = 'queued' "
	                   "AND e.next_due_at <= ?2 " NOT_BEGUN
	                   "ORDER BY e.next_due_at, e.id LIMIT ?3",
	                   "abl", campaign_id, now_us, NULL, limit, error);
}

GPtrArray *
store_sqlite_engine_list_waiting(void *impl, int64_t mailbox_id, GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE e.mailbox_id = ?1 "
	                   "AND e.state IN ('paused', 'uncertain') "
	                   "ORDER BY e.state, e.next_due_at, e.id LIMIT ?3",
	                   "abl", mailbox_id, 0, NULL, 1000, error);
}

/* Runs @sql, whose one parameter is @value, for one nullable time; 0 when
 * NULL. */
static bool
time_query(Sqlite *sqlite, const char *sql, int64_t value, const char *what, int64_t *at_us,
           GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, sql, error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, value);
	int rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, rc, what, error);
		return false;
	}
	*at_us = sqlite3_column_type(stmt, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return true;
}

bool
store_sqlite_engine_next_wake(void *impl, int64_t after_us, int64_t *at_us, GError **error)
{
	/* One index range (state, next_due_at) per state; a wake for an
	 * enrollment of a campaign that is not running costs one empty pass. */
	return time_query(
	        impl,
	        "SELECT min(t) FROM ("
	        "SELECT min(next_due_at) AS t FROM enrollment "
	        "  WHERE state = 'active' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_due_at) FROM enrollment "
	        "  WHERE state = 'queued' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_due_at) FROM enrollment "
	        "  WHERE state = 'paused' AND next_due_at > ?1 "
	        "UNION ALL SELECT min(next_send_at) FROM mailbox WHERE next_send_at > ?1 "
	        "UNION ALL SELECT min(paused_until) FROM mailbox WHERE paused_until > ?1)",
	        after_us, "next wake", at_us, error);
}

StoreEnrollment *
store_sqlite_engine_get_enrollment(void *impl, int64_t id, GError **error)
{
	g_autoptr(GPtrArray) found = enrollments(
	        impl, STORE_SQLITE_ENROLLMENT_SELECT "WHERE e.id = ?1", "a", id, 0, NULL, 0, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

bool
store_sqlite_engine_update_enrollment(void *impl, StoreEnrollment *e, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "UPDATE enrollment SET state = ?2, next_step = ?3, next_due_at = ?4, "
	        "last_sent_at = ?5, mailbox_id = nullif(?6, 0), reason = ?7, retries = ?9, "
	        "soft_bounces = ?10, revision = revision + 1 WHERE id = ?1 AND revision = ?8",
	        error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, e->id);
	sqlite3_bind_text(stmt, 2, e->state, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, e->next_step);
	sqlite3_bind_int64(stmt, 4, e->next_due_at);
	sqlite3_bind_int64(stmt, 5, e->last_sent_at);
	sqlite3_bind_int64(stmt, 6, e->mailbox_id);
	if (e->reason != NULL)
		sqlite3_bind_text(stmt, 7, e->reason, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 7);
	sqlite3_bind_int64(stmt, 8, e->revision);
	sqlite3_bind_int(stmt, 9, e->retries);
	sqlite3_bind_int(stmt, 10, e->soft_bounces);
	if (!store_sqlite_step_done(sqlite, stmt, "enrollment update", error))
		return false;
	if (sqlite3_changes(sqlite->db) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_CONFLICT,
		            "enrollment %" G_GINT64_FORMAT
		            " changed meanwhile (or is gone); read it again",
		            e->id);
		return false;
	}
	e->revision++;
	return true;
}

GPtrArray *
store_sqlite_engine_list_open_by_email(void *impl, const char *email, GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE p.email = ?1 "
	                   "AND e.state IN ('queued', 'active', 'paused') "
	                   "ORDER BY e.id",
	                   "t", 0, 0, email, 0, error);
}

GPtrArray *
store_sqlite_engine_list_open_by_domain(void *impl, int64_t campaign_id, const char *domain,
                                        GError **error)
{
	/* The domain is matched on the stored, normalised address's end; the
	 * pattern is built from a parameter, never from text in the SQL. */
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE e.campaign_id = ?1 AND substr(p.email, -length(?2)) = ?2 "
	                   "AND e.state IN ('queued', 'active', 'paused') ORDER BY e.id",
	                   "at", campaign_id, 0, domain, 0, error);
}

GPtrArray *
store_sqlite_engine_list_for_prospect(void *impl, const char *email, GError **error)
{
	return enrollments(impl, STORE_SQLITE_ENROLLMENT_SELECT "WHERE p.email = ?1 ORDER BY e.id",
	                   "t", 0, 0, email, 0, error);
}

GPtrArray *
store_sqlite_engine_list_resumable(void *impl, int64_t now_us, GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE e.state = 'paused' AND e.next_due_at > 0 "
	                   "AND e.next_due_at <= ?1 ORDER BY e.id",
	                   "a", now_us, 0, NULL, 0, error);
}

#define MESSAGE_COLUMNS                                                                            \
	"SELECT id, enrollment_id, coalesce(mailbox_id, 0), step, message_id, state, subject, "    \
	"smtp_reply, created_at, coalesce(sent_at, 0) FROM message "

static GPtrArray *
messages(Sqlite *sqlite, const char *sql, int64_t number, const char *text, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(sqlite, sql, error);
	if (stmt == NULL)
		return NULL;
	if (text != NULL)
		sqlite3_bind_text(stmt, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, number);
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_message_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StoreMessage *m = g_new0(StoreMessage, 1);
		m->id = sqlite3_column_int64(stmt, 0);
		m->enrollment_id = sqlite3_column_int64(stmt, 1);
		m->mailbox_id = sqlite3_column_int64(stmt, 2);
		m->step = sqlite3_column_int(stmt, 3);
		m->message_id = store_sqlite_column_dup(stmt, 4);
		m->state = store_sqlite_column_dup(stmt, 5);
		m->subject = store_sqlite_column_dup(stmt, 6);
		m->smtp_reply = store_sqlite_column_dup(stmt, 7);
		m->created_at = sqlite3_column_int64(stmt, 8);
		m->sent_at = sqlite3_column_int64(stmt, 9);
		g_ptr_array_add(list, m);
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "messages", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

bool
store_sqlite_engine_message_begin(void *impl, int64_t enrollment_id, int step, int64_t mailbox_id,
                                  const char *message_id, const char *subject, int64_t at_us,
                                  int64_t *id, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "INSERT INTO message (enrollment_id, step, mailbox_id, message_id, state, subject, "
	        "created_at) VALUES (?1, ?2, ?3, ?4, 'sending', ?5, ?6)",
	        error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, enrollment_id);
	sqlite3_bind_int(stmt, 2, step);
	sqlite3_bind_int64(stmt, 3, mailbox_id);
	sqlite3_bind_text(stmt, 4, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, at_us);
	int rc = sqlite3_step(stmt);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID,
		            "step %d of enrollment %" G_GINT64_FORMAT " was begun already: "
		            "it is never sent twice",
		            step, enrollment_id);
		return false;
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "message begin", error);
		return false;
	}
	*id = sqlite3_last_insert_rowid(sqlite->db);
	return true;
}

bool
store_sqlite_engine_message_finish(void *impl, int64_t id, const char *state,
                                   const char *smtp_reply, int64_t sent_at_us, GError **error)
{
	return RUN(impl,
	           "UPDATE message SET state = ?2, smtp_reply = ?3, sent_at = nullif(?4, 0) "
	           "WHERE id = ?1",
	           "message finish", error, NUMBER(id), TEXT(state), TEXT(smtp_reply),
	           NUMBER(sent_at_us));
}

bool
store_sqlite_engine_message_discard(void *impl, int64_t id, GError **error)
{
	return RUN(impl, "DELETE FROM message WHERE id = ?1 AND state = 'sending'",
	           "message discard", error, NUMBER(id));
}

GPtrArray *
store_sqlite_engine_messages_of(void *impl, int64_t enrollment_id, GError **error)
{
	return messages(impl, MESSAGE_COLUMNS "WHERE enrollment_id = ?1 ORDER BY step",
	                enrollment_id, NULL, error);
}

GPtrArray *
store_sqlite_engine_messages_sending(void *impl, int64_t mailbox_id, GError **error)
{
	return messages(impl,
	                MESSAGE_COLUMNS "WHERE state = 'sending' AND (?1 = 0 OR mailbox_id = ?1) "
	                                "ORDER BY id",
	                mailbox_id, NULL, error);
}

StoreMessage *
store_sqlite_engine_message_find(void *impl, const char *message_id, GError **error)
{
	g_autoptr(GPtrArray) found =
	        messages(impl, MESSAGE_COLUMNS "WHERE message_id = ?1", 0, message_id, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

bool
store_sqlite_engine_event_add(void *impl, const StoreEventInput *event, GError **error)
{
	return RUN(impl,
	           "INSERT INTO event (at, kind, mailbox_id, enrollment_id, message_id, detail) "
	           "VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), nullif(?5, 0), ?6)",
	           "event", error, NUMBER(event->at_us), TEXT(event->kind),
	           NUMBER(event->mailbox_id), NUMBER(event->enrollment_id),
	           NUMBER(event->message_id), TEXT(store_sqlite_or_empty(event->detail)));
}

bool
store_sqlite_engine_inbound_add(void *impl, const StoreInboundInput *in, bool *added,
                                GError **error)
{
	Sqlite *sqlite = impl;
	if (!RUN(sqlite,
	         "INSERT INTO inbound (mailbox_id, message_id, enrollment_id, class, from_address, "
	         "subject, reply_text, received_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?7, "
	         "?8) ON CONFLICT (mailbox_id, message_id) DO NOTHING",
	         "inbound", error, NUMBER(in->mailbox_id), TEXT(in->message_id),
	         NUMBER(in->enrollment_id), TEXT(in->klass),
	         TEXT(store_sqlite_or_empty(in->from_address)),
	         TEXT(store_sqlite_or_empty(in->subject)),
	         TEXT(store_sqlite_or_empty(in->reply_text)), NUMBER(in->received_at)))
		return false;
	*added = sqlite3_changes(sqlite->db) > 0;
	return true;
}

GPtrArray *
store_sqlite_engine_replies(void *impl, int64_t campaign_id, GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "SELECT coalesce(c.name, '-'), coalesce(p.email, '-'), i.from_address, i.class, "
	        "i.subject, i.reply_text, i.received_at FROM inbound i "
	        "LEFT JOIN enrollment e ON e.id = i.enrollment_id "
	        "LEFT JOIN prospect p ON p.id = e.prospect_id "
	        "LEFT JOIN campaign c ON c.id = e.campaign_id "
	        "WHERE ((?1 = 0 AND (e.id IS NOT NULL OR i.class = 'unmatched_bounce')) "
	        "OR e.campaign_id = ?1) AND i.class != 'bounce' "
	        "ORDER BY i.received_at DESC, i.id DESC",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	g_autoptr(GPtrArray) list =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_reply_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StoreReply *r = g_new0(StoreReply, 1);
		r->campaign = store_sqlite_column_dup(stmt, 0);
		r->email = store_sqlite_column_dup(stmt, 1);
		r->from_address = store_sqlite_column_dup(stmt, 2);
		r->klass = store_sqlite_column_dup(stmt, 3);
		r->subject = store_sqlite_column_dup(stmt, 4);
		r->reply_text = store_sqlite_column_dup(stmt, 5);
		r->received_at = sqlite3_column_int64(stmt, 6);
		g_ptr_array_add(list, r);
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "replies", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GArray *
store_sqlite_engine_report(void *impl, int64_t campaign_id, GError **error)
{
	Sqlite *sqlite = impl;
	/* Events carry the message they answer (the last one sent before
	 * them), so each counts under that message's step. */
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite,
	        "SELECT s.number, "
	        "(SELECT count(*) FROM message m JOIN enrollment e ON e.id = m.enrollment_id "
	        "  WHERE e.campaign_id = ?1 AND m.step = s.number AND m.state = 'sent'), "
	        "(SELECT count(*) FROM event v JOIN message m ON m.id = v.message_id "
	        "  JOIN enrollment e ON e.id = m.enrollment_id WHERE e.campaign_id = ?1 "
	        "  AND m.step = s.number AND v.kind = 'reply'), "
	        "(SELECT count(*) FROM event v JOIN message m ON m.id = v.message_id "
	        "  JOIN enrollment e ON e.id = m.enrollment_id WHERE e.campaign_id = ?1 "
	        "  AND m.step = s.number AND v.kind = 'auto_reply'), "
	        "(SELECT count(*) FROM event v JOIN message m ON m.id = v.message_id "
	        "  JOIN enrollment e ON e.id = m.enrollment_id WHERE e.campaign_id = ?1 "
	        "  AND m.step = s.number AND v.kind = 'bounce'), "
	        "(SELECT count(*) FROM event v JOIN message m ON m.id = v.message_id "
	        "  JOIN enrollment e ON e.id = m.enrollment_id WHERE e.campaign_id = ?1 "
	        "  AND m.step = s.number AND v.kind = 'opt_out'), "
	        "(SELECT count(*) FROM message m JOIN enrollment e ON e.id = m.enrollment_id "
	        "  WHERE e.campaign_id = ?1 AND m.step = s.number AND m.state = 'uncertain') "
	        "FROM step s WHERE s.campaign_id = ?1 ORDER BY s.number",
	        error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, campaign_id);
	g_autoptr(GArray) report = g_array_new(FALSE, TRUE, sizeof(StoreStepReport));
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		StoreStepReport row = {
		        .step = sqlite3_column_int(stmt, 0),
		        .sent = (guint64)sqlite3_column_int64(stmt, 1),
		        .replied = (guint64)sqlite3_column_int64(stmt, 2),
		        .auto_replied = (guint64)sqlite3_column_int64(stmt, 3),
		        .bounced = (guint64)sqlite3_column_int64(stmt, 4),
		        .opted_out = (guint64)sqlite3_column_int64(stmt, 5),
		        .uncertain = (guint64)sqlite3_column_int64(stmt, 6),
		};
		g_array_append_val(report, row);
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "report", error);
		return NULL;
	}
	return g_steal_pointer(&report);
}

bool
store_sqlite_engine_next_due(void *impl, int64_t mailbox_id, int64_t *at_us, GError **error)
{
	return time_query(impl,
	                  "SELECT min(due) FROM ("
	                  "SELECT min(e.next_due_at) AS due FROM enrollment e "
	                  "JOIN campaign c ON c.id = e.campaign_id "
	                  "WHERE e.mailbox_id = ?1 AND e.state = 'active' AND c.state = 'running' "
	                  "UNION ALL SELECT min(e.next_due_at) FROM campaign_mailbox cm "
	                  "JOIN campaign c ON c.id = cm.campaign_id AND c.state = 'running' "
	                  "JOIN enrollment e ON e.campaign_id = c.id AND e.state = 'queued' "
	                  "WHERE cm.mailbox_id = ?1)",
	                  mailbox_id, "next due", at_us, error);
}
