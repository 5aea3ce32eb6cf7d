/* Checking a mailbox against its servers and its domain's DNS. */
#include "app/app_check.h"

#include "app/app_error.h"
#include "app/app_mailbox.h"
#include "engine/engine_error.h"
#include "engine/engine_mailbox.h"
#include "imap/imap_client.h"
#include "net/net_dns.h"
#include "oauth/oauth_provider.h"
#include "smtp/smtp_client.h"

#include <poll.h>
#include <string.h>

void
app_check_report_free(AppCheckReport *report)
{
	if (report == NULL)
		return;
	store_mailbox_free(report->mailbox);
	g_free(report->sign_in);
	g_free(report->smtp.failure);
	g_free(report->smtp_tls);
	g_free(report->imap.failure);
	g_free(report->sent_folder);
	g_free(report->dns.failure);
	if (report->dns_findings != NULL)
		g_ptr_array_unref(report->dns_findings);
	g_free(report);
}

static AppCheckVerdict
dns_verdict(const AppCheckReport *report)
{
	if (!report->dns_checked || report->dns.verdict != APP_CHECK_OK)
		return report->dns.verdict;
	for (guint i = 0; i < report->dns_findings->len; i++) {
		const EngineDnsFinding *finding = report->dns_findings->pdata[i];
		if (finding->verdict == ENGINE_DNS_MISSING)
			return APP_CHECK_CONFIG;
	}
	return APP_CHECK_OK;
}

AppCheckVerdict
app_check_report_verdict(const AppCheckReport *report)
{
	if (report->smtp.verdict != APP_CHECK_OK)
		return report->smtp.verdict;
	if (report->imap.verdict != APP_CHECK_OK)
		return report->imap.verdict;
	return dns_verdict(report);
}

static void
check_smtp(AppCheckReport *report, const BaseSecret *secret, bool oauth2, NetTls *tls, int stop_fd)
{
	g_autoptr(GError) error = NULL;
	SmtpOutcome outcome = SMTP_OUTCOME_UNKNOWN;
	SmtpAdvice advice = {NULL, false};
	g_autoptr(SmtpClient) client = engine_mailbox_open_smtp(
	        report->mailbox, secret, oauth2, tls, stop_fd, &outcome, &advice, &error);
	if (client == NULL) {
		report->smtp.verdict = outcome == SMTP_OUTCOME_AUTH_REJECTED ? APP_CHECK_AUTH
		                       : outcome == SMTP_OUTCOME_CONFIGURATION
		                               ? APP_CHECK_CONFIG
		                               : APP_CHECK_UNAVAILABLE;
		g_autofree char *words =
		        engine_mailbox_advice_words(&advice, report->mailbox->address);
		report->smtp.failure = words != NULL
		                               ? g_strdup_printf("%s: %s", error->message, words)
		                               : g_strdup(error->message);
		return;
	}
	report->smtp_tls = g_strdup(smtp_client_get_tls_description(client));
	smtp_client_quit(client);
}

static void
check_imap(AppCheckReport *report, const BaseSecret *secret, bool oauth2, NetTls *tls, int stop_fd)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) client =
	        engine_mailbox_open_imap(report->mailbox, secret, oauth2, tls, stop_fd, &error);
	g_autoptr(GPtrArray) folders = client != NULL ? imap_client_list(client, &error) : NULL;
	if (folders == NULL) {
		report->imap.verdict =
		        error->code == IMAP_ERROR_AUTH ? APP_CHECK_AUTH
		        : error->code == IMAP_ERROR_POLICY || error->code == IMAP_ERROR_CERTIFICATE
		                ? APP_CHECK_CONFIG
		                : APP_CHECK_UNAVAILABLE;
		report->imap.failure = g_strdup(error->message);
	} else {
		report->sent_folder = g_strdup(imap_client_folder_for_use(folders, "\\Sent"));
	}
	if (client != NULL)
		imap_client_logout(client);
}

static const char *
provider_by_mx(NetDns *dns, const char *address, GError **error)
{
	const char *domain = strrchr(address, '@') + 1;
	g_autoptr(GPtrArray) mx = net_dns_query_mx(dns, domain, error);
	const OauthProvider *provider = NULL;
	for (guint i = 0; provider == NULL && mx != NULL && i < mx->len; i++)
		provider = oauth_provider_for_mx(((NetDnsMx *)mx->pdata[i])->host);
	return provider != NULL ? provider->name : NULL;
}

