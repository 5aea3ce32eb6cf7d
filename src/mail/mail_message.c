#include "mail/mail_message.h"

#include <gmime/gmime.h>
#include <string.h>

#define MAX_MESSAGE_BYTES ((gsize)16 * 1024 * 1024)
#define MAX_DEPTH         16
#define MAX_PARTS         256
#define MAX_TEXT_BYTES    ((gsize)32 * 1024)
/* Nested blockquotes marked at most this deep. */
#define MAX_QUOTE_DEPTH 8

struct MailMessage {
	MailHeaders *headers;
	char *text;
	char *delivery_status;
	char *feedback_report;
	char *disposition;
	char *calendar; /* the first text/calendar part */
	MailHeaders *returned_headers;
	GPtrArray *part_types; /* "type/subtype" of every part walked, lower case */
	char *report_type;
	char *content_type;
	guint parts_seen;
	bool text_is_html;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)

void
mail_message_free(MailMessage *message)
{
	if (message == NULL)
		return;
	mail_headers_free(message->headers);
	mail_headers_free(message->returned_headers);
	g_free(message->text);
	g_free(message->delivery_status);
	g_free(message->feedback_report);
	g_free(message->disposition);
	g_free(message->calendar);
	if (message->part_types != NULL)
		g_ptr_array_unref(message->part_types);
	g_free(message->report_type);
	g_free(message->content_type);
	g_free(message);
}

const MailHeaders *
mail_message_get_headers(const MailMessage *message)
{
	return message->headers;
}

const char *
mail_message_get_text(const MailMessage *message)
{
	return message->text != NULL ? message->text : "";
}

const char *
mail_message_get_delivery_status(const MailMessage *message)
{
	return message->delivery_status;
}

const char *
mail_message_get_feedback_report(const MailMessage *message)
{
	return message->feedback_report;
}

const char *
mail_message_get_disposition_notification(const MailMessage *message)
{
	return message->disposition;
}

const char *
mail_message_get_calendar(const MailMessage *message)
{
	return message->calendar;
}

bool
mail_message_has_part_type(const MailMessage *message, const char *mime_type)
{
	for (guint i = 0; i < message->part_types->len; i++)
		if (strcmp(message->part_types->pdata[i], mime_type) == 0)
			return true;
	return false;
}

const MailHeaders *
mail_message_get_returned_headers(const MailMessage *message)
{
	return message->returned_headers;
}

const char *
mail_message_get_report_type(const MailMessage *message)
{
	return message->report_type;
}

const char *
mail_message_get_content_type(const MailMessage *message)
{
	return message->content_type != NULL ? message->content_type : "text/plain";
}

/* The first decoded bytes of a leaf part: only about MAX_TEXT_BYTES of its
 * encoded content are read and decoded, so a long quoted history or a big
 * part costs nothing past the bound. */
static GByteArray *
part_head(GMimePart *part)
{
	GByteArray *encoded = g_byte_array_new();
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *raw = content != NULL ? g_mime_data_wrapper_get_stream(content) : NULL;
	if (raw == NULL)
		return encoded;
	/* Base64 grows by a third, quoted-printable up to three times. */
	gsize limit = MAX_TEXT_BYTES * 3 + 4;
	char chunk[16384];
	g_mime_stream_reset(raw);
	while (encoded->len < limit) {
		gssize got =
		        g_mime_stream_read(raw, chunk, MIN(sizeof chunk, limit - encoded->len));
		if (got <= 0)
			break;
		g_byte_array_append(encoded, (const guint8 *)chunk, (guint)got);
	}
	g_mime_stream_reset(raw);
	GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(content);
	if (encoded->len == 0 || (encoding != GMIME_CONTENT_ENCODING_BASE64 &&
	                          encoding != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
	                          encoding != GMIME_CONTENT_ENCODING_UUENCODE))
		return encoded;
	g_autoptr(GByteArray) source = encoded;
	GByteArray *decoded = g_byte_array_new();
	GMimeEncoding state;
	g_mime_encoding_init_decode(&state, encoding);
	g_byte_array_set_size(decoded, (guint)g_mime_encoding_outlen(&state, source->len));
	size_t n = g_mime_encoding_step(&state, (const char *)source->data, source->len,
	                                (char *)decoded->data);
	g_byte_array_set_size(decoded, (guint)n);
	return decoded;
}

