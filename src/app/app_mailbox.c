/* Mailbox use cases: sealing a password. */
#include "app/app_mailbox.h"

#include "app/app_error.h"
#include "base/base_error.h"
#include "base/base_seal.h"

#include <string.h>

StoreMailbox *
app_mailbox_get(Store *store, const char *address, GError **error)
{
	GError *local = NULL;
	StoreMailbox *mailbox = store_mailbox_get(store, address, &local);
	if (mailbox == NULL && local == NULL)
		local = g_error_new(APP_ERROR, APP_ERROR_NOT_FOUND,
		                    "no mailbox %s (see piculet mailbox list)", address);
	if (local != NULL)
		g_propagate_error(error, local);
	return mailbox;
}

bool
app_mailbox_remove(Store *store, const char *address, GError **error)
{
	bool removed = false;
	if (!store_mailbox_remove(store, address, &removed, error))
		return false;
	if (!removed) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no mailbox %s", address);
		return false;
	}
	return true;
}

/* Whether a mailbox other than @address holds a sealed password. */
static bool
sealed_elsewhere(Store *store, const char *address, bool *found, GError **error)
{
	g_autoptr(GPtrArray) mailboxes = store_mailbox_list(store, error);
	if (mailboxes == NULL)
		return false;
	*found = false;
	for (guint i = 0; i < mailboxes->len && !*found; i++) {
		const StoreMailbox *m = mailboxes->pdata[i];
		*found = m->secret_sealed != NULL && strcmp(m->address, address) != 0;
	}
	return true;
}

GBytes *
app_mailbox_seal_password(Store *store, const char *address, const BaseSecret *secret,
                          GError **error)
{
	const char *key_path = store_get_key_path(store);
	if (!g_file_test(key_path, G_FILE_TEST_EXISTS)) {
		bool others = false;
		if (!sealed_elsewhere(store, address, &others, error))
			return NULL;
		if (others) {
			g_set_error(error, BASE_ERROR, BASE_ERROR_NOT_FOUND,
			            "%s is missing while other mailboxes hold sealed passwords: "
			            "restore it (a new key could not open them)",
			            key_path);
			return NULL;
		}
	}
	g_autoptr(BaseSealKey) key = base_seal_key_load_or_create(key_path, error);
	if (key == NULL)
		return NULL;
	return base_seal_seal(key, secret, address, error);
}
