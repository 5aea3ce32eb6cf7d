/*
 * The HTTP API through a real `piculet serve` on loopback, against the mail
 * lab: keys refused and scoped, a campaign started over HTTP, its openings
 * sent by the engine, a reply read back through the API (replies, the
 * prospect's history, the report), a mailbox paused and resumed, a prospect
 * erased; bad input refused with problem+json and nothing changed; and the
 * OpenAPI document agrees with the routes and with every status seen.
 */
#include "app/app_webhook.h"
#include "engine/engine_links.h"
#include "helpers/test_cli.h"
#include "helpers/test_lab.h"
#include "helpers/test_pg.h"
#include "http/http_api.h"

#include <arpa/inet.h>
#include <microhttpd.h>

#include <curl/curl.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static char *dir;
static char *db_path;
static char *token;
static char *base;          /* http://127.0.0.1:PORT */
static json_t *openapi;     /* the served document */
static GPtrArray *seen;     /* "METHOD PATTERN STATUS" of every answer */
static GPtrArray *answered; /* Answer: what every JSON answer said */

typedef struct {
	char *operation; /* "METHOD PATTERN STATUS" */
	char *type;      /* its Content-Type, parameters left out */
	char *body;
} Answer;

static void
answer_free(Answer *a)
{
	g_free(a->operation);
	g_free(a->type);
	g_free(a->body);
	g_free(a);
}

static void
piculet(TestCliRun *run, const char *const *args)
{
	const char *env[] = {"LAB_PW", test_lab_get()->password, NULL};
	test_cli_run_with_db(run, db_path, env, args);
}

static char *
piculet_ok(const char *const *args)
{
	g_auto(TestCliRun) run = {0};
	piculet(&run, args);
	if (run.status != 0)
		g_error("piculet %s %s: exit %d: %s", args[0], args[1] != NULL ? args[1] : "",
		        run.status, run.err);
	return g_strdup(run.out);
}

static size_t
collect(char *data, size_t size, size_t n, void *user_data)
{
	g_string_append_len(user_data, data, (gssize)(size * n));
	return size * n;
}

/* One request to @url with @header (or NULL) and @body (JSON when
 * @json, else a form as `curl -d` sends it); the answer's body, *@status
 * its status. */
static char *
fetch_with(const char *method, const char *url, const char *const *header, const char *body,
           gsize length, bool json, long *status, GString *head)
{
	CURL *curl = curl_easy_init();
	GString *answer = g_string_new(NULL);
	struct curl_slist *headers = NULL;
	for (gsize i = 0; header != NULL && header[i] != NULL; i++)
		headers = curl_slist_append(headers, header[i]);
	if (head != NULL) {
		curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
		curl_easy_setopt(curl, CURLOPT_HEADERDATA, head);
	}
	if (body != NULL) {
		if (json)
			headers = curl_slist_append(headers, "Content-Type: application/json");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)length);
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	CURLcode rc = curl_easy_perform(curl);
	if (rc != CURLE_OK)
		g_error("%s %s: %s", method, url, curl_easy_strerror(rc));
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	char *content_type = NULL;
	curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &content_type);
	g_autofree char *type =
	        content_type != NULL ? g_strndup(content_type, strcspn(content_type, ";")) : NULL;
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	/* Which route answered, for the document's check. */
	const char *path = strstr(url + strlen("http://"), "/");
	gsize n = 0;
	const HttpRoute *routes = http_api_routes(&n);
	g_autofree char *raw_path = g_strndup(path, strcspn(path, "?"));
	g_auto(GStrv) params = NULL;
	unsigned why = 0;
	const HttpRoute *route = http_route_match(routes, n, method, raw_path, &params, &why);
	if (route != NULL) {
		g_ptr_array_add(
		        seen, g_strdup_printf("%s %s %ld", route->method, route->pattern, *status));
		if (type != NULL && g_str_has_suffix(type, "json")) {
			Answer *a = g_new0(Answer, 1);
			a->operation = g_strdup(seen->pdata[seen->len - 1]);
			a->type = g_strdup(type);
			a->body = g_strdup(answer->str);
			g_ptr_array_add(answered, a);
		}
	}
	return g_string_free(answer, FALSE);
}

static char *
fetch(const char *method, const char *url, const char *header, const char *body, gsize length,
      bool json, long *status)
{
	const char *headers[] = {header, NULL};
	return fetch_with(method, url, headers, body, length, json, status, NULL);
}

/* One request to the API at @path with @key (or none). */
static char *
request(const char *method, const char *path, const char *key, const char *body, gsize length,
        long *status)
{
	g_autofree char *url = g_strconcat(base, path, NULL);
	g_autofree char *authorization =
	        key != NULL ? g_strconcat("Authorization: Bearer ", key, NULL) : NULL;
	return fetch(method, url, authorization, body, length, true, status);
}

/* A request with a JSON @body (or none) whose answer must have status
 * @expected; the answer parsed (NULL for 204). */
static json_t *
send_json(const char *method, const char *path, const char *key, const char *json, long expected)
{
	long status = 0;
	g_autofree char *body =
	        request(method, path, key, json, json != NULL ? strlen(json) : 0, &status);
	if (status != expected)
		g_error("%s %s: %ld, expected %ld: %s", method, path, status, expected, body);
	json_error_t error;
	json_t *value = json_loads(body, 0, &error);
	if (value == NULL && expected != 204)
		g_error("%s %s: not JSON: %s", method, path, body);
	return value;
}

static json_t *
request_json(const char *method, const char *path, const char *key, long expected)
{
	return send_json(method, path, key, NULL, expected);
}

static void
die_with_parent(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* `piculet serve` on @db with --rate-limit @rate_limit and --timeout
 * @timeout (seconds). */
static GSubprocess *
start_serve_timed(const char *db, const char *rate_limit, const char *timeout)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	const char *bin = g_getenv("PICULET_BIN");
	const TestLab *lab = test_lab_get();
	g_subprocess_launcher_setenv(launcher, "PICULET_DNS_SERVER", lab->dns_server, TRUE);
	/* Alice's password, for the answers sent through her mailbox. */
	g_subprocess_launcher_setenv(launcher, "LAB_PW", lab->password, TRUE);
	/* Refused deliveries are tried again after a second, not thirty. */
	const char *argv[] = {bin,
	                      "serve",
	                      "--listen",
	                      "127.0.0.1:0",
	                      "--ca-file",
	                      lab->ca_file,
	                      "--db",
	                      db,
	                      "--webhook-retry",
	                      "1",
	                      "--rate-limit",
	                      rate_limit,
	                      "--timeout",
	                      timeout,
	                      NULL};
	GSubprocess *child = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	int fd = g_unix_input_stream_get_fd(
	        G_UNIX_INPUT_STREAM(g_subprocess_get_stdout_pipe(child)));
	g_autoptr(GString) out = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, out, "/api/v1\n", 10000));
	const char *url = strstr(out->str, "http://");
	g_assert_nonnull(url);
	/* "http://127.0.0.1:PORT/api/v1": the paths below start at /api/v1. */
	base = g_strndup(url, strcspn(url, "\n") - strlen("/api/v1"));
	return child;
}

static GSubprocess *
start_serve_with(const char *db, const char *rate_limit)
{
	return start_serve_timed(db, rate_limit, "30");
}

static GSubprocess *
start_serve(void)
{
	return start_serve_with(db_path, "600");
}

static const char campaign_file[] =
        "name: Main\n"
        "mailboxes: [alice@sender.test]\n"
        "timezone: UTC\n"
        "window: daily 08:00-18:00\ndomain_caps: off\n"
        "interval: 0s\n"
        "policies:\n"
        "  list_unsubscribe: true\n"
        "tracking_domain: BASE\n"
        "track_opens: true\n"
        "track_clicks: true\n"
        "steps:\n"
        "  - subject: \"API question for {{first_name}} (TOKEN)\"\n"
        "    body: \"Hi {{first_name}}, a question over the API. TOKEN See "
        "https://example.test/pricing?plan=team.\"\n"
        "  - delay: 2d\n"
        "    body: \"Bumping this, {{first_name}}. TOKEN\"\n";

static void
set_up_store(char **write_key, char **read_key)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", lab->submission_port);
	g_autofree char *imap = g_strdup_printf("127.0.0.1:%u", lab->imaps_port);
	const char *add[] = {"mailbox", "add", "alice@sender.test", "--smtp", smtp,
	                     "--imap",  imap,  "--password-env",    "LAB_PW", NULL};
	g_free(piculet_ok(add));
	g_auto(GStrv) parts = g_strsplit(campaign_file, "TOKEN", -1);
	g_autofree char *marked = g_strjoinv(token, parts);
	/* The links in its messages lead to this test's piculet serve. */
	g_auto(GStrv) halves = g_strsplit(marked, "BASE", -1);
	g_autofree char *text = g_strjoinv(base, halves);
	g_autofree char *yaml = g_build_filename(dir, "main.yaml", NULL);
	g_assert_true(g_file_set_contents(yaml, text, -1, NULL));
	const char *create[] = {"campaign", "create", yaml, NULL};
	g_free(piculet_ok(create));
	g_autofree char *csv = g_build_filename(dir, "p.csv", NULL);
	g_assert_true(g_file_set_contents(csv,
	                                  "email,first_name\nsybil@prospect.test,Sybil\n"
	                                  "trent@prospect.test,Trent\n",
	                                  -1, NULL));
	const char *import[] = {"prospects", "import", csv, "--campaign", "Main", NULL};
	g_free(piculet_ok(import));
	const char *make_write[] = {"apikey", "create", "crm", NULL};
	const char *make_read[] = {"apikey", "create", "board", "--scope", "read", NULL};
	g_autofree char *w = piculet_ok(make_write);
	g_autofree char *r = piculet_ok(make_read);
	*write_key = g_strstrip(g_strdup(w));
	*read_key = g_strstrip(g_strdup(r));
	g_assert_true(g_str_has_prefix(*write_key, "pk_"));
}

static char *
tick(const char *now)
{
	const char *args[] = {"tick", "--now",  now,         "--seed",
	                      "3",    "--json", "--ca-file", test_lab_get()->ca_file,
	                      NULL};
	return piculet_ok(args);
}

/* Every route is in the document with its method, and nothing else is. */
static void
check_document_has_the_routes(void)
{
	json_t *paths = json_object_get(openapi, "paths");
	g_assert_nonnull(paths);
	gsize n = 0;
	const HttpRoute *routes = http_api_routes(&n);
	gsize operations = 0;
	const char *path;
	json_t *item;
	json_object_foreach(paths, path, item) operations += json_object_size(item);
	g_assert_cmpuint(operations, ==, n);
	for (gsize i = 0; i < n; i++) {
		g_autofree char *method = g_ascii_strdown(routes[i].method, -1);
		json_t *operation =
		        json_object_get(json_object_get(paths, routes[i].pattern), method);
		if (operation == NULL)
			g_error("%s %s is not in openapi.json", routes[i].method,
			        routes[i].pattern);
		const char *scope = json_string_value(json_object_get(operation, "x-scope"));
		static const char *const scopes[] = {"none", "read", "write", "owner"};
		g_assert_cmpstr(scope, ==, scopes[routes[i].scope]);
	}
}

/* The schema @ref ("#/components/...") points to in the document. */
static json_t *
resolve(json_t *schema)
{
	for (int depth = 0; depth < 8; depth++) {
		const char *ref = json_string_value(json_object_get(schema, "$ref"));
		if (ref == NULL)
			return schema;
		g_assert_true(g_str_has_prefix(ref, "#/"));
		g_auto(GStrv) parts = g_strsplit(ref + 2, "/", -1);
		json_t *at = openapi;
		for (gsize i = 0; parts[i] != NULL; i++)
			at = json_object_get(at, parts[i]);
		if (at == NULL)
			g_error("openapi.json: %s leads nowhere", ref);
		schema = at;
	}
	g_error("openapi.json: $ref loops");
}

static bool
is_type(json_t *value, const char *type)
{
	return (strcmp(type, "string") == 0 && json_is_string(value)) ||
	       (strcmp(type, "integer") == 0 && json_is_integer(value)) ||
	       (strcmp(type, "number") == 0 && json_is_number(value)) ||
	       (strcmp(type, "boolean") == 0 && json_is_boolean(value)) ||
	       (strcmp(type, "object") == 0 && json_is_object(value)) ||
	       (strcmp(type, "array") == 0 && json_is_array(value)) ||
	       (strcmp(type, "null") == 0 && json_is_null(value));
}

/* Whether @value is what @schema says (the part of JSON Schema the
 * document uses: type, enum, properties, required, additionalProperties,
 * items, allOf, $ref); else *@why says where and what. */
static bool
conforms(json_t *schema, json_t *value, const char *where, char **why)
{
	schema = resolve(schema);
	json_t *all = json_object_get(schema, "allOf");
	for (size_t i = 0; i < json_array_size(all); i++)
		if (!conforms(json_array_get(all, i), value, where, why))
			return false;
	json_t *type = json_object_get(schema, "type");
	if (json_is_string(type) && !is_type(value, json_string_value(type))) {
		*why = g_strdup_printf("%s: not %s", where, json_string_value(type));
		return false;
	}
	if (json_is_array(type)) {
		bool any = false;
		for (size_t i = 0; i < json_array_size(type) && !any; i++)
			any = is_type(value, json_string_value(json_array_get(type, i)));
		if (!any) {
			*why = g_strdup_printf("%s: none of its types", where);
			return false;
		}
	}
	json_t *options = json_object_get(schema, "enum");
	if (options != NULL && !json_is_null(value)) {
		bool any = false;
		for (size_t i = 0; i < json_array_size(options) && !any; i++)
			any = json_equal(json_array_get(options, i), value);
		if (!any) {
			*why = g_strdup_printf("%s: not one of its enum", where);
			return false;
		}
	}
	if (json_is_object(value)) {
		json_t *required = json_object_get(schema, "required");
		for (size_t i = 0; i < json_array_size(required); i++) {
			const char *name = json_string_value(json_array_get(required, i));
			if (json_object_get(value, name) == NULL) {
				*why = g_strdup_printf("%s: %s is missing", where, name);
				return false;
			}
		}
		json_t *properties = json_object_get(schema, "properties");
		json_t *more = json_object_get(schema, "additionalProperties");
		const char *name;
		json_t *member;
		json_object_foreach(value, name, member)
		{
			g_autofree char *inner = g_strdup_printf("%s.%s", where, name);
			json_t *property = json_object_get(properties, name);
			if (property == NULL && json_is_object(more))
				property = more;
			if (property == NULL && json_is_false(more)) {
				*why = g_strdup_printf("%s: not allowed", inner);
				return false;
			}
			if (property != NULL && !conforms(property, member, inner, why))
				return false;
		}
	}
	json_t *items = json_object_get(schema, "items");
	if (json_is_array(value) && items != NULL)
		for (size_t i = 0; i < json_array_size(value); i++) {
			g_autofree char *inner = g_strdup_printf("%s[%zu]", where, i);
			if (!conforms(items, json_array_get(value, i), inner, why))
				return false;
		}
	return true;
}

