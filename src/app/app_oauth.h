/*
 * app_oauth: OAuth2 for every front end: the user's own client at a
 * provider set up once (its secret sealed like passwords), and a mailbox
 * signed in through it (docs/oauth.md): the authorization-code flow with
 * PKCE and a loopback redirect (RFC 8252), or the device grant (RFC 8628)
 * where no browser is at hand. The refresh token is sealed into the
 * mailbox; a mailbox paused for want of a sign-in goes on at once.
 */
#pragma once

#include "base/base_secret.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

/* A client to set up. For "google" and "microsoft" the URLs and the scope
 * default to the provider's; for another name they are needed. Borrowed. */
typedef struct {
	const char *name;
	const char *client_id;
	const BaseSecret *client_secret; /* NULL: a public client */
	const char *auth_url;
	const char *token_url;
	const char *device_url;
	const char *scope;
	const char *auth_params;
} AppOauthClientSettings;

/* Saves the client (replacing one of that name): APP_ERROR_INVALID when
 * something needed is missing or a URL is not https:// (or http:// to
 * this machine); APP_ERROR_CONFIG when the secret cannot be sealed. */
bool app_oauth_set_client(Store *store, const AppOauthClientSettings *settings, GError **error);

/* Every client set up, by name (StoreOauthClient; secrets sealed). */
GPtrArray *app_oauth_list_clients(Store *store, GError **error);

/* How the person is told what to do. */
typedef struct {
	/* Code flow: the URL to open (the front end may open a browser). */
	void (*open_url)(const char *url, void *user_data);
	/* Device grant: the address to open and the code to type. */
	void (*show_code)(const char *verification_uri, const char *verification_uri_complete,
	                  const char *user_code, void *user_data);
	void *user_data;
} AppOauthPrompt;

typedef struct {
	bool device;         /* the device grant instead of the code flow */
	const char *ca_file; /* trusted besides the system's, for the authorization server */
	int timeout_s;       /* how long the person has; 0: 300 s (the device code's own
	                      * lifetime, when shorter) */
	int stop_fd;         /* readable: give up now (APP_ERROR_STATE); -1: none */
} AppOauthSignInOptions;

/* Signs mailbox @address in through its OAuth2 client and keeps the
 * refresh token (sealed); a pause for want of it ends (*@resumed). Errors:
 * APP_ERROR_NOT_FOUND, _INVALID (not an OAuth2 mailbox), _DENIED (refused
 * by the person or the server), _UNAVAILABLE (the server did not answer),
 * _STATE (timed out or stopped), _CONFIG (the client is refused). */
bool app_oauth_sign_in(Store *store, const char *address, const AppOauthSignInOptions *options,
                       const AppOauthPrompt *prompt, bool *resumed, GError **error);

/*
 * The sign-in of a mailbox from a browser elsewhere (the dashboard's): the
 * authorization code with PKCE, the provider sending the person back to
 * @redirect_uri, the server's own /oauth/callback. Begun: where to send the
 * person; finished with the code the redirect brought. The client must
 * allow that redirect (at Google, a client of the kind "web application").
 */
typedef struct {
	char *address;
	char *redirect_uri;
	char *state;    /* ties the redirect to this sign-in */
	char *verifier; /* PKCE's, kept here, never sent but to the token endpoint */
	char *url;      /* where to send the person */
} AppOauthWebSignIn;

/* APP_ERROR_INVALID for a @redirect_uri that is not https://HOST/oauth/
 * callback (or http:// to this machine), else app_oauth_sign_in's errors
 * of a mailbox and its client. */
AppOauthWebSignIn *app_oauth_web_begin(Store *store, const char *address, const char *redirect_uri,
                                       const char *ca_file, GError **error);
/* The code exchanged and the refresh token kept, as app_oauth_sign_in; the
 * exchange gives up when @stop_fd (> 0) becomes readable. */
bool app_oauth_web_finish(Store *store, const AppOauthWebSignIn *sign_in, const char *code,
                          const char *ca_file, int stop_fd, bool *resumed, GError **error);
void app_oauth_web_sign_in_free(AppOauthWebSignIn *sign_in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppOauthWebSignIn, app_oauth_web_sign_in_free)
