#define G_LOG_DOMAIN "piculet-imap"

#include "imap/imap_client.h"

#include "imap/imap_private.h"

#include "base/base_error.h"
#include "base/base_log.h"
#include "base/base_sasl.h"
#include "imap/imap_command.h"
#include "imap/imap_reader.h"
#include "net/net_conn.h"
#include "net/net_error.h"
#include "piculet_config.h"

#include <openssl/crypto.h>
#include <poll.h>
#include <string.h>

void
imap_client_folder_free(ImapFolder *folder)
{
	if (folder == NULL)
		return;
	g_free(folder->name);
	g_free(folder->wire_name);
	g_free(folder->special_use);
	g_free(folder);
}

ImapClient *
imap_client_new(const ImapClientOptions *options)
{
	ImapClient *client = g_new0(ImapClient, 1);
	client->host = g_strdup(options->host);
	client->port = options->port;
	client->security = options->security;
	client->tls = options->tls != NULL ? net_tls_ref(options->tls) : NULL;
	client->connect_timeout_ms =
	        options->connect_timeout_ms > 0 ? options->connect_timeout_ms : 30 * 1000;
	client->command_timeout_ms =
	        options->command_timeout_ms > 0 ? options->command_timeout_ms : 120 * 1000;
	client->allow_plaintext_auth = options->allow_plaintext_auth;
	client->allow_preauth = options->allow_preauth;
	client->stop_fd = -1;
	if (options->limits != NULL)
		client->limits = *options->limits;
	else
		imap_response_limits_init(&client->limits);
	client->buffer = g_byte_array_new();
	client->capabilities = g_ptr_array_new_with_free_func(g_free);
	return client;
}

void
imap_client_free(ImapClient *client)
{
	if (client == NULL)
		return;
	net_conn_free(client->conn);
	net_tls_unref(client->tls);
	g_byte_array_unref(client->buffer);
	g_ptr_array_unref(client->capabilities);
	g_free(client->selected.name);
	g_free(client->idle_tag);
	g_free(client->host);
	g_free(client);
}

void
imap_client_set_stop_fd(ImapClient *client, int stop_fd)
{
	client->stop_fd = stop_fd >= 0 ? stop_fd : -1;
	if (client->conn != NULL)
		net_conn_set_stop_fd(client->conn, client->stop_fd);
}

bool
imap_client_has_capability(const ImapClient *client, const char *name)
{
	for (guint i = 0; i < client->capabilities->len; i++)
		if (g_ascii_strcasecmp(client->capabilities->pdata[i], name) == 0)
			return true;
	return false;
}

const ImapSelected *
imap_client_get_selected(const ImapClient *client)
{
	return &client->selected;
}

void
imap_client_clear_changed(ImapClient *client)
{
	client->selected.changed = false;
}

int
imap_client_get_fd(const ImapClient *client)
{
	return client->conn != NULL ? net_conn_get_fd(client->conn) : -1;
}

bool
imap_client_has_buffered_input(const ImapClient *client)
{
	return client->conn != NULL && net_conn_get_buffered(client->conn) > 0;
}

void
imap_client_get_traffic(const ImapClient *client, guint64 *received, guint64 *sent)
{
	*received = *sent = 0;
	if (client->conn != NULL)
		net_conn_get_traffic(client->conn, received, sent);
}

int
imap_client_idle_restart_ms(void)
{
	return 25 * 60 * 1000;
}

static bool
convert_connect_error(ImapClient *client, GError *net_error, GError **error)
{
	/* While connecting, a closed or failed line is "could not connect". */
	int code = imap_error_code_of_net(net_error);
	if (code == IMAP_ERROR_CLOSED)
		code = IMAP_ERROR_CONNECT;
	g_set_error_literal(error, IMAP_ERROR, code, net_error->message);
	g_error_free(net_error);
	imap_session_set_state(client, STATE_BROKEN);
	return false;
}

static bool
start_tls(ImapClient *client, GError **error)
{
	GError *net_error = NULL;
	if (!net_conn_start_tls(client->conn, client->tls, &net_error))
		return convert_connect_error(client, net_error, error);
	return true;
}

