/*
 * app_tracking: a fetch of a tracked image or link (engine_tracking) turned
 * into an event of the enrollment's step: `open` or `click` when a person
 * made it, `machine_fetch` (with why) when a proxy, scanner or prefetcher
 * did. Opens and clicks of people count in the campaign's report and are
 * announced to webhooks (message.opened, link.clicked); machine fetches are
 * kept in the timeline and count nowhere.
 */
#pragma once

#include "base/base_seal.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	APP_TRACKING_OPEN,
	APP_TRACKING_CLICK,
} AppTrackingKind;

/* One fetch of a tracked image or link, its token checked, waiting to be
 * recorded (a server writes many in one transaction). Plain data. */
typedef struct AppTrackingFetch {
	AppTrackingKind kind;
	int64_t enrollment_id;
	int step;
	char *url; /* a click's destination, from the token */
	char *method;
	char *user_agent; /* NULL: none sent */
	int64_t at_us;
	GError *error; /* once recorded: why it could not be; NULL: recorded */
} AppTrackingFetch;

/* The fetch of @token (a GET or HEAD @method with @user_agent, at @now_us),
 * not recorded yet; NULL with APP_ERROR_NOT_FOUND when the token is not one
 * of ours (no database read before the signature checks out). */
AppTrackingFetch *app_tracking_fetch_new(const BaseSealKey *key, AppTrackingKind kind,
                                         const char *token, const char *method,
                                         const char *user_agent, int64_t now_us, GError **error);
void app_tracking_fetch_free(AppTrackingFetch *fetch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppTrackingFetch, app_tracking_fetch_free)

/* Records @fetches (@n of them) in one transaction: all of them or, with
 * @error, none (each one's error is then a copy of it). A fetch of an
 * enrollment erased since records nothing and is no error: a link stays a
 * link after its prospect was erased. */
bool app_tracking_record_all(Store *store, AppTrackingFetch *const *fetches, gsize n,
                             GError **error);
