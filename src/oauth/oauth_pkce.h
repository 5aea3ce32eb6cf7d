/*
 * oauth_pkce: Proof Key for Code Exchange (RFC 7636) with S256, and the
 * random "state" of an authorization request (RFC 6749 10.12).
 */
#pragma once

#include <glib.h>

/* 43 characters of base64url (32 random bytes): a code verifier, or a state. */
char *oauth_pkce_new_verifier(void);

/* BASE64URL(SHA256(@verifier)) without padding. */
char *oauth_pkce_challenge(const char *verifier);
