/*
 * app_check: whether a mailbox works, asked of its servers: a login to its
 * SMTP and IMAP servers with the stored settings, its Sent folder, and the
 * sender domain's DNS (MX, SPF, DMARC, DKIM). The servers' answers are the
 * report; errors are only what stops the check from being made.
 */
#pragma once

#include "engine/engine_dns.h"
#include "store/store.h"

#include <glib.h>

typedef enum {
	APP_CHECK_OK,
	APP_CHECK_AUTH,        /* the login was refused */
	APP_CHECK_CONFIG,      /* the settings cannot work: TLS, policy, a missing record */
	APP_CHECK_UNAVAILABLE, /* the server or the DNS could not be reached */
} AppCheckVerdict;

/* One part of the check. */
typedef struct {
	AppCheckVerdict verdict;
	char *failure; /* what the server or the network said; NULL when ok */
} AppCheckPart;

typedef struct {
	StoreMailbox *mailbox; /* as stored: hosts, ports, users */
	const char *provider;  /* "google", "microsoft" (by its servers, else its MX), or NULL */
	char *sign_in;         /* "password", or "OAuth2 (client NAME)" */
	AppCheckPart smtp;
	char *smtp_tls; /* the TLS in use, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384"; NULL: none */
	AppCheckPart imap;
	char *sent_folder; /* the folder marked \Sent; NULL: none (sent mail is not filed) */
	bool dns_checked;
	AppCheckPart dns;        /* the lookups themselves */
	GPtrArray *dns_findings; /* EngineDnsFinding, when the lookups were made */
	bool dkim_checked;       /* a DKIM selector was given */
	bool stopped;            /* a stop cut the check short: its verdicts say little */
} AppCheckReport;

void app_check_report_free(AppCheckReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppCheckReport, app_check_report_free)

/* The worst verdict of the report, a missing DNS record counting as
 * APP_CHECK_CONFIG: SMTP's first, then IMAP's, then the DNS's. */
AppCheckVerdict app_check_report_verdict(const AppCheckReport *report);

typedef struct {
	const char *ca_file;       /* trusted besides the system's (and for OAuth2 token
	                            * endpoints); NULL: none */
	const char *dns_server;    /* "IP[:PORT]"; NULL: the system's resolver */
	const char *dkim_selector; /* NULL: DKIM is not looked up */
	bool skip_dns;
	int stop_fd; /* > 0: readable ends the check's sessions at once (a server that
	              * stops); the report then says stopped */
} AppCheckOptions;

/* The provider @mailbox is at, by its servers, else (with @dns) by its
 * domain's MX: "google", "microsoft", or NULL. */
const char *app_check_guess_provider(const StoreMailbox *mailbox, NetDns *dns);

/* The provider whose servers receive @address's mail (its domain's MX,
 * asked of @dns_server, NULL: the system's resolver), or NULL (no error)
 * when it is none piculet knows; APP_ERROR_UNAVAILABLE when the MX cannot
 * be read. */
const char *app_check_provider_by_mx(const char *address, const char *dns_server, GError **error);

/* Checks mailbox @address. APP_ERROR_NOT_FOUND when there is none,
 * APP_ERROR_CONFIG when its password cannot be read or the TLS set up
 * (an OAuth2 mailbox's token is asked for anew: APP_ERROR_SIGN_IN when its
 * grant is gone or was never given, APP_ERROR_UNAVAILABLE when the token
 * endpoint does not answer),
 * APP_ERROR_INVALID for a DNS server that is not an address. */
AppCheckReport *app_check_mailbox(Store *store, const char *address, const AppCheckOptions *options,
                                  GError **error);
