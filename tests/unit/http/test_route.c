/* The route table's matching: which route a path and a method reach, with
 * what parameters, or which status refuses them. */
#include "http/http_route.h"

#include <string.h>

static void
noop(HttpExchange *exchange)
{
	(void)exchange;
}

static const HttpRoute routes[] = {
        {.method = "GET", .pattern = "/api/v1/campaigns", .handler = noop},
        {.method = "GET", .pattern = "/api/v1/campaigns/{name}", .handler = noop},
        {.method = "DELETE", .pattern = "/api/v1/campaigns/{name}", .handler = noop},
        {.method = "GET", .pattern = "/api/v1/campaigns/{name}/report", .handler = noop},
        {.method = "GET", .pattern = "/api/v1/campaigns/{name}/steps/{step}", .handler = noop},
        {.method = "GET", .pattern = "/u/{token}", .handler = noop},
        {.method = "POST", .pattern = "/u/{token}", .handler = noop},
};

/* The pattern @path and @method reach ("" for none), its parameters joined
 * by "|", and the status. */
static void
expect(const char *method, const char *path, const char *pattern, const char *params,
       unsigned status)
{
	char **found = NULL;
	unsigned got = 0;
	const HttpRoute *route =
	        http_route_match(routes, G_N_ELEMENTS(routes), method, path, &found, &got);
	g_test_message("%s %s", method, path);
	g_assert_cmpuint(got, ==, status);
	g_assert_cmpstr(route != NULL ? route->pattern : "", ==, pattern);
	g_autofree char *joined = found != NULL ? g_strjoinv("|", found) : g_strdup("");
	g_assert_cmpstr(joined, ==, params);
	g_strfreev(found);
}

static void
test_fixed_and_named_segments(void)
{
	expect("GET", "/api/v1/campaigns", "/api/v1/campaigns", "", 200);
	expect("GET", "/api/v1/campaigns/Spring", "/api/v1/campaigns/{name}", "Spring", 200);
	expect("DELETE", "/api/v1/campaigns/Spring", "/api/v1/campaigns/{name}", "Spring", 200);
	expect("GET", "/api/v1/campaigns/Spring/report", "/api/v1/campaigns/{name}/report",
	       "Spring", 200);
	expect("GET", "/api/v1/campaigns/Spring/steps/2", "/api/v1/campaigns/{name}/steps/{step}",
	       "Spring|2", 200);
	expect("POST", "/u/abc-_", "/u/{token}", "abc-_", 200);
}

static void
test_segments_decoded_one_by_one(void)
{
	/* "%2F" stays inside its segment; UTF-8 is decoded. */
	expect("GET", "/api/v1/campaigns/Q1%2FQ2", "/api/v1/campaigns/{name}", "Q1/Q2", 200);
	expect("GET", "/api/v1/campaigns/Fr%C3%BChling/report", "/api/v1/campaigns/{name}/report",
	       "Frühling", 200);
	expect("GET", "/api/v1/campaigns/a%20b", "/api/v1/campaigns/{name}", "a b", 200);
}

static void
test_refusals(void)
{
	/* No route of that shape. */
	expect("GET", "/api/v1/campaign", "", "", 404);
	expect("GET", "/api/v1/campaigns/Spring/reports", "", "", 404);
	expect("GET", "/api/v1/campaigns/Spring/report/x", "", "", 404);
	expect("GET", "/api/v1/campaignsX", "", "", 404);
	expect("GET", "/api/v1/campaigns/", "", "", 404); /* an empty name is no name */
	expect("GET", "/api/v1//report", "", "", 404);
	expect("GET", "", "", "", 404);
	expect("GET", "/", "", "", 404);
	expect("GET", "api/v1/campaigns", "", "", 404);
	/* The path is there, the method is not. */
	expect("PUT", "/api/v1/campaigns/Spring", "", "", 405);
	expect("DELETE", "/u/abc", "", "", 405);
	/* A segment that does not decode: a NUL, invalid UTF-8, a broken escape. */
	expect("GET", "/api/v1/campaigns/a%00b", "", "", 400);
	expect("GET", "/api/v1/campaigns/%FF/report", "", "", 400);
	expect("GET", "/u/%G1", "", "", 400);
	/* ...which does not matter where the fixed segments differ. */
	expect("GET", "/api/v1/campaigns/%FF/other", "", "", 404);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/http/route/fixed-and-named-segments", test_fixed_and_named_segments);
	g_test_add_func("/http/route/segments-decoded-one-by-one",
	                test_segments_decoded_one_by_one);
	g_test_add_func("/http/route/refusals", test_refusals);
	return g_test_run();
}
