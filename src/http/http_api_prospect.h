/* The API's prospect routes (http_api.c lists them; openapi.json words them). */
#pragma once

#include "http/http_route.h"

/* ?after=EMAIL&search=TEXT&status=S&limit=N: a page, and the cursor of the next. */
void http_api_prospect_page(HttpExchange *exchange);
/* A CSV file (text/csv) imported in one transaction: ?campaign=NAME,
 * allow_other_campaigns, skip_invalid, delimiter, columns (the column
 * mapping: a JSON object, header -> what it becomes). */
void http_api_prospect_import(HttpExchange *exchange);
/* The columns of a CSV file's first bytes (text/csv), for a mapping:
 * each header, what piculet makes of it, its first values. */
void http_api_prospect_import_columns(HttpExchange *exchange);
/* The same import streamed while the body arrives (http_import), with the
 * same query; its jobs listed, newest first, and one by id for polling. */
extern const HttpStream http_api_prospect_import_stream;
void http_api_prospect_imports(HttpExchange *exchange);
void http_api_prospect_import_get(HttpExchange *exchange);
void http_api_prospect_get(HttpExchange *exchange);
/* Everything kept about one person, for a copy they ask for (GDPR art. 15). */
void http_api_prospect_export(HttpExchange *exchange);
/* Erasure: the person and everything sent to them (the blacklist keeps
 * what it holds). */
void http_api_prospect_remove(HttpExchange *exchange);
/* PATCH /prospects/{email}: its names, company, zone, fields or status
 * (app_prospect_edit: what is not given stays); the prospect as GET has it. */
void http_api_prospect_edit(HttpExchange *exchange);
