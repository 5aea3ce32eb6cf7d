/*
 * smtp_client: one SMTP submission session (RFC 5321, 3207 STARTTLS, 4954
 * AUTH, 2920 PIPELINING, 1870 SIZE, 2034 enhanced codes) over a NetConn.
 * It knows nothing of campaigns: it sends messages it is given to the
 * recipients it is given and reports the server's verdicts.
 *
 * Call order: smtp_client_new → smtp_client_connect (greeting, EHLO,
 * STARTTLS and EHLO again when asked) → smtp_client_authenticate (optional)
 * → smtp_client_send, any number of times → smtp_client_quit →
 * smtp_client_free.
 *
 * Verdicts are data: a send that got replies returns an SmtpSendResult, even
 * when every recipient was refused. A GError (SMTP_ERROR) means no verdict
 * was had; its code says what to do next, and SMTP_ERROR_OUTCOME_UNKNOWN
 * marks the one dangerous case: the connection was lost after the final
 * dot, so the message may have been delivered. When connect or
 * authenticate fail on a server's reply (SMTP_ERROR_REFUSED,
 * SMTP_ERROR_AUTH), smtp_client_classify_failure() classifies that reply.
 *
 * Security: with SMTP_SECURITY_STARTTLS the session never goes on in clear
 * when the server does not offer STARTTLS; bytes the server pushed with its
 * STARTTLS reply are discarded (the command-injection defence of RFC 3207
 * 6 and CVE-2011-0411); capabilities are read again over TLS; AUTH over a
 * connection without TLS is refused unless allow_plaintext_auth.
 * Protocol traces go to g_debug ("C: ", "S: ") with AUTH payloads redacted
 * and message bodies shown as their size.
 *
 * Threading: one thread at a time per client.
 */
#pragma once

#include "base/base_secret.h"
#include "net/net_tls.h"
#include "smtp/smtp_ehlo.h"
#include "smtp/smtp_error.h"
#include "smtp/smtp_outcome.h"
#include "smtp/smtp_reply.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
	SMTP_SECURITY_STARTTLS, /* plain connect, then STARTTLS (port 587) */
	SMTP_SECURITY_TLS,      /* TLS from the first byte (port 465) */
	SMTP_SECURITY_NONE,     /* no TLS at all: only where the user insists */
} SmtpSecurity;

/* Parameters of a session; plain data, copied by smtp_client_new(). */
typedef struct {
	const char *host;          /* name or IP literal */
	uint16_t port;             /* 587, 465, ... */
	SmtpSecurity security;     /* how TLS comes up */
	NetTls *tls;               /* trust settings; required unless SMTP_SECURITY_NONE */
	const char *helo_name;     /* NULL: the local address as a literal, "[192.0.2.1]" */
	int connect_timeout_ms;    /* 0: 30 s */
	int command_timeout_ms;    /* each command's whole reply (all its lines); 0: 5 min
	                            * (RFC 5321 4.5.3.2) */
	int data_end_timeout_ms;   /* the whole reply after the final dot; 0: 10 min */
	bool allow_plaintext_auth; /* send AUTH without TLS (never by default) */
} SmtpClientOptions;

/* Who logs in, and with what. Plain data, borrowed for the call. */
typedef struct {
	const char *user;
	const BaseSecret *secret; /* a password, or an OAuth2 bearer token */
	bool oauth2;              /* the secret is a bearer token: XOAUTH2, else OAUTHBEARER */
	unsigned mechanisms;      /* SmtpAuthMechanism bits allowed; 0: any */
} SmtpCredentials;

/* The envelope of one message. Plain data, borrowed for the call. */
typedef struct {
	const char *from;              /* reverse-path; "" for the null sender */
	const char *const *recipients; /* NULL-terminated; at least one */
} SmtpEnvelope;

/* What the server said about one message. Plain data, owned by the caller. */
typedef struct {
	SmtpOutcome outcome;     /* ACCEPTED when the message was taken for at least
	                          * one recipient; else the class of the deciding reply */
	SmtpStage stage;         /* the stage of the deciding reply */
	SmtpReply *mail_reply;   /* the reply to MAIL FROM */
	GPtrArray *rcpt_replies; /* SmtpReply *, one per recipient, in order; an entry
	                          * is NULL when MAIL FROM failed first */
	SmtpReply *data_reply;   /* after the final dot (or to DATA when that
	                          * failed); NULL when DATA was never sent */
	guint n_accepted;        /* recipients accepted at RCPT TO */
} SmtpSendResult;

/* The reply that decided @result: the first refused RCPT or MAIL when it
 * was not accepted, else the reply to the end of DATA (or MAIL). */
const SmtpReply *smtp_client_deciding_reply(const SmtpSendResult *result);

void smtp_client_send_result_free(SmtpSendResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SmtpSendResult, smtp_client_send_result_free)

typedef struct SmtpClient SmtpClient;

SmtpClient *smtp_client_new(const SmtpClientOptions *options);

/* Every wait of the session (connect, each reply, each write) also watches
 * @stop_fd (>= 0; -1: none, the default): once it is readable the wait ends
 * at once. Before the final dot that is SMTP_ERROR_STOPPED (not sent);
 * after it, SMTP_ERROR_OUTCOME_UNKNOWN like any other loss. Borrowed. */
void smtp_client_set_stop_fd(SmtpClient *client, int stop_fd);

/* Connects, reads the greeting, says EHLO (HELO when EHLO is refused), and
 * with STARTTLS upgrades and says EHLO again. */
bool smtp_client_connect(SmtpClient *client, GError **error);

/* Logs in with the best mechanism both sides know: XOAUTH2 (else
 * OAUTHBEARER) for a token,
 * else PLAIN, else LOGIN. SMTP_ERROR_AUTH when the server refuses. */
bool smtp_client_authenticate(SmtpClient *client, const SmtpCredentials *credentials,
                              GError **error);

/*
 * Sends @message (RFC 5322 bytes; line ends of any kind) to the envelope's
 * recipients: MAIL FROM, RCPT TO for each, DATA, pipelined when the server
 * offers PIPELINING. Returns the verdicts, or NULL with @error when none
 * were had. A message over the server's SIZE fails with SMTP_ERROR_TOO_BIG
 * before anything is sent. After a refused transaction the session is reset
 * (RSET) and can send the next message.
 */
SmtpSendResult *smtp_client_send(SmtpClient *client, const SmtpEnvelope *envelope, GBytes *message,
                                 GError **error);

/* RSET: abandons a transaction in progress. */
bool smtp_client_reset(SmtpClient *client, GError **error);

/* QUIT, best effort and bounded by the command timeout; the connection is
 * closed afterwards whatever the server does. */
void smtp_client_quit(SmtpClient *client);

/* What the server offered in its last EHLO. Borrowed. */
const SmtpCapabilities *smtp_client_get_capabilities(const SmtpClient *client);

/* The last complete reply, and the stage it answered; NULL before any.
 * Borrowed; valid until the next call on the client. */
const SmtpReply *smtp_client_get_last_reply(const SmtpClient *client);
SmtpStage smtp_client_get_last_stage(const SmtpClient *client);

/* The class of a failed connect/authenticate/send: the server's reply when
 * there was one (SMTP_ERROR_REFUSED, SMTP_ERROR_AUTH), else the error's. */
SmtpOutcome smtp_client_classify_failure(const SmtpClient *client, const GError *error);

/* "TLSv1.3 TLS_AES_256_GCM_SHA384", or NULL without TLS. Borrowed. */
const char *smtp_client_get_tls_description(const SmtpClient *client);

void smtp_client_free(SmtpClient *client);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SmtpClient, smtp_client_free)
