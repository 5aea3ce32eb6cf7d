#define G_LOG_DOMAIN "piculet-smtp"

#include "smtp/smtp_client.h"

#include "base/base_error.h"
#include "base/base_log.h"
#include "base/base_sasl.h"
#include "net/net_conn.h"
#include "net/net_error.h"
#include "smtp/smtp_data.h"

#include <string.h>

typedef enum {
	STATE_DISCONNECTED,
	STATE_GREETING,
	STATE_EHLO,
	STATE_STARTTLS,
	STATE_READY,       /* between transactions */
	STATE_TRANSACTION, /* MAIL FROM sent, the message not yet finished */
	STATE_BROKEN,      /* the connection is unusable */
	STATE_CLOSED,      /* QUIT sent */
} ClientState;

static const char *const state_names[] = {
        [STATE_DISCONNECTED] = "disconnected",
        [STATE_GREETING] = "greeting",
        [STATE_EHLO] = "ehlo",
        [STATE_STARTTLS] = "starttls",
        [STATE_READY] = "ready",
        [STATE_TRANSACTION] = "transaction",
        [STATE_BROKEN] = "broken",
        [STATE_CLOSED] = "closed",
};

struct SmtpClient {
	char *host;
	uint16_t port;
	SmtpSecurity security;
	NetTls *tls;
	char *helo_name;
	int connect_timeout_ms;
	int command_timeout_ms;
	int data_end_timeout_ms;
	bool allow_plaintext_auth;
	int stop_fd;

	ClientState state;
	NetConn *conn;
	SmtpReplyReader *reader;
	SmtpCapabilities capabilities;
	SmtpReply *last_reply;
	SmtpStage last_stage;
	SmtpDataEncoder *encoder;
	GByteArray *data_buffer;
};

/* The one place the state changes, so a trace shows every transition. */
static void
set_state(SmtpClient *client, ClientState state)
{
	if (client->state == state)
		return;
	g_debug("%s:%u: state %s -> %s", client->host, client->port, state_names[client->state],
	        state_names[state]);
	client->state = state;
}

SmtpClient *
smtp_client_new(const SmtpClientOptions *options)
{
	SmtpClient *client = g_new0(SmtpClient, 1);
	client->host = g_strdup(options->host);
	client->port = options->port;
	client->security = options->security;
	client->tls = options->tls != NULL ? net_tls_ref(options->tls) : NULL;
	client->helo_name = g_strdup(options->helo_name);
	client->connect_timeout_ms =
	        options->connect_timeout_ms > 0 ? options->connect_timeout_ms : 30 * 1000;
	client->command_timeout_ms =
	        options->command_timeout_ms > 0 ? options->command_timeout_ms : 5 * 60 * 1000;
	client->data_end_timeout_ms =
	        options->data_end_timeout_ms > 0 ? options->data_end_timeout_ms : 10 * 60 * 1000;
	client->allow_plaintext_auth = options->allow_plaintext_auth;
	client->reader = smtp_reply_reader_new();
	client->encoder = smtp_data_encoder_new();
	client->data_buffer = g_byte_array_new();
	client->state = STATE_DISCONNECTED;
	client->stop_fd = -1;
	return client;
}

void
smtp_client_free(SmtpClient *client)
{
	if (client == NULL)
		return;
	net_conn_free(client->conn);
	net_tls_unref(client->tls);
	smtp_reply_reader_free(client->reader);
	smtp_reply_free(client->last_reply);
	smtp_data_encoder_free(client->encoder);
	g_byte_array_unref(client->data_buffer);
	g_free(client->helo_name);
	g_free(client->host);
	g_free(client);
}

const SmtpReply *
smtp_client_deciding_reply(const SmtpSendResult *result)
{
	if (result->outcome != SMTP_OUTCOME_ACCEPTED) {
		for (guint i = 0; result->rcpt_replies != NULL && i < result->rcpt_replies->len;
		     i++) {
			const SmtpReply *reply = result->rcpt_replies->pdata[i];
			if (reply != NULL && reply->code >= 400)
				return reply;
		}
		if (result->mail_reply != NULL && result->mail_reply->code >= 400)
			return result->mail_reply;
	}
	return result->data_reply != NULL ? result->data_reply : result->mail_reply;
}

