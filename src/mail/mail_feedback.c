#include "mail/mail_feedback.h"

#include "mail/mail_private.h"

#include <string.h>

void
mail_feedback_free(MailFeedback *feedback)
{
	if (feedback == NULL)
		return;
	g_free(feedback->type);
	g_free(feedback->recipient);
	g_free(feedback->evidence);
	g_free(feedback);
}

static MailFeedbackKind
kind_of_type(const char *type)
{
	if (strcmp(type, "abuse") == 0 || strcmp(type, "fraud") == 0 || strcmp(type, "virus") == 0)
		return MAIL_FEEDBACK_COMPLAINT;
	if (strcmp(type, "auth-failure") == 0)
		return MAIL_FEEDBACK_AUTH_FAILURE;
	return MAIL_FEEDBACK_OTHER;
}

static bool
read_arf(const MailMessage *message, MailFeedback *feedback)
{
	const char *report = mail_message_get_feedback_report(message);
	const char *type = mail_message_get_report_type(message);
	if (report == NULL && (type == NULL || strstr(type, "feedback-report") == NULL))
		return false;
	g_autoptr(MailHeaders) fields = mail_headers_parse(report != NULL ? report : "",
	                                                   report != NULL ? strlen(report) : 0);
	const char *value = mail_headers_get_raw(fields, "Feedback-Type");
	g_autofree char *feedback_type =
	        g_strstrip(g_ascii_strdown(value != NULL ? value : "abuse", -1));
	feedback->kind = kind_of_type(feedback_type);
	feedback->type = g_steal_pointer(&feedback_type);
	feedback->recipient = mail_headers_dup_address(fields, "Original-Rcpt-To");
	if (feedback->recipient == NULL)
		feedback->recipient = mail_headers_dup_address(fields, "Removal-Recipient");
	const MailHeaders *returned = mail_message_get_returned_headers(message);
	if (feedback->recipient == NULL && returned != NULL)
		feedback->recipient = mail_headers_dup_address(returned, "To");
	feedback->evidence = g_strdup_printf("ARF report: Feedback-Type: %s%s", feedback->type,
	                                     value == NULL ? " (assumed)" : "");
	return true;
}

static bool
has_report_file(const MailMessage *message)
{
	static const char *const types[] = {
	        "application/zip",
	        "application/gzip",
	        "application/x-gzip",
	        "application/x-zip",
	        "application/x-zip-compressed",
	        "text/xml",
	        "application/xml",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(types); i++)
		if (mail_message_has_part_type(message, types[i]))
			return true;
	return false;
}

static bool
read_aggregate(const MailMessage *message, MailFeedback *feedback)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	if (mail_message_has_part_type(message, "application/tlsrpt+gzip") ||
	    mail_message_has_part_type(message, "application/tlsrpt+json") ||
	    mail_headers_get_raw(headers, "TLS-Report-Domain") != NULL) {
		feedback->kind = MAIL_FEEDBACK_AGGREGATE;
		feedback->type = g_strdup("tls-report");
		feedback->evidence = g_strdup("SMTP TLS report (RFC 8460)");
		return true;
	}
	g_autofree char *subject_raw = mail_headers_dup_decoded(headers, "Subject");
	g_autofree char *subject =
	        subject_raw != NULL ? mail_classify_dup_lower(subject_raw, -1) : g_strdup("");
	bool named = strstr(subject, "report domain:") != NULL && strstr(subject, "submitter:");
	bool dmarc = strstr(subject, "dmarc") != NULL && strstr(subject, "report") != NULL;
	if (!(named || dmarc) || !has_report_file(message))
		return false;
	feedback->kind = MAIL_FEEDBACK_AGGREGATE;
	feedback->type = g_strdup("dmarc-aggregate");
	feedback->evidence = g_strdup("DMARC aggregate report (RFC 7489)");
	return true;
}

MailFeedback *
mail_feedback_read(const MailMessage *message)
{
	MailFeedback *feedback = g_new0(MailFeedback, 1);
	if (!read_arf(message, feedback))
		(void)read_aggregate(message, feedback);
	return feedback;
}
