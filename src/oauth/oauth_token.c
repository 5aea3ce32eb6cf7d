#include "oauth/oauth_token.h"

#include "base/base_error.h"
#include "net/net_error.h"
#include "net/net_http.h"
#include "oauth/oauth_error.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <stdbool.h>
#include <string.h>

#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

void
oauth_token_tokens_free(OauthTokens *tokens)
{
	if (tokens == NULL)
		return;
	base_secret_free(tokens->access);
	base_secret_free(tokens->refresh);
	g_free(tokens->scope);
	g_free(tokens);
}

void
oauth_token_device_code_free(OauthDeviceCode *code)
{
	if (code == NULL)
		return;
	g_free(code->device_code);
	g_free(code->user_code);
	g_free(code->verification_uri);
	g_free(code->verification_uri_complete);
	g_free(code);
}

static void
append_param(GString *url, const char *name, const char *value)
{
	g_autofree char *escaped = g_uri_escape_string(value, NULL, FALSE);
	g_string_append_printf(url, "%c%s=%s", strchr(url->str, '?') != NULL ? '&' : '?', name,
	                       escaped);
}

char *
oauth_token_authorization_url(const OauthClient *client, const char *redirect_uri,
                              const char *state, const char *challenge, const char *login_hint)
{
	GString *url = g_string_new(client->auth_url);
	append_param(url, "response_type", "code");
	append_param(url, "client_id", client->client_id);
	append_param(url, "redirect_uri", redirect_uri);
	append_param(url, "scope", client->scope);
	append_param(url, "state", state);
	append_param(url, "code_challenge", challenge);
	append_param(url, "code_challenge_method", "S256");
	if (login_hint != NULL)
		append_param(url, "login_hint", login_hint);
	if (client->auth_params != NULL && client->auth_params[0] != '\0')
		g_string_append_printf(url, "&%s", client->auth_params);
	return g_string_free(url, FALSE);
}

/* A server's words, shown to people: printable, and not too long. */
static char *
server_words(json_t *object, const char *key)
{
	const char *value = json_string_value(json_object_get(object, key));
	return value != NULL ? base_error_printable_dup(value, -1, 300) : NULL;
}

static int
error_code_of(const char *name)
{
	static const struct {
		const char *name;
		int code;
	} codes[] = {
	        {"invalid_grant", OAUTH_ERROR_INVALID_GRANT},
	        {"invalid_client", OAUTH_ERROR_CLIENT},
	        {"unauthorized_client", OAUTH_ERROR_CLIENT},
	        {"invalid_scope", OAUTH_ERROR_CLIENT},
	        {"unsupported_grant_type", OAUTH_ERROR_CLIENT},
	        {"invalid_request", OAUTH_ERROR_CLIENT},
	        {"access_denied", OAUTH_ERROR_DENIED},
	        {"authorization_pending", OAUTH_ERROR_PENDING},
	        {"slow_down", OAUTH_ERROR_SLOW_DOWN},
	        {"expired_token", OAUTH_ERROR_EXPIRED},
	};
	for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(codes); i++)
		if (strcmp(name, codes[i].name) == 0)
			return codes[i].code;
	return OAUTH_ERROR_SERVER;
}

/* The secret string at @key moved into a BaseSecret, the JSON's copy wiped. */
static BaseSecret *
take_secret(json_t *object, const char *key)
{
	json_t *value = json_object_get(object, key);
	if (!json_is_string(value) || json_string_length(value) == 0)
		return NULL;
	char *text = (char *)json_string_value(value);
	gsize length = json_string_length(value);
	BaseSecret *secret = base_secret_new(text, (gssize)length);
	OPENSSL_cleanse(text, length);
	return secret;
}

/* The JSON object of an answer, or the OAuth2 error it names. */
static json_t *
answer_object(long status, const char *body, gsize length, const char *what, GError **error)
{
	json_t *object = json_loadb(body, length, 0, NULL);
	if (!json_is_object(object)) {
		json_decref(object);
		g_set_error(error, OAUTH_ERROR, OAUTH_ERROR_SERVER,
		            "%s: the server answered HTTP %ld without a JSON object", what, status);
		return NULL;
	}
	if (status == 200)
		return object;
	g_autofree char *name = server_words(object, "error");
	g_autofree char *description = server_words(object, "error_description");
	g_set_error(error, OAUTH_ERROR, error_code_of(name), "%s: %s (HTTP %ld)%s%s", what,
	            name != NULL ? name : "refused", status, description != NULL ? ": " : "",
	            description != NULL ? description : "");
	json_decref(object);
	return NULL;
}

/* POSTs @fields (the client's id and secret added) to @url: the answer,
 * or OAUTH_ERROR_NETWORK when none came. */
static NetHttpResponse *
post(const OauthClient *client, const char *url, const char *what, const char **fields,
     GError **error)
{
	const char *all[24];
	gsize n = 0;
	for (gsize i = 0; fields[i] != NULL; i++)
		all[n++] = fields[i];
	all[n++] = "client_id";
	all[n++] = client->client_id;
	if (client->client_secret != NULL) {
		all[n++] = "client_secret";
		all[n++] = base_secret_get(client->client_secret);
	}
	all[n] = NULL;
	g_assert(n < G_N_ELEMENTS(all));
	NetHttpOptions options = {
	        .ca_file = client->ca_file, .timeout_ms = 30000, .stop_fd = client->stop_fd};
	GError *local = NULL;
	NetHttpResponse *response = net_http_post_form(&options, url, all, &local);
	if (response == NULL) {
		g_set_error(error, OAUTH_ERROR,
		            g_error_matches(local, NET_ERROR, NET_ERROR_STOPPED)
		                    ? OAUTH_ERROR_STOPPED
		                    : OAUTH_ERROR_NETWORK,
		            "%s: %s", what, local->message);
		g_error_free(local);
	}
	return response;
}

