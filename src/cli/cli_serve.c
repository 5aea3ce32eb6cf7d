#include "cli/cli_serve.h"

#include "app/app_api_key.h"
#include "app/app_webhook.h"
#include "cli/cli_config.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "cli/cli_signal.h"
#include "http/http_server.h"
#include "http/http_webhook.h"

#include <curl/curl.h>

#include <poll.h>
#include <stdio.h>
#include <string.h>

const char cli_serve_usage[] =
        "usage: piculet serve [--listen ADDRESS:PORT] [--threads N] [--ca-file FILE]\n"
        "                     [--webhook-retry SECONDS] [--rate-limit N] [--timeout SECONDS]\n"
        "                     [--db PATH]\n"
        "\n"
        "Serves the dashboard (at /: sign in as a user of piculet user add) and the\n"
        "HTTP API (/api/v1, JSON; the OpenAPI document at /api/v1/openapi.json)\n"
        "until SIGINT or SIGTERM, letting requests in flight\n"
        "finish. --listen is a literal address, 127.0.0.1:8025 by default ([::1]:8025\n"
        "for IPv6; port 0: any free port, printed). Plain HTTP: keep it on loopback\n"
        "and put TLS in front with a reverse proxy. Every request but the OpenAPI\n"
        "document needs `Authorization: Bearer KEY` (piculet apikey create). Several\n"
        "serve processes may share a database with one piculet run. --ca-file is\n"
        "trusted for mailbox checks (POST /api/v1/mailboxes/ADDRESS/check), whose DNS\n"
        "lookups ask $PICULET_DNS_SERVER, else the system's resolver, and for\n"
        "webhook receivers. It also delivers the webhooks (piculet webhook): a\n"
        "failed delivery is tried again after --webhook-retry seconds (30), doubled\n"
        "each time up to an hour, for a day. An API key may make --rate-limit requests\n"
        "a minute (600; as many at once; 0: no limit): 429 with Retry-After beyond.\n"
        "A connection idle for --timeout seconds (30) is closed; an upload cut off\n"
        "that way imports nothing.\n";

const char cli_serve_apikey_usage[] =
        "usage: piculet apikey create NAME [--scope read|write] [--db PATH]\n"
        "       piculet apikey list [--db PATH]\n"
        "       piculet apikey remove NAME [--db PATH]\n"
        "\n"
        "The keys of the HTTP API. create prints the new key once: only its SHA-256\n"
        "is kept, so it cannot be shown again (make another). A read key may only\n"
        "GET; write (the default) may do everything. remove refuses it from then on.\n";

