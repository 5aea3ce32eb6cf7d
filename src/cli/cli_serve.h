/*
 * cli_serve: `piculet serve`, the HTTP API (src/http/) until SIGINT or
 * SIGTERM, `piculet apikey`, the keys it takes, and `piculet webhook`, the
 * subscriptions it delivers.
 */
#pragma once

extern const char cli_serve_usage[];
extern const char cli_serve_apikey_usage[];
extern const char cli_serve_webhook_usage[];

int cli_serve_run(int argc, char **argv);
int cli_serve_apikey_run(int argc, char **argv);
int cli_serve_webhook_run(int argc, char **argv);
