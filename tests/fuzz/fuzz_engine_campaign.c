/*
 * Fuzz target: a campaign file. Whatever the bytes, parsing either gives a
 * campaign that holds together (a name, a mailbox, steps, an open window)
 * or an error that names the file.
 */
#include "engine/engine_campaign.h"
#include "engine/engine_content.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign =
	        engine_campaign_parse((const char *)data, size, "fuzz.yaml", &error);
	if (campaign == NULL) {
		g_assert(error != NULL && g_str_has_prefix(error->message, "fuzz.yaml"));
		return 0;
	}
	g_assert(campaign->name != NULL && campaign->name[0] != '\0');
	g_assert(campaign->mailboxes->len > 0 && campaign->steps->len > 0);
	g_assert(!engine_window_is_empty(&campaign->window));
	g_assert(campaign->interval_min_s <= campaign->interval_max_s);
	const EngineCampaignStep *first = campaign->steps->pdata[0];
	g_assert(first->subject != NULL);
	g_assert(campaign->guards.min_contacted <= campaign->guards.window);
	/* The preview's content check reads whatever texts the file holds. */
	g_autoptr(GPtrArray) warnings = engine_content_check(campaign);
	g_assert(warnings != NULL);
	return 0;
}
