/*
 * The SQLite back end's campaign and enrollment functions, for the back
 * end's table (store_sqlite.c). Contracts: store.h.
 */
#pragma once

#include "store/store_sqlite_private.h"

bool store_sqlite_campaign_create(void *impl, const StoreCampaignInput *campaign, int64_t *id,
                                  GError **error);
bool store_sqlite_campaign_update(void *impl, const StoreCampaignInput *campaign, GError **error);
StoreCampaign *store_sqlite_campaign_get(void *impl, const char *name, int64_t id, GError **error);
GPtrArray *store_sqlite_campaign_list(void *impl, GError **error);
bool store_sqlite_campaign_set_state(void *impl, const char *name, const char *state, bool *found,
                                     GError **error);
bool store_sqlite_campaign_enroll(void *impl, int64_t campaign_id, const char *email,
                                  bool allow_other_campaigns, StoreEnrollResult *result,
                                  GError **error);
GPtrArray *store_sqlite_campaign_enrollments(void *impl, int64_t campaign_id, const char *email,
                                             guint limit, GError **error);
/* Every enrollment query selects these columns, in this order. */
#define STORE_SQLITE_ENROLLMENT_SELECT                                                             \
	"SELECT e.id, e.campaign_id, e.prospect_id, coalesce(e.mailbox_id, 0), p.email, e.state, " \
	"e.next_step, e.next_due_at, e.last_sent_at, e.reason, e.revision, e.retries, "            \
	"e.soft_bounces "                                                                          \
	"FROM enrollment e JOIN prospect p ON p.id = e.prospect_id "

/* An enrollment from a row of STORE_SQLITE_ENROLLMENT_SELECT's columns. */
StoreEnrollment *store_sqlite_campaign_enrollment_from_row(sqlite3_stmt *row);
