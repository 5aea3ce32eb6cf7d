/* The API's blacklist routes (http_api.c lists them; openapi.json words them). */
#pragma once

#include "http/http_route.h"

void http_api_blacklist_list(HttpExchange *exchange);
/* {"entry": "a@b.test" or "@b.test", "reason": "..."}; 201. */
void http_api_blacklist_add(HttpExchange *exchange);
void http_api_blacklist_remove(HttpExchange *exchange);
