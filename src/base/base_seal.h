/*
 * base_seal: secrets encrypted at rest. A 256-bit key lives in a file of
 * its own, created with mode 0600 on first use; a sealed secret is
 * nonce (12 bytes) || ciphertext || tag (16 bytes) of AES-256-GCM
 * (OpenSSL EVP), with what it belongs to (a mailbox address) as associated
 * data, so a sealed value moved to another row does not open.
 *
 * The key is held in wiped memory (a BaseSecret). Thread-safe: a BaseSealKey
 * is only read after it is loaded.
 */
#pragma once

#include "base/base_secret.h"

#include <glib.h>

typedef struct BaseSealKey BaseSealKey;

/* Reads the key at @path; BASE_ERROR_NOT_FOUND when there is none. A key
 * file readable by others, or of the wrong size, is refused
 * (BASE_ERROR_INVALID). Opening a sealed secret uses this: a new key could
 * never open what an old one sealed. */
BaseSealKey *base_seal_key_load(const char *path, GError **error);

/* As base_seal_key_load, but creates the key (and its folder, 0700) with
 * mode 0600 when the file does not exist: for sealing, and only where the
 * caller knows no secret sealed under a lost key exists. */
BaseSealKey *base_seal_key_load_or_create(const char *path, GError **error);
void base_seal_key_free(BaseSealKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BaseSealKey, base_seal_key_free)

/* HMAC-SHA256 under the key of @label, a NUL, and @data (@length bytes)
 * into @out: a signature for links the program hands out (one-click
 * unsubscribe), which only this key makes. The label keeps each use's
 * signatures apart. */
void base_seal_sign(const BaseSealKey *key, const char *label, const void *data, gsize length,
                    guint8 out[32]);

/* A name for the key that does not give it away: 12 bytes of
 * base_seal_sign's HMAC of a fixed label, in hex, into @out. Two machines
 * hold the same key when their fingerprints are equal. */
#define BASE_SEAL_FINGERPRINT_CHARS 24
void base_seal_key_fingerprint(const BaseSealKey *key, char out[BASE_SEAL_FINGERPRINT_CHARS + 1]);

/* Seals @secret for @context (e.g. the mailbox address). */
GBytes *base_seal_seal(const BaseSealKey *key, const BaseSecret *secret, const char *context,
                       GError **error);

/* Opens what base_seal_seal made; BASE_ERROR_INVALID when the bytes were
 * changed, the key is another, or the context differs. */
BaseSecret *base_seal_open(const BaseSealKey *key, GBytes *sealed, const char *context,
                           GError **error);
