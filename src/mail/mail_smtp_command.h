/*
 * mail_smtp_command: which SMTP command a remote server's refusal
 * answered, as a bounce's text for people tells it. Postfix writes "(in
 * reply to end of DATA command)", Exim "SMTP error from remote mail server
 * after end of data:", Sendmail and Courier a transcript in which the
 * ">>> DATA" line comes before the "<<< 550 ..." answer. Pure.
 */
#pragma once

typedef enum {
	MAIL_SMTP_COMMAND_UNKNOWN,
	MAIL_SMTP_COMMAND_MAIL_FROM,
	MAIL_SMTP_COMMAND_RCPT_TO,
	MAIL_SMTP_COMMAND_DATA, /* the command or the end of the data */
} MailSmtpCommand;

/* The command after which one recipient was refused: as @paragraph (the
 * report's words about that recipient) names it, else the command line
 * before the line of @report's transcript that gives @answer (that
 * recipient's Diagnostic-Code, "550 Unknown user x@y"). Any may be NULL. */
MailSmtpCommand mail_smtp_command_answered(const char *paragraph, const char *report,
                                           const char *answer);
