#include "base/base_error.h"

#include <string.h>

GQuark
base_error_quark(void)
{
	return g_quark_from_static_string("piculet-base-error");
}

char *
base_error_printable_dup(const char *text, gssize length, gsize max_chars)
{
	if (text == NULL)
		return g_strdup("");
	gsize n = length < 0 ? strlen(text) : (gsize)length;
	/* A NUL is a control byte like the others, not the end of the text. */
	g_autofree char *copy = g_malloc(n + 1);
	memcpy(copy, text, n);
	copy[n] = '\0';
	for (gsize i = 0; i < n; i++)
		if (copy[i] == '\0')
			copy[i] = ' ';
	g_autofree char *valid = g_utf8_make_valid(copy, (gssize)n);
	GString *out = g_string_sized_new(MIN(n, max_chars * 4) + 4);
	gsize n_chars = 0;
	bool cut = false;
	bool pending_space = false;

	for (const char *p = valid, *next = NULL; *p != '\0'; p = next) {
		/* Most text is ASCII: its bytes need no decoding or table. */
		bool ascii = (guchar)*p < 0x80;
		gunichar c = ascii ? (guchar)*p : g_utf8_get_char(p);
		next = ascii ? p + 1 : g_utf8_next_char(p);
		bool space =
		        c <= 0x20 || c == 0x7f || (c >= 0x80 && (c < 0xa0 || g_unichar_isspace(c)));
		if (space) {
			pending_space = out->len > 0;
			continue;
		}
		if (n_chars + (pending_space ? 1 : 0) >= max_chars) {
			cut = true;
			break;
		}
		if (pending_space) {
			g_string_append_c(out, ' ');
			n_chars++;
			pending_space = false;
		}
		if (ascii)
			g_string_append_c(out, (char)c);
		else
			g_string_append_unichar(out, c);
		n_chars++;
	}
	if (cut)
		g_string_append(out, "...");
	return g_string_free(out, FALSE);
}
