/* Campaign and message states: names and the tables of moves. */
#include "engine/engine_lifecycle.h"

#include <glib.h>
#include <string.h>

static const char *const campaign_names[] = {
        [ENGINE_CAMPAIGN_DRAFT] = "draft",
        [ENGINE_CAMPAIGN_RUNNING] = "running",
        [ENGINE_CAMPAIGN_PAUSED] = "paused",
        [ENGINE_CAMPAIGN_ARCHIVED] = "archived",
};

static const struct {
	const char *name;
	const char *done;
} action_names[] = {
        [ENGINE_CAMPAIGN_START] = {"start", "started"},
        [ENGINE_CAMPAIGN_PAUSE] = {"pause", "paused"},
        [ENGINE_CAMPAIGN_RESUME] = {"resume", "resumed"},
        [ENGINE_CAMPAIGN_ARCHIVE] = {"archive", "archived"},
};

/* The moves: action, from, to. */
static const struct {
	EngineCampaignAction action;
	EngineCampaignState from;
	EngineCampaignState to;
} campaign_moves[] = {
        {ENGINE_CAMPAIGN_START, ENGINE_CAMPAIGN_DRAFT, ENGINE_CAMPAIGN_RUNNING},
        {ENGINE_CAMPAIGN_START, ENGINE_CAMPAIGN_PAUSED, ENGINE_CAMPAIGN_RUNNING},
        {ENGINE_CAMPAIGN_PAUSE, ENGINE_CAMPAIGN_RUNNING, ENGINE_CAMPAIGN_PAUSED},
        {ENGINE_CAMPAIGN_RESUME, ENGINE_CAMPAIGN_PAUSED, ENGINE_CAMPAIGN_RUNNING},
        {ENGINE_CAMPAIGN_ARCHIVE, ENGINE_CAMPAIGN_DRAFT, ENGINE_CAMPAIGN_ARCHIVED},
        {ENGINE_CAMPAIGN_ARCHIVE, ENGINE_CAMPAIGN_RUNNING, ENGINE_CAMPAIGN_ARCHIVED},
        {ENGINE_CAMPAIGN_ARCHIVE, ENGINE_CAMPAIGN_PAUSED, ENGINE_CAMPAIGN_ARCHIVED},
};

static const char *const message_names[] = {
        [ENGINE_MESSAGE_SENDING] = "sending",
        [ENGINE_MESSAGE_SENT] = "sent",
        [ENGINE_MESSAGE_FAILED] = "failed",
        [ENGINE_MESSAGE_UNCERTAIN] = "uncertain",
};

static const char *const prospect_names[] = {
        [ENGINE_PROSPECT_OK] = "ok",
        [ENGINE_PROSPECT_BOUNCED] = "bounced",
        [ENGINE_PROSPECT_OPTED_OUT] = "opted_out",
        [ENGINE_PROSPECT_BLACKLISTED] = "blacklisted",
};

static bool
parse_name(const char *const *names, gsize n, const char *name, int *value)
{
	for (gsize i = 0; name != NULL && i < n; i++)
		if (strcmp(names[i], name) == 0) {
			*value = (int)i;
			return true;
		}
	return false;
}

const char *
engine_lifecycle_campaign_name(EngineCampaignState state)
{
	return (gsize)state < G_N_ELEMENTS(campaign_names) ? campaign_names[state] : "?";
}

bool
engine_lifecycle_campaign_parse(const char *name, EngineCampaignState *state)
{
	int value = 0;
	if (!parse_name(campaign_names, G_N_ELEMENTS(campaign_names), name, &value))
		return false;
	*state = (EngineCampaignState)value;
	return true;
}

EngineCampaignState
engine_lifecycle_campaign_of(const StoreCampaign *campaign)
{
	EngineCampaignState state = ENGINE_CAMPAIGN_ARCHIVED;
	if (!engine_lifecycle_campaign_parse(campaign->state, &state))
		return ENGINE_CAMPAIGN_ARCHIVED;
	return state;
}

const char *
engine_lifecycle_action_name(EngineCampaignAction action)
{
	return (gsize)action < G_N_ELEMENTS(action_names) ? action_names[action].name : "?";
}

const char *
engine_lifecycle_action_done(EngineCampaignAction action)
{
	return (gsize)action < G_N_ELEMENTS(action_names) ? action_names[action].done : "?";
}

bool
engine_lifecycle_action_parse(const char *name, EngineCampaignAction *action)
{
	for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(action_names); i++)
		if (strcmp(action_names[i].name, name) == 0) {
			*action = (EngineCampaignAction)i;
			return true;
		}
	return false;
}

bool
engine_lifecycle_campaign_after(EngineCampaignState from, EngineCampaignAction action,
                                EngineCampaignState *to)
{
	for (gsize i = 0; i < G_N_ELEMENTS(campaign_moves); i++)
		if (campaign_moves[i].action == action && campaign_moves[i].from == from) {
			*to = campaign_moves[i].to;
			return true;
		}
	return false;
}

const char *
engine_lifecycle_prospect_name(EngineProspectStatus status)
{
	return (gsize)status < G_N_ELEMENTS(prospect_names) ? prospect_names[status] : "?";
}

