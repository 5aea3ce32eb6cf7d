#include "engine/engine_oauth.h"

#include "base/base_error.h"
#include "base/base_seal.h"
#include "engine/engine_error.h"
#include "engine/engine_mailbox.h"
#include "oauth/oauth_error.h"

#include <poll.h>
#include <string.h>

static BaseSecret *
copy_secret(const BaseSecret *secret)
{
	return base_secret_new(base_secret_get(secret), (gssize)base_secret_get_length(secret));
}

void
engine_oauth_cache_clear(EngineOauthCache *cache)
{
	g_clear_pointer(&cache->access, base_secret_free);
	cache->expires_at_us = 0;
}

bool
engine_oauth_mailbox_client(const StoreMailbox *mailbox, const char **client)
{
	if (mailbox->secret_source == NULL || !g_str_has_prefix(mailbox->secret_source, "oauth:"))
		return false;
	if (client != NULL)
		*client = mailbox->secret_source + strlen("oauth:");
	return true;
}

char *
engine_oauth_sign_in_words(const char *address)
{
	return g_strdup_printf("sign in again: piculet mailbox authorize %s", address);
}

struct EngineOauthClient {
	StoreOauthClient *stored;
	BaseSecret *secret;
	char *ca_file;
	OauthClient view;
};

void
engine_oauth_client_free(EngineOauthClient *client)
{
	if (client == NULL)
		return;
	store_oauth_client_free(client->stored);
	base_secret_free(client->secret);
	g_free(client->ca_file);
	g_free(client);
}

const OauthClient *
engine_oauth_client_get(const EngineOauthClient *client)
{
	return &client->view;
}

static BaseSealKey *
load_key(Store *store, const char *what, GError **error)
{
	return engine_mailbox_load_seal_key(store_get_key_path(store), what, error);
}

EngineOauthClient *
engine_oauth_client_load(Store *store, const char *name, const char *ca_file, GError **error)
{
	GError *local = NULL;
	StoreOauthClient *stored = store_oauth_client_get(store, name, &local);
	if (stored == NULL) {
		if (local != NULL) {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_STORE, "%s", local->message);
			g_error_free(local);
		} else {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX,
			            "no OAuth2 client \"%s\" is set up: piculet oauth set %s "
			            "--client-id ID ...",
			            name, name);
		}
		return NULL;
	}
	g_autoptr(EngineOauthClient) client = g_new0(EngineOauthClient, 1);
	client->stored = stored;
	client->ca_file = g_strdup(ca_file);
	if (stored->secret_sealed != NULL) {
		g_autofree char *what = g_strdup_printf("the secret of OAuth2 client %s", name);
		g_autofree char *context = g_strdup_printf("oauth:%s", name);
		g_autoptr(BaseSealKey) key = load_key(store, what, error);
		if (key == NULL)
			return NULL;
		client->secret = base_seal_open(key, stored->secret_sealed, context, &local);
		if (client->secret == NULL) {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX, "%s: %s", what,
			            local->message);
			g_error_free(local);
			return NULL;
		}
	}
	client->view = (OauthClient){
	        .client_id = stored->client_id,
	        .client_secret = client->secret,
	        .auth_url = stored->auth_url,
	        .token_url = stored->token_url,
	        .device_url = stored->device_url[0] != '\0' ? stored->device_url : NULL,
	        .scope = stored->scope,
	        .auth_params = stored->auth_params,
	        .ca_file = client->ca_file,
	};
	return g_steal_pointer(&client);
}

bool
engine_oauth_save_sign_in(Store *store, const char *address, const char *client_name,
                          GBytes *sealed, GError **error)
{
	g_autofree char *source = g_strdup_printf("oauth:%s", client_name);
	bool found = false;
	GError *local = NULL;
	if (!store_mailbox_set_secret(store, address, source, sealed, &found, &local)) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_STORE, "%s", local->message);
		g_error_free(local);
		return false;
	}
	if (!found) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX, "no mailbox %s", address);
		return false;
	}
	return true;
}