/* Windows-1252 (and ISO-8859-1, which the WHATWG Encoding Standard and
 * every mail client read as Windows-1252: Outlook's curly quotes come
 * labelled so) to UTF-8, a byte at a time: the two most common 8-bit
 * charsets in mail, and iconv spent a tenth of classification on them. */
static char *
dup_utf8_of_windows_1252(const guint8 *bytes, gsize n)
{
	/* 0x80..0x9f; the five holes map to the C1 controls, as WHATWG does. */
	static const gunichar high[32] = {0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020,
	                                  0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
	                                  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d,
	                                  0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
	                                  0x0153, 0x009d, 0x017e, 0x0178};
	char *text = g_malloc(n * 3 + 1);
	gsize w = 0;
	for (gsize i = 0; i < n; i++) {
		guint8 c = bytes[i];
		if (c < 0x80)
			text[w++] = (char)c;
		else
			w += (gsize)g_unichar_to_utf8(c < 0xa0 ? high[c - 0x80] : c, text + w);
	}
	text[w] = '\0';
	return text;
}

static bool
is_windows_1252(const char *charset)
{
	static const char *const names[] = {"windows-1252", "cp1252",     "iso-8859-1",
	                                    "iso8859-1",    "latin1",     "iso_8859-1",
	                                    "x-cp1252",     "iso-latin-1"};
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_ascii_strcasecmp(charset, names[i]) == 0)
			return true;
	return false;
}

/* The decoded bytes of a leaf part, at most MAX_TEXT_BYTES, as UTF-8. */
static char *
part_bytes(GMimePart *part, bool convert_charset)
{
	g_autoptr(GByteArray) bytes = part_head(part);
	if (bytes->len == 0)
		return g_strdup("");
	gsize n = MIN(bytes->len, MAX_TEXT_BYTES);
	const char *charset =
	        g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
	char *text = NULL;
	if (convert_charset && charset != NULL && g_ascii_strcasecmp(charset, "us-ascii") != 0 &&
	    is_windows_1252(charset)) {
		text = dup_utf8_of_windows_1252(bytes->data, n);
	} else if (convert_charset && charset != NULL &&
	           g_ascii_strcasecmp(charset, "utf-8") != 0 &&
	           g_ascii_strcasecmp(charset, "us-ascii") != 0) {
		const char *iconv_name = g_mime_charset_iconv_name(charset);
		text = g_convert_with_fallback((const char *)bytes->data, (gssize)n, "UTF-8",
		                               iconv_name, "?", NULL, NULL, NULL);
	}
	if (text == NULL) {
		const char *raw = (const char *)bytes->data;
		/* Cut inside a character by the bound: drop the partial one. */
		if (n < bytes->len)
			while (n > 0 && ((unsigned char)raw[n] & 0xc0) == 0x80)
				n--;
		text = g_utf8_validate(raw, (gssize)n, NULL) ? g_strndup(raw, n)
		                                             : g_utf8_make_valid(raw, (gssize)n);
	}
	/* One kind of line end for everything that reads the text. */
	char *w = text;
	for (const char *r = text; *r != '\0'; r++)
		if (*r != '\r')
			*w++ = *r;
	*w = '\0';
	return text;
}

/* The character of a numeric reference at @p ("&#8217;", "&#x2019;"), its
 * length in *@used; 0 when there is none or it names no character. */
static gunichar
numeric_entity(const char *p, gsize *used)
{
	if (p[0] != '&' || p[1] != '#')
		return 0;
	bool hex = p[2] == 'x' || p[2] == 'X';
	const char *digits = p + (hex ? 3 : 2);
	gsize n = 0;
	gunichar value = 0;
	while (n < 7 && (hex ? g_ascii_isxdigit(digits[n]) : g_ascii_isdigit(digits[n]))) {
		value = value * (hex ? 16 : 10) + (gunichar)(hex ? g_ascii_xdigit_value(digits[n])
		                                                 : g_ascii_digit_value(digits[n]));
		n++;
	}
	if (n == 0 || digits[n] != ';' || !g_unichar_validate(value) || g_unichar_iscntrl(value))
		return 0;
	*used = (gsize)(digits + n + 1 - p);
	return value;
}

