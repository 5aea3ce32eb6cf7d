/*
 * The SMTP client against the real Postfix of the mail lab.
 */
#include "helpers/test_lab.h"
#include "mail/mail_compose.h"
#include "net/net_tls.h"
#include "smtp/smtp_client.h"

#include <gmime/gmime.h>
#include <signal.h>
#include <string.h>

typedef struct {
	SmtpSecurity security;
	const char *ca_file;  /* NULL: the lab's */
	const char *password; /* NULL: the lab's */
	unsigned mechanisms;
	bool allow_plaintext_auth;
} Session;

static SmtpClient *
open_session(const Session *session, GError **error)
{
	const TestLab *lab = test_lab_get();
	NetTlsOptions tls_options = {.ca_file = session->ca_file ? session->ca_file : lab->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, error);
	g_assert_nonnull(tls);
	SmtpClientOptions options = {
	        .host = lab->host,
	        .port = session->security == SMTP_SECURITY_TLS ? lab->submissions_port
	                                                       : lab->submission_port,
	        .security = session->security,
	        .tls = tls,
	        .command_timeout_ms = 10000,
	        .allow_plaintext_auth = session->allow_plaintext_auth,
	};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	if (!smtp_client_connect(client, error))
		return NULL;
	g_autoptr(BaseSecret) secret =
	        base_secret_new(session->password ? session->password : lab->password, -1);
	SmtpCredentials credentials = {
	        .user = "alice@sender.test", .secret = secret, .mechanisms = session->mechanisms};
	if (!smtp_client_authenticate(client, &credentials, error))
		return NULL;
	return g_steal_pointer(&client);
}

static GBytes *
compose(const char *to, const char *subject, char **message_id)
{
	const char *recipients[] = {to, NULL};
	MailComposeSpec spec = {
	        .from_name = "Alice Example",
	        .from_address = "alice@sender.test",
	        .to = recipients,
	        .subject = subject,
	        .body_text = "Hello,\n.a line starting with a dot\nbye\n",
	};
	g_autoptr(GError) error = NULL;
	GBytes *message = mail_compose_message(&spec, message_id, &error);
	g_assert_no_error(error);
	return message;
}

static void
send_and_find(SmtpSecurity security, unsigned mechanisms)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	Session session = {.security = security, .mechanisms = mechanisms};
	g_autoptr(SmtpClient) client = open_session(&session, &error);
	g_assert_no_error(error);
	g_assert_nonnull(smtp_client_get_tls_description(client));

	g_autofree char *message_id = NULL;
	g_autoptr(GBytes) message = compose("carol@prospect.test", "Über uns", &message_id);
	const char *to[] = {"carol@prospect.test", NULL};
	SmtpEnvelope envelope = {.from = "alice@sender.test", .recipients = to};
	g_autoptr(SmtpSendResult) result = smtp_client_send(client, &envelope, message, &error);
	g_assert_no_error(error);
	g_assert_cmpint(result->outcome, ==, SMTP_OUTCOME_ACCEPTED);
	g_assert_cmpint(result->data_reply->code, ==, 250);
	smtp_client_quit(client);

	g_autoptr(GBytes) delivered = test_lab_wait_for_message(lab, "carol@prospect.test",
	                                                        "Message-ID", message_id, 10000);
	g_assert_nonnull(delivered);
	g_autofree char *subject = test_lab_header(delivered, "Subject");
	g_assert_nonnull(subject);
	g_autofree char *decoded = g_mime_utils_header_decode_text(NULL, subject);
	g_assert_cmpstr(decoded, ==, "Über uns");
	/* The dot-stuffed line arrives as it was written. */
	gsize n = 0;
	const char *raw = g_bytes_get_data(delivered, &n);
	g_assert_nonnull(g_strstr_len(raw, (gssize)n, "\n.a line starting with a dot"));
}

