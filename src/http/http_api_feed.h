/* The API's feeds: replies, and every event in order (http_api.c lists them). */
#pragma once

#include "http/http_route.h"

/* ?campaign=NAME&intent=INTENT: what people wrote back, newest first. */
void http_api_feed_replies(HttpExchange *exchange);
/* /replies/{id}: the reply and its conversation (what we sent, what came back). */
void http_api_feed_reply_get(HttpExchange *exchange);
/* PATCH /replies/{id} {"intent": ...}: a person's reading of what it means. */
void http_api_feed_reply_mark(HttpExchange *exchange);
/* POST /replies/{id}/answer {"text": ..., "key": ...}: a person's answer,
 * sent through the reply's mailbox once per key (201; 200: that key's
 * answer, not sent again). */
void http_api_feed_reply_answer(HttpExchange *exchange);
/* ?after=ID&limit=N: events in the order written, and the cursor of the next page. */
void http_api_feed_events(HttpExchange *exchange);
