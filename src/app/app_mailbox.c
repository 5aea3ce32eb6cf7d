/* Mailbox use cases: sealing a password. */
#include "app/app_mailbox.h"

#include "base/base_error.h"
#include "base/base_seal.h"

#include <string.h>

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
