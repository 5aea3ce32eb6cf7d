#include "engine/engine_import.h"

#include "base/base_error.h"
#include "base/base_zone.h"
#include "mail/mail_address.h"
#include "tmpl/tmpl_template.h"

#include <csv.h>
#include <string.h>

/* The columns piculet knows, and the names people give them. */
typedef enum {
	COLUMN_SKIP,    /* left out by the column mapping */
	COLUMN_FIELD,   /* a custom field */
	COLUMN_UNNAMED, /* no name in the header (a spreadsheet's empty columns) */
	COLUMN_EMAIL,
	COLUMN_FIRST_NAME,
	COLUMN_LAST_NAME,
	COLUMN_COMPANY,
	COLUMN_TIMEZONE,
} Column;

static const struct {
	const char *name;
	Column column;
} column_names[] = {
        {"email", COLUMN_EMAIL},           {"e-mail", COLUMN_EMAIL},
        {"email_address", COLUMN_EMAIL},   {"email address", COLUMN_EMAIL},
        {"first_name", COLUMN_FIRST_NAME}, {"firstname", COLUMN_FIRST_NAME},
        {"first name", COLUMN_FIRST_NAME}, {"last_name", COLUMN_LAST_NAME},
        {"lastname", COLUMN_LAST_NAME},    {"last name", COLUMN_LAST_NAME},
        {"company", COLUMN_COMPANY},       {"company_name", COLUMN_COMPANY},
        {"organization", COLUMN_COMPANY},  {"timezone", COLUMN_TIMEZONE},
        {"time_zone", COLUMN_TIMEZONE},    {"tz", COLUMN_TIMEZONE},
};

/* Rows are put a batch at a time (store_prospect_put_many: on a server,
 * the new ones in one COPY), by a thread of their own while the next
 * batch is read: the reading and the database's work overlap. */
#define IMPORT_BATCH 5000

/* Fields as long as this are a mistake, not a name or a note. */
#define MAX_FIELD_BYTES 8192
#define MAX_COLUMNS     200

/* Rows read and not yet put: their strings in @strings, each row's custom
 * fields in @values (Import.field_names->len each, in order). */
typedef struct {
	GStringChunk *strings;
	GArray *rows; /* StoreProspectInput */
	GPtrArray *values;
	StoreProspectResult *results; /* once put */
	GError *error;                /* the put's */
} Batch;

typedef struct {
	Store *store;
	const char *name;
	const EngineImportOptions *options;
	EngineImportSummary *summary;
	GError *error;         /* the first error; stops everything */
	guint64 line;          /* the physical line where the row being read starts */
	guint64 physical_line; /* the line being fed to the CSV reader (1-based) */
	bool row_open;         /* a row has begun and not yet ended */
	bool header_read;
	GPtrArray *header; /* char *: the column names (lowercase), as errors name them */
	GPtrArray *names;  /* char *: what each column becomes (a field's name) */
	GArray *columns;   /* Column, one per header name */
	int email_column;
	GPtrArray *row;         /* char *: the fields of the row being read */
	int64_t stamp;          /* this import's mark on the rows it writes */
	GHashTable *zones;      /* time zone names already checked: name -> valid */
	GHashTable *blacklist;  /* entries, read once: a short list, checked every row */
	GPtrArray *field_names; /* the custom fields' header names (borrowed) */
	/* Two batches in turn: one being read, the other (@putting, with
	 * @putter its thread) being put; the store is the putter's alone
	 * until it is joined. */
	Batch batches[2];
	Batch *reading;
	Batch *putting;
	GThread *putter;
} Import;

/* "NAME:LINE: column "C": WHAT", of the row being read. */
static char *
row_problem(const Import *import, const char *column, const char *what)
{
	if (column != NULL)
		return g_strdup_printf("%s:%" G_GUINT64_FORMAT ": column \"%s\": %s", import->name,
		                       import->line, column, what);
	return g_strdup_printf("%s:%" G_GUINT64_FORMAT ": %s", import->name, import->line, what);
}

/* Records the first error. */
static void
fail(Import *import, const char *column, const char *what)
{
	if (import->error != NULL)
		return;
	g_autofree char *problem = row_problem(import, column, what);
	g_set_error_literal(&import->error, ENGINE_ERROR, ENGINE_ERROR_INPUT, problem);
}

