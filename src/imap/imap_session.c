#define G_LOG_DOMAIN "piculet-imap"

#include "imap/imap_private.h"

#include "base/base_error.h"
#include "base/base_log.h"
#include "imap/imap_command.h"
#include "imap/imap_error.h"
#include "imap/imap_reader.h"
#include "net/net_error.h"

#include <openssl/crypto.h>
#include <string.h>

static const char *const state_names[] = {
        [STATE_DISCONNECTED] = "disconnected",
        [STATE_NOT_AUTHENTICATED] = "not-authenticated",
        [STATE_AUTHENTICATED] = "authenticated",
        [STATE_SELECTED] = "selected",
        [STATE_IDLE] = "idle",
        [STATE_BROKEN] = "broken",
        [STATE_LOGGED_OUT] = "logged-out",
};

void
imap_session_set_state(ImapClient *client, ImapSessionState state)
{
	if (client->state == state)
		return;
	g_debug("%s:%u: state %s -> %s", client->host, client->port, state_names[client->state],
	        state_names[state]);
	client->state = state;
}

/* Ends the session: sets @error to "@what@detail". */
bool
imap_session_broken(ImapClient *client, GError **error, int code, const char *what,
                    const char *detail)
{
	g_set_error(error, IMAP_ERROR, code, "%s%s", what, detail);
	imap_session_set_state(client, STATE_BROKEN);
	return false;
}

/* A call in a state that does not allow it fails with an error the caller
 * can act on, never a silent false. */
bool
imap_session_require_state(const ImapClient *client, bool allowed, const char *what, GError **error)
{
	if (allowed)
		return true;
	bool gone = client->state == STATE_BROKEN || client->state == STATE_LOGGED_OUT ||
	            client->state == STATE_DISCONNECTED || client->conn == NULL;
	g_set_error(error, IMAP_ERROR, gone ? IMAP_ERROR_CLOSED : IMAP_ERROR_STATE,
	            "%s: the session is %s", what, state_names[client->state]);
	return false;
}

/* A command and all its responses get one total deadline, so a server that
 * trickles "* OK still here" cannot hold the session past it. */
void
imap_session_start_deadline(ImapClient *client)
{
	net_conn_begin_command(client->conn, client->command_timeout_ms);
}

/* A FETCH response is progress: a long fetch of many messages may go on for
 * another timeout, up to ten timeouts in all. */
void
imap_session_extend_deadline(ImapClient *client)
{
	net_conn_extend_command(client->conn, 10);
}

static void
take_capabilities(ImapClient *client, ImapResponse *response)
{
	if (response->words == NULL)
		return;
	g_ptr_array_set_size(client->capabilities, 0);
	for (guint i = 0; i < response->words->len; i++)
		g_ptr_array_add(client->capabilities, g_strdup(response->words->pdata[i]));
}

/* What every response may carry, whoever asked: selected-folder news,
 * capabilities, alerts, BYE. Returns false (with @error) on BYE. */
static bool
note_response(ImapClient *client, ImapResponse *response, GError **error)
{
	ImapSelected *selected = &client->selected;
	if (response->code == IMAP_CODE_CAPABILITY || response->data == IMAP_DATA_CAPABILITY)
		take_capabilities(client, response);
	if (response->code == IMAP_CODE_ALERT) {
		/* RFC 9051 7.1: shown to the user, so made printable and short
		 * (alerts with escape sequences and of 16 MiB have been seen). */
		g_autofree char *alert = base_error_printable_dup(response->text, -1, 300);
		g_warning("%s:%u: server alert: %s", client->host, client->port, alert);
	}
	if (response->kind != IMAP_RESPONSE_UNTAGGED)
		return true;
	switch (response->code) {
	case IMAP_CODE_UIDVALIDITY:
		selected->uid_validity = (uint32_t)response->code_number;
		break;
	case IMAP_CODE_UIDNEXT:
		selected->uid_next = (uint32_t)response->code_number;
		break;
	case IMAP_CODE_HIGHESTMODSEQ:
		selected->highest_modseq = response->code_number;
		break;
	default:
		break;
	}
	switch (response->data) {
	case IMAP_DATA_EXISTS:
		selected->exists = response->number;
		selected->changed = true;
		break;
	case IMAP_DATA_EXPUNGE:
		if (selected->exists > 0)
			selected->exists--;
		selected->changed = true;
		break;
	case IMAP_DATA_VANISHED:
		selected->changed = true;
		break;
	default:
		break;
	}
	if (response->status == IMAP_STATUS_BYE && !client->logging_out) {
		g_autofree char *text = base_error_printable_dup(response->text, -1, 200);
		return imap_session_broken(client, error, IMAP_ERROR_CLOSED,
		                           "server said BYE: ", text);
	}
	return true;
}

