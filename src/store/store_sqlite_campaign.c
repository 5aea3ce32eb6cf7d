/* The SQLite back end: campaigns, their steps, mailboxes and report. */
#include "store/store_sqlite_private.h"

/* Multi-statement writes run in a savepoint, so they are whole whether or
 * not the caller has begun a transaction. */
static bool
savepoint(Sqlite *sqlite, GError **error)
{
	return store_sqlite_exec(sqlite, "SAVEPOINT campaign_write", "savepoint", error);
}

static bool
release(Sqlite *sqlite, bool ok, GError **error)
{
	if (!ok) {
		store_sqlite_exec(sqlite, "ROLLBACK TO campaign_write", "rollback", NULL);
		store_sqlite_exec(sqlite, "RELEASE campaign_write", "release", NULL);
		return false;
	}
	return store_sqlite_exec(sqlite, "RELEASE campaign_write", "release", error);
}

static bool
write_steps(Sqlite *sqlite, int64_t campaign_id, const StoreCampaignInput *campaign, GError **error)
{
	sqlite3_stmt *clear =
	        store_sqlite_statement(sqlite, "DELETE FROM step WHERE campaign_id = ?1", error);
	if (clear == NULL)
		return false;
	sqlite3_bind_int64(clear, 1, campaign_id);
	if (!store_sqlite_step_done(sqlite, clear, "campaign steps", error))
		return false;
	for (gsize i = 0; i < campaign->n_steps; i++) {
		const StoreStepInput *step = &campaign->steps[i];
		sqlite3_stmt *insert = store_sqlite_statement(
		        sqlite,
		        "INSERT INTO step (campaign_id, number, subject, body, delay_s) "
		        "VALUES (?1, ?2, ?3, ?4, ?5)",
		        error);
		if (insert == NULL)
			return false;
		sqlite3_bind_int64(insert, 1, campaign_id);
		sqlite3_bind_int(insert, 2, (int)i + 1);
		if (step->subject != NULL)
			sqlite3_bind_text(insert, 3, step->subject, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(insert, 3);
		sqlite3_bind_text(insert, 4, step->body, -1, SQLITE_STATIC);
		sqlite3_bind_int64(insert, 5, step->delay_s);
		if (!store_sqlite_step_done(sqlite, insert, "campaign steps", error))
			return false;
	}
	return true;
}

static bool
write_mailboxes(Sqlite *sqlite, int64_t campaign_id, const StoreCampaignInput *campaign,
                GError **error)
{
	sqlite3_stmt *clear = store_sqlite_statement(
	        sqlite, "DELETE FROM campaign_mailbox WHERE campaign_id = ?1", error);
	if (clear == NULL)
		return false;
	sqlite3_bind_int64(clear, 1, campaign_id);
	if (!store_sqlite_step_done(sqlite, clear, "campaign mailboxes", error))
		return false;
	for (gsize i = 0; i < campaign->n_mailboxes; i++) {
		sqlite3_stmt *insert = store_sqlite_statement(
		        sqlite,
		        "INSERT OR IGNORE INTO campaign_mailbox (campaign_id, mailbox_id) "
		        "SELECT ?1, id FROM mailbox WHERE address = ?2",
		        error);
		if (insert == NULL)
			return false;
		sqlite3_bind_int64(insert, 1, campaign_id);
		sqlite3_bind_text(insert, 2, campaign->mailboxes[i], -1, SQLITE_STATIC);
		if (!store_sqlite_step_done(sqlite, insert, "campaign mailboxes", error))
			return false;
		if (sqlite3_changes(sqlite->db) == 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID,
			            "mailbox %s is not set up (piculet mailbox add)",
			            campaign->mailboxes[i]);
			return false;
		}
	}
	return true;
}

bool
store_sqlite_campaign_create(void *impl, const StoreCampaignInput *campaign, int64_t *id,
                             GError **error)
{
	Sqlite *sqlite = impl;
	if (!savepoint(sqlite, error))
		return false;
	bool ok = false;
	sqlite3_stmt *insert = store_sqlite_statement(
	        sqlite,
	        "INSERT INTO campaign (name, state, definition, created_at, updated_at) "
	        "VALUES (?1, 'draft', ?2, ?3, ?3)",
	        error);
	if (insert == NULL)
		goto out;
	sqlite3_bind_text(insert, 1, campaign->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 2, campaign->definition, -1, SQLITE_STATIC);
	sqlite3_bind_int64(insert, 3, store_sqlite_now_us(impl));
	int rc = sqlite3_step(insert);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID,
		            "a campaign named \"%s\" exists already (piculet campaign edit)",
		            campaign->name);
		goto out;
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(sqlite, rc, "campaign create", error);
		goto out;
	}
	int64_t campaign_id = sqlite3_last_insert_rowid(sqlite->db);
	if (!write_steps(sqlite, campaign_id, campaign, error) ||
	    !write_mailboxes(sqlite, campaign_id, campaign, error))
		goto out;
	if (id != NULL)
		*id = campaign_id;
	ok = true;
