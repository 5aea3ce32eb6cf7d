/*
 * engine_lifecycle: the states of a campaign and of a message as types,
 * with the table of what may follow what. Text only where rows are read
 * and written (the store keeps the names below) and in output.
 *
 *   campaign:  draft --start--> running --pause--> paused --resume--> running
 *              draft, running, paused --archive--> archived (for good)
 *   message:   sending --> sent | failed | uncertain; a "sending" record
 *              certainly not sent is discarded, not moved
 *   prospect:  ok | bounced | opted_out | blacklisted, global; only "ok"
 *              is mailed, and only a person sets one back to "ok"
 *   event:     what a timeline records (kinds, not states: no moves)
 *
 * Pure: no I/O.
 */
#pragma once

#include "store/store.h"

#include <stdbool.h>

typedef enum {
	ENGINE_CAMPAIGN_DRAFT,    /* stored, sends nothing, hears replies */
	ENGINE_CAMPAIGN_RUNNING,  /* sends */
	ENGINE_CAMPAIGN_PAUSED,   /* sends nothing, hears replies */
	ENGINE_CAMPAIGN_ARCHIVED, /* done: neither sends nor is read for */
} EngineCampaignState;

/* What a person does to a campaign. */
typedef enum {
	ENGINE_CAMPAIGN_START,
	ENGINE_CAMPAIGN_PAUSE,
	ENGINE_CAMPAIGN_RESUME,
	ENGINE_CAMPAIGN_ARCHIVE,
} EngineCampaignAction;

const char *engine_lifecycle_campaign_name(EngineCampaignState state);
bool engine_lifecycle_campaign_parse(const char *name, EngineCampaignState *state);
/* The state of a stored campaign; an unknown name reads as archived (it
 * sends nothing). */
EngineCampaignState engine_lifecycle_campaign_of(const StoreCampaign *campaign);
/* "start", "pause", ...; and the participle people read ("started"). */
const char *engine_lifecycle_action_name(EngineCampaignAction action);
const char *engine_lifecycle_action_done(EngineCampaignAction action);
bool engine_lifecycle_action_parse(const char *name, EngineCampaignAction *action);
/* Where @action takes a campaign that is @from; false when it may not. */
bool engine_lifecycle_campaign_after(EngineCampaignState from, EngineCampaignAction action,
                                     EngineCampaignState *to);

typedef enum {
	ENGINE_MESSAGE_SENDING,   /* recorded before a byte left; the outcome is not known yet */
	ENGINE_MESSAGE_SENT,      /* the server took it */
	ENGINE_MESSAGE_FAILED,    /* refused for good */
	ENGINE_MESSAGE_UNCERTAIN, /* may have gone: never sent again */
} EngineMessageState;

typedef enum {
	ENGINE_PROSPECT_OK,          /* may be mailed */
	ENGINE_PROSPECT_BOUNCED,     /* the address cannot receive mail */
	ENGINE_PROSPECT_OPTED_OUT,   /* asked to be left alone */
	ENGINE_PROSPECT_BLACKLISTED, /* on the blacklist */
} EngineProspectStatus;

const char *engine_lifecycle_prospect_name(EngineProspectStatus status);
bool engine_lifecycle_prospect_parse(const char *name, EngineProspectStatus *status);

const char *engine_lifecycle_message_name(EngineMessageState state);
bool engine_lifecycle_message_parse(const char *name, EngineMessageState *state);
/* Whether a message may go from @from to @to (only from sending). */
bool engine_lifecycle_message_move_allowed(EngineMessageState from, EngineMessageState to);

/* What a timeline records: one event per thing that happened. */
typedef enum {
	ENGINE_EVENT_NONE,               /* nothing to record */
	ENGINE_EVENT_SENT,               /* a step went (or was found in the Sent folder) */
	ENGINE_EVENT_UNCERTAIN,          /* a step may have gone: never again */
	ENGINE_EVENT_BOUNCE,             /* refused for good, or a hard bounce */
	ENGINE_EVENT_SOFT_BOUNCE,        /* a full mailbox: the enrollment pauses */
	ENGINE_EVENT_DELAYED,            /* a delay report: the server still tries */
	ENGINE_EVENT_REPLY,              /* the person answered */
	ENGINE_EVENT_COMPANY_REPLY,      /* a colleague answered */
	ENGINE_EVENT_AUTO_REPLY,         /* out of office and the like */
	ENGINE_EVENT_OPT_OUT,            /* asked to be left alone */
	ENGINE_EVENT_PAUSED,             /* a mailbox paused itself (trouble) */
	ENGINE_EVENT_RESUMED,            /* an enrollment's pause ended */
	ENGINE_EVENT_ERROR,              /* a step could not be composed */
	ENGINE_EVENT_UNMATCHED,          /* mail that concerns no enrollment, kept for a person */
	ENGINE_EVENT_MAILBOX_RESUMED,    /* a mailbox's pause ended (its time, or a person) */
	ENGINE_EVENT_CAMPAIGN_COMPLETED, /* the last open enrollment of a campaign ended */
	ENGINE_EVENT_COMPLAINT,          /* a spam complaint (ARF): opted out, counts against
	                                  * the mailbox */
	ENGINE_EVENT_NEEDS_REVIEW,       /* mail from the prospect no rule could read: held */
	ENGINE_EVENT_OTHER,              /* mail that changes nothing (a read receipt, a list) */
	ENGINE_EVENT_OPEN,               /* a person opened a tracked message (its image) */
	ENGINE_EVENT_CLICK,              /* a person followed a tracked link */
	ENGINE_EVENT_MACHINE_FETCH,      /* a tracked image or link fetched by no person
	                                  * (engine_tracking_judge): kept, never counted */
	ENGINE_EVENT_SKIPPED,            /* a follow-up's `if:` did not hold: not sent */
	ENGINE_EVENT_TASK,               /* a task step for a person: the sequence waits */
	ENGINE_EVENT_TASK_DONE,          /* a person did it: the sequence goes on */
} EngineEvent;

/* The last kind of event: what goes through them all stops there. */
#define ENGINE_EVENT_LAST ENGINE_EVENT_TASK_DONE

/* The stored name ("sent", "company_reply", ...); "" for NONE. */
const char *engine_lifecycle_event_name(EngineEvent event);

/* The webhook type an event is announced as ("message.sent",
 * "message.uncertain", "reply.received" (a colleague's too),
 * "auto_reply.received", "bounce.received" (hard or soft),
 * "prospect.opted_out", "mailbox.paused", "mailbox.resumed",
 * "campaign.completed", "complaint.received", "reply.needs_review"), or NULL for the kinds no
 * subscriber hears of (a delay report, a resumed enrollment, an error, mail
 * that concerns no one). */
const char *engine_lifecycle_event_webhook(EngineEvent event);
bool engine_lifecycle_event_parse(const char *name, EngineEvent *event);
