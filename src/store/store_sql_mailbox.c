/* The SQLite back end: mailboxes, their pacing and their folders' cursors. */
#include "store/store_sql.h"

#include "base/base_zone.h"

#include <string.h>

/* Binds a mailbox's settings as ?1 (address) to ?16 (signature): the
 * order of both the insert and the update. */
static void
bind_mailbox(StoreSqlStatement *stmt, const StoreMailboxInput *m)
{
	store_sql_bind_text(stmt, 1, m->address);
	store_sql_bind_text(stmt, 2, store_sql_or_empty(m->display_name));
	store_sql_bind_text(stmt, 3, m->smtp_host);
	store_sql_bind_int64(stmt, 4, m->smtp_port);
	store_sql_bind_text(stmt, 5, m->smtp_security);
	store_sql_bind_text(stmt, 6, store_sql_or_empty(m->smtp_user));
	store_sql_bind_text(stmt, 7, m->imap_host);
	store_sql_bind_int64(stmt, 8, m->imap_port);
	store_sql_bind_text(stmt, 9, m->imap_security);
	store_sql_bind_text(stmt, 10, store_sql_or_empty(m->imap_user));
	store_sql_bind_text(stmt, 11, m->secret_source);
	if (m->secret_sealed != NULL)
		store_sql_bind_blob(stmt, 12, g_bytes_get_data(m->secret_sealed, NULL),
		                    (int)g_bytes_get_size(m->secret_sealed));
	else
		store_sql_bind_null(stmt, 12);
	store_sql_bind_int64(stmt, 13, m->daily_cap);
	store_sql_bind_int64(stmt, 14, m->interval_min_s);
	store_sql_bind_int64(stmt, 15, m->interval_max_s);
	store_sql_bind_text(stmt, 16, store_sql_or_empty(m->signature));
	store_sql_bind_int64(stmt, 18, m->ramp_start);
	store_sql_bind_int64(stmt, 19, m->ramp_step);
	store_sql_bind_int64(stmt, 20, m->freeze_from);
	store_sql_bind_int64(stmt, 21, m->freeze_until);
	store_sql_bind_text(stmt, 22, m->timezone != NULL ? m->timezone : "UTC");
}

bool
store_sql_mailbox_add(void *impl, const StoreMailboxInput *m, int64_t *id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "INSERT INTO mailbox (address, display_name, smtp_host, smtp_port, smtp_security, "
	        "smtp_user, imap_host, imap_port, imap_security, imap_user, secret_source, "
	        "secret_sealed, daily_cap, interval_min_s, interval_max_s, signature, created_at, "
	        "ramp_start, ramp_step, freeze_from, freeze_until, timezone) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
	        "?17, ?18, ?19, ?20, ?21, ?22) RETURNING id",
	        error);
	if (stmt == NULL)
		return false;
	bind_mailbox(stmt, m);
	store_sql_bind_int64(stmt, 17, store_sql_now_us(impl));
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "mailbox %s exists already",
		            m->address);
		return false;
	}
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "mailbox add", error);
		return false;
	}
	if (id != NULL)
		*id = store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	return true;
}

#define MAILBOX_COLUMNS                                                                            \
	"id, address, display_name, smtp_host, smtp_port, smtp_security, smtp_user, imap_host, "   \
	"imap_port, imap_security, imap_user, secret_source, secret_sealed, daily_cap, "           \
	"interval_min_s, interval_max_s, signature, paused_reason, paused_until, next_send_at, "   \
	"paused_kind, guard, guard_since, ramp_start, ramp_step, freeze_from, freeze_until, "      \
	"timezone, sent_check_since"

