#include "cli/cli_oauth.h"

#include "app/app_oauth.h"
#include "base/base_json.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "cli/cli_signal.h"
#include "mail/mail_address.h"
#include "oauth/oauth_provider.h"

#include <stdio.h>
#include <string.h>

const char cli_oauth_usage[] =
        "usage: piculet oauth set NAME --client-id ID\n"
        "                   [--client-secret-env VAR | --client-secret-file FILE]\n"
        "                   [--auth-url URL --token-url URL [--device-url URL] --scope S]\n"
        "                   [--auth-params QUERY] [--db PATH]\n"
        "       piculet oauth list [--json] [--db PATH]\n"
        "\n"
        "Your own OAuth2 client (an \"app\" you register once at Google or Microsoft,\n"
        "docs/oauth.md) that mailboxes sign in through. NAME google or microsoft\n"
        "takes the provider's URLs and mail scopes; any other NAME (your own\n"
        "authorization server) needs them given. The client secret, where the\n"
        "provider gives one (Google does), is read now from VAR or FILE and stored\n"
        "sealed (AES-256-GCM) under the key file beside the database; never give it\n"
        "on the command line.\n";

const char cli_oauth_authorize_usage[] =
        "usage: piculet mailbox authorize ADDRESS [--device] [--no-browser] [--timeout S]\n"
        "                   [--ca-file FILE] [--db PATH]\n"
        "\n"
        "Signs a mailbox in through its OAuth2 client and keeps the refresh token\n"
        "sealed. Without --device: prints the address to open (and opens a browser\n"
        "when there is one and --no-browser is not given); the sign-in comes back to\n"
        "a one-shot listener on 127.0.0.1. --device: prints an address and a code to\n"
        "type on any device (Microsoft; Google offers no device sign-in for mail).\n"
        "A mailbox paused for want of a sign-in goes on at once. --timeout: how\n"
        "long to wait (300 s).\n";

typedef struct {
	char *client_id;
	char *client_secret_env;
	char *client_secret_file;
	char *auth_url;
	char *token_url;
	char *device_url;
	char *scope;
	char *auth_params;
	char *db;
	char *ca_file;
	gboolean json;
	gboolean device;
	gboolean no_browser;
	int timeout;
} OauthArgs;

