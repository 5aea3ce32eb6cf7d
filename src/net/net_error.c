#include "net/net_error.h"

GQuark
net_error_quark(void)
{
	return g_quark_from_static_string("piculet-net-error");
}
