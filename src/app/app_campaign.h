/*
 * app_campaign: what a person does to a campaign, for every front end (the
 * command today, the HTTP API next): typed results and GErrors, no
 * printing. The state machine is the engine's (engine_lifecycle); this is
 * where a request meets it and the store.
 */
#pragma once

#include "engine/engine_campaign.h"
#include "engine/engine_lifecycle.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

/*
 * Stores a campaign file's text (@length bytes; @source names it in
 * errors, "FILE:LINE:COLUMN: ..."): @create makes a new draft, else it
 * replaces the campaign of the same name (what was sent stays). Returns the
 * parsed campaign. APP_ERROR_INVALID when the text does not make a
 * campaign; the store's errors (a name taken, a mailbox missing, a step
 * someone was sent removed: STORE_ERROR_INVALID).
 */
EngineCampaign *app_campaign_save(Store *store, const char *text, gsize length, const char *source,
                                  bool create, GError **error);

/* A task step in words: "task: call: Ask about the demo". */
char *app_campaign_task_words(const EngineCampaignStep *step);

/* Per step of campaign @name, what happened after it (StoreStepReport),
 * and in *@campaign its row; APP_ERROR_NOT_FOUND. */
GArray *app_campaign_report(Store *store, const char *name, StoreCampaign **campaign,
                            GError **error);

/* Of campaign @name's steps that have (or had) A/B/n variants, each
 * variant's counts (StoreVariantReport, by step then variant), and in
 * *@winners the winners picked (StoreWinner); APP_ERROR_NOT_FOUND. */
GArray *app_campaign_variants(Store *store, const char *name, GArray **winners, GError **error);

/* Per UTC day, what campaign @name sent and what came back
 * (StoreDayCount), oldest first; APP_ERROR_NOT_FOUND. */
GArray *app_campaign_days(Store *store, const char *name, GError **error);

/* Who answered, newest first (StoreReply): in campaign @name, or in all of
 * them with the delivery reports kept for a person (@name NULL); only the
 * replies of @intent ("interested", ..., mail_intent) when it is not NULL.
 * APP_ERROR_NOT_FOUND; APP_ERROR_INVALID for an intent that is none. */
GPtrArray *app_campaign_replies(Store *store, const char *name, const char *intent,
                                const char *mailbox, guint limit, guint offset, GError **error);

/* How many replies to campaign @name each intent has, most first
 * (StoreCount); APP_ERROR_NOT_FOUND. */
GPtrArray *app_campaign_intents(Store *store, const char *name, GError **error);

/* Campaign @name as stored; APP_ERROR_NOT_FOUND when there is none. */
StoreCampaign *app_campaign_get(Store *store, const char *name, GError **error);

/* Its stored file, parsed (what the engine will run); APP_ERROR_INVALID
 * when it no longer makes a campaign. */
EngineCampaign *app_campaign_parse_stored(const StoreCampaign *stored, GError **error);

/*
 * Starts, pauses, resumes or archives campaign @name; *@state is its state
 * after. APP_ERROR_NOT_FOUND; APP_ERROR_STATE when @action may not follow
 * its state ("campaign "X" is archived; it cannot be started"), nothing
 * changed; APP_ERROR_INVALID when it would run and its stored file no
 * longer makes a campaign (a mailbox it names is gone); store errors.
 * A campaign a guard paused (engine_guard) resumes only with @ack_guard
 * (APP_ERROR_STATE naming the rule otherwise); its guards count anew.
 */
bool app_campaign_act(Store *store, const char *name, EngineCampaignAction action, bool ack_guard,
                      EngineCampaignState *state, GError **error);

/* One step of a preview: the message exactly as it would be sent. */
typedef struct {
	int step;
	int variant;         /* the one this prospect gets (0 is A); -1: the step has none */
	guint n_variants;    /* the step's (1: none) */
	int64_t earliest_us; /* the first moment it may go (window, delays) */
	GBytes *message;     /* RFC 5322, CRLF; NULL when skipped */
	char *skipped;       /* why its `if:` skips it for this prospect; NULL: it goes */
	char *task;          /* a task step: "task: call: its note" (no message) */
} AppPreviewStep;

typedef struct {
	char *email;         /* the prospect */
	char *mailbox;       /* the address it goes from */
	GTimeZone *zone;     /* the prospect's, else the campaign's: the window's zone */
	GPtrArray *steps;    /* AppPreviewStep, in order */
	GPtrArray *warnings; /* char *: engine_content_check's, with their places */
} AppCampaignPreview;

void app_campaign_preview_free(AppCampaignPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppCampaignPreview, app_campaign_preview_free)

/*
 * Campaign @name's steps for prospect @email (NULL: the first one
 * enrolled) as they would go, each at its earliest moment from @from (an
 * ISO 8601 date or time, read in the window's zone when it has none; NULL:
 * @now_us): from the prospect's mailbox when it has one, else the
 * campaign's first; of a step with variants, the one the prospect gets
 * (engine_variant; A for a prospect not enrolled). APP_ERROR_NOT_FOUND; APP_ERROR_INVALID for
 * nobody enrolled, no such prospect, a mailbox not set up, a @from that is not a date, or a
 * template without a value ("x@y.test: step 1 body:1:4: ...").
 */
AppCampaignPreview *app_campaign_preview(Store *store, const char *name, const char *email,
                                         const char *from, int64_t now_us, GError **error);

/* The same for a campaign file not saved (@text, @length bytes: a draft
 * as it is typed) and prospect @email, from the campaign's first mailbox;
 * APP_ERROR_INVALID for a file with a mistake (its place in the words). */
AppCampaignPreview *app_campaign_preview_text(Store *store, const char *text, gsize length,
                                              const char *email, const char *from, int64_t now_us,
                                              GError **error);