/* Every JSON answer of this test is what the document says of its route,
 * status and type. */
static void
check_document_has_the_bodies(void)
{
	json_t *paths = json_object_get(openapi, "paths");
	g_test_message("%u JSON answers checked against the document", answered->len);
	for (guint i = 0; i < answered->len; i++) {
		const Answer *a = answered->pdata[i];
		g_auto(GStrv) parts = g_strsplit(a->operation, " ", 3);
		g_autofree char *method = g_ascii_strdown(parts[0], -1);
		json_t *response = resolve(json_object_get(
		        json_object_get(json_object_get(json_object_get(paths, parts[1]), method),
		                        "responses"),
		        parts[2]));
		json_t *schema = json_object_get(
		        json_object_get(json_object_get(response, "content"), a->type), "schema");
		if (schema == NULL)
			g_error("%s answered %s, which openapi.json does not say", a->operation,
			        a->type);
		json_error_t problem;
		json_t *body = json_loads(a->body, JSON_DECODE_ANY, &problem);
		if (body == NULL)
			g_error("%s: not JSON: %s", a->operation, a->body);
		g_autofree char *why = NULL;
		if (!conforms(schema, body, "answer", &why))
			g_error("%s (%s): %s\n%s", a->operation, a->type, why, a->body);
		json_decref(body);
	}
}

/* Every status a route answered in this test is among its documented
 * responses. */
static void
check_document_has_the_statuses(void)
{
	json_t *paths = json_object_get(openapi, "paths");
	for (guint i = 0; i < seen->len; i++) {
		g_auto(GStrv) parts = g_strsplit(seen->pdata[i], " ", 3);
		g_autofree char *method = g_ascii_strdown(parts[0], -1);
		json_t *responses = json_object_get(
		        json_object_get(json_object_get(paths, parts[1]), method), "responses");
		if (json_object_get(responses, parts[2]) == NULL)
			g_error("%s answered %s, which openapi.json does not list",
			        (char *)seen->pdata[i], parts[2]);
	}
}

/* A webhook receiver of the test's own: it answers 500 to its first two
 * requests, then 200, and keeps what it got. */
typedef struct {
	GMutex lock;
	GCond got;
	GPtrArray *requests; /* Received */
	guint answered;
	guint refuse;   /* the first this many requests get a 500 */
	guint delay_ms; /* a slow receiver: each answer this late */
	struct MHD_Daemon *daemon;
	char *url;
} Receiver;

typedef struct {
	char *id;
	char *timestamp;
	char *signature;
	char *body;
	unsigned status;
} Received;

static void
received_free(Received *r)
{
	g_free(r->id);
	g_free(r->timestamp);
	g_free(r->signature);
	g_free(r->body);
	g_free(r);
}

static enum MHD_Result
receive(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
        const char *version, const char *upload, size_t *upload_size, void **context)
{
	Receiver *receiver = cls;
	GString *body = *context;
	if (body == NULL) {
		*context = g_string_new(NULL);
		return MHD_YES;
	}
	if (*upload_size > 0) {
		g_string_append_len(body, upload, (gssize)*upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	Received *r = g_new0(Received, 1);
	r->id = g_strdup(MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "webhook-id"));
	r->timestamp = g_strdup(
	        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "webhook-timestamp"));
	r->signature = g_strdup(
	        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "webhook-signature"));
	r->body = g_string_free(body, FALSE);
	*context = NULL;
	g_mutex_lock(&receiver->lock);
	r->status = receiver->answered++ < receiver->refuse ? 500 : 200;
	unsigned status = r->status;
	g_ptr_array_add(receiver->requests, r);
	g_cond_broadcast(&receiver->got);
	guint delay_ms = receiver->delay_ms;
	g_mutex_unlock(&receiver->lock);
	/* A fault the test makes, not a wait for something to happen. */
	if (delay_ms > 0)
		g_usleep((gulong)delay_ms * 1000);
	struct MHD_Response *response =
	        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	enum MHD_Result queued = MHD_queue_response(connection, status, response);
	MHD_destroy_response(response);
	return queued;
}

static void
receiver_start(Receiver *receiver, guint refuse)
{
	receiver->refuse = refuse;
	g_mutex_init(&receiver->lock);
	g_cond_init(&receiver->got);
	receiver->requests = g_ptr_array_new_with_free_func((GDestroyNotify)received_free);
	struct sockaddr_in address = {.sin_family = AF_INET,
	                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	receiver->daemon =
	        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, receive, receiver,
	                         MHD_OPTION_SOCK_ADDR, &address, MHD_OPTION_END);
	g_assert_nonnull(receiver->daemon);
	const union MHD_DaemonInfo *info =
	        MHD_get_daemon_info(receiver->daemon, MHD_DAEMON_INFO_BIND_PORT);
	receiver->url = g_strdup_printf("http://127.0.0.1:%u/hook", info->port);
}

static void
receiver_stop(Receiver *receiver)
{
	MHD_stop_daemon(receiver->daemon);
	g_ptr_array_unref(receiver->requests);
	g_free(receiver->url);
	g_mutex_clear(&receiver->lock);
	g_cond_clear(&receiver->got);
}

/* How many deliveries of @type the receiver took (2xx). */
static guint
taken(Receiver *receiver, const char *type)
{
	g_autofree char *needle = g_strdup_printf("\"type\":\"%s\"", type);
	guint n = 0;
	for (guint i = 0; i < receiver->requests->len; i++) {
		const Received *r = receiver->requests->pdata[i];
		n += r->status == 200 && strstr(r->body, needle) != NULL;
	}
	return n;
}

/* Waits (at most 60 s) until the receiver took @count of @type. */
static void
wait_for_taken(Receiver *receiver, const char *type, guint count)
{
	gint64 until = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
	g_mutex_lock(&receiver->lock);
	while (taken(receiver, type) < count)
		if (!g_cond_wait_until(&receiver->got, &receiver->lock, until))
			g_error("the receiver never took %u of %s", count, type);
	g_mutex_unlock(&receiver->lock);
}

/* What the receiver got checks out against @secret: every signature, the
 * same id again after a 500, the events in the order written. */
static void
check_deliveries(Receiver *receiver, const char *secret)
{
	g_mutex_lock(&receiver->lock);
	g_autoptr(BaseSecret) key = base_secret_new(secret, -1);
	int64_t last_event = 0;
	for (guint i = 0; i < receiver->requests->len; i++) {
		const Received *r = receiver->requests->pdata[i];
		gint64 timestamp = g_ascii_strtoll(r->timestamp, NULL, 10);
		g_autofree char *expected = app_webhook_sign(key, r->id, timestamp, r->body);
		g_assert_cmpstr(r->signature, ==, expected);
		if (r->status != 200)
			continue;
		json_t *payload = json_loads(r->body, 0, NULL);
		g_assert_nonnull(payload);
		json_int_t event = json_integer_value(
		        json_object_get(json_object_get(payload, "data"), "event_id"));
		g_assert_cmpint(event, >, last_event);
		last_event = event;
		json_decref(payload);
	}
	/* The first answer was a 500: the same delivery came again. */
	const Received *first = receiver->requests->pdata[0];
	const Received *second = receiver->requests->pdata[1];
	const Received *third = receiver->requests->pdata[2];
	g_assert_cmpuint(first->status, ==, 500);
	g_assert_cmpstr(first->id, ==, second->id);
	g_assert_cmpstr(second->id, ==, third->id);
	g_assert_cmpuint(third->status, ==, 200);
	g_mutex_unlock(&receiver->lock);
}

/* A campaign written over HTTP, prospects uploaded as CSV and paged,
 * one person's export, the event feed, the blacklist, a mailbox added,
 * checked against the lab, changed and removed. */
/* The tracked campaign's opening as Sybil got it: an HTML part whose link
 * and image lead to this server; a browser's fetches count, a proxy's and
 * a HEAD do not; the link goes only where the message pointed. */
#define OPENS_AT_ONCE 12

/* The kinds of @events (an array of events) joined by spaces; freed with
 * the test. */
static const char *
kinds_of(json_t *events)
{
	GString *text = g_string_new(NULL);
	for (gsize i = 0; i < json_array_size(events); i++)
		g_string_append_printf(
		        text, "%s%s", i > 0 ? " " : "",
		        json_string_value(json_object_get(json_array_get(events, i), "kind")));
	char *joined = g_string_free(text, FALSE);
	g_test_queue_free(joined);
	return joined;
}

/* @kinds joined by spaces, with "open" there OPENS_AT_ONCE times (the
 * opens of check_tracking); freed with the test. */
static const char *
kinds_with_opens(const char *const *kinds, gsize n)
{
	GString *text = g_string_new(NULL);
	for (gsize i = 0; i < n; i++)
		for (guint times = strcmp(kinds[i], "open") == 0 ? OPENS_AT_ONCE : 1; times > 0;
		     times--)
			g_string_append_printf(text, "%s%s", text->len > 0 ? " " : "", kinds[i]);
	char *joined = g_string_free(text, FALSE);
	g_test_queue_free(joined);
	return joined;
}

/* @url fetched by @n clients at once with header @header: how many got
 * the GIF. */
