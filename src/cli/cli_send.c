#define G_LOG_DOMAIN "piculet-cli"

#include "cli/cli_send.h"

#include "base/base_log.h"
#include "base/base_secret.h"
#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "mail/mail_compose.h"
#include "smtp/smtp_client.h"

#include <stdio.h>
#include <string.h>

const char cli_send_usage[] =
        "usage: piculet send --smtp HOST[:PORT] [--starttls|--tls|--plain]\n"
        "                    [--user USER (--password-env VAR | --password-file FILE |\n"
        "                                  --password-cmd CMD) [--oauth2] [--auth MECH]]\n"
        "                    [--ca-file FILE] [--insecure] [--allow-plaintext-auth]\n"
        "                    --from ADDRESS --to ADDRESS [--to ADDRESS...]\n"
        "                    (--subject TEXT --body-file FILE | --message-file FILE.eml)\n"
        "                    [--from-name NAME] [--helo NAME] [--count N] [--timeout SECONDS]\n"
        "                    [--trace]\n"
        "\n"
        "Sends a message through an SMTP submission server, like msmtp or swaks, and\n"
        "prints the server's answer for each recipient. Also a diagnostic: --trace\n"
        "shows the whole exchange (AUTH hidden).\n"
        "\n"
        "  --smtp HOST[:PORT]    server; PORT defaults to 587 (--starttls), 465 (--tls), 25\n"
        "  --starttls            connect in clear, then STARTTLS (the default); never goes\n"
        "                        on in clear when the server does not offer it\n"
        "  --tls                 TLS from the first byte (port 465)\n"
        "  --plain               no TLS at all\n"
        "  --user USER           log in as USER; the secret comes from one of:\n"
        "  --password-env VAR      the environment variable VAR\n"
        "  --password-file FILE    the first line of FILE\n"
        "  --password-cmd CMD      the first line CMD prints (run by /bin/sh)\n"
        "  --oauth2              the secret is an OAuth2 bearer token (AUTH XOAUTH2)\n"
        "  --auth MECHANISM      use only plain, login or xoauth2 (default: the best offered)\n"
        "  --ca-file FILE        trust the CAs in FILE instead of the system's\n"
        "  --insecure            do NOT verify the server's certificate (diagnostics only)\n"
        "  --allow-plaintext-auth  send the password even without TLS\n"
        "  --from ADDRESS        envelope sender and From: address\n"
        "  --from-name NAME      display name in From:\n"
        "  --to ADDRESS          a recipient (repeatable)\n"
        "  --subject TEXT        subject of a plain-text message whose body is ...\n"
        "  --body-file FILE      ... the UTF-8 text of FILE (- for standard input)\n"
        "  --message-file FILE   send FILE as it is (a complete RFC 5322 message)\n"
        "  --helo NAME           name for EHLO (default: the local address literal)\n"
        "  --count N             send N messages on one session (diagnostics, benchmarks)\n"
        "  --timeout SECONDS     deadline of each whole reply, the one after the message\n"
        "                        included (default 300, and 600 after the message)\n"
        "  --trace               print the protocol exchange on stderr\n"
        "\n"
        "Exit status: 0 sent; 67 refused for good; 75 temporary or throttled; 77 login\n"
        "refused; 69 server unreachable; 76 protocol error; 78 configuration (no\n"
        "STARTTLS, bad certificate); 79 connection lost after the message was handed\n"
        "over (it may have been sent: do not resend blindly). See piculet help.\n";

typedef struct {
	char *smtp;
	CliConnectionArgs conn;
	char *auth;
	char *from;
	char *from_name;
	char **to;
	char *subject;
	char *body_file;
	char *message_file;
	char *helo;
	int count;
} SendArgs;

static void
send_args_clear(SendArgs *args)
{
	g_free(args->smtp);
	cli_options_connection_clear(&args->conn);
	g_free(args->auth);
	g_free(args->from);
	g_free(args->from_name);
	g_strfreev(args->to);
	g_free(args->subject);
	g_free(args->body_file);
	g_free(args->message_file);
	g_free(args->helo);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SendArgs, send_args_clear)

