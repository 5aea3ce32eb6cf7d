/*
 * engine_dns: what a sender's domain publishes for its mail to be trusted,
 * read and judged for `mailbox check`: MX (replies and bounces need it),
 * SPF (one record, ending in -all or ~all), DMARC (present; p=none is
 * monitoring only) and, for a selector, the DKIM key. Each finding says
 * plainly what is missing or wrong.
 */
#pragma once

#include "net/net_dns.h"

#include <glib.h>

typedef enum {
	ENGINE_DNS_OK,
	ENGINE_DNS_WARNING, /* present but weak or odd */
	ENGINE_DNS_MISSING, /* absent or broken: fix it before sending */
} EngineDnsVerdict;

typedef struct {
	const char *what; /* "MX", "SPF", "DMARC", "DKIM" (static) */
	char *name;       /* the name asked about */
	EngineDnsVerdict verdict;
	char *detail; /* what was found, or what to do */
} EngineDnsFinding;

void engine_dns_finding_free(EngineDnsFinding *finding);

/* The findings for @domain (and DKIM at @dkim_selector, when not NULL), as
 * a new array of EngineDnsFinding; NULL with NET_ERROR when the DNS server
 * could not be asked. */
GPtrArray *engine_dns_check_domain(NetDns *dns, const char *domain, const char *dkim_selector,
                                   GError **error);
