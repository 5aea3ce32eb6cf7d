/*
 * engine_reply_policy: what a person's reply does to their sequence, by
 * what it means (mail_intent), as a campaign sets it:
 *
 *   policies:
 *     on_reply:
 *       later: pause             # until the day the reply names, else later_days;
 *                                # then on with the next step ("pause step 2": from step 2)
 *       meeting: move Onboarding # end here; enrolled in campaign "Onboarding"
 *       wrong_person: enroll_referral  # end here; the colleague it names enrolled here
 *       not_interested: stop     # the default for every intent
 *     later_days: 90
 *
 * "unsubscribe" is no policy: an explicit request always opts the person
 * out. Pure.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
	ENGINE_REPLY_STOP,            /* the sequence ends (replied): the default */
	ENGINE_REPLY_PAUSE,           /* paused until the day named, then resumed */
	ENGINE_REPLY_MOVE,            /* ended here, enrolled in another campaign */
	ENGINE_REPLY_ENROLL_REFERRAL, /* ended here, the colleague named enrolled here */
} EngineReplyAction;

typedef struct {
	EngineReplyAction action;
	int resume_step; /* PAUSE: the step to go on with; 0: the next one */
	char *campaign;  /* MOVE: the campaign's name */
} EngineReplyPolicy;

/* Reads "stop", "pause", "pause step N", "move CAMPAIGN NAME",
 * "enroll_referral" into @policy (cleared first); false with *@problem (a
 * sentence, newly allocated) when it is none of them. */
bool engine_reply_policy_parse(const char *text, EngineReplyPolicy *policy, char **problem);
void engine_reply_policy_clear(EngineReplyPolicy *policy);

/* "stop", "pause", "move", "enroll_referral". */
const char *engine_reply_policy_action_name(EngineReplyAction action);