const char *
app_check_guess_provider(const StoreMailbox *mailbox, NetDns *dns)
{
	const OauthProvider *provider = oauth_provider_for_host(mailbox->smtp_host);
	if (provider == NULL)
		provider = oauth_provider_for_host(mailbox->imap_host);
	if (provider != NULL)
		return provider->name;
	return dns != NULL ? provider_by_mx(dns, mailbox->address, NULL) : NULL;
}

const char *
app_check_provider_by_mx(const char *address, const char *dns_server, GError **error)
{
	GError *local = NULL;
	g_autoptr(NetDns) dns = net_dns_new(dns_server, &local);
	const char *name = dns != NULL ? provider_by_mx(dns, address, &local) : NULL;
	if (local != NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_UNAVAILABLE,
		            "the MX of %s could not be read: %s", strrchr(address, '@') + 1,
		            local->message);
		g_error_free(local);
	}
	return name;
}

static void
check_dns(AppCheckReport *report, NetDns *dns, const char *dkim_selector)
{
	g_autoptr(GError) error = NULL;
	const char *domain = strrchr(report->mailbox->address, '@') + 1;
	report->dns_checked = true;
	report->dkim_checked = dkim_selector != NULL;
	report->dns_findings = engine_dns_check_domain(dns, domain, dkim_selector, &error);
	if (report->dns_findings == NULL) {
		report->dns.verdict = APP_CHECK_UNAVAILABLE;
		report->dns.failure = g_strdup(error->message);
	}
}

static bool
readable(int fd)
{
	struct pollfd stop = {.fd = fd, .events = POLLIN};
	return poll(&stop, 1, 0) > 0;
}

AppCheckReport *
app_check_mailbox(Store *store, const char *address, const AppCheckOptions *options, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(AppCheckReport) report = g_new0(AppCheckReport, 1);
	report->mailbox = app_mailbox_get(store, address, error);
	if (report->mailbox == NULL)
		return NULL;
	const char *client_name = NULL;
	bool oauth2 = engine_oauth_mailbox_client(report->mailbox, &client_name);
	report->sign_in =
	        oauth2 ? g_strdup_printf("OAuth2 (client %s)", client_name) : g_strdup("password");
	report->provider = app_check_guess_provider(report->mailbox, NULL);
	int stop_fd = options->stop_fd > 0 ? options->stop_fd : -1;
	g_autoptr(BaseSecret) secret =
	        engine_mailbox_login_secret(store, report->mailbox, options->ca_file,
	                                    options->stop_fd, NULL, true, &oauth2, &local);
	if (secret == NULL) {
		int code = g_error_matches(local, ENGINE_ERROR, ENGINE_ERROR_SIGN_IN)
		                   ? APP_ERROR_SIGN_IN
		           : g_error_matches(local, ENGINE_ERROR, ENGINE_ERROR_TRY_LATER)
		                   ? APP_ERROR_UNAVAILABLE
		                   : APP_ERROR_CONFIG;
		g_set_error(error, APP_ERROR, code, "%s: %s: %s", address,
		            oauth2 ? "sign-in" : "password",
		            local != NULL ? local->message : "none stored");
		return NULL;
	}
	NetTlsOptions tls_options = {.ca_file = options->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &local);
	if (tls == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_CONFIG, "%s", local->message);
		return NULL;
	}
	g_autoptr(NetDns) dns = NULL;
	if (!options->skip_dns && (dns = net_dns_new(options->dns_server, &local)) == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "%s", local->message);
		return NULL;
	}
	check_smtp(report, secret, oauth2, tls, stop_fd);
	if (stop_fd >= 0 && readable(stop_fd)) {
		report->stopped = true;
		return g_steal_pointer(&report);
	}
	check_imap(report, secret, oauth2, tls, stop_fd);
	report->stopped = stop_fd >= 0 && readable(stop_fd);
	if (dns != NULL && !report->stopped) {
		check_dns(report, dns, options->dkim_selector);
		if (report->provider == NULL)
			report->provider = app_check_guess_provider(report->mailbox, dns);
	}
	return g_steal_pointer(&report);
}
