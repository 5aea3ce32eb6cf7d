/*
 * engine_import_peek: the columns of a CSV file from its first bytes, for
 * a person to map them before the import (the dashboard's upload): each
 * column's name, what piculet makes of it by itself, and the values of
 * the first rows.
 */
#pragma once

#include "engine/engine_error.h"

#include <glib.h>

typedef struct {
	char *header;        /* as the file writes it (made valid UTF-8) */
	const char *meaning; /* engine_import_column_meaning; NULL: a custom field */
	GPtrArray *samples;  /* char *: its values in the first rows (valid UTF-8) */
} EngineImportColumn;

void engine_import_peek_column_free(EngineImportColumn *column);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EngineImportColumn, engine_import_peek_column_free)

/* The columns of a CSV file whose first @n bytes are @data (a row cut at
 * the end is not read), with up to @max_samples rows of values; its
 * separator (@delimiter, or guessed when '\0') in *@used. An array of
 * EngineImportColumn; NULL with ENGINE_ERROR_INPUT naming the line when
 * the start is not CSV or has no header row. */
GPtrArray *engine_import_peek_columns(const char *data, gsize n, char delimiter, guint max_samples,
                                      char *used, GError **error);
