/*
 * app_mailbox: what a person does to a mailbox, for every front end: find
 * it, remove it, seal its password (the key's rules live here, once).
 */
#pragma once

#include "base/base_secret.h"
#include "store/store.h"

#include <glib.h>

/* Mailbox @address as stored; APP_ERROR_NOT_FOUND when there is none. */
StoreMailbox *app_mailbox_get(Store *store, const char *address, GError **error);

/* Removes mailbox @address; APP_ERROR_NOT_FOUND when there is none. */
bool app_mailbox_remove(Store *store, const char *address, GError **error);

/*
 * @secret sealed for mailbox @address under the store's seal key
 * (store_get_key_path), the address as associated data, for
 * StoreMailboxInput.secret_sealed. The key is created (0600) when there is
 * none, unless another mailbox holds a sealed password: a new key could
 * not open that one, so a missing key is then an error naming the file
 * (BASE_ERROR_NOT_FOUND). A store that cannot tell is an error too.
 */
GBytes *app_mailbox_seal_password(Store *store, const char *address, const BaseSecret *secret,
                                  GError **error);
