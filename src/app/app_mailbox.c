/* Mailbox use cases: add, edit, find, pause, resume, remove, seal a password. */
#include "app/app_mailbox.h"

#include "app/app_error.h"
#include "base/base_error.h"
#include "base/base_seal.h"
#include "base/base_zone.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_mailbox.h"
#include "engine/engine_seal_key.h"
#include "oauth/oauth_provider.h"

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
app_mailbox_report(Store *store, const char *address, StoreStepReport *totals, GArray **days,
                   GError **error)
{
	g_autoptr(StoreMailbox) mailbox = app_mailbox_get(store, address, error);
	return mailbox != NULL && store_mailbox_report(store, mailbox->id, totals, days, error);
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

/* Whether a mailbox other than @address, or an OAuth2 client, holds a
 * sealed secret. */
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
	g_autoptr(GPtrArray) clients = store_oauth_client_list(store, error);
	if (clients == NULL)
		return false;
	for (guint i = 0; i < clients->len && !*found; i++)
		*found = ((const StoreOauthClient *)clients->pdata[i])->secret_sealed != NULL;
	return true;
}

BaseSealKey *
app_mailbox_seal_key(Store *store, const char *address, GError **error)
{
	const char *key_path = store_get_key_path(store);
	bool made = !g_file_test(key_path, G_FILE_TEST_EXISTS);
	if (made) {
		bool others = false;
		if (!sealed_elsewhere(store, address != NULL ? address : "", &others, error))
			return NULL;
		if (others) {
			g_set_error(
			        error, BASE_ERROR, BASE_ERROR_NOT_FOUND,
			        "%s is missing while sealed secrets depend on it: restore it (a "
			        "new key could not open them)",
			        key_path);
			return NULL;
		}
	}
	g_autoptr(BaseSealKey) key = base_seal_key_load_or_create(key_path, error);
	/* What it seals, the other machines must open; a key made because the
	 * old one was lost (nothing else sealed under it) is the database's
	 * from now on. */
	if (key == NULL || !(made ? engine_seal_key_replace(store, key, error)
	                          : engine_seal_key_check(store, key, error)))
		return NULL;
	return g_steal_pointer(&key);
}

GBytes *
app_mailbox_seal_password(Store *store, const char *address, const BaseSecret *secret,
                          GError **error)
{
	g_autoptr(BaseSealKey) key = app_mailbox_seal_key(store, address, error);
	if (key == NULL)
		return NULL;
	return base_seal_seal(key, secret, address, error);
}

static int
count_passwords(const AppMailboxPassword *password)
{
	return (password->env != NULL) + (password->file != NULL) + (password->command != NULL) +
	       (password->given != NULL) + (password->oauth != NULL);
}

/* The stored form of @password: a source ("env:VAR", ...) or "sealed" with
 * *@sealed. */
static char *
password_source(Store *store, const char *address, const AppMailboxPassword *password,
                GBytes **sealed, GError **error)
{
	*sealed = NULL;
	if (password->env != NULL)
		return g_strconcat("env:", password->env, NULL);
	if (password->file != NULL)
		return g_strconcat("file:", password->file, NULL);
	if (password->command != NULL)
		return g_strconcat("cmd:", password->command, NULL);
	g_autoptr(GError) local = NULL;
	if (password->oauth != NULL) {
		g_autoptr(StoreOauthClient) client =
		        store_oauth_client_get(store, password->oauth, &local);
		if (client == NULL) {
			if (local != NULL)
				g_propagate_error(error, g_steal_pointer(&local));
			else
				g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
				            "no OAuth2 client \"%s\": set it up first with piculet "
				            "oauth set %s --client-id ID (docs/oauth.md)",
				            password->oauth, password->oauth);
			return NULL;
		}
		/* Signed in afterwards: the refresh token comes then. */
		return g_strconcat("oauth:", password->oauth, NULL);
	}
	*sealed = app_mailbox_seal_password(store, address, password->given, &local);
	if (*sealed == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_CONFIG, "the password cannot be sealed: %s",
		            local->message);
		return NULL;
	}
	return g_strdup("sealed");
}