/* Appends @c to @out, a line inside @depth blockquotes starting with as
 * many "> " marks: a quoted history in HTML reads as one in text. */
static void
append_quoted(GString *out, char c, int depth)
{
	if (depth > 0 && c != '\n' && (out->len == 0 || out->str[out->len - 1] == '\n'))
		for (int i = 0; i < depth; i++)
			g_string_append(out, "> ");
	g_string_append_c(out, c);
}

/* Enough of HTML for classification and reply text: tags dropped, block
 * ends made line ends, blockquotes marked "> ", the common entities
 * decoded. */
static char *
html_to_text(const char *html)
{
	GString *out = g_string_new(NULL);
	const char *p = html;
	int depth = 0;
	while (*p != '\0') {
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (end == NULL)
				break;
			if (g_ascii_strncasecmp(p, "<blockquote", 11) == 0)
				depth = MIN(depth + 1, MAX_QUOTE_DEPTH);
			else if (g_ascii_strncasecmp(p, "</blockquote", 12) == 0 && depth > 0)
				depth--;
			if (g_ascii_strncasecmp(p, "<br", 3) == 0 ||
			    g_ascii_strncasecmp(p, "</p", 3) == 0 ||
			    g_ascii_strncasecmp(p, "</div", 5) == 0 ||
			    g_ascii_strncasecmp(p, "</li", 4) == 0 ||
			    g_ascii_strncasecmp(p, "</tr", 4) == 0 ||
			    g_ascii_strncasecmp(p, "<hr", 3) == 0 ||
			    g_ascii_strncasecmp(p, "<blockquote", 11) == 0 ||
			    g_ascii_strncasecmp(p, "</blockquote", 12) == 0)
				g_string_append_c(out, '\n');
			if (g_ascii_strncasecmp(p, "<style", 6) == 0 ||
			    g_ascii_strncasecmp(p, "<script", 7) == 0) {
				const char *close = strstr(end, "</");
				end = close != NULL ? strchr(close, '>') : NULL;
				if (end == NULL)
					break;
			}
			p = end + 1;
			continue;
		}
		if (*p == '&') {
			/* "I&#8217;m", "I&rsquo;m": a person's apostrophe, which
			 * the intent's cues read. */
			gsize used = 0;
			gunichar numeric = numeric_entity(p, &used);
			if (numeric != 0) {
				char utf8[8] = {0};
				gint n = g_unichar_to_utf8(numeric, utf8);
				append_quoted(out, utf8[0], depth);
				g_string_append_len(out, utf8 + 1, n - 1);
				p += used;
				continue;
			}
			static const struct {
				const char *entity;
				const char *text;
			} entities[] = {
			        {"&nbsp;", " "},        {"&amp;", "&"},
			        {"&lt;", "<"},          {"&gt;", ">"},
			        {"&quot;", "\""},       {"&apos;", "'"},
			        {"&rsquo;", "\u2019"},  {"&lsquo;", "\u2018"},
			        {"&rdquo;", "\u201d"},  {"&ldquo;", "\u201c"},
			        {"&ndash;", "\u2013"},  {"&mdash;", "\u2014"},
			        {"&hellip;", "\u2026"}, {"&euro;", "\u20ac"},
			        {"&eacute;", "\u00e9"}, {"&egrave;", "\u00e8"},
			        {"&ecirc;", "\u00ea"},  {"&agrave;", "\u00e0"},
			        {"&aacute;", "\u00e1"}, {"&acirc;", "\u00e2"},
			        {"&atilde;", "\u00e3"}, {"&ccedil;", "\u00e7"},
			        {"&iacute;", "\u00ed"}, {"&oacute;", "\u00f3"},
			        {"&ocirc;", "\u00f4"},  {"&otilde;", "\u00f5"},
			        {"&uacute;", "\u00fa"}, {"&ugrave;", "\u00f9"},
			        {"&ntilde;", "\u00f1"}, {"&auml;", "\u00e4"},
			        {"&ouml;", "\u00f6"},   {"&uuml;", "\u00fc"},
			        {"&Auml;", "\u00c4"},   {"&Ouml;", "\u00d6"},
			        {"&Uuml;", "\u00dc"},   {"&szlig;", "\u00df"},
			        {"&Eacute;", "\u00c9"},
			};
			bool done = false;
			for (gsize i = 0; i < G_N_ELEMENTS(entities) && !done; i++) {
				gsize n = strlen(entities[i].entity);
				if (g_ascii_strncasecmp(p, entities[i].entity, n) == 0) {
					append_quoted(out, entities[i].text[0], depth);
					g_string_append(out, entities[i].text + 1);
					p += n;
					done = true;
				}
			}
			if (done)
				continue;
		}
		append_quoted(out, *p++, depth);
	}
	return g_string_free(out, FALSE);
}

