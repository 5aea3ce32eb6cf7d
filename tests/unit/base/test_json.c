#include "base/base_json.h"

#include <jansson.h>

static void
test_escapes_round_trip_through_a_parser(void)
{
	const char *values[] = {"plain",
	                        "quote \" and \\ backslash",
	                        "line\r\nbreak\ttab",
	                        "control \001\037 bytes",
	                        "Grüße € 😀",
	                        ""};
	for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
		g_autoptr(GString) line = g_string_new("{");
		base_json_append_member_string(line, "k", values[i]);
		base_json_append_member_uint(line, "n",
		                             G_MAXINT64); /* jansson reads signed 64 bits */
		g_string_append_c(line, '}');
		json_error_t error;
		json_t *parsed = json_loads(line->str, 0, &error);
		g_assert_nonnull(parsed);
		g_assert_cmpstr(json_string_value(json_object_get(parsed, "k")), ==, values[i]);
		json_decref(parsed);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/base/json/escapes-round-trip-through-a-parser",
	                test_escapes_round_trip_through_a_parser);
	return g_test_run();
}