/* The server's refusal in the engine's terms. */
static void
set_refresh_error(const StoreMailbox *mailbox, GError *local, GError **error)
{
	if (g_error_matches(local, OAUTH_ERROR, OAUTH_ERROR_INVALID_GRANT)) {
		g_autofree char *words = engine_oauth_sign_in_words(mailbox->address);
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_SIGN_IN, "%s (%s)", words,
		            local->message);
	} else if (g_error_matches(local, OAUTH_ERROR, OAUTH_ERROR_STOPPED)) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_STOPPED, "%s", local->message);
	} else if (g_error_matches(local, OAUTH_ERROR, OAUTH_ERROR_CLIENT)) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX,
		            "the OAuth2 client's settings are refused (%s): check them with "
		            "piculet oauth list",
		            local->message);
	} else {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_TRY_LATER, "%s", local->message);
	}
}

void
engine_oauth_client_set_stop_fd(EngineOauthClient *client, int stop_fd)
{
	client->view.stop_fd = stop_fd > 0 ? stop_fd : 0;
}

/* Waits for mailbox @mailbox's turn to renew its tokens (another process
 * or thread may be renewing them), at most ENGINE_OAUTH_TURN_WAIT_S; ends
 * early when @stop_fd (> 0) becomes readable. */
static bool
take_turn(Store *store, const StoreMailbox *mailbox, int stop_fd, GError **error)
{
	int64_t deadline =
	        g_get_monotonic_time() + (int64_t)ENGINE_OAUTH_TURN_WAIT_S * G_USEC_PER_SEC;
	for (bool said = false;; said = true) {
		GError *local = NULL;
		bool taken = false;
		if (!store_oauth_refresh_lock(store, mailbox->id, true, &taken, &local)) {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_STORE, "%s", local->message);
			g_error_free(local);
			return false;
		}
		if (taken)
			return true;
		if (!said)
			g_message(
			        "%s: another process is renewing its OAuth2 token; waiting for it",
			        mailbox->address);
		int64_t left_us = deadline - g_get_monotonic_time();
		if (left_us <= 0) {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_TRY_LATER,
			            "another process has been renewing the OAuth2 token of %s for "
			            "%d s",
			            mailbox->address, ENGINE_OAUTH_TURN_WAIT_S);
			return false;
		}
		struct pollfd stop = {.fd = stop_fd > 0 ? stop_fd : -1, .events = POLLIN};
		if (poll(&stop, 1, (int)MIN(left_us / 1000 + 1, 50)) > 0) {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_STOPPED,
			            "stopped while waiting to renew the OAuth2 token of %s",
			            mailbox->address);
			return false;
		}
	}
}

static void
end_turn(Store *store, const StoreMailbox *mailbox)
{
	g_autoptr(GError) error = NULL;
	bool taken = false;
	if (!store_oauth_refresh_lock(store, mailbox->id, false, &taken, &error))
		g_warning("%s: the turn to renew its OAuth2 token was not let go of (%s); it ends "
		          "with this connection",
		          mailbox->address, error->message);
}

/* @mailbox's refresh token as stored now (another process may have
 * rotated it since @mailbox was read), in @mailbox too. */
static bool
read_refresh_token(Store *store, StoreMailbox *mailbox, GError **error)
{
	GError *local = NULL;
	g_autoptr(StoreMailbox) now = store_mailbox_get(store, mailbox->address, &local);
	if (now == NULL) {
		if (local != NULL) {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_STORE, "%s", local->message);
			g_error_free(local);
		} else {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX, "no mailbox %s",
			            mailbox->address);
		}
		return false;
	}
	if (g_strcmp0(now->secret_source, mailbox->secret_source) != 0) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_TRY_LATER,
		            "the sign-in of %s changed meanwhile", mailbox->address);
		return false;
	}
	if (now->secret_sealed == NULL) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_SIGN_IN,
		            "not signed in yet: piculet mailbox authorize %s", mailbox->address);
		return false;
	}
	g_clear_pointer(&mailbox->secret_sealed, g_bytes_unref);
	mailbox->secret_sealed = g_bytes_ref(now->secret_sealed);
	return true;
}

/* A new access token, in @mailbox's turn: the refresh token as stored now,
 * and a rotated one saved before anything else can fail. */