static int
exit_code_of(SmtpOutcome outcome, const GError *error)
{
	if (error != NULL && error->domain == SMTP_ERROR && error->code == SMTP_ERROR_PROTOCOL)
		return CLI_EXIT_PROTOCOL;
	switch (outcome) {
	case SMTP_OUTCOME_ACCEPTED:
		return CLI_EXIT_OK;
	case SMTP_OUTCOME_TEMPORARY:
	case SMTP_OUTCOME_THROTTLED:
		return CLI_EXIT_TEMPORARY;
	case SMTP_OUTCOME_PERMANENT:
	case SMTP_OUTCOME_SENDER_REJECTED:
		return CLI_EXIT_REJECTED;
	case SMTP_OUTCOME_AUTH_REJECTED:
		return CLI_EXIT_AUTH;
	case SMTP_OUTCOME_CONNECTION_FAILED:
		return CLI_EXIT_UNAVAILABLE;
	case SMTP_OUTCOME_UNKNOWN:
		return CLI_EXIT_OUTCOME_UNKNOWN;
	case SMTP_OUTCOME_CONFIGURATION:
		return CLI_EXIT_CONFIG;
	case SMTP_OUTCOME_MESSAGE_INVALID:
		return CLI_EXIT_DATA;
	}
	return CLI_EXIT_SOFTWARE;
}