bool
cli_serve_start(Store *store, const char *listen, const CliServeSettings *settings,
                CliServing *serving, int *code)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *host = NULL;
	guint16 port = 8025;
	/* Port 0 asks for any free one: the host alone is parsed. */
	bool any_port = listen != NULL && g_str_has_suffix(listen, ":0");
	g_autofree char *where = listen == NULL ? g_strdup("127.0.0.1:8025")
	                         : any_port     ? g_strndup(listen, strlen(listen) - 2)
	                                        : g_strdup(listen);
	if (!cli_options_parse_host_port(where, 8025, &host, &port, &error)) {
		cli_output_eprintf("piculet serve: %s\n", error->message);
		*code = CLI_EXIT_USAGE;
		return false;
	}
	if (any_port)
		port = 0;
	/* Before any thread: libcurl's set-up is not thread-safe. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	HttpServerOptions options = {
	        .address = host,
	        .port = port,
	        .threads = settings->threads,
	        .ca_file = settings->ca_file,
	        .dns_server = cli_config_get_value(cli_config_current(), CLI_CONFIG_DNS_SERVER),
	        .rate_per_minute = settings->rate_per_minute,
	        .timeout_s = settings->timeout_s,
	        .engine_metrics = settings->engine_metrics,
	        .engine_metrics_data = settings->engine_metrics_data};
	serving->server = http_server_start(store, &options, &error);
	HttpWebhookOptions webhook_options = {.retry_s = settings->webhook_retry_s,
	                                      .ca_file = settings->ca_file};
	serving->webhooks = serving->server != NULL
	                            ? http_webhook_start(store, &webhook_options, &error)
	                            : NULL;
	if (serving->webhooks == NULL) {
		cli_output_eprintf("piculet serve: %s\n", error->message);
		cli_serve_stop(serving);
		*code = cli_exit_of_error(error);
		return false;
	}
	bool v6 = strchr(host, ':') != NULL;
	g_autofree char *origin =
	        g_strdup_printf("http://%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
	                        http_server_get_port(serving->server));
	cli_output_printf("piculet serve: listening on %s/api/v1\n", origin);
	cli_output_printf("piculet serve: the dashboard at %s/\n", origin);
	fflush(stdout);
	return true;
}

void
cli_serve_stop(CliServing *serving)
{
	g_clear_pointer(&serving->webhooks, http_webhook_stop);
	g_clear_pointer(&serving->server, http_server_stop);
}

int
cli_serve_run(int argc, char **argv)
{
	g_autofree char *listen = NULL;
	g_autofree char *db = NULL;
	g_autofree char *ca_file = NULL;
	int threads = 0;
	int webhook_retry = 0;
	int rate = CLI_SERVE_RATE_LIMIT;
	int timeout = 0;
	GOptionEntry entries[] = {
	        {"timeout", 0, 0, G_OPTION_ARG_INT, &timeout, NULL, NULL},
	        {"rate-limit", 0, 0, G_OPTION_ARG_INT, &rate, NULL, NULL},
	        {"listen", 0, 0, G_OPTION_ARG_STRING, &listen, NULL, NULL},
	        {"webhook-retry", 0, 0, G_OPTION_ARG_INT, &webhook_retry, NULL, NULL},
	        {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, NULL, NULL},
	        {"threads", 0, 0, G_OPTION_ARG_INT, &threads, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	if (!cli_options_parse("serve", entries, argc, argv))
		return CLI_EXIT_USAGE;
	if (threads < 0 || threads > 256 || webhook_retry < 0 || webhook_retry > 3600 || rate < 0 ||
	    timeout < 0 || timeout > 3600) {
		cli_output_eprintf("piculet serve: --threads is 1 to 256, --webhook-retry 1 to "
		                   "3600, --rate-limit 0 or more, --timeout 1 to 3600\n");
		return CLI_EXIT_USAGE;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("serve", db, &code);
	if (store == NULL)
		return code;
	if (!cli_signal_install_stop()) {
		cli_output_eprintf("piculet serve: cannot handle signals\n");
		return CLI_EXIT_SOFTWARE;
	}
	CliServeSettings settings = {.threads = (guint)threads,
	                             .ca_file = ca_file,
	                             .rate_per_minute = (guint)rate,
	                             .webhook_retry_s = (guint)webhook_retry,
	                             .timeout_s = (guint)timeout};
	g_auto(CliServing) serving = {0};
	if (!cli_serve_start(store, listen, &settings, &serving, &code))
		return code;
	struct pollfd stop = {.fd = cli_signal_get_stop_fd(), .events = POLLIN};
	while (!cli_signal_stop_requested())
		(void)poll(&stop, 1, -1);
	cli_output_eprintf("piculet serve: stopping\n");
	return CLI_EXIT_OK;
}

static int
apikey_create(Store *store, const char *name, const char *scope_name)
{
	AppApiKeyScope scope = APP_API_KEY_WRITE;
	if (scope_name != NULL && !app_api_key_scope_parse(scope_name, &scope)) {
		cli_output_eprintf("piculet apikey create: --scope is read or write\n");
		return CLI_EXIT_USAGE;
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSecret) key = app_api_key_create(store, name, scope, &error);
	if (key == NULL) {
		cli_output_eprintf("piculet apikey create: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	/* The one time the key is shown: on stdout alone, for a script to take. */
	printf("%s\n", base_secret_get(key));
	cli_output_eprintf("piculet apikey create: key \"%s\" (%s) made; it is shown this once\n",
	                   name, app_api_key_scope_name(scope));
	return CLI_EXIT_OK;
}

