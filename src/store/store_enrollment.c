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
