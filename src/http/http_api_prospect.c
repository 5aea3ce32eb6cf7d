/* The API's prospects: pages, import, one with its history, export, erasure. */
#include "http/http_api_prospect.h"

#include "app/app_prospect.h"
#include "base/base_error.h"
#include "base/base_json.h"
#include "engine/engine_import_peek.h"
#include "http/http_import.h"
#include "http/http_json.h"

#include <stdio.h>
#include <string.h>

#define PAGE_DEFAULT 100
#define PAGE_MAX     1000
/* Rows of values a column is shown with before an import. */
#define IMPORT_SAMPLES 3

/* @p as a JSON object to add to (a prospect's card). */
static json_t *
prospect_json(const StoreProspect *p)
{
	g_autoptr(GString) text = g_string_new(NULL);
	app_prospect_append_json(text, p);
	return json_loadb(text->str, text->len, 0, NULL);
}

void
http_api_prospect_page(HttpExchange *x)
{
	bool ok = true;
	StoreProspectQuery query = {
	        .after = g_hash_table_lookup(x->query, "after"),
	        .search = g_hash_table_lookup(x->query, "search"),
	        .status = g_hash_table_lookup(x->query, "status"),
	        .limit = http_json_query_limit(x, "limit", PAGE_MAX, PAGE_DEFAULT, &ok),
	};
	if (!ok)
		return;
	g_autoptr(GPtrArray) page = store_prospect_page(x->store, &query, &x->error);
	if (page == NULL)
		return;
	GString *out = g_string_sized_new(256 * (gsize)(page->len + 1));
	g_string_append(out, "{\"prospects\":[");
	for (guint i = 0; i < page->len; i++) {
		if (i > 0)
			g_string_append_c(out, ',');
		app_prospect_append_json(out, page->pdata[i]);
	}
	/* A full page may have more after it; a short one is the last. */
	const char *next = page->len == query.limit
	                           ? ((const StoreProspect *)page->pdata[page->len - 1])->email
	                           : NULL;
	g_string_append(out, "],\"next\":");
	base_json_append_string(out, next);
	g_string_append_c(out, '}');
	x->answer_json = g_string_free(out, FALSE);
}

static bool
query_flag(HttpExchange *x, const char *name)
{
	const char *value = g_hash_table_lookup(x->query, name);
	return value != NULL && (value[0] == '\0' || strcmp(value, "true") == 0);
}

/* The column mapping of ?columns=, a JSON object: a header -> what it
 * becomes ("" leaves it out). */
static bool
columns_of(HttpExchange *x, GHashTable **columns)
{
	const char *text = g_hash_table_lookup(x->query, "columns");
	if (text == NULL)
		return true;
	json_error_t problem;
	json_t *object = json_loads(text, JSON_REJECT_DUPLICATES, &problem);
	bool ok = json_is_object(object);
	if (!ok)
		http_json_fail(
		        x, APP_ERROR_INVALID,
		        "columns: a JSON object of the file's column names, each with what "
		        "it becomes (\"email\", \"first_name\", a field's name, \"\" to leave "
		        "it out)");
	else
		*columns = engine_import_columns_new();
	const char *header;
	json_t *target;
	if (ok)
		json_object_foreach(object, header, target)
		{
			g_autoptr(GError) wrong = NULL;
			if (!json_is_string(target)) {
				g_autofree char *what = g_strdup_printf(
				        "columns: \"%s\": a text (\"\" to leave the column out)",
				        header);
				http_json_fail(x, APP_ERROR_INVALID, what);
				ok = false;
			} else if (!engine_import_columns_add(*columns, header,
			                                      json_string_value(target), &wrong)) {
				http_json_fail(x, APP_ERROR_INVALID, wrong->message);
				ok = false;
			}
			if (!ok)
				break;
		}
	json_decref(object);
	return ok;
}

/* An import's options from the query; false with the answer set when one
 * is wrong. *@columns holds the mapping the options point to. */
static bool
import_options(HttpExchange *x, AppProspectImport *options, GHashTable **columns)
{
	*options = (AppProspectImport){
	        .campaign = g_hash_table_lookup(x->query, "campaign"),
	        .allow_other_campaigns = query_flag(x, "allow_other_campaigns"),
	        .skip_invalid = query_flag(x, "skip_invalid"),
	};
	if (!engine_import_delimiter_parse(g_hash_table_lookup(x->query, "delimiter"),
	                                   &options->delimiter)) {
		http_json_fail(x, APP_ERROR_INVALID, "delimiter: \",\", \";\" or \"tab\"");
		return false;
	}
	if (!columns_of(x, columns))
		return false;
	options->columns = *columns;
	return true;
}

/* POST /api/v1/imports/columns: the columns of a CSV file's first bytes
 * (the body), what piculet makes of each and their first values. */
