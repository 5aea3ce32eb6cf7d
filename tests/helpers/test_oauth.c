#include "helpers/test_oauth.h"

#include <curl/curl.h>
#include <gio/gio.h>
#include <jansson.h>
#include <string.h>

/* The browser keeps the server's cookies by name, without their expiry:
 * it belongs to the lab, whose clock is the real one, while the tests may
 * run with the clock moved (make test-later), and libcurl's own cookie
 * store would then drop every cookie as expired. */
typedef struct {
	CURL *curl;
	GString *body;
	GHashTable *cookies; /* name -> value */
} Browser;

static size_t
on_header(char *data, size_t size, size_t count, void *user_data)
{
	Browser *browser = user_data;
	gsize n = size * count;
	g_autofree char *line = g_strndup(data, n);
	if (g_ascii_strncasecmp(line, "Set-Cookie:", 11) == 0) {
		const char *pair = line + 11;
		while (*pair == ' ')
			pair++;
		g_autofree char *first = g_strndup(pair, strcspn(pair, ";\r\n"));
		char *equals = strchr(first, '=');
		if (equals != NULL) {
			*equals = '\0';
			g_hash_table_insert(browser->cookies, g_strdup(first),
			                    g_strdup(equals + 1));
		}
	}
	return n;
}

static size_t
on_body(char *data, size_t size, size_t count, void *user_data)
{
	g_string_append_len(user_data, data, (gssize)(size * count));
	return size * count;
}

/* One request; its status, and its Location in *@location (absolute). */
static long
request(Browser *browser, const char *url, const char *form, char **location, GError **error)
{
	CURL *curl = browser->curl;
	g_string_truncate(browser->body, 0);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	GString *cookie = g_string_new(NULL);
	GHashTableIter iter;
	gpointer name;
	gpointer value;
	g_hash_table_iter_init(&iter, browser->cookies);
	while (g_hash_table_iter_next(&iter, &name, &value))
		g_string_append_printf(cookie, "%s%s=%s", cookie->len > 0 ? "; " : "",
		                       (const char *)name, (const char *)value);
	curl_easy_setopt(curl, CURLOPT_COOKIE, cookie->len > 0 ? cookie->str : NULL);
	if (form != NULL) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
	} else {
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
	}
	CURLcode rc = curl_easy_perform(curl);
	g_string_free(cookie, TRUE);
	if (rc != CURLE_OK) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", url,
		            curl_easy_strerror(rc));
		return 0;
	}
	long status = 0;
	char *redirect = NULL;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &redirect);
	*location = redirect != NULL ? g_strdup(redirect) : NULL;
	return status;
}

/* The value of attribute @name in the tag text @tag, or NULL. */
static char *
attribute(const char *tag, const char *name)
{
	g_autofree char *pattern = g_strdup_printf("\\s%s=\"([^\"]*)\"", name);
	g_autoptr(GRegex) regex = g_regex_new(pattern, G_REGEX_CASELESS, 0, NULL);
	g_autoptr(GMatchInfo) match = NULL;
	if (!g_regex_match(regex, tag, 0, &match))
		return NULL;
	return g_match_info_fetch(match, 1);
}

/* The page's first form, filled in: its action in *@action, its body. */
static char *
fill_form(Browser *browser, const char *page_url, const char *login, const char *password,
          const char *user_code, char **action)
{
	const char *html = browser->body->str;
	const char *form = strstr(html, "<form");
	if (form == NULL)
		return NULL;
	const char *form_end = strstr(form, "</form>");
	g_autofree char *form_tag = g_strndup(form, strcspn(form, ">"));
	g_autofree char *target = attribute(form_tag, "action");
	g_autoptr(GUri) base = g_uri_parse(page_url, G_URI_FLAGS_NONE, NULL);
	g_autoptr(GUri) resolved =
	        target != NULL ? g_uri_parse_relative(base, target, G_URI_FLAGS_NONE, NULL) : NULL;
	*action = resolved != NULL ? g_uri_to_string(resolved) : g_strdup(page_url);
	GString *body = g_string_new(NULL);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (const char *at = strstr(form, "<input");
	     at != NULL && (form_end == NULL || at < form_end); at = strstr(at + 1, "<input")) {
		g_autofree char *tag = g_strndup(at, strcspn(at, ">"));
		g_autofree char *name = attribute(tag, "name");
		if (name == NULL || g_hash_table_contains(seen, name))
			continue;
		g_autofree char *value = attribute(tag, "value");
		const char *given = strcmp(name, "login") == 0                        ? login
		                    : strcmp(name, "password") == 0                   ? password
		                    : strcmp(name, "user_code") == 0 && value == NULL ? user_code
		                                                                      : value;
		char *escaped_name = curl_easy_escape(browser->curl, name, 0);
		char *escaped = curl_easy_escape(browser->curl, given != NULL ? given : "", 0);
		g_string_append_printf(body, "%s%s=%s", body->len > 0 ? "&" : "", escaped_name,
		                       escaped);
		curl_free(escaped_name);
		curl_free(escaped);
		g_hash_table_add(seen, g_steal_pointer(&name));
	}
	return g_string_free(body, FALSE);
}

