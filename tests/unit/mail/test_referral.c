/*
 * Whom a text refers us to: an address written plainly or hidden the way
 * people hide them from harvesters, never the writer's own, and never a
 * preposition and a website read as an address ("look at prospect.com").
 */
#include "mail/mail_referral.h"

#include <glib.h>

typedef struct {
	const char *text;
	const char *sender;
	const char *want;
} Case;

static const Case cases[] = {
        {"Please write to maria@prospect.test instead.", NULL, "maria@prospect.test"},
        {"Write to maria@prospect.test.", NULL, "maria@prospect.test"},
        /* the writer's own address is no referral; the next one is */
        {"I am carol@prospect.test, ask dan@prospect.test", "carol@prospect.test",
         "dan@prospect.test"},
        {"Reach me at carol@prospect.test", "Carol@Prospect.test", NULL},
        /* hidden in brackets, dots plain or hidden */
        {"Bitte wenden Sie sich an maria(at)prospect.de.", NULL, "maria@prospect.de"},
        {"Contact maria [at] prospect [dot] test for this.", NULL, "maria@prospect.test"},
        {"contact m.lopez[at]prospect-labs[dot]co[dot]uk", NULL, "m.lopez@prospect-labs.co.uk"},
        {"écrivez à maria {at} prospect (dot) fr", NULL, "maria@prospect.fr"},
        {"maria [AT] prospect [DOT] test", NULL, "maria@prospect.test"},
        {"maria @ prospect.test handles this", NULL, "maria@prospect.test"},
        /* spelled, in several languages, with a dot spelled too */
        {"Please email maria at prospect dot test.", NULL, "maria@prospect.test"},
        {"Escríbale a maria arroba prospect punto es", NULL, "maria@prospect.es"},
        {"écrivez à maria arobase prospect point fr", NULL, "maria@prospect.fr"},
        {"scrivete a maria chiocciola prospect punto it", NULL, "maria@prospect.it"},
        {"MARIA AT PROSPECT DOT TEST", NULL, "MARIA@PROSPECT.TEST"},
        /* a preposition and a website, or a spelled "at" with plain dots */
        {"Have a look at prospect.com first.", NULL, NULL},
        {"We are at prospect dot com now.", NULL, NULL},
        {"Maria at prospect.test knows more.", NULL, NULL},
        {"Meet at noon dot", NULL, NULL},
        {"See you @ 10am tomorrow.", NULL, NULL},
        {"Seen at the show (at) booth 4.", NULL, NULL},
        /* no top-level domain, or none at all */
        {"Write to maria [at] prospect", NULL, NULL},
        {"maria [at] prospect [dot] 42", NULL, NULL},
        {"(at)", NULL, NULL},
        {"", NULL, NULL},
        {"@", NULL, NULL},
        {" at ", NULL, NULL},
        {"x [at] y [dot]", NULL, NULL},
};

static void
test_find(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = mail_referral_find(cases[i].text, cases[i].sender);
		if (g_strcmp0(got, cases[i].want) != 0)
			g_test_message("case %" G_GSIZE_FORMAT " \"%s\": got %s, want %s", i,
			               cases[i].text, got ? got : "none",
			               cases[i].want ? cases[i].want : "none");
		g_assert_cmpstr(got, ==, cases[i].want);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/referral/find", test_find);
	return g_test_run();
}
