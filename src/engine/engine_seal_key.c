/* The seal key a process works with is the database's. */
#include "engine/engine_seal_key.h"

#include "engine/engine_error.h"

#include <string.h>

typedef enum { COMPARE, CLAIM, REPLACE } Way;

static bool
with_database(Store *store, const BaseSealKey *key, Way way, GError **error)
{
	char fingerprint[BASE_SEAL_FINGERPRINT_CHARS + 1];
	base_seal_key_fingerprint(key, fingerprint);
	g_autofree char *recorded = NULL;
	if (!(way == COMPARE
	              ? store_seal_key_read(store, &recorded, error)
	              : store_seal_key_claim(store, fingerprint, way == REPLACE, &recorded, error)))
		return false;
	if ((way == COMPARE && recorded == NULL) ||
	    (recorded != NULL && strcmp(recorded, fingerprint) == 0))
		return true;
	g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_CONFIG,
	            "the seal key %s is not this database's (its fingerprint is %s, the "
	            "database's %s): every machine that uses the database needs the same key "
	            "file; copy it from one that works with it",
	            store_get_key_path(store), fingerprint, recorded != NULL ? recorded : "?");
	return false;
}

bool
engine_seal_key_check(Store *store, const BaseSealKey *key, GError **error)
{
	return with_database(store, key, CLAIM, error);
}

bool
engine_seal_key_compare(Store *store, const BaseSealKey *key, GError **error)
{
	return with_database(store, key, COMPARE, error);
}

bool
engine_seal_key_replace(Store *store, const BaseSealKey *key, GError **error)
{
	return with_database(store, key, REPLACE, error);
}