static guint
fetch_image_at_once(const char *url, const char *header, guint n)
{
	CURLM *multi = curl_multi_init();
	struct curl_slist *headers = curl_slist_append(NULL, header);
	CURL *each[OPENS_AT_ONCE];
	GString *answers[OPENS_AT_ONCE];
	g_assert_cmpuint(n, <=, OPENS_AT_ONCE);
	for (guint i = 0; i < n; i++) {
		each[i] = curl_easy_init();
		answers[i] = g_string_new(NULL);
		curl_easy_setopt(each[i], CURLOPT_URL, url);
		curl_easy_setopt(each[i], CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(each[i], CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(each[i], CURLOPT_WRITEDATA, answers[i]);
		curl_easy_setopt(each[i], CURLOPT_TIMEOUT, 20L);
		curl_multi_add_handle(multi, each[i]);
	}
	int running = 1;
	while (running > 0) {
		g_assert_cmpint(curl_multi_perform(multi, &running), ==, CURLM_OK);
		if (running > 0)
			g_assert_cmpint(curl_multi_poll(multi, NULL, 0, 1000, NULL), ==, CURLM_OK);
	}
	guint images = 0;
	for (guint i = 0; i < n; i++) {
		long status = 0;
		curl_easy_getinfo(each[i], CURLINFO_RESPONSE_CODE, &status);
		if (status == 200 && g_str_has_prefix(answers[i]->str, "GIF89a"))
			images++;
		curl_multi_remove_handle(multi, each[i]);
		curl_easy_cleanup(each[i]);
		g_string_free(answers[i], TRUE);
	}
	curl_slist_free_all(headers);
	curl_multi_cleanup(multi);
	return images;
}

static void
check_tracking(GBytes *opening, const char *read_key, Receiver *receiver)
{
	g_autofree char *message =
	        g_strndup(g_bytes_get_data(opening, NULL), g_bytes_get_size(opening));
	g_assert_nonnull(strstr(message, "multipart/alternative"));
	g_assert_nonnull(strstr(message, "Content-Type: text/html"));
	/* The text part keeps the link as written. */
	g_assert_nonnull(strstr(message, "See https://example.test/pricing?plan=team."));
	g_autofree char *image_prefix = g_strdup_printf("%s/o/", base);
	g_autofree char *link_prefix = g_strdup_printf("%s/c/", base);
	/* Quoted-printable may fold the HTML's long lines: read it unfolded. */
	g_autoptr(GString) unfolded = g_string_new(NULL);
	for (const char *c = message; *c != '\0'; c++) {
		if (c[0] == '=' && c[1] == '\r' && c[2] == '\n') {
			c += 2;
			continue;
		}
		if (c[0] == '=' && c[1] == '3' && c[2] == 'D') {
			g_string_append_c(unfolded, '=');
			c += 2;
			continue;
		}
		g_string_append_c(unfolded, *c);
	}
	const char *image = strstr(unfolded->str, image_prefix);
	const char *link = strstr(unfolded->str, link_prefix);
	g_assert_nonnull(image);
	g_assert_nonnull(link);
	g_autofree char *image_path =
	        g_strndup(image + strlen(base), strcspn(image + strlen(base), "\""));
	g_autofree char *link_path =
	        g_strndup(link + strlen(base), strcspn(link + strlen(base), "\""));
	g_autofree char *image_url = g_strconcat(base, image_path, NULL);
	g_autofree char *link_url = g_strconcat(base, link_path, NULL);
	static const char browser[] = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) "
	                              "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
	                              "Safari/537.36";
	long status = 0;
	g_autofree char *proxied = fetch("GET", image_url,
	                                 "User-Agent: Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko "
	                                 "Firefox/11.0 (via ggpht.com GoogleImageProxy)",
	                                 NULL, 0, false, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_true(g_str_has_prefix(proxied, "GIF89a"));
	/* The reader's client fetches it on several connections at once (the
	 * server writes them together): each answered, each recorded. */
	g_assert_cmpuint(fetch_image_at_once(image_url, browser, OPENS_AT_ONCE), ==, OPENS_AT_ONCE);
	g_ptr_array_add(seen, g_strdup("GET /o/{token} 200"));
	/* A link checker's HEAD, then the reader. */
	CURL *curl = curl_easy_init();
	curl_easy_setopt(curl, CURLOPT_URL, link_url);
	curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	g_assert_cmpint(curl_easy_perform(curl), ==, CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	g_assert_cmpint(status, ==, 302);
	struct curl_slist *headers = curl_slist_append(NULL, browser);
	curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	g_autoptr(GString) ignored = g_string_new(NULL);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, ignored);
	g_assert_cmpint(curl_easy_perform(curl), ==, CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	g_assert_cmpint(status, ==, 302);
	char *location = NULL;
	curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
	g_assert_cmpstr(location, ==, "https://example.test/pricing?plan=team");
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	g_ptr_array_add(seen, g_strdup("HEAD /c/{token} 302"));
	g_ptr_array_add(seen, g_strdup("GET /c/{token} 302"));
	/* A token changed anywhere is not ours. */
	g_autofree char *forged = g_strdup(link_url);
	gsize last = strlen(forged) - 3;
	forged[last] = forged[last] == 'A' ? 'B' : 'A';
	g_autofree char *refused = fetch("GET", forged, browser, NULL, 0, false, &status);
	g_assert_cmpint(status, ==, 404);
	g_assert_nonnull(strstr(refused, "not one of ours"));

	/* The fetches are written after they are answered, in the order they
	 * came: once the last one (the click) is announced, all are written. */
	wait_for_taken(receiver, "message.opened", OPENS_AT_ONCE);
	wait_for_taken(receiver, "link.clicked", 1);
	/* Opens and one click of a person; the proxy and the HEAD kept apart. */
	json_t *report = request_json("GET", "/api/v1/campaigns/Main/report", read_key, 200);
	json_t *first = json_array_get(json_object_get(report, "steps"), 0);
	g_assert_cmpint(json_integer_value(json_object_get(first, "opened")), ==, 1);
	g_assert_cmpint(json_integer_value(json_object_get(first, "clicked")), ==, 1);
	json_decref(report);
	json_t *events = request_json("GET", "/api/v1/events?limit=500", read_key, 200);
	g_autofree char *listed = json_dumps(events, 0);
	g_assert_nonnull(strstr(listed, "Gmail's image proxy"));
	guint opens = 0;
	for (gsize i = 0; i < json_array_size(json_object_get(events, "events")); i++)
		opens += g_strcmp0(json_string_value(json_object_get(
		                           json_array_get(json_object_get(events, "events"), i),
		                           "kind")),
		                   "open") == 0;
	g_assert_cmpuint(opens, ==, OPENS_AT_ONCE);
	g_assert_nonnull(strstr(listed, "a HEAD request"));
	json_decref(events);
}

static void
test_more_routes(const char *key, const char *read_key)
{
	const TestLab *lab = test_lab_get();
	long status = 0;
	/* A campaign from its file; a replacement must keep its name. */
	static const char side[] =
	        "{\"definition\": \"name: Side\\nmailboxes: [alice@sender.test]"
	        "\\nsteps:\\n  - subject: Hi\\n    body: Hello {{first_name}}\\n\"}";
	json_t *created = send_json("POST", "/api/v1/campaigns", key, side, 201);
	g_assert_cmpstr(json_string_value(json_object_get(created, "state")), ==, "draft");
	json_decref(created);
	json_decref(send_json("POST", "/api/v1/campaigns", key, side, 422));
	json_decref(send_json("PUT", "/api/v1/campaigns/Main", key, side, 422));
	json_decref(send_json("PUT", "/api/v1/campaigns/Side", key, side, 200));
	json_decref(send_json("POST", "/api/v1/campaigns", key, "{\"definition\": 7}", 422));
	json_decref(send_json("POST", "/api/v1/campaigns", key, "[1, 2]", 422));

	/* Prospects uploaded into it; a bad row names its line, nothing kept. */
	g_autofree char *import_url =
	        g_strconcat(base, "/api/v1/prospects/import?campaign=Side", NULL);
	g_autofree char *bearer = g_strconcat("Authorization: Bearer ", key, NULL);
	CURL *curl = curl_easy_init();
	struct curl_slist *headers = curl_slist_append(NULL, bearer);
	headers = curl_slist_append(headers, "Content-Type: text/csv");
	static const char *const uploads[] = {"email,first_name\numa@prospect.test,Uma\n"
	                                      "not-an-address,Nobody\n",
	                                      "email,first_name\numa@prospect.test,Uma\n"
	                                      "victor@prospect.test,Victor\n"};
	for (gsize i = 0; i < G_N_ELEMENTS(uploads); i++) {
		GString *answer = g_string_new(NULL);
		curl_easy_setopt(curl, CURLOPT_URL, import_url);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, uploads[i]);
		curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
		g_assert_cmpint(curl_easy_perform(curl), ==, CURLE_OK);
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
		g_ptr_array_add(seen, g_strdup_printf("POST /api/v1/prospects/import %ld", status));
		g_autofree char *text = g_string_free(answer, FALSE);
		if (i == 0) {
			g_assert_cmpint(status, ==, 422);
			g_assert_nonnull(strstr(text, "upload:3:"));
			json_decref(request_json("GET", "/api/v1/prospects/uma%40prospect.test",
			                         read_key, 404));
		} else {
			g_assert_cmpint(status, ==, 200);
			g_assert_nonnull(strstr(text, "\"imported\":2"));
			g_assert_nonnull(strstr(text, "\"enrolled\":2"));
		}
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	g_autofree char *as_json =
	        request("POST", "/api/v1/prospects/import", key, "{}", 2, &status);
	g_assert_cmpint(status, ==, 415);
	g_assert_nonnull(strstr(as_json, "text/csv"));

	/* A file's columns before its import, then the import with a column
	 * mapping: another name made first_name, a column left out. */
	const char *csv_headers[] = {bearer, "Content-Type: text/csv", NULL};
	static const char german[] = "E-Mail;Vorname;Notiz\nwanda@prospect.test;Wanda;ruft an\n"
	                             "xena@prospect.test;Xena;\"cut";
	g_autofree char *peek_url = g_strconcat(base, "/api/v1/imports/columns", NULL);
	g_autofree char *peeked = fetch_with("POST", peek_url, csv_headers, german, strlen(german),
	                                     false, &status, NULL);
	g_assert_cmpint(status, ==, 200);
	json_error_t parse_error;
	json_t *peek = json_loads(peeked, 0, &parse_error);
	g_assert_cmpstr(json_string_value(json_object_get(peek, "delimiter")), ==, ";");
	json_t *peek_columns = json_object_get(peek, "columns");
	g_assert_cmpuint(json_array_size(peek_columns), ==, 3);
	json_t *first_column = json_array_get(peek_columns, 0);
	json_t *second_column = json_array_get(peek_columns, 1);
	g_assert_cmpstr(json_string_value(json_object_get(first_column, "header")), ==, "E-Mail");
	g_assert_cmpstr(json_string_value(json_object_get(first_column, "meaning")), ==, "email");
	g_assert_true(json_is_null(json_object_get(second_column, "meaning")));
	json_t *samples = json_object_get(second_column, "samples");
	g_assert_cmpuint(json_array_size(samples), ==, 1);
	g_assert_cmpstr(json_string_value(json_array_get(samples, 0)), ==, "Wanda");
	json_decref(peek);
	g_autofree char *not_csv =
	        fetch_with("POST", peek_url, csv_headers, "a,\"b\"c\n", 7, false, &status, NULL);
	g_assert_cmpint(status, ==, 422);
	g_assert_nonnull(strstr(not_csv, "line 1: "));
	g_autofree char *mapping =
	        g_uri_escape_string("{\"Vorname\": \"first_name\", \"Notiz\": \"\"}", NULL, FALSE);
	g_autofree char *mapped_url =
	        g_strconcat(base, "/api/v1/prospects/import?columns=", mapping, NULL);
	static const char whole_german[] =
	        "E-Mail;Vorname;Notiz\nwanda@prospect.test;Wanda;ruft an\n";
	g_autofree char *mapped = fetch_with("POST", mapped_url, csv_headers, whole_german,
	                                     strlen(whole_german), false, &status, NULL);
	g_assert_cmpint(status, ==, 200);
	g_assert_nonnull(strstr(mapped, "\"imported\":1"));
	json_t *wanda =
	        request_json("GET", "/api/v1/prospects/wanda%40prospect.test", read_key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(wanda, "first_name")), ==, "Wanda");
	g_assert_cmpuint(json_object_size(json_object_get(wanda, "fields")), ==, 0);
	json_decref(wanda);
	/* A mapping for another file, and one that is no mapping. */
	g_autofree char *elsewhere =
	        g_uri_escape_string("{\"Nachname\": \"last_name\"}", NULL, FALSE);
	g_autofree char *elsewhere_url =
	        g_strconcat(base, "/api/v1/prospects/import?columns=", elsewhere, NULL);
	g_autofree char *refused = fetch_with("POST", elsewhere_url, csv_headers, whole_german,
	                                      strlen(whole_german), false, &status, NULL);
	g_assert_cmpint(status, ==, 422);
	g_assert_nonnull(strstr(refused, "the column mapping names \\\"nachname\\\""));
	g_autofree char *listed_url =
	        g_strconcat(base, "/api/v1/prospects/import?columns=%5B1%5D", NULL);
	g_autofree char *no_mapping = fetch_with("POST", listed_url, csv_headers, whole_german,
	                                         strlen(whole_german), false, &status, NULL);
	g_assert_cmpint(status, ==, 422);
	g_assert_nonnull(strstr(no_mapping, "columns: a JSON object"));

	/* What a draft's templates ask of the prospects: each field with its
	 * steps and how many lack it, the spintax with its alternatives;
	 * counted over the campaign's enrolled prospects when it names one. */
	static const char asks[] =
	        "{\"definition\": \"name: Draft\\nmailboxes: [alice@sender.test]\\nsteps:\\n"
	        "  - subject: '{{spin: Hi|Hello}} {{first_name}}'\\n"
	        "    body: 'From {{sender.first_name}} to {{company|your team}}'\\n"
	        "  - delay: 2d\\n    body: 'As a {{favourite_colour}}, {{first_name}}?'\\n\"";
	g_autofree char *asks_all = g_strconcat(asks, "}", NULL);
	json_t *fields = send_json("POST", "/api/v1/campaigns/fields", read_key, asks_all, 200);
	json_t *field_list = json_object_get(fields, "fields");
	g_assert_cmpuint(json_array_size(field_list), ==, 4);
	json_t *first_name = json_array_get(field_list, 0);
	g_assert_cmpstr(json_string_value(json_object_get(first_name, "name")), ==, "first_name");
	g_assert_cmpuint(json_array_size(json_object_get(first_name, "steps")), ==, 2);
	g_assert_true(json_is_true(json_object_get(first_name, "required")));
	json_t *sender_name = json_array_get(field_list, 1);
	g_assert_true(json_is_true(json_object_get(sender_name, "sender")));
	g_assert_null(json_object_get(sender_name, "missing"));
	json_t *company = json_array_get(field_list, 2);
	g_assert_true(json_is_false(json_object_get(company, "required")));
	json_t *role = json_array_get(field_list, 3);
	json_int_t everyone = json_integer_value(json_object_get(fields, "prospects"));
	g_assert_cmpint(everyone, >=, 3);
	g_assert_cmpint(json_integer_value(json_object_get(role, "missing")), ==, everyone);
	g_assert_true(json_is_false(json_object_get(fields, "enrolled_only")));
	json_t *spin = json_array_get(json_object_get(fields, "spins"), 0);
	g_assert_cmpstr(json_string_value(json_object_get(spin, "part")), ==, "subject");
	g_assert_cmpstr(json_string_value(json_array_get(json_object_get(spin, "choices"), 1)), ==,
	                "Hello");
	json_decref(fields);
	g_autofree char *asks_side = g_strconcat(asks, ", \"campaign\": \"Side\"}", NULL);
	json_t *side_fields =
	        send_json("POST", "/api/v1/campaigns/fields", read_key, asks_side, 200);
	g_assert_true(json_is_true(json_object_get(side_fields, "enrolled_only")));
	g_assert_cmpint(json_integer_value(json_object_get(side_fields, "prospects")), ==, 2);
	g_assert_cmpint(
	        json_integer_value(json_object_get(
	                json_array_get(json_object_get(side_fields, "fields"), 0), "missing")),
	        ==, 0);
	json_decref(side_fields);
	json_decref(send_json("POST", "/api/v1/campaigns/fields", read_key,
	                      "{\"definition\": \"name: [\"}", 422));
	/* Wanda, imported for the mapping, goes: the pages below count three. */
	g_assert_null(request_json("DELETE", "/api/v1/prospects/wanda%40prospect.test", key, 204));

	/* Pages in address order, a search, a bad limit. */
	json_t *page = request_json("GET", "/api/v1/prospects?limit=2", read_key, 200);
	json_t *prospects = json_object_get(page, "prospects");
	g_assert_cmpuint(json_array_size(prospects), ==, 2);
	g_assert_cmpstr(json_string_value(json_object_get(json_array_get(prospects, 0), "email")),
	                ==, "sybil@prospect.test");
	/* Each entry as the person's own card has it (the page writes its
	 * JSON by hand; the card builds it). */
	for (gsize i = 0; i < json_array_size(prospects); i++) {
		json_t *entry = json_array_get(prospects, i);
		g_autofree char *card_path = g_strdup_printf(
		        "/api/v1/prospects/%s", json_string_value(json_object_get(entry, "email")));
		json_t *card = request_json("GET", card_path, read_key, 200);
		json_object_del(card, "campaigns");
		json_object_del(card, "history");
		g_assert_true(json_equal(entry, card));
		json_decref(card);
	}
	g_assert_cmpstr(
	        json_string_value(json_object_get(json_array_get(prospects, 0), "first_name")), ==,
	        "Sybil");
	g_autofree char *escaped =
	        g_uri_escape_string(json_string_value(json_object_get(page, "next")), NULL, FALSE);
	g_autofree char *next_path = g_strdup_printf("/api/v1/prospects?limit=2&after=%s", escaped);
	json_decref(page);
	json_t *page2 = request_json("GET", next_path, read_key, 200);
	g_assert_cmpuint(json_array_size(json_object_get(page2, "prospects")), ==, 1);
	g_assert_true(json_is_null(json_object_get(page2, "next")));
	json_decref(page2);
	json_t *found = request_json("GET", "/api/v1/prospects?search=VICT", read_key, 200);
	g_assert_cmpuint(json_array_size(json_object_get(found, "prospects")), ==, 1);
	json_decref(found);
	json_decref(request_json("GET", "/api/v1/prospects?limit=0", read_key, 422));

	/* One person's export: what was sent to her, with its subject. */
	json_t *exported = request_json("GET", "/api/v1/prospects/sybil%40prospect.test/export",
	                                read_key, 200);
	json_t *messages = json_object_get(
	        json_array_get(json_object_get(exported, "campaigns"), 0), "messages");
	g_assert_cmpuint(json_array_size(messages), ==, 1);
	g_assert_nonnull(
	        strstr(json_string_value(json_object_get(json_array_get(messages, 0), "subject")),
	               "API question for Sybil"));
	json_decref(exported);

	/* The event feed, paged by its cursor. */
	json_t *events = request_json("GET", "/api/v1/events?limit=1", read_key, 200);
	g_assert_cmpuint(json_array_size(json_object_get(events, "events")), ==, 1);
	g_assert_cmpstr(json_string_value(json_object_get(
	                        json_array_get(json_object_get(events, "events"), 0), "kind")),
	                ==, "sent");
	g_autofree char *after =
	        g_strdup_printf("/api/v1/events?after=%" JSON_INTEGER_FORMAT,
	                        json_integer_value(json_object_get(events, "next")));
	json_decref(events);
	/* Trent was erased with his events: Sybil's reply follows, the
	 * campaign's end with it, what the tracking saw, then Alice's pause and
	 * resume by hand. */
	json_t *later = request_json("GET", after, read_key, 200);
	json_t *rest = json_object_get(later, "events");
	static const char *const kinds[] = {"reply",  "campaign_completed", "machine_fetch",
	                                    "open",   "machine_fetch",      "click",
	                                    "paused", "mailbox_resumed"};
	g_assert_cmpstr(kinds_of(rest), ==, kinds_with_opens(kinds, G_N_ELEMENTS(kinds)));
	json_t *completed = json_array_get(rest, 1);
	g_assert_cmpstr(json_string_value(json_object_get(completed, "campaign")), ==, "Main");
	g_assert_true(json_is_null(json_object_get(completed, "prospect")));
	json_decref(later);
	json_decref(request_json("GET", "/api/v1/events?after=x", read_key, 422));

	/* A mailbox's report: its numbers and days; an unknown one is a 404. */
	json_t *own =
	        request_json("GET", "/api/v1/mailboxes/alice%40sender.test/report", read_key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(own, "mailbox")), ==,
	                "alice@sender.test");
	g_assert_true(json_integer_value(json_object_get(own, "sent")) > 0);
	g_assert_true(json_array_size(json_object_get(own, "days")) > 0);
	json_decref(own);
	json_decref(request_json("GET", "/api/v1/mailboxes/nobody%40sender.test/report", read_key,
	                         404));

	/* Tasks: none open here; a task that is not there is a 404, and marking
	 * one needs a write key. */
	json_t *tasks = request_json("GET", "/api/v1/tasks", read_key, 200);
	g_assert_true(json_is_array(tasks) && json_array_size(tasks) == 0);
	json_decref(tasks);
	json_decref(request_json("GET", "/api/v1/tasks?all=true", read_key, 200));
	json_decref(request_json("POST", "/api/v1/tasks/7/done", key, 404));
	json_decref(request_json("POST", "/api/v1/tasks/7/done", read_key, 403));

	/* The blacklist. */
	json_decref(send_json("POST", "/api/v1/blacklist", key,
	                      "{\"entry\": \"@Spam.test\", \"reason\": \"never\"}", 201));
	json_t *listed = request_json("GET", "/api/v1/blacklist", read_key, 200);
	g_assert_cmpstr(json_string_value(json_array_get(listed, 0)), ==, "@spam.test");
	json_decref(listed);
	json_decref(send_json("POST", "/api/v1/blacklist", key, "{\"entry\": \"nope\"}", 422));
	g_assert_null(request_json("DELETE", "/api/v1/blacklist/%40spam.test", key, 204));
	json_decref(request_json("DELETE", "/api/v1/blacklist/%40spam.test", key, 404));

	/* A mailbox added (its password sealed), checked, changed, removed. */
	g_autofree char *mailbox = g_strdup_printf(
	        "{\"address\": \"bob@sender.test\", \"smtp_host\": \"127.0.0.1\", "
	        "\"smtp_port\": %u, \"imap_host\": \"127.0.0.1\", \"imap_port\": %u, "
	        "\"password\": \"%s\"}",
	        lab->submission_port, lab->imaps_port, lab->password);
	json_decref(send_json("POST", "/api/v1/mailboxes", key, mailbox, 201));
	json_decref(send_json("POST", "/api/v1/mailboxes", key, mailbox, 422));
	json_t *checked = request_json(
	        "POST", "/api/v1/mailboxes/bob%40sender.test/check?dns=false", key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(checked, "verdict")), ==, "ok");
	g_assert_cmpstr(
	        json_string_value(json_object_get(json_object_get(checked, "imap"), "sent_folder")),
	        ==, "Sent");
	json_decref(checked);
	json_decref(send_json("PATCH", "/api/v1/mailboxes/bob%40sender.test", key,
	                      "{\"daily_cap\": 7}", 200));
	json_decref(send_json("PATCH", "/api/v1/mailboxes/bob%40sender.test", key,
	                      "{\"daily_cap\": \"lots\"}", 422));
	json_t *boxes = request_json("GET", "/api/v1/mailboxes", read_key, 200);
	g_assert_cmpint(json_integer_value(json_object_get(json_array_get(boxes, 1), "daily_cap")),
	                ==, 7);
	char *boxes_text = json_dumps(boxes, 0);
	g_assert_null(strstr(boxes_text, lab->password));
	free(boxes_text);
	json_decref(boxes);
	g_assert_null(request_json("DELETE", "/api/v1/mailboxes/bob%40sender.test", key, 204));
	json_decref(request_json("DELETE", "/api/v1/mailboxes/bob%40sender.test", key, 404));

	/* OAuth2: the clients set up, by name only; a provider's mailbox added
	 * through its client, no password: it signs in afterwards. */
	json_t *no_clients = request_json("GET", "/api/v1/oauth/clients", read_key, 200);
	g_assert_cmpuint(json_array_size(no_clients), ==, 0);
	json_decref(no_clients);
	const char *set_google[] = {"oauth", "set", "google", "--client-id", "1234.apps.example",
	                            NULL};
	g_free(piculet_ok(set_google));
	json_t *clients = request_json("GET", "/api/v1/oauth/clients", read_key, 200);
	g_assert_cmpuint(json_array_size(clients), ==, 1);
	json_t *google = json_array_get(clients, 0);
	g_assert_cmpstr(json_string_value(json_object_get(google, "name")), ==, "google");
	g_assert_true(json_is_true(json_object_get(google, "public")));
	char *clients_text = json_dumps(clients, 0);
	g_assert_null(strstr(clients_text, "1234.apps"));
	free(clients_text);
	json_decref(clients);
	json_decref(send_json("POST", "/api/v1/mailboxes", key,
	                      "{\"address\": \"gina@gsuite.test\", \"provider\": \"google\"}",
	                      201));
	const char *show_gina[] = {"mailbox", "show", "gina@gsuite.test", NULL};
	g_autofree char *gina = piculet_ok(show_gina);
	g_assert_nonnull(strstr(gina, "smtp.gmail.com"));
	g_assert_nonnull(strstr(gina, "password oauth:google"));
	json_decref(send_json("POST", "/api/v1/mailboxes", key,
	                      "{\"address\": \"hal@gsuite.test\", \"provider\": \"google\", "
	                      "\"oauth\": \"nope\"}",
	                      422));
	json_decref(send_json("POST", "/api/v1/mailboxes", key,
	                      "{\"address\": \"hal@gsuite.test\", \"provider\": \"yahoo\"}", 422));
	g_assert_null(request_json("DELETE", "/api/v1/mailboxes/gina%40gsuite.test", key, 204));
}

