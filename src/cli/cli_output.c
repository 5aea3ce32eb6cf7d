#include "cli/cli_output.h"

#include "base/base_zone.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool
shown_as_is(gunichar c)
{
	if (c == '\n' || c == '\t')
		return true;
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return false;
	/* Direction overrides and isolates reorder what a person reads. */
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return false;
	return true;
}

char *
cli_output_safe_dup(const char *text, gssize length)
{
	if (text == NULL)
		return g_strdup("");
	gsize n = length < 0 ? strlen(text) : (gsize)length;
	GString *out = g_string_sized_new(n + 1);
	const char *p = text;
	const char *end = text + n;
	while (p < end) {
		if (p[0] == '\r' && p + 1 < end && p[1] == '\n') {
			p++;
			continue;
		}
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_unichar(out, 0xfffd);
			p++;
			continue;
		}
		if (shown_as_is(c))
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
		else
			g_string_append_unichar(out, 0xfffd);
		p = g_utf8_next_char(p);
	}
	return g_string_free(out, FALSE);
}

static void print_to(FILE *stream, const char *format, va_list args) G_GNUC_PRINTF(2, 0);

static void
print_to(FILE *stream, const char *format, va_list args)
{
	g_autofree char *text = g_strdup_vprintf(format, args);
	g_autofree char *safe = cli_output_safe_dup(text, -1);
	fputs(safe, stream);
}

void
cli_output_printf(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	print_to(stdout, format, args);
	va_end(args);
}

void
cli_output_eprintf(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	print_to(stderr, format, args);
	va_end(args);
}

void
cli_output_puts(const char *text)
{
	g_autofree char *safe = cli_output_safe_dup(text, -1);
	fputs(safe, stdout);
}

char *
cli_output_time(int64_t at_us)
{
	char *text = base_zone_format_utc(at_us);
	return text != NULL ? text : g_strdup("-");
}
