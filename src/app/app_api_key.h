/*
 * app_api_key: the keys the HTTP API takes (`Authorization: Bearer KEY`).
 * A key is "pk_" and 32 random bytes in base64url, shown once when it is
 * made; the store keeps only its SHA-256 (32 random bytes leave nothing to
 * guess, so a fast hash is enough), so a stolen database holds no key.
 */
#pragma once

#include "base/base_secret.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	APP_API_KEY_READ,  /* GET only */
	APP_API_KEY_WRITE, /* everything */
} AppApiKeyScope;

const char *app_api_key_scope_name(AppApiKeyScope scope);
bool app_api_key_scope_parse(const char *name, AppApiKeyScope *scope);

/* Makes key @name; returns the key itself, to show once.
 * STORE_ERROR_INVALID when the name is taken. */
BaseSecret *app_api_key_create(Store *store, const char *name, AppApiKeyScope scope,
                               GError **error);

/* The stored key @key is, or APP_ERROR_DENIED (no such key: unknown,
 * removed, or not shaped like one). */
StoreApiKey *app_api_key_check(Store *store, const char *key, GError **error);

/* Removes key @name: requests with it are refused from then on;
 * APP_ERROR_NOT_FOUND when there is none. */
bool app_api_key_remove(Store *store, const char *name, GError **error);
