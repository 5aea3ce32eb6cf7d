/* OAuth2 use cases: a client set up, a mailbox signed in. */
#include "app/app_oauth.h"

#include "app/app_error.h"
#include "app/app_mailbox.h"
#include "base/base_seal.h"
#include "engine/engine_oauth.h"
#include "net/net_http.h"
#include "oauth/oauth_error.h"
#include "oauth/oauth_loopback.h"
#include "oauth/oauth_pkce.h"
#include "oauth/oauth_provider.h"
#include "oauth/oauth_token.h"

#include <poll.h>
#include <string.h>

/* An empty URL is none (no device endpoint); any other is net_http's rule. */
static bool
url_ok(const char *url)
{
	return url == NULL || url[0] == '\0' || net_http_url_allowed(url);
}

static const char *
text_or(const char *given, const char *otherwise)
{
	return given != NULL ? given : otherwise;
}

bool
app_oauth_set_client(Store *store, const AppOauthClientSettings *settings, GError **error)
{
	const OauthProvider *preset = oauth_provider_find(settings->name);
	StoreOauthClientInput input = {
	        .name = settings->name,
	        .client_id = settings->client_id,
	        .auth_url = text_or(settings->auth_url, preset != NULL ? preset->auth_url : NULL),
	        .token_url =
	                text_or(settings->token_url, preset != NULL ? preset->token_url : NULL),
	        .device_url =
	                text_or(settings->device_url, preset != NULL ? preset->device_url : NULL),
	        .scope = text_or(settings->scope, preset != NULL ? preset->scope : NULL),
	        .auth_params =
	                text_or(settings->auth_params, preset != NULL ? preset->auth_params : NULL),
	};
	if (input.name == NULL || input.name[0] == '\0' ||
	    strpbrk(input.name, " \t\r\n:") != NULL) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID,
		                    "an OAuth2 client needs a name without spaces or colons");
		return false;
	}
	if (input.client_id == NULL || input.auth_url == NULL || input.token_url == NULL ||
	    input.scope == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "OAuth2 client %s needs a client id%s", input.name,
		            preset == NULL ? ", and (not being google or microsoft) its "
		                             "authorization URL, token URL and scope"
		                           : "");
		return false;
	}
	if (!url_ok(input.auth_url) || !url_ok(input.token_url) || !url_ok(input.device_url)) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID,
		                    "OAuth2 URLs are https:// (or http:// to this machine)");
		return false;
	}
	g_autoptr(GBytes) sealed = NULL;
	if (settings->client_secret != NULL) {
		GError *local = NULL;
		g_autofree char *context = g_strdup_printf("oauth:%s", input.name);
		g_autoptr(BaseSealKey) key = app_mailbox_seal_key(store, NULL, &local);
		if (key != NULL)
			sealed = base_seal_seal(key, settings->client_secret, context, &local);
		if (sealed == NULL) {
			g_set_error(error, APP_ERROR, APP_ERROR_CONFIG,
			            "the client secret cannot be sealed: %s", local->message);
			g_error_free(local);
			return false;
		}
	}
	input.secret_sealed = sealed;
	return store_oauth_client_set(store, &input, error);
}

/* The OAuth layer's refusal in the app's terms. */
static void
set_error(const GError *local, GError **error)
{
	int code = APP_ERROR_UNAVAILABLE;
	if (local->domain == OAUTH_ERROR) {
		switch ((OauthError)local->code) {
		case OAUTH_ERROR_INVALID_GRANT:
		case OAUTH_ERROR_DENIED:
			code = APP_ERROR_DENIED;
			break;
		case OAUTH_ERROR_CLIENT:
			code = APP_ERROR_CONFIG;
			break;
		case OAUTH_ERROR_EXPIRED:
		case OAUTH_ERROR_TIMEOUT:
		case OAUTH_ERROR_STOPPED:
		case OAUTH_ERROR_STATE:
			code = APP_ERROR_STATE;
			break;
		case OAUTH_ERROR_PENDING:
		case OAUTH_ERROR_SLOW_DOWN:
		case OAUTH_ERROR_SERVER:
		case OAUTH_ERROR_NETWORK:
			break;
		}
	} else if (local->domain == APP_ERROR) {
		code = local->code;
	} else {
		code = APP_ERROR_CONFIG;
	}
	g_set_error_literal(error, APP_ERROR, code, local->message);
}

