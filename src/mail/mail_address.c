#include "mail/mail_address.h"

#include "mail/mail_error.h"

#include <stdbool.h>
#include <string.h>

static bool
invalid(GError **error, const char *why)
{
	g_set_error(error, MAIL_ERROR, MAIL_ERROR_INVALID, "not an address: %s", why);
	return false;
}

/* RFC 5322 3.2.3 atext, plus "." between atoms. */
static bool
local_part_ok(const char *local, gsize n, GError **error)
{
	if (n == 0)
		return invalid(error, "nothing before the @");
	if (n > 64)
		return invalid(error, "the part before the @ is longer than 64");
	if (local[0] == '.' || local[n - 1] == '.' || g_strstr_len(local, (gssize)n, "..") != NULL)
		return invalid(error, "a dot at the start, the end, or twice in a row");
	for (gsize i = 0; i < n; i++) {
		unsigned char c = (unsigned char)local[i];
		if (!g_ascii_isalnum(c) && c < 0x80 && strchr("!#$%&'*+-/=?^_`{|}~.", c) == NULL)
			return invalid(error, "a character an address cannot hold");
	}
	return true;
}

static bool
domain_ok(const char *domain, GError **error)
{
	gsize n = strlen(domain);
	if (n == 0)
		return invalid(error, "nothing after the @");
	if (n > 253)
		return invalid(error, "the domain is longer than 253");
	if (strchr(domain, '.') == NULL)
		return invalid(error, "the domain has no dot");
	/* One pass over the labels (this runs for every row of an import). */
	gsize label_start = 0;
	for (gsize i = 0; i <= n; i++) {
		char c = domain[i];
		if (c == '.' || c == '\0') {
			gsize length = i - label_start;
			if (length == 0 || length > 63)
				return invalid(error, "an empty or too long part of the domain");
			if (domain[label_start] == '-' || domain[i - 1] == '-')
				return invalid(error, "a domain part starting or ending with -");
			label_start = i + 1;
		} else if (!g_ascii_isalnum(c) && c != '-' && (unsigned char)c < 0x80) {
			return invalid(error, "a character a domain cannot hold");
		}
	}
	return true;
}

char *
mail_address_normalize(const char *text, GError **error)
{
	g_autofree char *copy = g_strstrip(g_strdup(text != NULL ? text : ""));
	gsize n = strlen(copy);
	if (n >= 2 && copy[0] == '<' && copy[n - 1] == '>') {
		copy[n - 1] = '\0';
		memmove(copy, copy + 1, n - 1);
	}
	if (copy[0] == '\0') {
		invalid(error, "empty");
		return NULL;
	}
	if (!g_utf8_validate(copy, -1, NULL)) {
		invalid(error, "not UTF-8");
		return NULL;
	}
	for (const char *p = copy; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			invalid(error, "a space or control character in it");
			return NULL;
		}
	const char *at = strchr(copy, '@');
	if (at == NULL) {
		invalid(error, "no @");
		return NULL;
	}
	if (strchr(at + 1, '@') != NULL) {
		invalid(error, "more than one @");
		return NULL;
	}
	if (!local_part_ok(copy, (gsize)(at - copy), error) || !domain_ok(at + 1, error))
		return NULL;
	for (const char *p = copy; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			return g_utf8_strdown(copy, -1);
	return g_ascii_strdown(copy, -1);
}
