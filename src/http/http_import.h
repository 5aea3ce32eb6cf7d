/*
 * http_import: a CSV upload streamed to the importer while it arrives,
 * with progress anyone may poll (`POST /api/v1/imports`, `GET
 * /api/v1/imports[/{id}]`).
 *
 * Each upload is a job: a thread of its own runs app_prospect_import on
 * its own database connection, reading the body through a socket pair as
 * the server's thread writes the chunks in (the importer's pace holds the
 * upload back: nothing piles up in memory). The import stays one
 * transaction: an upload cut short (the client gone, the body never
 * finished) reads as an error and writes nothing. The last 50 jobs are
 * kept in memory for polling; a restart forgets them.
 */
#pragma once

#include "app/app_prospect.h"
#include "http/http_route.h"

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

typedef struct HttpImports HttpImports;
typedef struct HttpImportJob HttpImportJob;

HttpImports *http_import_registry_new(void);
void http_import_registry_free(HttpImports *imports);

/* Starts a job importing into @store (taken: the job's own connection)
 * with @options (copied). NULL with @error when the thread cannot start. */
HttpImportJob *http_import_begin(HttpImports *imports, Store *store,
                                 const AppProspectImport *options, GError **error);

/* Hands the importer the next @length bytes; false once it has stopped
 * (an error in the file): the rest may be dropped. */
bool http_import_feed(HttpImportJob *job, const char *data, gsize length);

/* The body is complete: waits for the import and puts its summary (or
 * its error) in @exchange. The job stays listed. */
void http_import_finish(HttpImportJob *job, HttpExchange *exchange);

/* The upload will not complete: the import fails, nothing is written. */
void http_import_abort(HttpImportJob *job);

/* Every job kept, newest first; one job by id (NULL when unknown). */
json_t *http_import_list_json(HttpImports *imports);
json_t *http_import_job_json(HttpImports *imports, int64_t id);
