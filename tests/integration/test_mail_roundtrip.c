/*
 * Compose → send through the lab's Postfix with our SMTP client → fetch
 * from the recipient's Dovecot with our IMAP client → parse: what arrives
 * reads exactly as what was composed, threading headers intact.
 */
#include "helpers/test_lab.h"
#include "imap/imap_client.h"
#include "mail/mail_compose.h"
#include "mail/mail_message.h"
#include "smtp/smtp_client.h"

#include <gmime/gmime.h>
#include <signal.h>
#include <string.h>

static void
send_message(GBytes *message, const char *to)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	NetTlsOptions tls_options = {.ca_file = lab->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	SmtpClientOptions options = {.host = lab->host,
	                             .port = lab->submission_port,
	                             .security = SMTP_SECURITY_STARTTLS,
	                             .tls = tls};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	g_autoptr(BaseSecret) secret = base_secret_new(lab->password, -1);
	SmtpCredentials credentials = {.user = "alice@sender.test", .secret = secret};
	g_assert_true(smtp_client_connect(client, &error));
	g_assert_true(smtp_client_authenticate(client, &credentials, &error));
	const char *recipients[] = {to, NULL};
	SmtpEnvelope envelope = {.from = "alice@sender.test", .recipients = recipients};
	g_autoptr(SmtpSendResult) result = smtp_client_send(client, &envelope, message, &error);
	g_assert_no_error(error);
	g_assert_cmpint(result->outcome, ==, SMTP_OUTCOME_ACCEPTED);
	smtp_client_quit(client);
}

static bool
keep_whole(const ImapFetch *fetch, void *user_data)
{
	GBytes **whole = user_data;
	if (fetch->whole != NULL && *whole == NULL)
		*whole = g_bytes_ref(fetch->whole);
	return true;
}

static GBytes *
fetch_by_message_id(const char *user, const char *message_id)
{
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	NetTlsOptions tls_options = {.ca_file = lab->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	ImapClientOptions options = {.host = lab->host,
	                             .port = lab->imaps_port,
	                             .security = IMAP_SECURITY_TLS,
	                             .tls = tls};
	g_autoptr(ImapClient) client = imap_client_new(&options);
	g_autoptr(BaseSecret) secret = base_secret_new(lab->password, -1);
	ImapCredentials credentials = {.user = user, .secret = secret};
	g_assert_true(imap_client_connect(client, &error));
	g_assert_true(imap_client_login(client, &credentials, &error));
	g_assert_true(imap_client_select(client, "INBOX", true, &error));
	g_autofree char *bracketed = g_strdup_printf("<%s>", message_id);
	g_autoptr(GArray) uids =
	        imap_client_uid_search_header(client, "Message-ID", bracketed, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(uids->len, ==, 1);
	g_autofree char *set = g_strdup_printf("%u", g_array_index(uids, uint32_t, 0));
	GBytes *whole = NULL;
	g_assert_true(
	        imap_client_uid_fetch(client, set, "UID BODY.PEEK[]", keep_whole, &whole, &error));
	imap_client_logout(client);
	return whole;
}

static void
test_round_trip(void)
{
	const TestLab *lab = test_lab_get();
	const char *to[] = {"erin@prospect.test", NULL};
	const char *references[] = {"first@sender.test", "second@sender.test", NULL};
	const char *body = "Hallo Erin,\n\nschön, dass es klappt: Grüße aus Köln, à bientôt,"
	                   " ¡hasta luego!\n.a line with a leading dot\n\nAlice\n";
	MailComposeSpec spec = {
	        .from_name = "Alice Müller",
	        .from_address = "alice@sender.test",
	        .to = to,
	        .subject = "Re: Überraschung für Ihr Team – kurze Frage",
	        .body_text = body,
	        .in_reply_to = "second@sender.test",
	        .references = references,
	};
	g_autoptr(GError) error = NULL;
	g_autofree char *message_id = NULL;
	g_autoptr(GBytes) message = mail_compose_message(&spec, &message_id, &error);
	g_assert_no_error(error);
	send_message(message, "erin@prospect.test");
	g_autoptr(GBytes) waited = test_lab_wait_for_message(lab, "erin@prospect.test",
	                                                     "Message-ID", message_id, 10000);
	g_assert_nonnull(waited);

	g_autoptr(GBytes) fetched = fetch_by_message_id("erin@prospect.test", message_id);
	g_assert_nonnull(fetched);
	g_autoptr(MailMessage) parsed =
	        mail_message_parse(g_bytes_get_data(fetched, NULL), g_bytes_get_size(fetched));
	const MailHeaders *headers = mail_message_get_headers(parsed);
	g_autofree char *subject = mail_headers_dup_decoded(headers, "Subject");
	g_assert_cmpstr(subject, ==, spec.subject);
	g_autofree char *from = mail_headers_dup_decoded(headers, "From");
	g_assert_cmpstr(from, ==, "Alice Müller <alice@sender.test>");
	g_assert_cmpstr(mail_headers_get_raw(headers, "In-Reply-To"), ==, "<second@sender.test>");
	g_assert_cmpstr(mail_headers_get_raw(headers, "References"), ==,
	                "<first@sender.test> <second@sender.test>");
	g_assert_cmpstr(mail_message_get_text(parsed), ==, body);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	signal(SIGPIPE, SIG_IGN);
	g_mime_init();
	g_test_add_func("/mail/lab/compose-send-fetch-parse-round-trip", test_round_trip);
	return g_test_run();
}
