/*
 * cli_serve: `piculet serve`, the HTTP API (src/http/) until SIGINT or
 * SIGTERM, `piculet apikey`, the keys it takes, and `piculet webhook`, the
 * subscriptions it delivers.
 */
#pragma once

#include "http/http_server.h"
#include "http/http_webhook.h"
#include "store/store.h"

#include <stdbool.h>

/* Requests a minute an API key may make, unless --rate-limit says. */
#define CLI_SERVE_RATE_LIMIT 600

typedef struct {
	guint threads;         /* 0: the server's default */
	const char *ca_file;   /* for mailbox checks and webhook receivers */
	guint rate_per_minute; /* per key; 0: no limit */
	guint webhook_retry_s; /* 0: the default */
	guint timeout_s;       /* an idle connection is closed after this; 0: 30 */
	/* The engine of this process for /metrics; NULL: none (serve). */
	void (*engine_metrics)(void *user_data, AppMetricsEngine *out);
	void *engine_metrics_data;
} CliServeSettings;

/* The API and the webhooks' delivery, running. */
typedef struct {
	HttpServer *server;
	HttpWebhook *webhooks;
} CliServing;

/* Serves @store's API on @listen ("ADDRESS:PORT"; NULL: 127.0.0.1:8025)
 * and delivers its webhooks, until cli_serve_stop; prints where. False,
 * *@code the exit code, after a message. `serve` and `run --serve`. */
bool cli_serve_start(Store *store, const char *listen, const CliServeSettings *settings,
                     CliServing *serving, int *code);
void cli_serve_stop(CliServing *serving);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CliServing, cli_serve_stop)

extern const char cli_serve_usage[];
extern const char cli_serve_apikey_usage[];
extern const char cli_serve_webhook_usage[];

int cli_serve_run(int argc, char **argv);
int cli_serve_apikey_run(int argc, char **argv);
int cli_serve_webhook_run(int argc, char **argv);