out:
	return release(sqlite, ok, error);
}

static bool
campaign_id_by_name(Sqlite *sqlite, const char *name, int64_t *id, GError **error)
{
	sqlite3_stmt *find =
	        store_sqlite_statement(sqlite, "SELECT id FROM campaign WHERE name = ?1", error);
	if (find == NULL)
		return false;
	sqlite3_bind_text(find, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(find);
	if (rc == SQLITE_DONE) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "no campaign named \"%s\"",
		            name);
		return false;
	}
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, rc, "campaign lookup", error);
		return false;
	}
	*id = sqlite3_column_int64(find, 0);
	sqlite3_reset(find);
	return true;
}

bool
store_sqlite_campaign_update(void *impl, const StoreCampaignInput *campaign, GError **error)
{
	Sqlite *sqlite = impl;
	int64_t campaign_id = 0;
	if (!campaign_id_by_name(sqlite, campaign->name, &campaign_id, error))
		return false;
	if (!savepoint(sqlite, error))
		return false;
	bool ok = false;
	sqlite3_stmt *sent = store_sqlite_statement(
	        sqlite,
	        "SELECT coalesce(max(m.step), 0) FROM message m JOIN enrollment e "
	        "ON e.id = m.enrollment_id WHERE e.campaign_id = ?1",
	        error);
	if (sent == NULL)
		goto out;
	sqlite3_bind_int64(sent, 1, campaign_id);
	if (sqlite3_step(sent) != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, sqlite3_errcode(sqlite->db), "campaign update",
		                       error);
		goto out;
	}
	int last_sent_step = sqlite3_column_int(sent, 0);
	sqlite3_reset(sent);
	if ((gsize)last_sent_step > campaign->n_steps) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID,
		            "campaign \"%s\" has sent step %d already; the new file has "
		            "%" G_GSIZE_FORMAT " steps: steps that were sent cannot be removed",
		            campaign->name, last_sent_step, campaign->n_steps);
		goto out;
	}
	sqlite3_stmt *update = store_sqlite_statement(
	        sqlite, "UPDATE campaign SET definition = ?2, updated_at = ?3 WHERE id = ?1",
	        error);
	if (update == NULL)
		goto out;
	sqlite3_bind_int64(update, 1, campaign_id);
	sqlite3_bind_text(update, 2, campaign->definition, -1, SQLITE_STATIC);
	sqlite3_bind_int64(update, 3, store_sqlite_now_us(impl));
	if (!store_sqlite_step_done(sqlite, update, "campaign update", error) ||
	    !write_steps(sqlite, campaign_id, campaign, error) ||
	    !write_mailboxes(sqlite, campaign_id, campaign, error))
		goto out;
	ok = true;
out:
	return release(sqlite, ok, error);
}

/* The counts come from campaign_count (schema 6), kept by triggers: a few
 * index lookups, whatever the campaign's size. */
#define COUNT_OF(condition)                                                                        \
	"(SELECT coalesce(sum(k.n), 0) FROM campaign_count k WHERE k.campaign_id = c.id "          \
	"AND " condition ")"
#define CAMPAIGN_SELECT                                                                                                                                                                 \
	"SELECT c.id, c.name, c.state, c.definition, c.created_at, c.updated_at, c.guard, "                                                                                             \
	"c.guard_since, "                                                                                                                                                               \
	"(SELECT count(*) FROM step s WHERE s.campaign_id = c.id), " COUNT_OF(                                                                                                          \
	        "k.what NOT LIKE 'message:%'") ", " COUNT_OF("k.what IN ('queued', 'active', "                                                                                          \
	                                                     "'paused')") ", " COUNT_OF("k.what "                                                                                       \
	                                                                                "= "                                                                                            \
	                                                                                "'message"                                                                                      \
	                                                                                ":sent'") ", " COUNT_OF("k.what = 'replied'") ", " COUNT_OF("k.what = 'message:uncertain'") " " \
	                                                                                                                                                                            "FROM campaign c "

static StoreCampaign *
campaign_from_row(sqlite3_stmt *row)
{
	StoreCampaign *campaign = g_new0(StoreCampaign, 1);
	campaign->id = sqlite3_column_int64(row, 0);
	campaign->name = store_sqlite_column_dup(row, 1);
	campaign->state = store_sqlite_column_dup(row, 2);
	campaign->definition = store_sqlite_column_dup(row, 3);
	campaign->created_at = sqlite3_column_int64(row, 4);
	campaign->updated_at = sqlite3_column_int64(row, 5);
	campaign->guard = store_sqlite_column_dup(row, 6);
	campaign->guard_since = sqlite3_column_int64(row, 7);
	campaign->n_steps = (guint)sqlite3_column_int(row, 8);
	campaign->n_enrolled = (guint64)sqlite3_column_int64(row, 9);
	campaign->n_active = (guint64)sqlite3_column_int64(row, 10);
	campaign->n_sent = (guint64)sqlite3_column_int64(row, 11);
	campaign->n_replied = (guint64)sqlite3_column_int64(row, 12);
	campaign->n_uncertain = (guint64)sqlite3_column_int64(row, 13);
	return campaign;
}