/* Puts the prospect just imported into the campaign asked for. */
static void
enroll(Import *import, const char *email)
{
	StoreEnrollResult result;
	if (!store_enrollment_add(import->store, import->options->campaign_id, email,
	                          import->options->allow_other_campaigns, &result, &import->error))
		return;
	switch (result) {
	case STORE_ENROLL_ADDED:
		import->summary->enrolled++;
		break;
	case STORE_ENROLL_ALREADY:
		import->summary->already_enrolled++;
		break;
	case STORE_ENROLL_IN_OTHER_CAMPAIGN:
		import->summary->held_other_campaign++;
		break;
	case STORE_ENROLL_NOT_CONTACTABLE:
	case STORE_ENROLL_NO_PROSPECT:
		import->summary->not_enrolled++;
		break;
	}
}

static void
on_field(void *data, size_t length, void *user_data)
{
	Import *import = user_data;
	if (import->error != NULL)
		return;
	if (import->row->len >= MAX_COLUMNS) {
		fail(import, NULL, "more than 200 columns");
		return;
	}
	if (length > MAX_FIELD_BYTES) {
		fail(import, NULL, "a field longer than 8192 bytes");
		return;
	}
	/* A NUL would silently cut the value short wherever it goes next. */
	if (data != NULL && memchr(data, '\0', length) != NULL) {
		g_autofree char *what =
		        g_strdup_printf("field %u holds a NUL byte", import->row->len + 1);
		fail(import, NULL, what);
		return;
	}
	g_ptr_array_add(import->row, g_strndup(data != NULL ? data : "", length));
}

static Column
column_of(const char *name)
{
	for (gsize k = 0; k < G_N_ELEMENTS(column_names); k++)
		if (strcmp(name, column_names[k].name) == 0)
			return column_names[k].column;
	return COLUMN_FIELD;
}

const char *
engine_import_column_meaning(const char *header)
{
	static const char *const meanings[] = {
	        [COLUMN_EMAIL] = "email",         [COLUMN_FIRST_NAME] = "first_name",
	        [COLUMN_LAST_NAME] = "last_name", [COLUMN_COMPANY] = "company",
	        [COLUMN_TIMEZONE] = "timezone",
	};
	g_autofree char *lower = g_ascii_strdown(header, -1);
	g_strstrip(lower);
	Column column = column_of(lower);
	return column == COLUMN_FIELD ? NULL : meanings[column];
}

GHashTable *
engine_import_columns_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

bool
engine_import_columns_add(GHashTable *columns, const char *header, const char *target,
                          GError **error)
{
	g_autofree char *name = g_ascii_strdown(header, -1);
	g_autofree char *becomes = g_ascii_strdown(target, -1);
	g_strstrip(name);
	g_strstrip(becomes);
	if (name[0] == '\0' || !g_utf8_validate(name, -1, NULL)) {
		g_set_error_literal(error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		                    "column mapping: a column without a name");
		return false;
	}
	if (g_hash_table_contains(columns, name)) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		            "column mapping: \"%s\" is mapped twice", name);
		return false;
	}
	if (becomes[0] != '\0' && column_of(becomes) == COLUMN_FIELD &&
	    !tmpl_template_is_field_name(becomes)) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		            "column mapping: \"%s\" becomes \"%s\", which is not a field name "
		            "(letters, digits, \"_\", \".\", \"-\"; a letter first)",
		            name, becomes);
		return false;
	}
	g_hash_table_insert(columns, g_steal_pointer(&name), g_steal_pointer(&becomes));
	return true;
}

/* Each name the column mapping gives is a column of the header. */
static void
check_mapping(Import *import)
{
	GHashTableIter iter;
	gpointer mapped;
	g_hash_table_iter_init(&iter, import->options->columns);
	while (import->error == NULL && g_hash_table_iter_next(&iter, &mapped, NULL)) {
		bool found = false;
		for (guint i = 0; i < import->header->len && !found; i++)
			found = strcmp(import->header->pdata[i], mapped) == 0;
		if (!found) {
			g_autofree char *what = g_strdup_printf(
			        "header: the column mapping names \"%s\", which the file has not",
			        (const char *)mapped);
			fail(import, NULL, what);
		}
	}
}

