/* Campaign use cases: the lifecycle of a stored campaign. */
#include "app/app_campaign.h"

#include "engine/engine_variant.h"

#include "mail/mail_intent.h"

#include "app/app_error.h"
#include "engine/engine_compose.h"
#include "engine/engine_content.h"

#include <string.h>

char *
app_campaign_task_words(const EngineCampaignStep *step)
{
	if (step->note != NULL && step->note[0] != '\0')
		return g_strdup_printf("task: %s: %s", step->task, step->note);
	return g_strdup_printf("task: %s", step->task);
}

EngineCampaign *
app_campaign_save(Store *store, const char *text, gsize length, const char *source, bool create,
                  GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(EngineCampaign) campaign = engine_campaign_parse(text, length, source, &local);
	if (campaign == NULL) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID, local->message);
		return NULL;
	}
	g_autofree StoreStepInput *steps = g_new0(StoreStepInput, campaign->steps->len);
	g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < campaign->steps->len; i++) {
		const EngineCampaignStep *step = campaign->steps->pdata[i];
		/* A task step's row says what the person does. */
		const char *body = step->body;
		if (step->task != NULL) {
			g_ptr_array_add(tasks, app_campaign_task_words(step));
			body = g_ptr_array_index(tasks, tasks->len - 1);
		}
		steps[i] = (StoreStepInput){step->subject, body, step->delay_s};
	}
	StoreCampaignInput input = {
	        .name = campaign->name,
	        .definition = campaign->text,
	        .steps = steps,
	        .n_steps = campaign->steps->len,
	        .mailboxes = (const char *const *)campaign->mailboxes->pdata,
	        .n_mailboxes = campaign->mailboxes->len,
	};
	if (create ? !store_campaign_create(store, &input, NULL, error)
	           : !store_campaign_update(store, &input, error))
		return NULL;
	return g_steal_pointer(&campaign);
}

StoreCampaign *
app_campaign_get(Store *store, const char *name, GError **error)
{
	GError *local = NULL;
	StoreCampaign *campaign = store_campaign_get(store, name, &local);
	if (campaign == NULL && local == NULL)
		local = g_error_new(APP_ERROR, APP_ERROR_NOT_FOUND,
		                    "no campaign named \"%s\" (see piculet campaign list)", name);
	if (local != NULL)
		g_propagate_error(error, local);
	return campaign;
}

EngineCampaign *
app_campaign_parse_stored(const StoreCampaign *stored, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *name = g_strdup_printf("campaign \"%s\"", stored->name);
	EngineCampaign *campaign =
	        engine_campaign_parse(stored->definition, strlen(stored->definition), name, &local);
	if (campaign == NULL)
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID, local->message);
	return campaign;
}

bool
app_campaign_act(Store *store, const char *name, EngineCampaignAction action, bool ack_guard,
                 EngineCampaignState *state, GError **error)
{
	g_autoptr(StoreCampaign) stored = app_campaign_get(store, name, error);
	if (stored == NULL)
		return false;
	bool guarded = stored->guard != NULL && stored->guard[0] != '\0';
	if (guarded && (action == ENGINE_CAMPAIGN_RESUME || action == ENGINE_CAMPAIGN_START) &&
	    !ack_guard) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "campaign \"%s\" was paused by its %s; clean the list (piculet report "
		            "shows the bounces), then resume it with --ack-guard",
		            name, stored->guard);
		return false;
	}
	EngineCampaignState from = engine_lifecycle_campaign_of(stored);
	EngineCampaignState to = from;
	if (!engine_lifecycle_campaign_after(from, action, &to)) {
		g_set_error(error, APP_ERROR, APP_ERROR_STATE,
		            "campaign \"%s\" is %s; it cannot be %s", name, stored->state,
		            engine_lifecycle_action_done(action));
		return false;
	}
	if (to == ENGINE_CAMPAIGN_RUNNING) {
		/* The stored file must still make a campaign (and its mailboxes
		 * exist) before anything may be sent from it. */
		g_autoptr(EngineCampaign) campaign = app_campaign_parse_stored(stored, error);
		if (campaign == NULL)
			return false;
	}
	bool found = false;
	if (guarded && to == ENGINE_CAMPAIGN_RUNNING &&
	    !store_campaign_set_guard(store, stored->id, "", error))
		return false;
	if (!store_campaign_set_state(store, name, engine_lifecycle_campaign_name(to), &found,
	                              error))
		return false;
	if (!found) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "campaign \"%s\" is gone", name);
		return false;
	}
	*state = to;
	return true;
}

