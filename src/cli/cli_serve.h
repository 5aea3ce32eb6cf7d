/*
 * cli_serve: `piculet serve`, the HTTP API (src/http/) until SIGINT or
 * SIGTERM, and `piculet apikey`, the keys it takes.
 */
#pragma once

extern const char cli_serve_usage[];
extern const char cli_serve_apikey_usage[];

int cli_serve_run(int argc, char **argv);
int cli_serve_apikey_run(int argc, char **argv);
