/*
 * Fuzz target: time zone names from outside (campaign files, CSV rows,
 * flags). Only names of the IANA shape may reach the zone directory; the
 * zone then loads, or the name is refused with an error, never a GLib
 * critical (which aborts here, see fuzz_fatal.c).
 */
#include "base/base_zone.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *name = g_strndup((const char *)data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(GTimeZone) zone = base_zone_new(name, &error);
	g_assert((zone == NULL) == (error != NULL));
	if (zone != NULL)
		g_assert_true(g_strcmp0(name, "UTC") == 0 || base_zone_name_is_valid(name));
	return 0;
}