static bool
upgrade_with_starttls(ImapClient *client, GError **error)
{
	if (!imap_client_has_capability(client, "STARTTLS")) {
		g_set_error_literal(error, IMAP_ERROR, IMAP_ERROR_POLICY,
		                    "STARTTLS: the server does not offer it; refusing to go on in "
		                    "clear");
		return false;
	}
	if (!imap_session_run_simple(client, "STARTTLS", NULL, NULL, error))
		return false;
	/* Bytes pushed after the tagged OK came in clear: dropped, never read
	 * as if they came over TLS (RFC 9051 11.1; CVE-2011-0411's kin). */
	GError *net_error = NULL;
	if (!net_conn_start_tls_after_starttls(client->conn, client->tls, &net_error))
		return convert_connect_error(client, net_error, error);
	/* RFC 9051 6.2.1: forget the capabilities learnt in clear. */
	g_ptr_array_set_size(client->capabilities, 0);
	return imap_session_run_simple(client, "CAPABILITY", NULL, NULL, error);
}

/* RFC 9051 7.1.4: a PREAUTH greeting says the server already knows who we
 * are, by means we cannot check. On a connection without TLS it also rules
 * out STARTTLS (only allowed before authentication), so a man in the middle
 * can use it to keep the session in clear: refused. Over TLS it is taken
 * only when the user said so. */
static bool
accept_preauth(ImapClient *client, GError **error)
{
	if (!net_conn_is_tls(client->conn))
		return imap_session_broken(
		        client, error, IMAP_ERROR_POLICY,
		        "the server greeted with PREAUTH on a connection without TLS: "
		        "refusing (STARTTLS is impossible once authenticated)",
		        "");
	if (!client->allow_preauth)
		return imap_session_broken(
		        client, error, IMAP_ERROR_POLICY,
		        "the server greeted with PREAUTH (already logged in by other "
		        "means): refusing, since the session may not be this mailbox's",
		        "");
	client->preauthenticated = true;
	return true;
}

bool
imap_client_connect(ImapClient *client, GError **error)
{
	if (!imap_session_require_state(client, client->state == STATE_DISCONNECTED, "connect",
	                                error))
		return false;
	if (client->security != IMAP_SECURITY_NONE && client->tls == NULL) {
		g_set_error_literal(error, IMAP_ERROR, IMAP_ERROR_POLICY,
		                    "TLS was asked for without TLS settings");
		return false;
	}
	GError *net_error = NULL;
	client->conn =
	        net_conn_connect_stoppable(client->host, client->port, client->connect_timeout_ms,
	                                   client->stop_fd, &net_error);
	if (client->conn == NULL)
		return convert_connect_error(client, net_error, error);
	if (client->security == IMAP_SECURITY_TLS && !start_tls(client, error))
		return false;

	imap_session_start_deadline(client);
	g_autoptr(ImapResponse) greeting = imap_session_read_response(client, error);
	if (greeting == NULL)
		return false;
	if (greeting->kind != IMAP_RESPONSE_UNTAGGED ||
	    (greeting->status != IMAP_STATUS_OK && greeting->status != IMAP_STATUS_PREAUTH)) {
		g_autofree char *text = base_error_printable_dup(greeting->text, -1, 200);
		return imap_session_broken(client, error, IMAP_ERROR_CONNECT,
		                           "server refused the session: ", text);
	}
	if (greeting->status == IMAP_STATUS_PREAUTH && !accept_preauth(client, error))
		return false;
	imap_session_set_state(client, greeting->status == IMAP_STATUS_PREAUTH
	                                       ? STATE_AUTHENTICATED
	                                       : STATE_NOT_AUTHENTICATED);
	if (client->capabilities->len == 0 &&
	    !imap_session_run_simple(client, "CAPABILITY", NULL, NULL, error))
		return false;
	if (client->security == IMAP_SECURITY_STARTTLS && !upgrade_with_starttls(client, error))
		return false;
	return true;
}

static bool
login_failed(ImapClient *client, GError **error)
{
	if (*error != NULL && (*error)->code == IMAP_ERROR_COMMAND) {
		(*error)->code = IMAP_ERROR_AUTH;
		g_prefix_error(error, "login refused: ");
	}
	return false;
}

