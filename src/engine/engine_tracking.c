/* Opt-in open and click tracking: the HTML part, its signed links, and
 * which fetches count as a person's. */
#include "engine/engine_tracking.h"

#include "engine/engine_links.h"

#include <openssl/crypto.h>
#include <string.h>

#define LABEL           "piculet track v1"
#define KIND_OPEN       'o'
#define KIND_CLICK      'c'
#define HEAD_BYTES      11 /* kind, enrollment (8), step (2) */
#define SIGNATURE_BYTES 16
#define MAX_URL_BYTES   2048

/* kind, enrollment, step, [url], the first 16 bytes of their HMAC. */
static char *
make_token(const BaseSealKey *key, char kind, int64_t enrollment_id, int step, const char *url)
{
	gsize url_length = url != NULL ? strlen(url) : 0;
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	guint64 id = GUINT64_TO_BE((guint64)enrollment_id);
	guint16 number = GUINT16_TO_BE((guint16)step);
	g_byte_array_append(bytes, (const guint8 *)&kind, 1);
	g_byte_array_append(bytes, (const guint8 *)&id, 8);
	g_byte_array_append(bytes, (const guint8 *)&number, 2);
	if (url_length > 0)
		g_byte_array_append(bytes, (const guint8 *)url, (guint)url_length);
	guint8 signature[32];
	base_seal_sign(key, LABEL, bytes->data, bytes->len, signature);
	g_byte_array_append(bytes, signature, SIGNATURE_BYTES);
	return engine_links_encode(bytes->data, bytes->len);
}

/* The token's bytes when it is one of @kind this key signed; NULL else. */
static GBytes *
open_token(const BaseSealKey *key, char kind, const char *token)
{
	gsize max_chars = (gsize)(HEAD_BYTES + MAX_URL_BYTES + SIGNATURE_BYTES + 2) / 3 * 4;
	if (token == NULL || strlen(token) > max_chars)
		return NULL;
	gsize length = 0;
	g_autofree guint8 *bytes = engine_links_decode(token, &length);
	if (bytes == NULL || length < HEAD_BYTES + SIGNATURE_BYTES || bytes[0] != (guint8)kind)
		return NULL;
	guint8 signature[32];
	base_seal_sign(key, LABEL, bytes, length - SIGNATURE_BYTES, signature);
	if (CRYPTO_memcmp(signature, bytes + length - SIGNATURE_BYTES, SIGNATURE_BYTES) != 0)
		return NULL;
	return g_bytes_new(bytes, length - SIGNATURE_BYTES);
}

static void
read_head(GBytes *bytes, int64_t *enrollment_id, int *step)
{
	const guint8 *data = g_bytes_get_data(bytes, NULL);
	guint64 id = 0;
	guint16 number = 0;
	memcpy(&id, data + 1, 8);
	memcpy(&number, data + 9, 2);
	*enrollment_id = (int64_t)GUINT64_FROM_BE(id);
	*step = GUINT16_FROM_BE(number);
}

char *
engine_tracking_open_token(const BaseSealKey *key, int64_t enrollment_id, int step)
{
	return make_token(key, KIND_OPEN, enrollment_id, step, NULL);
}

char *
engine_tracking_click_token(const BaseSealKey *key, int64_t enrollment_id, int step,
                            const char *url)
{
	return make_token(key, KIND_CLICK, enrollment_id, step, url);
}

bool
engine_tracking_open_check(const BaseSealKey *key, const char *token, int64_t *enrollment_id,
                           int *step)
{
	g_autoptr(GBytes) bytes = open_token(key, KIND_OPEN, token);
	if (bytes == NULL || g_bytes_get_size(bytes) != HEAD_BYTES)
		return false;
	read_head(bytes, enrollment_id, step);
	return true;
}

bool
engine_tracking_click_check(const BaseSealKey *key, const char *token, int64_t *enrollment_id,
                            int *step, char **url)
{
	g_autoptr(GBytes) bytes = open_token(key, KIND_CLICK, token);
	gsize n = bytes != NULL ? g_bytes_get_size(bytes) : 0;
	if (n <= HEAD_BYTES)
		return false;
	const char *data = g_bytes_get_data(bytes, NULL);
	/* Signed by us, so what we wrote: still, never a NUL or a line end. */
	if (memchr(data + HEAD_BYTES, '\0', n - HEAD_BYTES) != NULL ||
	    memchr(data + HEAD_BYTES, '\r', n - HEAD_BYTES) != NULL ||
	    memchr(data + HEAD_BYTES, '\n', n - HEAD_BYTES) != NULL)
		return false;
	read_head(bytes, enrollment_id, step);
	*url = g_strndup(data + HEAD_BYTES, n - HEAD_BYTES);
	return true;
}

static void
escape(GString *out, const char *text, gsize length)
{
	for (gsize i = 0; i < length; i++) {
		switch (text[i]) {
		case '&':
			g_string_append(out, "&amp;");
			break;
		case '<':
			g_string_append(out, "&lt;");
			break;
		case '>':
			g_string_append(out, "&gt;");
			break;
		case '"':
			g_string_append(out, "&quot;");
			break;
		case '\'':
			g_string_append(out, "&#39;");
			break;
		default:
			g_string_append_c(out, text[i]);
		}
	}
}

/* The length of the link at @text ("http://..." or "https://..."), its
 * closing punctuation left out; 0 when none starts there. */
