#include "engine/engine_reply_policy.h"

#include <string.h>

#define MAX_STEP 100

void
engine_reply_policy_clear(EngineReplyPolicy *policy)
{
	g_clear_pointer(&policy->campaign, g_free);
	policy->action = ENGINE_REPLY_STOP;
	policy->resume_step = 0;
}

const char *
engine_reply_policy_action_name(EngineReplyAction action)
{
	switch (action) {
	case ENGINE_REPLY_PAUSE:
		return "pause";
	case ENGINE_REPLY_MOVE:
		return "move";
	case ENGINE_REPLY_ENROLL_REFERRAL:
		return "enroll_referral";
	case ENGINE_REPLY_STOP:
	default:
		return "stop";
	}
}

bool
engine_reply_policy_parse(const char *text, EngineReplyPolicy *policy, char **problem)
{
	engine_reply_policy_clear(policy);
	g_autofree char *copy = g_strstrip(g_strdup(text));
	if (strcmp(copy, "stop") == 0)
		return true;
	if (strcmp(copy, "enroll_referral") == 0) {
		policy->action = ENGINE_REPLY_ENROLL_REFERRAL;
		return true;
	}
	if (strcmp(copy, "pause") == 0) {
		policy->action = ENGINE_REPLY_PAUSE;
		return true;
	}
	if (g_str_has_prefix(copy, "pause step ")) {
		guint64 step = 0;
		if (!g_ascii_string_to_unsigned(copy + strlen("pause step "), 10, 1, MAX_STEP,
		                                &step, NULL)) {
			*problem = g_strdup_printf("\"%s\": the step is a number from 1 to %d",
			                           copy, MAX_STEP);
			return false;
		}
		policy->action = ENGINE_REPLY_PAUSE;
		policy->resume_step = (int)step;
		return true;
	}
	if (g_str_has_prefix(copy, "move ")) {
		g_autofree char *name = g_strstrip(g_strdup(copy + strlen("move ")));
		if (name[0] == '\0' || strlen(name) > 200) {
			*problem = g_strdup_printf("\"%s\": move names a campaign", copy);
			return false;
		}
		policy->action = ENGINE_REPLY_MOVE;
		policy->campaign = g_steal_pointer(&name);
		return true;
	}
	*problem = g_strdup_printf("\"%s\": expected stop, pause, pause step N, move CAMPAIGN or "
	                           "enroll_referral",
	                           copy);
	return false;
}