void
http_api_prospect_import_columns(HttpExchange *x)
{
	char delimiter = '\0';
	if (!engine_import_delimiter_parse(g_hash_table_lookup(x->query, "delimiter"),
	                                   &delimiter)) {
		http_json_fail(x, APP_ERROR_INVALID, "delimiter: \",\", \";\" or \"tab\"");
		return;
	}
	g_autoptr(GError) error = NULL;
	char used = '\0';
	g_autoptr(GPtrArray) columns =
	        engine_import_peek_columns(x->raw_body != NULL ? x->raw_body : "", x->raw_length,
	                                   delimiter, IMPORT_SAMPLES, &used, &error);
	if (columns == NULL) {
		http_json_fail(x, APP_ERROR_INVALID, error->message);
		return;
	}
	json_t *list = json_array();
	for (guint i = 0; i < columns->len; i++) {
		const EngineImportColumn *c = columns->pdata[i];
		json_t *samples = json_array();
		for (guint k = 0; k < c->samples->len; k++)
			json_array_append_new(samples, json_string(c->samples->pdata[k]));
		json_array_append_new(list,
		                      json_pack("{s:s, s:o, s:o}", "header", c->header, "meaning",
		                                http_json_text(c->meaning), "samples", samples));
	}
	const char *name = used == '\t' ? "tab" : used == ';' ? ";" : ",";
	x->answer = json_pack("{s:s, s:o}", "delimiter", name, "columns", list);
}

void
http_api_prospect_import(HttpExchange *x)
{
	g_autoptr(GHashTable) columns = NULL;
	AppProspectImport options;
	if (!import_options(x, &options, &columns))
		return;
	if (x->raw_length == 0) {
		http_json_fail(x, APP_ERROR_INVALID, "send the CSV file as the body (text/csv)");
		return;
	}
	FILE *file = fmemopen((void *)x->raw_body, x->raw_length, "rb");
	if (file == NULL) {
		http_json_fail(x, APP_ERROR_INVALID, "the body cannot be read");
		return;
	}
	EngineImportSummary s;
	bool ok = app_prospect_import(x->store, file, "upload", &options, &s, &x->error);
	fclose(file);
	if (!ok)
		return;
	x->answer = json_pack(
	        "{s:i, s:i, s:i, s:{s:i, s:i, s:i, s:i, s:i}}", "rows", (json_int_t)s.rows,
	        "imported", (json_int_t)s.imported, "updated", (json_int_t)s.updated, "skipped",
	        "invalid", (json_int_t)s.invalid, "duplicate", (json_int_t)s.duplicates,
	        "blacklisted", (json_int_t)s.skipped_blacklisted, "bounced",
	        (json_int_t)s.skipped_bounced, "opted_out", (json_int_t)s.skipped_opted_out);
	json_object_set_new(x->answer, "left_out", http_json_left_out(&s));
	if (options.campaign != NULL)
		json_object_set_new(x->answer, "campaign",
		                    json_pack("{s:s, s:i, s:i, s:i, s:i}", "name", options.campaign,
		                              "enrolled", (json_int_t)s.enrolled, "already",
		                              (json_int_t)s.already_enrolled, "held_back",
		                              (json_int_t)s.held_other_campaign, "not_contactable",
		                              (json_int_t)s.not_enrolled));
}

/* POST /api/v1/imports: the same import, streamed (http_import). */
static void *
import_begin(HttpExchange *x)
{
	g_autoptr(GHashTable) columns = NULL;
	AppProspectImport options;
	if (!import_options(x, &options, &columns))
		return NULL;
	/* The import's own connection: it writes from its own thread. */
	Store *own = store_open_another(x->store, &x->error);
	if (own == NULL)
		return NULL;
	return http_import_begin(x->imports, own, &options, &x->error);
}

static bool
import_feed(void *state, const char *data, gsize length)
{
	return http_import_feed(state, data, length);
}

static void
import_finish(void *state, HttpExchange *x)
{
	http_import_finish(state, x);
}

static void
import_abort(void *state)
{
	http_import_abort(state);
}

const HttpStream http_api_prospect_import_stream = {
        .begin = import_begin,
        .feed = import_feed,
        .finish = import_finish,
        .abort = import_abort,
};

void
http_api_prospect_imports(HttpExchange *x)
{
	x->answer = http_import_list_json(x->imports);
}

void
http_api_prospect_import_get(HttpExchange *x)
{
	int64_t id = http_json_id_param(x, 0);
	if (id == 0)
		return;
	x->answer = http_import_job_json(x->imports, id);
	if (x->answer == NULL)
		http_json_fail(x, APP_ERROR_NOT_FOUND, "no such import (the last 50 are kept)");
}

static json_t *
history_json(const GPtrArray *timeline)
{
	json_t *list = json_array();
	for (guint i = 0; i < timeline->len; i++) {
		const StoreEvent *e = timeline->pdata[i];
		json_t *event =
		        json_pack("{s:o, s:o, s:o, s:o}", "at", http_json_time(e->at), "kind",
		                  http_json_text(e->kind), "campaign", http_json_text(e->campaign),
		                  "detail", http_json_text(e->detail));
		if (e->step > 0)
			json_object_set_new(event, "step", json_integer(e->step));
		if (e->mailbox != NULL)
			json_object_set_new(event, "mailbox", http_json_text(e->mailbox));
		json_array_append_new(list, event);
	}
	return list;
}

