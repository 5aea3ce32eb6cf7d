/*
 * http_json: what the API's handlers share to read requests and word
 * answers: texts and times as JSON, addresses from the path, the JSON
 * body's members, and failing an exchange with a use-case error.
 */
#pragma once

#include "app/app_error.h"
#include "engine/engine_import.h"
#include "http/http_route.h"

#include <jansson.h>

/* @text as JSON: null when NULL; made valid UTF-8 (stored mail may not be). */
json_t *http_json_text(const char *text);

/* A moment (µs) as RFC 3339 UTC, or null when not set (0). */
json_t *http_json_time(int64_t at_us);

/* Per-day counts (StoreDayCount) as [{"day": "YYYY-MM-DD", "sent": N,
 * "replied": N}, ...] (a campaign's report, a mailbox's). */
json_t *http_json_days(const GArray *days);

/* The rows an import left out, with their places and reasons. */
json_t *http_json_left_out(const EngineImportSummary *summary);

/* Fails the exchange with @code and @message (APP_ERROR). */
void http_json_fail(HttpExchange *exchange, AppError code, const char *message);

/* The address in path segment @index, normalised; NULL, the exchange
 * failed (422), when it is not one. */
char *http_json_address_param(HttpExchange *exchange, guint index);

/* The id (a positive whole number) in path segment @index; 0 when it is
 * none, and then the exchange has failed (404). */
int64_t http_json_id_param(HttpExchange *exchange, guint index);

/* The body's member @name as a string: NULL when absent or null; the
 * exchange failed (422) and *@ok false when it is there but not a string
 * (or not a JSON object at all). */
const char *http_json_body_string(HttpExchange *exchange, const char *name, bool *ok);

/* The body's member @name as an integer in [@min, @max]; @fallback when
 * absent; the exchange failed (422) and *@ok false otherwise. */
int http_json_body_int(HttpExchange *exchange, const char *name, int min, int max, int fallback,
                       bool *ok);

/* A query parameter as a whole number in [1, @max]; @fallback when absent;
 * the exchange failed (422) and *@ok false otherwise. */
guint http_json_query_limit(HttpExchange *exchange, const char *name, guint max, guint fallback,
                            bool *ok);
