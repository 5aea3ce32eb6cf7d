/*
 * oauth_error: the OAuth2 layer's error domain. Codes say what the caller
 * does next.
 */
#pragma once

#include <glib.h>

#define OAUTH_ERROR (oauth_error_quark())

typedef enum {
	OAUTH_ERROR_INVALID_GRANT, /* revoked, expired or password changed: sign in again */
	OAUTH_ERROR_CLIENT,        /* the client id, secret or settings are refused: fix them */
	OAUTH_ERROR_DENIED,        /* the person said no, or the sign-in was given up */
	OAUTH_ERROR_PENDING,       /* device grant: not signed in yet; ask again */
	OAUTH_ERROR_SLOW_DOWN,     /* device grant: ask less often */
	OAUTH_ERROR_EXPIRED,       /* device grant: the code ran out; start again */
	OAUTH_ERROR_SERVER,        /* the server failed or answered nonsense: retry later */
	OAUTH_ERROR_NETWORK,       /* no answer (connection, TLS, timeout): retry later */
	OAUTH_ERROR_STATE,         /* a redirect that is not the answer to our request */
	OAUTH_ERROR_TIMEOUT,       /* nobody came back to the loopback redirect in time */
	OAUTH_ERROR_STOPPED,       /* a stop was asked for */
} OauthError;

GQuark oauth_error_quark(void);
