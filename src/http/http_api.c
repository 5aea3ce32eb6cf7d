/*
 * The API's route table. Each handler (http_api_<subject>.c) reads its
 * request, calls a use case of src/app/ and words the answer as JSON; no
 * rule lives in a handler. openapi.json describes this table, and
 * tests/integration/test_http_api.c checks that they agree.
 */
#include "http/http_api.h"

#include "http/http_api_blacklist.h"
#include "http/http_api_campaign.h"
#include "http/http_api_feed.h"
#include "http/http_api_mailbox.h"
#include "http/http_api_prospect.h"
#include "http/http_api_task.h"
#include "http/http_api_webhook.h"
#include "http/http_openapi.h"
#include "http/http_session.h"
#include "http/http_sign_in.h"
#include "http/http_tracking.h"
#include "http/http_unsubscribe.h"
#include "http/http_web.h"

#include <string.h>

static void
openapi(HttpExchange *x)
{
	x->answer = json_loads(http_openapi_document, 0, NULL);
}

/* Prometheus's text format (app_metrics). */
static void
metrics(HttpExchange *x)
{
	AppMetricsEngine engine = {0};
	if (x->engine_metrics != NULL)
		x->engine_metrics(x->engine_metrics_data, &engine);
	x->answer_text = app_metrics_text(x->store, x->now_us,
	                                  x->engine_metrics != NULL ? &engine : NULL, &x->error);
	x->answer_type = "text/plain; version=0.0.4; charset=utf-8";
}

#define R HTTP_SCOPE_READ
#define W HTTP_SCOPE_WRITE
#define O HTTP_SCOPE_OWNER

static const HttpRoute routes[] = {
        {"GET", "/api/v1/openapi.json", HTTP_SCOPE_NONE, openapi, NULL},
        {"POST", "/api/v1/session", HTTP_SCOPE_NONE, http_session_sign_in, NULL},
        {"GET", "/api/v1/session", R, http_session_get, NULL},
        {"DELETE", "/api/v1/session", R, http_session_sign_out, NULL},
        {"GET", "/api/v1/mailboxes", R, http_api_mailbox_list, NULL},
        {"POST", "/api/v1/mailboxes", W, http_api_mailbox_add, NULL},
        {"PATCH", "/api/v1/mailboxes/{address}", W, http_api_mailbox_edit, NULL},
        {"DELETE", "/api/v1/mailboxes/{address}", W, http_api_mailbox_remove, NULL},
        {"POST", "/api/v1/mailboxes/{address}/{action}", W, http_api_mailbox_act, NULL},
        {"GET", "/api/v1/mailboxes/{address}/authorize", R, http_api_mailbox_sign_in, NULL},
        {"GET", "/api/v1/mailboxes/{address}/report", R, http_api_mailbox_report, NULL},
        {"GET", "/api/v1/oauth/clients", R, http_api_mailbox_oauth_clients, NULL},
        {"GET", "/api/v1/campaigns", R, http_api_campaign_list, NULL},
        {"POST", "/api/v1/campaigns", W, http_api_campaign_create, NULL},
        {"POST", "/api/v1/campaigns/preview", R, http_api_campaign_preview_draft, NULL},
        {"POST", "/api/v1/campaigns/fields", R, http_api_campaign_fields, NULL},
        {"GET", "/api/v1/campaigns/{name}", R, http_api_campaign_get, NULL},
        {"PUT", "/api/v1/campaigns/{name}", W, http_api_campaign_replace, NULL},
        {"GET", "/api/v1/campaigns/{name}/report", R, http_api_campaign_report, NULL},
        {"GET", "/api/v1/campaigns/{name}/preview", R, http_api_campaign_preview, NULL},
        {"POST", "/api/v1/campaigns/{name}/{action}", W, http_api_campaign_act, NULL},
        {"GET", "/api/v1/prospects", R, http_api_prospect_page, NULL},
        {"POST", "/api/v1/prospects/import", W, http_api_prospect_import, "text/csv"},
        {"POST", "/api/v1/imports", W, http_api_prospect_import, "text/csv"},
        {"GET", "/api/v1/imports", R, http_api_prospect_imports, NULL},
        {"POST", "/api/v1/imports/columns", R, http_api_prospect_import_columns, "text/csv"},
        {"GET", "/api/v1/imports/{id}", R, http_api_prospect_import_get, NULL},
        {"GET", "/api/v1/prospects/{email}", R, http_api_prospect_get, NULL},
        {"PATCH", "/api/v1/prospects/{email}", W, http_api_prospect_edit, NULL},
        {"DELETE", "/api/v1/prospects/{email}", W, http_api_prospect_remove, NULL},
        {"GET", "/api/v1/prospects/{email}/export", R, http_api_prospect_export, NULL},
        {"GET", "/api/v1/replies", R, http_api_feed_replies, NULL},
        {"GET", "/api/v1/replies/{id}", R, http_api_feed_reply_get, NULL},
        {"PATCH", "/api/v1/replies/{id}", W, http_api_feed_reply_mark, NULL},
        {"POST", "/api/v1/replies/{id}/answer", W, http_api_feed_reply_answer, NULL},
        {"GET", "/api/v1/events", R, http_api_feed_events, NULL},
        {"GET", "/api/v1/tasks", R, http_api_task_list, NULL},
        {"POST", "/api/v1/tasks/{id}/done", W, http_api_task_done, NULL},
        {"GET", "/api/v1/blacklist", R, http_api_blacklist_list, NULL},
        {"POST", "/api/v1/blacklist", W, http_api_blacklist_add, NULL},
        {"DELETE", "/api/v1/blacklist/{entry}", W, http_api_blacklist_remove, NULL},
        {"GET", "/api/v1/webhooks", R, http_api_webhook_list, NULL},
        {"POST", "/api/v1/webhooks", O, http_api_webhook_add, NULL},
        {"DELETE", "/api/v1/webhooks/{id}", O, http_api_webhook_remove, NULL},
        {"GET", "/api/v1/webhooks/{id}/deliveries", R, http_api_webhook_deliveries, NULL},
        {"POST", "/api/v1/deliveries/{id}/replay", O, http_api_webhook_replay, NULL},
        {"GET", "/metrics", R, metrics, NULL},
        {"GET", "/o/{token}", HTTP_SCOPE_NONE, http_tracking_open, ""},
        {"HEAD", "/o/{token}", HTTP_SCOPE_NONE, http_tracking_open, ""},
        {"GET", "/c/{token}", HTTP_SCOPE_NONE, http_tracking_click, ""},
        {"HEAD", "/c/{token}", HTTP_SCOPE_NONE, http_tracking_click, ""},
        {"GET", "/oauth/callback", HTTP_SCOPE_NONE, http_sign_in_callback, ""},
        {"GET", "/u/{token}", HTTP_SCOPE_NONE, http_unsubscribe_page, ""},
        {"POST", "/u/{token}", HTTP_SCOPE_NONE, http_unsubscribe_post, ""},
        {"GET", "/", HTTP_SCOPE_NONE, http_web_page, NULL},
        {"GET", "/{file}", HTTP_SCOPE_NONE, http_web_file, NULL},
};

const HttpRoute *
http_api_routes(gsize *n)
{
	*n = G_N_ELEMENTS(routes);
	return routes;
}

const HttpStream *
http_api_stream(const HttpRoute *route)
{
	if (strcmp(route->method, "POST") == 0 && strcmp(route->pattern, "/api/v1/imports") == 0)
		return &http_api_prospect_import_stream;
	return NULL;
}