static bool
authenticate_with(ImapClient *client, const char *mechanism, BaseSecret *initial, GError **error)
{
	ImapSessionCommand command;
	bool sasl_ir = imap_client_has_capability(client, "SASL-IR");
	imap_session_command_init(client, &command, "AUTHENTICATE");
	command.secret = true;
	g_string_append_printf(command.text, " %s", mechanism);
	if (sasl_ir) {
		g_string_append_printf(command.text, " %s", base_secret_get(initial));
		return imap_session_run(client, &command, NULL, NULL, NULL, error) ||
		       login_failed(client, error);
	}
	char tag[16];
	g_snprintf(tag, sizeof tag, "A%u", client->tag_counter);
	bool ok = imap_session_send(client, &command, error) &&
	          imap_session_wait_continuation(client, tag, error);
	imap_session_command_clear(&command);
	if (!ok)
		return login_failed(client, error);
	g_debug("C: (credentials hidden)");
	if (!imap_session_write(client, base_secret_get(initial), base_secret_get_length(initial),
	                        error) ||
	    !imap_session_write(client, "\r\n", 2, error) || !imap_session_flush(client, error))
		return false;
	return imap_session_finish(client, tag, NULL, NULL, NULL, error) ||
	       login_failed(client, error);
}

/* A bearer token (XOAUTH2, OAUTHBEARER): a refused one comes back as a
 * continuation with the server's reasons (base64 JSON); the client answers
 * it (empty for XOAUTH2, ^A for OAUTHBEARER, RFC 7628 3.2.3) and the tagged
 * NO follows. The reasons go into the error. */
static bool
authenticate_bearer(ImapClient *client, const char *mechanism, BaseSecret *initial, GError **error)
{
	ImapSessionCommand command;
	bool sasl_ir = imap_client_has_capability(client, "SASL-IR");
	imap_session_command_init(client, &command, "AUTHENTICATE");
	char tag[16];
	g_snprintf(tag, sizeof tag, "A%u", client->tag_counter);
	command.secret = true;
	g_string_append_printf(command.text, " %s", mechanism);
	if (sasl_ir)
		g_string_append_printf(command.text, " %s", base_secret_get(initial));
	bool ok = imap_session_send(client, &command, error);
	imap_session_command_clear(&command);
	if (!ok)
		return false;
	bool sent_initial = sasl_ir;
	g_autofree char *reasons = NULL;
	for (;;) {
		g_autoptr(ImapResponse) response = imap_session_read_response(client, error);
		if (response == NULL)
			return false;
		if (response->kind == IMAP_RESPONSE_CONTINUATION) {
			const char *answer = "";
			gsize length = 0;
			if (!sent_initial) {
				g_debug("C: (credentials hidden)");
				answer = base_secret_get(initial);
				length = base_secret_get_length(initial);
				sent_initial = true;
			} else if (reasons == NULL) {
				reasons = base_sasl_describe_bearer_error(response->text);
				if (reasons == NULL)
					reasons = g_strdup("no reason given");
				answer = strcmp(mechanism, "XOAUTH2") == 0 ? "" : "AQ==";
				length = strlen(answer);
			} else {
				return imap_session_broken(
				        client, error, IMAP_ERROR_PROTOCOL,
				        "a second challenge after a refused token", "");
			}
			if (!imap_session_write(client, answer, length, error) ||
			    !imap_session_write(client, "\r\n", 2, error) ||
			    !imap_session_flush(client, error))
				return false;
			continue;
		}
		if (response->kind != IMAP_RESPONSE_TAGGED)
			continue;
		if (g_strcmp0(response->tag, tag) != 0)
			return imap_session_broken(client, error, IMAP_ERROR_PROTOCOL,
			                           "tagged response for a command we did not send",
			                           "");
		if (response->status == IMAP_STATUS_OK)
			return true;
		g_autofree char *text = base_error_printable_dup(response->text, -1, 300);
		if (reasons != NULL)
			g_set_error(error, IMAP_ERROR, IMAP_ERROR_AUTH,
			            "login refused: the server refused the token (%s): %s %s",
			            reasons, response->status == IMAP_STATUS_NO ? "NO" : "BAD",
			            text);
		else
			g_set_error(error, IMAP_ERROR, IMAP_ERROR_AUTH, "login refused: %s %s",
			            response->status == IMAP_STATUS_NO ? "NO" : "BAD", text);
		return false;
	}
}

