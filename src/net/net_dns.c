#include "net/net_dns.h"

#include "base/base_error.h"
#include "net/net_error.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

/* An answer larger than this is not one `mailbox check` needs. */
#define ANSWER_BYTES 8192

struct NetDns {
	struct __res_state state;
};

NetDns *
net_dns_new(const char *server, GError **error)
{
	NetDns *dns = g_new0(NetDns, 1);
	if (res_ninit(&dns->state) != 0) {
		g_set_error_literal(error, NET_ERROR, NET_ERROR_RESOLVE,
		                    "DNS: the resolver could not be set up");
		g_free(dns);
		return NULL;
	}
	dns->state.retrans = 2;
	dns->state.retry = 2;
	if (server == NULL)
		return dns;
	g_autofree char *host = g_strdup(server);
	guint64 port = 53;
	char *colon = strrchr(host, ':');
	if (colon != NULL) {
		*colon = '\0';
		if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &port, NULL))
			port = 0;
	}
	struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (port == 0 || inet_pton(AF_INET, host, &address.sin_addr) != 1) {
		g_set_error(error, NET_ERROR, NET_ERROR_RESOLVE,
		            "DNS server \"%s\": expected an IPv4 address and an optional port, "
		            "like 127.0.0.1:5353",
		            server);
		net_dns_free(dns);
		return NULL;
	}
	dns->state.nscount = 1;
	dns->state.nsaddr_list[0] = address;
	return dns;
}

void
net_dns_free(NetDns *dns)
{
	if (dns == NULL)
		return;
	res_nclose(&dns->state);
	g_free(dns);
}

void
net_dns_mx_free(NetDnsMx *mx)
{
	if (mx == NULL)
		return;
	g_free(mx->host);
	g_free(mx);
}

/* Asks; *@length 0 means "no such data" (not an error). */
static bool
query(NetDns *dns, const char *name, int type, unsigned char *answer, int *length, GError **error)
{
	*length = res_nquery(&dns->state, name, ns_c_in, type, answer, ANSWER_BYTES);
	if (*length >= 0)
		return true;
	switch (dns->state.res_h_errno) {
	case HOST_NOT_FOUND:
	case NO_DATA:
		*length = 0;
		return true;
	case TRY_AGAIN:
		g_set_error(error, NET_ERROR, NET_ERROR_TIMEOUT,
		            "DNS: no answer for %s (the server did not reply in time)", name);
		return false;
	default:
		g_set_error(error, NET_ERROR, NET_ERROR_RESOLVE, "DNS: the server refused %s",
		            name);
		return false;
	}
}

GPtrArray *
net_dns_parse_txt(const unsigned char *answer, gsize length)
{
	GPtrArray *records = g_ptr_array_new_with_free_func(g_free);
	ns_msg message;
	if (length == 0 || length > ANSWER_BYTES ||
	    ns_initparse(answer, (int)length, &message) != 0)
		return records;
	int count = ns_msg_count(message, ns_s_an);
	for (int i = 0; i < count; i++) {
		ns_rr rr;
		if (ns_parserr(&message, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_txt)
			continue;
		const unsigned char *data = ns_rr_rdata(rr);
		gsize size = ns_rr_rdlen(rr);
		GString *text = g_string_new(NULL);
		/* <length><bytes>, repeated; a length past the end ends it. */
		for (gsize at = 0; at < size;) {
			gsize piece = data[at];
			if (at + 1 + piece > size)
				break;
			g_string_append_len(text, (const char *)data + at + 1, (gssize)piece);
			at += 1 + piece;
		}
		g_ptr_array_add(records,
		                base_error_printable_dup(text->str, (gssize)text->len, 4096));
		g_string_free(text, TRUE);
	}
	return records;
}

GPtrArray *
net_dns_query_txt(NetDns *dns, const char *name, GError **error)
{
	unsigned char answer[ANSWER_BYTES];
	int length = 0;
	if (!query(dns, name, ns_t_txt, answer, &length, error))
		return NULL;
	return net_dns_parse_txt(answer, (gsize)length);
}

static gint
by_preference(gconstpointer a, gconstpointer b)
{
	const NetDnsMx *x = *(NetDnsMx *const *)a;
	const NetDnsMx *y = *(NetDnsMx *const *)b;
	return (int)x->preference - (int)y->preference;
}

GPtrArray *
net_dns_parse_mx(const unsigned char *answer, gsize length)
{
	GPtrArray *records = g_ptr_array_new_with_free_func((GDestroyNotify)net_dns_mx_free);
	ns_msg message;
	if (length == 0 || length > ANSWER_BYTES ||
	    ns_initparse(answer, (int)length, &message) != 0)
		return records;
	int count = ns_msg_count(message, ns_s_an);
	for (int i = 0; i < count; i++) {
		ns_rr rr;
		if (ns_parserr(&message, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_mx ||
		    ns_rr_rdlen(rr) < 3)
			continue;
		char host[NS_MAXDNAME];
		if (ns_name_uncompress(ns_msg_base(message), ns_msg_end(message),
		                       ns_rr_rdata(rr) + 2, host, sizeof host) < 0)
			continue;
		NetDnsMx *mx = g_new0(NetDnsMx, 1);
		mx->preference = ns_get16(ns_rr_rdata(rr));
		mx->host = base_error_printable_dup(host, -1, 255);
		g_ptr_array_add(records, mx);
	}
	g_ptr_array_sort(records, by_preference);
	return records;
}

GPtrArray *
net_dns_query_mx(NetDns *dns, const char *name, GError **error)
{
	unsigned char answer[ANSWER_BYTES];
	int length = 0;
	if (!query(dns, name, ns_t_mx, answer, &length, error))
		return NULL;
	return net_dns_parse_mx(answer, (gsize)length);
}
