/* What one pass of the engine works with: its clock, its campaigns, the
 * zone a prospect's sends are timed in. */
#include "engine/engine_private.h"

#include <string.h>

int64_t
engine_context_now(const EngineContext *context)
{
	const EngineRunOptions *options = context->options;
	return options->clock != NULL ? options->clock(options->clock_data) : g_get_real_time();
}

int
engine_context_stop_fd(const EngineContext *context)
{
	int fd = context->options->stop_fd;
	return fd > 0 ? fd : -1;
}

EngineCampaign *
engine_context_get_campaign(const EngineContext *context, int64_t campaign_id)
{
	return g_hash_table_lookup(context->campaigns, &campaign_id);
}

GTimeZone *
engine_context_dup_zone(EngineContext *context, const EngineCampaign *campaign, const char *email)
{
	g_autoptr(StoreProspect) prospect =
	        campaign->use_prospect_timezone ? store_prospect_get(context->store, email, NULL)
	                                        : NULL;
	return engine_campaign_dup_zone(campaign, prospect != NULL ? prospect->timezone : NULL);
}

int
engine_context_count_in_reason(const char *reason, const char *prefix)
{
	if (reason == NULL || !g_str_has_prefix(reason, prefix))
		return 0;
	guint64 count = 0;
	const char *digits = reason + strlen(prefix);
	char *end = NULL;
	count = g_ascii_strtoull(digits, &end, 10);
	return end != digits && count < 1000 ? (int)count : 0;
}