GArray *
app_campaign_report(Store *store, const char *name, StoreCampaign **campaign, GError **error)
{
	g_autoptr(StoreCampaign) found = app_campaign_get(store, name, error);
	if (found == NULL)
		return NULL;
	GArray *report = store_campaign_report(store, found->id, error);
	if (report != NULL)
		*campaign = g_steal_pointer(&found);
	return report;
}

/* Marks step @step (1-based) in @steps, a bool per step number. */
static void
mark_step(GArray *steps, int step)
{
	if (step < 1 || step > 10000)
		return;
	if ((guint)step >= steps->len)
		g_array_set_size(steps, (guint)step + 1);
	g_array_index(steps, bool, step) = true;
}

static gint
by_step_and_variant(gconstpointer a, gconstpointer b)
{
	const StoreVariantReport *x = a;
	const StoreVariantReport *y = b;
	return x->step != y->step ? (x->step > y->step) - (x->step < y->step)
	                          : (x->variant > y->variant) - (x->variant < y->variant);
}

GArray *
app_campaign_variants(Store *store, const char *name, GArray **winners, GError **error)
{
	g_autoptr(StoreCampaign) found = app_campaign_get(store, name, error);
	if (found == NULL)
		return NULL;
	g_autoptr(EngineCampaign) campaign = engine_campaign_parse(
	        found->definition, strlen(found->definition), found->name, NULL);
	g_autoptr(GArray) counts = store_campaign_variants(store, found->id, error);
	if (counts == NULL)
		return NULL;
	g_autoptr(GArray) picked = store_campaign_winners(store, found->id, error);
	if (picked == NULL)
		return NULL;
	/* Steps without variants have every message as A: left out, unless a
	 * step lost its variants after some went (its history stays). */
	g_autoptr(GArray) split = g_array_new(FALSE, TRUE, sizeof(bool));
	for (guint i = 0; campaign != NULL && i < campaign->steps->len; i++)
		if (((const EngineCampaignStep *)campaign->steps->pdata[i])->variants != NULL)
			mark_step(split, (int)i + 1);
	for (guint i = 0; i < counts->len; i++) {
		const StoreVariantReport *row = &g_array_index(counts, StoreVariantReport, i);
		if (row->variant > 0)
			mark_step(split, row->step);
	}
	GArray *variants = g_array_new(FALSE, TRUE, sizeof(StoreVariantReport));
	for (guint i = 0; i < counts->len; i++) {
		const StoreVariantReport *row = &g_array_index(counts, StoreVariantReport, i);
		if (row->step >= 1 && (guint)row->step < split->len &&
		    g_array_index(split, bool, row->step))
			g_array_append_val(variants, *row);
	}
	/* A variant nothing went with yet shows as nought. */
	for (guint i = 0; campaign != NULL && i < campaign->steps->len; i++) {
		guint n = engine_campaign_n_variants(campaign->steps->pdata[i]);
		for (guint v = 0; n > 1 && v < n; v++) {
			bool seen = false;
			for (guint r = 0; r < variants->len && !seen; r++) {
				const StoreVariantReport *row =
				        &g_array_index(variants, StoreVariantReport, r);
				seen = row->step == (int)i + 1 && row->variant == (int)v;
			}
			StoreVariantReport none = {.step = (int)i + 1, .variant = (int)v};
			if (!seen)
				g_array_append_val(variants, none);
		}
	}
	g_array_sort(variants, by_step_and_variant);
	*winners = g_steal_pointer(&picked);
	return variants;
}

