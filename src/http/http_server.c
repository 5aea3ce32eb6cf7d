#define G_LOG_DOMAIN "piculet-http"

#include "http/http_server.h"

#include "http/http_import.h"
#include "http/http_recorder.h"
#include "http/http_sign_in.h"

#include "app/app_api_key.h"
#include "app/app_error.h"
#include "app/app_tracking.h"
#include "app/app_user.h"
#include "engine/engine_links.h"
#include "engine/engine_seal_key.h"
#include "http/http_api.h"
#include "http/http_problem.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_THREADS    4
#define DEFAULT_MAX_BODY   ((gsize)1024 * 1024)
#define DEFAULT_MAX_UPLOAD ((gsize)64 * 1024 * 1024)
#define DEFAULT_TIMEOUT_S  30
#define SESSION_COOKIE     "piculet_session"

struct HttpServer {
	struct MHD_Daemon *daemon;
	Store *store;           /* the template of each thread's connection */
	BaseSealKey *links_key; /* signs and checks the links in messages; NULL: none */
	gsize max_body;         /* a JSON body */
	gsize max_upload;       /* a file (a CSV of prospects) */
	char *ca_file;          /* for mailbox checks; NULL: the system's only */
	char *dns_server;       /* for mailbox checks; NULL: the system's resolver */
	int stop_pipe[2];       /* readable once the server stops: a mailbox check in flight
	                         * gives up instead of holding the stop */
	void (*engine_metrics)(void *user_data, AppMetricsEngine *out);
	void *engine_metrics_data;
	guint rate; /* requests a minute per key; 0: no limit */
	/* Writes the fetches of tracked images and links; NULL: each thread
	 * writes its own. */
	HttpRecorder *recorder;
	GMutex buckets_lock;
	GHashTable *buckets; /* key name -> Bucket */
	HttpImports *imports;
	HttpSignIns *sign_ins;
	uint16_t port;
};

/* A key's allowance: a token bucket of @rate a minute, as many at once. */
typedef struct {
	double tokens;
	gint64 refilled_us; /* monotonic */
} Bucket;

/* Whether the key named @name may make a request now; when not, in how
 * many seconds it may (*@retry_s). */
static bool
take_token(HttpServer *server, const char *name, unsigned *retry_s)
{
	if (server->rate == 0)
		return true;
	gint64 now = g_get_monotonic_time();
	double per_us = (double)server->rate / (60.0 * G_USEC_PER_SEC);
	g_mutex_lock(&server->buckets_lock);
	Bucket *bucket = g_hash_table_lookup(server->buckets, name);
	if (bucket == NULL) {
		bucket = g_new0(Bucket, 1);
		bucket->tokens = server->rate;
		bucket->refilled_us = now;
		g_hash_table_insert(server->buckets, g_strdup(name), bucket);
	}
	bucket->tokens = MIN((double)server->rate,
	                     bucket->tokens + (double)(now - bucket->refilled_us) * per_us);
	bucket->refilled_us = now;
	bool allowed = bucket->tokens >= 1.0;
	if (allowed)
		bucket->tokens -= 1.0;
	else
		*retry_s = (unsigned)((1.0 - bucket->tokens) / per_us / G_USEC_PER_SEC) + 1;
	g_mutex_unlock(&server->buckets_lock);
	return allowed;
}

/* One request while it arrives. */
typedef struct {
	const HttpRoute *route; /* NULL: none (status says why) */
	char **params;
	unsigned status;
	gsize max_body;
	GString *body;
	bool too_large;
	gint64 started_us;
	/* A streamed route: its body goes to the stream as it arrives. */
	const HttpStream *stream;
	void *stream_state;
	char *key_name;
	unsigned early_status; /* answered before the body: this status */
} Request;

/* Each of the server's threads keeps its own connection (GPrivate: closed
 * when the thread ends). */
static GPrivate thread_store = G_PRIVATE_INIT((GDestroyNotify)store_close);

static Store *
store_of_thread(HttpServer *server, GError **error)
{
	Store *store = g_private_get(&thread_store);
	if (store == NULL) {
		store = store_open_another(server->store, error);
		g_private_set(&thread_store, store);
	}
	return store;
}

