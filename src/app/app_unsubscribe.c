/* One-click unsubscribe: a signed token in, an opt-out applied. */
#include "app/app_unsubscribe.h"

#include "app/app_error.h"
#include "engine/engine_enrollment.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_links.h"

/* Inside the transaction: the opt-out and its one event. */
static bool
opt_out(Store *store, const StoreEnrollment *enrollment, int64_t now_us, GError **error)
{
	GError *local = NULL;
	g_autoptr(StoreProspect) prospect = store_prospect_get(store, enrollment->email, &local);
	if (local != NULL) {
		g_propagate_error(error, local);
		return false;
	}
	bool already = prospect != NULL && g_strcmp0(prospect->status, "opted_out") == 0;
	if (!engine_enrollment_opt_out(store, enrollment->email, "unsubscribed with one click",
	                               "one-click unsubscribe", error))
		return false;
	if (already)
		return true;
	StoreEventInput event = {.at_us = now_us,
	                         .kind = engine_lifecycle_event_name(ENGINE_EVENT_OPT_OUT),
	                         .webhook_type =
	                                 engine_lifecycle_event_webhook(ENGINE_EVENT_OPT_OUT),
	                         .mailbox_id = enrollment->mailbox_id,
	                         .enrollment_id = enrollment->id,
	                         .detail = "one-click unsubscribe (RFC 8058)"};
	return store_event_add(store, &event, error);
}

bool
app_unsubscribe_one_click(Store *store, const BaseSealKey *key, const char *token, int64_t now_us,
                          char **email, GError **error)
{
	int64_t enrollment_id = 0;
	if (email != NULL)
		*email = NULL;
	if (!engine_links_unsubscribe_check(key, token, &enrollment_id)) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_DENIED,
		                    "this unsubscribe link is not one of ours");
		return false;
	}
	if (!store_begin(store, error))
		return false;
	GError *local = NULL;
	g_autoptr(StoreEnrollment) enrollment =
	        store_enrollment_get_by_id(store, enrollment_id, &local);
	bool ok =
	        local == NULL && (enrollment == NULL || opt_out(store, enrollment, now_us, &local));
	if (!ok || !store_commit(store, &local)) {
		store_rollback(store);
		g_propagate_error(error, local);
		return false;
	}
	if (email != NULL && enrollment != NULL)
		*email = g_strdup(enrollment->email);
	return true;
}
