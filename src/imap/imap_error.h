/*
 * imap_error: the IMAP layer's error domain. A GError from this layer means
 * the exchange failed; each code says what the caller should do next.
 */
#pragma once

#include <glib.h>

#define IMAP_ERROR (imap_error_quark())

typedef enum {
	/* No connection, or TLS failed: retry later. */
	IMAP_ERROR_CONNECT,
	/* A certificate did not verify: fix the configuration (or the CA). */
	IMAP_ERROR_CERTIFICATE,
	/* The server did not answer in time: retry later. */
	IMAP_ERROR_TIMEOUT,
	/* The connection ended (a close, or an untagged BYE): retry later. */
	IMAP_ERROR_CLOSED,
	/* The server's bytes are not IMAP, or exceed a bound (line, literal,
	 * nesting, count): retry later, and report. */
	IMAP_ERROR_PROTOCOL,
	/* The server answered NO or BAD to a command: its text says why. */
	IMAP_ERROR_COMMAND,
	/* The credentials were refused: pause the mailbox, tell the user. */
	IMAP_ERROR_AUTH,
	/* TLS was asked for and not offered, LOGIN is disabled, or no
	 * mechanism fits: fix the configuration. */
	IMAP_ERROR_POLICY,
	/* A folder does not exist (or cannot be selected). */
	IMAP_ERROR_NO_FOLDER,
	/* An argument cannot be sent (CR, LF or NUL in it). */
	IMAP_ERROR_INPUT,
	/* The call does not fit the session's state (a caller's mistake, such
	 * as SELECT before login): nothing was sent. */
	IMAP_ERROR_STATE,
	/* A stop was asked for (the stop fd): the wait ended at once. */
	IMAP_ERROR_STOPPED,
} ImapError;

GQuark imap_error_quark(void);

/* The IMAP code for a failure of the network layer (NET_ERROR): the one
 * place the two are mapped. */
ImapError imap_error_code_of_net(const GError *net_error);
