/*
 * Every call of the SMTP session that can fail says why: on a session that
 * never connected or whose connect failed, each public call returns false
 * (or NULL) with an SMTP_ERROR set.
 */
#include "smtp/smtp_client.h"

static void
walk_every_call(SmtpClient *client)
{
	g_autoptr(BaseSecret) secret = base_secret_new("secret", -1);
	SmtpCredentials credentials = {.user = "alice", .secret = secret};
	const char *recipients[] = {"bob@example.test", NULL};
	SmtpEnvelope envelope = {.from = "alice@example.test", .recipients = recipients};
	g_autoptr(GBytes) message = g_bytes_new_static("Subject: x\r\n\r\nx\r\n", 17);
	{
		g_autoptr(GError) error = NULL;
		g_assert_false(smtp_client_authenticate(client, &credentials, &error));
		g_assert_error(error, SMTP_ERROR, SMTP_ERROR_CLOSED);
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_null(smtp_client_send(client, &envelope, message, &error));
		g_assert_error(error, SMTP_ERROR, SMTP_ERROR_CLOSED);
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_false(smtp_client_reset(client, &error));
		g_assert_error(error, SMTP_ERROR, SMTP_ERROR_CLOSED);
	}
}

static void
test_never_connected(void)
{
	SmtpClientOptions options = {
	        .host = "127.0.0.1", .port = 1, .security = SMTP_SECURITY_NONE};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	walk_every_call(client);
	smtp_client_quit(client);
}

static void
test_after_failed_connect(void)
{
	SmtpClientOptions options = {.host = "127.0.0.1",
	                             .port = 1,
	                             .security = SMTP_SECURITY_NONE,
	                             .connect_timeout_ms = 1000};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	g_autoptr(GError) error = NULL;
	g_assert_false(smtp_client_connect(client, &error));
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_CONNECT);
	walk_every_call(client);
	g_autoptr(GError) again = NULL;
	g_assert_false(smtp_client_connect(client, &again));
	g_assert_nonnull(again);
}

static void
test_helo_name_cannot_inject(void)
{
	SmtpClientOptions options = {.host = "127.0.0.1",
	                             .port = 1,
	                             .security = SMTP_SECURITY_NONE,
	                             .helo_name = "client.test\r\nMAIL FROM:<x@y>"};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	g_autoptr(GError) error = NULL;
	g_assert_false(smtp_client_connect(client, &error));
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_INPUT);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/smtp/client/every-call-on-a-dead-session-sets-its-error",
	                test_never_connected);
	g_test_add_func("/smtp/client/every-call-after-a-failed-connect-sets-its-error",
	                test_after_failed_connect);
	g_test_add_func("/smtp/client/helo-name-with-crlf-refused", test_helo_name_cannot_inject);
	return g_test_run();
}
