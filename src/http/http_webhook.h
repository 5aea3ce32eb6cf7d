/*
 * http_webhook: delivers the webhooks' outbox (schema 5) on a thread of its
 * own, so a slow receiver never holds up sending or the API: per
 * subscription its oldest pending delivery, POSTed with libcurl (TLS
 * verified, 10 s in all, redirects not followed) and signed
 * (app_webhook_sign); a 2xx delivers it; anything else is tried again
 * after the retry time, doubled each attempt up to an hour, with 20 %
 * jitter, for a day; then it is dead until a person replays it. At least
 * once, in order per subscription: the next waits behind a failing one.
 * Several processes on one database: the one holding the deliverer's
 * lease (store_delivery_lease, 15 s on the database's clock, let go at a
 * stop) delivers, the others wait to take over; each event goes once.
 */
#pragma once

#include "store/store.h"

#include <glib.h>

typedef struct HttpWebhook HttpWebhook;

typedef struct {
	guint retry_s;       /* the first retry after this; 0: 30 */
	guint give_up_s;     /* dead after this since it was written; 0: a day */
	const char *ca_file; /* trusted besides the system's; NULL: none */
} HttpWebhookOptions;

/* Starts delivering what @store's outbox holds (a connection of its own,
 * opened from @store, which must outlive it). */
HttpWebhook *http_webhook_start(Store *store, const HttpWebhookOptions *options, GError **error);

/* Stops at once: a POST in flight is cut short and not counted as an
 * attempt (the delivery stays due; at least once, it goes at the next
 * start). */
void http_webhook_stop(HttpWebhook *webhook);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HttpWebhook, http_webhook_stop)
