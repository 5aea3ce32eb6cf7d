#include "store/store.h"

#include "piculet_config.h"
#include "store/store_private.h"
#include "store/store_sql.h"

#include <string.h>

GQuark
store_error_quark(void)
{
	return g_quark_from_static_string("piculet-store-error");
}

char *
store_default_path(void)
{
	const char *env = g_getenv("PICULET_DB");
	if (env != NULL && env[0] != '\0')
		return g_strdup(env);
	return g_build_filename(g_get_user_data_dir(), "piculet", "piculet.db", NULL);
}

bool
store_location_is_server(const char *location)
{
	return location != NULL && (g_str_has_prefix(location, "postgresql://") ||
	                            g_str_has_prefix(location, "postgres://"));
}

/* The URI's user:password@ part: [*start, *end) is the password. */
static bool
userinfo_password(const char *location, const char **start, const char **end)
{
	const char *authority = strstr(location, "://") + 3;
	gsize length = strcspn(authority, "/?");
	const char *at = g_strrstr_len(authority, (gssize)length, "@");
	if (at == NULL)
		return false;
	const char *colon = memchr(authority, ':', (gsize)(at - authority));
	if (colon == NULL)
		return false;
	*start = colon + 1;
	*end = at;
	return true;
}

/* The query's password=...: [*start, *end) is its value. */
static bool
query_password(const char *location, const char **start, const char **end)
{
	const char *query = strchr(location, '?');
	for (const char *p = query; p != NULL; p = strchr(p + 1, '&')) {
		if (g_str_has_prefix(p + 1, "password=")) {
			*start = p + 1 + strlen("password=");
			*end = *start + strcspn(*start, "&");
			return true;
		}
	}
	return false;
}

bool
store_location_has_password(const char *location)
{
	const char *start = NULL;
	const char *end = NULL;
	return store_location_is_server(location) && (userinfo_password(location, &start, &end) ||
	                                              query_password(location, &start, &end));
}

char *
store_location_display(const char *location)
{
	g_autofree char *shown = g_strdup(location != NULL ? location : "");
	if (!store_location_is_server(shown))
		return g_steal_pointer(&shown);
	bool (*const finders[])(const char *, const char **, const char **) = {userinfo_password,
	                                                                       query_password};
	for (gsize i = 0; i < G_N_ELEMENTS(finders); i++) {
		const char *start = NULL;
		const char *end = NULL;
		if (!finders[i](shown, &start, &end))
			continue;
		GString *out = g_string_new_len(shown, start - shown);
		g_string_append(out, "***");
		g_string_append(out, end);
		g_free(shown);
		shown = g_string_free(out, FALSE);
	}
	return g_steal_pointer(&shown);
}

Store *
store_open_with(const char *location, const StoreSettings *settings, GError **error)
{
	static const StoreSettings defaults = {0};
	if (settings == NULL)
		settings = &defaults;
	/* The SQL back end picks its driver by the location. */
	const StoreBackend *backend = &store_sql_backend;
	void *impl = backend->open(location, settings, error);
	if (impl == NULL)
		return NULL;
	Store *store = g_new0(Store, 1);
	store->backend = backend;
	store->impl = impl;
	store->location = g_strdup(location);
	store->settings = *settings;
	store->settings.key_path = g_strdup(settings->key_path);
	return store;
}

Store *
store_open(const char *path, GError **error)
{
	return store_open_with(path, NULL, error);
}

Store *
store_open_another(const Store *store, GError **error)
{
	return store_open_with(store->location, &store->settings, error);
}

void
store_close(Store *store)
{
	if (store == NULL)
		return;
	store->backend->close(store->impl);
	g_free(store->location);
	g_free((char *)store->settings.key_path);
	g_free(store);
}

const char *
store_get_key_path(const Store *store)
{
	return store->backend->key_path(store->impl);
}

char *
store_describe(const Store *store)
{
	return store_location_display(store->location);
}

bool
store_copy_into(Store *source, Store *destination, GPtrArray **tables, GError **error)
{
	*tables = NULL;
	if (store_location_is_server(source->location) ||
	    !store_location_is_server(destination->location)) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
		                    "a copy goes from a SQLite file into a PostgreSQL database");
		return false;
	}
#if PICULET_HAVE_POSTGRESQL
	return store_pg_copy_from_sqlite(source->impl, destination->impl, tables, error);
#else
	g_set_error_literal(error, STORE_ERROR, STORE_ERROR_OPEN,
	                    "this piculet was built without PostgreSQL (libpq)");
	return false;
#endif
}

