/*
 * Time zone names from outside: IANA names are taken, paths and files
 * that are not zones are refused before GLib reads them (a path used to
 * deadlock an import).
 */
#include "base/base_error.h"
#include "base/base_zone.h"

static void
test_iana_names_accepted(void)
{
	const char *names[] = {
	        "UTC",       "Europe/Berlin", "America/New_York", "America/Argentina/Buenos_Aires",
	        "Etc/GMT+5", "Asia/Kolkata"};
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GTimeZone) zone = base_zone_new(names[i], &error);
		g_assert_no_error(error);
		g_assert_nonnull(zone);
	}
}

static void
test_paths_and_non_zones_refused(void)
{
	const char *names[] = {"/etc/passwd",
	                       "../../etc/passwd",
	                       "Europe/../../etc/passwd",
	                       "Europe//Berlin",
	                       "Europe/Berlin/",
	                       "zone.tab",
	                       "iso3166.tab",
	                       "leapseconds",
	                       "Europe/Berlin\n",
	                       "Europe/Bärlin",
	                       "",
	                       "+0100",
	                       "Nowhere/Atlantis",
	                       "Europe"};
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GTimeZone) zone = base_zone_new(names[i], &error);
		g_assert_null(zone);
		g_assert_error(error, BASE_ERROR, BASE_ERROR_INVALID);
	}
}

static void
test_shape(void)
{
	g_assert_true(base_zone_name_is_valid("Europe/Berlin"));
	g_assert_false(base_zone_name_is_valid("/etc/passwd"));
	g_assert_false(base_zone_name_is_valid(".."));
	g_assert_false(base_zone_name_is_valid("a/./b"));
	g_assert_false(base_zone_name_is_valid(NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/base/zone/iana-names-accepted", test_iana_names_accepted);
	g_test_add_func("/base/zone/paths-and-non-zones-refused", test_paths_and_non_zones_refused);
	g_test_add_func("/base/zone/shape", test_shape);
	return g_test_run();
}