void
smtp_client_send_result_free(SmtpSendResult *result)
{
	if (result == NULL)
		return;
	smtp_reply_free(result->mail_reply);
	if (result->rcpt_replies != NULL)
		g_ptr_array_unref(result->rcpt_replies);
	smtp_reply_free(result->data_reply);
	g_free(result);
}

void
smtp_client_set_stop_fd(SmtpClient *client, int stop_fd)
{
	client->stop_fd = stop_fd >= 0 ? stop_fd : -1;
	if (client->conn != NULL)
		net_conn_set_stop_fd(client->conn, client->stop_fd);
}

const SmtpCapabilities *
smtp_client_get_capabilities(const SmtpClient *client)
{
	return &client->capabilities;
}

const SmtpReply *
smtp_client_get_last_reply(const SmtpClient *client)
{
	return client->last_reply;
}

SmtpStage
smtp_client_get_last_stage(const SmtpClient *client)
{
	return client->last_stage;
}

const char *
smtp_client_get_tls_description(const SmtpClient *client)
{
	return client->conn != NULL ? net_conn_get_tls_description(client->conn) : NULL;
}

SmtpOutcome
smtp_client_classify_failure(const SmtpClient *client, const GError *error)
{
	if (error != NULL && error->domain == SMTP_ERROR &&
	    (error->code == SMTP_ERROR_REFUSED || error->code == SMTP_ERROR_AUTH) &&
	    client->last_reply != NULL)
		return smtp_outcome_classify(client->last_reply, client->last_stage);
	return smtp_outcome_of_error(error);
}

/* Turns a network failure into this layer's terms, keeping its message. */
static void
convert_net_error(SmtpClient *client, GError *net_error, GError **error, const char *what)
{
	static const NetErrorCodes codes = {
	        .connect = SMTP_ERROR_CONNECT,
	        .timeout = SMTP_ERROR_TIMEOUT,
	        .closed = SMTP_ERROR_CLOSED,
	        .io = SMTP_ERROR_CONNECT,
	        .limit = SMTP_ERROR_PROTOCOL,
	        .certificate = SMTP_ERROR_CERTIFICATE,
	        .stopped = SMTP_ERROR_STOPPED,
	};
	int code = net_error_code_in(net_error, &codes);
	g_set_error(error, SMTP_ERROR, code, "%s: %s", what, net_error->message);
	g_error_free(net_error);
	set_state(client, STATE_BROKEN);
}

/* Writes one command line (without CRLF) and traces it. @shown replaces
 * the line in the trace when it holds a secret. */
static bool
write_command(SmtpClient *client, const char *line, const char *shown, const char *what,
              GError **error)
{
	GError *net_error = NULL;
	g_debug("C: %s", shown != NULL ? shown : line);
	if (!net_conn_write(client->conn, line, strlen(line), &net_error) ||
	    !net_conn_write(client->conn, "\r\n", 2, &net_error)) {
		convert_net_error(client, net_error, error, what);
		return false;
	}
	return true;
}

static bool
flush(SmtpClient *client, const char *what, GError **error)
{
	GError *net_error = NULL;
	if (!net_conn_flush(client->conn, &net_error)) {
		convert_net_error(client, net_error, error, what);
		return false;
	}
	return true;
}

static SmtpReply *read_reply_lines(SmtpClient *client, SmtpStage stage, const char *what,
                                   GError **error);

/* Reads one complete reply for @stage within @timeout_ms in all; it also
 * becomes the last reply. */
static SmtpReply *
read_reply(SmtpClient *client, SmtpStage stage, int timeout_ms, GError **error)
{
	const char *what = smtp_outcome_stage_to_string(stage);
	/* The timeout bounds the whole reply, not each line: a server that
	 * trickles 256 continuation lines cannot hold us 256 times as long. */
	net_conn_begin_command(client->conn, timeout_ms);
	SmtpReply *reply = read_reply_lines(client, stage, what, error);
	net_conn_end_command(client->conn);
	return reply;
}