static StoreMailbox *
mailbox_from_row(StoreSqlStatement *row)
{
	StoreMailbox *m = g_new0(StoreMailbox, 1);
	m->id = store_sql_column_int64(row, 0);
	m->address = store_sql_column_dup(row, 1);
	m->display_name = store_sql_column_dup(row, 2);
	m->smtp_host = store_sql_column_dup(row, 3);
	m->smtp_port = (uint16_t)store_sql_column_int(row, 4);
	m->smtp_security = store_sql_column_dup(row, 5);
	m->smtp_user = store_sql_column_dup(row, 6);
	m->imap_host = store_sql_column_dup(row, 7);
	m->imap_port = (uint16_t)store_sql_column_int(row, 8);
	m->imap_security = store_sql_column_dup(row, 9);
	m->imap_user = store_sql_column_dup(row, 10);
	m->secret_source = store_sql_column_dup(row, 11);
	if (!store_sql_column_is_null(row, 12))
		m->secret_sealed = g_bytes_new(store_sql_column_blob(row, 12),
		                               (gsize)store_sql_column_bytes(row, 12));
	m->daily_cap = store_sql_column_int(row, 13);
	m->interval_min_s = store_sql_column_int(row, 14);
	m->interval_max_s = store_sql_column_int(row, 15);
	m->signature = store_sql_column_dup(row, 16);
	m->paused_reason = store_sql_column_dup(row, 17);
	m->paused_until = store_sql_column_int64(row, 18);
	m->next_send_at = store_sql_column_int64(row, 19);
	m->paused_kind = store_sql_column_dup(row, 20);
	m->guard = store_sql_column_dup(row, 21);
	m->guard_since = store_sql_column_int64(row, 22);
	m->ramp_start = store_sql_column_int(row, 23);
	m->ramp_step = store_sql_column_int(row, 24);
	m->freeze_from = store_sql_column_int64(row, 25);
	m->freeze_until = store_sql_column_int64(row, 26);
	m->timezone = store_sql_column_dup(row, 27);
	m->sent_check_since = store_sql_column_int64(row, 28);
	return m;
}

StoreMailbox *
store_sql_mailbox_get(void *impl, const char *address, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT " MAILBOX_COLUMNS " FROM mailbox WHERE address = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, address);
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_DONE)
		return NULL;
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(impl, rc, "mailbox get", error);
		return NULL;
	}
	StoreMailbox *mailbox = mailbox_from_row(stmt);
	store_sql_reset(stmt);
	return mailbox;
}

GPtrArray *
store_sql_mailbox_list(void *impl, GError **error)
{
	StoreSqlStatement *stmt = store_sql_statement(
	        impl, "SELECT " MAILBOX_COLUMNS " FROM mailbox ORDER BY address", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) mailboxes =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_mailbox_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW)
		g_ptr_array_add(mailboxes, mailbox_from_row(stmt));
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(impl, rc, "mailbox list", error);
		return NULL;
	}
	return g_steal_pointer(&mailboxes);
}

bool
store_sql_mailbox_remove(void *impl, const char *address, bool *removed, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt =
	        store_sql_statement(db, "DELETE FROM mailbox WHERE address = ?1", error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, address);
	if (!store_sql_step_done(db, stmt, "mailbox remove", error))
		return false;
	*removed = store_sql_changes(db) > 0;
	return true;
}

bool
store_sql_mailbox_update(void *impl, const StoreMailboxInput *m, bool *found, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "UPDATE mailbox SET display_name = ?2, smtp_host = ?3, smtp_port = ?4, "
	        "smtp_security = ?5, smtp_user = ?6, imap_host = ?7, imap_port = ?8, "
	        "imap_security = ?9, imap_user = ?10, secret_source = ?11, secret_sealed = ?12, "
	        "daily_cap = ?13, interval_min_s = ?14, interval_max_s = ?15, signature = ?16, "
	        "ramp_start = ?18, ramp_step = ?19, freeze_from = ?20, freeze_until = ?21, "
	        "timezone = ?22 WHERE address = ?1",
	        error);
	if (stmt == NULL)
		return false;
	bind_mailbox(stmt, m);
	if (!store_sql_step_done(db, stmt, "mailbox update", error))
		return false;
	*found = store_sql_changes(db) > 0;
	return true;
}

bool
store_sql_mailbox_set_next_send(void *impl, int64_t mailbox_id, int64_t at_us, GError **error)
{
	return STORE_SQL_RUN(impl, "UPDATE mailbox SET next_send_at = ?2 WHERE id = ?1",
	                     "mailbox pacing", error, STORE_SQL_NUMBER(mailbox_id),
	                     STORE_SQL_NUMBER(at_us));
}