static BaseSecret *
renew_tokens(Store *store, StoreMailbox *mailbox, EngineOauthClient *client, const BaseSealKey *key,
             EngineOauthCache *cache, GError **error)
{
	if (!read_refresh_token(store, mailbox, error))
		return NULL;
	g_autofree char *what = g_strdup_printf("the refresh token of %s", mailbox->address);
	GError *local = NULL;
	g_autoptr(BaseSecret) refresh =
	        base_seal_open(key, mailbox->secret_sealed, mailbox->address, &local);
	if (refresh == NULL) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX, "%s: %s", what,
		            local->message);
		g_error_free(local);
		return NULL;
	}
	if (cache != NULL)
		cache->refreshes++;
	int64_t now = g_get_monotonic_time();
	g_autoptr(OauthTokens) tokens =
	        oauth_token_refresh(engine_oauth_client_get(client), refresh, &local);
	if (tokens == NULL) {
		set_refresh_error(mailbox, local, error);
		g_error_free(local);
		return NULL;
	}
	if (tokens->refresh != NULL &&
	    strcmp(base_secret_get(tokens->refresh), base_secret_get(refresh)) != 0) {
		/* Rotated: the old one is dead now; the new one is kept before
		 * anything else can fail. */
		g_autoptr(GBytes) sealed =
		        base_seal_seal(key, tokens->refresh, mailbox->address, &local);
		bool replaced = false;
		if (sealed == NULL || !store_mailbox_replace_secret(
		                              store, mailbox->address, mailbox->secret_source,
		                              mailbox->secret_sealed, sealed, &replaced, &local)) {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_STORE,
			            "the new refresh token of %s could not be saved: %s",
			            mailbox->address, local->message);
			g_error_free(local);
			return NULL;
		}
		if (replaced) {
			g_bytes_unref(mailbox->secret_sealed);
			mailbox->secret_sealed = g_bytes_ref(sealed);
			g_debug("mailbox %s: refresh token rotated and saved", mailbox->address);
		} else {
			/* A sign-in (or an edit) while the token was asked for: the
			 * person's newer one stays; this access token still serves
			 * now. */
			g_message("%s: its sign-in changed while its token was renewed; the new "
			          "sign-in is kept",
			          mailbox->address);
		}
	}
	/* No lifetime said: an hour, the providers' usual. */
	int64_t lifetime_s = tokens->expires_in_s > 0 ? tokens->expires_in_s : 3600;
	if (cache != NULL) {
		engine_oauth_cache_clear(cache);
		cache->access = copy_secret(tokens->access);
		cache->expires_at_us = now + lifetime_s * G_USEC_PER_SEC;
	}
	g_debug("mailbox %s: new access token for %" G_GINT64_FORMAT " s", mailbox->address,
	        lifetime_s);
	return g_steal_pointer(&tokens->access);
}

BaseSecret *
engine_oauth_access_token(Store *store, StoreMailbox *mailbox, const char *ca_file, int stop_fd,
                          EngineOauthCache *cache, bool renew, GError **error)
{
	const char *client_name = NULL;
	g_return_val_if_fail(engine_oauth_mailbox_client(mailbox, &client_name), NULL);
	int64_t now = g_get_monotonic_time();
	if (cache != NULL && !renew && cache->access != NULL &&
	    cache->expires_at_us - now > (int64_t)ENGINE_OAUTH_EARLY_S * G_USEC_PER_SEC)
		return copy_secret(cache->access);
	if (mailbox->secret_sealed == NULL) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_SIGN_IN,
		            "not signed in yet: piculet mailbox authorize %s", mailbox->address);
		return NULL;
	}
	g_autoptr(EngineOauthClient) client =
	        engine_oauth_client_load(store, client_name, ca_file, error);
	if (client == NULL)
		return NULL;
	g_autofree char *what = g_strdup_printf("the refresh token of %s", mailbox->address);
	g_autoptr(BaseSealKey) key = load_key(store, what, error);
	if (key == NULL)
		return NULL;
	engine_oauth_client_set_stop_fd(client, stop_fd);
	if (!take_turn(store, mailbox, stop_fd, error))
		return NULL;
	BaseSecret *access = renew_tokens(store, mailbox, client, key, cache, error);
	end_turn(store, mailbox);
	return access;
}