static void
test_starttls_auth_plain(void)
{
	send_and_find(SMTP_SECURITY_STARTTLS, SMTP_AUTH_PLAIN);
}

static void
test_tls_auth_login(void)
{
	send_and_find(SMTP_SECURITY_TLS, SMTP_AUTH_LOGIN);
}

static void
test_wrong_password(void)
{
	g_autoptr(GError) error = NULL;
	Session session = {.security = SMTP_SECURITY_STARTTLS, .password = "not-the-password"};
	const TestLab *lab = test_lab_get();
	NetTlsOptions tls_options = {.ca_file = lab->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	SmtpClientOptions options = {.host = lab->host,
	                             .port = lab->submission_port,
	                             .security = session.security,
	                             .tls = tls};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	g_assert_true(smtp_client_connect(client, &error));
	g_autoptr(BaseSecret) secret = base_secret_new(session.password, -1);
	SmtpCredentials credentials = {.user = "alice@sender.test", .secret = secret};
	g_assert_false(smtp_client_authenticate(client, &credentials, &error));
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_AUTH);
	g_assert_cmpint(smtp_client_classify_failure(client, error), ==,
	                SMTP_OUTCOME_AUTH_REJECTED);
	g_assert_null(strstr(error->message, "not-the-password"));
}

static void
test_unknown_recipient(void)
{
	g_autoptr(GError) error = NULL;
	Session session = {.security = SMTP_SECURITY_STARTTLS};
	g_autoptr(SmtpClient) client = open_session(&session, &error);
	g_assert_no_error(error);
	g_autoptr(GBytes) message = compose("nobody@prospect.test", "Hello?", NULL);
	const char *to[] = {"nobody@prospect.test", NULL};
	SmtpEnvelope envelope = {.from = "alice@sender.test", .recipients = to};
	g_autoptr(SmtpSendResult) result = smtp_client_send(client, &envelope, message, &error);
	g_assert_no_error(error);
	g_assert_cmpint(result->outcome, ==, SMTP_OUTCOME_PERMANENT);
	g_assert_cmpint(result->stage, ==, SMTP_STAGE_RCPT);
	const SmtpReply *rcpt = result->rcpt_replies->pdata[0];
	g_assert_cmpint(rcpt->code, ==, 550);
	g_assert_cmpint(rcpt->enhanced.klass, ==, 5);
	g_assert_cmpint(rcpt->enhanced.subject, ==, 1);
	g_assert_cmpint(rcpt->enhanced.detail, ==, 1);
	g_assert_cmpuint(result->n_accepted, ==, 0);

	/* The session was reset and still sends. */
	g_autofree char *message_id = NULL;
	g_autoptr(GBytes) second = compose("dave@prospect.test", "Next", &message_id);
	const char *to_dave[] = {"dave@prospect.test", NULL};
	SmtpEnvelope next = {.from = "alice@sender.test", .recipients = to_dave};
	g_autoptr(SmtpSendResult) again = smtp_client_send(client, &next, second, &error);
	g_assert_no_error(error);
	g_assert_cmpint(again->outcome, ==, SMTP_OUTCOME_ACCEPTED);
	smtp_client_quit(client);
}

static void
test_over_size(void)
{
	g_autoptr(GError) error = NULL;
	Session session = {.security = SMTP_SECURITY_STARTTLS};
	g_autoptr(SmtpClient) client = open_session(&session, &error);
	g_assert_no_error(error);
	const SmtpCapabilities *caps = smtp_client_get_capabilities(client);
	g_assert_true(caps->size_declared);
	g_assert_cmpuint(caps->size_max_bytes, >, 0);

	gsize size = (gsize)caps->size_max_bytes + 1024;
	char *big = g_malloc(size);
	memset(big, 'a', size);
	memcpy(big, "Subject: big\r\n\r\n", 16);
	g_autoptr(GBytes) message = g_bytes_new_take(big, size);
	const char *to[] = {"carol@prospect.test", NULL};
	SmtpEnvelope envelope = {.from = "alice@sender.test", .recipients = to};
	g_autoptr(SmtpSendResult) result = smtp_client_send(client, &envelope, message, &error);
	g_assert_null(result);
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_TOO_BIG);
	smtp_client_quit(client);
}