ImapResponse *
imap_session_read_response(ImapClient *client, GError **error)
{
	net_conn_set_timeout(client->conn, client->command_timeout_ms);
	if (!imap_reader_read(client->conn, &client->limits, client->buffer, error)) {
		imap_session_set_state(client, STATE_BROKEN);
		return NULL;
	}
	if (base_log_get_level() >= BASE_LOG_VERBOSE) {
		gsize shown = MIN(client->buffer->len, 300);
		g_autofree char *text = base_error_printable_dup((const char *)client->buffer->data,
		                                                 (gssize)shown, 300);
		g_debug("S: %s%s", text, client->buffer->len > shown ? " ..." : "");
	}
	ImapResponse *response = imap_response_parse((const char *)client->buffer->data,
	                                             client->buffer->len, &client->limits, error);
	if (response == NULL) {
		imap_session_set_state(client, STATE_BROKEN);
		return NULL;
	}
	if (!note_response(client, response, error)) {
		imap_response_free(response);
		return NULL;
	}
	return response;
}

/* A write or flush that failed ends the session, in IMAP's terms. */
static bool
lost(ImapClient *client, GError *net_error, GError **error)
{
	g_set_error_literal(error, IMAP_ERROR, imap_error_code_of_net(net_error),
	                    net_error->message);
	g_error_free(net_error);
	imap_session_set_state(client, STATE_BROKEN);
	return false;
}

bool
imap_session_write(ImapClient *client, const void *data, gsize n, GError **error)
{
	GError *net_error = NULL;
	return net_conn_write(client->conn, data, n, &net_error) || lost(client, net_error, error);
}

bool
imap_session_flush(ImapClient *client, GError **error)
{
	GError *net_error = NULL;
	return net_conn_flush(client->conn, &net_error) || lost(client, net_error, error);
}

void
imap_session_command_init(ImapClient *client, ImapSessionCommand *command, const char *name)
{
	command->text = g_string_new(NULL);
	g_string_append_printf(command->text, "A%u %s", ++client->tag_counter, name);
	command->literals = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	command->literal_ends = g_array_new(FALSE, FALSE, sizeof(gsize));
	command->secret = false;
}

void
imap_session_command_clear(ImapSessionCommand *command)
{
	if (command->secret)
		OPENSSL_cleanse(command->text->str, command->text->len);
	g_string_free(command->text, TRUE);
	g_ptr_array_unref(command->literals);
	g_array_unref(command->literal_ends);
}

bool
imap_session_command_add_string(ImapClient *client, ImapSessionCommand *command, const char *value,
                                GError **error)
{
	ImapArgForm form;
	g_string_append_c(command->text, ' ');
	if (!imap_command_append_astring(command->text, value,
	                                 imap_client_has_capability(client, "LITERAL+"), &form,
	                                 error))
		return false;
	if (form != IMAP_ARG_INLINE) {
		g_ptr_array_add(command->literals, g_bytes_new(value, strlen(value)));
		g_array_append_val(command->literal_ends, command->text->len);
	}
	return true;
}

bool
imap_session_command_add_mailbox(ImapClient *client, ImapSessionCommand *command, const char *utf8,
                                 GError **error)
{
	g_autofree char *encoded = imap_command_encode_mailbox(utf8);
	return imap_session_command_add_string(client, command, encoded, error);
}

void
imap_session_command_add_literal(ImapClient *client, ImapSessionCommand *command, GBytes *bytes)
{
	bool plus = imap_client_has_capability(client, "LITERAL+");
	g_string_append_printf(command->text, " {%zu%s}", g_bytes_get_size(bytes), plus ? "+" : "");
	g_ptr_array_add(command->literals, g_bytes_ref(bytes));
	g_array_append_val(command->literal_ends, command->text->len);
}

/* Waits for the "+" before a synchronizing literal, noting untagged news. */
bool
imap_session_wait_continuation(ImapClient *client, const char *tag, GError **error)
{
	for (;;) {
		g_autoptr(ImapResponse) response = imap_session_read_response(client, error);
		if (response == NULL)
			return false;
		if (response->kind == IMAP_RESPONSE_CONTINUATION)
			return true;
		if (response->kind == IMAP_RESPONSE_TAGGED) {
			g_autofree char *text = base_error_printable_dup(response->text, -1, 200);
			g_set_error(error, IMAP_ERROR, IMAP_ERROR_COMMAND,
			            "server refused the command before its literal: %s", text);
			return false;
		}
	}
}