GArray *
app_campaign_days(Store *store, const char *name, GError **error)
{
	g_autoptr(StoreCampaign) found = app_campaign_get(store, name, error);
	return found != NULL ? store_campaign_days(store, found->id, error) : NULL;
}

GPtrArray *
app_campaign_replies(Store *store, const char *name, const char *intent, const char *mailbox,
                     guint limit, guint offset, GError **error)
{
	MailIntent known;
	if (intent != NULL && !mail_intent_parse(intent, &known)) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "no intent \"%s\" (interested, meeting, later, not_interested, "
		            "wrong_person, unsubscribe, needs_review)",
		            intent);
		return NULL;
	}
	int64_t campaign_id = 0;
	if (name != NULL) {
		g_autoptr(StoreCampaign) found = app_campaign_get(store, name, error);
		if (found == NULL)
			return NULL;
		campaign_id = found->id;
	}
	return store_inbound_list_replies(store, campaign_id, intent, mailbox, limit, offset,
	                                  error);
}

GPtrArray *
app_campaign_intents(Store *store, const char *name, GError **error)
{
	g_autoptr(StoreCampaign) found = app_campaign_get(store, name, error);
	if (found == NULL)
		return NULL;
	return store_inbound_count_intents(store, found->id, error);
}

static void
preview_step_free(AppPreviewStep *step)
{
	if (step->message != NULL)
		g_bytes_unref(step->message);
	g_free(step->skipped);
	g_free(step->task);
	g_free(step);
}

void
app_campaign_preview_free(AppCampaignPreview *preview)
{
	if (preview == NULL)
		return;
	g_free(preview->email);
	g_free(preview->mailbox);
	if (preview->zone != NULL)
		g_time_zone_unref(preview->zone);
	if (preview->steps != NULL)
		g_ptr_array_unref(preview->steps);
	if (preview->warnings != NULL)
		g_ptr_array_unref(preview->warnings);
	g_free(preview);
}

/* "2026-12-01T08:00:00Z", or with an offset, or a date (its midnight); a
 * time without a zone is read in @zone. -1 when it is none of these. */
static int64_t
parse_from(const char *text, GTimeZone *zone)
{
	g_autoptr(GDateTime) moment = g_date_time_new_from_iso8601(text, zone);
	if (moment == NULL) {
		g_autofree char *midnight = g_strdup_printf("%sT00:00:00", text);
		moment = g_date_time_new_from_iso8601(midnight, zone);
	}
	return moment != NULL ? g_date_time_to_unix(moment) * G_USEC_PER_SEC : -1;
}

/* The enrollment of @email (NULL, no error, when it has none), or the
 * first one of the campaign (an error when there is none). */
static StoreEnrollment *
previewed_enrollment(Store *store, const StoreCampaign *stored, const char *email, GError **error)
{
	GError *local = NULL;
	StoreEnrollment *enrollment = NULL;
	if (email != NULL) {
		enrollment = store_enrollment_get(store, stored->id, email, &local);
	} else {
		g_autoptr(GPtrArray) first = store_enrollment_list(store, stored->id, 1, &local);
		if (first != NULL && first->len > 0)
			enrollment = g_ptr_array_steal_index(first, 0);
		else if (first != NULL)
			local = g_error_new(APP_ERROR, APP_ERROR_INVALID,
			                    "nobody is enrolled in \"%s\" yet: name a prospect",
			                    stored->name);
	}
	if (local != NULL)
		g_propagate_error(error, local);
	return enrollment;
}

/* The prospect's own mailbox when it has one (@mailbox_id), else the
 * campaign's first. */
