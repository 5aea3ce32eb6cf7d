/*
 * Public mailbox providers are not companies: the company policy must not
 * treat two strangers at gmail.com as colleagues.
 */
#include "engine/engine_freemail.h"

#include <glib.h>

static void
test_providers(void)
{
	const char *providers[] = {"gmail.com", "GMAIL.COM", "@outlook.com", "yahoo.com",
	                           "gmx.de",    "web.de",    "icloud.com",   "t-online.de"};
	for (gsize i = 0; i < G_N_ELEMENTS(providers); i++)
		g_assert_true(engine_freemail_is_provider(providers[i]));
}

static void
test_companies(void)
{
	const char *companies[] = {"acme.test", "gmail.com.evil.test", "mail.acme.com", "", NULL};
	for (gsize i = 0; i < G_N_ELEMENTS(companies); i++)
		g_assert_false(engine_freemail_is_provider(companies[i]));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/freemail/providers-are-not-companies", test_providers);
	g_test_add_func("/engine/freemail/company-domains-are", test_companies);
	return g_test_run();
}