bool
test_oauth_browse(const TestLab *lab, const char *url, const char *login, const char *user_code,
                  char **code, bool stop_at_code, GError **error)
{
	Browser browser = {.curl = curl_easy_init(),
	                   .body = g_string_new(NULL),
	                   .cookies =
	                           g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)};
	CURL *curl = browser.curl;
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &browser);
	curl_easy_setopt(curl, CURLOPT_CAINFO, lab->ca_file);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, browser.body);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	g_autofree char *current = g_strdup(url);
	g_autofree char *form = NULL;
	bool done = false;
	if (code != NULL)
		*code = NULL;
	for (int step = 0; step < 16 && !done; step++) {
		g_autofree char *location = NULL;
		long status = request(&browser, current, form, &location, error);
		g_clear_pointer(&form, g_free);
		if (status == 0)
			break;
		bool loopback = g_str_has_prefix(current, "http://127.0.0.1:");
		if (loopback) {
			/* piculet's listener: its answer ends the sign-in. */
			if (status != 200)
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
				            "piculet's listener answered %ld: %s", status,
				            browser.body->str);
			done = status == 200;
			break;
		}
		if (status >= 300 && status < 400 && location != NULL) {
			if (code != NULL && g_str_has_prefix(location, "http://127.0.0.1:")) {
				const char *at = strstr(location, "code=");
				if (at != NULL)
					*code = g_strndup(at + 5, strcspn(at + 5, "&"));
				if (stop_at_code && *code != NULL) {
					done = true;
					break;
				}
			}
			g_free(current);
			current = g_steal_pointer(&location);
			continue;
		}
		if (status != 200) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s answered %ld: %s",
			            current, status, browser.body->str);
			break;
		}
		if (strstr(browser.body->str, "id=\"device-signed-in\"") != NULL) {
			done = true;
			break;
		}
		g_autofree char *action = NULL;
		form = fill_form(&browser, current, login, lab->password, user_code, &action);
		if (form == NULL) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			            "%s: a page without a form: %s", current, browser.body->str);
			break;
		}
		g_free(current);
		current = g_steal_pointer(&action);
	}
	if (!done && error != NULL && *error == NULL)
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		                    "the sign-in did not finish within 16 pages");
	curl_easy_cleanup(curl);
	g_string_free(browser.body, TRUE);
	g_hash_table_unref(browser.cookies);
	return done;
}

static char *
lab_call(const TestLab *lab, const char *method, const char *route, const char *account)
{
	CURL *curl = curl_easy_init();
	char *escaped = curl_easy_escape(curl, account, 0);
	/* @route may carry more of the query after its name. */
	const char *more = strchr(route, '&');
	g_autofree char *name =
	        g_strndup(route, more != NULL ? (gsize)(more - route) : strlen(route));
	g_autofree char *url = g_strdup_printf("%s/lab/%s?account=%s%s", lab->oauth_issuer, name,
	                                       escaped, more != NULL ? more : "");
	curl_free(escaped);
	g_autofree char *auth =
	        g_strdup_printf("Authorization: Bearer %s", lab->oauth_admin_secret);
	struct curl_slist *headers = curl_slist_append(NULL, auth);
	GString *body = g_string_new(NULL);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_CAINFO, lab->ca_file);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	CURLcode rc = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	if (rc != CURLE_OK || status != 200)
		g_error("lab route %s %s: %s, HTTP %ld", method, route, curl_easy_strerror(rc),
		        status);
	return g_string_free(body, FALSE);
}

void
test_oauth_lab_end(const TestLab *lab, const char *what, const char *account)
{
	g_free(lab_call(lab, "POST", what, account));
}

GPtrArray *
test_oauth_lab_tokens(const TestLab *lab, const char *account)
{
	g_autofree char *text = lab_call(lab, "GET", "tokens", account);
	json_t *object = json_loads(text, 0, NULL);
	GPtrArray *tokens = g_ptr_array_new_with_free_func(g_free);
	json_t *list = json_object_get(object, "tokens");
	for (size_t i = 0; i < json_array_size(list); i++)
		g_ptr_array_add(tokens, g_strdup(json_string_value(json_array_get(list, i))));
	json_decref(object);
	return tokens;
}

guint
test_oauth_log_count(const TestLab *lab, const char *needle)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(lab->oauth_log, &text, NULL, NULL))
		return 0;
	guint n = 0;
	for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle))
		n++;
	return n;
}

void
test_oauth_lab_hold_tokens(const TestLab *lab, bool hold)
{
	g_free(lab_call(lab, "POST", hold ? "hold" : "release", ""));
}

void
test_oauth_lab_refuse(const TestLab *lab, const char *account, guint skip, guint count)
{
	g_autofree char *route = g_strdup_printf("refuse&skip=%u&count=%u", skip, count);
	g_free(lab_call(lab, "POST", route, account));
}