/* Adds @headers (name, value pairs; NULL: none) to @response. */
static void
add_headers(struct MHD_Response *response, const GPtrArray *headers)
{
	for (guint i = 0; headers != NULL && i + 1 < headers->len; i += 2)
		MHD_add_response_header(response, headers->pdata[i], headers->pdata[i + 1]);
}

/* Whether @headers (as above) hold @name. */
static bool
has_header(const GPtrArray *headers, const char *name)
{
	for (guint i = 0; headers != NULL && i + 1 < headers->len; i += 2)
		if (g_ascii_strcasecmp(headers->pdata[i], name) == 0)
			return true;
	return false;
}

/* Queues @body (taken; NULL: empty) as @type with @status and @headers; a
 * Retry-After of @retry_s seconds when not 0. */
static enum MHD_Result
respond_with(struct MHD_Connection *connection, unsigned status, const char *type, char *body,
             unsigned retry_s, const GPtrArray *headers)
{
	gsize length = body != NULL ? strlen(body) : 0;
	struct MHD_Response *response = MHD_create_response_from_buffer(
	        length, body != NULL ? body : (char *)"", MHD_RESPMEM_MUST_COPY);
	if (type != NULL)
		MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	add_headers(response, headers);
	if (!has_header(headers, "Cache-Control"))
		MHD_add_response_header(response, "Cache-Control", "no-store");
	MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
	if (status == 401)
		MHD_add_response_header(response, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	g_autofree char *after = retry_s > 0 ? g_strdup_printf("%u", retry_s) : NULL;
	if (after != NULL)
		MHD_add_response_header(response, MHD_HTTP_HEADER_RETRY_AFTER, after);
	enum MHD_Result queued = MHD_queue_response(connection, status, response);
	MHD_destroy_response(response);
	g_free(body);
	return queued;
}

static enum MHD_Result
respond_after(struct MHD_Connection *connection, unsigned status, const char *type, char *body,
              unsigned retry_s)
{
	return respond_with(connection, status, type, body, retry_s, NULL);
}

/* A busy database is worth another try in a second. */
static enum MHD_Result
respond(struct MHD_Connection *connection, unsigned status, const char *type, char *body)
{
	return respond_after(connection, status, type, body, status == 503 ? 1 : 0);
}

static enum MHD_Result
respond_problem(struct MHD_Connection *connection, unsigned status, const char *detail)
{
	return respond(connection, status, "application/problem+json",
	               http_problem_json(status, detail));
}

/* 429 with Retry-After. */
static enum MHD_Result
respond_limited(struct MHD_Connection *connection, const char *detail, unsigned retry_s)
{
	return respond_after(connection, 429, "application/problem+json",
	                     http_problem_json(429, detail), retry_s);
}

static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	GHashTable *query = cls;
	g_autofree char *name = g_uri_unescape_string(key, NULL);
	g_autofree char *text = value != NULL ? g_uri_unescape_string(value, NULL) : g_strdup("");
	/* '+' in a query is a space (HTML forms). */
	if (name == NULL || text == NULL || !g_utf8_validate(name, -1, NULL) ||
	    !g_utf8_validate(text, -1, NULL)) {
		g_hash_table_insert(query, g_strdup(""), NULL); /* marks the query bad */
		return MHD_NO;
	}
	g_strdelimit(text, "+", ' ');
	g_hash_table_insert(query, g_steal_pointer(&name), g_steal_pointer(&text));
	return MHD_YES;
}

/* The bearer key of the request, or NULL. */
static const char *
bearer_of(struct MHD_Connection *connection)
{
	const char *header = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                 MHD_HTTP_HEADER_AUTHORIZATION);
	if (header == NULL || g_ascii_strncasecmp(header, "Bearer ", 7) != 0)
		return NULL;
	return header + 7;
}

/* Whether @name's allowance takes one more request now; answers when not. */
static bool
within_rate(struct MHD_Connection *connection, HttpServer *server, const char *name,
            unsigned *status, enum MHD_Result *answered)
{
	unsigned retry_s = 0;
	if (take_token(server, name, &retry_s))
		return true;
	*status = 429;
	g_autofree char *why =
	        g_strdup_printf("%s made more than %u requests in a minute; again in %u s", name,
	                        server->rate, retry_s);
	*answered = respond_limited(connection, why, retry_s);
	return false;
}

