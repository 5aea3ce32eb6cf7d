#include "mail/mail_feedback.h"

#include "mail/mail_private.h"
#include "mail/mail_ses.h"

#include <string.h>

/* How much of a message's start is searched for complaint words. */
#define COMPLAINT_HEAD_BYTES 1024

void
mail_feedback_free(MailFeedback *feedback)
{
	if (feedback == NULL)
		return;
	g_free(feedback->type);
	g_free(feedback->recipient);
	g_free(feedback->evidence);
	g_free(feedback->about_message_id);
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

/* What an abuse desk or a feedback loop writes when it sends a complaint
 * without ARF: in the subject or the first lines, beside a copy of our
 * message. */
static const char *const complaint_words[] = {
        "abuse report",     "spam report",    "spam complaint",         "complaint about",
        "marked as spam",   "marked as junk", "reported as spam",       "reported as junk",
        "junk mail report", "feedback loop",  "marked this message as",
};

/* A complaint without ARF: X-ARF (the German abuse reporting format, an
 * "X-ARF: yes" field), or complaint words beside a copy of our message. */
static bool
read_plain_complaint(const MailMessage *message, MailFeedback *feedback)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	const MailHeaders *returned = mail_message_get_returned_headers(message);
	const char *x_arf = mail_headers_get_raw(headers, "X-ARF");
	g_autofree char *x_arf_value = x_arf != NULL ? g_strstrip(g_strdup(x_arf)) : NULL;
	bool structured = x_arf_value != NULL && g_ascii_strncasecmp(x_arf_value, "yes", 3) == 0;
	if (!structured) {
		if (returned == NULL)
			return false;
		g_autofree char *subject_raw = mail_headers_dup_decoded(headers, "Subject");
		const char *text = mail_message_get_text(message);
		g_autofree char *head = g_strconcat(subject_raw != NULL ? subject_raw : "", "\n",
		                                    text != NULL ? text : "", NULL);
		gsize length = strlen(head);
		if (length > COMPLAINT_HEAD_BYTES) {
			/* Cut on a character's first byte. */
			length = COMPLAINT_HEAD_BYTES;
			while (length > 0 && ((unsigned char)head[length] & 0xC0) == 0x80)
				length--;
			head[length] = '\0';
		}
		g_autofree char *folded = mail_classify_dup_folded(head);
		if (!mail_classify_has_any(folded, complaint_words, G_N_ELEMENTS(complaint_words)))
			return false;
	}
	feedback->kind = MAIL_FEEDBACK_COMPLAINT;
	feedback->type = g_strdup("abuse");
	if (returned != NULL)
		feedback->recipient = mail_headers_dup_address(returned, "To");
	feedback->evidence = g_strdup(structured ? "X-ARF abuse report"
	                                         : "a complaint beside a copy of our message");
	return true;
}

/* An Amazon SES complaint published to a mailbox (mail_ses). */
static bool
read_ses_complaint(const MailMessage *message, MailFeedback *feedback)
{
	g_autoptr(MailSesNotification) notification =
	        mail_ses_notification_read(mail_message_get_text(message));
	if (notification == NULL || notification->kind != MAIL_SES_COMPLAINT)
		return false;
	feedback->kind = MAIL_FEEDBACK_COMPLAINT;
	feedback->type = g_strdup(notification->feedback_type != NULL ? notification->feedback_type
	                                                              : "abuse");
	if (notification->recipients->len > 0) {
		const MailSesRecipient *first = notification->recipients->pdata[0];
		feedback->recipient = g_strdup(first->address);
	}
	feedback->evidence = g_strdup("Amazon SES notification: complaint");
	feedback->about_message_id = g_strdup(notification->message_id);
	return true;
}

MailFeedback *
mail_feedback_read(const MailMessage *message)
{
	MailFeedback *feedback = g_new0(MailFeedback, 1);
	if (!read_arf(message, feedback) && !read_aggregate(message, feedback) &&
	    !read_ses_complaint(message, feedback))
		(void)read_plain_complaint(message, feedback);
	return feedback;
}
