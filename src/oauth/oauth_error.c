#include "oauth/oauth_error.h"

GQuark
oauth_error_quark(void)
{
	return g_quark_from_static_string("piculet-oauth-error");
}
