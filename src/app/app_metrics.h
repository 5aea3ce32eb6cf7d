/*
 * app_metrics: what is happening, in Prometheus's text format (version
 * 0.0.4), for `GET /metrics`: messages by state, events by kind (sends,
 * replies, bounces, opt-outs, complaints...), mailboxes and their pauses,
 * enrollments by state and those due now (the queue), the send latency as
 * a histogram; and, when the engine runs in the same process (`run
 * --serve`), its IMAP IDLE sessions. Counts come from the database, so any
 * `piculet serve` on it shows them. docs/operating.md lists the series.
 */
#pragma once

#include "store/store.h"

#include <glib.h>

/* What only the process running the engine knows; NULL: not this one. */
typedef struct {
	guint idle_sessions; /* mailboxes waiting in IMAP IDLE */
	guint workers;
} AppMetricsEngine;

/* The exposition text. Newly allocated. */
char *app_metrics_text(Store *store, int64_t now_us, const AppMetricsEngine *engine,
                       GError **error);