bool
imap_client_login(ImapClient *client, const ImapCredentials *credentials, GError **error)
{
	if (client->preauthenticated && client->state == STATE_AUTHENTICATED)
		return true;
	if (!imap_session_require_state(client, client->state == STATE_NOT_AUTHENTICATED, "login",
	                                error))
		return false;
	if (!net_conn_is_tls(client->conn) && !client->allow_plaintext_auth) {
		g_set_error_literal(error, IMAP_ERROR, IMAP_ERROR_POLICY,
		                    "login: refusing to send credentials without TLS");
		return false;
	}
	const char *secret = base_secret_get(credentials->secret);
	bool ok;
	if (credentials->oauth2 && imap_client_has_capability(client, "AUTH=XOAUTH2")) {
		/* XOAUTH2 first: every provider that takes tokens knows it. */
		g_autoptr(BaseSecret) initial =
		        base_sasl_encode_xoauth2(credentials->user, credentials->secret);
		ok = authenticate_bearer(client, "XOAUTH2", initial, error);
	} else if (credentials->oauth2 && imap_client_has_capability(client, "AUTH=OAUTHBEARER")) {
		g_autoptr(BaseSecret) initial = base_sasl_encode_oauthbearer(
		        credentials->user, client->host, client->port, credentials->secret);
		ok = authenticate_bearer(client, "OAUTHBEARER", initial, error);
	} else if (credentials->oauth2) {
		g_set_error_literal(error, IMAP_ERROR, IMAP_ERROR_POLICY,
		                    "login: the server offers neither XOAUTH2 nor OAUTHBEARER");
		return false;
	} else if (imap_client_has_capability(client, "AUTH=PLAIN")) {
		g_autoptr(BaseSecret) initial =
		        base_sasl_encode_plain(credentials->user, credentials->secret);
		ok = authenticate_with(client, "PLAIN", initial, error);
	} else if (!imap_client_has_capability(client, "LOGINDISABLED")) {
		ImapSessionCommand command;
		imap_session_command_init(client, &command, "LOGIN");
		command.secret = true;
		ok = (imap_session_command_add_string(client, &command, credentials->user, error) &&
		      imap_session_command_add_string(client, &command, secret, error))
		             ? (imap_session_run(client, &command, NULL, NULL, NULL, error) ||
		                login_failed(client, error))
		             : (imap_session_command_clear(&command), false);
	} else {
		g_set_error_literal(error, IMAP_ERROR, IMAP_ERROR_POLICY,
		                    "login: the server offers neither AUTH=PLAIN nor LOGIN");
		return false;
	}
	if (!ok)
		return false;
	imap_session_set_state(client, STATE_AUTHENTICATED);
	/* Servers may change capabilities after login (RFC 9051 6.2.2). */
	return imap_session_run_simple(client, "CAPABILITY", NULL, NULL, error);
}

bool
imap_client_id(ImapClient *client, GError **error)
{
	if (!imap_client_has_capability(client, "ID"))
		return true;
	ImapSessionCommand command;
	imap_session_command_init(client, &command, "ID");
	g_string_append_printf(command.text, " (\"name\" \"piculet\" \"version\" \"%s\")",
	                       PICULET_VERSION);
	return imap_session_run(client, &command, NULL, NULL, NULL, error);
}

static bool
collect_enabled(ImapClient *client, ImapResponse *response, void *user_data)
{
	bool *enabled = user_data;
	if (response->data == IMAP_DATA_ENABLED)
		*enabled = *enabled || response->words->len > 0;
	return true;
}

bool
imap_client_enable(ImapClient *client, const char *extension, bool *enabled, GError **error)
{
	*enabled = false;
	if (!imap_client_has_capability(client, "ENABLE") ||
	    !imap_client_has_capability(client, extension))
		return true;
	ImapSessionCommand command;
	imap_session_command_init(client, &command, "ENABLE");
	if (!imap_session_command_add_string(client, &command, extension, error)) {
		imap_session_command_clear(&command);
		return false;
	}
	if (!imap_session_run(client, &command, collect_enabled, enabled, NULL, error))
		return false;
	if (*enabled && g_ascii_strcasecmp(extension, "CONDSTORE") == 0)
		client->condstore = true;
	return true;
}

static const char *const special_uses[] = {"\\All",  "\\Archive", "\\Drafts", "\\Flagged",
                                           "\\Junk", "\\Sent",    "\\Trash"};

