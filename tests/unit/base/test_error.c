#include "base/base_error.h"

static void
test_printable_controls_become_one_space(void)
{
	g_autofree char *s =
	        base_error_printable_dup("  550 5.1.1\r\n  user\tunknown\x01 ", -1, 80);
	g_assert_cmpstr(s, ==, "550 5.1.1 user unknown");
}

/* Spaces and controls beyond ASCII (C1 controls, no-break and em spaces,
 * DEL) are blanks too; letters of any script are kept and counted as one
 * character each. */
static void
test_printable_unicode_spaces_and_letters(void)
{
	g_autofree char *s =
	        base_error_printable_dup("\xc2\x85Gr\xc3\xbc\xc3\x9f\xc2\xa0Gott\x7f\xe2\x80\x83"
	                                 "\xe6\x97\xa5\xe6\x9c\xac\xc2\x9f",
	                                 -1, 80);
	g_assert_cmpstr(s, ==, "Gr\xc3\xbc\xc3\x9f Gott \xe6\x97\xa5\xe6\x9c\xac");
	g_autofree char *cut =
	        base_error_printable_dup("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", -1, 2);
	g_assert_cmpstr(cut, ==, "\xe6\x97\xa5\xe6\x9c\xac...");
}

static void
test_printable_invalid_utf8_replaced(void)
{
	g_autofree char *s = base_error_printable_dup("caf\xe9 ok", -1, 80);
	g_assert_cmpstr(s, ==, "caf\xef\xbf\xbd ok");
}

static void
test_printable_cut_at_max_chars(void)
{
	g_autofree char *s = base_error_printable_dup("abcdefghij", -1, 4);
	g_assert_cmpstr(s, ==, "abcd...");
}

static void
test_printable_length_limits_input(void)
{
	g_autofree char *s = base_error_printable_dup("abc\0def", 7, 80);
	g_assert_cmpstr(s, ==, "abc def");
	g_autofree char *null = base_error_printable_dup(NULL, -1, 80);
	g_assert_cmpstr(null, ==, "");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/base/error/printable-controls-become-one-space",
	                test_printable_controls_become_one_space);
	g_test_add_func("/base/error/printable-unicode-spaces-and-letters",
	                test_printable_unicode_spaces_and_letters);
	g_test_add_func("/base/error/printable-invalid-utf8-replaced",
	                test_printable_invalid_utf8_replaced);
	g_test_add_func("/base/error/printable-cut-at-max-chars", test_printable_cut_at_max_chars);
	g_test_add_func("/base/error/printable-length-limits-input",
	                test_printable_length_limits_input);
	return g_test_run();
}