static guint16
usual_port(bool smtp, const char *security)
{
	bool tls = g_strcmp0(security, "tls") == 0;
	return smtp ? (tls ? 465 : 587) : (tls ? 993 : 143);
}

/* @given if set, else @otherwise. */
static const char *
text_or(const char *given, const char *otherwise)
{
	return given != NULL ? given : otherwise;
}

static int
number_or(int given, int otherwise)
{
	return given >= 0 ? given : otherwise;
}

/* @settings with what its provider's preset fills in (a copy, its
 * strings borrowed from both); APP_ERROR_INVALID for an unknown one. */
static bool
with_provider(const AppMailboxSettings *settings, AppMailboxSettings *filled, GError **error)
{
	*filled = *settings;
	if (settings->provider == NULL || g_ascii_strcasecmp(settings->provider, "other") == 0)
		return true;
	const OauthProvider *preset = oauth_provider_find(settings->provider);
	if (preset == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "unknown provider \"%s\" (known: %s, other)", settings->provider,
		            oauth_provider_names());
		return false;
	}
	if (filled->smtp_host == NULL) {
		filled->smtp_host = preset->smtp_host;
		filled->smtp_port = preset->smtp_port;
		filled->smtp_security = text_or(settings->smtp_security, preset->smtp_security);
	}
	if (filled->imap_host == NULL) {
		filled->imap_host = preset->imap_host;
		filled->imap_port = preset->imap_port;
		filled->imap_security = text_or(settings->imap_security, preset->imap_security);
	}
	if (filled->daily_cap < 0)
		filled->daily_cap = preset->daily_cap;
	if (count_passwords(&settings->password) == 0)
		filled->password.oauth = preset->name;
	return true;
}

/* A time zone given for a mailbox is a real one. */
static bool
zone_ok(const char *zone_name, GError **error)
{
	if (zone_name == NULL)
		return true;
	g_autoptr(GError) local = NULL;
	g_autoptr(GTimeZone) zone = base_zone_new(zone_name, &local);
	if (zone == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "timezone: %s", local->message);
		return false;
	}
	return true;
}

bool
app_mailbox_add(Store *store, const AppMailboxSettings *given, GError **error)
{
	if (!zone_ok(given->timezone, error))
		return false;
	AppMailboxSettings filled;
	if (!with_provider(given, &filled, error))
		return false;
	const AppMailboxSettings *settings = &filled;
	if (settings->smtp_host == NULL || settings->imap_host == NULL ||
	    count_passwords(&settings->password) != 1) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID,
		                    "a mailbox needs its SMTP and IMAP hosts (or a provider) and "
		                    "exactly one password (or OAuth2 client)");
		return false;
	}
	const char *smtp_security = text_or(settings->smtp_security, APP_MAILBOX_SMTP_SECURITY);
	const char *imap_security = text_or(settings->imap_security, APP_MAILBOX_IMAP_SECURITY);
	g_autoptr(GBytes) sealed = NULL;
	g_autofree char *source =
	        password_source(store, settings->address, &settings->password, &sealed, error);
	if (source == NULL)
		return false;
	StoreMailboxInput mailbox = {
	        .address = settings->address,
	        .display_name = settings->display_name,
	        .smtp_host = settings->smtp_host,
	        .smtp_port = settings->smtp_port != 0 ? settings->smtp_port
	                                              : usual_port(true, smtp_security),
	        .smtp_security = smtp_security,
	        .smtp_user = text_or(settings->smtp_user, settings->address),
	        .imap_host = settings->imap_host,
	        .imap_port = settings->imap_port != 0 ? settings->imap_port
	                                              : usual_port(false, imap_security),
	        .imap_security = imap_security,
	        .imap_user = text_or(settings->imap_user, settings->address),
	        .secret_source = source,
	        .secret_sealed = sealed,
	        .daily_cap = number_or(settings->daily_cap, APP_MAILBOX_DAILY_CAP),
	        .ramp_start = number_or(settings->ramp_start, 0),
	        .ramp_step = number_or(settings->ramp_step, 0),
	        .freeze_from = settings->freeze_given ? settings->freeze_from : 0,
	        .freeze_until = settings->freeze_given ? settings->freeze_until : 0,
	        .timezone = text_or(settings->timezone, "UTC"),
	        .interval_min_s = number_or(settings->interval_min_s, APP_MAILBOX_INTERVAL_MIN_S),
	        .interval_max_s = number_or(settings->interval_max_s, APP_MAILBOX_INTERVAL_MAX_S),
	        .signature = settings->signature,
	};
	return store_mailbox_add(store, &mailbox, NULL, error);
}

