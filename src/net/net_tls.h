/*
 * net_tls: the TLS settings shared by many connections (an OpenSSL
 * SSL_CTX inside): which certificates are trusted, and whether
 * verification is on. One NetTls serves any number of NetConns, so loading
 * the trust store is paid once, not per mailbox.
 *
 * Verification is on by default: the chain must lead to the system trust
 * store (or to the CA file given), and the certificate must name the host
 * (DNS name or IP address) the connection was made to. TLS 1.2 at least.
 * `insecure` turns verification off and logs a warning on every handshake.
 *
 * A NetTls is reference-counted and, once made, only read: connections in
 * several threads may share it.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct NetTls NetTls;

typedef struct {
	const char *ca_file; /* PEM file of trusted CAs; NULL: the system trust store */
	bool insecure;       /* no verification at all: for diagnostics only */
} NetTlsOptions;

NetTls *net_tls_new(const NetTlsOptions *options, GError **error);
NetTls *net_tls_ref(NetTls *tls);
void net_tls_unref(NetTls *tls);

/* True when this context verifies nothing. */
bool net_tls_is_insecure(const NetTls *tls);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(NetTls, net_tls_unref)