static gsize
link_length(const char *text)
{
	if (!g_str_has_prefix(text, "https://") && !g_str_has_prefix(text, "http://"))
		return 0;
	gsize n = strcspn(text, " \t\r\n<>\"'");
	while (n > 0 && strchr(".,;:!?)]}", text[n - 1]) != NULL)
		n--;
	gsize scheme = g_str_has_prefix(text, "https://") ? 8 : 7;
	return n > scheme && n <= MAX_URL_BYTES ? n : 0;
}

static void
put_line(GString *out, const char *line, gsize length, const BaseSealKey *key, const char *base,
         int64_t enrollment_id, int step, bool clicks)
{
	gsize i = 0;
	while (i < length) {
		const char *next = NULL;
		for (gsize j = i; j < length && next == NULL; j++)
			if ((line[j] == 'h') && (j == 0 || !g_ascii_isalnum(line[j - 1])) &&
			    link_length(line + j) > 0 && j + link_length(line + j) <= length)
				next = line + j;
		gsize plain = next != NULL ? (gsize)(next - line) - i : length - i;
		escape(out, line + i, plain);
		i += plain;
		if (next == NULL)
			break;
		gsize n = link_length(next);
		g_autofree char *url = g_strndup(next, n);
		g_autofree char *token =
		        clicks ? engine_tracking_click_token(key, enrollment_id, step, url) : NULL;
		g_autofree char *href =
		        clicks ? g_strdup_printf("%s/c/%s", base, token) : g_strdup(url);
		g_string_append(out, "<a href=\"");
		escape(out, href, strlen(href));
		g_string_append(out, "\">");
		escape(out, url, n);
		g_string_append(out, "</a>");
		i += n;
	}
}

char *
engine_tracking_html(const char *text, const BaseSealKey *key, const char *base,
                     int64_t enrollment_id, int step, bool opens, bool clicks)
{
	g_autofree char *trimmed_base = g_strdup(base);
	gsize base_length = strlen(trimmed_base);
	while (base_length > 0 && trimmed_base[base_length - 1] == '/')
		trimmed_base[--base_length] = '\0';
	GString *out = g_string_new("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
	                            "<body><div dir=\"auto\">\n<p>");
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	bool paragraph_empty = true;
	for (gsize i = 0; lines[i] != NULL; i++) {
		gsize length = strlen(lines[i]);
		if (length > 0 && lines[i][length - 1] == '\r')
			length--;
		if (length == 0) {
			if (!paragraph_empty)
				g_string_append(out, "</p>\n<p>");
			paragraph_empty = true;
			continue;
		}
		if (!paragraph_empty)
			g_string_append(out, "<br>\n");
		put_line(out, lines[i], length, key, trimmed_base, enrollment_id, step, clicks);
		paragraph_empty = false;
	}
	g_string_append(out, "</p>\n</div>");
	if (opens) {
		g_autofree char *token = engine_tracking_open_token(key, enrollment_id, step);
		g_string_append_printf(out,
		                       "\n<img src=\"%s/o/%s\" width=\"1\" height=\"1\" alt=\"\" "
		                       "style=\"display:block;border:0\">",
		                       trimmed_base, token);
	}
	g_string_append(out, "\n</body></html>\n");
	return g_string_free(out, FALSE);
}

/* User-Agents of fetches no person made: providers' image proxies, mail
 * security gateways and link checkers, previews, programs. Lower case. */
static const struct {
	const char *needle;
	const char *reason;
} machines[] = {
        {"googleimageproxy", "Gmail's image proxy"},
        {"ggpht.com", "Gmail's image proxy"},
        {"yahoomailproxy", "Yahoo Mail's image proxy"},
        {"barracuda", "a security gateway (Barracuda)"},
        {"mimecast", "a security gateway (Mimecast)"},
        {"proofpoint", "a security gateway (Proofpoint)"},
        {"symantec", "a security gateway (Symantec)"},
        {"trend micro", "a security gateway (Trend Micro)"},
        {"sophos", "a security gateway (Sophos)"},
        {"zscaler", "a security gateway (Zscaler)"},
        {"fireeye", "a security gateway (FireEye)"},
        {"forcepoint", "a security gateway (Forcepoint)"},
        {"microsoft office protocol discovery", "Microsoft Office's link check"},
        {"headlesschrome", "a headless browser"},
        {"python-requests", "a program"},
        {"python-urllib", "a program"},
        {"curl/", "a program"},
        {"wget/", "a program"},
        {"go-http-client", "a program"},
        {"java/", "a program"},
        {"libwww", "a program"},
        {"bot", "a robot"},
        {"crawler", "a robot"},
        {"spider", "a robot"},
        {"preview", "a link preview"},
        {"facebookexternalhit", "a link preview"},
};

bool
engine_tracking_judge(const char *method, const char *user_agent, int64_t since_sent_s,
                      const char **reason)
{
	*reason = NULL;
	if (method != NULL && strcmp(method, "HEAD") == 0) {
		*reason = "a HEAD request (a link checker)";
		return false;
	}
	if (user_agent == NULL || user_agent[0] == '\0') {
		*reason = "no User-Agent";
		return false;
	}
	/* Apple Mail's privacy protection loads images through a proxy that
	 * says only this. */
	if (strcmp(user_agent, "Mozilla/5.0") == 0) {
		*reason = "Apple Mail's privacy prefetch";
		return false;
	}
	g_autofree char *lower = g_ascii_strdown(user_agent, -1);
	for (gsize i = 0; i < G_N_ELEMENTS(machines); i++)
		if (strstr(lower, machines[i].needle) != NULL) {
			*reason = machines[i].reason;
			return false;
		}
	if (since_sent_s >= 0 && since_sent_s < ENGINE_TRACKING_SCAN_S) {
		*reason = "within 15 s of the send (a gateway's scan)";
		return false;
	}
	return true;
}
