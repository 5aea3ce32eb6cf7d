/* The API's campaigns: list, one, create, replace, report, preview, act. */
#include "http/http_api_campaign.h"

#include "app/app_campaign.h"
#include "app/app_campaign_fields.h"
#include "http/http_json.h"
#include "mail/mail_address.h"

#include <string.h>

static json_t *
campaign_json(const StoreCampaign *c)
{
	return json_pack("{s:o, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:o}", "name",
	                 http_json_text(c->name), "state", c->state, "steps",
	                 (json_int_t)c->n_steps, "enrolled", (json_int_t)c->n_enrolled, "active",
	                 (json_int_t)c->n_active, "sent", (json_int_t)c->n_sent, "replied",
	                 (json_int_t)c->n_replied, "uncertain", (json_int_t)c->n_uncertain,
	                 "created_at", http_json_time(c->created_at), "updated_at",
	                 http_json_time(c->updated_at), "guard",
	                 http_json_text(c->guard != NULL && c->guard[0] != '\0' ? c->guard : NULL));
}

void
http_api_campaign_list(HttpExchange *x)
{
	g_autoptr(GPtrArray) all = store_campaign_list(x->store, &x->error);
	if (all == NULL)
		return;
	json_t *list = json_array();
	for (guint i = 0; i < all->len; i++)
		json_array_append_new(list, campaign_json(all->pdata[i]));
	x->answer = list;
}

static void
answer_campaign(HttpExchange *x, const char *name)
{
	g_autoptr(StoreCampaign) c = app_campaign_get(x->store, name, &x->error);
	if (c == NULL)
		return;
	x->answer = campaign_json(c);
	json_object_set_new(x->answer, "definition", http_json_text(c->definition));
}

void
http_api_campaign_get(HttpExchange *x)
{
	answer_campaign(x, x->param[0]);
}

/* Saves the body's "definition"; the campaign's name in *@name. */
static bool
save(HttpExchange *x, bool create, char **name)
{
	bool ok = true;
	const char *definition = http_json_body_string(x, "definition", &ok);
	if (!ok)
		return false;
	if (definition == NULL) {
		http_json_fail(x, APP_ERROR_INVALID,
		               "definition: the campaign file's text (see docs/campaign.md)");
		return false;
	}
	if (!create) {
		/* The file names the campaign; it must be the one of the path. */
		g_autoptr(GError) error = NULL;
		g_autoptr(EngineCampaign) parsed =
		        engine_campaign_parse(definition, strlen(definition), "definition", &error);
		if (parsed != NULL && strcmp(parsed->name, x->param[0]) != 0) {
			g_autofree char *message =
			        g_strdup_printf("the definition names \"%s\", not \"%s\"",
			                        parsed->name, x->param[0]);
			http_json_fail(x, APP_ERROR_INVALID, message);
			return false;
		}
	}
	g_autoptr(EngineCampaign) saved = app_campaign_save(
	        x->store, definition, strlen(definition), "definition", create, &x->error);
	if (saved == NULL)
		return false;
	*name = g_strdup(saved->name);
	return true;
}

void
http_api_campaign_create(HttpExchange *x)
{
	g_autofree char *name = NULL;
	if (!save(x, true, &name))
		return;
	answer_campaign(x, name);
	x->status = 201;
}

void
http_api_campaign_replace(HttpExchange *x)
{
	g_autofree char *name = NULL;
	if (save(x, false, &name))
		answer_campaign(x, name);
}

/* The A/B/n variants of the report: each with its counts, and the
 * winner's why. NULL with x->error. */
static json_t *
variants_json(HttpExchange *x)
{
	g_autoptr(GArray) winners = NULL;
	g_autoptr(GArray) variants =
	        app_campaign_variants(x->store, x->param[0], &winners, &x->error);
	if (variants == NULL)
		return NULL;
	json_t *list = json_array();
	for (guint i = 0; i < variants->len; i++) {
		const StoreVariantReport *v = &g_array_index(variants, StoreVariantReport, i);
		const StoreWinner *won = NULL;
		for (guint w = 0; w < winners->len; w++)
			if (g_array_index(winners, StoreWinner, w).step == v->step &&
			    g_array_index(winners, StoreWinner, w).variant == v->variant)
				won = &g_array_index(winners, StoreWinner, w);
		char letter[2] = {engine_campaign_variant_letter(v->variant), '\0'};
		json_t *item = json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:b}", "step",
		                         (json_int_t)v->step, "variant", letter, "sent",
		                         (json_int_t)v->sent, "replied", (json_int_t)v->replied,
		                         "bounced", (json_int_t)v->bounced, "opted_out",
		                         (json_int_t)v->opted_out, "winner", won != NULL);
		if (won != NULL) {
			json_object_set_new(item, "picked_at", http_json_time(won->decided_at));
			json_object_set_new(item, "why", http_json_text(won->detail));
		}
		json_array_append_new(list, item);
	}
	return list;
}