void
store_move_clear(StoreMove *move)
{
	g_clear_pointer(&move->other, g_free);
}

unsigned
store_get_schema_version(const Store *store)
{
	return store->backend->schema_version(store->impl);
}

void
store_rollback(Store *store)
{
	store->backend->rollback(store->impl);
}

/* The operations of STORE_OPERATIONS marked FORWARDED: store_<name> hands
 * its arguments to the back end's <name>. The CHECKED ones are below and
 * in store_campaign.c and store_enrollment.c. */
/* clang-format off */
#define STORE_IMPL_AND(...) (store->impl, __VA_ARGS__)
#define STORE_WRAPPER_CHECKED(returns, name, params, args)
#define STORE_WRAPPER_FORWARDED(returns, name, params, args)                                       \
	returns store_##name STORE_WITH_STORE params                                               \
	{                                                                                          \
		return store->backend->name STORE_IMPL_AND args;                                   \
	}
#define STORE_WRAPPER(returns, name, how, params, args)                                            \
	STORE_WRAPPER_##how(returns, name, params, args)
/* clang-format on */
STORE_OPERATIONS(STORE_WRAPPER)

static bool
check_entry(const char *entry, GError **error)
{
	const char *at = entry != NULL ? strchr(entry, '@') : NULL;
	if (at == NULL || at[1] == '\0' || strchr(at + 1, '@') != NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID,
		            "blacklist entries are addresses or @domains, not \"%s\"",
		            entry != NULL ? entry : "");
		return false;
	}
	return true;
}

bool
store_blacklist_add(Store *store, const char *entry, const char *reason, GError **error)
{
	return check_entry(entry, error) &&
	       store->backend->blacklist_add(store->impl, entry, reason ? reason : "", error);
}

bool
store_blacklist_remove(Store *store, const char *entry, bool *removed, GError **error)
{
	return check_entry(entry, error) &&
	       store->backend->blacklist_remove(store->impl, entry, removed, error);
}

void
store_lease_info_free(StoreLeaseInfo *info)
{
	if (info == NULL)
		return;
	g_free(info->holder);
	g_free(info->address);
	g_free(info);
}

static bool
check_node(const char *node, GError **error)
{
	if (node == NULL || node[0] == '\0') {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID, "a node needs a name");
		return false;
	}
	return true;
}

bool
store_delivery_lease(Store *store, const char *holder, int64_t now_us, int64_t lease_us, bool *held,
                     GError **error)
{
	*held = false;
	if (holder == NULL || holder[0] == '\0' || lease_us < 0) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
		                    "a deliverer's lease needs a holder and a length");
		return false;
	}
	return store->backend->delivery_lease(store->impl, holder, now_us, lease_us, held, error);
}

bool
store_seal_key_claim(Store *store, const char *fingerprint, bool replace, char **recorded,
                     GError **error)
{
	*recorded = NULL;
	if (fingerprint == NULL || fingerprint[0] == '\0') {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
		                    "a seal key's fingerprint is needed");
		return false;
	}
	return store->backend->seal_key_claim(store->impl, fingerprint, replace, recorded, error);
}

bool
store_lease_claim(Store *store, const char *node, int64_t now_us, int64_t lease_us, guint *share,
                  GArray **held, GError **error)
{
	if (!check_node(node, error))
		return false;
	if (lease_us <= 0) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
		                    "a lease lasts a while: more than 0 s");
		return false;
	}
	return store->backend->lease_claim(store->impl, node, now_us, lease_us, share, held, error);
}

bool
store_lease_release(Store *store, const char *node, int64_t mailbox_id, GError **error)
{
	return check_node(node, error) &&
	       store->backend->lease_release(store->impl, node, mailbox_id, error);
}

void
store_prospect_free(StoreProspect *prospect)
{
	if (prospect == NULL)
		return;
	g_free(prospect->email);
	g_free(prospect->first_name);
	g_free(prospect->last_name);
	g_free(prospect->company);
	g_free(prospect->timezone);
	g_free(prospect->status);
	if (prospect->fields != NULL)
		g_hash_table_unref(prospect->fields);
	g_free(prospect);
}

bool
store_prospect_put(Store *store, const StoreProspectInput *prospect, StoreProspectResult *result,
                   GError **error)
{
	if (prospect->email == NULL || strchr(prospect->email, '@') == NULL) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
		                    "a prospect needs an address");
		return false;
	}
	return store->backend->prospect_put(store->impl, prospect, result, error);
}

