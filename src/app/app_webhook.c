/* Webhook subscriptions: made with a sealed secret, signatures, replays. */
#include "app/app_webhook.h"

#include "app/app_error.h"
#include "base/base_seal.h"
#include "engine/engine_links.h"
#include "engine/engine_seal_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#define SECRET_PREFIX "whsec_"
#define SEAL_CONTEXT  "webhook"

const char *const app_webhook_types[] = {
        "message.sent",        "message.uncertain",
        "reply.received",      "reply.needs_review",
        "auto_reply.received", "bounce.received",
        "complaint.received",  "prospect.opted_out",
        "mailbox.paused",      "mailbox.resumed",
        "campaign.completed",  "message.opened",
        "link.clicked",        NULL,
};

static bool
types_known(const char *types, GError **error)
{
	g_auto(GStrv) asked = g_strsplit(types, " ", -1);
	for (guint i = 0; asked[i] != NULL; i++) {
		if (asked[i][0] == '\0')
			continue;
		if (!g_strv_contains(app_webhook_types, asked[i])) {
			g_autofree char *known = g_strjoinv(", ", (char **)app_webhook_types);
			g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
			            "no event type \"%s\" (known: %s)", asked[i], known);
			return false;
		}
	}
	return true;
}

/* "whsec_" and 32 random bytes in standard base64. */
static BaseSecret *
new_secret(GError **error)
{
	g_autoptr(BaseSecret) url_safe = base_secret_new_random("", 32, error);
	if (url_safe == NULL)
		return NULL;
	g_autofree char *text = g_strconcat(SECRET_PREFIX, base_secret_get(url_safe), "=", NULL);
	g_strdelimit(text + strlen(SECRET_PREFIX), "-", '+');
	g_strdelimit(text + strlen(SECRET_PREFIX), "_", '/');
	BaseSecret *secret = base_secret_new(text, -1);
	OPENSSL_cleanse(text, strlen(text));
	return secret;
}

BaseSecret *
app_webhook_create(Store *store, const char *url, const char *types, int64_t *id, GError **error)
{
	const char *wanted = types != NULL && types[0] != '\0' ? types : "*";
	if (strcmp(wanted, "*") != 0 && !types_known(wanted, error))
		return NULL;
	if (url == NULL ||
	    (!g_str_has_prefix(url, "https://") && !g_str_has_prefix(url, "http://"))) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID,
		                    "a webhook's URL starts with https:// (or http://)");
		return NULL;
	}
	g_autoptr(BaseSealKey) key = engine_links_key(store, error);
	if (key == NULL || !engine_seal_key_check(store, key, error))
		return NULL;
	g_autoptr(BaseSecret) secret = new_secret(error);
	if (secret == NULL)
		return NULL;
	g_autoptr(GBytes) sealed = base_seal_seal(key, secret, SEAL_CONTEXT, error);
	if (sealed == NULL || !store_webhook_add(store, url, wanted, sealed, id, error))
		return NULL;
	return g_steal_pointer(&secret);
}

BaseSecret *
app_webhook_secret(Store *store, int64_t id, GError **error)
{
	GError *local = NULL;
	g_autoptr(StoreWebhook) webhook = store_webhook_get(store, id, &local);
	if (webhook == NULL) {
		if (local == NULL)
			local = g_error_new(APP_ERROR, APP_ERROR_NOT_FOUND,
			                    "no webhook %" G_GINT64_FORMAT, id);
		g_propagate_error(error, local);
		return NULL;
	}
	g_autoptr(BaseSealKey) key = base_seal_key_load(store_get_key_path(store), error);
	if (key == NULL)
		return NULL;
	return base_seal_open(key, webhook->secret_sealed, SEAL_CONTEXT, error);
}

char *
app_webhook_sign(const BaseSecret *secret, const char *msg_id, int64_t timestamp_s,
                 const char *body)
{
	const char *text = base_secret_get(secret);
	if (g_str_has_prefix(text, SECRET_PREFIX))
		text += strlen(SECRET_PREFIX);
	gsize key_length = 0;
	g_autofree guint8 *key = g_base64_decode(text, &key_length);
	g_autofree char *signed_text =
	        g_strdup_printf("%s.%" G_GINT64_FORMAT ".%s", msg_id, timestamp_s, body);
	guint8 digest[32];
	unsigned digest_length = sizeof digest;
	HMAC(EVP_sha256(), key, (int)key_length, (const guint8 *)signed_text, strlen(signed_text),
	     digest, &digest_length);
	OPENSSL_cleanse(key, key_length);
	g_autofree char *encoded = g_base64_encode(digest, digest_length);
	return g_strconcat("v1,", encoded, NULL);
}

bool
app_webhook_remove(Store *store, int64_t id, GError **error)
{
	bool removed = false;
	if (!store_webhook_remove(store, id, &removed, error))
		return false;
	if (!removed) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no webhook %" G_GINT64_FORMAT,
		            id);
		return false;
	}
	return true;
}

bool
app_webhook_replay(Store *store, int64_t delivery_id, int64_t now_us, GError **error)
{
	bool found = false;
	if (!store_delivery_replay(store, delivery_id, now_us, &found, error))
		return false;
	if (!found) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND,
		            "no dead delivery %" G_GINT64_FORMAT, delivery_id);
		return false;
	}
	return true;
}