static bool
parse_args(int argc, char **argv, SendArgs *args)
{
	const GOptionEntry own[] = {
	        {"smtp", 0, 0, G_OPTION_ARG_STRING, &args->smtp, NULL, NULL},
	        {"auth", 0, 0, G_OPTION_ARG_STRING, &args->auth, NULL, NULL},
	        {"from", 0, 0, G_OPTION_ARG_STRING, &args->from, NULL, NULL},
	        {"from-name", 0, 0, G_OPTION_ARG_STRING, &args->from_name, NULL, NULL},
	        {"to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->to, NULL, NULL},
	        {"subject", 0, 0, G_OPTION_ARG_STRING, &args->subject, NULL, NULL},
	        {"body-file", 0, 0, G_OPTION_ARG_FILENAME, &args->body_file, NULL, NULL},
	        {"message-file", 0, 0, G_OPTION_ARG_FILENAME, &args->message_file, NULL, NULL},
	        {"helo", 0, 0, G_OPTION_ARG_STRING, &args->helo, NULL, NULL},
	        {"count", 0, 0, G_OPTION_ARG_INT, &args->count, NULL, NULL},
	};
	g_autoptr(GArray) entries = g_array_new(FALSE, FALSE, sizeof(GOptionEntry));
	g_array_append_vals(entries, own, G_N_ELEMENTS(own));
	cli_options_add_connection(entries, &args->conn);
	return cli_options_parse_array("send", entries, argc, argv);
}

static unsigned
auth_mechanisms(const char *name)
{
	if (name == NULL)
		return 0;
	if (g_ascii_strcasecmp(name, "plain") == 0)
		return SMTP_AUTH_PLAIN;
	if (g_ascii_strcasecmp(name, "login") == 0)
		return SMTP_AUTH_LOGIN;
	if (g_ascii_strcasecmp(name, "xoauth2") == 0)
		return SMTP_AUTH_XOAUTH2;
	return 0;
}

static bool
check_args(const SendArgs *args)
{
	const char *problem = cli_options_check_connection(&args->conn, false);

	if (args->smtp == NULL)
		problem = "--smtp HOST[:PORT] is required";
	else if (problem != NULL)
		; /* as the shared check said */
	else if (args->from == NULL)
		problem = "--from ADDRESS is required";
	else if (args->to == NULL || args->to[0] == NULL)
		problem = "at least one --to ADDRESS is required";
	else if ((args->message_file != NULL) == (args->body_file != NULL || args->subject != NULL))
		problem = "give either --message-file, or --subject with --body-file";
	else if (args->message_file == NULL && (args->subject == NULL || args->body_file == NULL))
		problem = "--subject and --body-file go together";
	else if (args->auth != NULL && auth_mechanisms(args->auth) == 0)
		problem = "--auth takes plain, login or xoauth2";
	else if (args->count < 0 || args->count > 10000000)
		problem = "--count must be between 1 and 10000000";
	if (problem == NULL)
		return true;
	cli_output_eprintf("piculet send: %s (see piculet send --help)\n", problem);
	return false;
}

static SmtpSecurity
security_of(const SendArgs *args, uint16_t port)
{
	if (args->conn.tls)
		return SMTP_SECURITY_TLS;
	if (args->conn.plain)
		return SMTP_SECURITY_NONE;
	if (args->conn.starttls)
		return SMTP_SECURITY_STARTTLS;
	return port == 465 ? SMTP_SECURITY_TLS : SMTP_SECURITY_STARTTLS;
}

/* Reads the message to send; @compose is set when each copy must be
 * composed anew (a fresh Message-ID per message). */
static bool
read_input(const SendArgs *args, char **body, GBytes **raw, GError **error)
{
	const char *path = args->message_file != NULL ? args->message_file : args->body_file;
	char *contents = NULL;
	gsize n = 0;
	bool ok;

	if (strcmp(path, "-") == 0) {
		g_autoptr(GIOChannel) in = g_io_channel_unix_new(0);
		g_io_channel_set_encoding(in, NULL, NULL);
		ok = g_io_channel_read_to_end(in, &contents, &n, error) == G_IO_STATUS_NORMAL;
	} else {
		ok = g_file_get_contents(path, &contents, &n, error);
	}
	if (!ok)
		return false;
	if (args->message_file != NULL) {
		*raw = g_bytes_new_take(contents, n);
		return true;
	}
	if (!g_utf8_validate(contents, (gssize)n, NULL)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not UTF-8 text", path);
		g_free(contents);
		return false;
	}
	*body = contents;
	return true;
}

static void
print_result(const SmtpSendResult *result, const SendArgs *args, guint index)
{
	char prefix[32] = "";
	if (args->count > 1)
		g_snprintf(prefix, sizeof prefix, "message %u: ", index + 1);
	for (guint i = 0; i < result->rcpt_replies->len; i++) {
		const SmtpReply *rcpt = result->rcpt_replies->pdata[i];
		const SmtpReply *shown = rcpt;
		if (rcpt == NULL)
			shown = result->mail_reply;
		else if (rcpt->code < 400 && result->data_reply != NULL)
			shown = result->data_reply;
		g_autofree char *summary = smtp_reply_dup_summary(shown, 300);
		cli_output_printf("%s%s: %s\n", prefix, args->to[i], summary);
	}
}

/* The exit code of one message: the worst class over its recipients. */
static int
result_exit_code(const SmtpSendResult *result)
{
	if (result->outcome != SMTP_OUTCOME_ACCEPTED)
		return exit_code_of(result->outcome, NULL);
	for (guint i = 0; i < result->rcpt_replies->len; i++) {
		const SmtpReply *rcpt = result->rcpt_replies->pdata[i];
		if (rcpt != NULL && rcpt->code >= 400)
			return exit_code_of(smtp_outcome_classify(rcpt, SMTP_STAGE_RCPT), NULL);
	}
	return CLI_EXIT_OK;
}

static GBytes *
message_for(const SendArgs *args, const char *body, GBytes *raw, GError **error)
{
	if (raw != NULL)
		return g_bytes_ref(raw);
	MailComposeSpec spec = {
	        .from_name = args->from_name,
	        .from_address = args->from,
	        .to = (const char *const *)args->to,
	        .subject = args->subject,
	        .body_text = body,
	};
	return mail_compose_message(&spec, NULL, error);
}

static int
send_all(SmtpClient *client, const SendArgs *args, const char *body, GBytes *raw)
{
	SmtpEnvelope envelope = {.from = args->from, .recipients = (const char *const *)args->to};
	int count = args->count > 0 ? args->count : 1;
	gint64 started = g_get_monotonic_time();
	int sent = 0;

	for (int i = 0; i < count; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) message = message_for(args, body, raw, &error);
		if (message == NULL) {
			cli_output_eprintf("piculet send: %s\n", error->message);
			return CLI_EXIT_DATA;
		}
		g_autoptr(SmtpSendResult) result =
		        smtp_client_send(client, &envelope, message, &error);
		if (result == NULL) {
			cli_output_eprintf("piculet send: %s\n", error->message);
			return exit_code_of(smtp_client_classify_failure(client, error), error);
		}
		if (count == 1 || result->outcome != SMTP_OUTCOME_ACCEPTED)
			print_result(result, args, (guint)i);
		int code = result_exit_code(result);
		if (code != CLI_EXIT_OK)
			return code;
		sent++;
	}
	if (count > 1) {
		double seconds = (double)(g_get_monotonic_time() - started) / G_USEC_PER_SEC;
		cli_output_printf("sent %d messages on one session in %.3f s (%.0f messages/s)\n",
		                  sent, seconds, seconds > 0 ? sent / seconds : 0.0);
	}
	return CLI_EXIT_OK;
}

