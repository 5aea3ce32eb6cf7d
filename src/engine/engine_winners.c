/* The winners of the running campaigns' A/B/n steps: read each pass, and
 * picked (engine_variant) when a step's rule allows, at most once a minute
 * per campaign (engine clock): a pick is one grouped count of the
 * campaign's messages. */
#include "engine/engine_private.h"
#include "engine/engine_variant.h"

#define WINNER_LOOK_EVERY_US ((int64_t)60 * G_USEC_PER_SEC)

/* Whether a step of @campaign waits for a winner. */
static bool
picks_winners(const EngineCampaign *campaign)
{
	for (guint i = 0; i < campaign->steps->len; i++) {
		const EngineCampaignStep *step = campaign->steps->pdata[i];
		if (step->variants != NULL && step->winner.after > 0)
			return true;
	}
	return false;
}

/* Picks what the counts allow for the steps of @campaign without a
 * winner in @winners (by step - 1; -1: none), recording each. */
static bool
pick(EngineContext *context, int64_t campaign_id, const EngineCampaign *campaign, int *winners,
     GError **error)
{
	g_autoptr(GArray) counts = store_campaign_variants(context->store, campaign_id, error);
	if (counts == NULL)
		return false;
	for (guint s = 0; s < campaign->steps->len; s++) {
		const EngineCampaignStep *step = campaign->steps->pdata[s];
		if (step->variants == NULL || step->winner.after <= 0 || winners[s] >= 0)
			continue;
		guint n = step->variants->len;
		g_autofree StoreVariantReport *of_step = g_new0(StoreVariantReport, n);
		for (guint i = 0; i < counts->len; i++) {
			const StoreVariantReport *row =
			        &g_array_index(counts, StoreVariantReport, i);
			if (row->step == (int)s + 1 && row->variant >= 0 && (guint)row->variant < n)
				of_step[row->variant] = *row;
		}
		g_autofree char *detail = NULL;
		int winner = engine_variant_pick(&step->winner, of_step, n, &detail);
		if (winner < 0)
			continue;
		bool recorded = false;
		if (!store_campaign_set_winner(context->store, campaign_id, (int)s + 1, winner,
		                               context->now_us, detail, &recorded, error))
			return false;
		/* Another engine may have been first: its pick stands. */
		if (!recorded)
			continue;
		g_message("campaign %s, step %u: %s; only %c is sent from now", campaign->name,
		          s + 1, detail, engine_campaign_variant_letter(winner));
		winners[s] = winner;
	}
	return true;
}

bool
engine_winners_load(EngineContext *context, GHashTable *looked_at, GError **error)
{
	GHashTableIter iter;
	gpointer key;
	gpointer value;
	g_hash_table_iter_init(&iter, context->campaigns);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		int64_t campaign_id = *(const gint64 *)key;
		const EngineCampaign *campaign = value;
		if (!g_hash_table_contains(context->running, &campaign_id) ||
		    !picks_winners(campaign))
			continue;
		g_autoptr(GArray) stored =
		        store_campaign_winners(context->store, campaign_id, error);
		if (stored == NULL)
			return false;
		GArray *winners =
		        g_array_sized_new(FALSE, FALSE, sizeof(int), campaign->steps->len);
		for (guint s = 0; s < campaign->steps->len; s++) {
			int none = -1;
			g_array_append_val(winners, none);
		}
		g_hash_table_insert(context->winners, g_memdup2(&campaign_id, sizeof campaign_id),
		                    winners);
		bool undecided = false;
		for (guint i = 0; i < stored->len; i++) {
			const StoreWinner *w = &g_array_index(stored, StoreWinner, i);
			if (w->step >= 1 && (guint)w->step <= winners->len)
				g_array_index(winners, int, w->step - 1) = w->variant;
		}
		for (guint s = 0; s < campaign->steps->len; s++) {
			const EngineCampaignStep *step = campaign->steps->pdata[s];
			undecided =
			        undecided || (step->variants != NULL && step->winner.after > 0 &&
			                      g_array_index(winners, int, s) < 0);
		}
		const gint64 *last = g_hash_table_lookup(looked_at, &campaign_id);
		if (!undecided || (last != NULL && context->now_us - *last < WINNER_LOOK_EVERY_US &&
		                   context->now_us >= *last))
			continue;
		g_hash_table_insert(looked_at, g_memdup2(&campaign_id, sizeof campaign_id),
		                    g_memdup2(&context->now_us, sizeof context->now_us));
		if (!pick(context, campaign_id, campaign, &g_array_index(winners, int, 0), error))
			return false;
	}
	return true;
}

int
engine_winners_of(const EngineContext *context, int64_t campaign_id, int step)
{
	if (context->winners == NULL)
		return -1;
	const GArray *winners = g_hash_table_lookup(context->winners, &campaign_id);
	if (winners == NULL || step < 1 || (guint)step > winners->len)
		return -1;
	return g_array_index(winners, int, step - 1);
}