static void
test_api(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *key = NULL;
	g_autofree char *read_key = NULL;
	g_autoptr(GSubprocess) serve = start_serve();
	set_up_store(&key, &read_key);
	Receiver receiver = {0};
	receiver_start(&receiver, 2);
	g_autofree char *subscription = g_strdup_printf("{\"url\": \"%s\"}", receiver.url);
	json_t *subscribed = send_json("POST", "/api/v1/webhooks", key, subscription, 201);
	g_autofree char *secret =
	        g_strdup(json_string_value(json_object_get(subscribed, "secret")));
	g_assert_true(g_str_has_prefix(secret, "whsec_"));
	json_decref(subscribed);
	json_decref(send_json("POST", "/api/v1/webhooks", key,
	                      "{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"mail.read\"]}",
	                      422));

	openapi = request_json("GET", "/api/v1/openapi.json", NULL, 200);
	check_document_has_the_routes();

	/* Keys: none, unknown, read-only where writing. */
	long status = 0;
	g_autofree char *no_key = request("GET", "/api/v1/campaigns", NULL, NULL, 0, &status);
	g_assert_cmpint(status, ==, 401);
	g_assert_nonnull(strstr(no_key, "\"status\":401"));
	g_autofree char *bad_key = request("GET", "/api/v1/campaigns", "pk_nope", NULL, 0, &status);
	g_assert_cmpint(status, ==, 401);
	g_assert_nonnull(strstr(bad_key, "no such API key"));
	json_t *listed = request_json("GET", "/api/v1/campaigns", read_key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(json_array_get(listed, 0), "state")), ==,
	                "draft");
	json_decref(listed);
	g_autofree char *refused =
	        request("POST", "/api/v1/campaigns/Main/start", read_key, NULL, 0, &status);
	g_assert_cmpint(status, ==, 403);
	g_assert_nonnull(strstr(refused, "may only read"));

	/* Started over HTTP; started twice is a state conflict. */
	json_t *started = request_json("POST", "/api/v1/campaigns/Main/start", key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(started, "state")), ==, "running");
	json_decref(started);
	json_decref(request_json("POST", "/api/v1/campaigns/Main/start", key, 409));
	json_decref(request_json("POST", "/api/v1/campaigns/Main/launch", key, 404));

	/* The preview: step 1 when the window opens on the day asked, as it
	 * will be sent. */
	json_t *preview =
	        request_json("GET",
	                     "/api/v1/campaigns/Main/"
	                     "preview?prospect=sybil%40prospect.test&from=2026-12-01T07:00:00Z",
	                     read_key, 200);
	json_t *first = json_array_get(json_object_get(preview, "steps"), 0);
	g_assert_cmpstr(json_string_value(json_object_get(first, "earliest")), ==,
	                "2026-12-01T08:00:00Z");
	g_assert_nonnull(strstr(json_string_value(json_object_get(first, "message")),
	                        "Hi Sybil, a question over the API."));
	json_decref(preview);
	/* A draft as it is typed: previewed, never saved; a mistake has its place. */
	const char *draft =
	        "{\"definition\": \"name: Draft\\nmailboxes: [alice@sender.test]\\n"
	        "steps:\\n  - subject: Hi\\n    body: Hello {{first_name}}, a draft.\\n\", "
	        "\"prospect\": \"sybil@prospect.test\"}";
	json_t *drafted = send_json("POST", "/api/v1/campaigns/preview", read_key, draft, 200);
	g_assert_nonnull(
	        strstr(json_string_value(json_object_get(
	                       json_array_get(json_object_get(drafted, "steps"), 0), "message")),
	               "Hello Sybil, a draft."));
	json_decref(drafted);
	json_decref(request_json("GET", "/api/v1/campaigns/Draft", read_key, 404));
	const char *mistaken = "{\"definition\": \"name: Draft\\nmailboxes: [alice@sender.test]\\n"
	                       "steps:\\n  - subject: Hi\\n    body: Hello {{first_name\\n\", "
	                       "\"prospect\": \"sybil@prospect.test\"}";
	json_t *refused_draft =
	        send_json("POST", "/api/v1/campaigns/preview", read_key, mistaken, 422);
	g_assert_nonnull(
	        strstr(json_string_value(json_object_get(refused_draft, "detail")), "step 1"));
	json_decref(refused_draft);

	/* The engine sends; Sybil answers; the engine reads it. */
	g_autofree char *day1 = tick("2026-12-01T09:00:00Z");
	g_assert_nonnull(strstr(day1, "\"sent\":2,"));
	g_autofree char *marked = g_strdup_printf("question over the API. %s", token);
	g_autoptr(GBytes) opening =
	        test_lab_wait_for_text(lab, "sybil@prospect.test", marked, 20000);
	g_assert_nonnull(opening);
	g_autoptr(GError) error = NULL;
	g_autofree char *reply_id = test_lab_reply(lab, "sybil@prospect.test", opening,
	                                           "Yes, tell me more about it.", false, &error);
	g_assert_no_error(error);
	g_autoptr(GBytes) arrived =
	        test_lab_wait_for_message(lab, "alice@sender.test", "Message-ID", reply_id, 20000);
	g_assert_nonnull(arrived);
	g_autofree char *day1_later = tick("2026-12-01T11:00:00Z");
	g_assert_nonnull(strstr(day1_later, "\"replies\":1,"));
	check_tracking(opening, read_key, &receiver);
	/* /metrics counts what happened (serve alone has no engine gauges). */
	long metrics_status = 0;
	g_autofree char *metrics = request("GET", "/metrics", read_key, NULL, 0, &metrics_status);
	g_assert_cmpint(metrics_status, ==, 200);
	g_assert_nonnull(strstr(metrics, "piculet_messages{state=\"sent\"} 2\n"));
	g_assert_nonnull(strstr(metrics, "piculet_events_total{kind=\"reply\"} 1\n"));
	g_assert_nonnull(strstr(metrics, "piculet_send_latency_seconds_count 2\n"));
	g_assert_nonnull(strstr(metrics, "piculet_send_latency_seconds_bucket{le=\"+Inf\"} 2\n"));
	g_assert_null(strstr(metrics, "piculet_imap_idle_sessions"));

	json_t *answers = request_json("GET", "/api/v1/replies?campaign=Main", read_key, 200);
	g_assert_cmpuint(json_array_size(answers), ==, 1);
	json_t *answer = json_array_get(answers, 0);
	g_assert_cmpstr(json_string_value(json_object_get(answer, "prospect")), ==,
	                "sybil@prospect.test");
	g_assert_nonnull(
	        strstr(json_string_value(json_object_get(answer, "text")), "tell me more"));
	g_assert_cmpstr(json_string_value(json_object_get(answer, "intent")), ==, "interested");
	json_int_t id = json_integer_value(json_object_get(answer, "id"));
	g_assert_cmpint(id, >, 0);
	json_decref(answers);
	/* The reply with its conversation: our opening, then her answer. */
	g_autofree char *reply_path = g_strdup_printf("/api/v1/replies/%" JSON_INTEGER_FORMAT, id);
	json_t *thread = request_json("GET", reply_path, read_key, 200);
	json_t *turns = json_object_get(thread, "thread");
	g_assert_cmpuint(json_array_size(turns), ==, 2);
	g_assert_cmpstr(json_string_value(json_object_get(json_array_get(turns, 0), "direction")),
	                ==, "sent");
	g_assert_cmpstr(json_string_value(json_object_get(json_array_get(turns, 1), "direction")),
	                ==, "received");
	json_decref(thread);
	/* A person's reading: written with a write key, refused to a read one. */
	json_decref(send_json("PATCH", reply_path, read_key, "{\"intent\":\"meeting\"}", 403));
	json_decref(send_json("PATCH", reply_path, key, "{\"intent\":\"keen\"}", 422));
	json_t *read = send_json("PATCH", reply_path, key, "{\"intent\":\"meeting\"}", 200);
	g_assert_cmpstr(json_string_value(json_object_get(read, "intent")), ==, "meeting");
	g_assert_false(json_is_true(json_object_get(read, "needs_review")));
	json_decref(read);
	json_decref(request_json("GET", "/api/v1/replies/999999", read_key, 404));
	json_t *meetings =
	        request_json("GET", "/api/v1/replies?campaign=Main&intent=meeting", read_key, 200);
	g_assert_cmpuint(json_array_size(meetings), ==, 1);
	json_decref(meetings);
	json_decref(request_json("GET", "/api/v1/replies?campaign=Nope", read_key, 404));
	json_t *to_alice =
	        request_json("GET", "/api/v1/replies?mailbox=alice%40sender.test", read_key, 200);
	g_assert_cmpuint(json_array_size(to_alice), ==, 1);
	json_decref(to_alice);
	json_t *to_bob =
	        request_json("GET", "/api/v1/replies?mailbox=bob%40sender.test", read_key, 200);
	g_assert_cmpuint(json_array_size(to_bob), ==, 0);
	json_decref(to_bob);
	json_decref(request_json("GET", "/api/v1/replies?mailbox=nobody", read_key, 422));

	/* An answer: through Alice's SMTP, threaded under Sybil's reply; the
	 * same key again is the same answer, not sent twice. */
	g_autofree char *answer_path = g_strdup_printf("%s/answer", reply_path);
	g_autofree char *answer_body = g_strdup_printf(
	        "{\"text\":\"Glad to: our notes follow. %s\",\"key\":\"k-%s\"}", token, token);
	json_decref(send_json("POST", answer_path, read_key, answer_body, 403));
	json_decref(
	        send_json("POST", answer_path, key, "{\"text\":\" \",\"key\":\"k-empty-1\"}", 422));
	json_decref(
	        send_json("POST", answer_path, key, "{\"text\":\"hi\",\"key\":\"short\"}", 422));
	json_t *first_answer = send_json("POST", answer_path, key, answer_body, 201);
	g_assert_cmpstr(json_string_value(json_object_get(first_answer, "state")), ==, "sent");
	g_assert_cmpstr(json_string_value(json_object_get(first_answer, "author")), ==, "crm");
	json_t *again = send_json("POST", answer_path, key, answer_body, 200);
	g_assert_cmpint(json_integer_value(json_object_get(again, "id")), ==,
	                json_integer_value(json_object_get(first_answer, "id")));
	json_decref(again);
	json_decref(first_answer);
	g_autofree char *our_notes = g_strdup_printf("our notes follow. %s", token);
	g_autoptr(GBytes) answer_mail =
	        test_lab_wait_for_text(lab, "sybil@prospect.test", our_notes, 20000);
	g_assert_nonnull(answer_mail);
	g_autofree char *in_reply_to = test_lab_header(answer_mail, "In-Reply-To");
	g_assert_nonnull(strstr(in_reply_to, reply_id));
	json_t *with_answer = request_json("GET", reply_path, read_key, 200);
	json_t *answer_turn = json_array_get(json_object_get(with_answer, "thread"), 2);
	g_assert_cmpstr(json_string_value(json_object_get(answer_turn, "direction")), ==,
	                "answered");
	json_decref(with_answer);
	g_assert_cmpuint(test_lab_count_text(lab, "sybil@prospect.test", our_notes), ==, 1);

	/* Edited: what is given changes, the rest stays; a zone that is none
	 * changes nothing. */
	json_t *edited =
	        send_json("PATCH", "/api/v1/prospects/sybil%40prospect.test", key,
	                  "{\"company\": \"Sybil & Co\", \"fields\": {\"role\": \"CTO\"}}", 200);
	g_assert_cmpstr(json_string_value(json_object_get(edited, "company")), ==, "Sybil & Co");
	g_assert_cmpstr(json_string_value(json_object_get(edited, "first_name")), ==, "Sybil");
	g_assert_cmpstr(
	        json_string_value(json_object_get(json_object_get(edited, "fields"), "role")), ==,
	        "CTO");
	json_decref(edited);
	json_decref(send_json("PATCH", "/api/v1/prospects/sybil%40prospect.test", key,
	                      "{\"timezone\": \"Mars/Olympus\", \"company\": \"Other\"}", 422));
	json_decref(send_json("PATCH", "/api/v1/prospects/sybil%40prospect.test", read_key,
	                      "{\"company\": \"Other\"}", 403));
	json_t *sybil =
	        request_json("GET", "/api/v1/prospects/sybil%40prospect.test", read_key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(sybil, "company")), ==, "Sybil & Co");
	json_t *history = json_object_get(sybil, "history");
	/* Sent, her reply, then what the tracking saw (check_tracking): the
	 * proxy's fetch, her open, a link checker's HEAD, her click. */
	static const char *const kinds[] = {"sent", "reply",         "machine_fetch",
	                                    "open", "machine_fetch", "click"};
	g_assert_cmpstr(kinds_of(history), ==, kinds_with_opens(kinds, G_N_ELEMENTS(kinds)));
	g_assert_cmpstr(json_string_value(json_object_get(
	                        json_array_get(json_object_get(sybil, "campaigns"), 0), "state")),
	                ==, "replied");
	json_decref(sybil);

	json_t *report = request_json("GET", "/api/v1/campaigns/Main/report", read_key, 200);
	json_t *step1 = json_array_get(json_object_get(report, "steps"), 0);
	g_assert_cmpint(json_integer_value(json_object_get(step1, "sent")), ==, 2);
	g_assert_cmpint(json_integer_value(json_object_get(step1, "replied")), ==, 1);
	/* Per day (the engine's simulated clock): both openings and the reply
	 * on the first of December. */
	json_t *days = json_object_get(report, "days");
	g_assert_cmpuint(json_array_size(days), ==, 1);
	g_assert_cmpstr(json_string_value(json_object_get(json_array_get(days, 0), "day")), ==,
	                "2026-12-01");
	g_assert_cmpint(json_integer_value(json_object_get(json_array_get(days, 0), "sent")), ==,
	                2);
	g_assert_cmpint(json_integer_value(json_object_get(json_array_get(days, 0), "replied")), ==,
	                1);
	json_decref(report);

	/* A mailbox paused by hand and resumed. */
	json_decref(request_json("POST", "/api/v1/mailboxes/alice%40sender.test/pause", key, 200));
	json_t *boxes = request_json("GET", "/api/v1/mailboxes", read_key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(json_array_get(boxes, 0), "activity")),
	                ==, "paused");
	json_decref(boxes);
	json_decref(request_json("POST", "/api/v1/mailboxes/alice%40sender.test/resume", key, 200));
	json_decref(request_json("POST", "/api/v1/mailboxes/nobody%40sender.test/pause", key, 404));

	/* Trent unsubscribes with one click: the header of his message as it
	 * arrived, the page in his language, a plain form POST as `curl -d`
	 * sends it; forged links change nothing; twice is once. */
	g_autoptr(GBytes) trents =
	        test_lab_wait_for_text(lab, "trent@prospect.test", marked, 20000);
	g_assert_nonnull(trents);
	g_autofree char *list_unsubscribe = test_lab_header(trents, "List-Unsubscribe");
	g_autofree char *one_click = test_lab_header(trents, "List-Unsubscribe-Post");
	g_assert_nonnull(list_unsubscribe);
	g_assert_cmpstr(one_click, ==, "List-Unsubscribe=One-Click");
	g_assert_nonnull(
	        strstr(list_unsubscribe, "<mailto:alice@sender.test?subject=unsubscribe>"));
	const char *link = strstr(list_unsubscribe, "<http://");
	g_assert_nonnull(link);
	g_autofree char *url = g_strndup(link + 1, strcspn(link + 1, ">"));
	g_assert_true(g_str_has_prefix(url, base));
	g_autofree char *page = fetch("GET", url, "Accept-Language: de-DE,de;q=0.9,en;q=0.5", NULL,
	                              0, false, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_nonnull(strstr(page, "Abmelden"));
	g_assert_nonnull(strstr(page, "name=\"List-Unsubscribe\" value=\"One-Click\""));
	g_autofree char *forged = g_strdup(url);
	char *last = forged + strlen(forged) - 1;
	*last = *last == 'A' ? 'B' : 'A';
	g_autofree char *refused_forged =
	        fetch("POST", forged, NULL, "List-Unsubscribe=One-Click", 26, false, &status);
	g_assert_cmpint(status, ==, 404);
	g_assert_nonnull(strstr(refused_forged, "not one of ours"));
	g_autofree char *truncated = g_strndup(url, strlen(url) - 4);
	g_autofree char *refused_short =
	        fetch("POST", truncated, NULL, "List-Unsubscribe=One-Click", 26, false, &status);
	g_assert_cmpint(status, ==, 404);
	g_assert_nonnull(strstr(refused_short, "not one of ours"));
	json_t *still_ok =
	        request_json("GET", "/api/v1/prospects/trent%40prospect.test", read_key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(still_ok, "status")), ==, "ok");
	json_decref(still_ok);
	for (int i = 0; i < 2; i++) {
		g_autofree char *done =
		        fetch("POST", url, NULL, "List-Unsubscribe=One-Click", 26, false, &status);
		g_assert_cmpint(status, ==, 200);
		g_assert_nonnull(strstr(done, "unsubscribed"));
	}
	json_t *trent =
	        request_json("GET", "/api/v1/prospects/trent%40prospect.test", read_key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(trent, "status")), ==, "opted_out");
	/* His sequence had stopped already (Sybil at the same company answered);
	 * now he is off every list for good. */
	g_assert_cmpstr(json_string_value(json_object_get(
	                        json_array_get(json_object_get(trent, "campaigns"), 0), "state")),
	                ==, "stopped");
	json_t *trent_history = json_object_get(trent, "history");
	g_assert_cmpuint(json_array_size(trent_history), ==, 2);
	g_assert_cmpstr(
	        json_string_value(json_object_get(json_array_get(trent_history, 1), "kind")), ==,
	        "opt_out");
	json_decref(trent);
	/* The API reads JSON only. */
	g_autofree char *pause_url = g_strconcat(base, "/api/v1/campaigns/Main/pause", NULL);
	g_autofree char *bearer = g_strconcat("Authorization: Bearer ", key, NULL);
	g_autofree char *wrong_type = fetch("POST", pause_url, bearer, "x=1", 3, false, &status);
	g_assert_cmpint(status, ==, 415);
	g_assert_nonnull(strstr(wrong_type, "application/json"));

	/* Erased: the prospect and what was sent to it. */
	g_assert_null(request_json("DELETE", "/api/v1/prospects/trent%40prospect.test", key, 204));
	json_decref(request_json("GET", "/api/v1/prospects/trent%40prospect.test", read_key, 404));
	json_decref(request_json("DELETE", "/api/v1/prospects/trent%40prospect.test", key, 404));

	/* Bad input: refused with problem+json, nothing changed. */
	json_decref(request_json("GET", "/api/v1/prospects/not-an-address", read_key, 422));
	json_decref(request_json("GET", "/api/v1/campaigns/bad%00name", read_key, 400));
	json_decref(request_json("GET", "/api/v1/campaigns/bad%FFname", read_key, 400));
	json_decref(request_json("GET", "/api/v1/campaigns/x'%3B%20DROP%20TABLE%20campaign%3B--",
	                         read_key, 404));
	json_decref(request_json("GET", "/api/v1/campaigns/Main/report?x=%FF", read_key, 400));
	json_decref(request_json("PUT", "/api/v1/campaigns", key, 405));
	json_decref(request_json("GET", "/api/v1/nothing/here", read_key, 404));
	g_autofree char *broken =
	        request("POST", "/api/v1/campaigns/Main/pause", key, "{\"oops\":", 8, &status);
	g_assert_cmpint(status, ==, 400);
	g_assert_nonnull(strstr(broken, "not JSON"));
	gsize huge_length = 2 * 1024 * 1024;
	g_autofree char *huge = g_malloc(huge_length);
	memset(huge, ' ', huge_length);
	g_autofree char *too_big =
	        request("POST", "/api/v1/campaigns/Main/pause", key, huge, huge_length, &status);
	g_assert_cmpint(status, ==, 413);
	g_assert_nonnull(strstr(too_big, "\"status\":413"));
	json_t *still = request_json("GET", "/api/v1/campaigns/Main", read_key, 200);
	g_assert_cmpstr(json_string_value(json_object_get(still, "state")), ==, "running");
	json_decref(still);

	/* Every event reached the receiver, signed, in order, the refused ones
	 * again: two openings, Sybil's reply with her words, Trent's opt-out. */
	wait_for_taken(&receiver, "message.sent", 2);
	wait_for_taken(&receiver, "reply.received", 1);
	wait_for_taken(&receiver, "prospect.opted_out", 1);
	/* Alice paused and resumed by hand; the campaign ended with Sybil's
	 * reply (Trent stopped with it: same company). */
	wait_for_taken(&receiver, "mailbox.paused", 1);
	wait_for_taken(&receiver, "mailbox.resumed", 1);
	wait_for_taken(&receiver, "campaign.completed", 1);
	check_deliveries(&receiver, secret);
	g_mutex_lock(&receiver.lock);
	bool words = false;
	for (guint i = 0; i < receiver.requests->len; i++) {
		const Received *r = receiver.requests->pdata[i];
		words = words || (strstr(r->body, "reply.received") != NULL &&
		                  strstr(r->body, "tell me more") != NULL &&
		                  strstr(r->body, "\"intent\":\"interested\"") != NULL);
	}
	g_mutex_unlock(&receiver.lock);
	g_assert_true(words);
	json_t *hooks = request_json("GET", "/api/v1/webhooks", read_key, 200);
	g_assert_null(json_object_get(json_array_get(hooks, 0), "secret"));
	json_decref(hooks);
	json_t *dead = request_json("GET", "/api/v1/webhooks/1/deliveries", read_key, 200);
	g_assert_cmpuint(json_array_size(dead), ==, 0);
	json_decref(dead);
	json_decref(request_json("POST", "/api/v1/deliveries/999/replay", key, 404));

	test_more_routes(key, read_key);
	check_document_has_the_statuses();

	receiver_stop(&receiver);
	/* SIGTERM: it stops, and says so with exit 0. */
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
	g_assert_true(g_subprocess_get_if_exited(serve));
	g_assert_cmpint(g_subprocess_get_exit_status(serve), ==, 0);
}

