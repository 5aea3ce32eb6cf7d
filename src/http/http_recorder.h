/*
 * http_recorder: a thread that writes the fetches of tracked images and
 * links (app_tracking) many to a transaction, for the server's threads,
 * which hand each one over and answer once it is written. One write per
 * fetch cost more than the rest of the request together; one per batch
 * costs its share.
 */
#pragma once

#include "app/app_tracking.h"
#include "store/store.h"

#include <glib.h>

typedef struct HttpRecorder HttpRecorder;

/* Called on the recorder's thread once a fetch is written, or could not be
 * (its error set). */
typedef void (*HttpRecorded)(void *user_data);

/* The thread, with a connection of its own to @store's database
 * (store_open_another). */
HttpRecorder *http_recorder_start(Store *store, GError **error);

/* Queues @fetch (borrowed until @done(@user_data) is called). */
void http_recorder_submit(HttpRecorder *recorder, AppTrackingFetch *fetch, HttpRecorded done,
                          void *user_data);

/* Writes what is queued, calls its @done, and ends the thread; nothing may
 * be submitted any more. */
void http_recorder_stop(HttpRecorder *recorder);