static SmtpReply *
read_reply_lines(SmtpClient *client, SmtpStage stage, const char *what, GError **error)
{
	for (;;) {
		const char *line = NULL;
		gsize length = 0;
		bool complete = false;
		GError *net_error = NULL;

		if (!net_conn_read_line(client->conn, SMTP_REPLY_MAX_LINE_BYTES, &line, &length,
		                        &net_error)) {
			convert_net_error(client, net_error, error, what);
			return NULL;
		}
		if (base_log_get_level() >= BASE_LOG_VERBOSE) {
			g_autofree char *shown =
			        base_error_printable_dup(line, (gssize)length, 512);
			g_debug("S: %s", shown);
		}
		if (!smtp_reply_reader_feed(client->reader, line, length, &complete, error)) {
			g_prefix_error(error, "%s: ", what);
			set_state(client, STATE_BROKEN);
			return NULL;
		}
		if (complete)
			break;
	}
	SmtpReply *reply = smtp_reply_reader_steal(client->reader);
	smtp_reply_free(client->last_reply);
	client->last_reply = smtp_reply_copy(reply);
	client->last_stage = stage;
	/* 421: the server closes the session whatever the command was. */
	if (reply->code == 421)
		set_state(client, STATE_BROKEN);
	return reply;
}

/* A call in a state that does not allow it fails with an error the caller
 * can act on, never a silent false: a session that broke is CLOSED. */
static bool
require_state(const SmtpClient *client, bool allowed, const char *what, GError **error)
{
	if (allowed)
		return true;
	g_set_error(error, SMTP_ERROR, SMTP_ERROR_CLOSED, "%s: the session is %s", what,
	            state_names[client->state]);
	return false;
}

/* A positive reply that is not @stage's own success (a 250 greeting, 354
 * to STARTTLS, 250 to DATA) is outside the protocol: the session ends as
 * a protocol error, never as a verdict. */
static bool
unexpected(SmtpClient *client, const SmtpReply *reply, SmtpStage stage, GError **error)
{
	g_autofree char *summary = smtp_reply_dup_summary(reply, 300);
	g_set_error(error, SMTP_ERROR, SMTP_ERROR_PROTOCOL, "%s: unexpected reply: %s",
	            smtp_outcome_stage_to_string(stage), summary);
	set_state(client, STATE_BROKEN);
	return false;
}

/* True when @reply is either @stage's success or a refusal (4xx/5xx);
 * otherwise ends the session as unexpected(). */
static bool
success_or_refusal(SmtpClient *client, const SmtpReply *reply, SmtpStage stage, GError **error)
{
	if (reply->code >= 400 || smtp_outcome_is_success(reply->code, stage))
		return true;
	return unexpected(client, reply, stage, error);
}

static bool
refused(SmtpClient *client, const SmtpReply *reply, SmtpStage stage, GError **error)
{
	if (reply->code < 400)
		return unexpected(client, reply, stage, error);
	g_autofree char *summary = smtp_reply_dup_summary(reply, 300);
	g_set_error(error, SMTP_ERROR, SMTP_ERROR_REFUSED, "%s: server refused: %s",
	            smtp_outcome_stage_to_string(stage), summary);
	return false;
}

static bool
say_ehlo(SmtpClient *client, GError **error)
{
	set_state(client, STATE_EHLO);
	g_autofree char *ehlo = g_strdup_printf("EHLO %s", client->helo_name);
	if (!write_command(client, ehlo, NULL, "EHLO", error) || !flush(client, "EHLO", error))
		return false;
	g_autoptr(SmtpReply) reply =
	        read_reply(client, SMTP_STAGE_EHLO, client->command_timeout_ms, error);
	if (reply == NULL)
		return false;
	if (reply->code == 250) {
		smtp_ehlo_parse(reply, &client->capabilities);
		return true;
	}
	/* 500/502: a server that only knows HELO (RFC 5321 3.2). */
	if (reply->code != 500 && reply->code != 502)
		return refused(client, reply, SMTP_STAGE_EHLO, error);
	g_autofree char *helo = g_strdup_printf("HELO %s", client->helo_name);
	if (!write_command(client, helo, NULL, "HELO", error) || !flush(client, "HELO", error))
		return false;
	g_autoptr(SmtpReply) helo_reply =
	        read_reply(client, SMTP_STAGE_EHLO, client->command_timeout_ms, error);
	if (helo_reply == NULL)
		return false;
	if (helo_reply->code != 250)
		return refused(client, helo_reply, SMTP_STAGE_EHLO, error);
	memset(&client->capabilities, 0, sizeof client->capabilities);
	return true;
}

static bool
start_tls(SmtpClient *client, GError **error)
{
	GError *net_error = NULL;
	if (!net_conn_start_tls(client->conn, client->tls, &net_error)) {
		convert_net_error(client, net_error, error, "TLS");
		return false;
	}
	return true;
}

