/* The SQLite back end: campaigns, their steps, mailboxes and report. */
#include "store/store_sql.h"

static bool
write_steps(StoreSql *db, int64_t campaign_id, const StoreCampaignInput *campaign, GError **error)
{
	StoreSqlStatement *clear =
	        store_sql_statement(db, "DELETE FROM step WHERE campaign_id = ?1", error);
	if (clear == NULL)
		return false;
	store_sql_bind_int64(clear, 1, campaign_id);
	if (!store_sql_step_done(db, clear, "campaign steps", error))
		return false;
	for (gsize i = 0; i < campaign->n_steps; i++) {
		const StoreStepInput *step = &campaign->steps[i];
		StoreSqlStatement *insert = store_sql_statement(
		        db,
		        "INSERT INTO step (campaign_id, number, subject, body, delay_s) "
		        "VALUES (?1, ?2, ?3, ?4, ?5)",
		        error);
		if (insert == NULL)
			return false;
		store_sql_bind_int64(insert, 1, campaign_id);
		store_sql_bind_int64(insert, 2, (int)i + 1);
		if (step->subject != NULL)
			store_sql_bind_text(insert, 3, step->subject);
		else
			store_sql_bind_null(insert, 3);
		store_sql_bind_text(insert, 4, step->body);
		store_sql_bind_int64(insert, 5, step->delay_s);
		if (!store_sql_step_done(db, insert, "campaign steps", error))
			return false;
	}
	return true;
}

static bool
write_mailboxes(StoreSql *db, int64_t campaign_id, const StoreCampaignInput *campaign,
                GError **error)
{
	StoreSqlStatement *clear = store_sql_statement(
	        db, "DELETE FROM campaign_mailbox WHERE campaign_id = ?1", error);
	if (clear == NULL)
		return false;
	store_sql_bind_int64(clear, 1, campaign_id);
	if (!store_sql_step_done(db, clear, "campaign mailboxes", error))
		return false;
	for (gsize i = 0; i < campaign->n_mailboxes; i++) {
		StoreSqlStatement *insert = store_sql_statement(
		        db,
		        "INSERT INTO campaign_mailbox (campaign_id, mailbox_id) "
		        "SELECT ?1, id FROM mailbox WHERE address = ?2 ON CONFLICT DO NOTHING",
		        error);
		if (insert == NULL)
			return false;
		store_sql_bind_int64(insert, 1, campaign_id);
		store_sql_bind_text(insert, 2, campaign->mailboxes[i]);
		if (!store_sql_step_done(db, insert, "campaign mailboxes", error))
			return false;
		if (store_sql_changes(db) == 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID,
			            "mailbox %s is not set up (piculet mailbox add)",
			            campaign->mailboxes[i]);
			return false;
		}
	}
	return true;
}

bool
store_sql_campaign_create(void *impl, const StoreCampaignInput *campaign, int64_t *id,
                          GError **error)
{
	StoreSql *db = impl;
	/* Whole whether or not the caller has begun a transaction. */
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "campaign_write", error))
		return false;
	bool ok = false;
	StoreSqlStatement *insert = store_sql_statement(
	        db,
	        "INSERT INTO campaign (name, state, definition, created_at, updated_at) "
	        "VALUES (?1, 'draft', ?2, ?3, ?3) RETURNING id",
	        error);
	if (insert == NULL)
		goto out;
	store_sql_bind_text(insert, 1, campaign->name);
	store_sql_bind_text(insert, 2, campaign->definition);
	store_sql_bind_int64(insert, 3, store_sql_now_us(impl));
	int rc = store_sql_step(insert);
	if (rc == STORE_SQL_CONSTRAINT) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID,
		            "a campaign named \"%s\" exists already (piculet campaign edit)",
		            campaign->name);
		goto out;
	}
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "campaign create", error);
		goto out;
	}
	int64_t campaign_id = store_sql_column_int64(insert, 0);
	store_sql_reset(insert);
	if (!write_steps(db, campaign_id, campaign, error) ||
	    !write_mailboxes(db, campaign_id, campaign, error))
		goto out;
	if (id != NULL)
		*id = campaign_id;
	ok = true;
out:
	return store_sql_unit_end(db, &unit, ok, error);
}

static bool
campaign_id_by_name(StoreSql *db, const char *name, int64_t *id, GError **error)
{
	StoreSqlStatement *find =
	        store_sql_statement(db, "SELECT id FROM campaign WHERE name = ?1", error);
	if (find == NULL)
		return false;
	store_sql_bind_text(find, 1, name);
	int rc = store_sql_step(find);
	if (rc == STORE_SQL_DONE) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "no campaign named \"%s\"",
		            name);
		return false;
	}
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "campaign lookup", error);
		return false;
	}
	*id = store_sql_column_int64(find, 0);
	store_sql_reset(find);
	return true;
}

