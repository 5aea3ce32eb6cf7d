#include "mail/mail_compose.h"

#include "base/base_error.h"
#include "mail/mail_error.h"

#include <gmime/gmime.h>
#include <string.h>

/* GMime 3.2 defines no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeDataWrapper, g_object_unref)

static bool
check_header_value(const char *field, const char *value, GError **error)
{
	if (value == NULL || strpbrk(value, "\r\n") == NULL)
		return true;
	g_autofree char *shown = base_error_printable_dup(value, -1, 60);
	g_set_error(error, MAIL_ERROR, MAIL_ERROR_INVALID,
	            "%s: line break in a header value (\"%s\")", field, shown);
	return false;
}

static bool
check_spec(const MailComposeSpec *spec, GError **error)
{
	if (spec->from_address == NULL || strchr(spec->from_address, '@') == NULL) {
		g_set_error_literal(error, MAIL_ERROR, MAIL_ERROR_INVALID,
		                    "From: no sender address");
		return false;
	}
	if (spec->to == NULL || spec->to[0] == NULL) {
		g_set_error_literal(error, MAIL_ERROR, MAIL_ERROR_INVALID, "To: no recipient");
		return false;
	}
	if (!check_header_value("From", spec->from_name, error) ||
	    !check_header_value("From", spec->from_address, error) ||
	    !check_header_value("Subject", spec->subject, error) ||
	    !check_header_value("Message-ID", spec->message_id, error) ||
	    !check_header_value("In-Reply-To", spec->in_reply_to, error) ||
	    !check_header_value("List-Unsubscribe", spec->unsubscribe_mailto, error) ||
	    !check_header_value("List-Unsubscribe", spec->unsubscribe_url, error))
		return false;
	if ((spec->unsubscribe_mailto != NULL &&
	     strpbrk(spec->unsubscribe_mailto, "<> ,") != NULL) ||
	    (spec->unsubscribe_url != NULL &&
	     (!mail_compose_unsubscribe_url_allowed(spec->unsubscribe_url) ||
	      strpbrk(spec->unsubscribe_url, "<> ,") != NULL))) {
		g_set_error_literal(
		        error, MAIL_ERROR, MAIL_ERROR_INVALID,
		        "List-Unsubscribe: wants an address and an https:// URL without "
		        "spaces, commas or angle brackets");
		return false;
	}
	for (const char *const *to = spec->to; *to != NULL; to++)
		if (!check_header_value("To", *to, error))
			return false;
	for (const char *const *r = spec->references; r != NULL && *r != NULL; r++)
		if (!check_header_value("References", *r, error))
			return false;
	return true;
}

char *
mail_compose_new_message_id(const char *address)
{
	const char *at = strrchr(address, '@');
	g_autofree char *uuid = g_uuid_string_random();
	return g_strdup_printf("%s@%s", uuid, at != NULL ? at + 1 : "localhost");
}

/* A text/plain part whose bytes stay UTF-8: GMime's own set_text would
 * re-encode them into the smallest charset that fits. */
static GMimePart *
text_part(const char *text, const char *subtype)
{
	const char *body = text != NULL ? text : "";
	GMimePart *part = g_mime_part_new_with_type("text", subtype);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(body, strlen(body));
	g_autoptr(GMimeDataWrapper) content =
	        g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, content);
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
	/* 7bit when it can be, else quoted-printable: readable in any client
	 * and safe through any relay. */
	GMimeContentEncoding encoding =
	        g_mime_part_get_best_content_encoding(part, GMIME_ENCODING_CONSTRAINT_7BIT);
	if (encoding == GMIME_CONTENT_ENCODING_BASE64)
		encoding = GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
	g_mime_part_set_content_encoding(part, encoding);
	return part;
}

