/* The API's JSON written by hand is byte for byte what jansson writes. */
#include "http/http_json.h"

#include <string.h>

/* What jansson writes for http_json_text(@text). */
static char *
jansson_of(const char *text)
{
	json_t *value = http_json_text(text);
	char *dumped = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(value);
	char *copy = g_strdup(dumped);
	free(dumped);
	return copy;
}

static void
expect_same(const char *text)
{
	g_autoptr(GString) out = g_string_new(NULL);
	http_json_append_text(out, text);
	g_autofree char *expected = jansson_of(text);
	g_assert_cmpstr(out->str, ==, expected);
}

static void
test_text_as_jansson_writes_it(void)
{
	static const char *const texts[] = {
	        "",
	        "plain",
	        "Ann O'Neil <ann@example.test>",
	        "quote \" backslash \\ slash / done",
	        "\b\f\n\r\t and \x01\x1f\x7f",
	        "Zoë, Łódź, 東京, 🙂",
	        "\xe2\x80\xa8 line separator",
	        "invalid \xff\xfe bytes \xc3 cut",
	        "\xed\xa0\x80 a surrogate",
	};
	expect_same(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
		expect_same(texts[i]);
	/* Every byte value, then random bytes (mostly not UTF-8). */
	char every[256];
	for (int i = 1; i < 256; i++)
		every[i - 1] = (char)i;
	every[255] = '\0';
	expect_same(every);
	for (int round = 0; round < 2000; round++) {
		char text[40];
		gsize n = (gsize)g_test_rand_int_range(0, (gint32)sizeof text);
		for (gsize i = 0; i < n; i++)
			text[i] = (char)g_test_rand_int_range(1, 256);
		text[n] = '\0';
		expect_same(text);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/http/json/text-as-jansson-writes-it", test_text_as_jansson_writes_it);
	return g_test_run();
}