static bool
collect_folder(ImapClient *client, ImapResponse *response, void *user_data)
{
	GPtrArray *folders = user_data;
	if (response->data != IMAP_DATA_LIST)
		return true;
	ImapFolder *folder = g_new0(ImapFolder, 1);
	folder->wire_name = g_strdup(response->list->name);
	folder->name = imap_client_has_capability(client, "UTF8=ACCEPT")
	                       ? g_strdup(response->list->name)
	                       : imap_command_decode_mailbox(response->list->name);
	folder->separator = response->list->separator;
	folder->selectable = true;
	for (guint i = 0; i < response->list->attributes->len; i++) {
		const char *attribute = response->list->attributes->pdata[i];
		if (g_ascii_strcasecmp(attribute, "\\Noselect") == 0 ||
		    g_ascii_strcasecmp(attribute, "\\NonExistent") == 0)
			folder->selectable = false;
		for (gsize s = 0; s < G_N_ELEMENTS(special_uses); s++)
			if (g_ascii_strcasecmp(attribute, special_uses[s]) == 0 &&
			    folder->special_use == NULL)
				folder->special_use = g_strdup(special_uses[s]);
	}
	g_ptr_array_add(folders, folder);
	return true;
}

GPtrArray *
imap_client_list(ImapClient *client, GError **error)
{
	g_autoptr(GPtrArray) folders =
	        g_ptr_array_new_with_free_func((GDestroyNotify)imap_client_folder_free);
	ImapSessionCommand command;
	imap_session_command_init(client, &command, "LIST \"\" \"*\"");
	if (imap_client_has_capability(client, "SPECIAL-USE") &&
	    imap_client_has_capability(client, "LIST-EXTENDED"))
		g_string_append(command.text, " RETURN (SPECIAL-USE)");
	if (!imap_session_run(client, &command, collect_folder, folders, NULL, error))
		return NULL;
	return g_steal_pointer(&folders);
}

bool
imap_client_select(ImapClient *client, const char *folder, bool read_only, GError **error)
{
	ImapSessionCommand command;
	g_autoptr(ImapResponse) tagged = NULL;
	ImapSelected *selected = &client->selected;

	g_clear_pointer(&selected->name, g_free);
	memset(selected, 0, sizeof *selected);
	imap_session_set_state(client, STATE_AUTHENTICATED);
	imap_session_command_init(client, &command, read_only ? "EXAMINE" : "SELECT");
	if (!imap_session_command_add_mailbox(client, &command, folder, error)) {
		imap_session_command_clear(&command);
		return false;
	}
	if (client->condstore)
		g_string_append(command.text, " (CONDSTORE)");
	if (!imap_session_run(client, &command, NULL, NULL, &tagged, error)) {
		if (error != NULL && *error != NULL && (*error)->code == IMAP_ERROR_COMMAND &&
		    tagged != NULL && tagged->status == IMAP_STATUS_NO) {
			(*error)->code = IMAP_ERROR_NO_FOLDER;
			g_prefix_error(error, "folder \"%s\": ", folder);
		}
		return false;
	}
	selected->name = g_strdup(folder);
	selected->read_only = read_only || tagged->code == IMAP_CODE_READ_ONLY;
	selected->changed = false;
	imap_session_set_state(client, STATE_SELECTED);
	return true;
}

static bool
collect_status(ImapClient *client, ImapResponse *response, void *user_data)
{
	ImapStatusData *status = user_data;
	if (response->data == IMAP_DATA_STATUS) {
		g_free(status->name);
		*status = *response->status_data;
		status->name = g_strdup(response->status_data->name);
	}
	return true;
}

bool
imap_client_status(ImapClient *client, const char *folder, ImapStatusData *status, GError **error)
{
	ImapSessionCommand command;
	memset(status, 0, sizeof *status);
	imap_session_command_init(client, &command, "STATUS");
	if (!imap_session_command_add_mailbox(client, &command, folder, error)) {
		imap_session_command_clear(&command);
		return false;
	}
	g_string_append_printf(command.text, " (MESSAGES UIDNEXT UIDVALIDITY UNSEEN%s)",
	                       imap_client_has_capability(client, "CONDSTORE") ? " HIGHESTMODSEQ"
	                                                                       : "");
	return imap_session_run(client, &command, collect_status, status, NULL, error);
}

bool
imap_client_noop(ImapClient *client, GError **error)
{
	return imap_session_run_simple(client, "NOOP", NULL, NULL, error);
}

static bool
collect_search(ImapClient *client, ImapResponse *response, void *user_data)
{
	GArray *uids = user_data;
	if ((response->data == IMAP_DATA_SEARCH || response->data == IMAP_DATA_ESEARCH) &&
	    response->numbers != NULL)
		g_array_append_vals(uids, response->numbers->data, response->numbers->len);
	return true;
}

