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

/* NULL is null; text that is not UTF-8 is made valid; every byte value and
 * random bytes read back as the text (made valid) they were. */
static void
test_any_text_reads_back(void)
{
	g_autoptr(GString) out = g_string_new(NULL);
	base_json_append_string(out, NULL);
	g_assert_cmpstr(out->str, ==, "null");
	char every[256];
	for (int i = 1; i < 256; i++)
		every[i - 1] = (char)i;
	every[255] = '\0';
	for (int round = 0; round <= 2000; round++) {
		char text[40];
		const char *value = every;
		if (round > 0) {
			gsize n = (gsize)g_test_rand_int_range(0, (gint32)sizeof text);
			for (gsize i = 0; i < n; i++)
				text[i] = (char)g_test_rand_int_range(1, 256);
			text[n] = '\0';
			value = text;
		}
		g_string_truncate(out, 0);
		base_json_append_string(out, value);
		json_error_t problem;
		json_t *read = json_loadb(out->str, out->len, JSON_DECODE_ANY, &problem);
		if (read == NULL)
			g_error("%s does not read back: %s", out->str, problem.text);
		g_autofree char *valid = g_utf8_make_valid(value, -1);
		g_assert_cmpstr(json_string_value(read), ==, valid);
		json_decref(read);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/base/json/escapes-round-trip-through-a-parser",
	                test_escapes_round_trip_through_a_parser);
	g_test_add_func("/base/json/any-text-reads-back", test_any_text_reads_back);
	return g_test_run();
}
