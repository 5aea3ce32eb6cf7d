/*
 * The API's handlers and their table: each one reads its request, calls a
 * use case (src/app/) and words the answer as JSON. No rule lives here.
 */
#include "http/http_api.h"

#include "http/http_openapi.h"
#include "http/http_unsubscribe.h"

#include "app/app_campaign.h"
#include "app/app_error.h"
#include "app/app_mailbox.h"
#include "app/app_prospect.h"
#include "app/app_status.h"
#include "base/base_zone.h"
#include "mail/mail_address.h"

#include <string.h>

/* @text as JSON: null when NULL; made valid UTF-8 (stored mail may not be). */
static json_t *
text_json(const char *text)
{
	if (text == NULL)
		return json_null();
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	return json_string(valid);
}

/* A moment as RFC 3339 UTC, or null when not set. */
static json_t *
time_json(int64_t at_us)
{
	g_autofree char *text = base_zone_format_utc(at_us);
	return text_json(text);
}

static void
fail(HttpExchange *x, GError *error)
{
	x->error = error;
}

static void
fail_with(HttpExchange *x, AppError code, const char *message)
{
	x->error = g_error_new_literal(APP_ERROR, code, message);
}

/* The address in segment @index, normalised; NULL (and the exchange
 * failed) when it is not one. */
static char *
address_param(HttpExchange *x, guint index)
{
	GError *error = NULL;
	char *address = mail_address_normalize(x->param[index], &error);
	if (address == NULL) {
		g_prefix_error(&error, "\"%s\": ", x->param[index]);
		x->error = g_error_new_literal(APP_ERROR, APP_ERROR_INVALID, error->message);
		g_error_free(error);
	}
	return address;
}

static void
openapi(HttpExchange *x)
{
	x->answer = json_loads(http_openapi_document, 0, NULL);
}

static void
mailboxes(HttpExchange *x)
{
	GError *error = NULL;
	g_autoptr(GPtrArray) all = app_status_mailboxes(x->store, x->now_us, &error);
	if (all == NULL) {
		fail(x, error);
		return;
	}
	json_t *list = json_array();
	for (guint i = 0; i < all->len; i++) {
		const AppMailboxStatus *s = all->pdata[i];
		const StoreMailbox *m = s->mailbox;
		json_array_append_new(
		        list,
		        json_pack("{s:o, s:o, s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:{s:i, s:i}}",
		                  "address", text_json(m->address), "name",
		                  text_json(m->display_name), "activity",
		                  app_status_activity_name(s->activity), "sent_today",
		                  (json_int_t)s->sent_today, "daily_cap", (json_int_t)m->daily_cap,
		                  "paused_reason", text_json(m->paused_reason), "paused_until",
		                  time_json(m->paused_until), "next_send_at",
		                  time_json(m->next_send_at), "next_due_at",
		                  time_json(s->next_due_at), "waiting", "paused",
		                  (json_int_t)s->n_paused, "uncertain",
		                  (json_int_t)s->n_uncertain));
	}
	x->answer = list;
}

static void
mailbox_act(HttpExchange *x)
{
	GError *error = NULL;
	g_autofree char *address = address_param(x, 0);
	if (address == NULL)
		return;
	const char *action = x->param[1];
	bool was_paused = true;
	bool ok;
	if (strcmp(action, "pause") == 0)
		ok = app_mailbox_pause(x->store, address, &error);
	else if (strcmp(action, "resume") == 0)
		ok = app_mailbox_resume(x->store, address, &was_paused, &error);
	else {
		fail_with(x, APP_ERROR_NOT_FOUND, "a mailbox is paused or resumed");
		return;
	}
	if (!ok) {
		fail(x, error);
		return;
	}
	x->answer =
	        json_pack("{s:s, s:b}", "address", address, "paused", strcmp(action, "pause") == 0);
}

static json_t *
campaign_json(const StoreCampaign *c)
{
	return json_pack("{s:o, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o}", "name",
	                 text_json(c->name), "state", c->state, "steps", (json_int_t)c->n_steps,
	                 "enrolled", (json_int_t)c->n_enrolled, "active", (json_int_t)c->n_active,
	                 "sent", (json_int_t)c->n_sent, "replied", (json_int_t)c->n_replied,
	                 "uncertain", (json_int_t)c->n_uncertain, "created_at",
	                 time_json(c->created_at), "updated_at", time_json(c->updated_at));
}

