/*
 * app_webhook: subscriptions to piculet's events over HTTP, signed the
 * Standard Webhooks way (https://www.standardwebhooks.com): a secret
 * "whsec_" + base64 of 32 random bytes, shown once when the subscription is
 * made and kept sealed; each delivery carries webhook-id, webhook-timestamp
 * and webhook-signature "v1," + base64(HMAC-SHA256(key, "ID.TIMESTAMP.BODY")).
 * The types: message.sent, message.uncertain, reply.received,
 * reply.needs_review, auto_reply.received, bounce.received,
 * complaint.received, prospect.opted_out, mailbox.paused, mailbox.resumed,
 * campaign.completed (engine_lifecycle_event_webhook; a test keeps the two
 * lists one).
 */
#pragma once

#include "base/base_secret.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Every type a subscription may ask for, NULL-terminated. */
extern const char *const app_webhook_types[];

/* Subscribes @url to @types (a space-separated list of app_webhook_types,
 * or NULL or "*" for all); *@id its id; returns the secret, to show once.
 * APP_ERROR_INVALID for an unknown type or a URL that is not http(s). */
BaseSecret *app_webhook_create(Store *store, const char *url, const char *types, int64_t *id,
                               GError **error);

/* Subscription @id's secret, unsealed; APP_ERROR_NOT_FOUND. */
BaseSecret *app_webhook_secret(Store *store, int64_t id, GError **error);

/* The webhook-signature header's value for @body sent as message @msg_id at
 * @timestamp_s (seconds) under @secret ("whsec_..."). Newly allocated. */
char *app_webhook_sign(const BaseSecret *secret, const char *msg_id, int64_t timestamp_s,
                       const char *body);

bool app_webhook_remove(Store *store, int64_t id, GError **error);

/* A dead delivery pending again now; APP_ERROR_NOT_FOUND when there is no
 * dead delivery @id. */
bool app_webhook_replay(Store *store, int64_t delivery_id, int64_t now_us, GError **error);