static bool
upgrade_with_starttls(SmtpClient *client, GError **error)
{
	if (!client->capabilities.starttls) {
		g_set_error(error, SMTP_ERROR, SMTP_ERROR_POLICY,
		            "STARTTLS: the server does not offer it; refusing to go on in clear");
		return false;
	}
	set_state(client, STATE_STARTTLS);
	if (!write_command(client, "STARTTLS", NULL, "STARTTLS", error) ||
	    !flush(client, "STARTTLS", error))
		return false;
	g_autoptr(SmtpReply) reply =
	        read_reply(client, SMTP_STAGE_STARTTLS, client->command_timeout_ms, error);
	if (reply == NULL)
		return false;
	if (reply->code != 220)
		return refused(client, reply, SMTP_STAGE_STARTTLS, error);
	/* Anything sent after the 220 came in clear: dropped, never a reply. */
	GError *net_error = NULL;
	if (!net_conn_start_tls_after_starttls(client->conn, client->tls, &net_error)) {
		convert_net_error(client, net_error, error, "TLS");
		return false;
	}
	/* RFC 3207 4.2: forget what was learnt in clear, ask again. */
	memset(&client->capabilities, 0, sizeof client->capabilities);
	return say_ehlo(client, error);
}

bool
smtp_client_connect(SmtpClient *client, GError **error)
{
	if (!require_state(client, client->state == STATE_DISCONNECTED, "connect", error))
		return false;
	/* The name goes on the EHLO line: nothing in it may end the command. */
	for (const char *p = client->helo_name; p != NULL && *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			g_set_error_literal(error, SMTP_ERROR, SMTP_ERROR_INPUT,
			                    "EHLO: the name holds a space or control character");
			return false;
		}
	}
	if (client->security != SMTP_SECURITY_NONE && client->tls == NULL) {
		g_set_error_literal(error, SMTP_ERROR, SMTP_ERROR_POLICY,
		                    "TLS was asked for without TLS settings");
		return false;
	}
	GError *net_error = NULL;
	client->conn =
	        net_conn_connect_stoppable(client->host, client->port, client->connect_timeout_ms,
	                                   client->stop_fd, &net_error);
	if (client->conn == NULL) {
		convert_net_error(client, net_error, error, "connect");
		return false;
	}
	if (client->helo_name == NULL) {
		g_autofree char *local = net_conn_dup_local_address(client->conn);
		/* RFC 5321 4.1.3 address literal when we have no name. */
		if (local == NULL)
			client->helo_name = g_strdup("localhost");
		else if (strchr(local, ':') != NULL)
			client->helo_name = g_strdup_printf("[IPv6:%s]", local);
		else
			client->helo_name = g_strdup_printf("[%s]", local);
	}
	net_conn_set_timeout(client->conn, client->command_timeout_ms);
	if (client->security == SMTP_SECURITY_TLS && !start_tls(client, error))
		return false;

	set_state(client, STATE_GREETING);
	g_autoptr(SmtpReply) greeting =
	        read_reply(client, SMTP_STAGE_GREETING, client->command_timeout_ms, error);
	if (greeting == NULL)
		return false;
	if (greeting->code != 220)
		return refused(client, greeting, SMTP_STAGE_GREETING, error);
	if (!say_ehlo(client, error))
		return false;
	if (client->security == SMTP_SECURITY_STARTTLS && !upgrade_with_starttls(client, error))
		return false;
	set_state(client, STATE_READY);
	return true;
}

/* Sends one AUTH step: @line on the wire, @shown in the trace. */
static SmtpReply *
auth_step(SmtpClient *client, const char *line, const char *shown, GError **error)
{
	if (!write_command(client, line, shown, "AUTH", error) || !flush(client, "AUTH", error))
		return NULL;
	return read_reply(client, SMTP_STAGE_AUTH, client->command_timeout_ms, error);
}

/* @bearer_error: what the server said of a refused token (its challenge,
 * decoded), or NULL. */
static bool
auth_refused(SmtpClient *client, const SmtpReply *reply, const char *bearer_error, GError **error)
{
	if (reply->code < 400)
		return unexpected(client, reply, SMTP_STAGE_AUTH, error);
	g_autofree char *summary = smtp_reply_dup_summary(reply, 300);
	if (bearer_error != NULL)
		g_set_error(error, SMTP_ERROR, SMTP_ERROR_AUTH,
		            "AUTH: server refused the token (%s): %s", bearer_error, summary);
	else
		g_set_error(error, SMTP_ERROR, SMTP_ERROR_AUTH,
		            "AUTH: server refused the credentials: %s", summary);
	return false;
}

