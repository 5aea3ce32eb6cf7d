/*
 * Replays every tests/transcript/smtp/NAME.script against the SMTP client:
 * a scripted server plays the server's side (see test_fault_server.h), the
 * client connects, logs in when the script says so, and sends one message.
 * The header of each script (before "---") says what must come of it:
 *
 *   outcome: accepted|temporary|permanent|throttled|auth_rejected|
 *            sender_rejected|connection_failed|unknown|configuration
 *   error:   none|connect|certificate|timeout|closed|protocol|refused|policy|
 *            auth|too_big|outcome_unknown|stopped   (the SMTP_ERROR code, if any)
 *   stop:    yes: a stop is asked for (the stop fd) before the client starts
 *   security: plain|starttls|tls            (default plain)
 *   auth: plain|login|xoauth2|none          (default none; the secret is "secret")
 *   recipients: N                           (default 1)
 *   address: 127.0.0.1|::1                  (default 127.0.0.1)
 *   warning: PATTERN                        (a warning the client must log)
 *   warning-from: smtp|net                  (the layer that logs it; default smtp)
 *   size: N                                 (a message of N bytes; default small)
 *
 * Each script ends within its deadline: the client's command timeout is
 * 1 s, and the test asserts the whole exchange took less than 5 s.
 */
#include "helpers/test_fault_server.h"
#include "helpers/test_script.h"
#include "net/net_tls.h"
#include "smtp/smtp_client.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static const char *const error_names[] = {
        [SMTP_ERROR_CONNECT] = "connect",   [SMTP_ERROR_CERTIFICATE] = "certificate",
        [SMTP_ERROR_TIMEOUT] = "timeout",   [SMTP_ERROR_CLOSED] = "closed",
        [SMTP_ERROR_PROTOCOL] = "protocol", [SMTP_ERROR_REFUSED] = "refused",
        [SMTP_ERROR_POLICY] = "policy",     [SMTP_ERROR_AUTH] = "auth",
        [SMTP_ERROR_TOO_BIG] = "too_big",   [SMTP_ERROR_OUTCOME_UNKNOWN] = "outcome_unknown",
        [SMTP_ERROR_INPUT] = "input",       [SMTP_ERROR_STOPPED] = "stopped",
};

typedef TestScript Script;

static const char *
header(const Script *script, const char *key, const char *fallback)
{
	return test_script_get(script, key, fallback);
}

static GBytes *
test_message(const Script *script)
{
	gsize size = (gsize)g_ascii_strtoull(header(script, "size", "0"), NULL, 10);
	if (size > 0) {
		GString *big = g_string_new("From: <alice@sender.test>\r\nSubject: big\r\n\r\n");
		while (big->len < size)
			g_string_append(big, "All work and no play makes a long message.\r\n");
		gsize n = big->len;
		return g_bytes_new_take(g_string_free(big, FALSE), n);
	}
	const char *text = "From: <alice@sender.test>\r\nTo: <carol@prospect.test>\r\n"
	                   "Subject: transcript\r\nMessage-ID: <t@sender.test>\r\n\r\n"
	                   "Hello.\r\n.leading dot\r\n";
	return g_bytes_new_static(text, strlen(text));
}

static SmtpSecurity
security_of(const char *name)
{
	if (strcmp(name, "starttls") == 0)
		return SMTP_SECURITY_STARTTLS;
	if (strcmp(name, "tls") == 0)
		return SMTP_SECURITY_TLS;
	return SMTP_SECURITY_NONE;
}

