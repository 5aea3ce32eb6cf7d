/* Matching a request's path to the route table. */
#include "http/http_route.h"

#include <string.h>

/* The length of the segment at @text (up to a '/' or the end); a loop, not
 * strcspn(): segments are short and the table is tried for each request. */
static gsize
segment_length(const char *text)
{
	gsize n = 0;
	while (text[n] != '/' && text[n] != '\0')
		n++;
	return n;
}

/* The segment of @path that starts at @segment percent-decoded, valid UTF-8
 * without NUL; NULL otherwise (an empty segment too). */
static char *
decode_segment(const char *segment)
{
	gsize length = segment_length(segment);
	if (length == 0)
		return NULL;
	char *text = g_uri_unescape_segment(segment, segment + length, NULL);
	if (text != NULL && !g_utf8_validate(text, -1, NULL))
		g_clear_pointer(&text, g_free);
	return text;
}

/* Whether @path has @pattern's segments: as many, each fixed one the same
 * ({…} ones take any). Nothing is allocated: every request tries the table. */
static bool
same_shape(const char *pattern, const char *path)
{
	for (;;) {
		gsize wanted = segment_length(pattern);
		gsize given = segment_length(path);
		if (pattern[0] != '{' && (wanted != given || memcmp(pattern, path, given) != 0))
			return false;
		if (pattern[wanted] == '\0' || path[given] == '\0')
			return pattern[wanted] == path[given];
		pattern += wanted + 1;
		path += given + 1;
	}
}

/* @path's segments under @pattern's {…} ones, decoded, NULL-terminated; NULL
 * when one is empty or does not decode (*@undecodable then says which). */
static char **
params_of(const char *pattern, const char *path, bool *undecodable)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	for (;;) {
		if (pattern[0] == '{') {
			char *value = decode_segment(path);
			if (value == NULL) {
				*undecodable = path[0] != '/' && path[0] != '\0';
				return NULL;
			}
			g_ptr_array_add(found, value);
		}
		pattern += segment_length(pattern);
		path += segment_length(path);
		if (pattern[0] == '\0')
			break;
		pattern++;
		path++;
	}
	g_ptr_array_add(found, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&found), FALSE);
}

const HttpRoute *
http_route_match(const HttpRoute *routes, gsize n, const char *method, const char *path,
                 char ***params, unsigned *status)
{
	*status = 404;
	*params = NULL;
	for (gsize i = 0; i < n; i++) {
		if (!same_shape(routes[i].pattern, path))
			continue;
		bool undecodable = false;
		g_auto(GStrv) found = params_of(routes[i].pattern, path, &undecodable);
		if (found == NULL) {
			if (undecodable)
				*status = 400;
			continue;
		}
		if (strcmp(routes[i].method, method) != 0) {
			*status = 405;
			continue;
		}
		*params = g_steal_pointer(&found);
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