int
cli_serve_apikey_run(int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autofree char *scope = NULL;
	GOptionEntry entries[] = {
	        {"scope", 0, 0, G_OPTION_ARG_STRING, &scope, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	const char *action = argc >= 2 ? argv[1] : "";
	const char *name = NULL;
	g_autofree char *command = g_strconcat("apikey ", action, NULL);
	if (strcmp(action, "list") == 0) {
		if (!cli_options_parse(command, entries, argc - 1, argv + 1))
			return CLI_EXIT_USAGE;
	} else if (strcmp(action, "create") == 0 || strcmp(action, "remove") == 0) {
		if (!cli_options_parse_after_argument(command, "apikey", entries, argc - 1,
		                                      argv + 1, &name))
			return CLI_EXIT_USAGE;
	} else {
		fputs(cli_serve_apikey_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("apikey", db, &code);
	if (store == NULL)
		return code;
	if (strcmp(action, "create") == 0)
		return apikey_create(store, name, scope);
	g_autoptr(GError) error = NULL;
	if (strcmp(action, "remove") == 0) {
		if (!app_api_key_remove(store, name, &error)) {
			cli_output_eprintf("piculet apikey remove: %s\n", error->message);
			return cli_exit_of_error(error);
		}
		return CLI_EXIT_OK;
	}
	g_autoptr(GPtrArray) keys = store_api_key_list(store, &error);
	if (keys == NULL) {
		cli_output_eprintf("piculet apikey list: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	for (guint i = 0; i < keys->len; i++) {
		const StoreApiKey *key = keys->pdata[i];
		g_autofree char *made = cli_output_time(key->created_at);
		cli_output_printf("%s\t%s\tmade %s\n", key->name, key->scope, made);
	}
	return CLI_EXIT_OK;
}

const char cli_serve_webhook_usage[] =
        "usage: piculet webhook add URL [--events TYPE,TYPE...] [--db PATH]\n"
        "       piculet webhook list [--db PATH]\n"
        "       piculet webhook remove ID [--db PATH]\n"
        "       piculet webhook dead ID [--db PATH]\n"
        "       piculet webhook replay DELIVERY [--db PATH]\n"
        "\n"
        "Subscriptions to events over HTTP, delivered by piculet serve and signed the\n"
        "Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature).\n"
        "add prints the secret once (whsec_...): give it to the receiver. Types:\n"
        "message.sent, message.uncertain, reply.received, auto_reply.received,\n"
        "bounce.received, prospect.opted_out, mailbox.paused (default: all). dead\n"
        "lists the deliveries given up after a day; replay tries one again.\n";

static bool
id_of(const char *text, int64_t *id)
{
	guint64 value = 0;
	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, &value, NULL))
		return false;
	*id = (int64_t)value;
	return true;
}

static int
webhook_list(Store *store, const char *action, int64_t id)
{
	g_autoptr(GError) error = NULL;
	if (strcmp(action, "list") == 0) {
		g_autoptr(GPtrArray) all = store_webhook_list(store, &error);
		if (all == NULL) {
			cli_output_eprintf("piculet webhook list: %s\n", error->message);
			return cli_exit_of_error(error);
		}
		for (guint i = 0; i < all->len; i++) {
			const StoreWebhook *w = all->pdata[i];
			cli_output_printf("%" G_GINT64_FORMAT "\t%s\t%s\n", w->id, w->url,
			                  w->events);
		}
		return CLI_EXIT_OK;
	}
	g_autoptr(GPtrArray) dead = store_delivery_list(store, id, "dead", 0, &error);
	if (dead == NULL) {
		cli_output_eprintf("piculet webhook dead: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	for (guint i = 0; i < dead->len; i++) {
		const StoreDelivery *d = dead->pdata[i];
		g_autofree char *written = cli_output_time(d->created_at);
		cli_output_printf("%" G_GINT64_FORMAT "\t%s\t%s\t%d attempts\t%s\n", d->id, d->type,
		                  written, d->attempts, d->last_error != NULL ? d->last_error : "");
	}
	return CLI_EXIT_OK;
}

int
cli_serve_webhook_run(int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autofree char *events = NULL;
	GOptionEntry entries[] = {
	        {"events", 0, 0, G_OPTION_ARG_STRING, &events, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	const char *action = argc >= 2 ? argv[1] : "";
	const char *value = NULL;
	g_autofree char *command = g_strconcat("webhook ", action, NULL);
	if (strcmp(action, "list") == 0) {
		if (!cli_options_parse(command, entries, argc - 1, argv + 1))
			return CLI_EXIT_USAGE;
	} else if (strcmp(action, "add") == 0 || strcmp(action, "remove") == 0 ||
	           strcmp(action, "dead") == 0 || strcmp(action, "replay") == 0) {
		if (!cli_options_parse_after_argument(command, "webhook", entries, argc - 1,
		                                      argv + 1, &value))
			return CLI_EXIT_USAGE;
	} else {
		fputs(cli_serve_webhook_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	int64_t id = 0;
	if (value != NULL && strcmp(action, "add") != 0 && !id_of(value, &id)) {
		cli_output_eprintf("piculet webhook %s: \"%s\" is not an id\n", action, value);
		return CLI_EXIT_USAGE;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("webhook", db, &code);
	if (store == NULL)
		return code;
	if (strcmp(action, "list") == 0 || strcmp(action, "dead") == 0)
		return webhook_list(store, action, id);
	g_autoptr(GError) error = NULL;
	bool ok = true;
	if (strcmp(action, "add") == 0) {
		if (events != NULL)
			g_strdelimit(events, ",", ' ');
		int64_t made = 0;
		g_autoptr(BaseSecret) secret =
		        app_webhook_create(store, value, events, &made, &error);
		ok = secret != NULL;
		if (ok) {
			printf("%s\n", base_secret_get(secret));
			cli_output_eprintf("piculet webhook add: webhook %" G_GINT64_FORMAT
			                   " made; its secret is shown this once\n",
			                   made);
		}
	} else if (strcmp(action, "remove") == 0) {
		ok = app_webhook_remove(store, id, &error);
	} else {
		ok = app_webhook_replay(store, id, g_get_real_time(), &error);
	}
	if (!ok) {
		cli_output_eprintf("piculet webhook %s: %s\n", action, error->message);
		return cli_exit_of_error(error);
	}
	return CLI_EXIT_OK;
}
