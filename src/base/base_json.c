#include "base/base_json.h"

#include <string.h>

void
base_json_append_string(GString *out, const char *value)
{
	static const char hex[] = "0123456789abcdef";
	if (value == NULL) {
		g_string_append(out, "null");
		return;
	}
	/* Valid text (nearly all) is checked once and not copied. */
	g_autofree char *valid =
	        g_utf8_validate(value, -1, NULL) ? NULL : g_utf8_make_valid(value, -1);
	if (valid != NULL)
		value = valid;
	g_string_append_c(out, '"');
	const char *run = value;
	for (const char *p = value; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		g_string_append_len(out, run, p - run);
		run = p + 1;
		switch (c) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default: {
			char escaped[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], '\0'};
			g_string_append(out, escaped);
			break;
		}
		}
	}
	g_string_append(out, run);
	g_string_append_c(out, '"');
}

void
base_json_append_key(GString *out, const char *key)
{
	if (out->len > 0 && out->str[out->len - 1] != '{')
		g_string_append_c(out, ',');
	base_json_append_string(out, key);
	g_string_append_c(out, ':');
}

void
base_json_append_member_string(GString *out, const char *key, const char *value)
{
	base_json_append_key(out, key);
	base_json_append_string(out, value);
}

void
base_json_append_member_uint(GString *out, const char *key, uint64_t value)
{
	base_json_append_key(out, key);
	g_string_append_printf(out, "%" G_GUINT64_FORMAT, value);
}