static void
oauth_args_clear(OauthArgs *args)
{
	g_free(args->client_id);
	g_free(args->client_secret_env);
	g_free(args->client_secret_file);
	g_free(args->auth_url);
	g_free(args->token_url);
	g_free(args->device_url);
	g_free(args->scope);
	g_free(args->auth_params);
	g_free(args->db);
	g_free(args->ca_file);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(OauthArgs, oauth_args_clear)

static bool
parse(const char *command, int argc, char **argv, OauthArgs *args)
{
	GOptionEntry entries[] = {
	        {"client-id", 0, 0, G_OPTION_ARG_STRING, &args->client_id, NULL, NULL},
	        {"client-secret-env", 0, 0, G_OPTION_ARG_STRING, &args->client_secret_env, NULL,
	         NULL},
	        {"client-secret-file", 0, 0, G_OPTION_ARG_FILENAME, &args->client_secret_file, NULL,
	         NULL},
	        {"auth-url", 0, 0, G_OPTION_ARG_STRING, &args->auth_url, NULL, NULL},
	        {"token-url", 0, 0, G_OPTION_ARG_STRING, &args->token_url, NULL, NULL},
	        {"device-url", 0, 0, G_OPTION_ARG_STRING, &args->device_url, NULL, NULL},
	        {"scope", 0, 0, G_OPTION_ARG_STRING, &args->scope, NULL, NULL},
	        {"auth-params", 0, 0, G_OPTION_ARG_STRING, &args->auth_params, NULL, NULL},
	        {"db", 0, 0, G_OPTION_ARG_FILENAME, &args->db, NULL, NULL},
	        {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &args->ca_file, NULL, NULL},
	        {"json", 0, 0, G_OPTION_ARG_NONE, &args->json, NULL, NULL},
	        {"device", 0, 0, G_OPTION_ARG_NONE, &args->device, NULL, NULL},
	        {"no-browser", 0, 0, G_OPTION_ARG_NONE, &args->no_browser, NULL, NULL},
	        {"timeout", 0, 0, G_OPTION_ARG_INT, &args->timeout, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	return cli_options_parse(command, entries, argc, argv);
}

static int
run_set(const char *name, const OauthArgs *args)
{
	g_autoptr(GError) error = NULL;
	if (args->client_id == NULL) {
		cli_output_eprintf("piculet oauth set: --client-id is needed\n");
		return CLI_EXIT_USAGE;
	}
	if (args->client_secret_env != NULL && args->client_secret_file != NULL) {
		cli_output_eprintf("piculet oauth set: one of --client-secret-env and "
		                   "--client-secret-file\n");
		return CLI_EXIT_USAGE;
	}
	g_autoptr(BaseSecret) secret = NULL;
	if (args->client_secret_env != NULL)
		secret = base_secret_new_from_env(args->client_secret_env, &error);
	else if (args->client_secret_file != NULL)
		secret = base_secret_new_from_file(args->client_secret_file, &error);
	if (error != NULL) {
		cli_output_eprintf("piculet oauth set: the client secret: %s\n", error->message);
		return CLI_EXIT_CONFIG;
	}
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("oauth", args->db, &code);
	if (store == NULL)
		return code;
	AppOauthClientSettings settings = {
	        .name = name,
	        .client_id = args->client_id,
	        .client_secret = secret,
	        .auth_url = args->auth_url,
	        .token_url = args->token_url,
	        .device_url = args->device_url,
	        .scope = args->scope,
	        .auth_params = args->auth_params,
	};
	if (!app_oauth_set_client(store, &settings, &error)) {
		cli_output_eprintf("piculet oauth set: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("OAuth2 client %s saved%s\n", name,
	                  secret != NULL ? " (its secret sealed)" : " (a public client)");
	return CLI_EXIT_OK;
}

static int
run_list(const OauthArgs *args)
{
	g_autoptr(GError) error = NULL;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("oauth", args->db, &code);
	if (store == NULL)
		return code;
	g_autoptr(GPtrArray) clients = store_oauth_client_list(store, &error);
	if (clients == NULL) {
		cli_output_eprintf("piculet oauth list: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	for (guint i = 0; i < clients->len; i++) {
		const StoreOauthClient *c = clients->pdata[i];
		if (!args->json) {
			cli_output_printf(
			        "%s\tclient %s\t%s\ttoken %s\tdevice %s\tscope %s\n", c->name,
			        c->client_id, c->secret_sealed != NULL ? "secret sealed" : "public",
			        c->token_url, c->device_url[0] != '\0' ? c->device_url : "none",
			        c->scope);
			continue;
		}
		g_autoptr(GString) line = g_string_new("{");
		base_json_append_member_string(line, "name", c->name);
		base_json_append_member_string(line, "client_id", c->client_id);
		base_json_append_key(line, "secret");
		g_string_append(line, c->secret_sealed != NULL ? "true" : "false");
		base_json_append_member_string(line, "auth_url", c->auth_url);
		base_json_append_member_string(line, "token_url", c->token_url);
		base_json_append_member_string(line, "device_url", c->device_url);
		base_json_append_member_string(line, "scope", c->scope);
		g_string_append(line, "}\n");
		cli_output_printf("%s", line->str);
	}
	return CLI_EXIT_OK;
}

int
cli_oauth_run(int argc, char **argv)
{
	if (argc < 2) {
		fputs(cli_oauth_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	const char *action = argv[1];
	bool set = strcmp(action, "set") == 0;
	if ((!set && strcmp(action, "list") != 0) || (set && (argc < 3 || argv[2][0] == '-'))) {
		fputs(cli_oauth_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	g_auto(OauthArgs) args = {0};
	int skip = set ? 2 : 1;
	const char *name = set ? argv[2] : NULL;
	argv[skip] = argv[0];
	if (!parse("oauth", argc - skip, argv + skip, &args))
		return CLI_EXIT_USAGE;
	return set ? run_set(name, &args) : run_list(&args);
}

typedef struct {
	bool browser;
} Prompting;

static void
open_url(const char *url, void *user_data)
{
	const Prompting *prompting = user_data;
	cli_output_printf("Open this address to sign in (piculet waits for the answer on "
	                  "127.0.0.1):\n\n  %s\n\n",
	                  url);
	fflush(stdout);
	bool display = g_getenv("DISPLAY") != NULL || g_getenv("WAYLAND_DISPLAY") != NULL;
	if (!prompting->browser || !display)
		return;
	/* No shell: the URL is one argument. */
	const char *argv[] = {"xdg-open", url, NULL};
	g_autoptr(GError) error = NULL;
	if (!g_spawn_async(NULL, (char **)argv, NULL,
	                   G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
	                           G_SPAWN_STDERR_TO_DEV_NULL,
	                   NULL, NULL, NULL, &error))
		g_debug("no browser opened: %s", error->message);
}

static void
show_code(const char *uri, const char *uri_complete, const char *user_code, void *user_data)
{
	(void)user_data;
	cli_output_printf("On any device, open %s and enter the code %s\n", uri, user_code);
	if (uri_complete != NULL)
		cli_output_printf("(or open %s)\n", uri_complete);
	fflush(stdout);
}

int
cli_oauth_authorize(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	if (argc < 2 || argv[1][0] == '-') {
		fputs(cli_oauth_authorize_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	g_autofree char *address = mail_address_normalize(argv[1], &error);
	if (address == NULL) {
		cli_output_eprintf("piculet mailbox authorize: \"%s\": %s\n", argv[1],
		                   error->message);
		return CLI_EXIT_DATA;
	}
	g_auto(OauthArgs) args = {0};
	argv[1] = argv[0];
	if (!parse("mailbox authorize", argc - 1, argv + 1, &args))
		return CLI_EXIT_USAGE;
	int code = CLI_EXIT_OK;
	g_autoptr(Store) store = cli_options_open_store("mailbox authorize", args.db, &code);
	if (store == NULL)
		return code;
	if (!cli_signal_install_stop()) {
		cli_output_eprintf("piculet mailbox authorize: cannot install signal handlers\n");
		return CLI_EXIT_SOFTWARE;
	}
	Prompting prompting = {.browser = !args.no_browser};
	AppOauthPrompt prompt = {
	        .open_url = open_url, .show_code = show_code, .user_data = &prompting};
	AppOauthSignInOptions options = {.device = args.device,
	                                 .ca_file = args.ca_file,
	                                 .timeout_s = args.timeout,
	                                 .stop_fd = cli_signal_get_stop_fd()};
	bool resumed = false;
	if (!app_oauth_sign_in(store, address, &options, &prompt, &resumed, &error)) {
		cli_output_eprintf("piculet mailbox authorize: %s\n", error->message);
		return cli_exit_of_error(error);
	}
	cli_output_printf("mailbox %s signed in%s\n", address, resumed ? " and resumed" : "");
	return CLI_EXIT_OK;
}