static void
read_header(Import *import)
{
	import->email_column = -1;
	GHashTable *mapping = import->options->columns;
	for (guint i = 0; i < import->row->len; i++) {
		g_autofree char *lower = g_ascii_strdown(g_strstrip(import->row->pdata[i]), -1);
		if (!g_utf8_validate(lower, -1, NULL)) {
			g_autofree char *what =
			        g_strdup_printf("header: column %u has no valid name", i + 1);
			fail(import, NULL, what);
			return;
		}
		/* Spreadsheets export the empty columns beside a table with
		 * empty names: left out, as long as they stay empty (a value
		 * under no name is a bad row). */
		if (lower[0] == '\0') {
			Column unnamed = COLUMN_UNNAMED;
			g_array_append_val(import->columns, unnamed);
			g_ptr_array_add(import->header, g_strdup_printf("column %u", i + 1));
			g_ptr_array_add(import->names, g_strdup(""));
			continue;
		}
		/* The mapping says what a column becomes ("" leaves it out); the
		 * others are read by their names. */
		const char *target = mapping != NULL ? g_hash_table_lookup(mapping, lower) : NULL;
		g_autofree char *name = g_strdup(target != NULL ? target : lower);
		Column column = target != NULL && target[0] == '\0' ? COLUMN_SKIP : column_of(name);
		/* Two columns for one thing (two address columns, "First Name"
		 * and "firstname", a name twice): which one counts would be a
		 * guess, so the header is refused. */
		for (guint k = 0; k < import->header->len && column != COLUMN_SKIP; k++) {
			Column other = g_array_index(import->columns, Column, k);
			bool same_name =
			        other != COLUMN_SKIP && strcmp(import->names->pdata[k], name) == 0;
			if (same_name || (column != COLUMN_FIELD && other == column)) {
				g_autofree char *what = g_strdup_printf(
				        "header: columns %u (\"%s\") and %u (\"%s\") are the same "
				        "column",
				        k + 1, (const char *)import->header->pdata[k], i + 1,
				        lower);
				fail(import, NULL, what);
				return;
			}
		}
		if (column == COLUMN_EMAIL)
			import->email_column = (int)i;
		g_array_append_val(import->columns, column);
		g_ptr_array_add(import->header, g_steal_pointer(&lower));
		g_ptr_array_add(import->names, g_steal_pointer(&name));
	}
	if (mapping != NULL)
		check_mapping(import);
	if (import->error == NULL && import->email_column < 0)
		fail(import, NULL,
		     "header: no email column (one named email, e-mail, email_address or \"email "
		     "address\", or one the column mapping makes email)");
	for (guint i = 0; i < import->header->len; i++)
		if (g_array_index(import->columns, Column, i) == COLUMN_FIELD)
			g_ptr_array_add(import->field_names, import->names->pdata[i]);
}

/* A bad row: the end of the import, or one more left out. */
static void
bad_row(Import *import, const char *column, const char *why)
{
	if (import->options->skip_invalid) {
		EngineImportSummary *summary = import->summary;
		summary->invalid++;
		if (summary->n_left_out < ENGINE_IMPORT_LEFT_OUT) {
			g_autofree char *problem = row_problem(import, column, why);
			g_strlcpy(summary->left_out[summary->n_left_out++], problem,
			          sizeof summary->left_out[0]);
		}
		return;
	}
	fail(import, column, why);
}

/* Whether @name is an IANA time zone; remembered, since loading one reads
 * a file and a list has few distinct zones in many rows. */
static bool
zone_known(Import *import, const char *name)
{
	if (g_hash_table_contains(import->zones, name))
		return true;
	GTimeZone *zone = base_zone_new(name, NULL);
	if (zone == NULL)
		return false;
	g_time_zone_unref(zone);
	/* Only valid names are remembered: an invalid one ends the import, or
	 * is rare with skip_invalid. */
	if (g_hash_table_size(import->zones) < 10000)
		g_hash_table_add(import->zones, g_strdup(name));
	return true;
}

