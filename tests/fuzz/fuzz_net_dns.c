/*
 * Fuzz target: a DNS answer as the resolver hands it back. Whatever the
 * bytes, the TXT and MX readers return plain data (printable text, names
 * within bounds) and never read past the answer.
 */
#include "net/net_dns.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) txt = net_dns_parse_txt(data, size);
	for (guint i = 0; i < txt->len; i++)
		g_assert(g_utf8_validate(txt->pdata[i], -1, NULL));
	g_autoptr(GPtrArray) mx = net_dns_parse_mx(data, size);
	for (guint i = 0; i < mx->len; i++) {
		const NetDnsMx *record = mx->pdata[i];
		g_assert(record->host != NULL && strlen(record->host) <= 1025);
	}
	return 0;
}
