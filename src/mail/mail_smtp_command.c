#include "mail/mail_smtp_command.h"

#include "mail/mail_private.h"

#include <glib.h>
#include <string.h>

/* The command @text begins with, lower case: "mail from", "rcpt to",
 * "end of data", "data", "." (the end of the data in a transcript). */
static MailSmtpCommand
command_at(const char *text)
{
	text += strspn(text, " \t");
	if (g_str_has_prefix(text, "pipelined "))
		text += strlen("pipelined ");
	if (g_str_has_prefix(text, "mail from"))
		return MAIL_SMTP_COMMAND_MAIL_FROM;
	if (g_str_has_prefix(text, "rcpt to"))
		return MAIL_SMTP_COMMAND_RCPT_TO;
	if (g_str_has_prefix(text, "end of data") || g_str_has_prefix(text, "data") ||
	    (text[0] == '.' && (text[1] == '\0' || g_ascii_isspace(text[1]))))
		return MAIL_SMTP_COMMAND_DATA;
	return MAIL_SMTP_COMMAND_UNKNOWN;
}

/* Postfix's "(in reply to RCPT TO command)", Exim's "SMTP error from
 * remote mail server after end of data:", in lower case @text. */
static MailSmtpCommand
command_named(const char *text)
{
	static const char *const leads[] = {"in reply to ", "mail server after ", "mailer after "};
	for (gsize i = 0; i < G_N_ELEMENTS(leads); i++) {
		const char *at = strstr(text, leads[i]);
		if (at != NULL)
			return command_at(at + strlen(leads[i]));
	}
	return MAIL_SMTP_COMMAND_UNKNOWN;
}

/* The first line of @answer, lower case, white space folded: what its
 * transcript line says after "<<< ". */
static char *
dup_first_line(const char *answer)
{
	gsize n = strcspn(answer, "\r\n");
	g_autofree char *line = g_strndup(answer, n);
	return mail_classify_dup_folded(g_strstrip(line));
}

/* In lower case @transcript, the command of the last ">>> " line before
 * the "<<< " line that gives @line. */
static MailSmtpCommand
command_in_transcript(const char *transcript, const char *line)
{
	if (strlen(line) < 5)
		return MAIL_SMTP_COMMAND_UNKNOWN;
	for (const char *at = strstr(transcript, "<<< "); at != NULL; at = strstr(at + 4, "<<< ")) {
		if (at != transcript && at[-1] != '\n')
			continue;
		g_autofree char *said = dup_first_line(at + 4);
		/* The Diagnostic-Code may join the answer's lines into one. */
		if (strlen(said) < 5 ||
		    !(g_str_has_prefix(said, line) || g_str_has_prefix(line, said)))
			continue;
		MailSmtpCommand command = MAIL_SMTP_COMMAND_UNKNOWN;
		for (const char *sent = strstr(transcript, ">>> "); sent != NULL && sent < at;
		     sent = strstr(sent + 4, ">>> ")) {
			if (sent == transcript || sent[-1] == '\n')
				command = command_at(sent + 4);
		}
		return command;
	}
	return MAIL_SMTP_COMMAND_UNKNOWN;
}

MailSmtpCommand
mail_smtp_command_answered(const char *paragraph, const char *report, const char *answer)
{
	if (paragraph != NULL) {
		g_autofree char *folded = mail_classify_dup_folded(paragraph);
		MailSmtpCommand named = command_named(folded);
		if (named != MAIL_SMTP_COMMAND_UNKNOWN)
			return named;
	}
	if (report == NULL || answer == NULL)
		return MAIL_SMTP_COMMAND_UNKNOWN;
	g_autofree char *line = dup_first_line(answer);
	g_autofree char *transcript = mail_classify_dup_lower(report, -1);
	return command_in_transcript(transcript, line);
}
