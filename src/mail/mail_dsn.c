#include "mail/mail_dsn.h"

#include "mail/mail_headers.h"

#include <string.h>

#define MAX_RECIPIENTS 100

static void
recipient_free(gpointer data)
{
	MailDsnRecipient *recipient = data;
	g_free(recipient->recipient);
	g_free(recipient->action);
	g_free(recipient->status);
	g_free(recipient->diagnostic);
	g_free(recipient->remote_mta);
	g_free(recipient);
}

/* "rfc822; a@b" -> "a@b" (angle brackets and spaces dropped). */
static char *
after_type(const char *value)
{
	const char *semicolon = strchr(value, ';');
	const char *start = semicolon != NULL ? semicolon + 1 : value;
	g_autofree char *copy = g_strstrip(g_strdup(start));
	gsize n = strlen(copy);
	if (n >= 2 && copy[0] == '<' && copy[n - 1] == '>') {
		copy[n - 1] = '\0';
		return g_strdup(copy + 1);
	}
	return g_steal_pointer(&copy);
}

/* A recipient's address from its field: after_type, and a bracket left
 * on one side only dropped too (NTT docomo's "rfc822; a@b>"). */
static char *
address_after_type(const char *value)
{
	char *address = after_type(value);
	gsize n = strlen(address);
	if (n > 0 && address[n - 1] == '>' && strchr(address, '<') == NULL)
		address[n - 1] = '\0';
	if (address[0] == '<' && strchr(address, '>') == NULL)
		memmove(address, address + 1, n);
	return address;
}

/* "rfc822;a@b", "RFC822; a@b": an Internet address, not an X.400 one. */
static bool
is_rfc822_type(const char *value)
{
	const char *p = value + strspn(value, " \t");
	return g_ascii_strncasecmp(p, "rfc822", 6) == 0 && strchr(p, ';') != NULL;
}

/* An ORCPT's xtext (RFC 3461): "+2B" for "+", decoded in place. */
static void
decode_xtext(char *text)
{
	char *out = text;
	for (const char *p = text; *p != '\0'; p++) {
		if (p[0] == '+' && g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2])) {
			char c = (char)(g_ascii_xdigit_value(p[1]) * 16 +
			                g_ascii_xdigit_value(p[2]));
			/* Never a control character or a line end out of it. */
			if (c > ' ' && c != 0x7f) {
				*out++ = c;
				p += 2;
				continue;
			}
		}
		*out++ = *p;
	}
	*out = '\0';
}

static int
leading_reply_code(const char *text)
{
	while (*text == ' ' || *text == '\t')
		text++;
	if ((text[0] == '4' || text[0] == '5') && g_ascii_isdigit(text[1]) &&
	    g_ascii_isdigit(text[2]) && (text[3] == ' ' || text[3] == '-' || text[3] == '\0'))
		return (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
	return 0;
}

static MailDsnRecipient *
recipient_of(const char *block, gsize length)
{
	g_autoptr(MailHeaders) fields = mail_headers_parse(block, length);
	const char *final = mail_headers_get_raw(fields, "Final-Recipient");
	const char *original = mail_headers_get_raw(fields, "Original-Recipient");
	if (final == NULL && original == NULL)
		return NULL;
	/* The Original-Recipient is the address the sender wrote to, before
	 * an alias or a forward made it the Final-Recipient; a Final-Recipient
	 * without an address ("system;<>", CommuniGate Pro's) gives way to it
	 * too. */
	const char *named = final;
	if (named == NULL ||
	    (original != NULL && strchr(original, '@') != NULL && is_rfc822_type(original)))
		named = original;
	MailDsnRecipient *recipient = g_new0(MailDsnRecipient, 1);
	recipient->recipient = address_after_type(named);
	if (named == original)
		decode_xtext(recipient->recipient);
	const char *action = mail_headers_get_raw(fields, "Action");
	if (action != NULL) {
		g_autofree char *trimmed = g_strstrip(g_strdup(action));
		recipient->action = g_ascii_strdown(trimmed, -1);
	}
	const char *status = mail_headers_get_raw(fields, "Status");
	if (status != NULL) {
		/* "5.1.1 (user unknown)" -> "5.1.1" */
		gsize n = strspn(status, "0123456789.");
		recipient->status = g_strndup(status, n);
	}
	const char *diagnostic = mail_headers_get_raw(fields, "Diagnostic-Code");
	if (diagnostic != NULL) {
		recipient->diagnostic = after_type(diagnostic);
		recipient->reply_code = leading_reply_code(recipient->diagnostic);
	}
	const char *mta = mail_headers_get_raw(fields, "Remote-MTA");
	if (mta != NULL)
		recipient->remote_mta = after_type(mta);
	return recipient;
}

static bool
starts_field(const char *line, const char *name)
{
	return g_ascii_strncasecmp(line, name, strlen(name)) == 0;
}

GPtrArray *
mail_dsn_parse(const char *text)
{
	GPtrArray *recipients = g_ptr_array_new_with_free_func(recipient_free);
	const char *p = text;
	/* Blocks are separated by empty lines; the first is per-message, but a
	 * Final-Recipient in it (some servers) is taken as well. A block that
	 * names a second recipient without an empty line before it (AOL's
	 * relay writes them all in one) ends where that recipient begins. */
	while (*p != '\0' && recipients->len < MAX_RECIPIENTS) {
		while (*p == '\n' || *p == '\r')
			p++;
		const char *end = p;
		bool final = false, original = false, action = false;
		for (;;) {
			if (starts_field(end, "Final-Recipient:")) {
				if (final)
					break;
				final = true;
			} else if (starts_field(end, "Original-Recipient:")) {
				if (original || (final && action))
					break;
				original = true;
			} else if (starts_field(end, "Action:")) {
				action = true;
			}
			const char *lf = strchr(end, '\n');
			if (lf == NULL) {
				end += strlen(end);
				break;
			}
			end = lf + 1;
			if (*end == '\n' || (*end == '\r' && end[1] == '\n'))
				break;
		}
		if (end == p)
			break;
		MailDsnRecipient *recipient = recipient_of(p, (gsize)(end - p));
		if (recipient != NULL)
			g_ptr_array_add(recipients, recipient);
		p = end;
	}
	return recipients;
}