bool
store_prospect_put_many(Store *store, const StoreProspectInput *prospects, gsize n,
                        StoreProspectResult *results, GError **error)
{
	for (gsize i = 0; i < n; i++) {
		if (prospects[i].email == NULL || strchr(prospects[i].email, '@') == NULL) {
			g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
			                    "a prospect needs an address");
			return false;
		}
	}
	return n == 0 ||
	       store->backend->prospect_put_many(store->impl, prospects, n, results, error);
}

bool
store_prospect_set_status(Store *store, const char *email, const char *status, bool *found,
                          GError **error)
{
	static const char *const statuses[] = {"ok", "bounced", "opted_out", "blacklisted"};
	bool known = false;
	for (gsize i = 0; i < G_N_ELEMENTS(statuses); i++)
		known = known || g_strcmp0(status, statuses[i]) == 0;
	if (!known) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "no prospect status \"%s\"",
		            status != NULL ? status : "");
		return false;
	}
	return store->backend->prospect_set_status(store->impl, email, status, found, error);
}

void
store_mailbox_free(StoreMailbox *mailbox)
{
	if (mailbox == NULL)
		return;
	g_free(mailbox->address);
	g_free(mailbox->display_name);
	g_free(mailbox->smtp_host);
	g_free(mailbox->smtp_security);
	g_free(mailbox->smtp_user);
	g_free(mailbox->imap_host);
	g_free(mailbox->imap_security);
	g_free(mailbox->imap_user);
	g_free(mailbox->secret_source);
	if (mailbox->secret_sealed != NULL)
		g_bytes_unref(mailbox->secret_sealed);
	g_free(mailbox->signature);
	g_free(mailbox->paused_reason);
	g_free(mailbox->paused_kind);
	g_free(mailbox->guard);
	g_free(mailbox->timezone);
	g_free(mailbox);
}

static bool
security_known(const char *security)
{
	return g_strcmp0(security, "starttls") == 0 || g_strcmp0(security, "tls") == 0 ||
	       g_strcmp0(security, "none") == 0;
}

static bool
check_mailbox(const StoreMailboxInput *mailbox, GError **error)
{
	const char *problem = NULL;
	if (mailbox->address == NULL || strchr(mailbox->address, '@') == NULL)
		problem = "a mailbox needs an address";
	else if (mailbox->smtp_host == NULL || mailbox->imap_host == NULL ||
	         mailbox->smtp_port == 0 || mailbox->imap_port == 0)
		problem = "a mailbox needs SMTP and IMAP hosts and ports";
	else if (!security_known(mailbox->smtp_security) || !security_known(mailbox->imap_security))
		problem = "security is starttls, tls or none";
	else if (mailbox->secret_source == NULL ||
	         (!g_str_has_prefix(mailbox->secret_source, "oauth:") &&
	          (g_strcmp0(mailbox->secret_source, "sealed") == 0) !=
	                  (mailbox->secret_sealed != NULL)))
		problem = "a mailbox needs a secret source, or a sealed secret";
	else if (mailbox->interval_min_s < 0 || mailbox->interval_max_s < mailbox->interval_min_s ||
	         mailbox->daily_cap < 0)
		problem = "the interval must be min <= max and the daily cap positive";
	else if (mailbox->ramp_start < 0 || mailbox->ramp_step < 0 ||
	         (mailbox->ramp_start == 0 && mailbox->ramp_step > 0))
		problem = "a ramp starts at a number of messages a day and grows by another";
	else if (mailbox->freeze_from < 0 || mailbox->freeze_until < mailbox->freeze_from)
		problem = "a freeze ends after it begins";
	if (problem != NULL) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID, problem);
		return false;
	}
	return true;
}

bool
store_mailbox_add(Store *store, const StoreMailboxInput *mailbox, int64_t *id, GError **error)
{
	return check_mailbox(mailbox, error) &&
	       store->backend->mailbox_add(store->impl, mailbox, id, error);
}

bool
store_mailbox_update(Store *store, const StoreMailboxInput *mailbox, bool *found, GError **error)
{
	return check_mailbox(mailbox, error) &&
	       store->backend->mailbox_update(store->impl, mailbox, found, error);
}

void
store_event_free(StoreEvent *event)
{
	if (event == NULL)
		return;
	g_free(event->kind);
	g_free(event->campaign);
	g_free(event->email);
	g_free(event->mailbox);
	g_free(event->detail);
	g_free(event);
}

