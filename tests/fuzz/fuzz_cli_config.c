/*
 * Fuzz target: piculet.conf, a file from outside (an administrator's, or
 * one a package left). It is taken whole or refused with an error that
 * names the file, in printable words; a value taken has the shape its
 * setting wants.
 */
#include "cli/cli_config.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CliConfig) config =
	        cli_config_parse((const char *)data, size, "fuzz.conf", &error);
	g_assert((config == NULL) == (error != NULL));
	if (config == NULL) {
		g_assert_true(g_str_has_prefix(error->message, "fuzz.conf: "));
		for (const char *c = error->message; *c != '\0'; c++)
			g_assert_true((unsigned char)*c >= 0x20 && *c != 0x7f);
		return 0;
	}
	gint64 workers = cli_config_get_number(config, CLI_CONFIG_WORKERS, 4);
	g_assert_cmpint(workers, >=, 1);
	g_assert_cmpint(workers, <=, 64);
	gint64 rate = cli_config_get_number(config, CLI_CONFIG_GUARD_BOUNCE_RATE, 50);
	g_assert_cmpint(rate, >=, 1);
	g_assert_cmpint(rate, <=, 1000);
	const char *database = cli_config_get_value(config, CLI_CONFIG_DATABASE);
	g_assert_true(database == NULL || (database[0] != '\0' && strchr(database, '\n') == NULL));
	return 0;
}
