/* The API's mailbox routes (http_api.c lists them; openapi.json words them). */
#pragma once

#include "http/http_route.h"

void http_api_mailbox_list(HttpExchange *exchange);
void http_api_mailbox_report(HttpExchange *exchange);
void http_api_mailbox_add(HttpExchange *exchange);
void http_api_mailbox_edit(HttpExchange *exchange);
void http_api_mailbox_remove(HttpExchange *exchange);
/* pause, resume or check: the second path segment. */
void http_api_mailbox_act(HttpExchange *exchange);
/* GET .../authorize: the mailbox's OAuth2 sign-in as it stands. */
void http_api_mailbox_sign_in(HttpExchange *exchange);
/* GET /oauth/clients: the OAuth2 clients set up (names, public or not,
 * with a device grant or not; never an id or secret), for a sign-in. */
void http_api_mailbox_oauth_clients(HttpExchange *exchange);
