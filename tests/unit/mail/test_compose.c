#include "mail/mail_compose.h"
#include "mail/mail_error.h"
#include "mail/mail_headers.h"

#include <gmime/gmime.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)

static char *
compose_text(const MailComposeSpec *spec, GError **error)
{
	g_autoptr(GBytes) bytes = mail_compose_message(spec, NULL, error);
	if (bytes == NULL)
		return NULL;
	gsize n = 0;
	const char *data = g_bytes_get_data(bytes, &n);
	return g_strndup(data, n);
}

static void
test_plain_message(void)
{
	const char *to[] = {"carol@prospect.test", NULL};
	const char *refs[] = {"a@sender.test", "b@sender.test", NULL};
	g_autoptr(GDateTime) date = g_date_time_new_utc(2026, 3, 2, 9, 30, 0);
	MailComposeSpec spec = {
	        .from_name = "Alice Müller",
	        .from_address = "alice@sender.test",
	        .to = to,
	        .subject = "Grüße aus Köln",
	        .body_text = "Hallo Carol,\nschön, dich zu sehen.\n",
	        .message_id = "m1@sender.test",
	        .date = date,
	        .in_reply_to = "b@sender.test",
	        .references = refs,
	};
	g_autoptr(GError) error = NULL;
	g_autofree char *text = compose_text(&spec, &error);
	g_assert_no_error(error);

	g_assert_nonnull(strstr(text, "Message-Id: <m1@sender.test>\r\n"));
	g_assert_nonnull(strstr(text, "In-Reply-To: <b@sender.test>\r\n"));
	g_assert_nonnull(strstr(text, "References: <a@sender.test> <b@sender.test>\r\n"));
	g_assert_nonnull(strstr(text, "MIME-Version: 1.0\r\n"));
	g_assert_nonnull(strstr(text, "Content-Type: text/plain; charset=utf-8\r\n"));
	g_assert_nonnull(strstr(text, "Content-Transfer-Encoding: quoted-printable\r\n"));
	g_assert_null(strstr(text, "Precedence"));
	g_assert_null(strstr(text, "List-Id"));
	/* Every line ends in CRLF. */
	for (const char *p = strchr(text, '\n'); p != NULL; p = strchr(p + 1, '\n'))
		g_assert_cmpint(p[-1], ==, '\r');

	/* Decoded, it says what was given. */
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(text, strlen(text));
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(stream);
	g_autoptr(GMimeMessage) parsed = g_mime_parser_construct_message(parser, NULL);
	g_assert_nonnull(parsed);
	g_assert_cmpstr(g_mime_message_get_subject(parsed), ==, "Grüße aus Köln");
	InternetAddress *from =
	        internet_address_list_get_address(g_mime_message_get_from(parsed), 0);
	g_assert_cmpstr(internet_address_get_name(from), ==, "Alice Müller");
	GMimeTextPart *body = GMIME_TEXT_PART(g_mime_message_get_mime_part(parsed));
	g_autofree char *decoded = g_mime_text_part_get_text(body);
	g_assert_cmpstr(decoded, ==, "Hallo Carol,\r\nschön, dich zu sehen.\r\n");
}

static void
test_crlf_in_header_refused(void)
{
	const char *to[] = {"carol@prospect.test", NULL};
	MailComposeSpec spec = {
	        .from_address = "alice@sender.test",
	        .to = to,
	        .subject = "Hello\r\nBcc: victim@example.com",
	        .body_text = "x",
	};
	g_autoptr(GError) error = NULL;
	g_autofree char *text = compose_text(&spec, &error);
	g_assert_null(text);
	g_assert_error(error, MAIL_ERROR, MAIL_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(error->message, "Subject:"));
}

static void
test_message_id_on_sender_domain(void)
{
	g_autofree char *id = mail_compose_new_message_id("alice@sender.test");
	g_assert_true(g_str_has_suffix(id, "@sender.test"));
	g_autofree char *other = mail_compose_new_message_id("alice@sender.test");
	g_assert_cmpstr(id, !=, other);
}

static void
test_html_and_unsubscribe(void)
{
	const char *to[] = {"carol@prospect.test", NULL};
	MailComposeSpec spec = {
	        .from_address = "alice@sender.test",
	        .to = to,
	        .subject = "Hi",
	        .body_text = "Hello Carol",
	        .body_html = "<p>Hello <b>Carol</b></p>",
	        .unsubscribe_mailto = "unsubscribe+42@sender.test",
	        .unsubscribe_url = "https://sender.test/u/42",
	};
	g_autoptr(GError) error = NULL;
	g_autofree char *text = compose_text(&spec, &error);
	g_assert_no_error(error);
	g_autoptr(MailHeaders) headers = mail_headers_parse(text, strlen(text));
	g_assert_cmpstr(mail_headers_get_raw(headers, "List-Unsubscribe"), ==,
	                "<mailto:unsubscribe+42@sender.test>, <https://sender.test/u/42>");
	g_assert_nonnull(strstr(text, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	g_assert_nonnull(strstr(text, "Content-Type: multipart/alternative"));
	g_assert_nonnull(strstr(text, "Content-Type: text/html; charset=utf-8"));
	g_assert_null(strstr(text, "Precedence"));

	MailComposeSpec plain = spec;
	plain.body_html = NULL;
	plain.unsubscribe_mailto = NULL;
	plain.unsubscribe_url = NULL;
	g_autofree char *plain_text = compose_text(&plain, &error);
	g_assert_null(strstr(plain_text, "List-Unsubscribe"));
	g_assert_null(strstr(plain_text, "multipart"));

	MailComposeSpec bad = spec;
	bad.unsubscribe_url = "http://sender.test/u/42";
	g_autoptr(GError) bad_error = NULL;
	g_autofree char *refused = compose_text(&bad, &bad_error);
	g_assert_null(refused);
	g_assert_error(bad_error, MAIL_ERROR, MAIL_ERROR_INVALID);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	g_test_add_func("/mail/compose/plain-utf8-threaded", test_plain_message);
	g_test_add_func("/mail/compose/crlf-in-header-value-refused", test_crlf_in_header_refused);
	g_test_add_func("/mail/compose/html-alternative-and-one-click-unsubscribe",
	                test_html_and_unsubscribe);
	g_test_add_func("/mail/compose/message-id-on-sender-domain",
	                test_message_id_on_sender_domain);
	return g_test_run();
}