bool
store_sql_mailbox_set_paused(void *impl, int64_t mailbox_id, const char *kind, const char *reason,
                             int64_t until_us, GError **error)
{
	return STORE_SQL_RUN(
	        impl,
	        "UPDATE mailbox SET paused_reason = ?2, paused_until = ?3, paused_kind = ?4 "
	        "WHERE id = ?1",
	        "mailbox pause", error, STORE_SQL_NUMBER(mailbox_id), STORE_SQL_TEXT(reason),
	        STORE_SQL_NUMBER(reason != NULL ? until_us : 0),
	        STORE_SQL_TEXT(reason != NULL ? kind : ""));
}

bool
store_sql_mailbox_get_cursor(void *impl, int64_t mailbox_id, const char *folder,
                             uint32_t *uid_validity, uint32_t *last_uid, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt =
	        store_sql_statement(db,
	                            "SELECT uid_validity, last_uid FROM mailbox_cursor "
	                            "WHERE mailbox_id = ?1 AND folder = ?2",
	                            error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, mailbox_id);
	store_sql_bind_text(stmt, 2, folder);
	int rc = store_sql_step(stmt);
	*uid_validity = rc == STORE_SQL_ROW ? (uint32_t)store_sql_column_int64(stmt, 0) : 0;
	*last_uid = rc == STORE_SQL_ROW ? (uint32_t)store_sql_column_int64(stmt, 1) : 0;
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW && rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "mailbox cursor", error);
		return false;
	}
	return true;
}

bool
store_sql_mailbox_set_cursor(void *impl, int64_t mailbox_id, const char *folder,
                             uint32_t uid_validity, uint32_t last_uid, GError **error)
{
	return STORE_SQL_RUN(
	        impl,
	        "INSERT INTO mailbox_cursor (mailbox_id, folder, uid_validity, last_uid) "
	        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (mailbox_id, folder) DO UPDATE SET "
	        "uid_validity = excluded.uid_validity, last_uid = excluded.last_uid",
	        "mailbox cursor", error, STORE_SQL_NUMBER(mailbox_id), STORE_SQL_TEXT(folder),
	        STORE_SQL_NUMBER((int64_t)uid_validity), STORE_SQL_NUMBER((int64_t)last_uid));
}

bool
store_sql_mailbox_count_sent(void *impl, int64_t mailbox_id, int64_t since_us, guint *result,
                             GError **error)
{
	return store_sql_count(
	        impl,
	        "SELECT count(*) FROM message WHERE mailbox_id = ?1 AND created_at >= ?2 "
	        "AND state IN ('sending', 'sent', 'uncertain')",
	        mailbox_id, since_us, result, error);
}

bool
store_sql_mailbox_count_complaints(void *impl, int64_t mailbox_id, int64_t since_us, guint *result,
                                   GError **error)
{
	return store_sql_count(impl,
	                       "SELECT count(*) FROM event WHERE mailbox_id = ?1 AND at >= ?2 "
	                       "AND kind = 'complaint'",
	                       mailbox_id, since_us, result, error);
}

bool
store_sql_mailbox_next_due(void *impl, int64_t mailbox_id, int64_t *at_us, GError **error)
{
	return store_sql_number_query(
	        impl,
	        "SELECT min(due) FROM ("
	        "SELECT min(e.next_due_at) AS due FROM enrollment e "
	        "JOIN campaign c ON c.id = e.campaign_id "
	        "WHERE e.mailbox_id = ?1 AND e.state = 'active' AND c.state = 'running' "
	        /* Per running campaign of the mailbox, its first queued one
	         * from the (campaign, state, due) index: a join let SQLite
	         * walk every queued enrollment of every campaign (0.13 s
	         * with a million, on each status). */
	        "UNION ALL SELECT min((SELECT min(e.next_due_at) FROM enrollment e "
	        "WHERE e.campaign_id = c.id AND e.state = 'queued')) FROM campaign_mailbox cm "
	        "JOIN campaign c ON c.id = cm.campaign_id AND c.state = 'running' "
	        "WHERE cm.mailbox_id = ?1) AS due",
	        mailbox_id, "next due", at_us, error);
}

bool
store_sql_mailbox_set_secret(void *impl, const char *address, const char *source, GBytes *sealed,
                             bool *found, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "UPDATE mailbox SET secret_source = ?2, secret_sealed = ?3 WHERE address = ?1",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, address);
	store_sql_bind_text(stmt, 2, source);
	if (sealed != NULL)
		store_sql_bind_blob(stmt, 3, g_bytes_get_data(sealed, NULL),
		                    (int)g_bytes_get_size(sealed));
	else
		store_sql_bind_null(stmt, 3);
	if (!store_sql_step_done(db, stmt, "mailbox secret", error))
		return false;
	*found = store_sql_changes(db) > 0;
	return true;
}