static OauthTokens *
sign_in_with_code(const OauthClient *client, const char *address, int timeout_s, int stop_fd,
                  const AppOauthPrompt *prompt, GError **error)
{
	g_autoptr(OauthLoopback) loopback = oauth_loopback_open(error);
	if (loopback == NULL)
		return NULL;
	g_autofree char *verifier = oauth_pkce_new_verifier();
	g_autofree char *challenge = oauth_pkce_challenge(verifier);
	g_autofree char *state = oauth_pkce_new_verifier();
	const char *redirect = oauth_loopback_redirect_uri(loopback);
	g_autofree char *url =
	        oauth_token_authorization_url(client, redirect, state, challenge, address);
	prompt->open_url(url, prompt->user_data);
	g_autofree char *code =
	        oauth_loopback_wait(loopback, state, timeout_s * 1000, stop_fd, error);
	if (code == NULL)
		return NULL;
	return oauth_token_from_code(client, code, verifier, redirect, error);
}

/* Whether @stop_fd became readable within @ms. */
static bool
stopped_within(int stop_fd, int ms)
{
	struct pollfd p = {.fd = stop_fd, .events = POLLIN};
	if (stop_fd < 0) {
		g_usleep((gulong)ms * 1000);
		return false;
	}
	return poll(&p, 1, ms) > 0;
}

static OauthTokens *
sign_in_with_device(const OauthClient *client, int timeout_s, int stop_fd,
                    const AppOauthPrompt *prompt, GError **error)
{
	g_autoptr(OauthDeviceCode) device = oauth_token_device_start(client, error);
	if (device == NULL)
		return NULL;
	prompt->show_code(device->verification_uri, device->verification_uri_complete,
	                  device->user_code, prompt->user_data);
	int64_t lifetime_s = MIN((int64_t)timeout_s, device->expires_in_s);
	gint64 deadline = g_get_monotonic_time() + lifetime_s * G_USEC_PER_SEC;
	int64_t interval_s = device->interval_s;
	for (;;) {
		/* RFC 8628 3.5: wait the interval between polls. */
		if (stopped_within(stop_fd, (int)(interval_s * 1000))) {
			g_set_error_literal(error, OAUTH_ERROR, OAUTH_ERROR_STOPPED, "stopped");
			return NULL;
		}
		GError *local = NULL;
		OauthTokens *tokens = oauth_token_device_poll(client, device->device_code, &local);
		if (tokens != NULL)
			return tokens;
		if (g_error_matches(local, OAUTH_ERROR, OAUTH_ERROR_SLOW_DOWN))
			interval_s += 5;
		else if (!g_error_matches(local, OAUTH_ERROR, OAUTH_ERROR_PENDING)) {
			g_propagate_error(error, local);
			return NULL;
		}
		g_error_free(local);
		if (g_get_monotonic_time() >= deadline) {
			g_set_error(error, OAUTH_ERROR, OAUTH_ERROR_EXPIRED,
			            "nobody signed in with code %s within %" G_GINT64_FORMAT " s",
			            device->user_code, lifetime_s);
			return NULL;
		}
	}
}

/* Mailbox @address (*@mailbox) and its OAuth2 client, loaded; NULL with
 * the error when it signs in with a password or its client is refused. */
static EngineOauthClient *
load_client(Store *store, const char *address, const char *ca_file, int stop_fd,
            StoreMailbox **mailbox, GError **error)
{
	*mailbox = app_mailbox_get(store, address, error);
	if (*mailbox == NULL)
		return NULL;
	const char *client_name = NULL;
	if (!engine_oauth_mailbox_client(*mailbox, &client_name)) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "%s signs in with a password; to use OAuth2: piculet mailbox edit %s "
		            "--oauth CLIENT",
		            address, address);
		return NULL;
	}
	GError *local = NULL;
	EngineOauthClient *client = engine_oauth_client_load(store, client_name, ca_file, &local);
	if (client == NULL) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_CONFIG, local->message);
		g_error_free(local);
		return NULL;
	}
	engine_oauth_client_set_stop_fd(client, stop_fd);
	return client;
}

static bool keep_tokens(Store *store, const StoreMailbox *mailbox, const OauthTokens *tokens,
                        bool *resumed, GError **error);

bool
app_oauth_sign_in(Store *store, const char *address, const AppOauthSignInOptions *options,
                  const AppOauthPrompt *prompt, bool *resumed, GError **error)
{
	*resumed = false;
	g_autoptr(StoreMailbox) mailbox = NULL;
	g_autoptr(EngineOauthClient) client =
	        load_client(store, address, options->ca_file, options->stop_fd, &mailbox, error);
	if (client == NULL)
		return false;
	GError *local = NULL;
	int timeout_s = options->timeout_s > 0 ? options->timeout_s : 300;
	g_autoptr(OauthTokens) tokens =
	        options->device ? sign_in_with_device(engine_oauth_client_get(client), timeout_s,
	                                              options->stop_fd, prompt, &local)
	                        : sign_in_with_code(engine_oauth_client_get(client), address,
	                                            timeout_s, options->stop_fd, prompt, &local);
	if (tokens == NULL) {
		set_error(local, error);
		g_error_free(local);
		return false;
	}
	return keep_tokens(store, mailbox, tokens, resumed, error);
}

