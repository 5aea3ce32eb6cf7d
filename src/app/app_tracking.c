#include "app/app_tracking.h"

#include "app/app_error.h"
#include "base/base_error.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_tracking.h"

#include <string.h>

bool
app_tracking_record(Store *store, const BaseSealKey *key, AppTrackingKind kind, const char *token,
                    const char *method, const char *user_agent, int64_t now_us, char **url,
                    GError **error)
{
	int64_t enrollment_id = 0;
	int step = 0;
	bool ours = kind == APP_TRACKING_OPEN
	                    ? engine_tracking_open_check(key, token, &enrollment_id, &step)
	                    : engine_tracking_click_check(key, token, &enrollment_id, &step, url);
	if (!ours) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_NOT_FOUND,
		                    "this link is not one of ours");
		return false;
	}
	GError *local = NULL;
	g_autoptr(StoreEnrollment) enrollment =
	        store_enrollment_get_by_id(store, enrollment_id, &local);
	if (enrollment == NULL) {
		/* Erased since: nothing to record it against. */
		if (local != NULL) {
			g_propagate_error(error, local);
			return false;
		}
		return true;
	}
	g_autoptr(GPtrArray) messages =
	        store_message_list_for_enrollment(store, enrollment_id, error);
	if (messages == NULL)
		return false;
	const StoreMessage *message = NULL;
	for (guint i = 0; i < messages->len; i++)
		if (((const StoreMessage *)messages->pdata[i])->step == step)
			message = messages->pdata[i];
	int64_t since_sent_s = message != NULL && message->sent_at > 0
	                               ? (now_us - message->sent_at) / G_USEC_PER_SEC
	                               : -1;
	const char *why = NULL;
	bool person = engine_tracking_judge(method, user_agent, since_sent_s, &why);
	EngineEvent event = !person                     ? ENGINE_EVENT_MACHINE_FETCH
	                    : kind == APP_TRACKING_OPEN ? ENGINE_EVENT_OPEN
	                                                : ENGINE_EVENT_CLICK;
	g_autofree char *agent =
	        base_error_printable_dup(user_agent != NULL ? user_agent : "", -1, 200);
	g_autofree char *detail =
	        person ? (kind == APP_TRACKING_OPEN
	                          ? g_strdup_printf("opened (%s)", agent)
	                          : g_strdup_printf("clicked %s (%s)", *url, agent))
	               : g_strdup_printf("%s by no person: %s (%s)",
	                                 kind == APP_TRACKING_OPEN ? "image fetched"
	                                                           : "link fetched",
	                                 why, agent);
	StoreEventInput input = {.at_us = now_us,
	                         .kind = engine_lifecycle_event_name(event),
	                         .webhook_type = engine_lifecycle_event_webhook(event),
	                         .mailbox_id = message != NULL ? message->mailbox_id
	                                                       : enrollment->mailbox_id,
	                         .enrollment_id = enrollment_id,
	                         .message_id = message != NULL ? message->id : 0,
	                         .detail = detail};
	return store_event_add(store, &input, error);
}
