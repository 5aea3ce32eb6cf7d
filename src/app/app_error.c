#include "app/app_error.h"

GQuark
app_error_quark(void)
{
	return g_quark_from_static_string("piculet-app-error");
}
