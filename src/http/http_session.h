/*
 * http_session: the dashboard's sign-in over the API. POST
 * /api/v1/session takes an address and a password and answers the
 * session's CSRF token, with the session in an HttpOnly, SameSite=Strict
 * cookie (Secure when the request came over TLS through a proxy: the
 * X-Forwarded-Proto header); GET says who is signed in; DELETE signs out.
 */
#pragma once

#include "http/http_route.h"

void http_session_sign_in(HttpExchange *exchange);
void http_session_get(HttpExchange *exchange);
void http_session_sign_out(HttpExchange *exchange);