void
http_api_campaign_report(HttpExchange *x)
{
	StoreCampaign *stored = NULL;
	g_autoptr(GArray) steps = app_campaign_report(x->store, x->param[0], &stored, &x->error);
	g_autoptr(StoreCampaign) c = stored;
	if (steps == NULL)
		return;
	json_t *list = json_array();
	for (guint i = 0; i < steps->len; i++) {
		const StoreStepReport *r = &g_array_index(steps, StoreStepReport, i);
		json_array_append_new(
		        list,
		        json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "step",
		                  (json_int_t)r->step, "sent", (json_int_t)r->sent, "replied",
		                  (json_int_t)r->replied, "auto_replied",
		                  (json_int_t)r->auto_replied, "bounced", (json_int_t)r->bounced,
		                  "opted_out", (json_int_t)r->opted_out, "uncertain",
		                  (json_int_t)r->uncertain, "opened", (json_int_t)r->opened,
		                  "clicked", (json_int_t)r->clicked));
	}
	g_autoptr(GArray) days = app_campaign_days(x->store, x->param[0], &x->error);
	if (days == NULL) {
		json_decref(list);
		return;
	}
	json_t *per_day = http_json_days(days);
	g_autoptr(GPtrArray) counts = app_campaign_intents(x->store, x->param[0], &x->error);
	if (counts == NULL) {
		json_decref(list);
		json_decref(per_day);
		return;
	}
	json_t *variants = variants_json(x);
	if (variants == NULL) {
		json_decref(list);
		json_decref(per_day);
		return;
	}
	json_t *intents = json_object();
	for (guint i = 0; i < counts->len; i++) {
		const StoreCount *count = counts->pdata[i];
		json_object_set_new(intents, count->name, json_integer((json_int_t)count->n));
	}
	x->answer = json_pack("{s:o, s:o, s:o, s:o, s:o}", "campaign", campaign_json(c), "steps",
	                      list, "intents", intents, "days", per_day, "variants", variants);
}

void
http_api_campaign_act(HttpExchange *x)
{
	EngineCampaignAction action = ENGINE_CAMPAIGN_START;
	if (!engine_lifecycle_action_parse(x->param[1], &action)) {
		http_json_fail(x, APP_ERROR_NOT_FOUND,
		               "a campaign is started, paused, resumed or archived");
		return;
	}
	EngineCampaignState state = ENGINE_CAMPAIGN_DRAFT;
	bool ack_guard = g_strcmp0(g_hash_table_lookup(x->query, "ack_guard"), "true") == 0;
	if (!app_campaign_act(x->store, x->param[0], action, ack_guard, &state, &x->error))
		return;
	x->answer = json_pack("{s:o, s:s}", "name", http_json_text(x->param[0]), "state",
	                      engine_lifecycle_campaign_name(state));
}

/* The prospect's address normalised, or NULL (the exchange failed when
 * @given was not one; NULL given: none asked). */
static char *
prospect_of(HttpExchange *x, const char *given, bool *ok)
{
	*ok = true;
	if (given == NULL)
		return NULL;
	g_autoptr(GError) error = NULL;
	char *email = mail_address_normalize(given, &error);
	if (email == NULL) {
		g_autofree char *message =
		        g_strdup_printf("prospect \"%s\": %s", given, error->message);
		http_json_fail(x, APP_ERROR_INVALID, message);
		*ok = false;
	}
	return email;
}