static bool
is_attachment(GMimeObject *object)
{
	GMimeContentDisposition *disposition = g_mime_object_get_content_disposition(object);
	return disposition != NULL && g_mime_content_disposition_is_attachment(disposition);
}

static void
take_returned_headers(MailMessage *message, const char *text)
{
	if (message->returned_headers != NULL)
		return;
	message->returned_headers = mail_headers_parse(text, strlen(text));
}

/* The first part's body in @text, a multipart read without its boundary:
 * from a "--boundary" line, past that part's headers, up to the next line
 * that starts with the same boundary. @text itself when it does not start
 * so. */
static char *
dup_first_part_of_lost_multipart(const char *text)
{
	const char *start = text + strspn(text, "\r\n");
	if (!g_str_has_prefix(start, "--"))
		return g_strdup(text);
	gsize delimiter_length = strcspn(start, "\r\n");
	g_autofree char *delimiter = g_strndup(start, delimiter_length);
	const char *body = strstr(start, "\n\n");
	const char *crlf_body = strstr(start, "\r\n\r\n");
	if (body == NULL || (crlf_body != NULL && crlf_body < body))
		body = crlf_body;
	if (body == NULL)
		return g_strdup("");
	body += body == crlf_body ? 4 : 2;
	g_autofree char *line_delimiter = g_strconcat("\n", delimiter, NULL);
	const char *end = strstr(body, line_delimiter);
	gsize length = end != NULL ? (gsize)(end - body) + 1 : strlen(body);
	/* As any text part: only its head is read. */
	return g_strndup(body, MIN(length, MAX_TEXT_BYTES));
}

