#include "engine/engine_error.h"

GQuark
engine_error_quark(void)
{
	return g_quark_from_static_string("piculet-engine-error");
}
