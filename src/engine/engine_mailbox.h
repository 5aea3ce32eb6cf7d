/*
 * engine_mailbox: a stored mailbox brought to life: its secret read from
 * where it says (an environment variable, a file, a command, or sealed in
 * the database under the key file beside it), and its SMTP and IMAP
 * sessions opened and logged in with its settings.
 *
 * Used by one thread at a time.
 */
#pragma once

#include "base/base_seal.h"
#include "base/base_secret.h"
#include "engine/engine_oauth.h"
#include "imap/imap_client.h"
#include "net/net_tls.h"
#include "smtp/smtp_client.h"
#include "store/store.h"

#include <glib.h>

/* What a mailbox's pause stops. Stored as text (StoreMailbox.paused_kind);
 * the reason is for people only. */
typedef enum {
	ENGINE_MAILBOX_USABLE,         /* not paused */
	ENGINE_MAILBOX_PAUSED_SENDING, /* may not send; its mail is still read */
	ENGINE_MAILBOX_PAUSED_READING, /* its IMAP failed: it waits altogether */
} EngineMailboxPause;

const char *engine_mailbox_pause_name(EngineMailboxPause pause);
EngineMailboxPause engine_mailbox_pause_of(const StoreMailbox *mailbox);

/* The mailbox's password; a sealed one opens with the seal key at
 * @key_path (store_get_key_path), which is never created here: a missing
 * key is an error that says so. Not for an OAuth2 mailbox. */
BaseSecret *engine_mailbox_load_secret(const StoreMailbox *mailbox, const char *key_path,
                                       GError **error);

/* The seal key at @key_path, never created here: a missing one is an error
 * that says where it belongs and that @what ("the sealed password of X")
 * cannot be opened without it. */
BaseSealKey *engine_mailbox_load_seal_key(const char *key_path, const char *what, GError **error);

/* What a login uses: the password, or for a mailbox that signs in with
 * OAuth2 (*@oauth2 set) an access token (engine_oauth_access_token, with
 * @cache, @renew, @ca_file for its token endpoint and @stop_fd). Errors of the
 * engine: ENGINE_ERROR_SIGN_IN and _TRY_LATER for a token, _MAILBOX. */
BaseSecret *engine_mailbox_login_secret(Store *store, StoreMailbox *mailbox, const char *ca_file,
                                        int stop_fd, EngineOauthCache *cache, bool renew,
                                        bool *oauth2, GError **error);

/* @stop_fd (-1: none) ends any wait of the sessions at once when it
 * becomes readable (see smtp_client_set_stop_fd, imap_client_set_stop_fd).
 *
 * An SMTP session, connected and logged in (no login when the mailbox has
 * no SMTP user: a relay that needs none). On failure NULL with the SMTP
 * layer's error, *@failure says what kind (auth_rejected,
 * connection_failed, configuration, ...) and *@advice (may be NULL) what a
 * person does about the server's refusal (smtp_outcome_advise). */
SmtpClient *engine_mailbox_open_smtp(const StoreMailbox *mailbox, const BaseSecret *secret,
                                     bool oauth2, NetTls *tls, int stop_fd, SmtpOutcome *failure,
                                     SmtpAdvice *advice, GError **error);

/* The most @mailbox may send today, having sent on @sending_days earlier
 * days: its daily cap, or while it ramps up ramp_start + ramp_step for each
 * such day, up to the cap (0: no cap). Pure. */
guint engine_mailbox_day_cap(const StoreMailbox *mailbox, guint sending_days);

/* @advice's words with @address put in; NULL when it has none. */
char *engine_mailbox_advice_words(const SmtpAdvice *advice, const char *address);

/* An IMAP session, connected and logged in; the IMAP layer's errors. */
ImapClient *engine_mailbox_open_imap(const StoreMailbox *mailbox, const BaseSecret *secret,
                                     bool oauth2, NetTls *tls, int stop_fd, GError **error);
