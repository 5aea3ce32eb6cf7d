/* The API's blacklist: addresses and domains never contacted. */
#include "http/http_api_blacklist.h"

#include "http/http_json.h"
#include "mail/mail_address.h"

/* An address normalised, or "@domain" lowered; NULL, the exchange failed,
 * when it is neither. */
static char *
entry_of(HttpExchange *x, const char *text)
{
	if (text != NULL && text[0] == '@' && text[1] != '\0' && g_utf8_validate(text, -1, NULL))
		return g_utf8_strdown(text, -1);
	g_autoptr(GError) error = NULL;
	char *address = text != NULL ? mail_address_normalize(text, &error) : NULL;
	if (address == NULL) {
		g_autofree char *message = g_strdup_printf("entry: an address or an @domain%s%s",
		                                           error != NULL ? ": " : "",
		                                           error != NULL ? error->message : "");
		http_json_fail(x, APP_ERROR_INVALID, message);
	}
	return address;
}

void
http_api_blacklist_list(HttpExchange *x)
{
	g_autoptr(GPtrArray) entries = store_blacklist_list(x->store, &x->error);
	if (entries == NULL)
		return;
	json_t *list = json_array();
	for (guint i = 0; i < entries->len; i++)
		json_array_append_new(list, http_json_text(entries->pdata[i]));
	x->answer = list;
}

void
http_api_blacklist_add(HttpExchange *x)
{
	bool ok = true;
	const char *given = http_json_body_string(x, "entry", &ok);
	const char *reason = http_json_body_string(x, "reason", &ok);
	if (!ok)
		return;
	g_autofree char *entry = entry_of(x, given);
	if (entry == NULL || !store_blacklist_add(x->store, entry, reason, &x->error))
		return;
	x->status = 201;
	x->answer = json_pack("{s:s}", "entry", entry);
}

void
http_api_blacklist_remove(HttpExchange *x)
{
	g_autofree char *entry = entry_of(x, x->param[0]);
	bool removed = false;
	if (entry == NULL || !store_blacklist_remove(x->store, entry, &removed, &x->error))
		return;
	if (!removed) {
		http_json_fail(x, APP_ERROR_NOT_FOUND, "not on the blacklist");
		return;
	}
	x->status = 204;
}