static bool
auth_with_initial_response(SmtpClient *client, const char *mechanism, BaseSecret *response,
                           GError **error)
{
	g_autofree char *shown = g_strdup_printf("AUTH %s (credentials hidden)", mechanism);
	g_autofree char *line = g_strdup_printf("AUTH %s %s", mechanism, base_secret_get(response));
	g_autoptr(SmtpReply) reply = auth_step(client, line, shown, error);
	memset(line, 0, strlen(line));
	if (reply == NULL)
		return false;
	bool bearer = strcmp(mechanism, "XOAUTH2") == 0 || strcmp(mechanism, "OAUTHBEARER") == 0;
	if (reply->code == 334 && bearer) {
		/* A refused token comes back as a challenge (base64 JSON): answer
		 * empty (XOAUTH2) or ^A (RFC 7628 3.2.3), then the server's final
		 * reply says no. */
		const char *challenge =
		        reply->lines->len > 0 ? g_ptr_array_index(reply->lines, 0) : "";
		g_autofree char *words = base_sasl_describe_bearer_error(challenge);
		const char *answer = strcmp(mechanism, "XOAUTH2") == 0 ? "" : "AQ==";
		g_autoptr(SmtpReply) final = auth_step(client, answer, NULL, error);
		if (final == NULL)
			return false;
		return final->code == 235 || auth_refused(client, final, words, error);
	}
	return reply->code == 235 || auth_refused(client, reply, NULL, error);
}

static bool
auth_login(SmtpClient *client, const SmtpCredentials *credentials, GError **error)
{
	g_autoptr(SmtpReply) first = auth_step(client, "AUTH LOGIN", NULL, error);
	if (first == NULL)
		return false;
	if (first->code != 334)
		return auth_refused(client, first, NULL, error);
	g_autoptr(BaseSecret) user =
	        base_sasl_encode_text(credentials->user, strlen(credentials->user));
	g_autoptr(SmtpReply) second =
	        auth_step(client, base_secret_get(user), "(user name hidden)", error);
	if (second == NULL)
		return false;
	if (second->code != 334)
		return auth_refused(client, second, NULL, error);
	g_autoptr(BaseSecret) password = base_sasl_encode_text(
	        base_secret_get(credentials->secret), base_secret_get_length(credentials->secret));
	g_autoptr(SmtpReply) last =
	        auth_step(client, base_secret_get(password), "(password hidden)", error);
	if (last == NULL)
		return false;
	return last->code == 235 || auth_refused(client, last, NULL, error);
}

bool
smtp_client_authenticate(SmtpClient *client, const SmtpCredentials *credentials, GError **error)
{
	if (!require_state(client, client->state == STATE_READY, "AUTH", error))
		return false;
	if (!net_conn_is_tls(client->conn) && !client->allow_plaintext_auth) {
		g_set_error_literal(error, SMTP_ERROR, SMTP_ERROR_POLICY,
		                    "AUTH: refusing to send credentials without TLS");
		return false;
	}
	unsigned offered = client->capabilities.auth_mechanisms;
	if (credentials->mechanisms != 0)
		offered &= credentials->mechanisms;
	bool ok;
	if (credentials->oauth2 && (offered & SMTP_AUTH_XOAUTH2)) {
		/* XOAUTH2 first: every provider that takes tokens knows it. */
		g_autoptr(BaseSecret) response =
		        base_sasl_encode_xoauth2(credentials->user, credentials->secret);
		ok = auth_with_initial_response(client, "XOAUTH2", response, error);
	} else if (credentials->oauth2 && (offered & SMTP_AUTH_OAUTHBEARER)) {
		g_autoptr(BaseSecret) response = base_sasl_encode_oauthbearer(
		        credentials->user, client->host, client->port, credentials->secret);
		ok = auth_with_initial_response(client, "OAUTHBEARER", response, error);
	} else if (credentials->oauth2) {
		g_set_error_literal(error, SMTP_ERROR, SMTP_ERROR_POLICY,
		                    "AUTH: the server offers neither XOAUTH2 nor OAUTHBEARER");
		return false;
	} else if (offered & SMTP_AUTH_PLAIN) {
		g_autoptr(BaseSecret) response =
		        base_sasl_encode_plain(credentials->user, credentials->secret);
		ok = auth_with_initial_response(client, "PLAIN", response, error);
	} else if (offered & SMTP_AUTH_LOGIN) {
		ok = auth_login(client, credentials, error);
	} else {
		g_set_error_literal(error, SMTP_ERROR, SMTP_ERROR_POLICY,
		                    "AUTH: the server offers no mechanism we know "
		                    "(PLAIN, LOGIN)");
		return false;
	}
	if (ok)
		g_debug("%s:%u: authenticated as %s", client->host, client->port,
		        credentials->user);
	return ok;
}