bool
store_sql_mailbox_replace_secret(void *impl, const char *address, const char *source, GBytes *was,
                                 GBytes *sealed, bool *replaced, GError **error)
{
	StoreSql *db = impl;
	*replaced = false;
	StoreSqlStatement *stmt =
	        store_sql_statement(db,
	                            "UPDATE mailbox SET secret_sealed = ?3 WHERE address = ?1 "
	                            "AND secret_source = ?2 AND secret_sealed = ?4",
	                            error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, address);
	store_sql_bind_text(stmt, 2, source);
	store_sql_bind_blob(stmt, 3, g_bytes_get_data(sealed, NULL), (int)g_bytes_get_size(sealed));
	store_sql_bind_blob(stmt, 4, g_bytes_get_data(was, NULL), (int)g_bytes_get_size(was));
	if (!store_sql_step_done(db, stmt, "mailbox secret", error))
		return false;
	*replaced = store_sql_changes(db) > 0;
	return true;
}

static gint
by_int(gconstpointer a, gconstpointer b)
{
	int x = *(const int *)a;
	int y = *(const int *)b;
	return (x > y) - (x < y);
}

bool
store_sql_mailbox_count_sending_days(void *impl, int64_t mailbox_id, int64_t before_us,
                                     const char *zone_name, guint *days, GError **error)
{
	StoreSql *db = impl;
	/* Quarter hours with a message: every zone's midnight falls on one
	 * (offsets are whole quarters), so each is one calendar day there. */
	StoreSqlStatement *stmt =
	        store_sql_statement(db,
	                            "SELECT DISTINCT m.created_at / 900000000 FROM message m "
	                            "WHERE m.mailbox_id = ?1 AND m.created_at < ?2 "
	                            "AND m.state IN ('sent', 'failed', 'uncertain')",
	                            error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, mailbox_id);
	store_sql_bind_int64(stmt, 2, before_us);
	g_autoptr(GTimeZone) zone = zone_name != NULL ? base_zone_new(zone_name, NULL) : NULL;
	if (zone == NULL)
		zone = g_time_zone_new_utc();
	g_autoptr(GArray) seen = g_array_new(FALSE, FALSE, sizeof(int));
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		int64_t quarter = store_sql_column_int64(stmt, 0);
		g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(quarter * 900);
		g_autoptr(GDateTime) local =
		        utc != NULL ? g_date_time_to_timezone(utc, zone) : NULL;
		if (local == NULL)
			continue;
		int day = g_date_time_get_year(local) * 400 + g_date_time_get_day_of_year(local);
		g_array_append_val(seen, day);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "sending days", error);
		return false;
	}
	g_array_sort(seen, by_int);
	*days = 0;
	for (guint i = 0; i < seen->len; i++)
		*days += i == 0 || g_array_index(seen, int, i) != g_array_index(seen, int, i - 1);
	return true;
}

/* @position: where a text is in another (SQLite's instr, PostgreSQL's
 * strpos). */
#define DOMAIN_COUNTS(position)                                                                    \
	"SELECT lower(substr(p.email, " position "(p.email, '@') + 1)) AS domain, "                \
	"sum(CASE WHEN m.created_at >= ?2 THEN 1 ELSE 0 END), "                                    \
	"sum(CASE WHEN m.created_at >= ?3 THEN 1 ELSE 0 END) FROM message m "                      \
	"JOIN enrollment e ON e.id = m.enrollment_id JOIN prospect p ON p.id = e.prospect_id "     \
	"WHERE m.mailbox_id = ?1 AND m.created_at >= CASE WHEN ?2 < ?3 THEN ?2 ELSE ?3 END "       \
	"AND m.state IN ('sending', 'sent', 'uncertain', 'failed') GROUP BY domain"