/* The dashboard's path: whether the person of session cookie @token may
 * take @route (a change carries the session's CSRF token; the role allows
 * the route's scope); answers when not. The session in *@signed_in. */
static bool
allowed_session(struct MHD_Connection *connection, HttpServer *server, Store *store,
                const HttpRoute *route, const char *token, char **key_name, unsigned *status,
                enum MHD_Result *answered, StoreUserSession **signed_in)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreUserSession) session =
	        app_user_session_check(store, token, g_get_real_time(), &error);
	if (session == NULL) {
		*key_name = g_strdup("?");
		*status = http_problem_status_of(error);
		*answered = respond_problem(connection, *status, error->message);
		return false;
	}
	*key_name = g_strdup_printf("user:%s", session->user->email);
	if (!within_rate(connection, server, *key_name, status, answered))
		return false;
	bool changes = strcmp(route->method, "GET") != 0 && strcmp(route->method, "HEAD") != 0;
	const char *csrf = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-CSRF-Token");
	if (changes && !app_user_token_equal(csrf, session->csrf)) {
		*status = 403;
		*answered = respond_problem(connection, *status,
		                            "a change from the dashboard carries the session's "
		                            "X-CSRF-Token header");
		return false;
	}
	AppUserRole role = APP_USER_VIEWER;
	(void)app_user_role_parse(session->user->role, &role);
	if ((route->scope == HTTP_SCOPE_WRITE && role < APP_USER_MEMBER) ||
	    (route->scope == HTTP_SCOPE_OWNER && role < APP_USER_OWNER)) {
		*status = 403;
		g_autofree char *why = g_strdup_printf(
		        "a %s may not do this (%s)", session->user->role,
		        route->scope == HTTP_SCOPE_OWNER ? "an owner may" : "a member may");
		*answered = respond_problem(connection, *status, why);
		return false;
	}
	*signed_in = g_steal_pointer(&session);
	return true;
}

/* Whether the request's key (or the dashboard's session cookie) may take
 * @route; answers when not. The key's name in *@key_name; the session in
 * *@signed_in when it came by cookie. */
static bool
allowed(struct MHD_Connection *connection, HttpServer *server, Store *store, const HttpRoute *route,
        char **key_name, unsigned *status, enum MHD_Result *answered, StoreUserSession **signed_in)
{
	if (route->scope == HTTP_SCOPE_NONE) {
		*key_name = g_strdup("-");
		return true;
	}
	const char *bearer = bearer_of(connection);
	const char *cookie =
	        MHD_lookup_connection_value(connection, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (bearer == NULL && cookie != NULL)
		return allowed_session(connection, server, store, route, cookie, key_name, status,
		                       answered, signed_in);
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreApiKey) key =
	        bearer != NULL ? app_api_key_check(store, bearer, &error) : NULL;
	if (key == NULL) {
		*key_name = g_strdup("?");
		*status = error != NULL ? http_problem_status_of(error) : 401;
		*answered = respond_problem(connection, *status,
		                            error != NULL ? error->message
		                                          : "send Authorization: Bearer KEY (a key "
		                                            "from piculet apikey create)");
		return false;
	}
	*key_name = g_strdup(key->name);
	if (!within_rate(connection, server, key->name, status, answered))
		return false;
	AppApiKeyScope scope = APP_API_KEY_READ;
	if (route->scope != HTTP_SCOPE_READ &&
	    (!app_api_key_scope_parse(key->scope, &scope) || scope != APP_API_KEY_WRITE)) {
		*status = 403;
		*answered = respond_problem(connection, *status, "this key may only read");
		return false;
	}
	return true;
}

/* A JSON answer to a GET, with its ETag; 304 without a body when the
 * client has it already (the dashboard polls this way). */
static enum MHD_Result
respond_json(struct MHD_Connection *connection, const HttpRoute *route, HttpExchange *x, char *body)
{
	if (strcmp(route->method, "GET") != 0 || x->status != 200)
		return respond_with(connection, x->status, "application/json", body, 0,
		                    x->answer_headers);
	g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, body, -1);
	g_autofree char *tag = g_strdup_printf("\"%.32s\"", digest);
	http_route_add_header(x, "ETag", tag);
	const char *known = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (known != NULL && strcmp(known, tag) == 0) {
		g_free(body);
		x->status = 304;
		return respond_with(connection, 304, NULL, NULL, 0, x->answer_headers);
	}
	return respond_with(connection, x->status, "application/json", body, 0, x->answer_headers);
}

