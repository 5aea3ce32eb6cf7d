/*
 * oauth_token: an OAuth2 client's calls to its authorization server (RFC
 * 6749): the authorization URL of the code flow with PKCE (RFC 7636), the
 * code exchanged for tokens, a refresh, and the device authorization grant
 * (RFC 8628). The client's secret, when it has one, goes in the request
 * body (client_secret_post: Google's and Microsoft's way). Tokens come back
 * as BaseSecrets; nothing secret is logged.
 */
#pragma once

#include "base/base_secret.h"

#include <glib.h>
#include <stdint.h>

/* A registered client and its server. Plain data, borrowed for each call. */
typedef struct {
	const char *client_id;
	const BaseSecret *client_secret; /* NULL: a public client */
	const char *auth_url;
	const char *token_url;
	const char *device_url; /* NULL: no device grant */
	const char *scope;
	const char *auth_params; /* more of the authorization URL's query; NULL: none */
	const char *ca_file;     /* NULL: the system's trust store */
	int stop_fd;             /* readable: a request in flight gives up; 0: none */
} OauthClient;

typedef struct {
	BaseSecret *access;
	BaseSecret *refresh;  /* NULL when the server sent none (keep the old one) */
	int64_t expires_in_s; /* 0 when the server did not say */
	char *scope;          /* NULL when the server did not say */
} OauthTokens;

void oauth_token_tokens_free(OauthTokens *tokens);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OauthTokens, oauth_token_tokens_free)

/* A token endpoint's answer (HTTP @status, @body of @length bytes, from
 * outside) read: the tokens of a 200 with a JSON object holding a bearer
 * access token; else the OAuth2 error it names (OAUTH_ERROR_INVALID_GRANT,
 * _CLIENT, _DENIED, _PENDING, _SLOW_DOWN, _EXPIRED; anything else
 * _SERVER), its words in the message after @what. Pure. */
OauthTokens *oauth_token_parse_answer(long status, const char *body, gsize length, const char *what,
                                      GError **error);

/* The URL to open for signing in: code flow, S256 @challenge, @state, the
 * loopback @redirect_uri, and @login_hint (the mailbox address). */
char *oauth_token_authorization_url(const OauthClient *client, const char *redirect_uri,
                                    const char *state, const char *challenge,
                                    const char *login_hint);

/* The code from the redirect exchanged for tokens. */
OauthTokens *oauth_token_from_code(const OauthClient *client, const char *code,
                                   const char *verifier, const char *redirect_uri, GError **error);

/* New tokens for @refresh. OAUTH_ERROR_INVALID_GRANT: sign in again. */
OauthTokens *oauth_token_refresh(const OauthClient *client, const BaseSecret *refresh,
                                 GError **error);

typedef struct {
	char *device_code;
	char *user_code;
	char *verification_uri;
	char *verification_uri_complete; /* NULL when the server gave none */
	int64_t interval_s;              /* 5 when the server did not say */
	int64_t expires_in_s;
} OauthDeviceCode;

void oauth_token_device_code_free(OauthDeviceCode *code);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OauthDeviceCode, oauth_token_device_code_free)

OauthDeviceCode *oauth_token_device_start(const OauthClient *client, GError **error);

/* Asks once whether the person signed in: tokens, or OAUTH_ERROR_PENDING,
 * _SLOW_DOWN (add 5 s to the interval), _DENIED, _EXPIRED. */
OauthTokens *oauth_token_device_poll(const OauthClient *client, const char *device_code,
                                     GError **error);
