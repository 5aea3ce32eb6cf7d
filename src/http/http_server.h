/*
 * http_server: `piculet serve`, the API over HTTP/1.1 on libmicrohttpd: a
 * fixed pool of threads (each with its own store connection, as a Store is
 * used by one thread at a time), bounded request bodies and connection
 * times, API keys checked before any handler runs, one log line per
 * request (the key's name, never the key), and a stop that lets the
 * requests in flight finish.
 */
#pragma once

#include "app/app_metrics.h"
#include "store/store.h"

#include <glib.h>
#include <stdint.h>

typedef struct HttpServer HttpServer;

typedef struct {
	const char *address;    /* a literal IP address to listen on: "127.0.0.1", "::1" */
	uint16_t port;          /* 0: any free port (http_server_get_port says which) */
	guint threads;          /* 0: 4 */
	gsize max_body;         /* a JSON body, bytes; 0: 1 MiB */
	gsize max_upload;       /* an uploaded file (CSV), bytes; 0: 64 MiB */
	guint timeout_s;        /* an idle connection is closed after this; 0: 30 */
	const char *ca_file;    /* trusted besides the system's, for mailbox checks; NULL: none */
	const char *dns_server; /* HOST:PORT mailbox checks ask; NULL: the system's resolver */
	guint rate_per_minute;  /* requests a minute per API key (as many at once): 429
	                         * beyond, with Retry-After; 0: no limit */
	/* The engine of this process, for /metrics (`run --serve`): fills
	 * *out, from any thread; NULL: no engine here. */
	void (*engine_metrics)(void *user_data, AppMetricsEngine *out);
	void *engine_metrics_data;
} HttpServerOptions;

/* Listens and serves, on threads of its own, until http_server_stop.
 * @store is the template each thread's connection is opened from
 * (store_open_another); borrowed, it must outlive the server. */
HttpServer *http_server_start(Store *store, const HttpServerOptions *options, GError **error);

uint16_t http_server_get_port(const HttpServer *server);

/* Stops listening, lets requests in flight end, closes the connections. */
void http_server_stop(HttpServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HttpServer, http_server_stop)