/* Answers with what the handler put in @x (taken but its headers). */
static enum MHD_Result
respond_answer(struct MHD_Connection *connection, const HttpRoute *route, HttpExchange *x,
               unsigned *status)
{
	if (x->error != NULL) {
		*status = http_problem_status_of(x->error);
		if (*status == 500)
			g_warning("%s %s: %s", route->method, route->pattern, x->error->message);
		enum MHD_Result result = respond_problem(connection, *status, x->error->message);
		g_clear_error(&x->error);
		json_decref(x->answer);
		g_free(x->answer_json);
		return result;
	}
	*status = x->status;
	if (x->answer_location != NULL || x->answer_bytes != NULL) {
		gsize length = 0;
		const void *data =
		        x->answer_bytes != NULL ? g_bytes_get_data(x->answer_bytes, &length) : NULL;
		struct MHD_Response *response = MHD_create_response_from_buffer(
		        length, data != NULL ? (void *)data : (char *)"", MHD_RESPMEM_MUST_COPY);
		if (x->answer_type != NULL)
			MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
			                        x->answer_type);
		if (x->answer_location != NULL)
			MHD_add_response_header(response, MHD_HTTP_HEADER_LOCATION,
			                        x->answer_location);
		add_headers(response, x->answer_headers);
		if (!has_header(x->answer_headers, "Cache-Control"))
			MHD_add_response_header(response, "Cache-Control", "no-store");
		MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
		enum MHD_Result queued = MHD_queue_response(connection, x->status, response);
		MHD_destroy_response(response);
		g_clear_pointer(&x->answer_bytes, g_bytes_unref);
		g_clear_pointer(&x->answer_location, g_free);
		return queued;
	}
	if (x->status == 204 || x->status == 304)
		return respond_with(connection, x->status, NULL, NULL, 0, x->answer_headers);
	if (x->answer_text != NULL)
		return respond_with(connection, x->status, x->answer_type, x->answer_text, 0,
		                    x->answer_headers);
	g_autofree char *written = x->answer_json;
	char *text =
	        written == NULL && x->answer != NULL ? json_dumps(x->answer, JSON_COMPACT) : NULL;
	json_decref(x->answer);
	if (written == NULL && text == NULL) {
		*status = 500;
		return respond_problem(connection, *status, "the answer could not be written");
	}
	char *body = g_strconcat(written != NULL ? written : text, "\n", NULL);
	free(text);
	enum MHD_Result result = respond_json(connection, route, x, body);
	*status = x->status;
	return result;
}

/* Answers with what the handler put in @x (taken). */
static enum MHD_Result
respond_exchange(struct MHD_Connection *connection, const HttpRoute *route, HttpExchange *x,
                 unsigned *status)
{
	enum MHD_Result result = respond_answer(connection, route, x, status);
	g_clear_pointer(&x->answer_headers, g_ptr_array_unref);
	return result;
}

/* A streamed route, its headers in: the key, the query and the type
 * checked, the stream begun; or the answer that refuses it (queued at
 * once: the body is not read). */
static enum MHD_Result
begin_stream(struct MHD_Connection *connection, HttpServer *server, Request *request)
{
	const HttpRoute *route = request->route;
	unsigned *status = &request->early_status;
	g_autoptr(GError) error = NULL;
	Store *store = store_of_thread(server, &error);
	if (store == NULL) {
		*status = 503;
		return respond_problem(connection, *status, error->message);
	}
	enum MHD_Result answered = MHD_NO;
	g_autoptr(StoreUserSession) session = NULL;
	if (!allowed(connection, server, store, route, &request->key_name, status, &answered,
	             &session))
		return answered;
	g_autoptr(GHashTable) query =
	        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect_query, query);
	if (g_hash_table_contains(query, "")) {
		*status = 400;
		return respond_problem(connection, *status, "the query does not decode");
	}
	const char *type = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_CONTENT_TYPE);
	if (type == NULL ||
	    g_ascii_strncasecmp(type, route->accepts, strlen(route->accepts)) != 0) {
		*status = 415;
		g_autofree char *why = g_strdup_printf("send the body as %s", route->accepts);
		return respond_problem(connection, *status, why);
	}
	HttpExchange x = {.store = store,
	                  .param = (const char *const *)request->params,
	                  .query = query,
	                  .key_name = request->key_name,
	                  .session = session,
	                  .imports = server->imports,
	                  .sign_ins = server->sign_ins,
	                  .now_us = g_get_real_time(),
	                  .status = 200};
	request->stream_state = request->stream->begin(&x);
	if (request->stream_state == NULL)
		return respond_exchange(connection, route, &x, status);
	return MHD_YES;
}