static StoreMailbox *
previewed_mailbox(Store *store, const EngineCampaign *campaign, int64_t mailbox_id, GError **error)
{
	g_autoptr(GPtrArray) mailboxes = store_mailbox_list(store, error);
	if (mailboxes == NULL)
		return NULL;
	for (guint i = 0; i < mailboxes->len; i++) {
		const StoreMailbox *m = mailboxes->pdata[i];
		if (mailbox_id != 0 ? m->id == mailbox_id
		                    : strcmp(m->address, campaign->mailboxes->pdata[0]) == 0)
			return g_ptr_array_steal_index(mailboxes, i);
	}
	g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "mailbox %s is not set up",
	            (const char *)campaign->mailboxes->pdata[0]);
	return NULL;
}

/* Composes every step from @from_us on, threaded as they would be. */
static bool
compose_steps(Store *store, AppCampaignPreview *preview, const EngineCampaign *campaign,
              const StoreProspect *prospect, const StoreMailbox *mailbox,
              const StoreEnrollment *enrollment, const GArray *winners, int64_t from_us,
              GError **error)
{
	g_autoptr(GPtrArray) thread = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *first_subject = NULL;
	int64_t at = from_us;
	int first_variant = 0;
	for (guint i = 0; i < campaign->steps->len; i++) {
		int step = (int)i + 1;
		const EngineCampaignStep *of_step = campaign->steps->pdata[i];
		int winner = -1;
		for (guint w = 0; winners != NULL && w < winners->len; w++)
			if (g_array_index(winners, StoreWinner, w).step == step)
				winner = g_array_index(winners, StoreWinner, w).variant;
		int variant = enrollment != NULL
		                      ? engine_variant_of(of_step, enrollment->id, winner)
		                      : MAX(winner, 0);
		if (step == 1)
			first_variant = variant;
		if (of_step->condition != NULL) {
			const EngineCondition *condition = of_step->condition;
			g_autofree char *intent = NULL;
			const char *field = engine_condition_field(condition);
			bool reply = strcmp(field, "reply") == 0;
			if (reply && enrollment != NULL &&
			    !store_inbound_last_intent(store, enrollment->id, &intent, error))
				return false;
			const char *value =
			        reply ? intent : engine_compose_prospect_value(prospect, field);
			if (!engine_condition_holds(condition, value)) {
				AppPreviewStep *entry = g_new0(AppPreviewStep, 1);
				entry->step = step;
				entry->variant = -1;
				entry->n_variants = engine_campaign_n_variants(of_step);
				entry->earliest_us = -1;
				entry->skipped = g_strdup_printf("\"%s\" does not hold",
				                                 engine_condition_text(condition));
				g_ptr_array_add(preview->steps, entry);
				continue;
			}
		}
		at = engine_campaign_due_at(campaign, preview->zone, step, at);
		if (of_step->task != NULL) {
			AppPreviewStep *entry = g_new0(AppPreviewStep, 1);
			entry->step = step;
			entry->variant = -1;
			entry->n_variants = 1;
			entry->earliest_us = at;
			entry->task = app_campaign_task_words(of_step);
			g_ptr_array_add(preview->steps, entry);
			continue;
		}
		g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc(at / G_USEC_PER_SEC);
		EngineComposeSpec spec = {
		        .campaign = campaign,
		        .step = step,
		        .variant = variant,
		        .first_variant = first_variant,
		        .prospect = prospect,
		        .mailbox = mailbox,
		        .thread = thread,
		        .first_subject = first_subject,
		        .date = date,
		};
		g_auto(EngineComposed) composed = {0};
		g_autoptr(GError) local = NULL;
		if (!engine_compose_step(&spec, &composed, &local)) {
			g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "%s: %s", prospect->email,
			            local->message);
			return false;
		}
		if (step == 1)
			first_subject = g_strdup(composed.subject);
		g_ptr_array_add(thread, g_strdup(composed.message_id));
		AppPreviewStep *entry = g_new0(AppPreviewStep, 1);
		entry->step = step;
		entry->n_variants = engine_campaign_n_variants(of_step);
		entry->variant = of_step->variants != NULL ? variant : -1;
		entry->earliest_us = at;
		entry->message = g_bytes_ref(composed.bytes);
		g_ptr_array_add(preview->steps, entry);
	}
	return true;
}

