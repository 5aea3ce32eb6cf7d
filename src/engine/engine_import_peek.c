#include "engine/engine_import_peek.h"

#include "engine/engine_import.h"

#include <csv.h>
#include <string.h>

#define MAX_COLUMNS      200
#define MAX_SAMPLE_CHARS 80

typedef struct {
	GPtrArray *columns; /* EngineImportColumn */
	GPtrArray *row;     /* char *: the fields of the row being read */
	guint rows;         /* rows read, the header among them */
	guint max_samples;
	bool full; /* enough read */
} Peek;

void
engine_import_peek_column_free(EngineImportColumn *column)
{
	if (column == NULL)
		return;
	g_free(column->header);
	g_ptr_array_unref(column->samples);
	g_free(column);
}

/* @data as valid UTF-8, cut at @limit characters (0: whole). */
static char *
shown(const char *data, gsize length, glong limit)
{
	g_autofree char *valid = g_utf8_make_valid(data != NULL ? data : "", (gssize)length);
	if (limit > 0 && g_utf8_strlen(valid, -1) > limit) {
		g_autofree char *cut = g_utf8_substring(valid, 0, limit);
		return g_strconcat(cut, "…", NULL);
	}
	return g_steal_pointer(&valid);
}

static void
on_field(void *data, size_t length, void *user_data)
{
	Peek *peek = user_data;
	if (!peek->full && peek->row->len < MAX_COLUMNS)
		g_ptr_array_add(peek->row,
		                shown(data, length, peek->rows == 0 ? 0 : MAX_SAMPLE_CHARS));
}

static void
on_row(int terminator, void *user_data)
{
	Peek *peek = user_data;
	if (peek->full)
		return;
	if (peek->rows == 0) {
		for (guint i = 0; i < peek->row->len; i++) {
			EngineImportColumn *column = g_new0(EngineImportColumn, 1);
			column->header = g_strstrip(g_strdup(peek->row->pdata[i]));
			column->meaning = engine_import_column_meaning(column->header);
			column->samples = g_ptr_array_new_with_free_func(g_free);
			g_ptr_array_add(peek->columns, column);
		}
	} else {
		for (guint i = 0; i < peek->columns->len; i++) {
			EngineImportColumn *column = peek->columns->pdata[i];
			g_ptr_array_add(column->samples,
			                g_strdup(i < peek->row->len ? peek->row->pdata[i] : ""));
		}
	}
	peek->rows++;
	peek->full = peek->rows > peek->max_samples;
	g_ptr_array_set_size(peek->row, 0);
}

GPtrArray *
engine_import_peek_columns(const char *data, gsize n, char delimiter, guint max_samples, char *used,
                           GError **error)
{
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		n -= 3;
	}
	*used = delimiter != '\0' ? delimiter : engine_import_guess_delimiter(data, n);
	struct csv_parser parser;
	if (csv_init(&parser, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		g_set_error_literal(error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		                    "cannot start the CSV reader");
		return NULL;
	}
	csv_set_delim(&parser, (unsigned char)*used);
	Peek peek = {.columns = g_ptr_array_new_with_free_func(
	                     (GDestroyNotify)engine_import_peek_column_free),
	             .row = g_ptr_array_new_with_free_func(g_free),
	             .max_samples = max_samples};
	/* A line at a time, so that a mistake is named by its line. */
	guint line = 1;
	bool ok = true;
	while (ok && n > 0 && !peek.full) {
		const char *lf = memchr(data, '\n', n);
		gsize length = lf != NULL ? (gsize)(lf - data) + 1 : n;
		ok = csv_parse(&parser, data, length, on_field, on_row, &peek) == length;
		if (!ok)
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT, "line %u: %s", line,
			            csv_strerror(csv_error(&parser)));
		line++;
		data += length;
		n -= length;
	}
	csv_free(&parser);
	g_ptr_array_unref(peek.row);
	if (ok && peek.columns->len == 0) {
		g_set_error_literal(error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		                    "no header row: the file's first line names its columns");
		ok = false;
	}
	if (!ok) {
		g_ptr_array_unref(peek.columns);
		return NULL;
	}
	return peek.columns;
}