GHashTable *
store_sql_mailbox_domain_counts(void *impl, int64_t mailbox_id, int64_t day_us, int64_t hour_us,
                                GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db, STORE_SQL_PICK(db, DOMAIN_COUNTS("instr"), DOMAIN_COUNTS("strpos")), error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, mailbox_id);
	store_sql_bind_int64(stmt, 2, day_us);
	store_sql_bind_int64(stmt, 3, hour_us);
	GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		guint *pair = g_new0(guint, 2);
		pair[0] = (guint)store_sql_column_int64(stmt, 1);
		pair[1] = (guint)store_sql_column_int64(stmt, 2);
		g_hash_table_insert(counts, store_sql_column_dup(stmt, 0), pair);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		g_hash_table_unref(counts);
		store_sql_set_error(db, rc, "messages by domain", error);
		return NULL;
	}
	return counts;
}

bool
store_sql_mailbox_set_guard(void *impl, int64_t mailbox_id, const char *guard, GError **error)
{
	return STORE_SQL_RUN(impl,
	                     "UPDATE mailbox SET guard = ?2, guard_since = CASE WHEN ?2 = '' "
	                     "THEN ?3 ELSE guard_since END WHERE id = ?1",
	                     "mailbox guard", error, STORE_SQL_NUMBER(mailbox_id),
	                     STORE_SQL_TEXT(guard), STORE_SQL_NUMBER(store_sql_now_us(impl)));
}

bool
store_sql_mailbox_set_sent_check(void *impl, int64_t mailbox_id, int64_t since_us, GError **error)
{
	return STORE_SQL_RUN(impl, "UPDATE mailbox SET sent_check_since = ?2 WHERE id = ?1",
	                     "mailbox Sent check", error, STORE_SQL_NUMBER(mailbox_id),
	                     STORE_SQL_NUMBER(since_us));
}

bool
store_sql_mailbox_last_message_at(void *impl, int64_t mailbox_id, int64_t *at_us, GError **error)
{
	StoreSql *db = impl;
	*at_us = 0;
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "SELECT coalesce(max(created_at), 0) FROM message WHERE mailbox_id = ?1",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, mailbox_id);
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_ROW)
		*at_us = store_sql_column_int64(stmt, 0);
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "last message", error);
		return false;
	}
	return true;
}

bool
store_sql_mailbox_report(void *impl, int64_t mailbox_id, StoreStepReport *totals, GArray **days,
                         GError **error)
{
	StoreSql *db = impl;
	*days = NULL;
	memset(totals, 0, sizeof *totals);
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT (SELECT count(*) FROM message WHERE mailbox_id = ?1 AND state = 'sent'), "
	        "(SELECT count(*) FROM event WHERE mailbox_id = ?1 AND kind = 'reply'), "
	        "(SELECT count(*) FROM event WHERE mailbox_id = ?1 AND kind = 'auto_reply'), "
	        "(SELECT count(*) FROM event WHERE mailbox_id = ?1 AND kind = 'bounce'), "
	        "(SELECT count(*) FROM event WHERE mailbox_id = ?1 AND kind = 'opt_out'), "
	        "(SELECT count(*) FROM message WHERE mailbox_id = ?1 AND state = 'uncertain')",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, mailbox_id);
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_ROW) {
		totals->sent = (guint64)store_sql_column_int64(stmt, 0);
		totals->replied = (guint64)store_sql_column_int64(stmt, 1);
		totals->auto_replied = (guint64)store_sql_column_int64(stmt, 2);
		totals->bounced = (guint64)store_sql_column_int64(stmt, 3);
		totals->opted_out = (guint64)store_sql_column_int64(stmt, 4);
		totals->uncertain = (guint64)store_sql_column_int64(stmt, 5);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "mailbox report", error);
		return false;
	}
	stmt = store_sql_statement(
	        db,
	        "SELECT day, sum(sent), sum(replied) FROM ("
	        "SELECT sent_at / 86400000000 AS day, 1 AS sent, 0 AS replied FROM message "
	        "WHERE mailbox_id = ?1 AND state = 'sent' AND sent_at IS NOT NULL "
	        "UNION ALL SELECT at / 86400000000, 0, 1 FROM event "
	        "WHERE mailbox_id = ?1 AND kind = 'reply') AS counted GROUP BY day ORDER BY day",
	        error);
	if (stmt == NULL)
		return false;
	store_sql_bind_int64(stmt, 1, mailbox_id);
	*days = store_sql_day_counts(db, stmt, "mailbox days", error);
	return *days != NULL;
}
