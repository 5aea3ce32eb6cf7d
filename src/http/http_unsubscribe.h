/*
 * http_unsubscribe: the one-click unsubscribe of RFC 8058 at BASE/u/TOKEN.
 * POST (what a mail client's "unsubscribe" button sends, with the body
 * List-Unsubscribe=One-Click) opts the person out at once: no cookie, no
 * redirect, no key, the same answer twice. GET shows a page with one
 * button that does the same POST, in the reader's language (Accept-
 * Language: English, German, French, Spanish, Italian, Dutch, Polish,
 * Portuguese). A token that is not one of ours is 404 before the database
 * is read.
 */
#pragma once

#include "http/http_route.h"

void http_unsubscribe_page(HttpExchange *exchange);
void http_unsubscribe_post(HttpExchange *exchange);
