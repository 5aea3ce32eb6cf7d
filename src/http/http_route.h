/*
 * http_route: the API's routes as one table (method, path pattern, the
 * scope a key needs, the handler) and the matching of a request's path to
 * it. Patterns are "/api/v1/campaigns/{name}/report": a {name} segment
 * matches one percent-decoded path segment (valid UTF-8, no NUL), which the
 * handler gets by position. The OpenAPI document lists the same table
 * (tests/integration/test_http_api.c checks they agree).
 */
#pragma once

#include "app/app_metrics.h"
#include "base/base_seal.h"
#include "store/store.h"

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

/* One request as a handler sees it, and its answer. */
typedef struct {
	Store *store;             /* this thread's connection */
	const char *const *param; /* the {…} segments, in order, decoded */
	GHashTable *query;        /* char * -> char *, decoded */
	json_t *body;             /* the JSON body; NULL when there is none */
	const char *raw_body;     /* the body of a route that takes another type */
	gsize raw_length;
	const char *key_name; /* the API key's name, or "user:EMAIL" */
	/* The person signed in to the dashboard (its cookie's session), or
	 * NULL (an API key, or no one); with the cookie's token. */
	const StoreUserSession *session;
	const char *session_token;
	const char *forwarded_proto;  /* X-Forwarded-Proto: "https" behind a TLS proxy */
	const char *accept_encoding;  /* the header, or NULL */
	const char *if_none_match;    /* the header, or NULL */
	const BaseSealKey *links_key; /* signs the links in messages (engine_links) */
	const char *accept_language;  /* the header, or NULL */
	const char *user_agent;       /* the header, or NULL */
	const char *method;           /* "GET", "HEAD", ... */
	const char *ca_file;          /* for mailbox checks (piculet serve --ca-file) */
	const char *dns_server;       /* for mailbox checks; NULL: the system's resolver */
	int stop_fd;                  /* readable once the server stops (-1: none) */
	/* The engine of this process for /metrics, or NULL (HttpServerOptions). */
	void (*engine_metrics)(void *user_data, AppMetricsEngine *out);
	void *engine_metrics_data;
	struct HttpImports *imports;  /* the server's streamed imports (http_import) */
	struct HttpSignIns *sign_ins; /* the server's OAuth2 sign-ins (http_sign_in) */
	int64_t now_us;
	/* A fetch of a tracked image or link the handler asks to record: the
	 * server takes it, hands it to its recorder and answers. */
	struct AppTrackingFetch *to_record;
	/* The answer: a status and a JSON body, or a page (@answer_text of
	 * @answer_type), or bytes (@answer_bytes of @answer_type), or a redirect
	 * (@answer_location, with a 3xx status), or an error (problem+json). */
	unsigned status;
	json_t *answer;
	char *answer_json; /* or the JSON body written already (a long list) */
	char *answer_text;
	GBytes *answer_bytes;
	char *answer_location;
	const char *answer_type;
	/* More headers of the answer: name, value, name, value... (taken). */
	GPtrArray *answer_headers;
	GError *error;
} HttpExchange;

typedef void (*HttpHandler)(HttpExchange *exchange);

/* A route whose body goes to its handler while it arrives (http_api_stream
 * says which): begun once the headers are in and the key checked, fed each
 * chunk, finished when the body is complete (the answer set as a handler
 * sets it), aborted when it never will be. */
typedef struct {
	void *(*begin)(HttpExchange *exchange); /* NULL with exchange->error: refused */
	bool (*feed)(void *state, const char *data, gsize length);
	void (*finish)(void *state, HttpExchange *exchange);
	void (*abort)(void *state);
} HttpStream;

typedef enum {
	HTTP_SCOPE_NONE,  /* no key needed (the OpenAPI document) */
	HTTP_SCOPE_READ,  /* any key */
	HTTP_SCOPE_WRITE, /* a write key; a member or an owner signed in */
	HTTP_SCOPE_OWNER, /* a write key; an owner signed in (what leaves the machine) */
} HttpScope;

/* Adds header @name: @value to @exchange's answer. */
void http_route_add_header(HttpExchange *exchange, const char *name, const char *value);

typedef struct {
	const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *pattern; /* "/api/v1/campaigns/{name}" */
	HttpScope scope;
	HttpHandler handler;
	/* The body it takes: NULL for JSON (parsed into HttpExchange.body), a
	 * media type ("text/csv") for a raw body, "" for any (unread). */
	const char *accepts;
} HttpRoute;

/* The route of @routes (@n of them) for @method and @path (raw: still percent-encoded) and its
 * decoded segments in *@params (a NULL-terminated vector); NULL when none.
 * *@status says why: 404 (no such path), 405 (the path, not the method),
 * 400 (a segment that does not decode). */
const HttpRoute *http_route_match(const HttpRoute *routes, gsize n, const char *method,
                                  const char *path, char ***params, unsigned *status);