bool
imap_session_send(ImapClient *client, ImapSessionCommand *command, GError **error)
{
	bool live = client->conn != NULL && client->state != STATE_BROKEN &&
	            client->state != STATE_LOGGED_OUT && client->state != STATE_DISCONNECTED;
	if (!imap_session_require_state(client, live, "command", error))
		return false;
	imap_session_start_deadline(client);
	bool plus = imap_client_has_capability(client, "LITERAL+");
	const char *text = command->text->str;
	gsize at = 0;
	char tag[16];
	g_snprintf(tag, sizeof tag, "A%u", client->tag_counter);

	if (command->secret) {
		/* The command and, for AUTHENTICATE, the mechanism: nothing after. */
		const char *name = strchr(text, ' ') != NULL ? strchr(text, ' ') + 1 : "";
		gsize shown = strcspn(name, " ");
		if (g_str_has_prefix(name, "AUTHENTICATE ") && name[shown] == ' ')
			shown += 1 + strcspn(name + shown + 1, " ");
		g_debug("C: %s %.*s (credentials hidden)", tag, (int)shown, name);
	}
	for (guint i = 0; i < command->literals->len; i++) {
		gsize end = g_array_index(command->literal_ends, gsize, i);
		GBytes *literal = command->literals->pdata[i];
		if (!command->secret)
			g_debug("C: %.*s (literal of %zu bytes)", (int)(end - at), text + at,
			        g_bytes_get_size(literal));
		if (!imap_session_write(client, text + at, end - at, error) ||
		    !imap_session_write(client, "\r\n", 2, error))
			return false;
		if (!plus && (!imap_session_flush(client, error) ||
		              !imap_session_wait_continuation(client, tag, error)))
			return false;
		if (!imap_session_write(client, g_bytes_get_data(literal, NULL),
		                        g_bytes_get_size(literal), error))
			return false;
		at = end;
	}
	if (!command->secret)
		g_debug("C: %s", text + at);
	return imap_session_write(client, text + at, command->text->len - at, error) &&
	       imap_session_write(client, "\r\n", 2, error) && imap_session_flush(client, error);
}

/* Reads responses up to the tagged one of @tag; untagged ones go to
 * @untagged when given. NO/BAD become IMAP_ERROR_COMMAND (or @no_code when
 * that is not 0). The tagged response is returned when @tagged is set. */
bool
imap_session_finish(ImapClient *client, const char *tag, ImapUntaggedFunc untagged, void *user_data,
                    ImapResponse **tagged, GError **error)
{
	for (;;) {
		g_autoptr(ImapResponse) response = imap_session_read_response(client, error);
		if (response == NULL)
			return false;
		if (response->kind == IMAP_RESPONSE_UNTAGGED) {
			if (response->data == IMAP_DATA_FETCH)
				imap_session_extend_deadline(client);
			if (untagged != NULL && !untagged(client, response, user_data)) {
				/* The callback asked to stop: keep reading to stay in sync. */
				untagged = NULL;
			}
			continue;
		}
		if (response->kind == IMAP_RESPONSE_CONTINUATION) {
			return imap_session_broken(client, error, IMAP_ERROR_PROTOCOL,
			                           "unexpected continuation request", "");
		}
		if (g_strcmp0(response->tag, tag) != 0) {
			g_autofree char *shown = base_error_printable_dup(response->tag, -1, 40);
			return imap_session_broken(
			        client, error, IMAP_ERROR_PROTOCOL,
			        "tagged response for a command we did not send: ", shown);
		}
		if (response->status != IMAP_STATUS_OK) {
			g_autofree char *text = base_error_printable_dup(response->text, -1, 300);
			g_set_error(error, IMAP_ERROR, IMAP_ERROR_COMMAND, "%s %s",
			            response->status == IMAP_STATUS_NO ? "NO" : "BAD", text);
			if (tagged != NULL)
				*tagged = g_steal_pointer(&response);
			return false;
		}
		if (tagged != NULL)
			*tagged = g_steal_pointer(&response);
		return true;
	}
}

bool
imap_session_run(ImapClient *client, ImapSessionCommand *command, ImapUntaggedFunc untagged,
                 void *user_data, ImapResponse **tagged, GError **error)
{
	char tag[16];
	g_snprintf(tag, sizeof tag, "A%u", client->tag_counter);
	bool ok = imap_session_send(client, command, error) &&
	          imap_session_finish(client, tag, untagged, user_data, tagged, error);
	imap_session_command_clear(command);
	return ok;
}

/* A command without arguments. */
bool
imap_session_run_simple(ImapClient *client, const char *name, ImapUntaggedFunc untagged,
                        void *user_data, GError **error)
{
	ImapSessionCommand command;
	imap_session_command_init(client, &command, name);
	return imap_session_run(client, &command, untagged, user_data, NULL, error);
}
