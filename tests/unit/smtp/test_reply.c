#include "smtp/smtp_reply.h"

#include <string.h>

/* Feeds @lines (NULL-terminated) and returns the reply, or NULL with
 * @error when a line is refused. */
static SmtpReply *
feed_all(const char *const *lines, GError **error)
{
	g_autoptr(SmtpReplyReader) reader = smtp_reply_reader_new();
	for (const char *const *line = lines; *line != NULL; line++) {
		bool complete = false;
		if (!smtp_reply_reader_feed(reader, *line, strlen(*line), &complete, error))
			return NULL;
		if (complete) {
			g_assert_null(line[1]);
			return smtp_reply_reader_steal(reader);
		}
	}
	g_assert_not_reached();
	return NULL;
}

static void
test_single_line(void)
{
	const char *lines[] = {"250 2.1.5 Ok", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SmtpReply) reply = feed_all(lines, &error);
	g_assert_no_error(error);
	g_assert_cmpint(reply->code, ==, 250);
	g_assert_cmpint(reply->enhanced.klass, ==, 2);
	g_assert_cmpint(reply->enhanced.subject, ==, 1);
	g_assert_cmpint(reply->enhanced.detail, ==, 5);
	g_assert_cmpstr(reply->lines->pdata[0], ==, "2.1.5 Ok");
}

static void
test_multi_line(void)
{
	const char *lines[] = {"250-mx.example.com", "250-PIPELINING", "250 SIZE 1000", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SmtpReply) reply = feed_all(lines, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(reply->lines->len, ==, 3);
	g_autofree char *text = smtp_reply_dup_text(reply);
	g_assert_cmpstr(text, ==, "mx.example.com\nPIPELINING\nSIZE 1000");
}

static void
test_bare_code(void)
{
	const char *lines[] = {"250", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SmtpReply) reply = feed_all(lines, &error);
	g_assert_no_error(error);
	g_assert_cmpint(reply->code, ==, 250);
	g_assert_cmpuint(reply->lines->len, ==, 1);
}

static void
test_continuation_with_other_code(void)
{
	const char *lines[] = {"250-first", "251 second", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SmtpReply) reply = feed_all(lines, &error);
	g_assert_null(reply);
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "another code"));
}

static void
test_rejects(gconstpointer data)
{
	const char *line = data;
	const char *lines[] = {line, NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SmtpReply) reply = feed_all(lines, &error);
	g_assert_null(reply);
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_PROTOCOL);
}

static void
test_too_long(void)
{
	g_autofree char *line = g_strnfill(SMTP_REPLY_MAX_LINE_BYTES + 1, 'x');
	memcpy(line, "250 ", 4);
	const char *lines[] = {line, NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SmtpReply) reply = feed_all(lines, &error);
	g_assert_null(reply);
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_PROTOCOL);
}

static void
test_nul_byte_rejected(void)
{
	g_autoptr(SmtpReplyReader) reader = smtp_reply_reader_new();
	g_autoptr(GError) error = NULL;
	bool complete = false;
	g_assert_false(smtp_reply_reader_feed(reader, "250 a\0b", 7, &complete, &error));
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_PROTOCOL);
}

static void
test_too_many_lines(void)
{
	g_autoptr(SmtpReplyReader) reader = smtp_reply_reader_new();
	g_autoptr(GError) error = NULL;
	bool complete = false;
	bool ok = true;
	for (int i = 0; ok && i <= SMTP_REPLY_MAX_LINES; i++)
		ok = smtp_reply_reader_feed(reader, "250-x", 5, &complete, &error);
	g_assert_false(ok);
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_PROTOCOL);
}

static void
test_enhanced_of_other_class_ignored(void)
{
	const char *lines[] = {"550 2.1.1 odd", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SmtpReply) reply = feed_all(lines, &error);
	g_assert_no_error(error);
	g_assert_cmpint(reply->enhanced.klass, ==, 0);
}

static void
test_enhanced_parse(void)
{
	SmtpEnhancedCode code = {0};
	g_assert_true(smtp_reply_parse_enhanced("4.7.28 rate", &code));
	g_assert_cmpint(code.klass, ==, 4);
	g_assert_cmpint(code.subject, ==, 7);
	g_assert_cmpint(code.detail, ==, 28);
	g_assert_false(smtp_reply_parse_enhanced("3.1.1 x", &code));
	g_assert_false(smtp_reply_parse_enhanced("5.1 x", &code));
	g_assert_false(smtp_reply_parse_enhanced("5.1.1234 x", &code));
	g_assert_false(smtp_reply_parse_enhanced("5..1 x", &code));
}

static void
test_summary_is_printable(void)
{
	const char *lines[] = {"550-5.1.1 first\tpart", "550 5.1.1 second", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(SmtpReply) reply = feed_all(lines, &error);
	g_autofree char *summary = smtp_reply_dup_summary(reply, 200);
	g_assert_cmpstr(summary, ==, "550 5.1.1 first part 5.1.1 second");
}

static void
test_reader_reusable(void)
{
	g_autoptr(SmtpReplyReader) reader = smtp_reply_reader_new();
	g_autoptr(GError) error = NULL;
	bool complete = false;
	g_assert_true(smtp_reply_reader_feed(reader, "220 hi", 6, &complete, &error));
	g_assert_true(complete);
	g_autoptr(SmtpReply) first = smtp_reply_reader_steal(reader);
	g_assert_true(smtp_reply_reader_feed(reader, "354 go", 6, &complete, &error));
	g_autoptr(SmtpReply) second = smtp_reply_reader_steal(reader);
	g_assert_cmpint(first->code, ==, 220);
	g_assert_cmpint(second->code, ==, 354);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/smtp/reply/single-line-with-enhanced-code", test_single_line);
	g_test_add_func("/smtp/reply/multi-line", test_multi_line);
	g_test_add_func("/smtp/reply/bare-code", test_bare_code);
	g_test_add_func("/smtp/reply/continuation-with-other-code-is-protocol-error",
	                test_continuation_with_other_code);
	g_test_add_data_func("/smtp/reply/too-short-is-protocol-error", "25", test_rejects);
	g_test_add_data_func("/smtp/reply/letters-are-not-a-code", "abc hello", test_rejects);
	g_test_add_data_func("/smtp/reply/code-out-of-range", "199 hello", test_rejects);
	g_test_add_data_func("/smtp/reply/second-digit-out-of-range", "260 hello", test_rejects);
	g_test_add_data_func("/smtp/reply/no-separator", "250x hello", test_rejects);
	g_test_add_data_func("/smtp/reply/control-character", "250 a\001b", test_rejects);
	g_test_add_data_func("/smtp/reply/html-garbage", "<html><body>", test_rejects);
	g_test_add_func("/smtp/reply/too-long-is-protocol-error", test_too_long);
	g_test_add_func("/smtp/reply/nul-byte-is-protocol-error", test_nul_byte_rejected);
	g_test_add_func("/smtp/reply/too-many-lines-is-protocol-error", test_too_many_lines);
	g_test_add_func("/smtp/reply/enhanced-code-of-other-class-ignored",
	                test_enhanced_of_other_class_ignored);
	g_test_add_func("/smtp/reply/enhanced-code-syntax", test_enhanced_parse);
	g_test_add_func("/smtp/reply/summary-is-one-printable-line", test_summary_is_printable);
	g_test_add_func("/smtp/reply/reader-reusable-after-steal", test_reader_reusable);
	return g_test_run();
}
