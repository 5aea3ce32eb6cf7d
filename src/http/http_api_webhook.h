/* The API's webhook routes (http_api.c lists them; openapi.json words them). */
#pragma once

#include "http/http_route.h"

void http_api_webhook_list(HttpExchange *exchange);
/* {"url": ..., "events": ["reply.received", ...]}; 201 with the secret, once. */
void http_api_webhook_add(HttpExchange *exchange);
void http_api_webhook_remove(HttpExchange *exchange);
/* ?state=pending|delivered|dead: a subscription's deliveries, oldest first. */
void http_api_webhook_deliveries(HttpExchange *exchange);
/* A dead delivery tried again. */
void http_api_webhook_replay(HttpExchange *exchange);
