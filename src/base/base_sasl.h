/*
 * base_sasl: the client's SASL responses for PLAIN (RFC 4616), LOGIN
 * (draft-murchison-sasl-login), XOAUTH2 (Google's and Microsoft's bearer
 * token profile) and OAUTHBEARER (RFC 7628), base64-encoded for the wire,
 * for SMTP AUTH and IMAP AUTHENTICATE alike. Pure.
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

/* base64("n,a=" user "," ^A "host=" host ^A "port=" port ^A
 * "auth=Bearer " token ^A ^A), the user's ',' and '=' escaped (RFC 5801). */
BaseSecret *base_sasl_encode_oauthbearer(const char *user, const char *host, unsigned port,
                                         const BaseSecret *token);

/* What a server says when it refuses a bearer token: the challenge it sends
 * (base64 of a JSON object, RFC 7628 3.2.2: status, scope, schemes) read
 * into words ("status 401, scope https://mail.google.com/"); NULL when
 * @challenge is not that. */
char *base_sasl_describe_bearer_error(const char *challenge);
