#include "imap/imap_error.h"

#include "net/net_error.h"

GQuark
imap_error_quark(void)
{
	return g_quark_from_static_string("piculet-imap-error");
}

ImapError
imap_error_code_of_net(const GError *net_error)
{
	if (net_error == NULL || net_error->domain != NET_ERROR)
		return IMAP_ERROR_CONNECT;
	switch ((NetError)net_error->code) {
	case NET_ERROR_TIMEOUT:
		return IMAP_ERROR_TIMEOUT;
	case NET_ERROR_CLOSED:
	case NET_ERROR_IO:
		return IMAP_ERROR_CLOSED;
	case NET_ERROR_LIMIT:
		return IMAP_ERROR_PROTOCOL;
	case NET_ERROR_CERTIFICATE:
		return IMAP_ERROR_CERTIFICATE;
	case NET_ERROR_STOPPED:
		return IMAP_ERROR_STOPPED;
	case NET_ERROR_RESOLVE:
	case NET_ERROR_CONNECT:
	case NET_ERROR_TLS:
		return IMAP_ERROR_CONNECT;
	}
	return IMAP_ERROR_CONNECT;
}
