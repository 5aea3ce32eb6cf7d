#include "engine/engine_freemail.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Sorted (strcmp order) for bsearch; lower case. */
static const char *const providers[] = {
        "aim.com",        "alice.it",       "aol.com",       "aol.de",         "aol.fr",
        "arcor.de",       "bigpond.com",    "bluewin.ch",    "bol.com.br",     "btinternet.com",
        "comcast.net",    "cox.net",        "daum.net",      "email.cz",       "fastmail.com",
        "fastmail.fm",    "free.fr",        "freenet.de",    "gmail.com",      "gmx.at",
        "gmx.ch",         "gmx.com",        "gmx.de",        "gmx.fr",         "gmx.net",
        "googlemail.com", "hanmail.net",    "hey.com",       "hotmail.co.uk",  "hotmail.com",
        "hotmail.de",     "hotmail.es",     "hotmail.fr",    "hotmail.it",     "icloud.com",
        "interia.pl",     "laposte.net",    "libero.it",     "live.co.uk",     "live.com",
        "live.de",        "live.fr",        "mac.com",       "mail.com",       "mail.ru",
        "me.com",         "msn.com",        "naver.com",     "o2.pl",          "onet.pl",
        "orange.fr",      "outlook.com",    "outlook.de",    "outlook.es",     "outlook.fr",
        "pm.me",          "posteo.de",      "proton.me",     "protonmail.com", "qq.com",
        "rambler.ru",     "rocketmail.com", "sbcglobal.net", "seznam.cz",      "sfr.fr",
        "shaw.ca",        "sky.com",        "t-online.de",   "telenet.be",     "terra.com.br",
        "tiscali.it",     "tutanota.com",   "uol.com.br",    "verizon.net",    "virgilio.it",
        "wanadoo.fr",     "web.de",         "wp.pl",         "yahoo.co.jp",    "yahoo.co.uk",
        "yahoo.com",      "yahoo.com.br",   "yahoo.de",      "yahoo.es",       "yahoo.fr",
        "yahoo.it",       "yandex.com",     "yandex.ru",     "ymail.com",      "zoho.com",
};

static int
compare(const void *key, const void *element)
{
	return strcmp(key, *(const char *const *)element);
}

bool
engine_freemail_is_provider(const char *domain)
{
	if (domain == NULL)
		return false;
	if (domain[0] == '@')
		domain++;
	g_autofree char *lower = g_ascii_strdown(domain, -1);
	return bsearch(lower, providers, G_N_ELEMENTS(providers), sizeof providers[0], compare) !=
	       NULL;
}