/* The prospect of the path with its campaigns and history; with @messages,
 * what was sent to it in each campaign too. */
static void
answer_card(HttpExchange *x, bool messages)
{
	g_autofree char *email = http_json_address_param(x, 0);
	if (email == NULL)
		return;
	g_autoptr(AppProspectCard) card = app_prospect_get(x->store, email, &x->error);
	if (card == NULL)
		return;
	json_t *enrolled = json_array();
	for (guint i = 0; i < card->campaigns->len; i++) {
		const AppProspectCampaign *c = card->campaigns->pdata[i];
		json_t *entry = json_pack(
		        "{s:o, s:s, s:i, s:o}", "campaign", http_json_text(c->campaign), "state",
		        c->enrollment->state, "next_step", (json_int_t)c->enrollment->next_step,
		        "reason", http_json_text(c->enrollment->reason));
		g_autoptr(GPtrArray) sent =
		        messages ? store_message_list_for_enrollment(x->store, c->enrollment->id,
		                                                     &x->error)
		                 : NULL;
		if (messages && sent == NULL) {
			json_decref(entry);
			json_decref(enrolled);
			return;
		}
		json_t *list = json_array();
		for (guint m = 0; sent != NULL && m < sent->len; m++) {
			const StoreMessage *message = sent->pdata[m];
			json_array_append_new(list,
			                      json_pack("{s:i, s:o, s:o, s:s, s:o}", "step",
			                                (json_int_t)message->step, "message_id",
			                                http_json_text(message->message_id),
			                                "subject", http_json_text(message->subject),
			                                "state", message->state, "sent_at",
			                                http_json_time(message->sent_at)));
		}
		if (messages)
			json_object_set_new(entry, "messages", list);
		else
			json_decref(list);
		json_array_append_new(enrolled, entry);
	}
	x->answer = prospect_json(card->prospect);
	if (x->answer == NULL) {
		/* Only out of memory: app_prospect_append_json writes JSON. */
		json_decref(enrolled);
		x->error = g_error_new_literal(BASE_ERROR, BASE_ERROR_IO,
		                               "the prospect could not be written");
		return;
	}
	json_object_set_new(x->answer, "campaigns", enrolled);
	json_object_set_new(x->answer, "history", history_json(card->timeline));
}

void
http_api_prospect_get(HttpExchange *x)
{
	answer_card(x, false);
}

void
http_api_prospect_export(HttpExchange *x)
{
	answer_card(x, true);
	if (x->answer != NULL)
		json_object_set_new(x->answer, "exported_at", http_json_time(x->now_us));
}

void
http_api_prospect_remove(HttpExchange *x)
{
	g_autofree char *email = http_json_address_param(x, 0);
	if (email == NULL || !app_prospect_remove(x->store, email, &x->error))
		return;
	x->status = 204;
}

/* The body's "fields" object as names and values, or false (the exchange
 * failed) when it is not an object of strings. */
static bool
fields_of(HttpExchange *x, GPtrArray *names, GPtrArray *values)
{
	json_t *fields = x->body != NULL ? json_object_get(x->body, "fields") : NULL;
	if (fields == NULL)
		return true;
	const char *name;
	json_t *value;
	bool ok = json_is_object(fields);
	json_object_foreach(fields, name, value)
	{
		if (!json_is_string(value)) {
			ok = false;
			break;
		}
		g_ptr_array_add(names, (gpointer)name);
		g_ptr_array_add(values, (gpointer)json_string_value(value));
	}
	if (!ok)
		http_json_fail(x, APP_ERROR_INVALID, "fields: an object of names and texts");
	return ok;
}

void
http_api_prospect_edit(HttpExchange *x)
{
	g_autofree char *email = http_json_address_param(x, 0);
	if (email == NULL)
		return;
	bool ok = true;
	AppProspectEdit edit = {
	        .email = email,
	        .first_name = http_json_body_string(x, "first_name", &ok),
	        .last_name = http_json_body_string(x, "last_name", &ok),
	        .company = http_json_body_string(x, "company", &ok),
	        .timezone = http_json_body_string(x, "timezone", &ok),
	        .status = http_json_body_string(x, "status", &ok),
	};
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GPtrArray) values = g_ptr_array_new();
	if (!ok || !fields_of(x, names, values))
		return;
	edit.field_names = (const char *const *)names->pdata;
	edit.field_values = (const char *const *)values->pdata;
	edit.n_fields = names->len;
	AppProspectEdited edited = APP_PROSPECT_UPDATED;
	g_autofree char *old_status = NULL;
	if (!app_prospect_edit(x->store, &edit, &edited, &old_status, &x->error))
		return;
	answer_card(x, false);
}