/* A key that asks too often is told to wait: 429 with Retry-After, and
 * another key is not held up by it. */
static void
test_rate_limit(void)
{
	g_autofree char *db = test_pg_store_location(dir, "limited");
	const char *make_one[] = {"apikey", "create", "busy", NULL};
	const char *make_two[] = {"apikey", "create", "calm", NULL};
	g_auto(TestCliRun) one = {0};
	g_auto(TestCliRun) two = {0};
	test_cli_run_with_db(&one, db, NULL, make_one);
	test_cli_run_with_db(&two, db, NULL, make_two);
	g_assert_cmpint(one.status, ==, 0);
	g_assert_cmpint(two.status, ==, 0);
	g_autofree char *busy = g_strstrip(g_strdup(one.out));
	g_autofree char *calm = g_strstrip(g_strdup(two.out));
	g_free(base);
	g_autoptr(GSubprocess) serve = start_serve_with(db, "3");
	long status = 0;
	for (int i = 0; i < 3; i++) {
		g_autofree char *fine = request("GET", "/api/v1/campaigns", busy, NULL, 0, &status);
		g_assert_cmpint(status, ==, 200);
		g_assert_nonnull(strstr(fine, "["));
	}
	g_autofree char *limited = request("GET", "/api/v1/campaigns", busy, NULL, 0, &status);
	g_assert_cmpint(status, ==, 429);
	g_assert_nonnull(strstr(limited, "again in"));
	g_autofree char *other = request("GET", "/api/v1/campaigns", calm, NULL, 0, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_nonnull(strstr(other, "["));
	g_autoptr(GError) error = NULL;
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
}

/* `piculet run --serve`: the engine and the API in one process; SIGTERM
 * ends both. */
static void
test_run_serves(void)
{
	g_autofree char *db = test_pg_store_location(dir, "run");
	g_autoptr(GError) error = NULL;
	const char *make_key[] = {"apikey", "create", "prometheus", "--scope", "read", NULL};
	g_auto(TestCliRun) made = {0};
	test_cli_run_with_db(&made, db, NULL, make_key);
	g_assert_cmpint(made.status, ==, 0);
	g_autofree char *key = g_strstrip(g_strdup(made.out));
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
	        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	const char *argv[] = {
	        g_getenv("PICULET_BIN"), "run", "--serve", "127.0.0.1:0", "--db", db, NULL};
	g_autoptr(GSubprocess) run = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	int fd = g_unix_input_stream_get_fd(G_UNIX_INPUT_STREAM(g_subprocess_get_stdout_pipe(run)));
	g_autoptr(GString) out = g_string_new(NULL);
	g_assert_true(test_cli_read_until(fd, out, "/api/v1\n", 10000));
	const char *url = strstr(out->str, "http://");
	g_free(base);
	base = g_strndup(url, strcspn(url, "\n") - strlen("/api/v1"));
	json_t *document = request_json("GET", "/api/v1/openapi.json", NULL, 200);
	g_assert_cmpstr(json_string_value(json_object_get(document, "openapi")), ==, "3.1.0");
	json_decref(document);
	/* /metrics of the engine's own process has its gauges; a key is needed. */
	long status = 0;
	g_autofree char *refused_metrics = request("GET", "/metrics", NULL, NULL, 0, &status);
	g_assert_cmpint(status, ==, 401);
	g_assert_null(strstr(refused_metrics, "piculet_"));
	g_autofree char *metrics = request("GET", "/metrics", key, NULL, 0, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_nonnull(strstr(metrics, "# TYPE piculet_imap_idle_sessions gauge\n"
	                                 "piculet_imap_idle_sessions 0\n"));
	g_assert_nonnull(strstr(metrics, "piculet_engine_workers 4\n"));
	g_assert_nonnull(strstr(metrics, "piculet_mailboxes 0\n"));
	g_assert_nonnull(strstr(metrics, "piculet_send_latency_seconds_count 0\n"));
	g_subprocess_send_signal(run, SIGTERM);
	g_assert_true(g_subprocess_wait(run, NULL, &error));
	g_assert_true(g_subprocess_get_if_exited(run));
	g_assert_cmpint(g_subprocess_get_exit_status(run), ==, 0);
	/* tick has no --serve. */
	const char *tick_serve[] = {"tick", "--serve", "127.0.0.1:0", NULL};
	g_auto(TestCliRun) refused = {0};
	test_cli_run_with_db(&refused, db, NULL, tick_serve);
	g_assert_cmpint(refused.status, ==, 64);
}

/* docs/deploy/nginx.conf, as a person installs it, in front of a real
 * piculet serve: a link of a message passes over TLS to piculet; the API
 * does not pass at all. */
static void
test_behind_nginx(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = test_pg_store_location(dir, "proxied");
	g_autofree char *work = g_build_filename(dir, "nginx", NULL);
	g_assert_cmpint(g_mkdir_with_parents(work, 0700), ==, 0);
	g_autofree char *base_dir = g_path_get_dirname(lab->ca_file);
	g_autofree char *cert = g_build_filename(base_dir, "server.crt", NULL);
	g_autofree char *cert_key = g_build_filename(base_dir, "server.key", NULL);
	g_free(base);
	g_autoptr(GSubprocess) serve = start_serve_with(db, "600");
	const char *piculet_at = base + strlen("http://");

	/* The proxy's port: one the kernel hands out, free when nginx takes it. */
	g_autoptr(GSocket) probe = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
	                                        G_SOCKET_PROTOCOL_TCP, NULL);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_assert_true(g_socket_bind(probe, any, TRUE, NULL));
	g_autoptr(GSocketAddress) bound = g_socket_get_local_address(probe, NULL);
	guint16 port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_socket_close(probe, NULL);

	g_autofree char *template_path =
	        g_test_build_filename(G_TEST_DIST, "..", "docs", "deploy", "nginx.conf", NULL);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(template_path, &text, NULL, NULL));
	g_autofree char *listen = g_strdup_printf("127.0.0.1:%u", port);
	const char *fill[][2] = {{"@STANDALONE_BEGIN@", ""}, {"@STANDALONE_END@", ""},
	                         {"@WORK@", work},           {"@LISTEN@", listen},
	                         {"@CERT@", cert},           {"@KEY@", cert_key},
	                         {"@PICULET@", piculet_at}};
	for (gsize i = 0; i < G_N_ELEMENTS(fill); i++) {
		g_auto(GStrv) parts = g_strsplit(text, fill[i][0], -1);
		g_free(text);
		text = g_strjoinv(fill[i][1], parts);
	}
	g_autofree char *conf = g_build_filename(work, "nginx.conf", NULL);
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher =
	        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
	const char *argv[] = {"/usr/sbin/nginx", "-c", conf, NULL};
	g_autoptr(GSubprocess) nginx = g_subprocess_launcher_spawnv(launcher, argv, &error);
	g_assert_no_error(error);
	/* nginx says when it listens (its log goes to stderr in this file). */
	int fd = g_unix_input_stream_get_fd(
	        G_UNIX_INPUT_STREAM(g_subprocess_get_stderr_pipe(nginx)));
	g_autoptr(GString) said = g_string_new(NULL);
	if (!test_cli_read_until(fd, said, "start worker process", 10000))
		g_error("nginx did not start: %s", said->str);

	/* Through TLS (the lab's CA): a forged link reaches piculet, which
	 * refuses it; the API is not there. */
	g_autofree char *link = g_strdup_printf("https://127.0.0.1:%u/u/%s", port,
	                                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	g_autofree char *api = g_strdup_printf("https://127.0.0.1:%u/api/v1/openapi.json", port);
	long status = 0;
	CURL *post = curl_easy_init();
	GString *posted = g_string_new(NULL);
	curl_easy_setopt(post, CURLOPT_URL, link);
	curl_easy_setopt(post, CURLOPT_CAINFO, lab->ca_file);
	curl_easy_setopt(post, CURLOPT_POSTFIELDS, "List-Unsubscribe=One-Click");
	curl_easy_setopt(post, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(post, CURLOPT_WRITEDATA, posted);
	g_assert_cmpint(curl_easy_perform(post), ==, CURLE_OK);
	curl_easy_getinfo(post, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(post);
	g_autofree char *answer = g_string_free(posted, FALSE);
	g_assert_cmpint(status, ==, 404);
	g_assert_nonnull(strstr(answer, "not one of ours"));
	CURL *curl = curl_easy_init();
	GString *body = g_string_new(NULL);
	curl_easy_setopt(curl, CURLOPT_URL, api);
	curl_easy_setopt(curl, CURLOPT_CAINFO, lab->ca_file);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
	g_assert_cmpint(curl_easy_perform(curl), ==, CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);
	g_autofree char *api_answer = g_string_free(body, FALSE);
	g_assert_cmpint(status, ==, 404);
	g_assert_null(strstr(api_answer, "openapi"));

	g_subprocess_send_signal(nginx, SIGTERM);
	g_assert_true(g_subprocess_wait(nginx, NULL, &error));
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
}

/* The outbox survives a kill -9 of the server: deliveries refused before
 * it died all reach the receiver after a restart, in order, none lost. */
/* A listening socket that never accepts (the kernel completes the
 * connection): a server that takes a client and never says a word. */
static int
silent_listener(guint16 *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in address = {.sin_family = AF_INET,
	                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	g_assert_cmpint(bind(fd, (struct sockaddr *)&address, sizeof address), ==, 0);
	g_assert_cmpint(listen(fd, 8), ==, 0);
	socklen_t length = sizeof address;
	g_assert_cmpint(getsockname(fd, (struct sockaddr *)&address, &length), ==, 0);
	*port = ntohs(address.sin_port);
	return fd;
}

/* A receiver that takes the connection and never answers: a stop does not
 * wait the POST's 10 s out. The POST in flight is cut short and not
 * counted as an attempt: the delivery stays due, untouched, for the next
 * start (a timeout would have been recorded as attempt 1 with its error). */
static void
test_webhook_stop_cuts_the_post(void)
{
	g_autofree char *db = test_pg_store_location(dir, "silent");
	g_autofree char *csv = g_build_filename(dir, "s.csv", NULL);
	g_autofree char *yaml = g_build_filename(dir, "s.yaml", NULL);
	g_assert_true(g_file_set_contents(csv, "email\nan@s.test\n", -1, NULL));
	g_assert_true(g_file_set_contents(
	        yaml, "name: S\nmailboxes: [a@s.test]\nsteps:\n  - subject: Hi\n    body: Hello\n",
	        -1, NULL));
	guint16 port = 0;
	int silent = silent_listener(&port);
	g_autofree char *hook_url = g_strdup_printf("http://127.0.0.1:%u/hook", port);
	const char *add[] = {"mailbox", "add",         "a@s.test",       "--smtp", "127.0.0.1:1",
	                     "--imap",  "127.0.0.1:1", "--password-env", "X",      NULL};
	const char *create[] = {"campaign", "create", yaml, NULL};
	const char *import[] = {"prospects", "import", csv, "--campaign", "S", NULL};
	const char *hook[] = {"webhook", "add", hook_url, NULL};
	const char *const *steps[] = {add, create, import, hook};
	for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_auto(TestCliRun) run = {0};
		test_cli_run_with_db(&run, db, NULL, steps[i]);
		g_assert_cmpint(run.status, ==, 0);
	}
	g_autoptr(GError) error = NULL;
	g_autofree char *link_token = NULL;
	{
		g_autoptr(Store) store = store_open(db, &error);
		g_assert_no_error(error);
		g_autoptr(BaseSealKey) links = engine_links_key(store, &error);
		g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "S", &error);
		g_autoptr(GPtrArray) enrolled =
		        store_enrollment_list(store, campaign->id, 0, &error);
		link_token = engine_links_unsubscribe_token(
		        links, ((StoreEnrollment *)enrolled->pdata[0])->id);
	}
	g_free(base);
	GSubprocess *serve = start_serve_with(db, "600");
	g_autofree char *url = g_strdup_printf("%s/u/%s", base, link_token);
	long status = 0;
	g_autofree char *done =
	        fetch("POST", url, NULL, "List-Unsubscribe=One-Click", 26, false, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_nonnull(strstr(done, "unsubscribed"));
	/* The delivery's connection is waiting at the silent listener. */
	struct pollfd pending = {.fd = silent, .events = POLLIN};
	g_assert_cmpint(poll(&pending, 1, 30000), ==, 1);
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
	g_assert_true(g_subprocess_get_if_exited(serve));
	g_assert_cmpint(g_subprocess_get_exit_status(serve), ==, 0);
	g_object_unref(serve);
	close(silent);
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) waiting = store_delivery_list(store, 0, "pending", 10, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(waiting->len, ==, 1);
	const StoreDelivery *d = waiting->pdata[0];
	g_assert_cmpstr(d->type, ==, "prospect.opted_out");
	g_assert_cmpint(d->attempts, ==, 0);
	g_assert_null(d->last_error);
}

typedef struct {
	const char *url;
	const char *authorization;
} CheckAsked;

static gpointer
ask_check(gpointer data)
{
	const CheckAsked *asked = data;
	CURL *curl = curl_easy_init();
	g_autoptr(GString) ignored = g_string_new(NULL);
	struct curl_slist *headers = curl_slist_append(NULL, asked->authorization);
	curl_easy_setopt(curl, CURLOPT_URL, asked->url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, ignored);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
	/* Whatever comes back, or the connection closed: the server stops. */
	curl_easy_perform(curl);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return NULL;
}

/* A mailbox check whose SMTP server never greets does not hold the
 * server's stop: the check gives up at once and says so (without the stop
 * it would wait out the SMTP timeout and end as an unreachable server). */
static void
test_stop_cuts_a_mailbox_check(void)
{
	const TestLab *lab = test_lab_get();
	g_autofree char *db = test_pg_store_location(dir, "check_stop");
	guint16 port = 0;
	int silent = silent_listener(&port);
	g_autofree char *smtp = g_strdup_printf("127.0.0.1:%u", port);
	const char *env[] = {"X", "secret", NULL};
	const char *add[] = {"mailbox", "add", "a@s.test",       "--smtp", smtp,
	                     "--imap",  smtp,  "--password-env", "X",      NULL};
	const char *make_key[] = {"apikey", "create", "checker", NULL};
	g_auto(TestCliRun) added = {0};
	test_cli_run_with_db(&added, db, env, add);
	g_assert_cmpint(added.status, ==, 0);
	g_auto(TestCliRun) made = {0};
	test_cli_run_with_db(&made, db, NULL, make_key);
	g_assert_cmpint(made.status, ==, 0);
	g_autofree char *key = g_strstrip(g_strdup(made.out));
	const char *serve_args[] = {"serve", "--listen", "127.0.0.1:0", NULL};
	int out_fd = -1;
	g_autoptr(GSubprocess) serve =
	        test_cli_start(db, lab->ca_file, env, serve_args, true, &out_fd);
	g_autoptr(GString) out = g_string_new(NULL);
	g_assert_true(test_cli_read_until(out_fd, out, "/api/v1\n", 30000));
	const char *at = strstr(out->str, "http://");
	g_autofree char *server = g_strndup(at, strcspn(at, "\n") - strlen("/api/v1"));
	g_autofree char *url =
	        g_strdup_printf("%s/api/v1/mailboxes/a%%40s.test/check?dns=false", server);
	g_autofree char *authorization = g_strconcat("Authorization: Bearer ", key, NULL);
	CheckAsked asked = {.url = url, .authorization = authorization};
	GThread *asking = g_thread_new("check", ask_check, &asked);
	/* The check's SMTP connection waits at the silent listener. */
	struct pollfd pending = {.fd = silent, .events = POLLIN};
	g_assert_cmpint(poll(&pending, 1, 30000), ==, 1);
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(test_cli_read_until(
	        out_fd, out, "mailbox check of a@s.test cut short: the server stops", 30000));
	g_autoptr(GError) error = NULL;
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(serve), ==, 0);
	g_thread_join(asking);
	close(silent);
}

/* Two servers on one database, a slow receiver: every event reaches it
 * once, not once per server (each server's deliverer listed the same due
 * deliveries and posted them), and in order. */
static void
test_webhooks_once_with_two_servers(void)
{
	g_autofree char *db = test_pg_store_location(dir, "two");
	const char *add[] = {"mailbox", "add",         "a@s.test",       "--smtp", "127.0.0.1:1",
	                     "--imap",  "127.0.0.1:1", "--password-env", "X",      NULL};
	g_auto(TestCliRun) added = {0};
	test_cli_run_with_db(&added, db, NULL, add);
	g_assert_cmpint(added.status, ==, 0);
	Receiver receiver = {0};
	receiver_start(&receiver, 0);
	receiver.delay_ms = 50;
	const char *hook[] = {"webhook", "add", receiver.url, NULL};
	g_auto(TestCliRun) hooked = {0};
	test_cli_run_with_db(&hooked, db, NULL, hook);
	g_assert_cmpint(hooked.status, ==, 0);
	g_free(base);
	GSubprocess *servers[2];
	servers[0] = start_serve_with(db, "600");
	g_free(base);
	servers[1] = start_serve_with(db, "600");
	const guint rounds = 10;
	for (guint i = 0; i < rounds; i++) {
		const char *pause[] = {"mailbox", "pause", "a@s.test", NULL};
		const char *resume[] = {"mailbox", "resume", "a@s.test", NULL};
		g_auto(TestCliRun) paused = {0};
		test_cli_run_with_db(&paused, db, NULL, pause);
		g_assert_cmpint(paused.status, ==, 0);
		g_auto(TestCliRun) resumed = {0};
		test_cli_run_with_db(&resumed, db, NULL, resume);
		g_assert_cmpint(resumed.status, ==, 0);
	}
	wait_for_taken(&receiver, "mailbox.paused", rounds);
	wait_for_taken(&receiver, "mailbox.resumed", rounds);
	/* Every delivery recorded as delivered (a POST a stop cut short would
	 * be sent again: at least once), then both stopped. */
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	for (;;) {
		g_autoptr(GPtrArray) pending = store_delivery_list(store, 0, "pending", 0, &error);
		g_assert_no_error(error);
		if (pending->len == 0)
			break;
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(20 * 1000);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(servers); i++) {
		g_subprocess_send_signal(servers[i], SIGTERM);
		g_assert_true(g_subprocess_wait(servers[i], NULL, &error));
		g_assert_cmpint(g_subprocess_get_exit_status(servers[i]), ==, 0);
		g_object_unref(servers[i]);
	}
	g_mutex_lock(&receiver.lock);
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < receiver.requests->len; i++) {
		const Received *r = receiver.requests->pdata[i];
		if (!g_hash_table_add(ids, r->id))
			g_error("%s reached the receiver twice", r->id);
		/* In order: a pause before its resume. */
		g_assert_nonnull(
		        strstr(r->body, i % 2 == 0 ? "mailbox.paused" : "mailbox.resumed"));
	}
	g_assert_cmpuint(receiver.requests->len, ==, 2 * rounds);
	g_mutex_unlock(&receiver.lock);
	receiver_stop(&receiver);
}

static void
test_webhooks_survive_kill(void)
{
	g_autofree char *db = test_pg_store_location(dir, "killed");
	g_autofree char *csv = g_build_filename(dir, "k.csv", NULL);
	g_autofree char *yaml = g_build_filename(dir, "k.yaml", NULL);
	g_assert_true(g_file_set_contents(csv,
	                                  "email,first_name\nan@k.test,An\nbo@k.test,Bo\n"
	                                  "cy@k.test,Cy\n",
	                                  -1, NULL));
	g_assert_true(
	        g_file_set_contents(yaml,
	                            "name: K\nmailboxes: [a@s.test]\nsteps:\n  - subject: Hi\n"
	                            "    body: Hello\n",
	                            -1, NULL));
	const char *add[] = {"mailbox", "add",         "a@s.test",       "--smtp", "127.0.0.1:1",
	                     "--imap",  "127.0.0.1:1", "--password-env", "X",      NULL};
	const char *create[] = {"campaign", "create", yaml, NULL};
	const char *import[] = {"prospects", "import", csv, "--campaign", "K", NULL};
	const char *const *steps[] = {add, create, import};
	for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_auto(TestCliRun) run = {0};
		test_cli_run_with_db(&run, db, NULL, steps[i]);
		g_assert_cmpint(run.status, ==, 0);
	}
	Receiver receiver = {0};
	receiver_start(&receiver, 1000);
	g_autofree char *secret = NULL;
	{
		const char *hook[] = {"webhook", "add", receiver.url, NULL};
		g_auto(TestCliRun) run = {0};
		test_cli_run_with_db(&run, db, NULL, hook);
		g_assert_cmpint(run.status, ==, 0);
		secret = g_strstrip(g_strdup(run.out));
	}
	/* The three unsubscribe links, as the engine would have made them. */
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func(g_free);
	{
		g_autoptr(Store) store = store_open(db, &error);
		g_assert_no_error(error);
		g_autoptr(BaseSealKey) links = engine_links_key(store, &error);
		g_assert_no_error(error);
		g_autoptr(StoreCampaign) campaign = store_campaign_get(store, "K", &error);
		g_autoptr(GPtrArray) enrolled =
		        store_enrollment_list(store, campaign->id, 0, &error);
		g_assert_cmpuint(enrolled->len, ==, 3);
		for (guint i = 0; i < enrolled->len; i++)
			g_ptr_array_add(
			        tokens,
			        engine_links_unsubscribe_token(
			                links, ((StoreEnrollment *)enrolled->pdata[i])->id));
	}
	g_free(base);
	GSubprocess *first = start_serve_with(db, "600");
	for (guint i = 0; i < tokens->len; i++) {
		g_autofree char *url = g_strdup_printf("%s/u/%s", base, (char *)tokens->pdata[i]);
		long status = 0;
		g_autofree char *done =
		        fetch("POST", url, NULL, "List-Unsubscribe=One-Click", 26, false, &status);
		g_assert_cmpint(status, ==, 200);
		g_assert_nonnull(strstr(done, "unsubscribed"));
	}
	/* The receiver refuses what comes; the server dies mid-way. */
	g_mutex_lock(&receiver.lock);
	gint64 until = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	while (receiver.requests->len < 2)
		g_assert_true(g_cond_wait_until(&receiver.got, &receiver.lock, until));
	receiver.refuse = 0;
	g_mutex_unlock(&receiver.lock);
	g_subprocess_send_signal(first, SIGKILL);
	g_assert_true(g_subprocess_wait(first, NULL, &error));
	g_object_unref(first);

	g_free(base);
	g_autoptr(GSubprocess) second = start_serve_with(db, "600");
	wait_for_taken(&receiver, "prospect.opted_out", 3);
	/* In order, each taken (at least once: one taken just before the kill
	 * may come again), each signed. */
	g_mutex_lock(&receiver.lock);
	g_autoptr(BaseSecret) key = base_secret_new(secret, -1);
	int64_t last = 0;
	guint ok = 0;
	for (guint i = 0; i < receiver.requests->len; i++) {
		const Received *r = receiver.requests->pdata[i];
		g_autofree char *expected = app_webhook_sign(
		        key, r->id, g_ascii_strtoll(r->timestamp, NULL, 10), r->body);
		g_assert_cmpstr(r->signature, ==, expected);
		if (r->status != 200)
			continue;
		int64_t id = g_ascii_strtoll(r->id + strlen("msg_"), NULL, 10);
		g_assert_cmpint(id, >=, last);
		ok += id != last;
		last = id;
	}
	g_mutex_unlock(&receiver.lock);
	g_assert_cmpuint(ok, ==, 3);
	g_subprocess_send_signal(second, SIGTERM);
	g_assert_true(g_subprocess_wait(second, NULL, &error));
	receiver_stop(&receiver);
}

