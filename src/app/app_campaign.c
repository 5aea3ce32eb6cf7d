/* Campaign use cases: the lifecycle of a stored campaign. */
#include "app/app_campaign.h"

#include "app/app_error.h"

#include <string.h>

EngineCampaign *
app_campaign_save(Store *store, const char *text, gsize length, const char *source, bool create,
                  GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(EngineCampaign) campaign = engine_campaign_parse(text, length, source, &local);
	if (campaign == NULL) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID, local->message);
		return NULL;
	}
	g_autofree StoreStepInput *steps = g_new0(StoreStepInput, campaign->steps->len);
	for (guint i = 0; i < campaign->steps->len; i++) {
		const EngineCampaignStep *step = campaign->steps->pdata[i];
		steps[i] = (StoreStepInput){step->subject, step->body, step->delay_s};
	}
	StoreCampaignInput input = {
	        .name = campaign->name,
	        .definition = campaign->text,
	        .steps = steps,
	        .n_steps = campaign->steps->len,
	        .mailboxes = (const char *const *)campaign->mailboxes->pdata,
	        .n_mailboxes = campaign->mailboxes->len,
	};
	if (create ? !store_campaign_create(store, &input, NULL, error)
	           : !store_campaign_update(store, &input, error))
		return NULL;
	return g_steal_pointer(&campaign);
}

StoreCampaign *
app_campaign_get(Store *store, const char *name, GError **error)
{
	GError *local = NULL;
	StoreCampaign *campaign = store_campaign_get(store, name, &local);
	if (campaign == NULL && local == NULL)
		local = g_error_new(APP_ERROR, APP_ERROR_NOT_FOUND,
		                    "no campaign named \"%s\" (see piculet campaign list)", name);
	if (local != NULL)
		g_propagate_error(error, local);
	return campaign;
}

EngineCampaign *
app_campaign_parse_stored(const StoreCampaign *stored, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *name = g_strdup_printf("campaign \"%s\"", stored->name);
	EngineCampaign *campaign =
	        engine_campaign_parse(stored->definition, strlen(stored->definition), name, &local);
	if (campaign == NULL)
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID, local->message);
	return campaign;
}

bool
app_campaign_act(Store *store, const char *name, EngineCampaignAction action,
                 EngineCampaignState *state, GError **error)
{
	g_autoptr(StoreCampaign) stored = app_campaign_get(store, name, error);
	if (stored == NULL)
		return false;
	EngineCampaignState from = engine_lifecycle_campaign_of(stored);
	EngineCampaignState to = from;
	if (!engine_lifecycle_campaign_after(from, action, &to)) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "campaign \"%s\" is %s; it cannot be %s", name, stored->state,
		            engine_lifecycle_action_done(action));
		return false;
	}
	if (to == ENGINE_CAMPAIGN_RUNNING) {
		/* The stored file must still make a campaign (and its mailboxes
		 * exist) before anything may be sent from it. */
		g_autoptr(EngineCampaign) campaign = app_campaign_parse_stored(stored, error);
		if (campaign == NULL)
			return false;
	}
	bool found = false;
	if (!store_campaign_set_state(store, name, engine_lifecycle_campaign_name(to), &found,
	                              error))
		return false;
	if (!found) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "campaign \"%s\" is gone", name);
		return false;
	}
	*state = to;
	return true;
}

GArray *
app_campaign_report(Store *store, const char *name, StoreCampaign **campaign, GError **error)
{
	g_autoptr(StoreCampaign) found = app_campaign_get(store, name, error);
	if (found == NULL)
		return NULL;
	GArray *report = store_campaign_report(store, found->id, error);
	if (report != NULL)
		*campaign = g_steal_pointer(&found);
	return report;
}

GPtrArray *
app_campaign_replies(Store *store, const char *name, GError **error)
{
	int64_t campaign_id = 0;
	if (name != NULL) {
		g_autoptr(StoreCampaign) found = app_campaign_get(store, name, error);
		if (found == NULL)
			return NULL;
		campaign_id = found->id;
	}
	return store_inbound_list_replies(store, campaign_id, error);
}
