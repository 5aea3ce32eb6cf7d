#include "engine/engine_guard.h"

const EngineGuardRules engine_guard_campaign_default = {
        .window = 50,
        .min_contacted = 20,
        .max_bounce_permille = 30,
        .max_in_a_row = 5,
        .complaint_window_s = (int64_t)30 * 86400,
        .min_complaints = 2,
        .max_complaint_per_100k = 300,
};

const EngineGuardRules engine_guard_default = {
        .window = 100,
        .min_contacted = 50,
        .max_bounce_permille = 50,
        .max_in_a_row = 10,
        .complaint_window_s = (int64_t)30 * 86400,
        .min_complaints = 2,
        .max_complaint_per_100k = 300,
};

char *
engine_guard_judge(const EngineGuardRules *rules, const StoreGuardWindow *window, guint sent,
                   guint complaints)
{
	if (rules->max_in_a_row > 0 && window->bounced_in_a_row >= rules->max_in_a_row)
		return g_strdup_printf("hard bounces: the last %u prospects contacted all bounced "
		                       "(the limit is %u in a row)",
		                       window->bounced_in_a_row, rules->max_in_a_row);
	if (window->contacted >= rules->min_contacted && window->contacted > 0 &&
	    (guint64)window->bounced * 1000 >=
	            (guint64)rules->max_bounce_permille * window->contacted)
		return g_strdup_printf("hard bounces: %u of the last %u prospects contacted (%.1f "
		                       "%%; the limit is %.1f %%)",
		                       window->bounced, window->contacted,
		                       100.0 * window->bounced / window->contacted,
		                       rules->max_bounce_permille / 10.0);
	if (complaints >= rules->min_complaints && complaints > 0 &&
	    (guint64)complaints * 100000 >= (guint64)rules->max_complaint_per_100k * MAX(sent, 1))
		return g_strdup_printf("complaints: %u for %u messages in %d days (%.2f %%; the "
		                       "limit is %.2f %%)",
		                       complaints, sent, (int)(rules->complaint_window_s / 86400),
		                       100.0 * complaints / MAX(sent, 1),
		                       rules->max_complaint_per_100k / 1000.0);
	return NULL;
}