bool
store_sql_campaign_update(void *impl, const StoreCampaignInput *campaign, GError **error)
{
	StoreSql *db = impl;
	int64_t campaign_id = 0;
	if (!campaign_id_by_name(db, campaign->name, &campaign_id, error))
		return false;
	/* Whole whether or not the caller has begun a transaction. */
	StoreSqlUnit unit;
	if (!store_sql_unit_begin(db, &unit, "campaign_write", error))
		return false;
	bool ok = false;
	StoreSqlStatement *sent = store_sql_statement(
	        db,
	        "SELECT coalesce(max(m.step), 0) FROM message m JOIN enrollment e "
	        "ON e.id = m.enrollment_id WHERE e.campaign_id = ?1",
	        error);
	if (sent == NULL)
		goto out;
	store_sql_bind_int64(sent, 1, campaign_id);
	if (store_sql_step(sent) != STORE_SQL_ROW) {
		store_sql_set_error(db, store_sql_errcode(db), "campaign update", error);
		goto out;
	}
	int last_sent_step = store_sql_column_int(sent, 0);
	store_sql_reset(sent);
	if ((gsize)last_sent_step > campaign->n_steps) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID,
		            "campaign \"%s\" has sent step %d already; the new file has "
		            "%" G_GSIZE_FORMAT " steps: steps that were sent cannot be removed",
		            campaign->name, last_sent_step, campaign->n_steps);
		goto out;
	}
	StoreSqlStatement *update = store_sql_statement(
	        db, "UPDATE campaign SET definition = ?2, updated_at = ?3 WHERE id = ?1", error);
	if (update == NULL)
		goto out;
	store_sql_bind_int64(update, 1, campaign_id);
	store_sql_bind_text(update, 2, campaign->definition);
	store_sql_bind_int64(update, 3, store_sql_now_us(impl));
	if (!store_sql_step_done(db, update, "campaign update", error) ||
	    !write_steps(db, campaign_id, campaign, error) ||
	    !write_mailboxes(db, campaign_id, campaign, error))
		goto out;
	ok = true;
out:
	return store_sql_unit_end(db, &unit, ok, error);
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
campaign_from_row(StoreSqlStatement *row)
{
	StoreCampaign *campaign = g_new0(StoreCampaign, 1);
	campaign->id = store_sql_column_int64(row, 0);
	campaign->name = store_sql_column_dup(row, 1);
	campaign->state = store_sql_column_dup(row, 2);
	campaign->definition = store_sql_column_dup(row, 3);
	campaign->created_at = store_sql_column_int64(row, 4);
	campaign->updated_at = store_sql_column_int64(row, 5);
	campaign->guard = store_sql_column_dup(row, 6);
	campaign->guard_since = store_sql_column_int64(row, 7);
	campaign->n_steps = (guint)store_sql_column_int(row, 8);
	campaign->n_enrolled = (guint64)store_sql_column_int64(row, 9);
	campaign->n_active = (guint64)store_sql_column_int64(row, 10);
	campaign->n_sent = (guint64)store_sql_column_int64(row, 11);
	campaign->n_replied = (guint64)store_sql_column_int64(row, 12);
	campaign->n_uncertain = (guint64)store_sql_column_int64(row, 13);
	return campaign;
}

/* The one campaign @stmt (bound) finds, or NULL (no error) when none. */
static StoreCampaign *
campaign_found(StoreSql *db, StoreSqlStatement *stmt, GError **error)
{
	int rc = store_sql_step(stmt);
	if (rc == STORE_SQL_DONE)
		return NULL;
	if (rc != STORE_SQL_ROW) {
		store_sql_set_error(db, rc, "campaign get", error);
		return NULL;
	}
	StoreCampaign *campaign = campaign_from_row(stmt);
	store_sql_reset(stmt);
	return campaign;
}

StoreCampaign *
store_sql_campaign_get(void *impl, const char *name, GError **error)
{
	StoreSqlStatement *stmt =
	        store_sql_statement(impl, CAMPAIGN_SELECT "WHERE c.name = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_text(stmt, 1, name);
	return campaign_found(impl, stmt, error);
}

StoreCampaign *
store_sql_campaign_get_by_id(void *impl, int64_t id, GError **error)
{
	StoreSqlStatement *stmt =
	        store_sql_statement(impl, CAMPAIGN_SELECT "WHERE c.id = ?1", error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, id);
	return campaign_found(impl, stmt, error);
}

GPtrArray *
store_sql_campaign_list(void *impl, GError **error)
{
	StoreSqlStatement *stmt =
	        store_sql_statement(impl, CAMPAIGN_SELECT "ORDER BY c.name", error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(GPtrArray) campaigns =
	        g_ptr_array_new_with_free_func((GDestroyNotify)store_campaign_free);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW)
		g_ptr_array_add(campaigns, campaign_from_row(stmt));
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(impl, rc, "campaign list", error);
		return NULL;
	}
	return g_steal_pointer(&campaigns);
}

