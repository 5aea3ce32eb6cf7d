#include "mail/mail_error.h"

GQuark
mail_error_quark(void)
{
	return g_quark_from_static_string("piculet-mail-error");
}
