/*
 * oauth_provider: what piculet knows of the big mailbox providers: their
 * OAuth2 endpoints and mail scopes, their SMTP and IMAP servers, whether
 * they file sent mail themselves, their sending limits, and the MX hosts
 * that give them away. docs/oauth.md gives the sources. Pure data.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	const char *name; /* "google", "microsoft" */
	const char *title;
	const char *auth_url;
	const char *token_url;
	const char *device_url; /* NULL: no device grant for the mail scopes */
	const char *scope;
	const char *auth_params; /* more of the authorization URL's query ("" for none) */
	const char *smtp_host;
	uint16_t smtp_port;
	const char *smtp_security;
	const char *imap_host;
	uint16_t imap_port;
	const char *imap_security;
	bool files_sent; /* the provider files what its SMTP sends: no APPEND */
	int daily_cap;   /* the provider's own limit of messages a day */
} OauthProvider;

/* The provider named @name, or NULL. */
const OauthProvider *oauth_provider_find(const char *name);

/* The provider whose mail exchanger @mx_host is (case-insensitive, a
 * trailing dot allowed), or NULL. */
const OauthProvider *oauth_provider_for_mx(const char *mx_host);

/* The provider whose SMTP or IMAP server @host is, or NULL. */
const OauthProvider *oauth_provider_for_host(const char *host);

/* "google, microsoft" */
const char *oauth_provider_names(void);