bool
store_sql_campaign_set_state(void *impl, const char *name, const char *state, bool *found,
                             GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db, "UPDATE campaign SET state = ?2, updated_at = ?3 WHERE name = ?1", error);
	if (stmt == NULL)
		return false;
	store_sql_bind_text(stmt, 1, name);
	store_sql_bind_text(stmt, 2, state);
	store_sql_bind_int64(stmt, 3, store_sql_now_us(impl));
	if (!store_sql_step_done(db, stmt, "campaign state", error))
		return false;
	*found = store_sql_changes(db) > 0;
	return true;
}

bool
store_sql_campaign_count_openings(void *impl, int64_t campaign_id, int64_t since_us, guint *result,
                                  GError **error)
{
	return store_sql_count(
	        impl,
	        "SELECT count(*) FROM message m JOIN enrollment e ON e.id = m.enrollment_id "
	        "WHERE e.campaign_id = ?1 AND m.step = 1 AND m.created_at >= ?2 "
	        "AND m.state IN ('sending', 'sent', 'uncertain')",
	        campaign_id, since_us, result, error);
}

bool
store_sql_campaign_lock_openings(void *impl, int64_t campaign_id, GError **error)
{
	/* The two-key form: its keys never meet the one-key locks of
	 * store_pg.c and the leases. */
	return store_sql_dialect(impl) != STORE_SQL_POSTGRESQL ||
	       STORE_SQL_RUN(
	               impl,
	               "SELECT pg_advisory_xact_lock(706963, CAST(?1 % 2147483648 AS integer))",
	               "openings", error, STORE_SQL_NUMBER(campaign_id));
}

GArray *
store_sql_campaign_report(void *impl, int64_t campaign_id, GError **error)
{
	StoreSql *db = impl;
	/* Events carry the message they answer (the last one sent before
	 * them), so each counts under that message's step; the sums are kept
	 * in report_count (schema 20) as messages and events change. */
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT s.number, "
	        "coalesce(sum(CASE WHEN r.what = 'message:sent' THEN r.n END), 0), "
	        "coalesce(sum(CASE WHEN r.what = 'reply' THEN r.n END), 0), "
	        "coalesce(sum(CASE WHEN r.what = 'auto_reply' THEN r.n END), 0), "
	        "coalesce(sum(CASE WHEN r.what = 'bounce' THEN r.n END), 0), "
	        "coalesce(sum(CASE WHEN r.what = 'opt_out' THEN r.n END), 0), "
	        "coalesce(sum(CASE WHEN r.what = 'message:uncertain' THEN r.n END), 0), "
	        /* Tracked: the messages a person opened (clicked) once or more. */
	        "coalesce(sum(CASE WHEN r.what = 'opened' THEN r.n END), 0), "
	        "coalesce(sum(CASE WHEN r.what = 'clicked' THEN r.n END), 0) "
	        "FROM step s LEFT JOIN report_count r ON r.campaign_id = s.campaign_id "
	        "AND r.step = s.number AND r.day = 0 "
	        "WHERE s.campaign_id = ?1 GROUP BY s.number ORDER BY s.number",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, campaign_id);
	g_autoptr(GArray) report = g_array_new(FALSE, TRUE, sizeof(StoreStepReport));
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreStepReport row = {
		        .step = store_sql_column_int(stmt, 0),
		        .sent = (guint64)store_sql_column_int64(stmt, 1),
		        .replied = (guint64)store_sql_column_int64(stmt, 2),
		        .auto_replied = (guint64)store_sql_column_int64(stmt, 3),
		        .bounced = (guint64)store_sql_column_int64(stmt, 4),
		        .opted_out = (guint64)store_sql_column_int64(stmt, 5),
		        .uncertain = (guint64)store_sql_column_int64(stmt, 6),
		        .opened = (guint64)store_sql_column_int64(stmt, 7),
		        .clicked = (guint64)store_sql_column_int64(stmt, 8),
		};
		g_array_append_val(report, row);
	}
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "report", error);
		return NULL;
	}
	return g_steal_pointer(&report);
}

bool
store_sql_campaign_set_guard(void *impl, int64_t campaign_id, const char *guard, GError **error)
{
	return STORE_SQL_RUN(
	        impl,
	        "UPDATE campaign SET guard = ?2, state = CASE WHEN ?2 != '' THEN 'paused' "
	        "ELSE state END, guard_since = CASE WHEN ?2 = '' THEN ?3 ELSE guard_since END, "
	        "updated_at = ?3 WHERE id = ?1",
	        "campaign guard", error, STORE_SQL_NUMBER(campaign_id), STORE_SQL_TEXT(guard),
	        STORE_SQL_NUMBER(store_sql_now_us(impl)));
}

