#include "smtp/smtp_ehlo.h"

#include <string.h>

static SmtpReply *
reply_of(int code, const char *const *lines)
{
	SmtpReply *reply = smtp_reply_new();
	reply->code = code;
	for (const char *const *l = lines; *l != NULL; l++)
		g_ptr_array_add(reply->lines, g_strdup(*l));
	return reply;
}

static void
test_postfix_after_tls(void)
{
	const char *lines[] = {"mail.sender.test",
	                       "PIPELINING",
	                       "SIZE 10240000",
	                       "VRFY",
	                       "ETRN",
	                       "AUTH PLAIN LOGIN",
	                       "ENHANCEDSTATUSCODES",
	                       "8BITMIME",
	                       "DSN",
	                       "SMTPUTF8",
	                       "CHUNKING",
	                       NULL};
	g_autoptr(SmtpReply) reply = reply_of(250, lines);
	SmtpCapabilities caps;
	smtp_ehlo_parse(reply, &caps);
	g_assert_true(caps.esmtp);
	g_assert_true(caps.pipelining);
	g_assert_true(caps.size_declared);
	g_assert_cmpuint(caps.size_max_bytes, ==, 10240000);
	g_assert_cmpuint(caps.auth_mechanisms, ==, SMTP_AUTH_PLAIN | SMTP_AUTH_LOGIN);
	g_assert_true(caps.enhanced_status);
	g_assert_true(caps.eightbitmime);
	g_assert_true(caps.dsn);
	g_assert_true(caps.smtputf8);
	g_assert_true(caps.chunking);
	g_assert_false(caps.starttls);
}

static void
test_case_and_old_auth_form(void)
{
	const char *lines[] = {
	        "smtp.office365.com Hello", "starttls", "auth=login", "AUTH LOGIN XOAUTH2",
	        "X-UNKNOWN-THING 1 2 3",    "size",     NULL};
	g_autoptr(SmtpReply) reply = reply_of(250, lines);
	SmtpCapabilities caps;
	smtp_ehlo_parse(reply, &caps);
	g_assert_true(caps.starttls);
	g_assert_cmpuint(caps.auth_mechanisms, ==, SMTP_AUTH_LOGIN | SMTP_AUTH_XOAUTH2);
	g_assert_true(caps.size_declared);
	g_assert_cmpuint(caps.size_max_bytes, ==, 0);
	g_assert_false(caps.pipelining);
}

static void
test_first_line_is_not_a_keyword(void)
{
	const char *lines[] = {"STARTTLS", NULL};
	g_autoptr(SmtpReply) reply = reply_of(250, lines);
	SmtpCapabilities caps;
	smtp_ehlo_parse(reply, &caps);
	g_assert_false(caps.starttls);
}

static void
test_refused_ehlo_has_nothing(void)
{
	const char *lines[] = {"5.5.1 unrecognized", "STARTTLS", NULL};
	g_autoptr(SmtpReply) reply = reply_of(502, lines);
	SmtpCapabilities caps;
	smtp_ehlo_parse(reply, &caps);
	g_assert_false(caps.esmtp);
	g_assert_false(caps.starttls);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/smtp/ehlo/postfix-after-tls", test_postfix_after_tls);
	g_test_add_func("/smtp/ehlo/case-insensitive-and-auth-equals-form",
	                test_case_and_old_auth_form);
	g_test_add_func("/smtp/ehlo/first-line-is-not-a-keyword", test_first_line_is_not_a_keyword);
	g_test_add_func("/smtp/ehlo/refused-ehlo-offers-nothing", test_refused_ehlo_has_nothing);
	return g_test_run();
}
