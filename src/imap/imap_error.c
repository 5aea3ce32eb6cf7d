#include "imap/imap_error.h"

GQuark
imap_error_quark(void)
{
	return g_quark_from_static_string("piculet-imap-error");
}
