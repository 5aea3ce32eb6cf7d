/*
 * base_secret: a password or token held in memory that wipes itself.
 *
 * A secret comes from an environment variable, a file or the output of a
 * command (like msmtp's passwordeval), never from the command line. Its
 * bytes are cleansed (OPENSSL_cleanse) when it is freed. Nothing here logs
 * or puts the secret's value into an error message.
 *
 * A BaseSecret is immutable after creation and may be read from several
 * threads. The caller owns what _new and _from_* return.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct BaseSecret BaseSecret;

/* Copies @length bytes of @value (NUL-terminated when -1). */
BaseSecret *base_secret_new(const char *value, gssize length);

/* The value of environment variable @name; an error when unset or empty. */
BaseSecret *base_secret_new_from_env(const char *name, GError **error);

/* The first line of file @path (without its line end); an error when the
 * file cannot be read or its first line is empty. */
BaseSecret *base_secret_new_from_file(const char *path, GError **error);

/* The first line printed by @command run through /bin/sh -c; an error when
 * it cannot run, exits non-zero or prints nothing. Its stderr is passed on. */
BaseSecret *base_secret_new_from_command(const char *command, GError **error);

/* Borrowed, NUL-terminated; valid until the secret is freed. */
/* A new token: @prefix then @n_random bytes from the system's generator
 * (OpenSSL's RAND_bytes), base64url without padding. NULL with BASE_ERROR
 * when the generator fails. */
BaseSecret *base_secret_new_random(const char *prefix, gsize n_random, GError **error);

const char *base_secret_get(const BaseSecret *secret);
gsize base_secret_get_length(const BaseSecret *secret);

/* The SHA-256 of @length bytes of @text (32 bytes): how a random token is
 * kept, so that a stolen database holds no token (32 random bytes leave
 * nothing to guess, so a fast hash is enough). */
GBytes *base_secret_digest(const char *text, gsize length);

void base_secret_free(BaseSecret *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(BaseSecret, base_secret_free)