bool
engine_lifecycle_prospect_parse(const char *name, EngineProspectStatus *status)
{
	int value = 0;
	if (!parse_name(prospect_names, G_N_ELEMENTS(prospect_names), name, &value))
		return false;
	*status = (EngineProspectStatus)value;
	return true;
}

const char *
engine_lifecycle_message_name(EngineMessageState state)
{
	return (gsize)state < G_N_ELEMENTS(message_names) ? message_names[state] : "?";
}

bool
engine_lifecycle_message_parse(const char *name, EngineMessageState *state)
{
	int value = 0;
	if (!parse_name(message_names, G_N_ELEMENTS(message_names), name, &value))
		return false;
	*state = (EngineMessageState)value;
	return true;
}

bool
engine_lifecycle_message_move_allowed(EngineMessageState from, EngineMessageState to)
{
	return from == ENGINE_MESSAGE_SENDING && to != ENGINE_MESSAGE_SENDING;
}

static const char *const event_names[] = {
        [ENGINE_EVENT_NONE] = "",
        [ENGINE_EVENT_SENT] = "sent",
        [ENGINE_EVENT_UNCERTAIN] = "uncertain",
        [ENGINE_EVENT_BOUNCE] = "bounce",
        [ENGINE_EVENT_SOFT_BOUNCE] = "soft_bounce",
        [ENGINE_EVENT_DELAYED] = "delayed",
        [ENGINE_EVENT_REPLY] = "reply",
        [ENGINE_EVENT_COMPANY_REPLY] = "company_reply",
        [ENGINE_EVENT_AUTO_REPLY] = "auto_reply",
        [ENGINE_EVENT_OPT_OUT] = "opt_out",
        [ENGINE_EVENT_PAUSED] = "paused",
        [ENGINE_EVENT_RESUMED] = "resumed",
        [ENGINE_EVENT_ERROR] = "error",
        [ENGINE_EVENT_UNMATCHED] = "unmatched",
        [ENGINE_EVENT_MAILBOX_RESUMED] = "mailbox_resumed",
        [ENGINE_EVENT_CAMPAIGN_COMPLETED] = "campaign_completed",
        [ENGINE_EVENT_COMPLAINT] = "complaint",
        [ENGINE_EVENT_NEEDS_REVIEW] = "needs_review",
        [ENGINE_EVENT_OTHER] = "other",
        [ENGINE_EVENT_OPEN] = "open",
        [ENGINE_EVENT_CLICK] = "click",
        [ENGINE_EVENT_MACHINE_FETCH] = "machine_fetch",
        [ENGINE_EVENT_SKIPPED] = "skipped",
        [ENGINE_EVENT_TASK] = "task",
        [ENGINE_EVENT_TASK_DONE] = "task_done",
};

const char *
engine_lifecycle_event_name(EngineEvent event)
{
	return (gsize)event < G_N_ELEMENTS(event_names) ? event_names[event] : "?";
}

bool
engine_lifecycle_event_parse(const char *name, EngineEvent *event)
{
	int value = 0;
	if (name == NULL || name[0] == '\0' ||
	    !parse_name(event_names, G_N_ELEMENTS(event_names), name, &value))
		return false;
	*event = (EngineEvent)value;
	return true;
}

const char *
engine_lifecycle_event_webhook(EngineEvent event)
{
	switch (event) {
	case ENGINE_EVENT_SENT:
		return "message.sent";
	case ENGINE_EVENT_UNCERTAIN:
		return "message.uncertain";
	case ENGINE_EVENT_BOUNCE:
	case ENGINE_EVENT_SOFT_BOUNCE:
		return "bounce.received";
	case ENGINE_EVENT_REPLY:
	case ENGINE_EVENT_COMPANY_REPLY:
		return "reply.received";
	case ENGINE_EVENT_AUTO_REPLY:
		return "auto_reply.received";
	case ENGINE_EVENT_OPT_OUT:
		return "prospect.opted_out";
	case ENGINE_EVENT_PAUSED:
		return "mailbox.paused";
	case ENGINE_EVENT_MAILBOX_RESUMED:
		return "mailbox.resumed";
	case ENGINE_EVENT_CAMPAIGN_COMPLETED:
		return "campaign.completed";
	case ENGINE_EVENT_COMPLAINT:
		return "complaint.received";
	case ENGINE_EVENT_NEEDS_REVIEW:
		return "reply.needs_review";
	case ENGINE_EVENT_OPEN:
		return "message.opened";
	case ENGINE_EVENT_CLICK:
		return "link.clicked";
	case ENGINE_EVENT_NONE:
	case ENGINE_EVENT_DELAYED:
	case ENGINE_EVENT_RESUMED:
	case ENGINE_EVENT_ERROR:
	case ENGINE_EVENT_UNMATCHED:
	case ENGINE_EVENT_OTHER:
	case ENGINE_EVENT_MACHINE_FETCH:
	case ENGINE_EVENT_SKIPPED:
	case ENGINE_EVENT_TASK:
	case ENGINE_EVENT_TASK_DONE:
		break;
	}
	return NULL;
}
