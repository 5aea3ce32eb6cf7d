/*
 * http_sign_in: a mailbox signed in with OAuth2 through the API (`POST
 * /api/v1/mailboxes/{address}/authorize`, `GET` the same to follow it). The
 * server has no browser and the person is elsewhere, so it is the device
 * grant (RFC 8628): the answer gives the address to open and the code to
 * type on any device; a thread of the sign-in's own (its own database
 * connection) polls the provider until the person has signed in, the code
 * runs out, or the server stops. One sign-in per mailbox at a time; the
 * last outcome of each is kept in memory for polling; a restart forgets
 * them.
 */
#pragma once

#include "http/http_route.h"

#include <glib.h>
#include <jansson.h>

typedef struct HttpSignIns HttpSignIns;

HttpSignIns *http_sign_in_registry_new(void);
/* Ends every sign-in still waiting (it fails as stopped) and waits for
 * their threads. */
void http_sign_in_registry_free(HttpSignIns *sign_ins);

/* Starts the sign-in of @address (or answers the one pending) in
 * @exchange: 202 with the code and where to type it, or the error of
 * asking for a code (a provider without a device grant, a mailbox that
 * signs in with a password: 422). */
void http_sign_in_start(HttpSignIns *sign_ins, const char *address, HttpExchange *exchange);

/* Begins the sign-in of @address in the browser that asked (the code flow:
 * the answer's authorization_url, the provider coming back to
 * @redirect_uri, this server's /oauth/callback); an earlier one of the
 * mailbox is forgotten, a device sign-in under way answered instead. */
void http_sign_in_start_web(HttpSignIns *sign_ins, const char *address, const char *redirect_uri,
                            HttpExchange *exchange);

/* GET /oauth/callback: the provider's redirect with state and code (or
 * error). The code is exchanged and kept, and the browser sent back to
 * the dashboard's mailboxes (303 to /#/status?signed_in=ADDRESS);
 * otherwise a page that says why (400).
 * Each state works once, for LIFETIME_S. */
void http_sign_in_callback(HttpExchange *exchange);

/* The sign-in of @address as it stands ("pending", "signed_in",
 * "failed" with its error), or NULL when none was started. */
json_t *http_sign_in_json(HttpSignIns *sign_ins, const char *address);