/* Hands the fetch @x asks to record to the recorder, or, without one,
 * writes it here. */
static void
record(HttpServer *server, HttpExchange *x)
{
	AppTrackingFetch *fetch = g_steal_pointer(&x->to_record);
	if (server->recorder != NULL) {
		http_recorder_submit(server->recorder, fetch);
		return;
	}
	g_autoptr(GError) error = NULL;
	if (!app_tracking_record_all(x->store, &fetch, 1, &error))
		g_warning("a fetch of a tracked image or link not recorded: %s", error->message);
	app_tracking_fetch_free(fetch);
}

/* Runs @route's handler and answers. */
static enum MHD_Result
run_route(struct MHD_Connection *connection, HttpServer *server, const HttpRoute *route,
          char **params, Request *request, unsigned *status, char **key_name)
{
	g_autoptr(GError) error = NULL;
	Store *store = store_of_thread(server, &error);
	if (store == NULL) {
		*status = 503;
		return respond_problem(connection, *status, error->message);
	}
	enum MHD_Result answered = MHD_NO;
	g_autoptr(StoreUserSession) session = NULL;
	if (!allowed(connection, server, store, route, key_name, status, &answered, &session))
		return answered;
	g_autoptr(GHashTable) query =
	        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect_query, query);
	if (g_hash_table_contains(query, "")) {
		*status = 400;
		return respond_problem(connection, *status, "the query does not decode");
	}
	HttpExchange x = {
	        .store = store,
	        .param = (const char *const *)params,
	        .query = query,
	        .key_name = *key_name,
	        .session = session,
	        .session_token =
	                MHD_lookup_connection_value(connection, MHD_COOKIE_KIND, SESSION_COOKIE),
	        .forwarded_proto = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                       "X-Forwarded-Proto"),
	        .accept_encoding = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                       MHD_HTTP_HEADER_ACCEPT_ENCODING),
	        .if_none_match = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                     MHD_HTTP_HEADER_IF_NONE_MATCH),
	        .links_key = server->links_key,
	        .ca_file = server->ca_file,
	        .dns_server = server->dns_server,
	        .engine_metrics = server->engine_metrics,
	        .stop_fd = server->stop_pipe[0],
	        .engine_metrics_data = server->engine_metrics_data,
	        .imports = server->imports,
	        .sign_ins = server->sign_ins,
	        .accept_language = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                       MHD_HTTP_HEADER_ACCEPT_LANGUAGE),
	        .user_agent = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                  MHD_HTTP_HEADER_USER_AGENT),
	        .method = route->method,
	        .now_us = g_get_real_time(),
	        .status = 200};
	/* A JSON route reads JSON; a route of another type reads that type
	 * raw; the links' pages read nothing (a one-click POST carries a form). */
	const char *type = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *wanted = route->accepts != NULL ? route->accepts : "application/json";
	if (request->body->len > 0 && wanted[0] != '\0' &&
	    (type == NULL || g_ascii_strncasecmp(type, wanted, strlen(wanted)) != 0)) {
		*status = 415;
		g_autofree char *why = g_strdup_printf("send the body as %s", wanted);
		return respond_problem(connection, *status, why);
	}
	if (route->scope == HTTP_SCOPE_NONE && route->accepts != NULL &&
	    server->links_key == NULL) {
		*status = 503;
		return respond_problem(connection, *status, "this server cannot check links");
	}
	if (route->accepts != NULL) {
		x.raw_body = request->body->str;
		x.raw_length = request->body->len;
	} else if (request->body->len > 0) {
		json_error_t parse;
		x.body = json_loadb(request->body->str, request->body->len, 0, &parse);
		if (x.body == NULL) {
			*status = 400;
			g_autofree char *why =
			        g_strdup_printf("the body is not JSON: %s (line %d, column %d)",
			                        parse.text, parse.line, parse.column);
			return respond_problem(connection, *status, why);
		}
	}
	route->handler(&x);
	if (x.body != NULL)
		json_decref(x.body);
	if (x.to_record != NULL)
		record(server, &x);
	return respond_exchange(connection, route, &x, status);
}

