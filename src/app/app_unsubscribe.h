/*
 * app_unsubscribe: the one-click unsubscribe of RFC 8058, for the HTTP
 * front end. The token is checked before the database is read
 * (engine_links); then the person is opted out as if they had written
 * "remove me": every open sequence stopped, the address blacklisted, the
 * prospect's status opted_out, one event. Twice is once.
 */
#pragma once

#include "base/base_seal.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Opts out the person @token names, at @now_us. APP_ERROR_DENIED for a
 * token this key did not make (nothing read, nothing changed); success,
 * changing nothing, for one whose enrollment is gone (the person was
 * erased). *@email (newly allocated, may be NULL) is the address. */
bool app_unsubscribe_one_click(Store *store, const BaseSealKey *key, const char *token,
                               int64_t now_us, char **email, GError **error);
