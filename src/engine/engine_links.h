/*
 * engine_links: the links piculet puts in the messages it sends, signed so
 * that no one can make or change one: today the one-click unsubscribe of
 * RFC 8058 (`List-Unsubscribe: <BASE/u/TOKEN>` with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
 *
 * A token is the enrollment's id (8 bytes) and the first 16 bytes of its
 * HMAC-SHA256 under a key derived from the database's seal key
 * (base_seal_sign, label "piculet unsubscribe v1"), in base64url: 32
 * characters, no database row needed to check it, nothing to enumerate.
 */
#pragma once

#include "base/base_seal.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* The database's seal key, for signing links: loaded, or created when
 * there is none and no mailbox holds a password sealed under a lost one
 * (then it is an error naming the file, as for sealing). */
BaseSealKey *engine_links_key(Store *store, GError **error);

/* Signed bytes as a link's path segment: base64url without padding
 * (RFC 4648, section 5), newly allocated; and back, NULL when @text is
 * not that (other characters, a bad length). The tracked links
 * (engine_tracking) are made with the same two. */
char *engine_links_encode(const guint8 *bytes, gsize length);
guint8 *engine_links_decode(const char *text, gsize *length);

/* The unsubscribe token of @enrollment_id. Newly allocated. */
char *engine_links_unsubscribe_token(const BaseSealKey *key, int64_t enrollment_id);

/* "@base/u/TOKEN" (@base without its trailing slashes). Newly allocated. */
char *engine_links_unsubscribe_url(const BaseSealKey *key, const char *base, int64_t enrollment_id);

/* Whether @token is one this key made; its enrollment in *@enrollment_id.
 * Constant time in the signature. */
bool engine_links_unsubscribe_check(const BaseSealKey *key, const char *token,
                                    int64_t *enrollment_id);