/* An address goes into MAIL FROM:<...> or RCPT TO:<...>: nothing in it may
 * end the command or the path early. */
static bool
check_address(const char *address, GError **error)
{
	for (const char *p = address; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x21 || c == 0x7f || c == '<' || c == '>') {
			g_autofree char *shown = base_error_printable_dup(address, -1, 80);
			g_set_error(error, SMTP_ERROR, SMTP_ERROR_INPUT,
			            "address \"%s\" holds a character SMTP cannot carry", shown);
			return false;
		}
	}
	return true;
}

static bool
has_8bit(const guint8 *data, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (data[i] & 0x80)
			return true;
	return false;
}

static char *
mail_from_command(SmtpClient *client, const SmtpEnvelope *envelope, gsize size, bool eightbit,
                  bool utf8)
{
	GString *command = g_string_new(NULL);
	g_string_append_printf(command, "MAIL FROM:<%s>", envelope->from);
	if (client->capabilities.size_declared)
		g_string_append_printf(command, " SIZE=%zu", size);
	if (eightbit && client->capabilities.eightbitmime)
		g_string_append(command, " BODY=8BITMIME");
	if (utf8 && client->capabilities.smtputf8)
		g_string_append(command, " SMTPUTF8");
	return g_string_free(command, FALSE);
}

/* Writes the message and the final dot; false means the dot never left. */
static bool
write_message(SmtpClient *client, GBytes *message, GError **error)
{
	gsize n = 0;
	const guint8 *data = g_bytes_get_data(message, &n);
	g_byte_array_set_size(client->data_buffer, 0);
	smtp_data_encoder_push(client->encoder, data, n, client->data_buffer);
	smtp_data_encoder_finish(client->encoder, client->data_buffer);
	g_debug("C: (%zu bytes of message)", n);
	GError *net_error = NULL;
	if (!net_conn_write(client->conn, client->data_buffer->data, client->data_buffer->len,
	                    &net_error) ||
	    !net_conn_flush(client->conn, &net_error)) {
		convert_net_error(client, net_error, error, "DATA");
		return false;
	}
	return true;
}

static bool
check_envelope(SmtpClient *client, const SmtpEnvelope *envelope, gsize size, GError **error)
{
	if (!check_address(envelope->from, error))
		return false;
	if (envelope->recipients == NULL || envelope->recipients[0] == NULL) {
		g_set_error_literal(error, SMTP_ERROR, SMTP_ERROR_INPUT, "no recipient");
		return false;
	}
	for (const char *const *r = envelope->recipients; *r != NULL; r++) {
		if (**r == '\0') {
			g_set_error_literal(error, SMTP_ERROR, SMTP_ERROR_INPUT, "empty recipient");
			return false;
		}
		if (!check_address(*r, error))
			return false;
	}
	guint64 max = client->capabilities.size_max_bytes;
	if (max > 0 && size > max) {
		g_set_error(error, SMTP_ERROR, SMTP_ERROR_TOO_BIG,
		            "message of %zu bytes is larger than the server's limit of "
		            "%" G_GUINT64_FORMAT " bytes",
		            size, max);
		return false;
	}
	return true;
}

/* Sends MAIL, every RCPT and DATA (all at once with PIPELINING) and reads
 * their replies into @result. Returns false only when no verdict came. */
