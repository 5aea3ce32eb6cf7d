/*
 * imap_client: one IMAP session (RFC 9051/3501 with STARTTLS, SASL-IR 4959,
 * LITERAL+ 7888, ENABLE 5161, CONDSTORE 7162, SPECIAL-USE 6154, ID 2971,
 * IDLE 2177, UIDPLUS 4315) over a NetConn. It knows nothing of campaigns.
 *
 * Call order: imap_client_new → imap_client_connect (greeting, CAPABILITY,
 * STARTTLS when asked) → imap_client_login → any commands → imap_client_logout
 * → imap_client_free. IDLE is imap_client_idle_start, then _idle_wait (or
 * poll the descriptor yourself, see imap_client_get_fd and
 * imap_client_has_buffered_input), then _idle_done.
 *
 * Untagged EXISTS, EXPUNGE, FETCH, capability and status codes that arrive
 * during any command update the session's view of the selected folder
 * (ImapSelected); an untagged BYE ends the session with IMAP_ERROR_CLOSED.
 * Tags come from a per-session counter ("A1", "A2", ...); a tagged response
 * with a tag we did not send is a protocol error. Every string argument goes
 * through imap_command_append_astring(): CR, LF and NUL never reach the wire
 * from data.
 *
 * Protocol traces go to g_debug ("C: ", "S: "), login commands redacted,
 * literals shown as their size. Threading: one thread at a time per client.
 */
#pragma once

#include "base/base_secret.h"
#include "imap/imap_error.h"
#include "imap/imap_response.h"
#include "net/net_tls.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
	IMAP_SECURITY_TLS,      /* TLS from the first byte (port 993) */
	IMAP_SECURITY_STARTTLS, /* plain connect, then STARTTLS (port 143) */
	IMAP_SECURITY_NONE,     /* no TLS: only where the user insists */
} ImapSecurity;

/* Parameters of a session; plain data, copied by imap_client_new(). */
typedef struct {
	const char *host;
	uint16_t port;
	ImapSecurity security;
	NetTls *tls;               /* required unless IMAP_SECURITY_NONE */
	int connect_timeout_ms;    /* 0: 30 s */
	int command_timeout_ms;    /* each command with all its responses (a FETCH that
	                            * keeps delivering may take up to ten); 0: 120 s */
	bool allow_plaintext_auth; /* log in without TLS (never by default) */
	bool allow_preauth;        /* accept a PREAUTH greeting over TLS (never by default;
	                            * never without TLS); login is then a no-op */
	const ImapLimits *limits;  /* NULL: imap_response_limits_init() */
} ImapClientOptions;

/* Who logs in. Plain data, borrowed for the call. */
typedef struct {
	const char *user;
	const BaseSecret *secret; /* a password, or an OAuth2 bearer token */
	bool oauth2;              /* the secret is a bearer token: XOAUTH2, else OAUTHBEARER */
} ImapCredentials;

/* What the session knows of the selected folder. */
typedef struct {
	char *name;     /* UTF-8; NULL when none is selected */
	bool read_only; /* EXAMINE, or [READ-ONLY] */
	uint32_t uid_validity;
	uint32_t uid_next;       /* from SELECT; not updated by later EXISTS */
	uint32_t exists;         /* kept current by untagged EXISTS/EXPUNGE */
	uint64_t highest_modseq; /* 0 without CONDSTORE */
	bool changed;            /* an EXISTS, EXPUNGE or VANISHED came since the last
	                          * imap_client_clear_changed(); flag changes
	                          * (unsolicited FETCH) do not count */
} ImapSelected;

/* One folder of LIST. */
typedef struct {
	char *name;        /* UTF-8 (modified UTF-7 decoded) */
	char *wire_name;   /* as the server sent it */
	char separator;    /* '\0' for a flat namespace */
	char *special_use; /* "\\Sent", "\\Junk", ... or NULL */
	bool selectable;   /* no \Noselect or \NonExistent */
} ImapFolder;

void imap_client_folder_free(ImapFolder *folder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImapFolder, imap_client_folder_free)

typedef struct ImapClient ImapClient;

/* Called for each FETCH response of imap_client_uid_fetch(); @fetch is
 * borrowed for the call. Returning false stops (the rest is still read). */
typedef bool (*ImapFetchFunc)(const ImapFetch *fetch, void *user_data);

ImapClient *imap_client_new(const ImapClientOptions *options);
void imap_client_free(ImapClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImapClient, imap_client_free)

/* Every wait of the session also watches @stop_fd (>= 0; -1: none, the
 * default): once readable, the wait ends at once (IMAP_ERROR_STOPPED; an
 * IDLE wait returns with *woken false). Borrowed. */
void imap_client_set_stop_fd(ImapClient *client, int stop_fd);

/* Connects and reads the greeting (and STARTTLS when asked). A PREAUTH
 * greeting is refused (IMAP_ERROR_POLICY) unless TLS is up and
 * allow_preauth. */
