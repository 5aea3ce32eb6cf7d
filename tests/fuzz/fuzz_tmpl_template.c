/*
 * Fuzz target: template parsing and rendering, with some fields present,
 * some absent, and header-safe output checked for CR and LF.
 */
#include "tmpl/tmpl_template.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
lookup(const char *field, void *user_data)
{
	if (strcmp(field, "first_name") == 0)
		return "Carol";
	if (strcmp(field, "company") == 0)
		return "Acme\r\nBcc: x@y";
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(TmplTemplate) tmpl = tmpl_template_parse(text, "fuzz", &error);
	if (tmpl == NULL)
		return 0;
	g_autofree char *body = tmpl_template_render(tmpl, lookup, NULL, size, false, NULL);
	if (body != NULL)
		g_assert(g_utf8_validate(body, -1, NULL));
	g_autofree char *header = tmpl_template_render(tmpl, lookup, NULL, size, true, NULL);
	if (header != NULL)
		g_assert(strpbrk(header, "\r\n") == NULL);
	g_autoptr(GPtrArray) fields = tmpl_template_dup_fields(tmpl);
	g_assert(fields->len <= size);
	return 0;
}
