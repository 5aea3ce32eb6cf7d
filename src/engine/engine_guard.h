/*
 * engine_guard: the sender's reputation watched for the user, on by
 * default, per campaign and per mailbox: a share of hard bounces among the
 * prospects last contacted, a run of hard bounces, complaints (feedback
 * reports) against the messages sent. When a rule fires, the campaign (or
 * the mailbox) pauses with the rule and its numbers, and only a person who
 * acknowledges it resumes it (`campaign resume --ack-guard`, `mailbox
 * resume --ack-guard`); from then the guards count anew. docs/campaign.md
 * lists the rules and their defaults.
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdint.h>

typedef struct {
	guint window;                 /* prospects last contacted that the bounce rules see */
	guint min_contacted;          /* the rate rule waits for this many */
	guint max_bounce_permille;    /* fires at this share of hard bounces or more */
	guint max_in_a_row;           /* fires at this many hard bounces in a row */
	int64_t complaint_window_s;   /* complaints and messages counted over this */
	guint min_complaints;         /* the complaint rule waits for this many */
	guint max_complaint_per_100k; /* fires at this share of complaints or more */
} EngineGuardRules;

/* A campaign's (a bad list shows there first): 50 prospects, 20 at
 * least, 3 %; 5 in a row; 30 days, 2 complaints at least, 0.3 % (Gmail's
 * "never above"). A campaign file changes them (`guards:`). */
extern const EngineGuardRules engine_guard_campaign_default;

/* A mailbox's, a wider net over all its campaigns: 100 prospects, 50 at
 * least, 5 %; 10 in a row; complaints as for a campaign. */
extern const EngineGuardRules engine_guard_default;

/* The rule @window and the complaint counts break, in words with the
 * numbers ("hard bounces: 4 of the last 50 prospects (8.0 %; the limit is
 * 3.0 %)"), or NULL when none does. Pure. */
char *engine_guard_judge(const EngineGuardRules *rules, const StoreGuardWindow *window, guint sent,
                         guint complaints);