/* @campaign's steps for prospect @email as they would go; its enrollment
 * in @stored (a stored campaign, or NULL for a draft) picks the mailbox
 * and, with no @email, the prospect. */
static AppCampaignPreview *
preview_parsed(Store *store, const EngineCampaign *campaign, const StoreCampaign *stored,
               const char *email, const char *from, int64_t now_us, GError **error)
{
	GError *local = NULL;
	/* A prospect not enrolled may be previewed too (what it would get). */
	g_autoptr(StoreEnrollment) enrollment =
	        stored != NULL ? previewed_enrollment(store, stored, email, &local) : NULL;
	if (local != NULL) {
		g_propagate_error(error, local);
		return NULL;
	}
	if (email == NULL && enrollment == NULL) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID,
		                    "name a prospect to preview for");
		return NULL;
	}
	const char *who = email != NULL ? email : enrollment->email;
	g_autoptr(StoreProspect) prospect = store_prospect_get(store, who, &local);
	if (prospect == NULL) {
		if (local == NULL)
			local = g_error_new(APP_ERROR, APP_ERROR_INVALID, "no prospect %s", who);
		g_propagate_error(error, local);
		return NULL;
	}
	g_autoptr(StoreMailbox) mailbox = previewed_mailbox(
	        store, campaign, enrollment != NULL ? enrollment->mailbox_id : 0, error);
	if (mailbox == NULL)
		return NULL;
	g_autoptr(AppCampaignPreview) preview = g_new0(AppCampaignPreview, 1);
	preview->email = g_strdup(prospect->email);
	preview->mailbox = g_strdup(mailbox->address);
	preview->zone = engine_campaign_dup_zone(campaign, prospect->timezone);
	preview->steps = g_ptr_array_new_with_free_func((GDestroyNotify)preview_step_free);
	preview->warnings = engine_content_check(campaign);
	int64_t from_us = from != NULL ? parse_from(from, preview->zone) : now_us;
	if (from_us < 0) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "\"%s\": expected a date like 2026-12-01 or 2026-12-01T08:00:00Z",
		            from);
		return NULL;
	}
	g_autoptr(GArray) winners =
	        stored != NULL ? store_campaign_winners(store, stored->id, error) : NULL;
	if (stored != NULL && winners == NULL)
		return NULL;
	if (!compose_steps(store, preview, campaign, prospect, mailbox, enrollment, winners,
	                   from_us, error))
		return NULL;
	return g_steal_pointer(&preview);
}

AppCampaignPreview *
app_campaign_preview(Store *store, const char *name, const char *email, const char *from,
                     int64_t now_us, GError **error)
{
	g_autoptr(StoreCampaign) stored = app_campaign_get(store, name, error);
	if (stored == NULL)
		return NULL;
	g_autoptr(EngineCampaign) campaign = app_campaign_parse_stored(stored, error);
	if (campaign == NULL)
		return NULL;
	return preview_parsed(store, campaign, stored, email, from, now_us, error);
}

AppCampaignPreview *
app_campaign_preview_text(Store *store, const char *text, gsize length, const char *email,
                          const char *from, int64_t now_us, GError **error)
{
	GError *local = NULL;
	g_autoptr(EngineCampaign) campaign =
	        engine_campaign_parse(text, length, "the campaign", &local);
	if (campaign == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "%s", local->message);
		g_error_free(local);
		return NULL;
	}
	if (email == NULL) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID,
		                    "name a prospect to preview for");
		return NULL;
	}
	return preview_parsed(store, campaign, NULL, email, from, now_us, error);
}
