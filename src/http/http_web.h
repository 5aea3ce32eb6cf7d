/*
 * http_web: the dashboard's pages, served by `piculet serve` itself from
 * the files embedded in the binary (http_web_assets): gzip when the
 * browser takes it, an ETag to revalidate, and a Content-Security-Policy
 * that lets the page load nothing from anywhere but this server.
 */
#pragma once

#include "http/http_route.h"

/* GET / (the dashboard's page) and GET /{file} (its scripts and style). */
void http_web_page(HttpExchange *exchange);
void http_web_file(HttpExchange *exchange);
