/*
 * net_error: the network layer's error domain.
 *
 * Codes say what went wrong on the way to a peer, so the protocol layers can
 * map them onto their own "what to do next" codes.
 */
#pragma once

#include <glib.h>

#define NET_ERROR (net_error_quark())

typedef enum {
	NET_ERROR_RESOLVE,     /* the host name did not resolve: check the configuration */
	NET_ERROR_CONNECT,     /* no connection (refused, unreachable): retry later */
	NET_ERROR_TIMEOUT,     /* a deadline passed: retry later */
	NET_ERROR_TLS,         /* the TLS handshake or a TLS record failed */
	NET_ERROR_CERTIFICATE, /* the peer's certificate is not trusted for this host */
	NET_ERROR_CLOSED,      /* the peer closed the connection */
	NET_ERROR_LIMIT,       /* the peer sent more than a bound allows (line too long) */
	NET_ERROR_IO,          /* any other socket failure */
	NET_ERROR_STOPPED,     /* a stop was asked for (the stop fd): end quietly */
} NetError;

GQuark net_error_quark(void);

/* A protocol layer's codes for each network failure (SMTP and IMAP each
 * keep one such table; the mapping itself is written once). */
typedef struct {
	int connect; /* RESOLVE, CONNECT, TLS, and anything not of NET_ERROR */
	int timeout;
	int closed;
	int io;
	int limit;
	int certificate;
	int stopped;
} NetErrorCodes;

/* @codes' code for @error. */
int net_error_code_in(const GError *error, const NetErrorCodes *codes);