GArray *
store_sql_campaign_days(void *impl, int64_t campaign_id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT day, sum(CASE WHEN what = 'sent_on' THEN n ELSE 0 END), "
	        "sum(CASE WHEN what = 'replied_on' THEN n ELSE 0 END) FROM report_count "
	        "WHERE campaign_id = ?1 AND what IN ('sent_on', 'replied_on') "
	        "GROUP BY day HAVING sum(n) != 0 ORDER BY day",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, campaign_id);
	return store_sql_day_counts(db, stmt, "campaign days", error);
}

GArray *
store_sql_campaign_variants(void *impl, int64_t campaign_id, GError **error)
{
	StoreSql *db = impl;
	/* Events carry the message they answer; each message counts once per
	 * kind however many events it drew (report_count's "replied", ...). */
	StoreSqlStatement *stmt = store_sql_statement(
	        db,
	        "SELECT step, variant, "
	        "sum(CASE WHEN what = 'message:sent' THEN n ELSE 0 END), "
	        "sum(CASE WHEN what = 'replied' THEN n ELSE 0 END), "
	        "sum(CASE WHEN what = 'bounced' THEN n ELSE 0 END), "
	        "sum(CASE WHEN what = 'opted_out' THEN n ELSE 0 END) "
	        "FROM report_count WHERE campaign_id = ?1 AND day = 0 AND step > 0 "
	        "GROUP BY step, variant "
	        "HAVING sum(CASE WHEN what LIKE 'message:%' THEN n ELSE 0 END) > 0 "
	        "ORDER BY step, variant",
	        error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, campaign_id);
	g_autoptr(GArray) variants = g_array_new(FALSE, TRUE, sizeof(StoreVariantReport));
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreVariantReport row = {
		        .step = store_sql_column_int(stmt, 0),
		        .variant = store_sql_column_int(stmt, 1),
		        .sent = (guint64)store_sql_column_int64(stmt, 2),
		        .replied = (guint64)store_sql_column_int64(stmt, 3),
		        .bounced = (guint64)store_sql_column_int64(stmt, 4),
		        .opted_out = (guint64)store_sql_column_int64(stmt, 5),
		};
		g_array_append_val(variants, row);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "campaign variants", error);
		return NULL;
	}
	return g_steal_pointer(&variants);
}

static void
winner_clear(gpointer data)
{
	StoreWinner *winner = data;
	g_free(winner->detail);
}

GArray *
store_sql_campaign_winners(void *impl, int64_t campaign_id, GError **error)
{
	StoreSql *db = impl;
	StoreSqlStatement *stmt =
	        store_sql_statement(db,
	                            "SELECT step, variant, decided_at, detail FROM step_winner "
	                            "WHERE campaign_id = ?1 ORDER BY step",
	                            error);
	if (stmt == NULL)
		return NULL;
	store_sql_bind_int64(stmt, 1, campaign_id);
	g_autoptr(GArray) winners = g_array_new(FALSE, TRUE, sizeof(StoreWinner));
	g_array_set_clear_func(winners, winner_clear);
	int rc;
	while ((rc = store_sql_step(stmt)) == STORE_SQL_ROW) {
		StoreWinner row = {.step = store_sql_column_int(stmt, 0),
		                   .variant = store_sql_column_int(stmt, 1),
		                   .decided_at = store_sql_column_int64(stmt, 2),
		                   .detail = store_sql_column_dup(stmt, 3)};
		g_array_append_val(winners, row);
	}
	store_sql_reset(stmt);
	if (rc != STORE_SQL_DONE) {
		store_sql_set_error(db, rc, "campaign winners", error);
		return NULL;
	}
	return g_steal_pointer(&winners);
}

bool
store_sql_campaign_set_winner(void *impl, int64_t campaign_id, int step, int variant, int64_t at_us,
                              const char *detail, bool *recorded, GError **error)
{
	StoreSql *db = impl;
	if (!STORE_SQL_RUN(
	            db,
	            "INSERT INTO step_winner (campaign_id, step, variant, decided_at, detail) "
	            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (campaign_id, step) DO NOTHING",
	            "campaign winner", error, STORE_SQL_NUMBER(campaign_id), STORE_SQL_NUMBER(step),
	            STORE_SQL_NUMBER(variant), STORE_SQL_NUMBER(at_us), STORE_SQL_TEXT(detail)))
		return false;
	*recorded = store_sql_changes(db) > 0;
	return true;
}