/* The port of an endpoint after an edit: as given; the usual one when a
 * host is given without one; else as it was. */
static guint16
edited_port(bool smtp, const char *host, guint16 port, const char *security, guint16 old)
{
	if (host == NULL)
		return old;
	return port != 0 ? port : usual_port(smtp, security);
}

bool
app_mailbox_edit(Store *store, const AppMailboxSettings *changes, GError **error)
{
	if (!zone_ok(changes->timezone, error))
		return false;
	if (count_passwords(&changes->password) > 1) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID,
		                    "a mailbox has one password, not several");
		return false;
	}
	g_autoptr(StoreMailbox) old = app_mailbox_get(store, changes->address, error);
	if (old == NULL)
		return false;
	const char *smtp_security = text_or(changes->smtp_security, old->smtp_security);
	const char *imap_security = text_or(changes->imap_security, old->imap_security);
	g_autoptr(GBytes) sealed =
	        old->secret_sealed != NULL ? g_bytes_ref(old->secret_sealed) : NULL;
	g_autofree char *source = g_strdup(old->secret_source);
	if (count_passwords(&changes->password) == 1) {
		g_clear_pointer(&sealed, g_bytes_unref);
		g_free(source);
		source = password_source(store, changes->address, &changes->password, &sealed,
		                         error);
		if (source == NULL)
			return false;
	}
	StoreMailboxInput mailbox = {
	        .address = changes->address,
	        .display_name = text_or(changes->display_name, old->display_name),
	        .smtp_host = text_or(changes->smtp_host, old->smtp_host),
	        .smtp_port = edited_port(true, changes->smtp_host, changes->smtp_port,
	                                 smtp_security, old->smtp_port),
	        .smtp_security = smtp_security,
	        .smtp_user = text_or(changes->smtp_user, old->smtp_user),
	        .imap_host = text_or(changes->imap_host, old->imap_host),
	        .imap_port = edited_port(false, changes->imap_host, changes->imap_port,
	                                 imap_security, old->imap_port),
	        .imap_security = imap_security,
	        .imap_user = text_or(changes->imap_user, old->imap_user),
	        .secret_source = source,
	        .secret_sealed = sealed,
	        .daily_cap = number_or(changes->daily_cap, old->daily_cap),
	        .ramp_start = number_or(changes->ramp_start, old->ramp_start),
	        .ramp_step = number_or(changes->ramp_step, old->ramp_step),
	        .freeze_from = changes->freeze_given ? changes->freeze_from : old->freeze_from,
	        .freeze_until = changes->freeze_given ? changes->freeze_until : old->freeze_until,
	        .timezone = text_or(changes->timezone, old->timezone),
	        .interval_min_s = number_or(changes->interval_min_s, old->interval_min_s),
	        .interval_max_s = number_or(changes->interval_max_s, old->interval_max_s),
	        .signature = text_or(changes->signature, old->signature),
	};
	bool found = false;
	if (!store_mailbox_update(store, &mailbox, &found, error))
		return false;
	if (!found) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no mailbox %s",
		            changes->address);
		return false;
	}
	return true;
}

/* Pauses (@kind, @reason) or resumes (@reason NULL) @mailbox with its
 * event, together. */
