/* The API's webhooks: subscriptions, their deliveries, replays. */
#include "http/http_api_webhook.h"

#include "app/app_webhook.h"
#include "http/http_json.h"

#include <string.h>

static json_t *
webhook_json(const StoreWebhook *w)
{
	json_t *events = json_array();
	g_auto(GStrv) types = g_strsplit(w->events, " ", -1);
	for (guint i = 0; types[i] != NULL; i++)
		if (types[i][0] != '\0')
			json_array_append_new(events, http_json_text(types[i]));
	return json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)w->id, "url",
	                 http_json_text(w->url), "events", events, "created_at",
	                 http_json_time(w->created_at));
}

void
http_api_webhook_list(HttpExchange *x)
{
	g_autoptr(GPtrArray) all = store_webhook_list(x->store, &x->error);
	if (all == NULL)
		return;
	json_t *list = json_array();
	for (guint i = 0; i < all->len; i++)
		json_array_append_new(list, webhook_json(all->pdata[i]));
	x->answer = list;
}

void
http_api_webhook_add(HttpExchange *x)
{
	bool ok = true;
	const char *url = http_json_body_string(x, "url", &ok);
	if (!ok)
		return;
	json_t *events = x->body != NULL ? json_object_get(x->body, "events") : NULL;
	g_autoptr(GString) types = g_string_new(NULL);
	if (events != NULL && !json_is_array(events)) {
		http_json_fail(x, APP_ERROR_INVALID, "events: a list of event types");
		return;
	}
	for (size_t i = 0; events != NULL && i < json_array_size(events); i++) {
		const char *type = json_string_value(json_array_get(events, i));
		if (type == NULL || strchr(type, ' ') != NULL) {
			http_json_fail(x, APP_ERROR_INVALID, "events: a list of event types");
			return;
		}
		g_string_append_printf(types, "%s%s", types->len > 0 ? " " : "", type);
	}
	int64_t id = 0;
	g_autoptr(BaseSecret) secret = app_webhook_create(
	        x->store, url, types->len > 0 ? types->str : NULL, &id, &x->error);
	if (secret == NULL)
		return;
	g_autoptr(StoreWebhook) made = store_webhook_get(x->store, id, &x->error);
	if (made == NULL)
		return;
	x->status = 201;
	x->answer = webhook_json(made);
	json_object_set_new(x->answer, "secret", json_string(base_secret_get(secret)));
}

void
http_api_webhook_remove(HttpExchange *x)
{
	int64_t id = http_json_id_param(x, 0);
	if (id == 0 || !app_webhook_remove(x->store, id, &x->error))
		return;
	x->status = 204;
}

void
http_api_webhook_deliveries(HttpExchange *x)
{
	int64_t id = http_json_id_param(x, 0);
	if (id == 0)
		return;
	g_autoptr(StoreWebhook) webhook = store_webhook_get(x->store, id, &x->error);
	if (webhook == NULL) {
		if (x->error == NULL)
			http_json_fail(x, APP_ERROR_NOT_FOUND, "no such webhook");
		return;
	}
	const char *state = g_hash_table_lookup(x->query, "state");
	if (state == NULL)
		state = "dead";
	if (strcmp(state, "pending") != 0 && strcmp(state, "delivered") != 0 &&
	    strcmp(state, "dead") != 0) {
		http_json_fail(x, APP_ERROR_INVALID, "state: pending, delivered or dead");
		return;
	}
	bool ok = true;
	guint limit = http_json_query_limit(x, "limit", 1000, 100, &ok);
	if (!ok)
		return;
	g_autoptr(GPtrArray) list = store_delivery_list(x->store, id, state, limit, &x->error);
	if (list == NULL)
		return;
	json_t *answer = json_array();
	for (guint i = 0; i < list->len; i++) {
		const StoreDelivery *d = list->pdata[i];
		json_array_append_new(answer,
		                      json_pack("{s:I, s:I, s:s, s:s, s:i, s:o, s:o, s:o}", "id",
		                                (json_int_t)d->id, "event_id",
		                                (json_int_t)d->event_id, "type", d->type, "state",
		                                d->state, "attempts", (json_int_t)d->attempts,
		                                "next_at", http_json_time(d->next_at), "last_error",
		                                http_json_text(d->last_error), "payload",
		                                json_loads(d->payload, 0, NULL)));
	}
	x->answer = answer;
}

void
http_api_webhook_replay(HttpExchange *x)
{
	int64_t id = http_json_id_param(x, 0);
	if (id == 0 || !app_webhook_replay(x->store, id, x->now_us, &x->error))
		return;
	x->answer = json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "pending");
}
