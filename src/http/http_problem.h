/*
 * http_problem: errors as HTTP answers. One table maps every layer's error
 * codes to a status (the HTTP twin of cli_exit_of_error), and the body is
 * RFC 9457 problem+json with the same words the command prints.
 */
#pragma once

#include <glib.h>

/* The status for @error: 404 for what is not there, 409 for a state that
 * does not allow it, 422 for input that does not make sense, 401 for
 * credentials refused, 503 when the database is busy, else 500. */
unsigned http_problem_status_of(const GError *error);

/* {"type": ..., "title": ..., "status": @status, "detail": @detail}, newly
 * allocated; @detail may be NULL. */
char *http_problem_json(unsigned status, const char *detail);