/* The refresh token sealed into the mailbox; a pause for want of a sign-in
 * ends (*@resumed). */
static bool
keep_tokens(Store *store, const StoreMailbox *mailbox, const OauthTokens *tokens, bool *resumed,
            GError **error)
{
	const char *address = mailbox->address;
	const char *client_name = NULL;
	engine_oauth_mailbox_client(mailbox, &client_name);
	GError *local = NULL;
	if (tokens->refresh == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_CONFIG,
		            "the server gave no refresh token: piculet could sign in only once "
		            "(for Google the client must ask for offline access; for Microsoft "
		            "the scope needs offline_access)");
		return false;
	}
	g_autoptr(GBytes) sealed =
	        app_mailbox_seal_password(store, address, tokens->refresh, &local);
	if (sealed == NULL ||
	    !engine_oauth_save_sign_in(store, address, client_name, sealed, &local)) {
		set_error(local, error);
		g_error_free(local);
		return false;
	}
	/* A pause for want of a sign-in ends now; any other stays. */
	if (mailbox->paused_reason != NULL &&
	    (g_str_has_prefix(mailbox->paused_reason, "sign in again") ||
	     g_str_has_prefix(mailbox->paused_reason, "not signed in") ||
	     g_str_has_prefix(mailbox->paused_reason, "sign-in:")))
		return app_mailbox_resume(store, address, g_get_real_time(), resumed, error);
	return true;
}

void
app_oauth_web_sign_in_free(AppOauthWebSignIn *sign_in)
{
	if (sign_in == NULL)
		return;
	g_free(sign_in->address);
	g_free(sign_in->redirect_uri);
	g_free(sign_in->state);
	g_free(sign_in->verifier);
	g_free(sign_in->url);
	g_free(sign_in);
}

/* https://, or http:// to this machine, with the path /oauth/callback and
 * nothing after it. */
static bool
callback_ok(const char *redirect_uri)
{
	g_autoptr(GUri) uri = g_uri_parse(redirect_uri, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL || g_uri_get_host(uri) == NULL || g_uri_get_query(uri) != NULL ||
	    g_uri_get_fragment(uri) != NULL ||
	    g_strcmp0(g_uri_get_path(uri), "/oauth/callback") != 0)
		return false;
	const char *scheme = g_uri_get_scheme(uri);
	const char *host = g_uri_get_host(uri);
	if (g_ascii_strcasecmp(scheme, "https") == 0)
		return true;
	return g_ascii_strcasecmp(scheme, "http") == 0 &&
	       (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0 ||
	        g_ascii_strcasecmp(host, "localhost") == 0);
}

AppOauthWebSignIn *
app_oauth_web_begin(Store *store, const char *address, const char *redirect_uri,
                    const char *ca_file, GError **error)
{
	if (redirect_uri == NULL || !callback_ok(redirect_uri)) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "\"%s\" is no place to come back to: it must be this server's "
		            "/oauth/callback, over https (or http to this machine)",
		            redirect_uri != NULL ? redirect_uri : "");
		return NULL;
	}
	g_autoptr(StoreMailbox) mailbox = NULL;
	g_autoptr(EngineOauthClient) client =
	        load_client(store, address, ca_file, -1, &mailbox, error);
	if (client == NULL)
		return NULL;
	AppOauthWebSignIn *sign_in = g_new0(AppOauthWebSignIn, 1);
	sign_in->address = g_strdup(mailbox->address);
	sign_in->redirect_uri = g_strdup(redirect_uri);
	sign_in->state = oauth_pkce_new_verifier();
	sign_in->verifier = oauth_pkce_new_verifier();
	g_autofree char *challenge = oauth_pkce_challenge(sign_in->verifier);
	sign_in->url = oauth_token_authorization_url(engine_oauth_client_get(client), redirect_uri,
	                                             sign_in->state, challenge, address);
	return sign_in;
}

bool
app_oauth_web_finish(Store *store, const AppOauthWebSignIn *sign_in, const char *code,
                     const char *ca_file, int stop_fd, bool *resumed, GError **error)
{
	*resumed = false;
	g_autoptr(StoreMailbox) mailbox = NULL;
	g_autoptr(EngineOauthClient) client =
	        load_client(store, sign_in->address, ca_file, stop_fd, &mailbox, error);
	if (client == NULL)
		return false;
	GError *local = NULL;
	g_autoptr(OauthTokens) tokens =
	        oauth_token_from_code(engine_oauth_client_get(client), code, sign_in->verifier,
	                              sign_in->redirect_uri, &local);
	if (tokens == NULL) {
		set_error(local, error);
		g_error_free(local);
		return false;
	}
	return keep_tokens(store, mailbox, tokens, resumed, error);
}

GPtrArray *
app_oauth_list_clients(Store *store, GError **error)
{
	return store_oauth_client_list(store, error);
}