/* The end of a streamed body: the stream's answer. */
static enum MHD_Result
finish_stream(struct MHD_Connection *connection, HttpServer *server, Request *request,
              unsigned *status)
{
	HttpExchange x = {.key_name = request->key_name,
	                  .imports = server->imports,
	                  .sign_ins = server->sign_ins,
	                  .now_us = g_get_real_time(),
	                  .status = 200};
	void *state = request->stream_state;
	request->stream_state = NULL;
	request->stream->finish(state, &x);
	return respond_exchange(connection, request->route, &x, status);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_data_size, void **context)
{
	HttpServer *server = cls;
	Request *request = *context;
	if (request == NULL) {
		/* The first call: the headers are in; the route says how much body
		 * it takes. */
		request = g_new0(Request, 1);
		request->body = g_string_new(NULL);
		request->started_us = g_get_monotonic_time();
		gsize n = 0;
		const HttpRoute *routes = http_api_routes(&n);
		request->route = http_route_match(routes, n, method, url, &request->params,
		                                  &request->status);
		request->max_body = request->route != NULL && request->route->accepts != NULL &&
		                                    request->route->accepts[0] != '\0'
		                            ? server->max_upload
		                            : server->max_body;
		*context = request;
		request->stream = request->route != NULL ? http_api_stream(request->route) : NULL;
		if (request->stream != NULL) {
			enum MHD_Result begun = begin_stream(connection, server, request);
			if (request->stream_state == NULL)
				g_message("%s %s %s: %u (refused before the body)",
				          request->key_name != NULL ? request->key_name : "-",
				          method, request->route->pattern, request->early_status);
			return begun;
		}
		return MHD_YES;
	}
	if (request->stream != NULL) {
		/* Answered already (refused), or the body goes to the stream. */
		if (request->stream_state == NULL) {
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (*upload_data_size > 0) {
			(void)request->stream->feed(request->stream_state, upload_data,
			                            *upload_data_size);
			*upload_data_size = 0;
			return MHD_YES;
		}
		unsigned status = 200;
		enum MHD_Result result = finish_stream(connection, server, request, &status);
		g_message("%s %s %s: %u (%.1f ms)", request->key_name, method,
		          request->route->pattern, status,
		          (double)(g_get_monotonic_time() - request->started_us) / 1000.0);
		return result;
	}
	if (*upload_data_size > 0) {
		if (request->body->len + *upload_data_size > request->max_body)
			request->too_large = true;
		else
			g_string_append_len(request->body, upload_data, (gssize)*upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (request->too_large)
		return respond_problem(connection, 413, NULL);
	const HttpRoute *route = request->route;
	unsigned status = request->status;
	if (route == NULL) {
		g_message("- %s %s: %u", method, status == 404 ? "(no route)" : url, status);
		return respond_problem(connection, status, NULL);
	}
	g_autofree char *key_name = NULL;
	enum MHD_Result result =
	        run_route(connection, server, route, request->params, request, &status, &key_name);
	g_message("%s %s %s: %u (%.1f ms)", key_name != NULL ? key_name : "-", route->method,
	          route->pattern, status,
	          (double)(g_get_monotonic_time() - request->started_us) / 1000.0);
	return result;
}

static void
completed(void *cls, struct MHD_Connection *connection, void **context,
          enum MHD_RequestTerminationCode code)
{
	Request *request = *context;
	if (request == NULL)
		return;
	/* A streamed body that never ended writes nothing. */
	if (request->stream_state != NULL)
		request->stream->abort(request->stream_state);
	g_free(request->key_name);
	g_string_free(request->body, TRUE);
	g_strfreev(request->params);
	g_free(request);
	*context = NULL;
}

/* The URL as sent: each segment is decoded by the router, so "%2F" in a
 * name stays inside its segment. */
static size_t
keep_escaped(void *cls, struct MHD_Connection *connection, char *text)
{
	return strlen(text);
}

/* What @server holds, its daemon stopped (or never started). */
static void
free_server(HttpServer *server)
{
	http_recorder_stop(server->recorder);
	if (server->stop_pipe[0] >= 0) {
		close(server->stop_pipe[0]);
		close(server->stop_pipe[1]);
	}
	/* No request runs now: an import still running is waited for. */
	http_import_registry_free(server->imports);
	http_sign_in_registry_free(server->sign_ins);
	base_seal_key_free(server->links_key);
	g_free(server->ca_file);
	g_free(server->dns_server);
	g_hash_table_unref(server->buckets);
	g_mutex_clear(&server->buckets_lock);
	g_free(server);
}

HttpServer *
http_server_start(Store *store, const HttpServerOptions *options, GError **error)
{
	struct sockaddr_storage address = {0};
	struct sockaddr_in *v4 = (struct sockaddr_in *)&address;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&address;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
	if (inet_pton(AF_INET, options->address, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(options->port);
	} else if (inet_pton(AF_INET6, options->address, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(options->port);
		flags |= MHD_USE_IPv6;
	} else {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "\"%s\" is not an IP address to listen on", options->address);
		return NULL;
	}
	g_autoptr(GError) key_error = NULL;
	BaseSealKey *links_key = engine_links_key(store, &key_error);
	if (links_key == NULL)
		g_warning("the links of messages (one-click unsubscribe) cannot be answered: %s",
		          key_error->message);
	/* Another machine's key would refuse the links the engines signed. */
	if (links_key != NULL && !engine_seal_key_check(store, links_key, error)) {
		base_seal_key_free(links_key);
		return NULL;
	}
	HttpServer *server = g_new0(HttpServer, 1);
	server->store = store;
	server->links_key = links_key;
	server->max_body = options->max_body > 0 ? options->max_body : DEFAULT_MAX_BODY;
	server->max_upload = options->max_upload > 0 ? options->max_upload : DEFAULT_MAX_UPLOAD;
	server->ca_file = g_strdup(options->ca_file);
	server->dns_server = g_strdup(options->dns_server);
	server->engine_metrics = options->engine_metrics;
	server->engine_metrics_data = options->engine_metrics_data;
	server->rate = options->rate_per_minute;
	server->imports = http_import_registry_new();
	server->sign_ins = http_sign_in_registry_new();
	g_mutex_init(&server->buckets_lock);
	g_autoptr(GError) recorder_error = NULL;
	if (server->links_key != NULL &&
	    (server->recorder = http_recorder_start(store, &recorder_error)) == NULL)
		g_warning("each fetch of a tracked image or link is written on its own: %s",
		          recorder_error->message);
	server->buckets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (pipe2(server->stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		server->stop_pipe[0] = -1;
		server->stop_pipe[1] = -1;
	}
	server->daemon = MHD_start_daemon(
	        flags, options->port, NULL, NULL, handle, server, MHD_OPTION_SOCK_ADDR,
	        (struct sockaddr *)&address, MHD_OPTION_THREAD_POOL_SIZE,
	        (unsigned)(options->threads > 0 ? options->threads : DEFAULT_THREADS),
	        MHD_OPTION_CONNECTION_TIMEOUT,
	        (unsigned)(options->timeout_s > 0 ? options->timeout_s : DEFAULT_TIMEOUT_S),
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_NOTIFY_COMPLETED, completed,
	        NULL, MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL, MHD_OPTION_END);
	if (server->daemon == NULL) {
		g_set_error(
		        error, APP_ERROR, APP_ERROR_CONFIG,
		        "cannot listen on %s port %u (in use, or not an address of this machine)",
		        options->address, options->port);
		free_server(server);
		return NULL;
	}
	const union MHD_DaemonInfo *info =
	        MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
	server->port = info != NULL ? info->port : options->port;
	return server;
}

uint16_t
http_server_get_port(const HttpServer *server)
{
	return server->port;
}

void
http_server_stop(HttpServer *server)
{
	if (server == NULL)
		return;
	/* Work in flight that can wait long (a mailbox check) gives up. */
	if (server->stop_pipe[1] >= 0 && write(server->stop_pipe[1], "x", 1) < 0)
		g_debug("the stop pipe is full already");
	/* The daemon first: no fetch is handed over after it; the recorder
	 * then writes what it holds (free_server). */
	MHD_stop_daemon(server->daemon);
	free_server(server);
}
