/*
 * engine_compose: one step of a campaign for one prospect, as the exact
 * message that goes out: templates rendered with the prospect's fields
 * ({{first_name}}, any imported column) and the sending mailbox's
 * ({{sender.first_name}}, {{sender.name}}, {{sender.email}},
 * {{sender.signature}}); spintax seeded by the prospect and the step, so a
 * preview is what is sent; the signature appended; a step without a subject
 * answers in the thread ("Re: " + the first subject, In-Reply-To and
 * References to the earlier messages).
 *
 * Pure apart from the Date and Message-ID when those are not given.
 */
#pragma once

#include "base/base_seal.h"
#include "engine/engine_campaign.h"
#include "store/store.h"

#include <glib.h>

typedef struct {
	const EngineCampaign *campaign;
	int step;          /* 1-based */
	int variant;       /* of the step, 0 is A (engine_variant_of) */
	int first_variant; /* step 1's, for its subject when first_subject is NULL */
	const StoreProspect *prospect;
	const StoreMailbox *mailbox;
	/* The Message-IDs (without <>) sent to this prospect in this campaign
	 * so far, first to last; NULL or empty for the first step. */
	const GPtrArray *thread;
	const char *first_subject; /* the subject of step 1 as sent; NULL: rendered */
	const char *message_id;    /* NULL: a new one on the mailbox's domain */
	GDateTime *date;           /* NULL: now */
	/* The one-click unsubscribe link (engine_links), used when the
	 * campaign has list_unsubscribe; NULL: the mailto alone. */
	const char *unsubscribe_url;
	/* Signs the tracked links of a campaign with track_opens or
	 * track_clicks (engine_tracking); NULL: no HTML part (a preview). */
	const BaseSealKey *tracking_key;
	int64_t enrollment_id; /* whose links they are */
} EngineComposeSpec;

typedef struct {
	char *subject;
	char *body;
	char *message_id; /* without <> */
	GBytes *bytes;    /* RFC 5322, CRLF */
} EngineComposed;

void engine_compose_clear(EngineComposed *composed);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(EngineComposed, engine_compose_clear)

/* The value of template field @field ("first_name", "company", an
 * imported column) for @prospect; NULL when it has none. */
const char *engine_compose_prospect_value(const StoreProspect *prospect, const char *field);

/* Renders and composes. A missing field is ENGINE_ERROR_INPUT naming the
 * field and the step ("step 2 body:1:4: no value for first_name"). */
bool engine_compose_step(const EngineComposeSpec *spec, EngineComposed *composed, GError **error);
