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
	static const NetErrorCodes codes = {
	        .connect = IMAP_ERROR_CONNECT,
	        .timeout = IMAP_ERROR_TIMEOUT,
	        .closed = IMAP_ERROR_CLOSED,
	        .io = IMAP_ERROR_CLOSED,
	        .limit = IMAP_ERROR_PROTOCOL,
	        .certificate = IMAP_ERROR_CERTIFICATE,
	        .stopped = IMAP_ERROR_STOPPED,
	};
	return (ImapError)net_error_code_in(net_error, &codes);
}