static void
campaigns(HttpExchange *x)
{
	GError *error = NULL;
	g_autoptr(GPtrArray) all = store_campaign_list(x->store, &error);
	if (all == NULL) {
		fail(x, error);
		return;
	}
	json_t *list = json_array();
	for (guint i = 0; i < all->len; i++)
		json_array_append_new(list, campaign_json(all->pdata[i]));
	x->answer = list;
}

static void
campaign(HttpExchange *x)
{
	GError *error = NULL;
	g_autoptr(StoreCampaign) c = app_campaign_get(x->store, x->param[0], &error);
	if (c == NULL) {
		fail(x, error);
		return;
	}
	x->answer = campaign_json(c);
	json_object_set_new(x->answer, "definition", text_json(c->definition));
}

static void
campaign_report(HttpExchange *x)
{
	GError *error = NULL;
	StoreCampaign *stored = NULL;
	g_autoptr(GArray) steps = app_campaign_report(x->store, x->param[0], &stored, &error);
	g_autoptr(StoreCampaign) c = stored;
	if (steps == NULL) {
		fail(x, error);
		return;
	}
	json_t *list = json_array();
	for (guint i = 0; i < steps->len; i++) {
		const StoreStepReport *r = &g_array_index(steps, StoreStepReport, i);
		json_array_append_new(list,
		                      json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "step",
		                                (json_int_t)r->step, "sent", (json_int_t)r->sent,
		                                "replied", (json_int_t)r->replied, "auto_replied",
		                                (json_int_t)r->auto_replied, "bounced",
		                                (json_int_t)r->bounced, "opted_out",
		                                (json_int_t)r->opted_out, "uncertain",
		                                (json_int_t)r->uncertain));
	}
	x->answer = json_pack("{s:o, s:o}", "campaign", campaign_json(c), "steps", list);
}

static void
campaign_act(HttpExchange *x)
{
	GError *error = NULL;
	EngineCampaignAction action = ENGINE_CAMPAIGN_START;
	if (!engine_lifecycle_action_parse(x->param[1], &action)) {
		fail_with(x, APP_ERROR_NOT_FOUND,
		          "a campaign is started, paused, resumed or archived");
		return;
	}
	EngineCampaignState state = ENGINE_CAMPAIGN_DRAFT;
	if (!app_campaign_act(x->store, x->param[0], action, &state, &error)) {
		fail(x, error);
		return;
	}
	x->answer = json_pack("{s:o, s:s}", "name", text_json(x->param[0]), "state",
	                      engine_lifecycle_campaign_name(state));
}

static void
campaign_preview(HttpExchange *x)
{
	GError *error = NULL;
	const char *prospect = g_hash_table_lookup(x->query, "prospect");
	g_autofree char *email = NULL;
	if (prospect != NULL && (email = mail_address_normalize(prospect, &error)) == NULL) {
		g_prefix_error(&error, "prospect \"%s\": ", prospect);
		fail_with(x, APP_ERROR_INVALID, error->message);
		g_error_free(error);
		return;
	}
	g_autoptr(AppCampaignPreview) preview =
	        app_campaign_preview(x->store, x->param[0], email,
	                             g_hash_table_lookup(x->query, "from"), x->now_us, &error);
	if (preview == NULL) {
		fail(x, error);
		return;
	}
	json_t *steps = json_array();
	for (guint i = 0; i < preview->steps->len; i++) {
		const AppPreviewStep *step = preview->steps->pdata[i];
		gsize size = 0;
		const char *data = g_bytes_get_data(step->message, &size);
		g_autofree char *message = g_strndup(data, size);
		json_array_append_new(steps,
		                      json_pack("{s:i, s:o, s:o}", "step", (json_int_t)step->step,
		                                "earliest", time_json(step->earliest_us), "message",
		                                text_json(message)));
	}
	x->answer = json_pack("{s:o, s:o, s:s, s:o}", "prospect", text_json(preview->email),
	                      "mailbox", text_json(preview->mailbox), "timezone",
	                      g_time_zone_get_identifier(preview->zone), "steps", steps);
}

static json_t *
history_json(const GPtrArray *timeline)
{
	json_t *list = json_array();
	for (guint i = 0; i < timeline->len; i++) {
		const StoreEvent *e = timeline->pdata[i];
		json_t *event = json_pack("{s:o, s:o, s:o, s:o}", "at", time_json(e->at), "kind",
		                          text_json(e->kind), "campaign", text_json(e->campaign),
		                          "detail", text_json(e->detail));
		if (e->step > 0)
			json_object_set_new(event, "step", json_integer(e->step));
		if (e->mailbox != NULL)
			json_object_set_new(event, "mailbox", text_json(e->mailbox));
		json_array_append_new(list, event);
	}
	return list;
}

