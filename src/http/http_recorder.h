/*
 * http_recorder: a thread that writes the fetches of tracked images and
 * links (app_tracking) many to a transaction, for the server's threads,
 * which hand each one over and answer at once. A reader waits for an
 * image, not for its count: the answer never waits on the database, and
 * one write per batch costs its share where one per fetch cost more than
 * the rest of the request together.
 *
 * What is handed over is written within a batch; a clean stop writes all
 * of it. A crash of the process (kill -9) loses what was handed over and
 * not written yet: at most HTTP_RECORDER_QUEUE fetches, in practice those
 * of the last milliseconds (a power cut may lose the last transactions
 * anyway: SQLite's synchronous=NORMAL). When the writes fall behind, a
 * full queue makes the server's threads wait for room: the server answers
 * no faster than its fetches are written.
 */
#pragma once

#include "app/app_tracking.h"
#include "store/store.h"

#include <glib.h>

/* Fetches handed over and not written yet, at most. */
#define HTTP_RECORDER_QUEUE 8192

typedef struct HttpRecorder HttpRecorder;

/* The thread, with a connection of its own to @store's database
 * (store_open_another). */
HttpRecorder *http_recorder_start(Store *store, GError **error);

/* Queues @fetch (taken): returns at once, or once the queue has room. */
void http_recorder_submit(HttpRecorder *recorder, AppTrackingFetch *fetch);

/* Writes what is queued and ends the thread; nothing may be submitted any
 * more. */
void http_recorder_stop(HttpRecorder *recorder);
