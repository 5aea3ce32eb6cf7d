/* The HTTP API's keys: made, checked, removed. */
#include "app/app_api_key.h"

#include "app/app_error.h"

#include <string.h>

#define KEY_PREFIX       "pk_"
#define KEY_RANDOM_BYTES 32

static const char *const scope_names[] = {
        [APP_API_KEY_READ] = "read",
        [APP_API_KEY_WRITE] = "write",
};

const char *
app_api_key_scope_name(AppApiKeyScope scope)
{
	return (gsize)scope < G_N_ELEMENTS(scope_names) ? scope_names[scope] : "?";
}

bool
app_api_key_scope_parse(const char *name, AppApiKeyScope *scope)
{
	for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(scope_names); i++)
		if (strcmp(name, scope_names[i]) == 0) {
			*scope = (AppApiKeyScope)i;
			return true;
		}
	return false;
}

BaseSecret *
app_api_key_create(Store *store, const char *name, AppApiKeyScope scope, GError **error)
{
	g_autoptr(BaseSecret) key = base_secret_new_random(KEY_PREFIX, KEY_RANDOM_BYTES, error);
	if (key == NULL)
		return NULL;
	g_autoptr(GBytes) hash =
	        base_secret_digest(base_secret_get(key), base_secret_get_length(key));
	if (!store_api_key_add(store, name, app_api_key_scope_name(scope), hash, error))
		return NULL;
	return g_steal_pointer(&key);
}

StoreApiKey *
app_api_key_check(Store *store, const char *key, GError **error)
{
	GError *local = NULL;
	StoreApiKey *found = NULL;
	/* Not shaped like one of ours: refused without a lookup. */
	if (key != NULL && g_str_has_prefix(key, KEY_PREFIX) && strlen(key) < 128) {
		g_autoptr(GBytes) hash = base_secret_digest(key, strlen(key));
		found = store_api_key_find(store, hash, &local);
	}
	if (found == NULL && local == NULL)
		local = g_error_new_literal(APP_ERROR, APP_ERROR_DENIED, "no such API key");
	if (local != NULL)
		g_propagate_error(error, local);
	return found;
}

bool
app_api_key_remove(Store *store, const char *name, GError **error)
{
	bool removed = false;
	if (!store_api_key_remove(store, name, &removed, error))
		return false;
	if (!removed) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no API key named \"%s\"", name);
		return false;
	}
	return true;
}
