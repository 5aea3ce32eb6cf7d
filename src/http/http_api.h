/*
 * http_api: the API's routes, each a handler that calls one use case of
 * src/app/ and words its answer as JSON (no rule lives in a handler). The
 * OpenAPI document (src/http/openapi.json) describes the same table.
 */
#pragma once

#include "http/http_route.h"

/* Every route, @n of them. */
const HttpRoute *http_api_routes(gsize *n);

/* The stream that takes @route's body while it arrives, or NULL: the body
 * is gathered first (the other routes). */
const HttpStream *http_api_stream(const HttpRoute *route);