void
store_reply_free(StoreReply *reply)
{
	if (reply == NULL)
		return;
	g_free(reply->campaign);
	g_free(reply->email);
	g_free(reply->from_address);
	g_free(reply->klass);
	g_free(reply->subject);
	g_free(reply->reply_text);
	g_free(reply->intent);
	g_free(reply->intent_date);
	g_free(reply->referral);
	g_free(reply->message_id);
	g_free(reply->mailbox);
	g_free(reply);
}

void
store_count_free(StoreCount *count)
{
	if (count == NULL)
		return;
	g_free(count->name);
	g_free(count);
}

void
store_answer_free(StoreAnswer *answer)
{
	if (answer == NULL)
		return;
	g_free(answer->request_key);
	g_free(answer->message_id);
	g_free(answer->author);
	g_free(answer->to_address);
	g_free(answer->subject);
	g_free(answer->body);
	g_free(answer->state);
	g_free(answer->detail);
	g_free(answer);
}

void
store_api_key_free(StoreApiKey *key)
{
	if (key == NULL)
		return;
	g_free(key->name);
	g_free(key->scope);
	g_free(key);
}

bool
store_api_key_add(Store *store, const char *name, const char *scope, GBytes *hash, GError **error)
{
	const char *problem = NULL;
	if (name == NULL || name[0] == '\0' || strpbrk(name, "\r\n") != NULL)
		problem = "a key needs a name of one line";
	else if (g_strcmp0(scope, "read") != 0 && g_strcmp0(scope, "write") != 0)
		problem = "a key's scope is read or write";
	else if (hash == NULL || g_bytes_get_size(hash) != 32)
		problem = "a key is kept as its SHA-256";
	if (problem != NULL) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID, problem);
		return false;
	}
	return store->backend->api_key_add(store->impl, name, scope, hash, error);
}

void
store_oauth_client_free(StoreOauthClient *client)
{
	if (client == NULL)
		return;
	g_free(client->name);
	g_free(client->client_id);
	if (client->secret_sealed != NULL)
		g_bytes_unref(client->secret_sealed);
	g_free(client->auth_url);
	g_free(client->token_url);
	g_free(client->device_url);
	g_free(client->scope);
	g_free(client->auth_params);
	g_free(client);
}

bool
store_oauth_client_set(Store *store, const StoreOauthClientInput *client, GError **error)
{
	if (client->name == NULL || client->name[0] == '\0' || client->client_id == NULL ||
	    client->client_id[0] == '\0' || client->auth_url == NULL || client->token_url == NULL ||
	    client->scope == NULL) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID,
		                    "an OAuth2 client needs a name, a client id, its "
		                    "authorization and token URLs and a scope");
		return false;
	}
	return store->backend->oauth_client_set(store->impl, client, error);
}

void
store_webhook_free(StoreWebhook *webhook)
{
	if (webhook == NULL)
		return;
	g_free(webhook->url);
	g_free(webhook->events);
	if (webhook->secret_sealed != NULL)
		g_bytes_unref(webhook->secret_sealed);
	g_free(webhook);
}

void
store_delivery_free(StoreDelivery *delivery)
{
	if (delivery == NULL)
		return;
	g_free(delivery->type);
	g_free(delivery->payload);
	g_free(delivery->state);
	g_free(delivery->last_error);
	g_free(delivery);
}

bool
store_webhook_add(Store *store, const char *url, const char *events, GBytes *secret_sealed,
                  int64_t *id, GError **error)
{
	const char *problem = NULL;
	if (url == NULL ||
	    (!g_str_has_prefix(url, "https://") && !g_str_has_prefix(url, "http://")) ||
	    strpbrk(url, " \t\r\n") != NULL)
		problem = "a webhook's URL is http:// or https:// without spaces";
	else if (events == NULL || events[0] == '\0' || strpbrk(events, "\t\r\n") != NULL)
		problem = "a webhook wants \"*\" or event types separated by spaces";
	else if (secret_sealed == NULL)
		problem = "a webhook needs its sealed secret";
	if (problem != NULL) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INVALID, problem);
		return false;
	}
	return store->backend->webhook_add(store->impl, url, events, secret_sealed, id, error);
}

bool
store_delivery_finish(Store *store, int64_t id, const char *state, const char *failure,
                      int64_t tried_us, int64_t next_us, GError **error)
{
	if (g_strcmp0(state, "delivered") != 0 && g_strcmp0(state, "pending") != 0 &&
	    g_strcmp0(state, "dead") != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID, "no delivery state \"%s\"",
		            state != NULL ? state : "");
		return false;
	}
	return store->backend->delivery_finish(store->impl, id, state, failure, tried_us, next_us,
	                                       error);
}
