#include "engine/engine_dns.h"

#include <string.h>

void
engine_dns_finding_free(EngineDnsFinding *finding)
{
	if (finding == NULL)
		return;
	g_free(finding->name);
	g_free(finding->detail);
	g_free(finding);
}

static void
add(GPtrArray *findings, const char *what, const char *name, EngineDnsVerdict verdict, char *detail)
{
	EngineDnsFinding *finding = g_new0(EngineDnsFinding, 1);
	finding->what = what;
	finding->name = g_strdup(name);
	finding->verdict = verdict;
	finding->detail = detail;
	g_ptr_array_add(findings, finding);
}

/* The records of @all that start with @tag ("v=spf1"), case-insensitive. */
static GPtrArray *
tagged(GPtrArray *all, const char *tag)
{
	GPtrArray *matching = g_ptr_array_new();
	gsize n = strlen(tag);
	for (guint i = 0; i < all->len; i++) {
		const char *record = all->pdata[i];
		if (g_ascii_strncasecmp(record, tag, n) == 0 &&
		    (record[n] == '\0' || record[n] == ' ' || record[n] == ';'))
			g_ptr_array_add(matching, (gpointer)record);
	}
	return matching;
}

static bool
check_mx(NetDns *dns, const char *domain, GPtrArray *findings, GError **error)
{
	g_autoptr(GPtrArray) mx = net_dns_query_mx(dns, domain, error);
	if (mx == NULL)
		return false;
	if (mx->len == 0) {
		add(findings, "MX", domain, ENGINE_DNS_MISSING,
		    g_strdup("no MX record: replies and bounces to this domain cannot be "
		             "delivered"));
		return true;
	}
	GString *hosts = g_string_new(NULL);
	for (guint i = 0; i < mx->len; i++) {
		const NetDnsMx *record = mx->pdata[i];
		g_string_append_printf(hosts, "%s%s (%u)", i > 0 ? ", " : "", record->host,
		                       record->preference);
	}
	add(findings, "MX", domain, ENGINE_DNS_OK, g_string_free(hosts, FALSE));
	return true;
}

static bool
check_spf(NetDns *dns, const char *domain, GPtrArray *findings, GError **error)
{
	g_autoptr(GPtrArray) txt = net_dns_query_txt(dns, domain, error);
	if (txt == NULL)
		return false;
	g_autoptr(GPtrArray) spf = tagged(txt, "v=spf1");
	if (spf->len == 0) {
		add(findings, "SPF", domain, ENGINE_DNS_MISSING,
		    g_strdup("no SPF record: receivers may junk or refuse your mail; publish one "
		             "that names your SMTP server (\"v=spf1 include:... -all\")"));
		return true;
	}
	if (spf->len > 1) {
		add(findings, "SPF", domain, ENGINE_DNS_MISSING,
		    g_strdup_printf("%u SPF records: receivers treat that as an error (permerror); "
		                    "merge them into one",
		                    spf->len));
		return true;
	}
	const char *record = spf->pdata[0];
	g_autofree char *lower = g_ascii_strdown(record, -1);
	if (g_str_has_suffix(lower, "-all") || g_str_has_suffix(lower, "~all"))
		add(findings, "SPF", domain, ENGINE_DNS_OK, g_strdup_printf("\"%s\"", record));
	else if (g_str_has_suffix(lower, "+all") || g_str_has_suffix(lower, " all"))
		add(findings, "SPF", domain, ENGINE_DNS_MISSING,
		    g_strdup_printf("\"%s\" lets anyone send as this domain: end it with -all or "
		                    "~all",
		                    record));
	else
		add(findings, "SPF", domain, ENGINE_DNS_WARNING,
		    g_strdup_printf("\"%s\" does not end with -all or ~all: it protects nothing",
		                    record));
	return true;
}

static bool
check_dmarc(NetDns *dns, const char *domain, GPtrArray *findings, GError **error)
{
	g_autofree char *name = g_strdup_printf("_dmarc.%s", domain);
	g_autoptr(GPtrArray) txt = net_dns_query_txt(dns, name, error);
	if (txt == NULL)
		return false;
	g_autoptr(GPtrArray) dmarc = tagged(txt, "v=DMARC1");
	if (dmarc->len != 1) {
		add(findings, "DMARC", name, ENGINE_DNS_MISSING,
		    dmarc->len == 0
		            ? g_strdup("no DMARC record: large mailbox providers expect one; "
		                       "publish "
		                       "at least \"v=DMARC1; p=none\"")
		            : g_strdup("more than one DMARC record: receivers ignore them all"));
		return true;
	}
	const char *record = dmarc->pdata[0];
	g_autofree char *lower = g_ascii_strdown(record, -1);
	if (strstr(lower, "p=none") != NULL)
		add(findings, "DMARC", name, ENGINE_DNS_WARNING,
		    g_strdup_printf("\"%s\": p=none only monitors; fine to start with", record));
	else
		add(findings, "DMARC", name, ENGINE_DNS_OK, g_strdup_printf("\"%s\"", record));
	return true;
}

static bool
check_dkim(NetDns *dns, const char *domain, const char *selector, GPtrArray *findings,
           GError **error)
{
	g_autofree char *name = g_strdup_printf("%s._domainkey.%s", selector, domain);
	g_autoptr(GPtrArray) txt = net_dns_query_txt(dns, name, error);
	if (txt == NULL)
		return false;
	const char *key = NULL;
	for (guint i = 0; i < txt->len && key == NULL; i++)
		if (strstr(txt->pdata[i], "p=") != NULL)
			key = txt->pdata[i];
	if (key == NULL) {
		add(findings, "DKIM", name, ENGINE_DNS_MISSING,
		    g_strdup_printf("no DKIM key for selector \"%s\": your provider's set-up page "
		                    "names the record to publish",
		                    selector));
		return true;
	}
	const char *p = strstr(key, "p=") + 2;
	if (*p == ';' || *p == '\0')
		add(findings, "DKIM", name, ENGINE_DNS_MISSING,
		    g_strdup("the key is empty (revoked): messages signed with it fail"));
	else
		add(findings, "DKIM", name, ENGINE_DNS_OK, g_strdup("a key is published"));
	return true;
}

GPtrArray *
engine_dns_check_domain(NetDns *dns, const char *domain, const char *dkim_selector, GError **error)
{
	g_autoptr(GPtrArray) findings =
	        g_ptr_array_new_with_free_func((GDestroyNotify)engine_dns_finding_free);
	if (!check_mx(dns, domain, findings, error) || !check_spf(dns, domain, findings, error) ||
	    !check_dmarc(dns, domain, findings, error) ||
	    (dkim_selector != NULL && !check_dkim(dns, domain, dkim_selector, findings, error)))
		return NULL;
	return g_steal_pointer(&findings);
}
