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

/* Records the fetch of @token (a GET or HEAD @method with @user_agent, at
 * @now_us). For a click, *@url is where to send the reader (newly
 * allocated), whether or not anything was recorded: a link stays a link
 * after its prospect was erased. APP_ERROR_NOT_FOUND when the token is not
 * one of ours. */
bool app_tracking_record(Store *store, const BaseSealKey *key, AppTrackingKind kind,
                         const char *token, const char *method, const char *user_agent,
                         int64_t now_us, char **url, GError **error);