/* An upload the test feeds by hand: it stops halfway until told to go on,
 * so what the server shows meanwhile can be read. */
typedef struct {
	GMutex lock;
	GCond changed;
	const char *url;
	const char *key;
	const char *data;
	gsize length;
	gsize sent;
	bool halfway; /* the first half went */
	bool ended;   /* curl returned */
	bool go_on;   /* the test says: the rest */
	long status;
	GString *answer;
	CURLcode result;
} Upload;

static size_t
upload_read(char *buffer, size_t size, size_t count, void *user_data)
{
	Upload *u = user_data;
	g_mutex_lock(&u->lock);
	if (u->sent >= u->length / 2 && !u->go_on) {
		u->halfway = true;
		g_cond_broadcast(&u->changed);
		while (!u->go_on)
			g_cond_wait(&u->changed, &u->lock);
	}
	g_mutex_unlock(&u->lock);
	gsize n = MIN(MIN(size * count, (size_t)16384), u->length - u->sent);
	memcpy(buffer, u->data + u->sent, n);
	u->sent += n;
	return n;
}

static gpointer
upload_run(gpointer data)
{
	Upload *u = data;
	g_autofree char *bearer = g_strconcat("Authorization: Bearer ", u->key, NULL);
	CURL *curl = curl_easy_init();
	struct curl_slist *headers = curl_slist_append(NULL, bearer);
	headers = curl_slist_append(headers, "Content-Type: text/csv");
	/* The body at once, without waiting for "100 Continue". */
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(curl, CURLOPT_URL, u->url);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, u);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)u->length);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, u->answer);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	CURLcode result = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	g_mutex_lock(&u->lock);
	u->result = result;
	u->status = status;
	u->ended = true;
	g_cond_broadcast(&u->changed);
	g_mutex_unlock(&u->lock);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return NULL;
}

