/*
 * Fuzz target: a CSV file of prospects into a store in memory, its columns
 * peeked at first (engine_import_peek) and, on odd second bytes, mapped
 * (the second column becomes first_name, the last is left out). Whatever
 * the bytes, the import either succeeds or fails with an error, and a
 * failed import leaves no prospect behind.
 */
#include "engine/engine_import.h"
#include "engine/engine_import_peek.h"

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
	char used = '\0';
	g_autoptr(GError) peek_error = NULL;
	g_autoptr(GPtrArray) columns =
	        engine_import_peek_columns((const char *)data, size, '\0', 3, &used, &peek_error);
	g_assert(columns != NULL || peek_error != NULL);
	g_autoptr(GHashTable) mapping = NULL;
	if (columns != NULL && columns->len >= 2 && size > 1 && (data[1] & 1) != 0) {
		mapping = engine_import_columns_new();
		const EngineImportColumn *second = columns->pdata[1];
		const EngineImportColumn *last = columns->pdata[columns->len - 1];
		engine_import_columns_add(mapping, second->header, "first_name", NULL);
		engine_import_columns_add(mapping, last->header, "", NULL);
	}
	FILE *file = fmemopen((void *)data, size, "r");
	EngineImportOptions options = {.skip_invalid = (data[0] & 1) != 0, .columns = mapping};
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