static bool
set_paused(Store *store, const StoreMailbox *mailbox, const char *kind, const char *reason,
           int64_t now_us, GError **error)
{
	EngineEvent event = reason != NULL ? ENGINE_EVENT_PAUSED : ENGINE_EVENT_MAILBOX_RESUMED;
	StoreEventInput input = {.at_us = now_us,
	                         .kind = engine_lifecycle_event_name(event),
	                         .webhook_type = engine_lifecycle_event_webhook(event),
	                         .mailbox_id = mailbox->id,
	                         .detail = reason != NULL ? reason : "resumed by hand"};
	if (!store_begin(store, error))
		return false;
	GError *local = NULL;
	if (!store_mailbox_set_paused(store, mailbox->id, kind, reason, 0, &local) ||
	    !store_event_add(store, &input, &local) || !store_commit(store, &local)) {
		store_rollback(store);
		g_propagate_error(error, local);
		return false;
	}
	return true;
}

bool
app_mailbox_pause(Store *store, const char *address, int64_t now_us, GError **error)
{
	g_autoptr(StoreMailbox) mailbox = app_mailbox_get(store, address, error);
	return mailbox != NULL &&
	       set_paused(store, mailbox, engine_mailbox_pause_name(ENGINE_MAILBOX_PAUSED_SENDING),
	                  "paused by hand", now_us, error);
}

bool
app_mailbox_resume_with(Store *store, const char *address, int64_t now_us, bool ack_guard,
                        bool *was_paused, GError **error)
{
	g_autoptr(StoreMailbox) mailbox = app_mailbox_get(store, address, error);
	if (mailbox == NULL)
		return false;
	*was_paused = mailbox->paused_reason != NULL;
	bool guarded = mailbox->guard != NULL && mailbox->guard[0] != '\0';
	if (guarded && !ack_guard) {
		g_set_error(
		        error, APP_ERROR, APP_ERROR_STATE,
		        "mailbox %s was paused by its %s; find out why (piculet status, piculet "
		        "report), then resume it with --ack-guard",
		        address, mailbox->guard);
		return false;
	}
	if (guarded && !store_mailbox_set_guard(store, mailbox->id, "", error))
		return false;
	if (!*was_paused)
		return true;
	return set_paused(store, mailbox, NULL, NULL, now_us, error);
}

bool
app_mailbox_resume(Store *store, const char *address, int64_t now_us, bool *was_paused,
                   GError **error)
{
	return app_mailbox_resume_with(store, address, now_us, false, was_paused, error);
}

bool
app_mailbox_parse_ramp(const char *text, int *start, int *step)
{
	if (strcmp(text, "off") == 0) {
		*start = 0;
		*step = 0;
		return true;
	}
	char *end = NULL;
	guint64 first = g_ascii_strtoull(text, &end, 10);
	if (end == text || *end != '+' || first == 0 || first > 100000)
		return false;
	const char *rest = end + 1;
	guint64 more = g_ascii_strtoull(rest, &end, 10);
	if (end == rest || strcmp(end, "/day") != 0 || more > 100000)
		return false;
	*start = (int)first;
	*step = (int)more;
	return true;
}

static bool
parse_day(const char *text, gsize length, int64_t *at)
{
	int year = 0;
	int month = 0;
	int mday = 0;
	if (!base_zone_parse_date(text, length, &year, &month, &mday))
		return false;
	g_autoptr(GDateTime) date = g_date_time_new_utc(year, month, mday, 0, 0, 0);
	*at = g_date_time_to_unix(date) * G_USEC_PER_SEC;
	return true;
}

bool
app_mailbox_parse_freeze(const char *text, int64_t *from, int64_t *until)
{
	if (strcmp(text, "off") == 0) {
		*from = 0;
		*until = 0;
		return true;
	}
	const char *dots = strstr(text, "..");
	int64_t first = 0;
	int64_t last = 0;
	if (dots == NULL || !parse_day(text, (gsize)(dots - text), &first) ||
	    !parse_day(dots + 2, strlen(dots + 2), &last) || last < first)
		return false;
	*from = first;
	*until = last + (int64_t)86400 * G_USEC_PER_SEC;
	return true;
}