/* Starts @u and waits until its first half went. */
static GThread *
upload_start(Upload *u)
{
	GThread *thread = g_thread_new("upload", upload_run, u);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	g_mutex_lock(&u->lock);
	while (!u->halfway && !u->ended)
		if (!g_cond_wait_until(&u->changed, &u->lock, deadline))
			g_error("upload: not halfway within 20 s");
	bool ended = u->ended;
	g_mutex_unlock(&u->lock);
	if (ended)
		g_error("upload: over before halfway (curl: %s, status %ld)",
		        curl_easy_strerror(u->result), u->status);
	return thread;
}

/* Import @id as the server shows it, once @done says it is what the test
 * waits for (the server's importer works on its own thread, and the job is
 * there once the server has read the request's headers: read again until
 * then, up to 20 s). */
static json_t *
import_when(const char *key, int id, bool (*done)(json_t *job))
{
	g_autofree char *path = g_strdup_printf("/api/v1/imports/%d", id);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	for (;;) {
		/* Listed from the moment the server has the request's headers. */
		long status = 0;
		g_autofree char *text = request("GET", path, key, NULL, 0, &status);
		json_error_t parse;
		json_t *job = status == 200 ? json_loads(text, 0, &parse) : NULL;
		if (status != 200 && status != 404)
			g_error("GET %s: %ld: %s", path, status, text);
		if (job != NULL && done(job))
			return job;
		json_decref(job);
		if (g_get_monotonic_time() > deadline)
			g_error("import %d: never as expected: %ld %s", id, status, text);
		g_usleep(20000);
	}
}

static bool
some_rows_read(json_t *job)
{
	return json_integer_value(json_object_get(job, "rows")) >= 1000;
}

static bool
over(json_t *job)
{
	return strcmp(json_string_value(json_object_get(job, "state")), "running") != 0;
}

/* A big CSV goes to the importer while it arrives: halfway, its progress
 * is there to poll (bytes and rows so far, still running); complete, all
 * of it is imported in one transaction. An upload cut halfway fails and
 * writes nothing. */
static void
test_streamed_import(void)
{
	g_autofree char *db = test_pg_store_location(dir, "streamed");
	const char *make_key[] = {"apikey", "create", "loader", "--scope", "write", NULL};
	g_auto(TestCliRun) made = {0};
	test_cli_run_with_db(&made, db, NULL, make_key);
	g_assert_cmpint(made.status, ==, 0);
	g_autofree char *key = g_strstrip(g_strdup(made.out));
	g_free(base);
	/* A connection that goes quiet is closed after 5 s (a client that
	 * closes right after its last bytes is noticed no sooner). */
	g_autoptr(GSubprocess) serve = start_serve_timed(db, "100000", "5");
	g_autofree char *url = g_strconcat(base, "/api/v1/imports", NULL);
	const int rows = 20000;
	GString *csv = g_string_new("email,first_name\n");
	for (int i = 0; i < rows; i++)
		g_string_append_printf(csv, "s%05d@stream.test,S%d\n", i, i);
	g_autofree char *whole = g_string_free(csv, FALSE);

	Upload first = {.url = url, .key = key, .data = whole, .length = strlen(whole)};
	g_mutex_init(&first.lock);
	g_cond_init(&first.changed);
	first.answer = g_string_new(NULL);
	GThread *thread = upload_start(&first);
	json_t *midway = import_when(key, 1, some_rows_read);
	g_assert_cmpstr(json_string_value(json_object_get(midway, "state")), ==, "running");
	g_assert_cmpint(json_integer_value(json_object_get(midway, "bytes")), >, 0);
	g_assert_cmpint(json_integer_value(json_object_get(midway, "rows")), <, rows);
	json_decref(midway);
	json_t *listed = request_json("GET", "/api/v1/imports", key, 200);
	g_assert_cmpuint(json_array_size(listed), ==, 1);
	json_decref(listed);
	g_mutex_lock(&first.lock);
	first.go_on = true;
	g_cond_broadcast(&first.changed);
	g_mutex_unlock(&first.lock);
	g_thread_join(thread);
	g_assert_cmpint(first.result, ==, CURLE_OK);
	g_assert_cmpint(first.status, ==, 200);
	g_ptr_array_add(seen, g_strdup_printf("POST /api/v1/imports %ld", first.status));
	json_error_t parse;
	json_t *done = json_loads(first.answer->str, 0, &parse);
	g_assert_nonnull(done);
	g_assert_cmpstr(json_string_value(json_object_get(done, "state")), ==, "done");
	g_assert_cmpint(json_integer_value(json_object_get(done, "rows")), ==, rows);
	g_assert_cmpint(
	        json_integer_value(json_object_get(json_object_get(done, "summary"), "imported")),
	        ==, rows);
	json_decref(done);
	g_string_free(first.answer, TRUE);

	/* Cut halfway: the importer reads an error, the transaction goes. */
	for (char *p = whole; (p = strstr(p, "@stream.test")) != NULL; p++)
		memcpy(p, "@streamx.tst", strlen("@streamx.tst"));
	/* The client goes away halfway (its connection closed). */
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocketConnection) connection =
	        g_socket_client_connect_to_host(client, base + strlen("http://"), 0, NULL, &error);
	g_assert_no_error(error);
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(connection));
	gsize length = strlen(whole);
	g_autofree char *head =
	        g_strdup_printf("POST /api/v1/imports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	                        "Authorization: Bearer %s\r\nContent-Type: text/csv\r\n"
	                        "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
	                        key, length);
	g_assert_true(g_output_stream_write_all(out, head, strlen(head), NULL, NULL, &error));
	g_assert_true(g_output_stream_write_all(out, whole, length / 2, NULL, NULL, &error));
	g_assert_true(g_io_stream_close(G_IO_STREAM(connection), NULL, &error));
	json_t *failed = import_when(key, 2, over);
	g_assert_cmpstr(json_string_value(json_object_get(failed, "state")), ==, "failed");
	g_assert_nonnull(strstr(json_string_value(json_object_get(failed, "error")), "read error"));
	json_decref(failed);
	json_t *page = request_json("GET", "/api/v1/prospects?search=streamx", key, 200);
	g_assert_cmpuint(json_array_size(json_object_get(page, "prospects")), ==, 0);
	json_decref(page);
	/* Every status seen is in the document this server serves. */
	json_decref(openapi);
	openapi = request_json("GET", "/api/v1/openapi.json", NULL, 200);
	check_document_has_the_statuses();
	check_document_has_the_bodies();
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
	g_mutex_clear(&first.lock);
	g_cond_clear(&first.changed);
}

