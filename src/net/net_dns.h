/*
 * net_dns: the DNS questions `mailbox check` asks of a sender's domain (MX,
 * and the TXT records of SPF, DMARC and DKIM), through the system's
 * resolver or one server the user names ("127.0.0.1:5353": tests run their
 * own on loopback, since no query may leave the machine). glibc's resolver
 * (res_nquery, ns_parserr) does the wire format; this module only reads the
 * answers it needs, with every length checked.
 *
 * A NetDns is used by one thread at a time. Results are plain data owned
 * by the caller.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct NetDns NetDns;

/* @server: NULL for the system's resolver, else "IPv4[:PORT]" (port 53 when
 * absent). NET_ERROR_RESOLVE when @server is not such an address. */
NetDns *net_dns_new(const char *server, GError **error);
void net_dns_free(NetDns *dns);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NetDns, net_dns_free)

/* One MX record. */
typedef struct {
	uint16_t preference;
	char *host; /* without the final dot */
} NetDnsMx;

void net_dns_mx_free(NetDnsMx *mx);

/* The TXT records of @name, each one's strings joined, as a new array of
 * char * (empty when the name has none or does not exist). NET_ERROR_TIMEOUT
 * when no server answered, NET_ERROR_RESOLVE when one refused. */
GPtrArray *net_dns_query_txt(NetDns *dns, const char *name, GError **error);

/* The MX records of @name by preference, as a new array of NetDnsMx (empty
 * when none). */
GPtrArray *net_dns_query_mx(NetDns *dns, const char *name, GError **error);

/* The same from a raw answer (tests, fuzzing): never fails, takes only
 * what parses. */
GPtrArray *net_dns_parse_txt(const unsigned char *answer, gsize length);
GPtrArray *net_dns_parse_mx(const unsigned char *answer, gsize length);