static void
walk(MailMessage *message, GMimeObject *object, guint depth)
{
	if (object == NULL || depth > MAX_DEPTH || ++message->parts_seen > MAX_PARTS)
		return;
	GMimeContentType *type = g_mime_object_get_content_type(object);
	const char *media = type != NULL ? g_mime_content_type_get_media_type(type) : "text";
	const char *sub = type != NULL ? g_mime_content_type_get_media_subtype(type) : "plain";
	g_autofree char *mime = g_strconcat(media, "/", sub, NULL);
	g_ptr_array_add(message->part_types, g_ascii_strdown(mime, -1));

	if (GMIME_IS_MULTIPART(object)) {
		GMimeMultipart *multipart = GMIME_MULTIPART(object);
		int n = g_mime_multipart_get_count(multipart);
		for (int i = 0; i < n; i++)
			walk(message, g_mime_multipart_get_part(multipart, i), depth + 1);
		/* A multipart whose boundary was lost (a "boundary=" line
		 * written without its folding space) has no parts: GMime keeps
		 * all it holds as the prologue, the only text there is. */
		const char *prologue = g_mime_multipart_get_prologue(multipart);
		if (n == 0 && message->text == NULL && prologue != NULL) {
			/* Its charset went with its headers: UTF-8 where valid. */
			g_autofree char *raw = dup_first_part_of_lost_multipart(prologue);
			message->text = g_utf8_make_valid(raw, -1);
		}
		return;
	}
	if (GMIME_IS_MESSAGE_PART(object)) {
		/* A returned message in a bounce: its headers are what we need. */
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
		if (inner != NULL) {
			g_autofree char *text =
			        g_mime_object_get_headers(GMIME_OBJECT(inner), NULL);
			take_returned_headers(message, text != NULL ? text : "");
		}
		return;
	}
	if (!GMIME_IS_PART(object))
		return;
	GMimePart *part = GMIME_PART(object);
	/* A report's machine-readable part: the first of each kind is kept
	 * (RFC 6533's "global-" forms alike). */
	char **report_part = NULL;
	if (g_ascii_strcasecmp(media, "message") == 0) {
		const char *kind = g_ascii_strncasecmp(sub, "global-", 7) == 0 ? sub + 7 : sub;
		if (g_ascii_strcasecmp(kind, "delivery-status") == 0)
			report_part = &message->delivery_status;
		else if (g_ascii_strcasecmp(sub, "feedback-report") == 0)
			report_part = &message->feedback_report;
		else if (g_ascii_strcasecmp(kind, "disposition-notification") == 0)
			report_part = &message->disposition;
	}
	if (report_part != NULL) {
		if (*report_part == NULL)
			*report_part = part_bytes(part, false);
		return;
	}
	if (g_ascii_strcasecmp(media, "text") == 0 &&
	    g_ascii_strcasecmp(sub, "rfc822-headers") == 0) {
		g_autofree char *text = part_bytes(part, false);
		take_returned_headers(message, text);
		return;
	}
	if (g_ascii_strcasecmp(media, "text") == 0 && g_ascii_strcasecmp(sub, "calendar") == 0) {
		if (message->calendar == NULL)
			message->calendar = part_bytes(part, true);
		return;
	}
	if (g_ascii_strcasecmp(media, "text") != 0 || is_attachment(object))
		return;
	bool html = g_ascii_strcasecmp(sub, "html") == 0;
	if (!html && g_ascii_strcasecmp(sub, "plain") != 0)
		return;
	/* The first text/plain wins; HTML only until a plain part is found. */
	if (message->text != NULL && (!message->text_is_html || html))
		return;
	g_autofree char *text = part_bytes(part, true);
	g_free(message->text);
	message->text = html ? html_to_text(text) : g_steal_pointer(&text);
	message->text_is_html = html;
}

/* A copy of @data with each run of two or more carriage returns before a
 * line feed dropped ("\r\r\n", a message saved twice in text mode, ends
 * its lines in "\n" alone, which reads the same): else no line of its
 * header is empty and the body is never found. NULL when its first
 * line does not end so (the whole file is saved one way; most mail is
 * not read twice for it). */
static char *
dup_without_doubled_returns(const char *data, gsize *length)
{
	const char *lf = memchr(data, '\n', *length);
	if (lf == NULL || lf - data < 2 || lf[-1] != '\r' || lf[-2] != '\r')
		return NULL;
	char *copy = g_malloc(*length + 1);
	gsize out = 0;
	for (gsize i = 0; i < *length; i++) {
		if (data[i] == '\r' && i + 1 < *length && data[i + 1] == '\r') {
			gsize j = i;
			while (j < *length && data[j] == '\r')
				j++;
			if (j < *length && data[j] == '\n') {
				i = j - 1;
				continue;
			}
		}
		copy[out++] = data[i];
	}
	copy[out] = '\0';
	*length = out;
	return copy;
}

MailMessage *
mail_message_parse(const char *data, gsize length)
{
	MailMessage *message = g_new0(MailMessage, 1);
	message->part_types = g_ptr_array_new_with_free_func(g_free);
	gsize n = MIN(length, MAX_MESSAGE_BYTES);
	g_autofree char *normal = dup_without_doubled_returns(data, &n);
	if (normal != NULL)
		data = normal;
	message->headers = mail_headers_parse(data, n);

	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(data, n);
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *parsed = g_mime_parser_construct_message(parser, NULL);
	if (parsed == NULL)
		return message;
	GMimeObject *body = g_mime_message_get_mime_part(parsed);
	GMimeContentType *type = body != NULL ? g_mime_object_get_content_type(body) : NULL;
	if (type != NULL) {
		g_autofree char *mime = g_mime_content_type_get_mime_type(type);
		message->content_type = g_ascii_strdown(mime, -1);
		const char *report = g_mime_content_type_get_parameter(type, "report-type");
		if (report != NULL)
			message->report_type = g_ascii_strdown(report, -1);
	}
	walk(message, body, 0);
	g_object_unref(parsed);
	return message;
}
