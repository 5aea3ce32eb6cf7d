/* Matching a request's path to the route table. */
#include "http/http_route.h"

#include <string.h>

/* @segment percent-decoded, valid UTF-8 without NUL; NULL otherwise. */
static char *
decode_segment(const char *segment)
{
	char *text = g_uri_unescape_string(segment, NULL);
	if (text != NULL && !g_utf8_validate(text, -1, NULL))
		g_clear_pointer(&text, g_free);
	return text;
}

/* Whether @pattern matches @parts; its {…} segments decoded into @params. */
static bool
matches(const char *pattern, char **parts, GPtrArray *params, bool *undecodable)
{
	g_auto(GStrv) wanted = g_strsplit(pattern, "/", -1);
	if (g_strv_length(wanted) != g_strv_length(parts))
		return false;
	for (guint i = 0; wanted[i] != NULL; i++) {
		if (wanted[i][0] == '{') {
			char *value = parts[i][0] != '\0' ? decode_segment(parts[i]) : NULL;
			if (value == NULL) {
				*undecodable = parts[i][0] != '\0';
				return false;
			}
			g_ptr_array_add(params, value);
		} else if (strcmp(wanted[i], parts[i]) != 0) {
			return false;
		}
	}
	return true;
}

const HttpRoute *
http_route_match(const HttpRoute *routes, gsize n, const char *method, const char *path,
                 char ***params, unsigned *status)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	*status = 404;
	*params = NULL;
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
		bool undecodable = false;
		if (!matches(routes[i].pattern, parts, found, &undecodable)) {
			if (undecodable)
				*status = 400;
			continue;
		}
		if (strcmp(routes[i].method, method) != 0) {
			*status = 405;
			continue;
		}
		g_ptr_array_add(found, NULL);
		*params = (char **)g_ptr_array_free(g_steal_pointer(&found), FALSE);
		*status = 200;
		return &routes[i];
	}
	return NULL;
}

void
http_route_add_header(HttpExchange *exchange, const char *name, const char *value)
{
	if (exchange->answer_headers == NULL)
		exchange->answer_headers = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(exchange->answer_headers, g_strdup(name));
	g_ptr_array_add(exchange->answer_headers, g_strdup(value));
}