/* A person signed in to the dashboard: the cookie's token, the CSRF token. */
typedef struct {
	char *cookie; /* "Cookie: piculet_session=..." */
	char *csrf;   /* "X-CSRF-Token: ..." */
} Signed;

static void
signed_clear(Signed *who)
{
	g_free(who->cookie);
	g_free(who->csrf);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Signed, signed_clear)

/* The value of header @name in @head (the answer's headers), or NULL. */
static char *
header_of(const char *head, const char *name)
{
	g_auto(GStrv) lines = g_strsplit(head, "\r\n", -1);
	gsize n = strlen(name);
	for (char **line = lines; *line != NULL; line++)
		if (g_ascii_strncasecmp(*line, name, n) == 0 && (*line)[n] == ':')
			return g_strstrip(g_strdup(*line + n + 1));
	return NULL;
}

/* Signs @email in with @password; the answer's Set-Cookie in *@set_cookie
 * when not NULL. */
static void
sign_in(Signed *who, const char *email, const char *password, const char *extra, char **set_cookie)
{
	g_autofree char *url = g_strconcat(base, "/api/v1/session", NULL);
	g_autofree char *body =
	        g_strdup_printf("{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
	g_autoptr(GString) head = g_string_new(NULL);
	const char *headers[] = {extra, NULL};
	long status = 0;
	g_autofree char *answer =
	        fetch_with("POST", url, headers, body, strlen(body), true, &status, head);
	if (status != 200)
		g_error("sign-in of %s: %ld: %s", email, status, answer);
	g_autofree char *cookie = header_of(head->str, "Set-Cookie");
	g_assert_nonnull(cookie);
	json_t *session = json_loads(answer, 0, NULL);
	g_assert_nonnull(session);
	who->cookie = g_strdup_printf("Cookie: %.*s", (int)strcspn(cookie, ";"), cookie);
	who->csrf = g_strdup_printf("X-CSRF-Token: %s",
	                            json_string_value(json_object_get(session, "csrf")));
	json_decref(session);
	if (set_cookie != NULL)
		*set_cookie = g_steal_pointer(&cookie);
}

/* A request of the dashboard's: its cookie, and its CSRF token when
 * @with_csrf. */
static char *
as_user(const Signed *who, bool with_csrf, const char *method, const char *path, const char *body,
        long *status)
{
	g_autofree char *url = g_strconcat(base, path, NULL);
	const char *headers[] = {who->cookie, with_csrf ? who->csrf : NULL, NULL};
	return fetch_with(method, url, headers, body, body != NULL ? strlen(body) : 0, true, status,
	                  NULL);
}

static long
status_as_user(const Signed *who, bool with_csrf, const char *method, const char *path,
               const char *body)
{
	long status = 0;
	g_free(as_user(who, with_csrf, method, path, body, &status));
	return status;
}

/* @pattern with each {segment} made "x". */
static char *
path_of(const char *pattern)
{
	g_auto(GStrv) parts = g_strsplit(pattern, "/", -1);
	for (char **part = parts; *part != NULL; part++)
		if ((*part)[0] == '{') {
			g_free(*part);
			*part = g_strdup("x");
		}
	return g_strjoinv("/", parts);
}

static void
add_user(const char *db, const char *email, const char *role, const char *password)
{
	const char *env[] = {"USER_PW", password, NULL};
	const char *args[] = {"user",           "add",     email, "--role", role,
	                      "--password-env", "USER_PW", NULL};
	g_auto(TestCliRun) run = {0};
	test_cli_run_with_db(&run, db, env, args);
	if (run.status != 0)
		g_error("user add %s: %d: %s", email, run.status, run.err);
}

/* The dashboard's sign-in: a wrong password or address refused alike; the
 * cookie HttpOnly, SameSite=Strict, Secure behind a TLS proxy; a viewer
 * refused on every write route, a member on the owner's; a change without
 * the CSRF token refused; a session ended by a password change and by
 * signing out; the page served from the binary with its policy; a JSON
 * answer revalidated by its ETag. */
static void
test_sessions(void)
{
	g_autofree char *db = test_pg_store_location(dir, "sessions");
	add_user(db, "Owner@Example.test", "owner", "owner password 1");
	add_user(db, "member@example.test", "member", "member password 1");
	add_user(db, "viewer@example.test", "viewer", "viewer password 1");
	/* An address with a control character is no address (lists and logs
	 * print it). */
	const char *bad_env[] = {"USER_PW", "a long password", NULL};
	const char *bad[] = {"user",           "add",     "es\x1b[2Jc@example.test",
	                     "--password-env", "USER_PW", NULL};
	g_auto(TestCliRun) not_address = {0};
	test_cli_run_with_db(&not_address, db, bad_env, bad);
	g_assert_cmpint(not_address.status, ==, 65);
	g_assert_nonnull(strstr(not_address.err, "is not an email address"));
	g_free(base);
	g_autoptr(GSubprocess) serve = start_serve_with(db, "600");
	long status = 0;
	const char *wrong[] = {
	        "{\"email\":\"owner@example.test\",\"password\":\"owner password 2\"}",
	        "{\"email\":\"nobody@example.test\",\"password\":\"owner password 1\"}"};
	for (gsize i = 0; i < G_N_ELEMENTS(wrong); i++) {
		g_autofree char *denied = request("POST", "/api/v1/session", NULL, wrong[i],
		                                  strlen(wrong[i]), &status);
		g_assert_cmpint(status, ==, 401);
		g_assert_nonnull(strstr(denied, "wrong address or password"));
		g_assert_null(strstr(denied, "nobody"));
	}
	/* Five failures for an address, and its sign-ins wait. */
	for (int i = 0; i < 4; i++) {
		g_free(request("POST", "/api/v1/session", NULL, wrong[1], strlen(wrong[1]),
		               &status));
		g_assert_cmpint(status, ==, 401);
	}
	g_autofree char *limited =
	        request("POST", "/api/v1/session", NULL, wrong[1], strlen(wrong[1]), &status);
	g_assert_cmpint(status, ==, 429);
	g_assert_nonnull(strstr(limited, "too many failed sign-ins"));
	g_auto(Signed) owner = {0};
	g_auto(Signed) member = {0};
	g_auto(Signed) viewer = {0};
	g_auto(Signed) proxied = {0};
	g_autofree char *owner_cookie = NULL;
	g_autofree char *proxied_cookie = NULL;
	sign_in(&owner, "OWNER@example.test", "owner password 1", NULL, &owner_cookie);
	sign_in(&member, "member@example.test", "member password 1", NULL, NULL);
	sign_in(&viewer, "viewer@example.test", "viewer password 1", NULL, NULL);
	sign_in(&proxied, "viewer@example.test", "viewer password 1", "X-Forwarded-Proto: https",
	        &proxied_cookie);
	g_assert_nonnull(strstr(owner_cookie, "; HttpOnly"));
	g_assert_nonnull(strstr(owner_cookie, "; SameSite=Strict"));
	g_assert_null(strstr(owner_cookie, "Secure"));
	g_assert_nonnull(strstr(proxied_cookie, "; Secure"));

	g_autofree char *who = as_user(&viewer, false, "GET", "/api/v1/session", NULL, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_nonnull(strstr(who, "\"role\":\"viewer\""));
	g_assert_cmpint(status_as_user(&viewer, false, "GET", "/api/v1/mailboxes", NULL), ==, 200);

	/* Every write route refuses a viewer (with the CSRF token), and every
	 * owner's route a member. */
	gsize n = 0;
	const HttpRoute *routes = http_api_routes(&n);
	guint writes = 0;
	for (gsize i = 0; i < n; i++) {
		if (routes[i].scope != HTTP_SCOPE_WRITE && routes[i].scope != HTTP_SCOPE_OWNER)
			continue;
		g_autofree char *path = path_of(routes[i].pattern);
		long refused = status_as_user(&viewer, true, routes[i].method, path, "{}");
		if (refused != 403)
			g_error("a viewer's %s %s: %ld", routes[i].method, path, refused);
		if (routes[i].scope == HTTP_SCOPE_OWNER) {
			refused = status_as_user(&member, true, routes[i].method, path, "{}");
			if (refused != 403)
				g_error("a member's %s %s: %ld", routes[i].method, path, refused);
			g_assert_cmpint(status_as_user(&owner, true, routes[i].method, path, "{}"),
			                !=, 403);
		}
		writes++;
	}
	g_assert_cmpuint(writes, >, 15);

	/* A change without the session's CSRF token, or with another's. */
	const char *entry = "{\"entry\":\"@csrf.test\"}";
	g_assert_cmpint(status_as_user(&member, false, "POST", "/api/v1/blacklist", entry), ==,
	                403);
	Signed mixed = {.cookie = member.cookie, .csrf = owner.csrf};
	g_assert_cmpint(status_as_user(&mixed, true, "POST", "/api/v1/blacklist", entry), ==, 403);
	json_t *listed = request_json("GET", "/api/v1/session", NULL, 401);
	json_decref(listed);
	g_assert_cmpint(status_as_user(&member, true, "POST", "/api/v1/blacklist", entry), ==, 201);

	/* A password change ends the sessions from before it. */
	const char *env[] = {"USER_PW", "member password 2", NULL};
	const char *change[] = {"user",           "password", "member@example.test",
	                        "--password-env", "USER_PW",  NULL};
	g_auto(TestCliRun) changed = {0};
	test_cli_run_with_db(&changed, db, env, change);
	g_assert_cmpint(changed.status, ==, 0);
	g_assert_cmpint(status_as_user(&member, false, "GET", "/api/v1/mailboxes", NULL), ==, 401);
	g_auto(Signed) again = {0};
	sign_in(&again, "member@example.test", "member password 2", NULL, NULL);
	g_assert_cmpint(status_as_user(&again, false, "GET", "/api/v1/mailboxes", NULL), ==, 200);

	/* Signing out: the cookie is cleared and its session ends. */
	g_assert_cmpint(status_as_user(&owner, false, "DELETE", "/api/v1/session", NULL), ==, 403);
	g_assert_cmpint(status_as_user(&owner, true, "DELETE", "/api/v1/session", NULL), ==, 204);
	g_assert_cmpint(status_as_user(&owner, false, "GET", "/api/v1/session", NULL), ==, 401);

	/* The page, its files and their policy; revalidation by ETag. */
	g_autofree char *page_url = g_strconcat(base, "/", NULL);
	g_autoptr(GString) head = g_string_new(NULL);
	const char *gzip[] = {"Accept-Encoding: gzip", NULL};
	g_autofree char *page = fetch_with("GET", page_url, gzip, NULL, 0, false, &status, head);
	g_assert_cmpint(status, ==, 200);
	g_assert_true(page[0] == '\x1f'); /* gzip's magic */
	g_autofree char *policy = header_of(head->str, "Content-Security-Policy");
	g_assert_nonnull(policy);
	g_assert_nonnull(strstr(policy, "default-src 'none'"));
	g_autofree char *coding = header_of(head->str, "Content-Encoding");
	g_assert_cmpstr(coding, ==, "gzip");
	g_autofree char *tag = header_of(head->str, "ETag");
	g_assert_nonnull(tag);
	g_autofree char *known = g_strdup_printf("If-None-Match: %s", tag);
	g_free(fetch("GET", page_url, known, NULL, 0, false, &status));
	g_assert_cmpint(status, ==, 304);
	g_autofree char *script_url = g_strconcat(base, "/app.js", NULL);
	g_autofree char *script = fetch("GET", script_url, NULL, NULL, 0, false, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_nonnull(strstr(script, "X-CSRF-Token"));
	g_autofree char *missing_url = g_strconcat(base, "/nothing.js", NULL);
	g_free(fetch("GET", missing_url, NULL, NULL, 0, false, &status));
	g_assert_cmpint(status, ==, 404);
	g_autofree char *boxes_url = g_strconcat(base, "/api/v1/mailboxes", NULL);
	g_string_truncate(head, 0);
	const char *as_again[] = {again.cookie, NULL};
	g_free(fetch_with("GET", boxes_url, as_again, NULL, 0, false, &status, head));
	g_autofree char *boxes_tag = header_of(head->str, "ETag");
	g_assert_nonnull(boxes_tag);
	g_autofree char *boxes_known = g_strdup_printf("If-None-Match: %s", boxes_tag);
	const char *revalidate[] = {again.cookie, boxes_known, NULL};
	g_autofree char *unchanged =
	        fetch_with("GET", boxes_url, revalidate, NULL, 0, false, &status, NULL);
	g_assert_cmpint(status, ==, 304);
	g_assert_cmpstr(unchanged, ==, "");

	json_decref(openapi);
	openapi = request_json("GET", "/api/v1/openapi.json", NULL, 200);
	check_document_has_the_statuses();
	check_document_has_the_bodies();
	g_autoptr(GError) error = NULL;
	g_subprocess_send_signal(serve, SIGTERM);
	g_assert_true(g_subprocess_wait(serve, NULL, &error));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	dir = g_dir_make_tmp("piculet-http-XXXXXX", NULL);
	db_path = test_pg_store_location(dir, "p");
	token = g_strdup_printf("t%" G_GINT64_FORMAT, g_get_monotonic_time());
	seen = g_ptr_array_new_with_free_func(g_free);
	answered = g_ptr_array_new_with_free_func((GDestroyNotify)answer_free);
	g_test_add_func("/http/api/through-a-real-server", test_api);
	g_test_add_func("/http/api/keys-are-rate-limited", test_rate_limit);
	g_test_add_func("/http/api/run-serves-too", test_run_serves);
	g_test_add_func("/http/api/behind-the-documented-nginx", test_behind_nginx);
	g_test_add_func("/http/api/webhooks-survive-kill-9", test_webhooks_survive_kill);
	g_test_add_func("/http/api/webhooks-once-with-two-servers",
	                test_webhooks_once_with_two_servers);
	g_test_add_func("/http/api/webhook-stop-cuts-the-post", test_webhook_stop_cuts_the_post);
	g_test_add_func("/http/api/stop-cuts-a-mailbox-check", test_stop_cuts_a_mailbox_check);
	g_test_add_func("/http/api/imports-stream-with-progress", test_streamed_import);
	g_test_add_func("/http/api/dashboard-sessions", test_sessions);
	int status = g_test_run();
	json_decref(openapi);
	g_ptr_array_unref(seen);
	g_ptr_array_unref(answered);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	curl_global_cleanup();
	return status;
}