static json_t *
preview_json(const AppCampaignPreview *preview)
{
	json_t *steps = json_array();
	for (guint i = 0; i < preview->steps->len; i++) {
		const AppPreviewStep *step = preview->steps->pdata[i];
		if (step->skipped != NULL) {
			json_array_append_new(steps, json_pack("{s:i, s:o}", "step",
			                                       (json_int_t)step->step, "skipped",
			                                       http_json_text(step->skipped)));
			continue;
		}
		if (step->task != NULL) {
			json_array_append_new(steps, json_pack("{s:i, s:o, s:o}", "step",
			                                       (json_int_t)step->step, "earliest",
			                                       http_json_time(step->earliest_us),
			                                       "task", http_json_text(step->task)));
			continue;
		}
		gsize size = 0;
		const char *data = g_bytes_get_data(step->message, &size);
		g_autofree char *message = g_strndup(data, size);
		json_t *item = json_pack("{s:i, s:o, s:o}", "step", (json_int_t)step->step,
		                         "earliest", http_json_time(step->earliest_us), "message",
		                         http_json_text(message));
		if (step->variant >= 0) {
			char letter[2] = {engine_campaign_variant_letter(step->variant), '\0'};
			json_object_set_new(item, "variant", json_string(letter));
		}
		json_array_append_new(steps, item);
	}
	json_t *warnings = json_array();
	for (guint i = 0; i < preview->warnings->len; i++)
		json_array_append_new(warnings, http_json_text(preview->warnings->pdata[i]));
	return json_pack("{s:o, s:o, s:s, s:o, s:o}", "prospect", http_json_text(preview->email),
	                 "mailbox", http_json_text(preview->mailbox), "timezone",
	                 g_time_zone_get_identifier(preview->zone), "steps", steps, "warnings",
	                 warnings);
}

void
http_api_campaign_preview(HttpExchange *x)
{
	bool ok = true;
	g_autofree char *email = prospect_of(x, g_hash_table_lookup(x->query, "prospect"), &ok);
	if (!ok)
		return;
	g_autoptr(AppCampaignPreview) preview =
	        app_campaign_preview(x->store, x->param[0], email,
	                             g_hash_table_lookup(x->query, "from"), x->now_us, &x->error);
	if (preview != NULL)
		x->answer = preview_json(preview);
}

void
http_api_campaign_preview_draft(HttpExchange *x)
{
	bool ok = true;
	const char *definition = http_json_body_string(x, "definition", &ok);
	const char *prospect = http_json_body_string(x, "prospect", &ok);
	const char *from = http_json_body_string(x, "from", &ok);
	if (!ok)
		return;
	if (definition == NULL || prospect == NULL) {
		http_json_fail(x, APP_ERROR_INVALID, "send definition and prospect");
		return;
	}
	g_autofree char *email = prospect_of(x, prospect, &ok);
	if (!ok)
		return;
	g_autoptr(AppCampaignPreview) preview = app_campaign_preview_text(
	        x->store, definition, strlen(definition), email, from, x->now_us, &x->error);
	if (preview != NULL)
		x->answer = preview_json(preview);
}

static json_t *
field_json(const AppCampaignField *field)
{
	json_t *steps = json_array();
	for (guint i = 0; i < field->steps->len; i++)
		json_array_append_new(steps, json_integer(g_array_index(field->steps, int, i)));
	json_t *item =
	        json_pack("{s:o, s:o, s:b, s:b}", "name", http_json_text(field->name), "steps",
	                  steps, "required", field->required, "sender", field->sender);
	if (!field->sender)
		json_object_set_new(item, "missing", json_integer((json_int_t)field->missing));
	return item;
}

static json_t *
spin_json(const AppCampaignSpin *spin)
{
	json_t *choices = json_array();
	for (char **c = spin->choices; *c != NULL; c++)
		json_array_append_new(choices, http_json_text(*c));
	char variant[2] = {spin->variant, '\0'};
	return json_pack("{s:i, s:o, s:s, s:o}", "step", spin->step, "variant",
	                 spin->variant != '\0' ? json_string(variant) : json_null(), "part",
	                 spin->part, "choices", choices);
}

void
http_api_campaign_fields(HttpExchange *x)
{
	bool ok = true;
	const char *definition = http_json_body_string(x, "definition", &ok);
	const char *campaign = http_json_body_string(x, "campaign", &ok);
	if (!ok)
		return;
	if (definition == NULL) {
		http_json_fail(x, APP_ERROR_INVALID, "send definition");
		return;
	}
	g_autoptr(AppCampaignFields) found = app_campaign_fields_read(
	        x->store, definition, strlen(definition), campaign, &x->error);
	if (found == NULL)
		return;
	json_t *fields = json_array();
	for (guint i = 0; i < found->fields->len; i++)
		json_array_append_new(fields, field_json(found->fields->pdata[i]));
	json_t *spins = json_array();
	for (guint i = 0; i < found->spins->len; i++)
		json_array_append_new(spins, spin_json(found->spins->pdata[i]));
	x->answer =
	        json_pack("{s:I, s:b, s:o, s:o}", "prospects", (json_int_t)found->prospects,
	                  "enrolled_only", found->enrolled_only, "fields", fields, "spins", spins);
}
