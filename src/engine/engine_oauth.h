/*
 * engine_oauth: the access token of a mailbox that signs in with OAuth2
 * (secret source "oauth:CLIENT", the refresh token sealed beside it). The
 * token is asked of the client's token endpoint and kept in memory only
 * (EngineOauthCache); it is used while more than ENGINE_OAUTH_EARLY_S of
 * it are left and renewed before, so a session never logs in with one
 * about to end. A refresh token the server rotates is sealed and saved in
 * one statement before the new access token is used: a crash right after
 * a refresh loses nothing. One process or thread at a time renews a
 * mailbox's tokens (store_oauth_refresh_lock), with the refresh token as
 * stored when its turn comes: a rotated token is never sent twice, which
 * some servers answer by ending the grant. A grant the server no longer knows
 * (invalid_grant: revoked, expired, password changed) is
 * ENGINE_ERROR_SIGN_IN, whose message says what to run.
 */
#pragma once

#include "base/base_secret.h"
#include "oauth/oauth_token.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define ENGINE_OAUTH_EARLY_S 300
/* How long a renewal waits for another's to end (oauth_token's requests
 * give up after 30 s). */
#define ENGINE_OAUTH_TURN_WAIT_S 45

typedef struct {
	BaseSecret *access;
	int64_t expires_at_us; /* monotonic */
	guint refreshes;       /* token requests made */
} EngineOauthCache;

void engine_oauth_cache_clear(EngineOauthCache *cache);

/* Whether @mailbox signs in with OAuth2; its client's name in *@client. */
bool engine_oauth_mailbox_client(const StoreMailbox *mailbox, const char **client);

/* A stored client ready for oauth_token: its secret opened with the seal
 * key at @key_path. Free with engine_oauth_client_free. */
typedef struct EngineOauthClient EngineOauthClient;
EngineOauthClient *engine_oauth_client_load(Store *store, const char *name, const char *ca_file,
                                            GError **error);
const OauthClient *engine_oauth_client_get(const EngineOauthClient *client);
/* Its requests give up when @stop_fd (> 0) becomes readable. */
void engine_oauth_client_set_stop_fd(EngineOauthClient *client, int stop_fd);
void engine_oauth_client_free(EngineOauthClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EngineOauthClient, engine_oauth_client_free)

/* An access token for @mailbox: @cache's while it lasts (and @renew is
 * false), else a new one; @mailbox->secret_sealed follows a rotation. A
 * token request in flight gives up when @stop_fd (> 0) becomes readable.
 * @cache may be NULL (always asks). ENGINE_ERROR_SIGN_IN, _MAILBOX (the
 * client or the key is missing or refused), _TRY_LATER, _STORE. */
BaseSecret *engine_oauth_access_token(Store *store, StoreMailbox *mailbox, const char *ca_file,
                                      int stop_fd, EngineOauthCache *cache, bool renew,
                                      GError **error);

/* Saves @sealed (a refresh token sealed for @address) as the mailbox's
 * secret with source "oauth:@client_name": a sign-in's outcome. */
bool engine_oauth_save_sign_in(Store *store, const char *address, const char *client_name,
                               GBytes *sealed, GError **error);

/* "sign in again: piculet mailbox authorize ADDRESS" */
char *engine_oauth_sign_in_words(const char *address);