bool imap_client_connect(ImapClient *client, GError **error);

/* Logs in (nothing to do after an accepted PREAUTH): XOAUTH2 (else OAUTHBEARER) for a token; else
 * AUTHENTICATE PLAIN (with SASL-IR when offered), else LOGIN. IMAP_ERROR_AUTH when refused.
 * Capabilities are read again afterwards. */
bool imap_client_login(ImapClient *client, const ImapCredentials *credentials, GError **error);

bool imap_client_has_capability(const ImapClient *client, const char *name);

/* ID (RFC 2971) with piculet's name and version, where offered; else a
 * no-op. */
bool imap_client_id(ImapClient *client, GError **error);

/* ENABLE CONDSTORE (or another extension) where offered; false only on
 * failure, *@enabled says whether the server accepted. */
bool imap_client_enable(ImapClient *client, const char *extension, bool *enabled, GError **error);

/* All folders with their special use (LIST ... RETURN (SPECIAL-USE) where
 * supported). A new array of ImapFolder. */
GPtrArray *imap_client_list(ImapClient *client, GError **error);

/* The name of the first of @folders (ImapFolder, from imap_client_list)
 * marked @special_use ("\\Sent", "\\Junk"), or NULL. Borrowed. */
const char *imap_client_folder_for_use(const GPtrArray *folders, const char *special_use);

/* SELECT (or EXAMINE with @read_only) @folder (UTF-8), with CONDSTORE when
 * enabled. IMAP_ERROR_NO_FOLDER when it does not exist. */
bool imap_client_select(ImapClient *client, const char *folder, bool read_only, GError **error);

/* The selected folder's state. Borrowed. */
const ImapSelected *imap_client_get_selected(const ImapClient *client);
void imap_client_clear_changed(ImapClient *client);

/* STATUS of @folder (not the selected one: servers may answer it from a
 * stale view, use NOOP there): MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, and
 * HIGHESTMODSEQ with CONDSTORE. */
bool imap_client_status(ImapClient *client, const char *folder, ImapStatusData *status,
                        GError **error);

/* NOOP: one round trip; untagged news lands in ImapSelected. */
bool imap_client_noop(ImapClient *client, GError **error);

/* UID SEARCH HEADER @header @value in the selected folder; a new array of
 * uint32_t UIDs. */
GArray *imap_client_uid_search_header(ImapClient *client, const char *header, const char *value,
                                      GError **error);

/* UID SEARCH SINCE the UTC day of @since_us (IMAP dates have no time:
 * the whole day counts) in the selected folder; a new array of uint32_t
 * UIDs. */
GArray *imap_client_uid_search_since(ImapClient *client, int64_t since_us, GError **error);

/* UID FETCH @uid_set (@items) — @uid_set like "42:*", @items a FETCH item
 * list built by the caller from constants ("UID FLAGS BODY.PEEK[...]").
 * Calls @func for each FETCH response as it arrives. */
bool imap_client_uid_fetch(ImapClient *client, const char *uid_set, const char *items,
                           ImapFetchFunc func, void *user_data, GError **error);

/* APPEND @message to @folder with @flags (like "(\\Seen)", or NULL); the
 * new UID in *@uid when the server says (UIDPLUS), else 0. */
bool imap_client_append(ImapClient *client, const char *folder, const char *flags, GBytes *message,
                        uint32_t *uid, GError **error);

/* CREATE and DELETE of a folder (tests and set-up). */
bool imap_client_create(ImapClient *client, const char *folder, GError **error);
bool imap_client_delete(ImapClient *client, const char *folder, GError **error);

/* IDLE: start (waits for the server's "+"), wait, done (DONE and the tagged
 * OK). imap_client_idle_wait returns true with *@woken when the server
 * announced news (EXISTS, EXPUNGE) within @timeout_ms, false with
 * @error on failure; when @wake_fd >= 0 becomes readable it returns with
 * *@woken false (a shutdown request). Servers end IDLE after 30 minutes:
 * callers re-issue it sooner (imap_client_idle_restart_ms). */
bool imap_client_idle_start(ImapClient *client, GError **error);
bool imap_client_idle_wait(ImapClient *client, int timeout_ms, int wake_fd, bool *woken,
                           GError **error);
bool imap_client_idle_done(ImapClient *client, GError **error);

/* How long to stay in one IDLE: 25 minutes, under RFC 2177's 29. */
int imap_client_idle_restart_ms(void);

/* For a watcher that polls many idle sessions at once: the socket, and
 * whether input is already buffered (in our buffer or TLS's) so that poll()
 * would not report it. */
int imap_client_get_fd(const ImapClient *client);
bool imap_client_has_buffered_input(const ImapClient *client);

/* Bytes received and sent by this session so far (TLS included). */
void imap_client_get_traffic(const ImapClient *client, guint64 *received, guint64 *sent);

/* LOGOUT, best effort and bounded; the connection is closed afterwards. */
void imap_client_logout(ImapClient *client);