GArray *
imap_client_uid_search_header(ImapClient *client, const char *header, const char *value,
                              GError **error)
{
	g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	ImapSessionCommand command;
	imap_session_command_init(client, &command, "UID SEARCH HEADER");
	if (!imap_session_command_add_string(client, &command, header, error) ||
	    !imap_session_command_add_string(client, &command, value, error)) {
		imap_session_command_clear(&command);
		return NULL;
	}
	if (!imap_session_run(client, &command, collect_search, uids, NULL, error))
		return NULL;
	return g_steal_pointer(&uids);
}

GArray *
imap_client_uid_search_since(ImapClient *client, int64_t since_us, GError **error)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc(since_us / G_USEC_PER_SEC);
	if (day == NULL) {
		g_set_error(error, IMAP_ERROR, IMAP_ERROR_STATE, "SEARCH SINCE: no such date");
		return NULL;
	}
	char date[24];
	g_snprintf(date, sizeof date, "%d-%s-%d", g_date_time_get_day_of_month(day),
	           months[g_date_time_get_month(day) - 1], g_date_time_get_year(day));
	g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	ImapSessionCommand command;
	imap_session_command_init(client, &command, "UID SEARCH SINCE");
	if (!imap_session_command_add_string(client, &command, date, error)) {
		imap_session_command_clear(&command);
		return NULL;
	}
	if (!imap_session_run(client, &command, collect_search, uids, NULL, error))
		return NULL;
	return g_steal_pointer(&uids);
}

typedef struct {
	ImapFetchFunc func;
	void *user_data;
} FetchCall;

static bool
deliver_fetch(ImapClient *client, ImapResponse *response, void *user_data)
{
	FetchCall *call = user_data;
	if (response->data != IMAP_DATA_FETCH || response->fetch->uid == 0)
		return true;
	return call->func(response->fetch, call->user_data);
}

bool
imap_client_uid_fetch(ImapClient *client, const char *uid_set, const char *items,
                      ImapFetchFunc func, void *user_data, GError **error)
{
	FetchCall call = {.func = func, .user_data = user_data};
	ImapSessionCommand command;
	/* Both come from our own code: a number range and constant items. */
	g_return_val_if_fail(strpbrk(uid_set, "\r\n ") == NULL && strpbrk(items, "\r\n") == NULL,
	                     false);
	imap_session_command_init(client, &command, "UID FETCH");
	g_string_append_printf(command.text, " %s (%s)", uid_set, items);
	return imap_session_run(client, &command, deliver_fetch, &call, NULL, error);
}

bool
imap_client_append(ImapClient *client, const char *folder, const char *flags, GBytes *message,
                   uint32_t *uid, GError **error)
{
	ImapSessionCommand command;
	g_autoptr(ImapResponse) tagged = NULL;
	imap_session_command_init(client, &command, "APPEND");
	if (!imap_session_command_add_mailbox(client, &command, folder, error)) {
		imap_session_command_clear(&command);
		return false;
	}
	if (flags != NULL) {
		g_return_val_if_fail(strpbrk(flags, "\r\n") == NULL, false);
		g_string_append_printf(command.text, " %s", flags);
	}
	imap_session_command_add_literal(client, &command, message);
	if (!imap_session_run(client, &command, NULL, NULL, &tagged, error)) {
		if (tagged != NULL && tagged->code == IMAP_CODE_TRYCREATE)
			(*error)->code = IMAP_ERROR_NO_FOLDER;
		return false;
	}
	if (uid != NULL)
		*uid = tagged->code == IMAP_CODE_APPENDUID ? tagged->code_uid : 0;
	return true;
}

static bool
folder_command(ImapClient *client, const char *name, const char *folder, GError **error)
{
	ImapSessionCommand command;
	imap_session_command_init(client, &command, name);
	if (!imap_session_command_add_mailbox(client, &command, folder, error)) {
		imap_session_command_clear(&command);
		return false;
	}
	return imap_session_run(client, &command, NULL, NULL, NULL, error);
}

bool
imap_client_create(ImapClient *client, const char *folder, GError **error)
{
	return folder_command(client, "CREATE", folder, error);
}

bool
imap_client_delete(ImapClient *client, const char *folder, GError **error)
{
	return folder_command(client, "DELETE", folder, error);
}

