/*
 * Fuzz target: what an HTTP client sends the API. "METHOD PATH\nBODY": the
 * path is matched to the routes (its segments percent-decoded: each one
 * valid UTF-8 without NUL, or a 400), the body read as JSON as the server
 * does, and a problem+json answer about the path is valid JSON whatever
 * bytes it names.
 */
#include "http/http_api.h"
#include "http/http_problem.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	char *body = strchr(text, '\n');
	if (body != NULL)
		*body++ = '\0';
	char *path = strchr(text, ' ');
	if (path == NULL)
		return 0;
	*path++ = '\0';
	gsize n = 0;
	const HttpRoute *routes = http_api_routes(&n);
	g_auto(GStrv) params = NULL;
	unsigned status = 0;
	const HttpRoute *route = http_route_match(routes, n, text, path, &params, &status);
	g_assert_true(status == 200 || status == 400 || status == 404 || status == 405);
	g_assert_true((route != NULL) == (status == 200));
	for (guint i = 0; route != NULL && params[i] != NULL; i++)
		g_assert_true(g_utf8_validate(params[i], -1, NULL) && params[i][0] != '\0');
	if (body != NULL) {
		json_t *value = json_loads(body, 0, NULL);
		json_decref(value);
	}
	g_autofree char *problem = http_problem_json(status == 200 ? 422 : status, path);
	json_t *parsed = json_loads(problem, 0, NULL);
	g_assert_nonnull(parsed);
	g_assert_cmpint(json_integer_value(json_object_get(parsed, "status")), ==,
	                status == 200 ? 422 : status);
	json_decref(parsed);
	return 0;
}