static void
test_wrong_ca(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	Session session = {.security = SMTP_SECURITY_TLS, .ca_file = lab->other_ca_file};
	g_autoptr(SmtpClient) client = open_session(&session, &error);
	g_assert_null(client);
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_CERTIFICATE);
	g_assert_nonnull(strstr(error->message, "certificate"));
}

static void
test_wrong_ca_starttls(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	Session session = {.security = SMTP_SECURITY_STARTTLS, .ca_file = lab->other_ca_file};
	g_autoptr(SmtpClient) client = open_session(&session, &error);
	g_assert_null(client);
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_CERTIFICATE);
}

static void
test_plaintext_auth_refused(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	SmtpClientOptions options = {
	        .host = lab->host, .port = lab->submission_port, .security = SMTP_SECURITY_NONE};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	g_assert_true(smtp_client_connect(client, &error));
	g_autoptr(BaseSecret) secret = base_secret_new(lab->password, -1);
	SmtpCredentials credentials = {.user = "alice@sender.test", .secret = secret};
	g_assert_false(smtp_client_authenticate(client, &credentials, &error));
	g_assert_error(error, SMTP_ERROR, SMTP_ERROR_POLICY);
}

static void
test_many_messages_one_session(void)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	Session session = {.security = SMTP_SECURITY_STARTTLS};
	g_autoptr(SmtpClient) client = open_session(&session, &error);
	g_assert_no_error(error);
	const int n = 40;
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	const char *to[] = {"erin@prospect.test", NULL};
	SmtpEnvelope envelope = {.from = "alice@sender.test", .recipients = to};

	for (int i = 0; i < n; i++) {
		char *id = NULL;
		g_autofree char *subject = g_strdup_printf("batch %d", i);
		g_autoptr(GBytes) message = compose("erin@prospect.test", subject, &id);
		g_ptr_array_add(ids, id);
		g_autoptr(SmtpSendResult) result =
		        smtp_client_send(client, &envelope, message, &error);
		g_assert_no_error(error);
		g_assert_cmpint(result->outcome, ==, SMTP_OUTCOME_ACCEPTED);
	}
	smtp_client_quit(client);

	/* Each message arrives exactly once. */
	for (int i = 0; i < n; i++) {
		g_autoptr(GBytes) found = test_lab_wait_for_message(
		        lab, "erin@prospect.test", "Message-ID", ids->pdata[i], 10000);
		g_assert_nonnull(found);
		g_assert_cmpuint(test_lab_count_text(lab, "erin@prospect.test", ids->pdata[i]), ==,
		                 1);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	signal(SIGPIPE, SIG_IGN);
	g_mime_init();
	g_test_add_func("/smtp/lab/starttls-auth-plain-delivers", test_starttls_auth_plain);
	g_test_add_func("/smtp/lab/implicit-tls-auth-login-delivers", test_tls_auth_login);
	g_test_add_func("/smtp/lab/wrong-password-is-auth-rejected", test_wrong_password);
	g_test_add_func("/smtp/lab/unknown-recipient-is-permanent-5.1.1", test_unknown_recipient);
	g_test_add_func("/smtp/lab/message-over-size-not-sent", test_over_size);
	g_test_add_func("/smtp/lab/certificate-of-other-ca-refused", test_wrong_ca);
	g_test_add_func("/smtp/lab/certificate-of-other-ca-refused-after-starttls",
	                test_wrong_ca_starttls);
	g_test_add_func("/smtp/lab/auth-without-tls-refused", test_plaintext_auth_refused);
	g_test_add_func("/smtp/lab/many-messages-one-session-each-once",
	                test_many_messages_one_session);
	return g_test_run();
}
