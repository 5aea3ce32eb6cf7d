/* Reading requests and wording answers, for every handler. */
#include "http/http_json.h"

#include "base/base_zone.h"
#include "mail/mail_address.h"

#include <stdlib.h>
#include <string.h>

json_t *
http_json_text(const char *text)
{
	if (text == NULL)
		return json_null();
	/* Valid text (nearly all) is copied once, not checked twice. */
	if (g_utf8_validate(text, -1, NULL))
		return json_string_nocheck(text);
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	return json_string_nocheck(valid);
}

json_t *
http_json_time(int64_t at_us)
{
	g_autofree char *text = base_zone_format_utc(at_us);
	return http_json_text(text);
}

void
http_json_fail(HttpExchange *x, AppError code, const char *message)
{
	g_clear_error(&x->error);
	x->error = g_error_new_literal(APP_ERROR, code, message);
}

char *
http_json_address_param(HttpExchange *x, guint index)
{
	g_autoptr(GError) error = NULL;
	char *address = mail_address_normalize(x->param[index], &error);
	if (address == NULL) {
		g_autofree char *message =
		        g_strdup_printf("\"%s\": %s", x->param[index], error->message);
		http_json_fail(x, APP_ERROR_INVALID, message);
	}
	return address;
}

/* The body's member @name, or NULL; fails when the body is not an object. */
static json_t *
member(HttpExchange *x, const char *name, bool *ok)
{
	if (x->body == NULL)
		return NULL;
	if (!json_is_object(x->body)) {
		http_json_fail(x, APP_ERROR_INVALID, "the body is a JSON object");
		*ok = false;
		return NULL;
	}
	json_t *value = json_object_get(x->body, name);
	return json_is_null(value) ? NULL : value;
}

const char *
http_json_body_string(HttpExchange *x, const char *name, bool *ok)
{
	json_t *value = member(x, name, ok);
	if (value == NULL || !*ok)
		return NULL;
	if (!json_is_string(value)) {
		g_autofree char *message = g_strdup_printf("%s: a string", name);
		http_json_fail(x, APP_ERROR_INVALID, message);
		*ok = false;
		return NULL;
	}
	return json_string_value(value);
}

int
http_json_body_int(HttpExchange *x, const char *name, int min, int max, int fallback, bool *ok)
{
	json_t *value = member(x, name, ok);
	if (value == NULL || !*ok)
		return fallback;
	json_int_t number =
	        json_is_integer(value) ? json_integer_value(value) : (json_int_t)min - 1;
	if (number < min || number > max) {
		g_autofree char *message =
		        g_strdup_printf("%s: a whole number from %d to %d", name, min, max);
		http_json_fail(x, APP_ERROR_INVALID, message);
		*ok = false;
		return fallback;
	}
	return (int)number;
}

guint
http_json_query_limit(HttpExchange *x, const char *name, guint max, guint fallback, bool *ok)
{
	const char *text = g_hash_table_lookup(x->query, name);
	if (text == NULL)
		return fallback;
	guint64 value = 0;
	if (!g_ascii_string_to_unsigned(text, 10, 1, max, &value, NULL)) {
		g_autofree char *message =
		        g_strdup_printf("%s: a whole number from 1 to %u", name, max);
		http_json_fail(x, APP_ERROR_INVALID, message);
		*ok = false;
		return fallback;
	}
	return (guint)value;
}

int64_t
http_json_id_param(HttpExchange *x, guint index)
{
	guint64 id = 0;
	if (!g_ascii_string_to_unsigned(x->param[index], 10, 1, G_MAXINT64, &id, NULL)) {
		http_json_fail(x, APP_ERROR_NOT_FOUND, "no such id");
		return 0;
	}
	return (int64_t)id;
}

json_t *
http_json_left_out(const EngineImportSummary *summary)
{
	json_t *list = json_array();
	for (guint i = 0; i < summary->n_left_out; i++)
		json_array_append_new(list, http_json_text(summary->left_out[i]));
	return list;
}

json_t *
http_json_days(const GArray *days)
{
	json_t *per_day = json_array();
	for (guint i = 0; i < days->len; i++) {
		const StoreDayCount *d = &g_array_index(days, StoreDayCount, i);
		g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc(d->day * 86400);
		g_autofree char *day = g_date_time_format(at, "%Y-%m-%d");
		json_array_append_new(per_day, json_pack("{s:s, s:I, s:I}", "day", day, "sent",
		                                         (json_int_t)d->sent, "replied",
		                                         (json_int_t)d->replied));
	}
	return per_day;
}
