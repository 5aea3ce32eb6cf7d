/*
 * engine_seal_key: the seal key a process works with is the database's.
 * Every machine that uses one database (engines, servers, the commands
 * that seal a password) needs the same key file: with another, an engine
 * would pause for every engine the mailboxes whose passwords it cannot
 * open, and a server would refuse the unsubscribe links the others
 * signed. The database keeps the fingerprint of the first key used with
 * it (base_seal_key_fingerprint, never the key); another is refused
 * before it does anything.
 */
#pragma once

#include "base/base_seal.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

/* True when @key is the database's (recorded now if it had none);
 * ENGINE_ERROR_CONFIG naming the key file when it is another. */
bool engine_seal_key_check(Store *store, const BaseSealKey *key, GError **error);

/* As engine_seal_key_check, recording nothing: true as well when the
 * database has no fingerprint yet (piculet doctor). */
bool engine_seal_key_compare(Store *store, const BaseSealKey *key, GError **error);

/* Records @key as the database's whatever it had: a key made anew once
 * the old one was lost and nothing sealed under it is left. */
bool engine_seal_key_replace(Store *store, const BaseSealKey *key, GError **error);