/* post() and answer_object() together. */
static json_t *
post_for_object(const OauthClient *client, const char *url, const char *what, const char **fields,
                GError **error)
{
	g_autoptr(NetHttpResponse) response = post(client, url, what, fields, error);
	if (response == NULL)
		return NULL;
	return answer_object(response->status, response->body, response->length, what, error);
}

static OauthTokens *
tokens_of(json_t *object, const char *what, GError **error)
{
	g_autoptr(OauthTokens) tokens = g_new0(OauthTokens, 1);
	tokens->access = take_secret(object, "access_token");
	tokens->refresh = take_secret(object, "refresh_token");
	const char *type = json_string_value(json_object_get(object, "token_type"));
	bool bearer = type == NULL || g_ascii_strcasecmp(type, "bearer") == 0;
	json_t *expires = json_object_get(object, "expires_in");
	/* Microsoft once sent expires_in as a string. */
	if (json_is_integer(expires))
		tokens->expires_in_s = json_integer_value(expires);
	else if (json_is_string(expires))
		tokens->expires_in_s = g_ascii_strtoll(json_string_value(expires), NULL, 10);
	const char *scope = json_string_value(json_object_get(object, "scope"));
	tokens->scope = scope != NULL ? g_strdup(scope) : NULL;
	json_decref(object);
	if (tokens->access == NULL || !bearer) {
		g_set_error(error, OAUTH_ERROR, OAUTH_ERROR_SERVER,
		            "%s: the answer holds no bearer access token", what);
		return NULL;
	}
	if (tokens->expires_in_s < 0)
		tokens->expires_in_s = 0;
	return g_steal_pointer(&tokens);
}

OauthTokens *
oauth_token_parse_answer(long status, const char *body, gsize length, const char *what,
                         GError **error)
{
	json_t *object = answer_object(status, body, length, what, error);
	return object != NULL ? tokens_of(object, what, error) : NULL;
}

static OauthTokens *
post_for_tokens(const OauthClient *client, const char *what, const char **fields, GError **error)
{
	g_autoptr(NetHttpResponse) response = post(client, client->token_url, what, fields, error);
	if (response == NULL)
		return NULL;
	return oauth_token_parse_answer(response->status, response->body, response->length, what,
	                                error);
}

OauthTokens *
oauth_token_from_code(const OauthClient *client, const char *code, const char *verifier,
                      const char *redirect_uri, GError **error)
{
	const char *fields[] = {"grant_type",   "authorization_code", "code",
	                        code,           "code_verifier",      verifier,
	                        "redirect_uri", redirect_uri,         NULL};
	return post_for_tokens(client, "signing in", fields, error);
}

OauthTokens *
oauth_token_refresh(const OauthClient *client, const BaseSecret *refresh, GError **error)
{
	const char *fields[] = {"grant_type", "refresh_token", "refresh_token",
	                        base_secret_get(refresh), NULL};
	return post_for_tokens(client, "refreshing the token", fields, error);
}

OauthDeviceCode *
oauth_token_device_start(const OauthClient *client, GError **error)
{
	if (client->device_url == NULL) {
		g_set_error_literal(error, OAUTH_ERROR, OAUTH_ERROR_CLIENT,
		                    "this provider has no device sign-in for mail: sign in with "
		                    "a browser (without --device)");
		return NULL;
	}
	const char *fields[] = {"scope", client->scope, NULL};
	json_t *object = post_for_object(client, client->device_url, "asking for a device code",
	                                 fields, error);
	if (object == NULL)
		return NULL;
	g_autoptr(OauthDeviceCode) code = g_new0(OauthDeviceCode, 1);
	code->device_code = g_strdup(json_string_value(json_object_get(object, "device_code")));
	/* Shown to the person: printable, whatever the server sent. */
	code->user_code = server_words(object, "user_code");
	/* Microsoft's v2 endpoint says verification_uri; older ones _url. */
	const char *uri = json_string_value(json_object_get(object, "verification_uri"));
	if (uri == NULL)
		uri = json_string_value(json_object_get(object, "verification_url"));
	code->verification_uri = uri != NULL ? base_error_printable_dup(uri, -1, 300) : NULL;
	code->verification_uri_complete = server_words(object, "verification_uri_complete");
	json_t *interval = json_object_get(object, "interval");
	code->interval_s = json_is_integer(interval) ? json_integer_value(interval) : 5;
	if (code->interval_s < 1)
		code->interval_s = 5;
	json_t *expires = json_object_get(object, "expires_in");
	code->expires_in_s = json_is_integer(expires) ? json_integer_value(expires) : 600;
	json_decref(object);
	if (code->device_code == NULL || code->user_code == NULL ||
	    code->verification_uri == NULL) {
		g_set_error_literal(error, OAUTH_ERROR, OAUTH_ERROR_SERVER,
		                    "asking for a device code: the answer lacks the code or the "
		                    "address to open");
		return NULL;
	}
	return g_steal_pointer(&code);
}

OauthTokens *
oauth_token_device_poll(const OauthClient *client, const char *device_code, GError **error)
{
	const char *fields[] = {"grant_type", DEVICE_GRANT, "device_code", device_code, NULL};
	return post_for_tokens(client, "device sign-in", fields, error);
}
