#include "net/net_error.h"

GQuark
net_error_quark(void)
{
	return g_quark_from_static_string("piculet-net-error");
}

int
net_error_code_in(const GError *error, const NetErrorCodes *codes)
{
	if (error == NULL || error->domain != NET_ERROR)
		return codes->connect;
	switch ((NetError)error->code) {
	case NET_ERROR_TIMEOUT:
		return codes->timeout;
	case NET_ERROR_CLOSED:
		return codes->closed;
	case NET_ERROR_IO:
		return codes->io;
	case NET_ERROR_LIMIT:
		return codes->limit;
	case NET_ERROR_CERTIFICATE:
		return codes->certificate;
	case NET_ERROR_STOPPED:
		return codes->stopped;
	case NET_ERROR_RESOLVE:
	case NET_ERROR_CONNECT:
	case NET_ERROR_TLS:
		break;
	}
	return codes->connect;
}