/* Counts what the store made of one row, and enrolls it when it asks. */
static void
tally(Import *import, StoreProspectResult result, const char *email)
{
	EngineImportSummary *summary = import->summary;
	switch (result) {
	case STORE_PROSPECT_INSERTED:
		summary->imported++;
		break;
	case STORE_PROSPECT_UPDATED:
		summary->updated++;
		break;
	case STORE_PROSPECT_UNCHANGED_BOUNCED:
		summary->skipped_bounced++;
		break;
	case STORE_PROSPECT_UNCHANGED_OPTED_OUT:
		summary->skipped_opted_out++;
		break;
	case STORE_PROSPECT_DUPLICATE:
		summary->duplicates++;
		break;
	}
	if (import->options->campaign_id > 0 &&
	    (result == STORE_PROSPECT_INSERTED || result == STORE_PROSPECT_UPDATED))
		enroll(import, email);
}

static gpointer
put_batch(gpointer data)
{
	Import *import = data;
	Batch *batch = import->putting;
	gsize n = batch->rows->len;
	batch->results = g_renew(StoreProspectResult, batch->results, n);
	store_prospect_put_many(import->store, (StoreProspectInput *)(void *)batch->rows->data, n,
	                        batch->results, &batch->error);
	return NULL;
}

/* The batch being put, once it is: its rows counted (and enrolled, on the
 * store, which is this thread's again), its buffers emptied for reuse. */
static void
finish_put(Import *import)
{
	if (import->putter == NULL)
		return;
	g_thread_join(g_steal_pointer(&import->putter));
	Batch *batch = import->putting;
	if (batch->error != NULL && import->error == NULL)
		import->error = g_steal_pointer(&batch->error);
	g_clear_error(&batch->error);
	const StoreProspectInput *rows = (const StoreProspectInput *)(void *)batch->rows->data;
	for (gsize i = 0; i < batch->rows->len && import->error == NULL; i++)
		tally(import, batch->results[i], rows[i].email);
	g_array_set_size(batch->rows, 0);
	g_ptr_array_set_size(batch->values, 0);
	g_string_chunk_clear(batch->strings);
	import->putting = NULL;
}

/* Hands the rows read since the last time to a thread that puts them,
 * the batch before it finished first. */
static void
flush(Import *import)
{
	finish_put(import);
	Batch *batch = import->reading;
	gsize n = batch->rows->len;
	if (n == 0 || import->error != NULL)
		return;
	StoreProspectInput *rows = (StoreProspectInput *)(void *)batch->rows->data;
	guint n_fields = import->field_names->len;
	for (gsize i = 0; i < n; i++) {
		rows[i].field_names = (const char *const *)import->field_names->pdata;
		rows[i].field_values =
		        n_fields > 0 ? (const char *const *)&batch->values->pdata[i * n_fields]
		                     : NULL;
		rows[i].n_fields = n_fields;
	}
	import->putting = batch;
	import->reading = batch == &import->batches[0] ? &import->batches[1] : &import->batches[0];
	import->putter = g_thread_new("piculet-import", put_batch, import);
}

/* A copy of @text kept until the batch is put (NULL stays NULL). */
static const char *
kept(Import *import, const char *text)
{
	return text != NULL ? g_string_chunk_insert(import->reading->strings, text) : NULL;
}

