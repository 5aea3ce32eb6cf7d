#include "oauth/oauth_provider.h"

#include <string.h>

/* Sources (docs/oauth.md): Google's "Using OAuth 2.0 to Access Google
 * APIs", "OAuth 2.0 for TV and Limited-Input Device Applications" (the
 * device grant lists no Gmail scope), "Gmail sending limits in Google
 * Workspace" (2,000 a day per user); Microsoft's "Authenticate an IMAP, POP
 * or SMTP connection using OAuth", "Exchange Online limits" (10,000
 * recipients a day). */
static const OauthProvider providers[] = {
        {
                .name = "google",
                .title = "Google Workspace / Gmail",
                .auth_url = "https://accounts.google.com/o/oauth2/v2/auth",
                .token_url = "https://oauth2.googleapis.com/token",
                .device_url = NULL,
                .scope = "https://mail.google.com/",
                /* A refresh token only with offline access, and again
                 * only when consent is asked anew. */
                .auth_params = "access_type=offline&prompt=consent",
                .smtp_host = "smtp.gmail.com",
                .smtp_port = 465,
                .smtp_security = "tls",
                .imap_host = "imap.gmail.com",
                .imap_port = 993,
                .imap_security = "tls",
                .files_sent = true,
                .daily_cap = 2000,
        },
        {
                .name = "microsoft",
                .title = "Microsoft 365 / Outlook",
                .auth_url = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                .token_url = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                .device_url = "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
                .scope = "https://outlook.office.com/SMTP.Send "
                         "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
                .auth_params = "",
                .smtp_host = "smtp.office365.com",
                .smtp_port = 587,
                .smtp_security = "starttls",
                .imap_host = "outlook.office365.com",
                .imap_port = 993,
                .imap_security = "tls",
                .files_sent = true,
                .daily_cap = 10000,
        },
};

/* MX host suffixes that name a provider. */
static const struct {
	const char *suffix;
	const char *provider;
} mx_suffixes[] = {
        {".google.com", "google"},
        {".googlemail.com", "google"},
        {".mail.protection.outlook.com", "microsoft"},
        {".outlook.com", "microsoft"},
};

const OauthProvider *
oauth_provider_find(const char *name)
{
	for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(providers); i++)
		if (g_ascii_strcasecmp(name, providers[i].name) == 0)
			return &providers[i];
	return NULL;
}

static bool
ends_with_folded(const char *host, gsize length, const char *suffix)
{
	gsize n = strlen(suffix);
	return length >= n && g_ascii_strncasecmp(host + length - n, suffix, n) == 0;
}

const OauthProvider *
oauth_provider_for_mx(const char *mx_host)
{
	if (mx_host == NULL)
		return NULL;
	gsize length = strlen(mx_host);
	if (length > 0 && mx_host[length - 1] == '.')
		length--;
	for (gsize i = 0; i < G_N_ELEMENTS(mx_suffixes); i++)
		if (ends_with_folded(mx_host, length, mx_suffixes[i].suffix))
			return oauth_provider_find(mx_suffixes[i].provider);
	return NULL;
}

const OauthProvider *
oauth_provider_for_host(const char *host)
{
	for (gsize i = 0; host != NULL && i < G_N_ELEMENTS(providers); i++)
		if (g_ascii_strcasecmp(host, providers[i].smtp_host) == 0 ||
		    g_ascii_strcasecmp(host, providers[i].imap_host) == 0)
			return &providers[i];
	return NULL;
}

const char *
oauth_provider_names(void)
{
	return "google, microsoft";
}
