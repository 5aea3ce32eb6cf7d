/*
 * Fuzz target: a CSV file of prospects into a store in memory. Whatever
 * the bytes, the import either succeeds or fails with an error, and a
 * failed import leaves no prospect behind.
 */
#include "engine/engine_import.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static Store *store;
	if (store == NULL)
		store = store_open(":memory:", NULL);
	if (size == 0)
		return 0;
	guint64 before = 0, after = 0;
	g_assert(store_prospect_count(store, &before, NULL));
	FILE *file = fmemopen((void *)data, size, "r");
	EngineImportOptions options = {.skip_invalid = (data[0] & 1) != 0};
	EngineImportSummary summary;
	g_autoptr(GError) error = NULL;
	bool ok = engine_import_prospects(store, file, "fuzz.csv", &options, &summary, &error);
	fclose(file);
	g_assert(ok || error != NULL);
	g_assert(store_prospect_count(store, &after, NULL));
	if (!ok)
		g_assert(after == before);
	return 0;
}
