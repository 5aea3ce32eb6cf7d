/*
 * http_openapi: the API's OpenAPI 3.1 document, src/http/openapi.json,
 * embedded at build time (tools/embed-text.py) and served at
 * /api/v1/openapi.json.
 */
#pragma once

extern const char http_openapi_document[];
