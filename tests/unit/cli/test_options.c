#include "cli/cli_options.h"

static void
test_host_port(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *host = NULL;
	guint16 port = 0;

	g_assert_true(cli_options_parse_host_port("127.0.0.1:2525", 587, &host, &port, &error));
	g_assert_cmpstr(host, ==, "127.0.0.1");
	g_assert_cmpuint(port, ==, 2525);
	g_clear_pointer(&host, g_free);
	g_assert_true(cli_options_parse_host_port("smtp.example.com", 587, &host, &port, &error));
	g_assert_cmpstr(host, ==, "smtp.example.com");
	g_assert_cmpuint(port, ==, 587);
	g_clear_pointer(&host, g_free);
	g_assert_true(cli_options_parse_host_port("[::1]:465", 587, &host, &port, &error));
	g_assert_cmpstr(host, ==, "::1");
	g_assert_cmpuint(port, ==, 465);
	g_clear_pointer(&host, g_free);
	g_assert_true(cli_options_parse_host_port("[::1]", 25, &host, &port, &error));
	g_assert_cmpuint(port, ==, 25);
	g_assert_no_error(error);
}

static void
test_host_port_bad(gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *host = NULL;
	guint16 port = 0;
	g_assert_false(cli_options_parse_host_port(data, 587, &host, &port, &error));
	g_assert_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
	g_assert_null(host);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cli/options/host-port", test_host_port);
	g_test_add_data_func("/cli/options/port-zero-refused", "host:0", test_host_port_bad);
	g_test_add_data_func("/cli/options/port-too-big-refused", "host:70000", test_host_port_bad);
	g_test_add_data_func("/cli/options/bare-ipv6-refused", "::1:25", test_host_port_bad);
	g_test_add_data_func("/cli/options/empty-host-refused", ":25", test_host_port_bad);
	g_test_add_data_func("/cli/options/unclosed-bracket-refused", "[::1:25",
	                     test_host_port_bad);
	return g_test_run();
}
