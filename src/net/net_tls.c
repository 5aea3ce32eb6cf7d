#define G_LOG_DOMAIN "piculet-net"

#include "net/net_tls.h"

#include "net/net_error.h"
#include "net/net_private.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>

struct NetTls {
	gint ref_count;
	SSL_CTX *ctx;
	bool insecure;
};

char *
net_tls_dup_openssl_errors(void)
{
	GString *reasons = g_string_new(NULL);
	unsigned long code;

	while ((code = ERR_get_error()) != 0) {
		const char *reason = ERR_reason_error_string(code);
		if (reasons->len > 0)
			g_string_append(reasons, "; ");
		if (reason != NULL)
			g_string_append(reasons, reason);
		else
			g_string_append_printf(reasons, "error %lx", code);
	}
	if (reasons->len == 0)
		g_string_append(reasons, "unknown reason");
	return g_string_free(reasons, FALSE);
}

NetTls *
net_tls_new(const NetTlsOptions *options, GError **error)
{
	g_autoptr(NetTls) tls = g_new0(NetTls, 1);
	tls->ref_count = 1;
	tls->insecure = options->insecure;
	tls->ctx = SSL_CTX_new(TLS_client_method());
	if (tls->ctx == NULL) {
		g_autofree char *why = net_tls_dup_openssl_errors();
		g_set_error(error, NET_ERROR, NET_ERROR_TLS, "cannot create a TLS context: %s",
		            why);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(tls->ctx, TLS1_2_VERSION);
	/* A peer that closes without close_notify ends the stream like any
	 * other close; SMTP and IMAP have their own end markers. */
	SSL_CTX_set_options(tls->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_mode(tls->ctx,
	                 SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

	if (options->insecure) {
		SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_NONE, NULL);
		return g_steal_pointer(&tls);
	}
	SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_PEER, NULL);
	int loaded = options->ca_file != NULL
	                     ? SSL_CTX_load_verify_locations(tls->ctx, options->ca_file, NULL)
	                     : SSL_CTX_set_default_verify_paths(tls->ctx);
	if (loaded != 1) {
		g_autofree char *why = net_tls_dup_openssl_errors();
		if (options->ca_file != NULL)
			g_set_error(error, NET_ERROR, NET_ERROR_CERTIFICATE,
			            "cannot load CA file %s: %s", options->ca_file, why);
		else
			g_set_error(error, NET_ERROR, NET_ERROR_CERTIFICATE,
			            "cannot load the system's trusted certificates: %s", why);
		return NULL;
	}
	return g_steal_pointer(&tls);
}

NetTls *
net_tls_ref(NetTls *tls)
{
	g_atomic_int_inc(&tls->ref_count);
	return tls;
}

void
net_tls_unref(NetTls *tls)
{
	if (tls == NULL || !g_atomic_int_dec_and_test(&tls->ref_count))
		return;
	SSL_CTX_free(tls->ctx);
	g_free(tls);
}

bool
net_tls_is_insecure(const NetTls *tls)
{
	return tls->insecure;
}

SSL_CTX *
net_tls_get_ctx(NetTls *tls)
{
	return tls->ctx;
}
