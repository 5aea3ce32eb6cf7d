#include "smtp/smtp_error.h"

GQuark
smtp_error_quark(void)
{
	return g_quark_from_static_string("piculet-smtp-error");
}