static void
read_row(Import *import)
{
	EngineImportSummary *summary = import->summary;
	summary->rows++;
	guint64 every =
	        import->options->progress_every > 0 ? import->options->progress_every : 100000;
	if (import->options->progress != NULL && summary->rows % every == 0)
		import->options->progress(summary->rows, import->options->user_data);
	StoreProspectInput prospect = {0};
	g_autoptr(GPtrArray) values = g_ptr_array_new();
	g_autofree char *email = NULL;

	if (import->row->len != import->header->len) {
		g_autofree char *why = g_strdup_printf("%u fields where the header has %u",
		                                       import->row->len, import->header->len);
		bad_row(import, NULL, why);
		return;
	}
	for (guint i = 0; i < import->row->len; i++) {
		const char *value = import->row->pdata[i];
		const char *column = import->header->pdata[i];
		Column kind = g_array_index(import->columns, Column, i);
		if (kind == COLUMN_SKIP)
			continue;
		if (kind == COLUMN_UNNAMED) {
			if (value[strspn(value, " \t")] != '\0') {
				g_autofree char *why = g_strdup_printf(
				        "%s: a value under no name in the header", column);
				bad_row(import, NULL, why);
				return;
			}
			continue;
		}
		if (!g_utf8_validate(value, -1, NULL)) {
			bad_row(import, column, "not UTF-8");
			return;
		}
		if (kind != COLUMN_FIELD && strpbrk(value, "\r\n") != NULL) {
			bad_row(import, column, "a line break in a value that goes into headers");
			return;
		}
		switch (kind) {
		case COLUMN_EMAIL: {
			g_autoptr(GError) error = NULL;
			email = mail_address_normalize(value, &error);
			if (email == NULL) {
				bad_row(import, column, error->message);
				return;
			}
			break;
		}
		case COLUMN_FIRST_NAME:
			prospect.first_name = value;
			break;
		case COLUMN_LAST_NAME:
			prospect.last_name = value;
			break;
		case COLUMN_COMPANY:
			prospect.company = value;
			break;
		case COLUMN_TIMEZONE:
			if (value[0] != '\0' && !zone_known(import, value)) {
				bad_row(import, column,
				        "not a time zone (an IANA name like Europe/Berlin)");
				return;
			}
			prospect.timezone = value;
			break;
		case COLUMN_FIELD:
			g_ptr_array_add(values, (gpointer)value);
			break;
		case COLUMN_SKIP:
		case COLUMN_UNNAMED:
			break;
		}
	}
	if (g_hash_table_contains(import->blacklist, email) ||
	    g_hash_table_contains(import->blacklist, strchr(email, '@'))) {
		summary->skipped_blacklisted++;
		return;
	}
	prospect.email = kept(import, email);
	prospect.first_name = kept(import, prospect.first_name);
	prospect.last_name = kept(import, prospect.last_name);
	prospect.company = kept(import, prospect.company);
	prospect.timezone = kept(import, prospect.timezone);
	prospect.import_stamp = import->stamp;
	for (guint i = 0; i < values->len; i++)
		g_ptr_array_add(import->reading->values, (gpointer)kept(import, values->pdata[i]));
	g_array_append_val(import->reading->rows, prospect);
	if (import->reading->rows->len >= IMPORT_BATCH)
		flush(import);
}

static void
on_row(int terminator, void *user_data)
{
	Import *import = user_data;
	if (import->error == NULL) {
		if (!import->header_read) {
			import->header_read = true;
			read_header(import);
		} else {
			read_row(import);
		}
	}
	import->row_open = false;
	g_ptr_array_set_size(import->row, 0);
}

char
engine_import_guess_delimiter(const char *data, gsize n)
{
	/* Counted on the header line, outside quotes: Excel writes ";" where
	 * the decimal separator is a comma (German, French, ...), and tab for
	 * "Unicode text". A tie keeps the comma. */
	gsize commas = 0;
	gsize semicolons = 0;
	gsize tabs = 0;
	bool quoted = false;
	for (gsize i = 0; i < n && (quoted || (data[i] != '\n' && data[i] != '\r')); i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted && data[i] == ',')
			commas++;
		else if (!quoted && data[i] == ';')
			semicolons++;
		else if (!quoted && data[i] == '\t')
			tabs++;
	}
	if (semicolons > commas && semicolons >= tabs)
		return ';';
	if (tabs > commas && tabs > semicolons)
		return '\t';
	return ',';
}

/* Feeds @data to the CSV reader a physical line at a time, so that errors
 * name the line where their row starts (a quoted field may span lines) and
 * a syntax error the line where it is. */
static void
feed_lines(Import *import, struct csv_parser *parser, const char *data, gsize n)
{
	while (n > 0 && import->error == NULL) {
		const char *lf = memchr(data, '\n', n);
		gsize length = lf != NULL ? (gsize)(lf - data) + 1 : n;
		if (import->physical_line == 0)
			import->physical_line = 1;
		bool blank = length == 1 || (length == 2 && data[0] == '\r');
		if (!import->row_open && !blank) {
			import->row_open = true;
			import->line = import->physical_line;
		}
		if (csv_parse(parser, data, length, on_field, on_row, import) != length &&
		    import->error == NULL)
			g_set_error(&import->error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
			            "%s:%" G_GUINT64_FORMAT ": %s", import->name,
			            import->physical_line, csv_strerror(csv_error(parser)));
		if (lf != NULL)
			import->physical_line++;
		data += length;
		n -= length;
	}
}

