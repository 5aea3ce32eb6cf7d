/*
 * base_sasl: the client's SASL responses for PLAIN (RFC 4616), LOGIN
 * (draft-murchison-sasl-login) and XOAUTH2 (Google's and Microsoft's bearer
 * token profile), base64-encoded for the wire, for SMTP AUTH and IMAP
 * AUTHENTICATE alike. Pure.
 *
 * Each response holds the secret, so it is returned as a BaseSecret that
 * wipes itself; the caller writes it to the wire and never to a log.
 */
#pragma once

#include "base/base_secret.h"

/* base64("" NUL user NUL password) */
BaseSecret *base_sasl_encode_plain(const char *user, const BaseSecret *password);

/* base64(text): LOGIN sends the user and the password as two of these. */
BaseSecret *base_sasl_encode_text(const char *text, gsize length);

/* base64("user=" user ^A "auth=Bearer " token ^A ^A) */
BaseSecret *base_sasl_encode_xoauth2(const char *user, const BaseSecret *token);