static bool
send_envelope(SmtpClient *client, const SmtpEnvelope *envelope, GBytes *message,
              SmtpSendResult *result, SmtpReply **data_reply, GError **error)
{
	gsize size = g_bytes_get_size(message);
	gsize n_recipients = g_strv_length((char **)envelope->recipients);
	bool pipelining = client->capabilities.pipelining;
	bool utf8 = has_8bit((const guint8 *)envelope->from, strlen(envelope->from));
	for (gsize i = 0; i < n_recipients; i++)
		utf8 = utf8 || has_8bit((const guint8 *)envelope->recipients[i],
		                        strlen(envelope->recipients[i]));
	g_autofree char *mail = mail_from_command(
	        client, envelope, size, has_8bit(g_bytes_get_data(message, NULL), size), utf8);

	if (!write_command(client, mail, NULL, "MAIL FROM", error))
		return false;
	if (pipelining) {
		for (gsize i = 0; i < n_recipients; i++) {
			g_autofree char *rcpt =
			        g_strdup_printf("RCPT TO:<%s>", envelope->recipients[i]);
			if (!write_command(client, rcpt, NULL, "RCPT TO", error))
				return false;
		}
		if (!write_command(client, "DATA", NULL, "DATA", error))
			return false;
	}
	if (!flush(client, "MAIL FROM", error))
		return false;
	set_state(client, STATE_TRANSACTION);

	result->mail_reply = read_reply(client, SMTP_STAGE_MAIL, client->command_timeout_ms, error);
	if (result->mail_reply == NULL ||
	    !success_or_refusal(client, result->mail_reply, SMTP_STAGE_MAIL, error))
		return false;
	if (client->state == STATE_BROKEN)
		return true; /* 421: the server is gone; that is the verdict */
	bool mail_ok = result->mail_reply->code == 250;
	for (gsize i = 0; i < n_recipients; i++) {
		if (!pipelining && !mail_ok) {
			g_ptr_array_add(result->rcpt_replies, NULL);
			continue;
		}
		if (!pipelining) {
			g_autofree char *rcpt =
			        g_strdup_printf("RCPT TO:<%s>", envelope->recipients[i]);
			if (!write_command(client, rcpt, NULL, "RCPT TO", error) ||
			    !flush(client, "RCPT TO", error))
				return false;
		}
		SmtpReply *reply =
		        read_reply(client, SMTP_STAGE_RCPT, client->command_timeout_ms, error);
		if (reply == NULL)
			return false;
		g_ptr_array_add(result->rcpt_replies, reply);
		if (!success_or_refusal(client, reply, SMTP_STAGE_RCPT, error))
			return false;
		if (reply->code < 400)
			result->n_accepted++;
		if (client->state == STATE_BROKEN)
			return true; /* 421: the server is gone */
	}
	if (!pipelining && (!mail_ok || result->n_accepted == 0))
		return true;
	if (!pipelining &&
	    (!write_command(client, "DATA", NULL, "DATA", error) || !flush(client, "DATA", error)))
		return false;
	*data_reply = read_reply(client, SMTP_STAGE_DATA, client->command_timeout_ms, error);
	return *data_reply != NULL &&
	       success_or_refusal(client, *data_reply, SMTP_STAGE_DATA, error);
}

/* The outcome of a transaction whose DATA was never completed. */
static void
decide_without_data(SmtpSendResult *result)
{
	if (result->mail_reply->code != 250) {
		result->outcome = smtp_outcome_classify(result->mail_reply, SMTP_STAGE_MAIL);
		result->stage = SMTP_STAGE_MAIL;
		return;
	}
	/* The first refused recipient decides (all were refused, or DATA was). */
	for (guint i = 0; i < result->rcpt_replies->len; i++) {
		const SmtpReply *reply = result->rcpt_replies->pdata[i];
		if (reply != NULL && reply->code >= 400) {
			result->outcome = smtp_outcome_classify(reply, SMTP_STAGE_RCPT);
			result->stage = SMTP_STAGE_RCPT;
			return;
		}
	}
	result->outcome = smtp_outcome_classify(result->data_reply, SMTP_STAGE_DATA);
	result->stage = SMTP_STAGE_DATA;
}

static bool
finish_refused_transaction(SmtpClient *client, GError **error)
{
	if (client->state == STATE_BROKEN)
		return true;
	return smtp_client_reset(client, error);
}