bool
engine_import_prospects(Store *store, FILE *file, const char *name,
                        const EngineImportOptions *options, EngineImportSummary *summary,
                        GError **error)
{
	struct csv_parser parser;
	Import import = {.store = store, .name = name, .options = options, .summary = summary};
	memset(summary, 0, sizeof *summary);
	/* Strict: a stray or unclosed quote is an error, not guessed around. */
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) !=
	    0) {
		g_set_error_literal(error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		                    "cannot start the CSV reader");
		return false;
	}
	import.header = g_ptr_array_new_with_free_func(g_free);
	import.names = g_ptr_array_new_with_free_func(g_free);
	import.columns = g_array_new(FALSE, FALSE, sizeof(Column));
	import.row = g_ptr_array_new_with_free_func(g_free);
	import.stamp = g_get_real_time();
	import.zones = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	import.blacklist = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (int b = 0; b < 2; b++) {
		import.batches[b].strings = g_string_chunk_new((gsize)64 * 1024);
		import.batches[b].rows =
		        g_array_sized_new(FALSE, FALSE, sizeof(StoreProspectInput), IMPORT_BATCH);
		import.batches[b].values = g_ptr_array_new();
	}
	import.reading = &import.batches[0];
	import.field_names = g_ptr_array_new();
	bool ok = store_begin(store, &import.error);
	g_autoptr(GPtrArray) entries = ok ? store_blacklist_list(store, &import.error) : NULL;
	ok = ok && entries != NULL;
	for (guint i = 0; ok && i < entries->len; i++)
		g_hash_table_add(import.blacklist, g_strdup(entries->pdata[i]));
	char buffer[65536];
	size_t n;
	bool first = true;
	while (ok && import.error == NULL && (n = fread(buffer, 1, sizeof buffer, file)) > 0) {
		const char *data = buffer;
		if (first) {
			first = false;
			/* Excel's "CSV UTF-8" starts with a byte-order mark. */
			if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
				data += 3;
				n -= 3;
			}
			csv_set_delim(&parser, options->delimiter != '\0'
			                               ? (unsigned char)options->delimiter
			                               : engine_import_guess_delimiter(data, n));
		}
		feed_lines(&import, &parser, data, n);
	}
	if (ok && import.error == NULL && ferror(file))
		g_set_error(&import.error, ENGINE_ERROR, ENGINE_ERROR_INPUT, "%s: read error",
		            name);
	if (ok && import.error == NULL && csv_fini(&parser, on_field, on_row, &import) != 0)
		g_set_error(&import.error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		            "%s:%" G_GUINT64_FORMAT ": %s (the row starting here never ends)", name,
		            import.line, csv_strerror(csv_error(&parser)));
	if (ok && import.error == NULL && !import.header_read)
		g_set_error(&import.error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		            "%s: empty: no header row", name);
	if (ok && import.error == NULL)
		flush(&import);
	/* The last put joined whatever happened: the store is ours again. */
	finish_put(&import);
	ok = ok && import.error == NULL;
	if (ok)
		ok = store_commit(store, &import.error);
	if (!ok) {
		store_rollback(store);
		memset(summary, 0, sizeof *summary);
		g_propagate_error(error, import.error);
	}
	csv_free(&parser);
	g_ptr_array_unref(import.header);
	g_ptr_array_unref(import.names);
	g_array_unref(import.columns);
	g_ptr_array_unref(import.row);
	g_hash_table_unref(import.zones);
	g_hash_table_unref(import.blacklist);
	for (int b = 0; b < 2; b++) {
		g_string_chunk_free(import.batches[b].strings);
		g_array_unref(import.batches[b].rows);
		g_ptr_array_unref(import.batches[b].values);
		g_free(import.batches[b].results);
	}
	g_ptr_array_unref(import.field_names);
	return ok;
}

bool
engine_import_delimiter_parse(const char *name, char *delimiter)
{
	if (name == NULL)
		*delimiter = '\0';
	else if (strcmp(name, "tab") == 0 || strcmp(name, "\t") == 0)
		*delimiter = '\t';
	else if (strcmp(name, ",") == 0 || strcmp(name, ";") == 0)
		*delimiter = name[0];
	else
		return false;
	return true;
}
