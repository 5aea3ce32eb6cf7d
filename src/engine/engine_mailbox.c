#include "engine/engine_mailbox.h"

#include "base/base_error.h"
#include "base/base_seal.h"
#include "engine/engine_error.h"

#include <stdlib.h>
#include <string.h>

const char *
engine_mailbox_pause_name(EngineMailboxPause pause)
{
	switch (pause) {
	case ENGINE_MAILBOX_PAUSED_SENDING:
		return "sending";
	case ENGINE_MAILBOX_PAUSED_READING:
		return "reading";
	case ENGINE_MAILBOX_USABLE:
		break;
	}
	return "";
}

EngineMailboxPause
engine_mailbox_pause_of(const StoreMailbox *mailbox)
{
	if (mailbox->paused_reason == NULL)
		return ENGINE_MAILBOX_USABLE;
	if (g_strcmp0(mailbox->paused_kind, "reading") == 0)
		return ENGINE_MAILBOX_PAUSED_READING;
	return ENGINE_MAILBOX_PAUSED_SENDING;
}

BaseSealKey *
engine_mailbox_load_seal_key(const char *key_path, const char *what, GError **error)
{
	GError *local = NULL;
	BaseSealKey *key = base_seal_key_load(key_path, &local);
	if (key == NULL) {
		bool missing = g_error_matches(local, BASE_ERROR, BASE_ERROR_NOT_FOUND);
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX,
		            missing ? "%s cannot be opened: its key file %s is missing (it lives "
		                      "beside the database's real file; restore it from where the "
		                      "database came from)"
		                    : "%s cannot be opened: %s",
		            what, missing ? key_path : local->message);
		g_error_free(local);
	}
	return key;
}

BaseSecret *
engine_mailbox_load_secret(const StoreMailbox *mailbox, const char *key_path, GError **error)
{
	const char *source = mailbox->secret_source;
	if (g_str_has_prefix(source, "env:"))
		return base_secret_new_from_env(source + 4, error);
	if (g_str_has_prefix(source, "file:"))
		return base_secret_new_from_file(source + 5, error);
	if (g_str_has_prefix(source, "cmd:"))
		return base_secret_new_from_command(source + 4, error);
	if (g_str_has_prefix(source, "oauth:")) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX,
		            "%s signs in with OAuth2: it has no password", mailbox->address);
		return NULL;
	}
	g_autofree char *what = g_strdup_printf("the sealed password of %s", mailbox->address);
	g_autoptr(BaseSealKey) key = engine_mailbox_load_seal_key(key_path, what, error);
	if (key == NULL)
		return NULL;
	if (mailbox->secret_sealed == NULL) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_MAILBOX,
		            "no password is stored for %s", mailbox->address);
		return NULL;
	}
	return base_seal_open(key, mailbox->secret_sealed, mailbox->address, error);
}

BaseSecret *
engine_mailbox_login_secret(Store *store, StoreMailbox *mailbox, const char *ca_file, int stop_fd,
                            EngineOauthCache *cache, bool renew, bool *oauth2, GError **error)
{
	*oauth2 = engine_oauth_mailbox_client(mailbox, NULL);
	if (*oauth2)
		return engine_oauth_access_token(store, mailbox, ca_file, stop_fd, cache, renew,
		                                 error);
	return engine_mailbox_load_secret(mailbox, store_get_key_path(store), error);
}

static SmtpSecurity
smtp_security_of(const char *name)
{
	return strcmp(name, "tls") == 0    ? SMTP_SECURITY_TLS
	       : strcmp(name, "none") == 0 ? SMTP_SECURITY_NONE
	                                   : SMTP_SECURITY_STARTTLS;
}

static ImapSecurity
imap_security_of(const char *name)
{
	return strcmp(name, "starttls") == 0 ? IMAP_SECURITY_STARTTLS
	       : strcmp(name, "none") == 0   ? IMAP_SECURITY_NONE
	                                     : IMAP_SECURITY_TLS;
}

SmtpClient *
engine_mailbox_open_smtp(const StoreMailbox *mailbox, const BaseSecret *secret, bool oauth2,
                         NetTls *tls, int stop_fd, SmtpOutcome *failure, SmtpAdvice *advice,
                         GError **error)
{
	SmtpClientOptions options = {.host = mailbox->smtp_host,
	                             .port = mailbox->smtp_port,
	                             .security = smtp_security_of(mailbox->smtp_security),
	                             .tls = tls,
	                             .command_timeout_ms = 60000,
	                             .data_end_timeout_ms = 120000};
	g_autoptr(SmtpClient) client = smtp_client_new(&options);
	smtp_client_set_stop_fd(client, stop_fd);
	SmtpCredentials credentials = {
	        .user = mailbox->smtp_user, .secret = secret, .oauth2 = oauth2};
	GError *local = NULL;
	/* No SMTP user: a relay that takes mail from this host without a login
	 * (a local smarthost); nothing secret goes over the line. */
	bool login = mailbox->smtp_user != NULL && mailbox->smtp_user[0] != '\0';
	if (!smtp_client_connect(client, &local) ||
	    (login && !smtp_client_authenticate(client, &credentials, &local))) {
		*failure = smtp_client_classify_failure(client, local);
		if (advice != NULL) {
			bool replied = g_error_matches(local, SMTP_ERROR, SMTP_ERROR_REFUSED) ||
			               g_error_matches(local, SMTP_ERROR, SMTP_ERROR_AUTH);
			*advice = smtp_outcome_advise(
			        replied ? smtp_client_get_last_reply(client) : NULL, oauth2);
		}
		g_propagate_error(error, local);
		smtp_client_quit(client);
		return NULL;
	}
	return g_steal_pointer(&client);
}

ImapClient *
engine_mailbox_open_imap(const StoreMailbox *mailbox, const BaseSecret *secret, bool oauth2,
                         NetTls *tls, int stop_fd, GError **error)
{
	ImapClientOptions options = {.host = mailbox->imap_host,
	                             .port = mailbox->imap_port,
	                             .security = imap_security_of(mailbox->imap_security),
	                             .tls = tls,
	                             .command_timeout_ms = 60000};
	g_autoptr(ImapClient) client = imap_client_new(&options);
	imap_client_set_stop_fd(client, stop_fd);
	ImapCredentials credentials = {
	        .user = mailbox->imap_user, .secret = secret, .oauth2 = oauth2};
	if (!imap_client_connect(client, error) ||
	    !imap_client_login(client, &credentials, error)) {
		imap_client_logout(client);
		return NULL;
	}
	return g_steal_pointer(&client);
}

char *
engine_mailbox_advice_words(const SmtpAdvice *advice, const char *address)
{
	if (advice->words == NULL)
		return NULL;
	g_auto(GStrv) parts = g_strsplit(advice->words, "ADDRESS", -1);
	return g_strjoinv(address, parts);
}

guint
engine_mailbox_day_cap(const StoreMailbox *mailbox, guint sending_days)
{
	guint cap = mailbox->daily_cap > 0 ? (guint)mailbox->daily_cap : 0;
	if (mailbox->ramp_start <= 0)
		return cap;
	guint64 ramp = (guint64)mailbox->ramp_start + (guint64)mailbox->ramp_step * sending_days;
	if (cap > 0 && ramp >= cap)
		return cap;
	return (guint)MIN(ramp, G_MAXUINT);
}