bool
imap_client_idle_start(ImapClient *client, GError **error)
{
	if (!imap_session_require_state(client, client->state == STATE_SELECTED, "IDLE", error))
		return false;
	if (!imap_client_has_capability(client, "IDLE")) {
		g_set_error_literal(error, IMAP_ERROR, IMAP_ERROR_POLICY,
		                    "IDLE: the server does not offer it");
		return false;
	}
	ImapSessionCommand command;
	imap_session_command_init(client, &command, "IDLE");
	g_free(client->idle_tag);
	client->idle_tag = g_strdup_printf("A%u", client->tag_counter);
	bool ok = imap_session_send(client, &command, error) &&
	          imap_session_wait_continuation(client, client->idle_tag, error);
	imap_session_command_clear(&command);
	if (ok)
		imap_session_set_state(client, STATE_IDLE);
	return ok;
}

bool
imap_client_idle_wait(ImapClient *client, int timeout_ms, int wake_fd, bool *woken, GError **error)
{
	*woken = false;
	if (!imap_session_require_state(client, client->state == STATE_IDLE, "IDLE", error))
		return false;
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	/* Reading what the server says while idle is bounded too. */
	net_conn_set_deadline(client->conn, deadline + (gint64)client->command_timeout_ms * 1000);
	for (;;) {
		if (client->selected.changed) {
			*woken = true;
			return true;
		}
		if (!imap_client_has_buffered_input(client)) {
			struct pollfd fds[2] = {
			        {.fd = imap_client_get_fd(client), .events = POLLIN},
			        {.fd = wake_fd, .events = POLLIN},
			};
			/* A deadline already past still looks once (timeout 0): a
			 * watcher hands a session back with its news unread. */
			gint64 left_us = deadline - g_get_monotonic_time();
			int wait_ms = left_us > 0 ? (int)((left_us + 999) / 1000) : 0;
			int n = poll(fds, wake_fd >= 0 ? 2 : 1, wait_ms);
			if (n > 0 && client->stop_fd >= 0 && wake_fd != client->stop_fd &&
			    poll(&(struct pollfd){.fd = client->stop_fd, .events = POLLIN}, 1, 0) >
			            0)
				return true;
			if (n < 0)
				continue; /* EINTR: the deadline still holds */
			if (n == 0)
				return true;
			if (wake_fd >= 0 && (fds[1].revents & POLLIN))
				return true;
		}
		g_autoptr(ImapResponse) response = imap_session_read_response(client, error);
		if (response == NULL)
			return false;
		if (response->kind == IMAP_RESPONSE_TAGGED)
			return imap_session_broken(client, error, IMAP_ERROR_PROTOCOL,
			                           "IDLE ended by the server: ",
			                           response->text != NULL ? response->text : "");
	}
}

bool
imap_client_idle_done(ImapClient *client, GError **error)
{
	if (!imap_session_require_state(client, client->state == STATE_IDLE, "DONE", error))
		return false;
	imap_session_start_deadline(client);
	g_debug("C: DONE");
	if (!imap_session_write(client, "DONE\r\n", 6, error) || !imap_session_flush(client, error))
		return false;
	bool ok = imap_session_finish(client, client->idle_tag, NULL, NULL, NULL, error);
	if (ok)
		imap_session_set_state(client, STATE_SELECTED);
	return ok;
}

void
imap_client_logout(ImapClient *client)
{
	bool live = client->conn != NULL && client->state != STATE_BROKEN &&
	            client->state != STATE_LOGGED_OUT && client->state != STATE_DISCONNECTED;
	if (live && client->state != STATE_IDLE) {
		g_autoptr(GError) error = NULL;
		net_conn_set_timeout(client->conn, MIN(client->command_timeout_ms, 5000));
		/* BYE then OK: either ends the session, so errors are moot. */
		client->logging_out = true;
		imap_session_run_simple(client, "LOGOUT", NULL, NULL, &error);
		imap_session_set_state(client, STATE_LOGGED_OUT);
	}
	g_clear_pointer(&client->conn, net_conn_free);
}

const char *
imap_client_folder_for_use(const GPtrArray *folders, const char *special_use)
{
	for (guint i = 0; folders != NULL && i < folders->len; i++) {
		const ImapFolder *folder = folders->pdata[i];
		if (g_strcmp0(folder->special_use, special_use) == 0)
			return folder->name;
	}
	return NULL;
}
