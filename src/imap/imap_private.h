/*
 * imap_private: what the IMAP session shares inside the layer (and its
 * tests only): the session's state, and the command runner
 * (imap_session.c) under the operations of imap_client.c. The runner
 * builds commands (one encoder of arguments, literals as the server
 * allows), sends them, reads responses up to their tagged end under one
 * total deadline, notes what any response carries (capabilities, selected
 * folder news, alerts, BYE) and keeps the state machine.
 */
#pragma once

#include "imap/imap_client.h"
#include "imap/imap_response.h"
#include "net/net_conn.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
	STATE_DISCONNECTED,
	STATE_NOT_AUTHENTICATED,
	STATE_AUTHENTICATED,
	STATE_SELECTED,
	STATE_IDLE,
	STATE_BROKEN,
	STATE_LOGGED_OUT,
} ImapSessionState;

struct ImapClient {
	char *host;
	uint16_t port;
	ImapSecurity security;
	NetTls *tls;
	int connect_timeout_ms;
	int command_timeout_ms;
	bool allow_plaintext_auth;
	bool allow_preauth;
	ImapLimits limits;
	int stop_fd;

	ImapSessionState state;
	NetConn *conn;
	GByteArray *buffer;
	guint tag_counter;
	char *idle_tag;
	GPtrArray *capabilities;
	bool condstore;
	bool logging_out;      /* a BYE is the expected answer now */
	bool preauthenticated; /* PREAUTH greeting, accepted: login is a no-op */
	ImapSelected selected;
};

/* Collects what one command's untagged responses carry for its caller. */
typedef bool (*ImapUntaggedFunc)(ImapClient *client, ImapResponse *response, void *user_data);

/* A command being built: text, and literals to send where the text has
 * their markers. */
typedef struct {
	GString *text;
	GPtrArray *literals;  /* GBytes *, in order */
	GArray *literal_ends; /* gsize: where in text each literal's marker ends */
	bool secret;          /* the trace shows the command's name only */
} ImapSessionCommand;

/* The one place the state changes, traced by name. */
void imap_session_set_state(ImapClient *client, ImapSessionState state);
/* Ends the session (state broken) with @error "@what@detail" of @code;
 * returns false for the caller to return. */
bool imap_session_broken(ImapClient *client, GError **error, int code, const char *what,
                         const char *detail);
/* False with IMAP_ERROR_CLOSED (a dead session) or IMAP_ERROR_STATE (a
 * caller's mistake) unless @allowed. */
bool imap_session_require_state(const ImapClient *client, bool allowed, const char *what,
                                GError **error);
/* One total deadline for a command and all its responses; a FETCH
 * response extends it (progress), up to ten command timeouts. */
void imap_session_start_deadline(ImapClient *client);
void imap_session_extend_deadline(ImapClient *client);
/* One complete response, parsed, with what it carries noted (capabilities,
 * selected-folder news, alerts); NULL on failure or an unexpected BYE. */
ImapResponse *imap_session_read_response(ImapClient *client, GError **error);
/* Bytes out, and the buffered ones flushed; failures end the session. */
bool imap_session_write(ImapClient *client, const void *data, gsize n, GError **error);
bool imap_session_flush(ImapClient *client, GError **error);
/* A command: "A<n> NAME", then arguments through the one encoder (atom,
 * quoted or literal; CR, LF and NUL refused); cleared (and wiped when
 * secret) by _clear. */
void imap_session_command_init(ImapClient *client, ImapSessionCommand *command, const char *name);
void imap_session_command_clear(ImapSessionCommand *command);
bool imap_session_command_add_string(ImapClient *client, ImapSessionCommand *command,
                                     const char *value, GError **error);
bool imap_session_command_add_mailbox(ImapClient *client, ImapSessionCommand *command,
                                      const char *utf8, GError **error);
void imap_session_command_add_literal(ImapClient *client, ImapSessionCommand *command,
                                      GBytes *bytes);
/* Waits for the "+" before a synchronizing literal (or IDLE). */
bool imap_session_wait_continuation(ImapClient *client, const char *tag, GError **error);
/* Sends @command (literals as the server allows) and starts its deadline. */
bool imap_session_send(ImapClient *client, ImapSessionCommand *command, GError **error);
/* Reads up to the tagged response of @tag; untagged ones go to @untagged;
 * NO/BAD become IMAP_ERROR_COMMAND; the tagged response in *@tagged. */
bool imap_session_finish(ImapClient *client, const char *tag, ImapUntaggedFunc untagged,
                         void *user_data, ImapResponse **tagged, GError **error);
/* Send, finish and clear @command. */
bool imap_session_run(ImapClient *client, ImapSessionCommand *command, ImapUntaggedFunc untagged,
                      void *user_data, ImapResponse **tagged, GError **error);
/* A command without arguments. */
bool imap_session_run_simple(ImapClient *client, const char *name, ImapUntaggedFunc untagged,
                             void *user_data, GError **error);
