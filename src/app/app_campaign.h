/*
 * app_campaign: what a person does to a campaign, for every front end (the
 * command today, the HTTP API next): typed results and GErrors, no
 * printing. The state machine is the engine's (engine_lifecycle); this is
 * where a request meets it and the store.
 */
#pragma once

#include "engine/engine_campaign.h"
#include "engine/engine_lifecycle.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

/*
 * Stores a campaign file's text (@length bytes; @source names it in
 * errors, "FILE:LINE:COLUMN: ..."): @create makes a new draft, else it
 * replaces the campaign of the same name (what was sent stays). Returns the
 * parsed campaign. APP_ERROR_INVALID when the text does not make a
 * campaign; the store's errors (a name taken, a mailbox missing, a step
 * someone was sent removed: STORE_ERROR_INVALID).
 */
EngineCampaign *app_campaign_save(Store *store, const char *text, gsize length, const char *source,
                                  bool create, GError **error);

/* Per step of campaign @name, what happened after it (StoreStepReport),
 * and in *@campaign its row; APP_ERROR_NOT_FOUND. */
GArray *app_campaign_report(Store *store, const char *name, StoreCampaign **campaign,
                            GError **error);

/* Who answered, newest first (StoreReply): in campaign @name, or in all of
 * them with the delivery reports kept for a person (@name NULL);
 * APP_ERROR_NOT_FOUND. */
GPtrArray *app_campaign_replies(Store *store, const char *name, GError **error);

/* Campaign @name as stored; APP_ERROR_NOT_FOUND when there is none. */
StoreCampaign *app_campaign_get(Store *store, const char *name, GError **error);

/* Its stored file, parsed (what the engine will run); APP_ERROR_INVALID
 * when it no longer makes a campaign. */
EngineCampaign *app_campaign_parse_stored(const StoreCampaign *stored, GError **error);

/*
 * Starts, pauses, resumes or archives campaign @name; *@state is its state
 * after. APP_ERROR_NOT_FOUND; APP_ERROR_STATE when @action may not follow
 * its state ("campaign "X" is archived; it cannot be started"), nothing
 * changed; APP_ERROR_INVALID when it would run and its stored file no
 * longer makes a campaign (a mailbox it names is gone); store errors.
 */
bool app_campaign_act(Store *store, const char *name, EngineCampaignAction action,
                      EngineCampaignState *state, GError **error);
