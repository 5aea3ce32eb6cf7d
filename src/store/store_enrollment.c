/* The store's enrollment entry points: checks, then the back end. */
#include "store/store.h"

#include "store/store_private.h"

#include <string.h>

bool
store_enrollment_add(Store *store, int64_t campaign_id, const char *email,
                     bool allow_other_campaigns, StoreEnrollResult *result, GError **error)
{
	if (email == NULL || strchr(email, '@') == NULL) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
		                    "enrolling needs a prospect's address");
		return false;
	}
	return store->backend->enrollment_add(store->impl, campaign_id, email,
	                                      allow_other_campaigns, result, error);
}

void
store_enrollment_free(StoreEnrollment *enrollment)
{
	if (enrollment == NULL)
		return;
	g_free(enrollment->email);
	g_free(enrollment->state);
	g_free(enrollment->reason);
	g_free(enrollment);
}

GPtrArray *
store_enrollment_list(Store *store, int64_t campaign_id, guint limit, GError **error)
{
	return store->backend->enrollment_list(store->impl, campaign_id, NULL, limit, error);
}

StoreEnrollment *
store_enrollment_get(Store *store, int64_t campaign_id, const char *email, GError **error)
{
	g_autoptr(GPtrArray) found =
	        store->backend->enrollment_list(store->impl, campaign_id, email, 1, error);
	if (found == NULL || found->len == 0)
		return NULL;
	return g_ptr_array_steal_index(found, 0);
}

GPtrArray *
store_enrollment_list_due(Store *store, int64_t mailbox_id, int64_t now_us, guint limit,
                          GError **error)
{
	return store->backend->list_due(store->impl, mailbox_id, now_us, limit, error);
}

GPtrArray *
store_enrollment_list_queued(Store *store, int64_t campaign_id, int64_t now_us, guint limit,
                             GError **error)
{
	return store->backend->list_queued(store->impl, campaign_id, now_us, limit, error);
}

StoreEnrollment *
store_enrollment_get_by_id(Store *store, int64_t id, GError **error)
{
	return store->backend->get_enrollment(store->impl, id, error);
}

bool
store_enrollment_update(Store *store, StoreEnrollment *e, GError **error)
{
	return store->backend->update_enrollment(store->impl, e, error);
}

GPtrArray *
store_enrollment_list_open_by_email(Store *store, const char *email, GError **error)
{
	return store->backend->list_open_by_email(store->impl, email, error);
}

GPtrArray *
store_enrollment_list_open_by_domain(Store *store, int64_t campaign_id, const char *domain,
                                     GError **error)
{
	return store->backend->list_open_by_domain(store->impl, campaign_id, domain, error);
}

GPtrArray *
store_enrollment_list_resumable(Store *store, int64_t now_us, GError **error)
{
	return store->backend->list_resumable(store->impl, now_us, error);
}

GPtrArray *
store_enrollment_list_waiting(Store *store, int64_t mailbox_id, GError **error)
{
	return store->backend->list_waiting(store->impl, mailbox_id, error);
}

GPtrArray *
store_enrollment_list_for_prospect(Store *store, const char *email, GError **error)
{
	return store->backend->enrollment_list_for_prospect(store->impl, email, error);
}
