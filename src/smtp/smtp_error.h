/*
 * smtp_error: the SMTP layer's error domain. A GError from this layer means
 * no verdict was had from the server; a verdict (even "550") is an
 * SmtpReply. Each code says what the caller should do next.
 */
#pragma once

#include <glib.h>

#define SMTP_ERROR (smtp_error_quark())

typedef enum {
	/* No connection, or TLS failed: not sent; retry later. */
	SMTP_ERROR_CONNECT,
	/* A certificate did not verify: fix the configuration (or the CA). */
	SMTP_ERROR_CERTIFICATE,
	/* The server did not answer in time: not sent; retry later. */
	SMTP_ERROR_TIMEOUT,
	/* The server closed the connection or it broke before the final dot:
	 * not sent; retry later. */
	SMTP_ERROR_CLOSED,
	/* The server's bytes are not SMTP: not sent; retry later, and report. */
	SMTP_ERROR_PROTOCOL,
	/* The server refused the session (greeting, EHLO, STARTTLS, MAIL):
	 * its reply is at smtp_client_get_last_reply(). */
	SMTP_ERROR_REFUSED,
	/* TLS was asked for and the server does not offer it, or AUTH would
	 * go over plaintext, or no AUTH mechanism fits: fix the configuration. */
	SMTP_ERROR_POLICY,
	/* The server rejected the credentials: pause the mailbox, tell the user. */
	SMTP_ERROR_AUTH,
	/* The message is larger than the server's SIZE: not sent; give up on it. */
	SMTP_ERROR_TOO_BIG,
	/* The connection was lost after the final dot and before the reply:
	 * the message may have been delivered. Never resend blindly. */
	SMTP_ERROR_OUTCOME_UNKNOWN,
	/* Reading the message to send failed: not sent. */
	SMTP_ERROR_INPUT,
	/* A stop was asked for (the stop fd) before the final dot: not sent;
	 * nothing is wrong with the server. */
	SMTP_ERROR_STOPPED,
} SmtpError;

GQuark smtp_error_quark(void);
