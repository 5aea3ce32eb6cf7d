/* The API's feeds: replies, and every event in order (http_api.c lists them). */
#pragma once

#include "http/http_route.h"

/* ?campaign=NAME: what people wrote back, newest first. */
void http_api_feed_replies(HttpExchange *exchange);
/* ?after=ID&limit=N: events in the order written, and the cursor of the next page. */
void http_api_feed_events(HttpExchange *exchange);
