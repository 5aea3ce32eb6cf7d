/*
 * Shared inside the network layer and its unit tests only.
 */
#pragma once

#include "net/net_tls.h"

#include <openssl/ssl.h>

/* The OpenSSL context behind @tls. Borrowed. */
SSL_CTX *net_tls_get_ctx(NetTls *tls);

/* OpenSSL's queued error reasons as one string ("a; b"), emptying the
 * queue; "unknown reason" when it is empty. */
char *net_tls_dup_openssl_errors(void);
