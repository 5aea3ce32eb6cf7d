/* The API's JSON written by hand reads back as what jansson would have
 * carried. */
#include "http/http_json.h"

#include <string.h>

static void
expect_same(const char *text)
{
	g_autoptr(GString) out = g_string_new(NULL);
	http_json_append_text(out, text);
	json_error_t problem;
	json_t *read = json_loadb(out->str, out->len, JSON_DECODE_ANY, &problem);
	if (read == NULL)
		g_error("%s does not read back: %s", out->str, problem.text);
	json_t *expected = http_json_text(text);
	g_assert_true(json_equal(read, expected));
	json_decref(read);
	json_decref(expected);
}

static void
test_text_reads_back(void)
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
	g_test_add_func("/http/json/text-reads-back-as-jansson-carries-it", test_text_reads_back);
	return g_test_run();
}
