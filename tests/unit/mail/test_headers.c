#include "mail/mail_headers.h"

#include <gmime/gmime.h>
#include <string.h>

static MailHeaders *
parse(const char *text)
{
	return mail_headers_parse(text, strlen(text));
}

static void
test_unfold_and_decode(void)
{
	g_autoptr(MailHeaders) headers =
	        parse("From: =?UTF-8?Q?J=C3=BCrgen_K=C3=B6nig?= <jk@example.de>\r\n"
	              "Subject: =?ISO-8859-1?Q?Gr=FC=DFe?= aus\r\n =?UTF-8?B?S8O2bG4=?=\r\n"
	              "References: <a@x>\r\n\t<b@x>\r\n"
	              "X-Empty:\r\n"
	              "\r\n"
	              "Body: not a header\r\n");
	g_autofree char *from = mail_headers_dup_decoded(headers, "from");
	g_assert_cmpstr(from, ==, "Jürgen König <jk@example.de>");
	g_autofree char *subject = mail_headers_dup_decoded(headers, "Subject");
	g_assert_cmpstr(subject, ==, "Grüße aus Köln");
	g_assert_cmpstr(mail_headers_get_raw(headers, "REFERENCES"), ==, "<a@x>\t<b@x>");
	g_assert_cmpstr(mail_headers_get_raw(headers, "X-Empty"), ==, "");
	g_assert_null(mail_headers_get_raw(headers, "Body"));
	g_assert_cmpuint(mail_headers_get_count(headers), ==, 4);
	g_autofree char *name = mail_headers_dup_display_name(headers, "From");
	g_assert_cmpstr(name, ==, "Jürgen König");
}

static void
test_display_names(void)
{
	g_autoptr(MailHeaders) headers = parse("From: carol@example.org\r\n"
	                                       "To: \"  \" <a@x>, Bob <b@x>\r\n"
	                                       "Cc: Team: \"Dave D.\" <d@x>;, Erin <e@x>\r\n\r\n");
	g_assert_null(mail_headers_dup_display_name(headers, "From"));
	/* Only the first mailbox's, and a blank one is none. */
	g_assert_null(mail_headers_dup_display_name(headers, "To"));
	g_autofree char *cc = mail_headers_dup_display_name(headers, "Cc");
	g_assert_cmpstr(cc, ==, "Erin");
	g_assert_null(mail_headers_dup_display_name(headers, "Reply-To"));
}

static void
test_eight_bit_latin1_read_as_windows_1252(void)
{
	g_autoptr(MailHeaders) headers = parse("Subject: Caf\xe9 \x80 10\n");
	g_autofree char *subject = mail_headers_dup_decoded(headers, "Subject");
	g_assert_cmpstr(subject, ==, "Café € 10");
}

static void
test_garbage_lines_skipped(void)
{
	g_autoptr(MailHeaders) headers = parse("no colon here\r\n: empty name\r\nBad Name: x\r\n"
	                                       "Good: yes\r\n");
	g_assert_cmpuint(mail_headers_get_count(headers), ==, 1);
	g_assert_cmpstr(mail_headers_get_raw(headers, "Good"), ==, "yes");
}

static void
test_many_fields_bounded(void)
{
	GString *text = g_string_new(NULL);
	for (int i = 0; i < 5000; i++)
		g_string_append_printf(text, "X-%d: v\r\n", i);
	g_autoptr(MailHeaders) headers = mail_headers_parse(text->str, text->len);
	g_string_free(text, TRUE);
	g_assert_cmpuint(mail_headers_get_count(headers), ==, 1000);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init();
	g_test_add_func("/mail/headers/unfold-and-decode", test_unfold_and_decode);
	g_test_add_func("/mail/headers/eight-bit-read-as-windows-1252",
	                test_eight_bit_latin1_read_as_windows_1252);
	g_test_add_func("/mail/headers/garbage-lines-skipped", test_garbage_lines_skipped);
	g_test_add_func("/mail/headers/display-names", test_display_names);
	g_test_add_func("/mail/headers/field-count-bounded", test_many_fields_bounded);
	return g_test_run();
}
