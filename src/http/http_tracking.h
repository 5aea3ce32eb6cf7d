/*
 * http_tracking: the tracked image (BASE/o/TOKEN) and links (BASE/c/TOKEN)
 * of campaigns with track_opens or track_clicks (app_tracking). No key: a
 * message's reader follows them. The image is a 1x1 transparent GIF; a link
 * answers 302 to the URL its signed token carries, and nowhere else. A
 * token that is not one of ours is 404. HEAD is answered too (link
 * checkers use it) and recorded as no person's.
 */
#pragma once

#include "http/http_route.h"

void http_tracking_open(HttpExchange *exchange);
void http_tracking_click(HttpExchange *exchange);