/* The one campaign @stmt (bound) finds, or NULL (no error) when none. */
static StoreCampaign *
campaign_found(Sqlite *sqlite, sqlite3_stmt *stmt, GError **error)
{
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return NULL;
	if (rc != SQLITE_ROW) {
		store_sqlite_set_error(sqlite, rc, "campaign get", error);
		return NULL;
	}
	StoreCampaign *campaign = campaign_from_row(stmt);
	sqlite3_reset(stmt);
	return campaign;
}

StoreCampaign *
store_sqlite_campaign_get(void *impl, const char *name, GError **error)
{
	sqlite3_stmt *stmt =
	        store_sqlite_statement(impl, CAMPAIGN_SELECT "WHERE c.name = ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	return campaign_found(impl, stmt, error);
}

StoreCampaign *
store_sqlite_campaign_get_by_id(void *impl, int64_t id, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(impl, CAMPAIGN_SELECT "WHERE c.id = ?1", error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	return campaign_found(impl, stmt, error);
}

GPtrArray *
store_sqlite_campaign_list(void *impl, GError **error)
{
	sqlite3_stmt *stmt = store_sqlite_statement(impl, CAMPAIGN_SELECT "ORDER BY c.name", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) campaigns =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_campaign_free);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(campaigns, campaign_from_row(stmt));
	if (rc != SQLITE_DONE) {
		store_sqlite_set_error(impl, rc, "campaign list", error);
		return NULL;
	}
	return g_steal_pointer(&campaigns);
}

bool
store_sqlite_campaign_set_state(void *impl, const char *name, const char *state, bool *found,
                                GError **error)
{
	Sqlite *sqlite = impl;
	sqlite3_stmt *stmt = store_sqlite_statement(
	        sqlite, "UPDATE campaign SET state = ?2, updated_at = ?3 WHERE name = ?1", error);
	if (stmt == NULL)
		return false;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, store_sqlite_now_us(impl));
	if (!store_sqlite_step_done(sqlite, stmt, "campaign state", error))
		return false;
	*found = sqlite3_changes(sqlite->db) > 0;
	return true;
}

bool
store_sqlite_campaign_count_openings(void *impl, int64_t campaign_id, int64_t since_us,
                                     guint *result, GError **error)
{
	return store_sqlite_count(
	        impl,
	        "SELECT count(*) FROM message m JOIN enrollment e ON e.id = m.enrollment_id "
	        "WHERE e.campaign_id = ?1 AND m.step = 1 AND m.created_at >= ?2 "
	        "AND m.state IN ('sending', 'sent', 'uncertain')",
	        campaign_id, since_us, result, error);
}

GArray *
store_sqlite_campaign_report(void *impl, int64_t campaign_id, GError **error)
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
	        "  WHERE e.campaign_id = ?1 AND m.step = s.number AND m.state = 'uncertain'), "
	        /* Tracked: the messages a person opened (clicked) once or more. */
	        "(SELECT count(DISTINCT v.message_id) FROM event v JOIN message m ON m.id = "
	        "  v.message_id JOIN enrollment e ON e.id = m.enrollment_id WHERE e.campaign_id = "
	        "  ?1 AND m.step = s.number AND v.kind = 'open'), "
	        "(SELECT count(DISTINCT v.message_id) FROM event v JOIN message m ON m.id = "
	        "  v.message_id JOIN enrollment e ON e.id = m.enrollment_id WHERE e.campaign_id = "
	        "  ?1 AND m.step = s.number AND v.kind = 'click') "
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
		        .opened = (guint64)sqlite3_column_int64(stmt, 7),
		        .clicked = (guint64)sqlite3_column_int64(stmt, 8),
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
store_sqlite_campaign_set_guard(void *impl, int64_t campaign_id, const char *guard, GError **error)
{
	return STORE_SQLITE_RUN(
	        impl,
	        "UPDATE campaign SET guard = ?2, state = CASE WHEN ?2 != '' THEN 'paused' "
	        "ELSE state END, guard_since = CASE WHEN ?2 = '' THEN ?3 ELSE guard_since END, "
	        "updated_at = ?3 WHERE id = ?1",
	        "campaign guard", error, STORE_SQLITE_NUMBER(campaign_id), STORE_SQLITE_TEXT(guard),
	        STORE_SQLITE_NUMBER(store_sqlite_now_us(impl)));
}
