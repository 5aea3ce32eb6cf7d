/* The SQLite back end: enrollments, and the due lists the engine works from. */
#include "store/store_sqlite_private.h"

#include <string.h>

bool
store_sqlite_enrollment_add(void *impl, int64_t campaign_id, const char *email,
                            bool allow_other_campaigns, StoreEnrollResult *result, GError **error)
{
	Sqlite *sqlite = impl;
	const char *at = strchr(email, '@');
	sqlite3_stmt *find = store_sqlite_statement(
	        sqlite,
	        "SELECT p.id, p.status, "
	        "EXISTS (SELECT 1 FROM blacklist b WHERE b.entry = ?1 OR b.entry = ?2), "
	        "EXISTS (SELECT 1 FROM enrollment e WHERE e.prospect_id = p.id "
	        "  AND e.campaign_id = ?3), "
	        "EXISTS (SELECT 1 FROM enrollment e WHERE e.prospect_id = p.id "
	        "  AND e.campaign_id != ?3 AND e.state IN ('queued', 'active', 'paused')) "
	        "FROM prospect p WHERE p.email = ?1",
	        error);
	if (find == NULL)
		return false;
	sqlite3_bind_text(find, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(find, 2, at != NULL ? at : email, -1, SQLITE_STATIC);
	sqlite3_bind_int64(find, 3, campaign_id);
	int rc = sqlite3_step(find);
	if (rc == SQLITE_DONE) {
		*result = STORE_ENROLL_NO_PROSPECT;
		return true;
	}
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, rc, "enroll", error);
		return false;
	}
	int64_t prospect_id = sqlite3_column_int64(find, 0);
	bool contactable = g_strcmp0((const char *)sqlite3_column_text(find, 1), "ok") == 0 &&
	                   sqlite3_column_int(find, 2) == 0;
	bool already = sqlite3_column_int(find, 3) != 0;
	bool elsewhere = sqlite3_column_int(find, 4) != 0;
	sqlite3_reset(find);
	if (already) {
		*result = STORE_ENROLL_ALREADY;
		return true;
	}
	if (!contactable) {
		*result = STORE_ENROLL_NOT_CONTACTABLE;
		return true;
	}
	if (elsewhere && !allow_other_campaigns) {
		*result = STORE_ENROLL_IN_OTHER_CAMPAIGN;
		return true;
	}
	sqlite3_stmt *insert = store_sqlite_statement(
	        sqlite,
	        "INSERT INTO enrollment (campaign_id, prospect_id, state, next_step, next_due_at, "
	        "created_at) VALUES (?1, ?2, 'queued', 1, 0, ?3)",
	        error);
	if (insert == NULL)
		return false;
	sqlite3_bind_int64(insert, 1, campaign_id);
	sqlite3_bind_int64(insert, 2, prospect_id);
	sqlite3_bind_int64(insert, 3, store_sqlite_now_us(impl));
	if (!store_sqlite_step_done(sqlite, insert, "enroll", error))
		return false;
	*result = STORE_ENROLL_ADDED;
	return true;
}

static StoreEnrollment *
enrollment_from_row(sqlite3_stmt *row)
{
	StoreEnrollment *enrollment = g_new0(StoreEnrollment, 1);
	enrollment->id = sqlite3_column_int64(row, 0);
	enrollment->campaign_id = sqlite3_column_int64(row, 1);
	enrollment->prospect_id = sqlite3_column_int64(row, 2);
	enrollment->mailbox_id = sqlite3_column_int64(row, 3);
	enrollment->email = store_sqlite_column_dup(row, 4);
	enrollment->state = store_sqlite_column_dup(row, 5);
	enrollment->next_step = sqlite3_column_int(row, 6);
	enrollment->next_due_at = sqlite3_column_int64(row, 7);
	enrollment->last_sent_at = sqlite3_column_int64(row, 8);
	enrollment->reason = store_sqlite_column_dup(row, 9);
	enrollment->revision = sqlite3_column_int64(row, 10);
	enrollment->retries = sqlite3_column_int(row, 11);
	enrollment->soft_bounces = sqlite3_column_int(row, 12);
	return enrollment;
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
		g_ptr_array_add(list, enrollment_from_row(stmt));
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "enrollments", error);
		return NULL;
	}
	return g_steal_pointer(&list);
}

GPtrArray *
store_sqlite_enrollment_list(void *impl, int64_t campaign_id, guint limit, GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE e.campaign_id = ?1 ORDER BY e.id LIMIT ?2",
	                   "al", campaign_id, 0, NULL, limit, error);
}

StoreEnrollment *
store_sqlite_enrollment_get(void *impl, int64_t campaign_id, const char *email, GError **error)
{
	g_autoptr(GPtrArray) found = enrollments(
	        impl, STORE_SQLITE_ENROLLMENT_SELECT "WHERE e.campaign_id = ?1 AND p.email = ?2",
	        "at", campaign_id, 0, email, 0, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

GPtrArray *
store_sqlite_enrollment_list_due(void *impl, int64_t mailbox_id, int64_t now_us, guint limit,
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
store_sqlite_enrollment_list_queued(void *impl, int64_t campaign_id, int64_t now_us, guint limit,
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
store_sqlite_enrollment_list_waiting(void *impl, int64_t mailbox_id, GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE e.mailbox_id = ?1 "
	                   "AND e.state IN ('paused', 'uncertain') "
	                   "ORDER BY e.state, e.next_due_at, e.id LIMIT ?3",
	                   "abl", mailbox_id, 0, NULL, 1000, error);
}

StoreEnrollment *
store_sqlite_enrollment_get_by_id(void *impl, int64_t id, GError **error)
{
	g_autoptr(GPtrArray) found = enrollments(
	        impl, STORE_SQLITE_ENROLLMENT_SELECT "WHERE e.id = ?1", "a", id, 0, NULL, 0, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

bool
store_sqlite_enrollment_update(void *impl, StoreEnrollment *e, GError **error)
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
store_sqlite_enrollment_list_open_by_email(void *impl, const char *email, GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE p.email = ?1 "
	                   "AND e.state IN ('queued', 'active', 'paused') "
	                   "ORDER BY e.id",
	                   "t", 0, 0, email, 0, error);
}

GPtrArray *
store_sqlite_enrollment_list_open_by_domain(void *impl, int64_t campaign_id, const char *domain,
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
store_sqlite_enrollment_list_for_prospect(void *impl, const char *email, GError **error)
{
	return enrollments(impl, STORE_SQLITE_ENROLLMENT_SELECT "WHERE p.email = ?1 ORDER BY e.id",
	                   "t", 0, 0, email, 0, error);
}

GPtrArray *
store_sqlite_enrollment_list_resumable(void *impl, int64_t now_us, GError **error)
{
	return enrollments(impl,
	                   STORE_SQLITE_ENROLLMENT_SELECT
	                   "WHERE e.state = 'paused' AND e.next_due_at > 0 "
	                   "AND e.next_due_at <= ?1 ORDER BY e.id",
	                   "a", now_us, 0, NULL, 0, error);
}