bool
mail_compose_unsubscribe_url_allowed(const char *url)
{
	if (g_str_has_prefix(url, "https://"))
		return true;
	/* Plain http only to this machine: a test, or a proxy's own view. */
	return g_str_has_prefix(url, "http://127.0.0.1:") ||
	       g_str_has_prefix(url, "http://127.0.0.1/") ||
	       g_str_has_prefix(url, "http://[::1]:") || g_str_has_prefix(url, "http://[::1]/");
}

GBytes *
mail_compose_message(const MailComposeSpec *spec, char **message_id_out, GError **error)
{
	if (!check_spec(spec, error))
		return NULL;

	GMimeMessage *message = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_FROM, spec->from_name,
	                           spec->from_address);
	for (const char *const *to = spec->to; *to != NULL; to++)
		g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_TO, NULL, *to);
	g_mime_message_set_subject(message, spec->subject != NULL ? spec->subject : "", "utf-8");
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_mime_message_set_date(message, spec->date != NULL ? spec->date : now);
	g_autofree char *message_id = spec->message_id != NULL
	                                      ? g_strdup(spec->message_id)
	                                      : mail_compose_new_message_id(spec->from_address);
	g_mime_message_set_message_id(message, message_id);
	if (spec->in_reply_to != NULL) {
		g_autofree char *value = g_strdup_printf("<%s>", spec->in_reply_to);
		g_mime_object_set_header(GMIME_OBJECT(message), "In-Reply-To", value, NULL);
	}
	if (spec->references != NULL && spec->references[0] != NULL) {
		GString *value = g_string_new(NULL);
		for (const char *const *r = spec->references; *r != NULL; r++)
			g_string_append_printf(value, "%s<%s>", value->len > 0 ? " " : "", *r);
		g_mime_object_set_header(GMIME_OBJECT(message), "References", value->str, NULL);
		g_string_free(value, TRUE);
	}
	if (spec->unsubscribe_mailto != NULL || spec->unsubscribe_url != NULL) {
		g_autofree char *value = g_strdup_printf(
		        "%s%s%s%s%s%s", spec->unsubscribe_mailto ? "<mailto:" : "",
		        spec->unsubscribe_mailto ? spec->unsubscribe_mailto : "",
		        spec->unsubscribe_mailto ? ">" : "",
		        spec->unsubscribe_mailto && spec->unsubscribe_url ? ", " : "",
		        spec->unsubscribe_url ? "<" : "",
		        spec->unsubscribe_url ? spec->unsubscribe_url : "");
		if (spec->unsubscribe_url != NULL) {
			g_autofree char *closed = g_strdup_printf("%s>", value);
			g_mime_object_set_header(GMIME_OBJECT(message), "List-Unsubscribe", closed,
			                         NULL);
			g_mime_object_set_header(GMIME_OBJECT(message), "List-Unsubscribe-Post",
			                         "List-Unsubscribe=One-Click", NULL);
		} else {
			g_mime_object_set_header(GMIME_OBJECT(message), "List-Unsubscribe", value,
			                         NULL);
		}
	}
	GMimePart *part = text_part(spec->body_text, "plain");
	if (spec->body_html == NULL) {
		g_mime_message_set_mime_part(message, GMIME_OBJECT(part));
	} else {
		GMimeMultipart *alternative = g_mime_multipart_new_with_subtype("alternative");
		GMimePart *html = text_part(spec->body_html, "html");
		g_mime_multipart_add(alternative, GMIME_OBJECT(part));
		g_mime_multipart_add(alternative, GMIME_OBJECT(html));
		g_object_unref(html);
		g_mime_message_set_mime_part(message, GMIME_OBJECT(alternative));
		g_object_unref(alternative);
	}
	g_object_unref(part);

	GMimeFormatOptions *format = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
	char *text = g_mime_object_to_string(GMIME_OBJECT(message), format);
	g_mime_format_options_free(format);
	g_object_unref(message);

	if (message_id_out != NULL)
		*message_id_out = g_steal_pointer(&message_id);
	return g_bytes_new_take(text, strlen(text));
}