static void
prospect(HttpExchange *x)
{
	GError *error = NULL;
	g_autofree char *email = address_param(x, 0);
	if (email == NULL)
		return;
	g_autoptr(AppProspectCard) card = app_prospect_get(x->store, email, &error);
	if (card == NULL) {
		fail(x, error);
		return;
	}
	const StoreProspect *p = card->prospect;
	json_t *fields = json_object();
	GHashTableIter iter;
	gpointer key, value;
	g_hash_table_iter_init(&iter, p->fields);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		g_autofree char *name = g_utf8_make_valid(key, -1);
		json_object_set_new(fields, name, text_json(value));
	}
	json_t *enrolled = json_array();
	for (guint i = 0; i < card->campaigns->len; i++) {
		const AppProspectCampaign *c = card->campaigns->pdata[i];
		json_array_append_new(
		        enrolled, json_pack("{s:o, s:s, s:i, s:o}", "campaign",
		                            text_json(c->campaign), "state", c->enrollment->state,
		                            "next_step", (json_int_t)c->enrollment->next_step,
		                            "reason", text_json(c->enrollment->reason)));
	}
	x->answer =
	        json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o}", "email",
	                  text_json(p->email), "first_name", text_json(p->first_name), "last_name",
	                  text_json(p->last_name), "company", text_json(p->company), "timezone",
	                  text_json(p->timezone), "status", p->status, "fields", fields,
	                  "campaigns", enrolled, "history", history_json(card->timeline));
}

static void
prospect_remove(HttpExchange *x)
{
	GError *error = NULL;
	g_autofree char *email = address_param(x, 0);
	if (email == NULL)
		return;
	if (!app_prospect_remove(x->store, email, &error)) {
		fail(x, error);
		return;
	}
	x->status = 204;
}

static void
replies(HttpExchange *x)
{
	GError *error = NULL;
	g_autoptr(GPtrArray) all =
	        app_campaign_replies(x->store, g_hash_table_lookup(x->query, "campaign"), &error);
	if (all == NULL) {
		fail(x, error);
		return;
	}
	json_t *list = json_array();
	for (guint i = 0; i < all->len; i++) {
		const StoreReply *r = all->pdata[i];
		json_array_append_new(
		        list, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "campaign",
		                        text_json(r->campaign), "prospect", text_json(r->email),
		                        "from", text_json(r->from_address), "class",
		                        text_json(r->klass), "subject", text_json(r->subject),
		                        "text", text_json(r->reply_text), "received_at",
		                        time_json(r->received_at)));
	}
	x->answer = list;
}

static const HttpRoute routes[] = {
        {"GET", "/api/v1/openapi.json", HTTP_SCOPE_NONE, openapi},
        {"GET", "/api/v1/mailboxes", HTTP_SCOPE_READ, mailboxes},
        {"POST", "/api/v1/mailboxes/{address}/{action}", HTTP_SCOPE_WRITE, mailbox_act},
        {"GET", "/api/v1/campaigns", HTTP_SCOPE_READ, campaigns},
        {"GET", "/api/v1/campaigns/{name}", HTTP_SCOPE_READ, campaign},
        {"GET", "/api/v1/campaigns/{name}/report", HTTP_SCOPE_READ, campaign_report},
        {"GET", "/api/v1/campaigns/{name}/preview", HTTP_SCOPE_READ, campaign_preview},
        {"POST", "/api/v1/campaigns/{name}/{action}", HTTP_SCOPE_WRITE, campaign_act},
        {"GET", "/api/v1/prospects/{email}", HTTP_SCOPE_READ, prospect},
        {"DELETE", "/api/v1/prospects/{email}", HTTP_SCOPE_WRITE, prospect_remove},
        {"GET", "/api/v1/replies", HTTP_SCOPE_READ, replies},
        {"GET", "/u/{token}", HTTP_SCOPE_NONE, http_unsubscribe_page},
        {"POST", "/u/{token}", HTTP_SCOPE_NONE, http_unsubscribe_post},
};

const HttpRoute *
http_api_routes(gsize *n)
{
	*n = G_N_ELEMENTS(routes);
	return routes;
}
