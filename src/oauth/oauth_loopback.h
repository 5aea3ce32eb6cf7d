/*
 * oauth_loopback: the one-shot listener of a native app's sign-in (RFC
 * 8252 7.3): 127.0.0.1 on a port the system picks, waiting for the browser
 * to come back to /callback with the code. Only the answer that carries
 * our state counts; anything else is told so and waiting goes on.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

typedef struct OauthLoopback OauthLoopback;

OauthLoopback *oauth_loopback_open(GError **error);
void oauth_loopback_free(OauthLoopback *loopback);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OauthLoopback, oauth_loopback_free)

/* "http://127.0.0.1:PORT/callback" */
const char *oauth_loopback_redirect_uri(const OauthLoopback *loopback);

/* Waits up to @timeout_ms (or until @stop_fd, -1: none, is readable) for
 * the redirect with @state; the code it carries. OAUTH_ERROR_DENIED when
 * the server sent an error instead, _TIMEOUT, _STOPPED. */
char *oauth_loopback_wait(OauthLoopback *loopback, const char *state, int timeout_ms, int stop_fd,
                          GError **error);

/* What one request to the listener is (its head, from outside): */
typedef enum {
	OAUTH_CALLBACK_OTHER,       /* not GET /callback (a favicon, say) */
	OAUTH_CALLBACK_WRONG_STATE, /* another sign-in's answer, or a forgery */
	OAUTH_CALLBACK_CODE,        /* ours, with its code in *@code */
	OAUTH_CALLBACK_REFUSED,     /* ours, with the server's error in *@refusal */
} OauthCallback;

/* Reads @head (a request line and headers) for an answer to the sign-in
 * with @state. Pure. */
OauthCallback oauth_loopback_parse(const char *head, const char *state, char **code,
                                   char **refusal);