SmtpSendResult *
smtp_client_send(SmtpClient *client, const SmtpEnvelope *envelope, GBytes *message, GError **error)
{
	if (!require_state(client, client->state == STATE_READY, "MAIL FROM", error))
		return NULL;
	if (!check_envelope(client, envelope, g_bytes_get_size(message), error))
		return NULL;

	g_autoptr(SmtpSendResult) result = g_new0(SmtpSendResult, 1);
	result->rcpt_replies = g_ptr_array_new_with_free_func((GDestroyNotify)smtp_reply_free);
	SmtpReply *data_reply = NULL;
	if (!send_envelope(client, envelope, message, result, &data_reply, error)) {
		smtp_reply_free(data_reply);
		return NULL;
	}

	if (data_reply == NULL || data_reply->code != 354 || result->n_accepted == 0 ||
	    result->mail_reply->code != 250) {
		result->data_reply = data_reply;
		if (data_reply != NULL && data_reply->code == 354) {
			/* RFC 2920 3.1: DATA went through with no valid recipient;
			 * end it empty, the server refuses it. */
			g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
			if (!write_message(client, empty, error))
				return NULL;
			smtp_reply_free(result->data_reply);
			result->data_reply = read_reply(client, SMTP_STAGE_DATA_END,
			                                client->command_timeout_ms, error);
			if (result->data_reply == NULL)
				return NULL;
		}
		decide_without_data(result);
		if (!finish_refused_transaction(client, error))
			return NULL;
		return g_steal_pointer(&result);
	}
	smtp_reply_free(data_reply);

	/* Until the final dot has left, a failure means "not sent". */
	if (!write_message(client, message, error))
		return NULL;
	/* From here on a lost connection means the message may have been
	 * delivered: the engine must reconcile, never resend blindly. */
	GError *local_error = NULL;
	result->data_reply =
	        read_reply(client, SMTP_STAGE_DATA_END, client->data_end_timeout_ms, &local_error);
	if (result->data_reply == NULL) {
		bool protocol = local_error->code == SMTP_ERROR_PROTOCOL;
		g_set_error(error, SMTP_ERROR, SMTP_ERROR_OUTCOME_UNKNOWN,
		            "%s after the message was handed over; it may have been delivered",
		            local_error->message);
		g_debug("%s:%u: outcome unknown (%s)", client->host, client->port,
		        protocol ? "garbled reply" : "no reply");
		g_error_free(local_error);
		set_state(client, STATE_BROKEN);
		return NULL;
	}
	if (result->data_reply->code < 400 &&
	    !smtp_outcome_is_success(result->data_reply->code, SMTP_STAGE_DATA_END)) {
		g_autofree char *summary = smtp_reply_dup_summary(result->data_reply, 300);
		g_set_error(error, SMTP_ERROR, SMTP_ERROR_OUTCOME_UNKNOWN,
		            "end of DATA: unexpected reply after the message was handed over (%s); "
		            "it may have been delivered",
		            summary);
		set_state(client, STATE_BROKEN);
		return NULL;
	}
	result->stage = SMTP_STAGE_DATA_END;
	result->outcome = smtp_outcome_classify(result->data_reply, SMTP_STAGE_DATA_END);
	if (client->state != STATE_BROKEN)
		set_state(client, STATE_READY);
	return g_steal_pointer(&result);
}

bool
smtp_client_reset(SmtpClient *client, GError **error)
{
	if (!require_state(client,
	                   client->state == STATE_READY || client->state == STATE_TRANSACTION,
	                   "RSET", error))
		return false;
	if (!write_command(client, "RSET", NULL, "RSET", error) || !flush(client, "RSET", error))
		return false;
	g_autoptr(SmtpReply) reply =
	        read_reply(client, SMTP_STAGE_RSET, client->command_timeout_ms, error);
	if (reply == NULL)
		return false;
	if (reply->code != 250)
		return refused(client, reply, SMTP_STAGE_RSET, error);
	set_state(client, STATE_READY);
	return true;
}

void
smtp_client_quit(SmtpClient *client)
{
	bool live = client->conn != NULL && client->state != STATE_BROKEN &&
	            client->state != STATE_CLOSED && client->state != STATE_DISCONNECTED;
	if (live) {
		g_autoptr(GError) error = NULL;
		if (write_command(client, "QUIT", NULL, "QUIT", &error) &&
		    flush(client, "QUIT", &error)) {
			/* The answer changes nothing: the session ends either way. */
			smtp_reply_free(read_reply(client, SMTP_STAGE_QUIT,
			                           client->command_timeout_ms, &error));
		}
		set_state(client, STATE_CLOSED);
	}
	g_clear_pointer(&client->conn, net_conn_free);
}