static int
run_session(const SendArgs *args, const char *host, uint16_t port, const char *body, GBytes *raw)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSecret) secret = NULL;
	g_autoptr(NetTls) tls = NULL;
	SmtpSecurity security = security_of(args, port);

	if (args->conn.user != NULL &&
	    (secret = cli_options_load_secret(args->conn.password_env, args->conn.password_file,
	                                      args->conn.password_cmd, &error)) == NULL) {
		cli_output_eprintf("piculet send: %s\n", error->message);
		return CLI_EXIT_CONFIG;
	}
	if (security != SMTP_SECURITY_NONE) {
		if ((tls = cli_options_new_tls(&args->conn, &error)) == NULL) {
			cli_output_eprintf("piculet send: %s\n", error->message);
			return CLI_EXIT_CONFIG;
		}
	}
	SmtpClientOptions options = {
	        .host = host,
	        .port = port,
	        .security = security,
	        .tls = tls,
	        .helo_name = args->helo,
	        .command_timeout_ms = args->conn.timeout_s > 0 ? args->conn.timeout_s * 1000 : 0,
	        .data_end_timeout_ms = args->conn.timeout_s > 0 ? args->conn.timeout_s * 1000 : 0,
	        .allow_plaintext_auth = args->conn.allow_plaintext_auth,
	};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	int code = CLI_EXIT_OK;
	if (!smtp_client_connect(client, &error)) {
		code = exit_code_of(smtp_client_classify_failure(client, error), error);
		goto fail;
	}
	if (secret != NULL) {
		SmtpCredentials credentials = {
		        .user = args->conn.user, .secret = secret, .oauth2 = args->conn.oauth2};
		if (!smtp_client_authenticate(client, &credentials, &error)) {
			code = exit_code_of(smtp_client_classify_failure(client, error), error);
			goto fail;
		}
	}
	code = send_all(client, args, body, raw);
	smtp_client_quit(client);
	return code;
fail:
	cli_output_eprintf("piculet send: %s:%u: %s\n", host, port, error->message);
	smtp_client_quit(client);
	return code;
}

int
cli_send_run(int argc, char **argv)
{
	g_auto(SendArgs) args = {0};
	g_autoptr(GError) error = NULL;
	g_autofree char *host = NULL;
	g_autofree char *body = NULL;
	g_autoptr(GBytes) raw = NULL;
	guint16 port = 0;

	if (!parse_args(argc, argv, &args) || !check_args(&args))
		return CLI_EXIT_USAGE;
	if (args.conn.trace)
		base_log_set_level(BASE_LOG_VERBOSE);
	guint16 default_port = args.conn.tls ? 465 : args.conn.plain ? 25 : 587;
	if (!cli_options_parse_host_port(args.smtp, default_port, &host, &port, &error)) {
		cli_output_eprintf("piculet send: --smtp: %s\n", error->message);
		return CLI_EXIT_USAGE;
	}
	if (!read_input(&args, &body, &raw, &error)) {
		cli_output_eprintf("piculet send: %s\n", error->message);
		return CLI_EXIT_NO_INPUT;
	}
	return run_session(&args, host, port, body, raw);
}
