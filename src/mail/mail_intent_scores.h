/*
 * mail_intent_scores: what the reply-intent reader has gathered while it
 * reads a reply: a weight per intent and the signals that decide between
 * them once the whole text is read. Plain data, filled by mail_intent.c
 * and mail_intent_context.c; shared by the mail_intent_* files alone.
 */
#pragma once

#include "mail/mail_intent.h"

#include <glib.h>
#include <stdbool.h>

typedef struct {
	int score[MAIL_INTENT_COUNT]; /* the weight of the cues found, per intent */
	bool not_yet; /* a "no" with a time qualifier beside it: "not interested right now" */
	int dated;    /* the weight of the cues that need a date ("try again"), not yet scored */
	bool stop_for_another; /* "unsubscribe my colleague": no one to refer to */
	bool stop_for_now;     /* "take us off your list for now": a pause, with a date */
	int write_me;          /* "send me an email in January": the interest its "send me"
	                        * gave, held until we know whether a date is said */
	const char *sender;    /* the writer's address (lower case), or NULL; borrowed */
	GString *evidence;     /* the phrases that decided, comma-separated; owned */
} MailIntentScores;

/* Adds @what to the evidence, after a comma when there is some. */
static inline void
mail_intent_scores_note(MailIntentScores *scores, const char *what)
{
	g_string_append_printf(scores->evidence, "%s%s", scores->evidence->len > 0 ? ", " : "",
	                       what);
}
