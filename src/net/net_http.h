/*
 * net_http: outbound HTTPS requests through libcurl, for the few calls
 * piculet makes to web services (an OAuth2 token endpoint). Certificates
 * are verified (against @ca_file when given, else the system's); plain
 * http:// is taken only for a loopback host. Request and response bodies
 * may hold secrets: they are wiped when freed and never logged; only the
 * method, the URL and the status go to g_debug.
 *
 * Blocking, one request at a time per call; thread-safe.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct {
	const char *ca_file; /* trusted besides the system's trust store; NULL: none */
	int timeout_ms;      /* the whole request; 0: 30 s */
	const char *user;    /* with @password: HTTP Basic authentication */
	const char *password;
	int stop_fd; /* readable: a request in flight gives up at once (NET_ERROR_STOPPED);
	              * 0 or less: none */
} NetHttpOptions;

typedef struct {
	long status;        /* the HTTP status */
	char *content_type; /* NULL when the server named none */
	char *body;         /* NUL-terminated; wiped when freed */
	gsize length;
} NetHttpResponse;

void net_http_response_free(NetHttpResponse *response);

/* Whether @url may be asked at all: https://, or http:// to this machine
 * (nothing secret crosses a network in clear). */
bool net_http_url_allowed(const char *url);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NetHttpResponse, net_http_response_free)

/* POSTs @fields (NULL-terminated name, value, name, value, ...) as
 * application/x-www-form-urlencoded. Any status is a response; NULL with
 * NET_ERROR (CONNECT, TIMEOUT, CERTIFICATE, TLS, LIMIT, IO) only when no
 * answer came. A body over 1 MiB is NET_ERROR_LIMIT. */
NetHttpResponse *net_http_post_form(const NetHttpOptions *options, const char *url,
                                    const char *const *fields, GError **error);
