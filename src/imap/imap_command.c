#include "imap/imap_command.h"

#include "imap/imap_error.h"

#include <string.h>

/* Longer strings go as literals: quoting long text gains nothing. */
#define QUOTED_MAX_BYTES 1024

static bool
is_atom_char(unsigned char c)
{
	/* RFC 9051 9: ATOM-CHAR is any CHAR except atom-specials. */
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return strchr("(){%*\"\\]", c) == NULL;
}

bool
imap_command_append_astring(GString *command, const char *value, bool literal_plus,
                            ImapArgForm *form, GError **error)
{
	gsize n = strlen(value);
	bool atom = n > 0;
	bool quotable = n <= QUOTED_MAX_BYTES;

	if (strpbrk(value, "\r\n") != NULL) {
		g_set_error_literal(error, IMAP_ERROR, IMAP_ERROR_INPUT,
		                    "an IMAP argument cannot hold CR or LF");
		return false;
	}
	for (gsize i = 0; i < n; i++) {
		unsigned char c = (unsigned char)value[i];
		if (!is_atom_char(c))
			atom = false;
		if (c >= 0x80 || c < 0x20)
			quotable = false;
	}
	/* NIL as an atom would mean "no value". */
	if (atom && g_ascii_strcasecmp(value, "NIL") != 0) {
		g_string_append(command, value);
		*form = IMAP_ARG_INLINE;
		return true;
	}
	if (quotable) {
		g_string_append_c(command, '"');
		for (gsize i = 0; i < n; i++) {
			if (value[i] == '"' || value[i] == '\\')
				g_string_append_c(command, '\\');
			g_string_append_c(command, value[i]);
		}
		g_string_append_c(command, '"');
		*form = IMAP_ARG_INLINE;
		return true;
	}
	g_string_append_printf(command, "{%zu%s}", n, literal_plus ? "+" : "");
	*form = literal_plus ? IMAP_ARG_LITERAL_PLUS : IMAP_ARG_LITERAL_SYNC;
	return true;
}

static const char base64_mutf7[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static void
flush_utf16(GString *out, const GArray *units)
{
	guint32 bits = 0;
	int n_bits = 0;
	g_string_append_c(out, '&');
	for (guint i = 0; i < units->len; i++) {
		guint16 unit = g_array_index(units, guint16, i);
		for (int shift = 8; shift >= 0; shift -= 8) {
			bits = (bits << 8) | ((unit >> shift) & 0xff);
			n_bits += 8;
			while (n_bits >= 6) {
				n_bits -= 6;
				g_string_append_c(out, base64_mutf7[(bits >> n_bits) & 0x3f]);
			}
		}
	}
	if (n_bits > 0)
		g_string_append_c(out, base64_mutf7[(bits << (6 - n_bits)) & 0x3f]);
	g_string_append_c(out, '-');
}

char *
imap_command_encode_mailbox(const char *utf8)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GArray) units = g_array_new(FALSE, FALSE, sizeof(guint16));

	for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c >= 0x20 && c <= 0x7e) {
			if (units->len > 0) {
				flush_utf16(out, units);
				g_array_set_size(units, 0);
			}
			g_string_append(out, c == '&' ? "&-" : (char[]){(char)c, '\0'});
			continue;
		}
		if (c >= 0x10000) {
			c -= 0x10000;
			guint16 high = (guint16)(0xd800 + (c >> 10));
			guint16 low = (guint16)(0xdc00 + (c & 0x3ff));
			g_array_append_val(units, high);
			g_array_append_val(units, low);
		} else {
			guint16 unit = (guint16)c;
			g_array_append_val(units, unit);
		}
	}
	if (units->len > 0)
		flush_utf16(out, units);
	return g_string_free(out, FALSE);
}

static int
base64_value(char c)
{
	const char *p = strchr(base64_mutf7, c);
	return c != '\0' && p != NULL ? (int)(p - base64_mutf7) : -1;
}

char *
imap_command_decode_mailbox(const char *name)
{
	GString *out = g_string_new(NULL);
	for (const char *p = name; *p != '\0'; p++) {
		if (*p != '&') {
			g_string_append_c(out, *p);
			continue;
		}
		if (p[1] == '-') {
			g_string_append_c(out, '&');
			p++;
			continue;
		}
		guint32 bits = 0;
		int n_bits = 0;
		guint16 high = 0;
		const char *q = p + 1;
		for (; *q != '-' && *q != '\0'; q++) {
			int v = base64_value(*q);
			if (v < 0)
				goto invalid;
			bits = (bits << 6) | (guint32)v;
			n_bits += 6;
			if (n_bits >= 16) {
				n_bits -= 16;
				guint16 unit = (guint16)((bits >> n_bits) & 0xffff);
				if (unit >= 0xd800 && unit < 0xdc00) {
					high = unit;
				} else if (unit >= 0xdc00 && unit < 0xe000 && high != 0) {
					g_string_append_unichar(
					        out, 0x10000 + (((gunichar)high - 0xd800) << 10) +
					                     (unit - 0xdc00));
					high = 0;
				} else {
					g_string_append_unichar(out, unit);
				}
			}
		}
		if (*q != '-')
			goto invalid;
		p = q;
	}
	return g_string_free(out, FALSE);
invalid:
	g_string_free(out, TRUE);
	return g_strdup(name);
}
