#include "app/app_tracking.h"

#include "app/app_error.h"
#include "base/base_error.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_tracking.h"

#include <string.h>

AppTrackingFetch *
app_tracking_fetch_new(const BaseSealKey *key, AppTrackingKind kind, const char *token,
                       const char *method, const char *user_agent, int64_t now_us, GError **error)
{
	int64_t enrollment_id = 0;
	int step = 0;
	g_autofree char *url = NULL;
	bool ours = kind == APP_TRACKING_OPEN
	                    ? engine_tracking_open_check(key, token, &enrollment_id, &step)
	                    : engine_tracking_click_check(key, token, &enrollment_id, &step, &url);
	if (!ours) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_NOT_FOUND,
		                    "this link is not one of ours");
		return NULL;
	}
	AppTrackingFetch *fetch = g_new0(AppTrackingFetch, 1);
	fetch->kind = kind;
	fetch->enrollment_id = enrollment_id;
	fetch->step = step;
	fetch->url = g_steal_pointer(&url);
	fetch->method = g_strdup(method);
	fetch->user_agent = g_strdup(user_agent);
	fetch->at_us = now_us;
	return fetch;
}

void
app_tracking_fetch_free(AppTrackingFetch *fetch)
{
	if (fetch == NULL)
		return;
	g_free(fetch->url);
	g_free(fetch->method);
	g_free(fetch->user_agent);
	g_clear_error(&fetch->error);
	g_free(fetch);
}

/* The event of @fetch, judged (a person, or a machine and why). */
static bool
record_one(Store *store, const AppTrackingFetch *fetch, GError **error)
{
	g_autoptr(GPtrArray) messages =
	        store_message_list_for_enrollment(store, fetch->enrollment_id, error);
	if (messages == NULL)
		return false;
	const StoreMessage *message = NULL;
	for (guint i = 0; i < messages->len; i++)
		if (((const StoreMessage *)messages->pdata[i])->step == fetch->step)
			message = messages->pdata[i];
	/* A message is its enrollment's (erased with it); without one, the
	 * enrollment says where the event belongs, if it is still there. */
	int64_t mailbox_id = message != NULL ? message->mailbox_id : 0;
	if (message == NULL) {
		GError *local = NULL;
		g_autoptr(StoreEnrollment) enrollment =
		        store_enrollment_get_by_id(store, fetch->enrollment_id, &local);
		if (enrollment == NULL) {
			/* Erased since: nothing to record it against. */
			if (local != NULL) {
				g_propagate_error(error, local);
				return false;
			}
			return true;
		}
		mailbox_id = enrollment->mailbox_id;
	}
	int64_t since_sent_s = message != NULL && message->sent_at > 0
	                               ? (fetch->at_us - message->sent_at) / G_USEC_PER_SEC
	                               : -1;
	const char *why = NULL;
	bool person = engine_tracking_judge(fetch->method, fetch->user_agent, since_sent_s, &why);
	bool open = fetch->kind == APP_TRACKING_OPEN;
	EngineEvent event = !person ? ENGINE_EVENT_MACHINE_FETCH
	                    : open  ? ENGINE_EVENT_OPEN
	                            : ENGINE_EVENT_CLICK;
	g_autofree char *agent = base_error_printable_dup(
	        fetch->user_agent != NULL ? fetch->user_agent : "", -1, 200);
	g_autofree char *detail =
	        person ? (open ? g_strdup_printf("opened (%s)", agent)
	                       : g_strdup_printf("clicked %s (%s)", fetch->url, agent))
	               : g_strdup_printf("%s by no person: %s (%s)",
	                                 open ? "image fetched" : "link fetched", why, agent);
	StoreEventInput input = {.at_us = fetch->at_us,
	                         .kind = engine_lifecycle_event_name(event),
	                         .webhook_type = engine_lifecycle_event_webhook(event),
	                         .mailbox_id = mailbox_id,
	                         .enrollment_id = fetch->enrollment_id,
	                         .message_id = message != NULL ? message->id : 0,
	                         .detail = detail};
	return store_event_add(store, &input, error);
}

bool
app_tracking_record_all(Store *store, AppTrackingFetch *const *fetches, gsize n, GError **error)
{
	GError *local = NULL;
	bool ok = store_begin(store, &local);
	for (gsize i = 0; ok && i < n; i++)
		ok = record_one(store, fetches[i], &local);
	if (ok && store_commit(store, &local))
		return true;
	store_rollback(store);
	for (gsize i = 0; i < n; i++) {
		g_clear_error(&fetches[i]->error);
		fetches[i]->error = g_error_copy(local);
	}
	g_propagate_error(error, local);
	return false;
}
