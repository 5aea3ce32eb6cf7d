/*
 * Fuzz target: what the command prints for people from outside text
 * (replies, CSV fields, server alerts). Whatever the bytes, the result is
 * valid UTF-8 with no control character but line feed and tab.
 */
#include "cli/cli_output.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *safe = cli_output_safe_dup((const char *)data, (gssize)size);
	g_assert_true(g_utf8_validate(safe, -1, NULL));
	for (const char *p = safe; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		g_assert_true(c == '\n' || c == '\t' ||
		              (c >= 0x20 && c != 0x7f && (c < 0x80 || c >= 0xa0)));
		g_assert_false(c == 0x1b);
	}
	return 0;
}
