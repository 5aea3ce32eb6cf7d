#include "smtp/smtp_ehlo.h"

#include <string.h>

static unsigned
mechanism_bit(const char *name)
{
	if (g_ascii_strcasecmp(name, "PLAIN") == 0)
		return SMTP_AUTH_PLAIN;
	if (g_ascii_strcasecmp(name, "LOGIN") == 0)
		return SMTP_AUTH_LOGIN;
	if (g_ascii_strcasecmp(name, "XOAUTH2") == 0)
		return SMTP_AUTH_XOAUTH2;
	if (g_ascii_strcasecmp(name, "OAUTHBEARER") == 0)
		return SMTP_AUTH_OAUTHBEARER;
	return 0;
}

const char *
smtp_ehlo_mechanism_name(SmtpAuthMechanism mechanism)
{
	switch (mechanism) {
	case SMTP_AUTH_PLAIN:
		return "PLAIN";
	case SMTP_AUTH_LOGIN:
		return "LOGIN";
	case SMTP_AUTH_XOAUTH2:
		return "XOAUTH2";
	case SMTP_AUTH_OAUTHBEARER:
		return "OAUTHBEARER";
	}
	return "?";
}

static void
parse_line(const char *line, SmtpCapabilities *caps)
{
	g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
	if (words[0] == NULL || words[0][0] == '\0')
		return;
	const char *keyword = words[0];

	if (g_ascii_strcasecmp(keyword, "STARTTLS") == 0) {
		caps->starttls = true;
	} else if (g_ascii_strcasecmp(keyword, "PIPELINING") == 0) {
		caps->pipelining = true;
	} else if (g_ascii_strcasecmp(keyword, "8BITMIME") == 0) {
		caps->eightbitmime = true;
	} else if (g_ascii_strcasecmp(keyword, "SMTPUTF8") == 0) {
		caps->smtputf8 = true;
	} else if (g_ascii_strcasecmp(keyword, "ENHANCEDSTATUSCODES") == 0) {
		caps->enhanced_status = true;
	} else if (g_ascii_strcasecmp(keyword, "DSN") == 0) {
		caps->dsn = true;
	} else if (g_ascii_strcasecmp(keyword, "CHUNKING") == 0) {
		caps->chunking = true;
	} else if (g_ascii_strcasecmp(keyword, "SIZE") == 0) {
		guint64 size = 0;
		caps->size_declared = true;
		/* A missing or unreadable number means no announced limit. */
		if (words[1] != NULL &&
		    g_ascii_string_to_unsigned(words[1], 10, 0, G_MAXUINT64, &size, NULL))
			caps->size_max_bytes = size;
	} else if (g_ascii_strcasecmp(keyword, "AUTH") == 0) {
		for (char **w = words + 1; *w != NULL; w++)
			caps->auth_mechanisms |= mechanism_bit(*w);
	} else if (g_ascii_strncasecmp(keyword, "AUTH=", 5) == 0) {
		/* The pre-RFC 4954 form some servers still send beside AUTH. */
		caps->auth_mechanisms |= mechanism_bit(keyword + 5);
		for (char **w = words + 1; *w != NULL; w++)
			caps->auth_mechanisms |= mechanism_bit(*w);
	}
}

void
smtp_ehlo_parse(const SmtpReply *reply, SmtpCapabilities *capabilities)
{
	memset(capabilities, 0, sizeof *capabilities);
	if (reply->code != 250)
		return;
	capabilities->esmtp = true;
	/* The first line is the server's name and greeting, not a keyword. */
	for (guint i = 1; i < reply->lines->len; i++)
		parse_line(reply->lines->pdata[i], capabilities);
}
