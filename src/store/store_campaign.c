/* The store's campaign entry points: checks, then the back end. */
#include "store/store.h"

#include "store/store_private.h"

#include <string.h>

void
store_campaign_free(StoreCampaign *campaign)
{
	if (campaign == NULL)
		return;
	g_free(campaign->name);
	g_free(campaign->state);
	g_free(campaign->definition);
	g_free(campaign->guard);
	g_free(campaign);
}

static bool
check_input(const StoreCampaignInput *campaign, GError **error)
{
	const char *problem = NULL;
	if (campaign->name == NULL || campaign->name[0] == '\0')
		problem = "a campaign needs a name";
	else if (campaign->definition == NULL)
		problem = "a campaign needs its definition";
	else if (campaign->n_steps == 0 || campaign->n_mailboxes == 0)
		problem = "a campaign needs steps and mailboxes";
	for (gsize i = 0; problem == NULL && i < campaign->n_steps; i++)
		if (campaign->steps[i].body == NULL || campaign->steps[i].delay_s < 0 ||
		    (i == 0 && campaign->steps[i].subject == NULL))
			problem = "each step needs a body and a delay, the first one a subject";
	if (problem != NULL) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID, problem);
		return false;
	}
	return true;
}

bool
store_campaign_create(Store *store, const StoreCampaignInput *campaign, int64_t *id, GError **error)
{
	return check_input(campaign, error) &&
	       store->backend->campaign_create(store->impl, campaign, id, error);
}

bool
store_campaign_update(Store *store, const StoreCampaignInput *campaign, GError **error)
{
	return check_input(campaign, error) &&
	       store->backend->campaign_update(store->impl, campaign, error);
}

StoreCampaign *
store_campaign_get(Store *store, const char *name, GError **error)
{
	g_return_val_if_fail(name != NULL, NULL);
	return store->backend->campaign_get(store->impl, name, error);
}

bool
store_campaign_set_state(Store *store, const char *name, const char *state, bool *found,
                         GError **error)
{
	static const char *const states[] = {"draft", "running", "paused", "archived"};
	bool known = false;
	for (gsize i = 0; i < G_N_ELEMENTS(states); i++)
		known = known || g_strcmp0(state, states[i]) == 0;
	if (!known) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "no campaign state \"%s\"",
		            state != NULL ? state : "");
		return false;
	}
	return store->backend->campaign_set_state(store->impl, name, state, found, error);
}

bool
store_campaign_set_winner(Store *store, int64_t campaign_id, int step, int variant, int64_t at_us,
                          const char *detail, bool *recorded, GError **error)
{
	if (step < 1 || variant < 0) {
		g_set_error(
		        error, STORE_ERROR, STORE_ERROR_INVALID,
		        "no winner for step %d, variant %d: steps count from 1, variants from 0",
		        step, variant);
		return false;
	}
	return store->backend->campaign_set_winner(store->impl, campaign_id, step, variant, at_us,
	                                           detail != NULL ? detail : "", recorded, error);
}