/* Runs the client's side; returns the outcome and sets @error_name. */
static SmtpOutcome
run_client(const Script *script, uint16_t port, const char **error_name)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *ca = g_test_build_filename(G_TEST_DIST, "data", "tls", "ca.crt", NULL);
	NetTlsOptions tls_options = {.ca_file = ca};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	g_assert_no_error(error);
	SmtpClientOptions options = {
	        .host = header(script, "address", "127.0.0.1"),
	        .port = port,
	        .security = security_of(header(script, "security", "plain")),
	        .tls = tls,
	        .helo_name = "client.test",
	        .connect_timeout_ms = 1000,
	        .command_timeout_ms = 1000,
	        .data_end_timeout_ms = 1000,
	        .allow_plaintext_auth = true,
	};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	/* "stop: yes": a stop was asked for before anything happened; every
	 * wait must end at once, not at its deadline. */
	int stop_pipe[2] = {-1, -1};
	if (strcmp(header(script, "stop", "no"), "yes") == 0) {
		g_assert_cmpint(pipe(stop_pipe), ==, 0);
		g_assert_cmpint(write(stop_pipe[1], "x", 1), ==, 1);
		smtp_client_set_stop_fd(client, stop_pipe[0]);
	}
	g_autoptr(BaseSecret) secret = base_secret_new("secret", -1);
	const char *auth = header(script, "auth", "none");
	SmtpCredentials credentials = {.user = "alice@sender.test",
	                               .secret = secret,
	                               .oauth2 = strcmp(auth, "xoauth2") == 0 ||
	                                         strcmp(auth, "oauthbearer") == 0};
	int n_recipients = (int)g_ascii_strtoll(header(script, "recipients", "1"), NULL, 10);
	g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < n_recipients; i++)
		g_ptr_array_add(recipients, g_strdup_printf("r%d@prospect.test", i + 1));
	g_ptr_array_add(recipients, NULL);
	SmtpEnvelope envelope = {.from = "alice@sender.test",
	                         .recipients = (const char *const *)recipients->pdata};
	g_autoptr(GBytes) message = test_message(script);
	SmtpOutcome outcome;
	g_autoptr(SmtpReply) deciding = NULL;

	*error_name = "none";
	if (!smtp_client_connect(client, &error) ||
	    (strcmp(auth, "none") != 0 &&
	     !smtp_client_authenticate(client, &credentials, &error))) {
		outcome = smtp_client_classify_failure(client, error);
	} else {
		g_autoptr(SmtpSendResult) result =
		        smtp_client_send(client, &envelope, message, &error);
		outcome = result != NULL ? result->outcome
		                         : smtp_client_classify_failure(client, error);
		if (result != NULL) {
			deciding = smtp_reply_copy(smtp_client_deciding_reply(result));
			smtp_client_quit(client);
		}
	}
	if (error != NULL) {
		g_assert_true(error->domain == SMTP_ERROR);
		*error_name = error_names[error->code];
		g_test_message("client error: %s", error->message);
		/* "error-says: TEXT": the error tells the user this. */
		const char *says = header(script, "error-says", NULL);
		if (says != NULL && strstr(error->message, says) == NULL)
			g_error("%s: the error \"%s\" does not say \"%s\"", script->name,
			        error->message, says);
	}
	/* "advice: TEXT" and "advice-waits: person|time": what the provider's
	 * refusal tells a person to do, and whether waiting helps. */
	SmtpAdvice advice = smtp_outcome_advise(
	        deciding != NULL ? deciding : smtp_client_get_last_reply(client),
	        credentials.oauth2);
	const char *expected = header(script, "advice", NULL);
	if (expected != NULL && (advice.words == NULL || strstr(advice.words, expected) == NULL))
		g_error("%s: the advice \"%s\" does not say \"%s\"", script->name,
		        advice.words != NULL ? advice.words : "(none)", expected);
	if (expected == NULL && advice.words != NULL)
		g_error("%s: unexpected advice \"%s\"", script->name, advice.words);
	const char *waits = header(script, "advice-waits", "time");
	g_assert_cmpint(advice.until_person_acts, ==, strcmp(waits, "person") == 0);
	if (stop_pipe[0] >= 0) {
		close(stop_pipe[0]);
		close(stop_pipe[1]);
	}
	return outcome;
}

static void
test_script(gconstpointer data)
{
	const Script *script = data;
	g_autoptr(TestFaultServer) server =
	        test_fault_server_start(header(script, "address", "127.0.0.1"), script->dialog);
	gint64 started = g_get_monotonic_time();
	const char *error_name = NULL;
	const char *warning = header(script, "warning", NULL);
	g_autofree char *domain =
	        g_strdup_printf("piculet-%s", header(script, "warning-from", "smtp"));
	if (warning != NULL)
		g_test_expect_message(domain, G_LOG_LEVEL_WARNING, warning);

	SmtpOutcome outcome = run_client(script, test_fault_server_get_port(server), &error_name);
	g_autofree char *problem = test_fault_server_finish(server);
	gint64 elapsed_ms = (g_get_monotonic_time() - started) / 1000;

	if (warning != NULL)
		g_test_assert_expected_messages();
	g_assert_cmpstr(smtp_outcome_to_string(outcome), ==, header(script, "outcome", "?"));
	g_assert_cmpstr(error_name, ==, header(script, "error", "none"));
	if (problem != NULL)
		g_error("%s: the client did not follow the script: %s", script->name, problem);
	g_assert_cmpint(elapsed_ms, <, 5000);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	signal(SIGPIPE, SIG_IGN);
	test_script_add_all("smtp", test_script);
	return g_test_run();
}
