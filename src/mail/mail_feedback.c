#include "mail/mail_feedback.h"

#include "mail/mail_private.h"
#include "mail/mail_reply_text.h"
#include "mail/mail_ses.h"

#include <string.h>

/* How much of a message's start is searched for complaint words. */
#define COMPLAINT_HEAD_BYTES 1024
/* How far into a report's text a copy of our message written into it
 * may start: after a preamble of a few paragraphs. */
#define COPY_START_BYTES 4096

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
	/* RFC 5965's, and the words some loops write instead ("complaint",
	 * "spam"; the ARF drafts' "opt-out": the person asks to stop) */
	static const char *const complaints[] = {"abuse", "fraud",   "virus",       "complaint",
	                                         "spam",  "opt-out", "opt-out-list"};
	for (gsize i = 0; i < G_N_ELEMENTS(complaints); i++)
		if (strcmp(type, complaints[i]) == 0)
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
	g_autofree char *subject_raw = mail_classify_dup_subject(headers);
	g_autofree char *subject =
	        subject_raw != NULL ? mail_classify_dup_lower(subject_raw, -1) : g_strdup("");
	bool named = strstr(subject, "report domain:") != NULL && strstr(subject, "submitter:");
	bool dmarc = strstr(subject, "dmarc") != NULL && strstr(subject, "report") != NULL;
	if (!(named || dmarc))
		return false;
	/* RFC 7489's subject with its Report-ID is no one's words but a
	 * reporter's, whatever type its file is given ("application/
	 * octet-stream" for an .xml.gz). */
	bool file = has_report_file(message) ||
	            (named && mail_message_has_part_type(message, "application/octet-stream"));
	if (!file && !(named && strstr(subject, "report-id:") != NULL))
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
        "abuse report",
        "spam report",
        "spam complaint",
        "complaint about",
        "marked as spam",
        "marked as junk",
        "reported as spam",
        "reported as junk",
        "junk mail report",
        "feedback loop",
        "marked this message as",
        /* SpamCop's, over the copy it writes into its text */
        "offending message",
        "spamcop",
        "unsolicited commercial",
        "unsolicited bulk",
};

/* What a DMARC failure report says when it comes without ARF: in the
 * subject or the first lines, beside a copy of the message that failed. */
static const char *const failure_words[] = {
        "dmarc failure",
        "dmarc forensic",
        "forensic report",
        "authentication failure report",
        "failed dmarc",
        "failed the dmarc",
        "failed the published dmarc",
};

/* The subject and the start of the text, folded: where a report without
 * a structure says what it is. */
static char *
dup_head_folded(const MailMessage *message)
{
	g_autofree char *subject = mail_classify_dup_subject(mail_message_get_headers(message));
	const char *text = mail_message_get_text(message);
	g_autofree char *head =
	        g_strconcat(subject != NULL ? subject : "", "\n", text != NULL ? text : "", NULL);
	gsize length = strlen(head);
	if (length > COMPLAINT_HEAD_BYTES) {
		/* Cut on a character's first byte. */
		length = COMPLAINT_HEAD_BYTES;
		while (length > 0 && ((unsigned char)head[length] & 0xC0) == 0x80)
			length--;
		head[length] = '\0';
	}
	return mail_classify_dup_folded(head);
}

/* Fields that open a message's header block and no one writes in prose. */
static const char *const copy_starts[] = {
        "Return-Path:", "Received:", "Message-ID:", "DKIM-Signature:", "Delivered-To:",
};

/* Whether @line (up to its end) reads "Name: value": a header field. */
static bool
is_field_line(const char *line)
{
	const char *p = line;
	while (g_ascii_isalnum(*p) || *p == '-')
		p++;
	return p > line && p[0] == ':' && (p[1] == ' ' || p[1] == '\t');
}

/* The first line of the header block that @line is in: the lines right
 * above it that are fields too, with no blank line between. */
static const char *
block_start(const char *text, const char *line)
{
	const char *start = line;
	while (start > text) {
		const char *previous = start - 1; /* the '\n' ending the line above */
		while (previous > text && previous[-1] != '\n')
			previous--;
		if (!is_field_line(previous))
			break;
		start = previous;
	}
	return start;
}

/* The headers of a copy of a message written into @text rather than
 * attached (SpamCop's "[ Offending message ]"): from a line that opens a
 * header block to the blank line after it, with a From; NULL when none. */
static MailHeaders *
inline_copy(const char *text)
{
	for (const char *line = text; line != NULL && *line != '\0';) {
		if ((gsize)(line - text) > COPY_START_BYTES)
			return NULL;
		char first = g_ascii_toupper(*line);
		for (gsize i = 0; i < G_N_ELEMENTS(copy_starts); i++) {
			if (first != copy_starts[i][0] ||
			    g_ascii_strncasecmp(line, copy_starts[i], strlen(copy_starts[i])) != 0)
				continue;
			/* The block may start above: "From:", "To:" before its
			 * "Message-ID:" under an abuse desk's "----- Original
			 * message -----". */
			const char *start = block_start(text, line);
			const char *end = strstr(line, "\n\n");
			gsize length = end != NULL ? (gsize)(end - start) + 1 : strlen(start);
			g_autoptr(MailHeaders) headers = mail_headers_parse(start, length);
			if (headers == NULL || mail_headers_get_raw(headers, "From") == NULL)
				return NULL;
			return g_steal_pointer(&headers);
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return NULL;
}

/* The first Message-ID of @copy (without its brackets), or NULL. */
static char *
dup_first_message_id(const MailHeaders *copy)
{
	g_autoptr(GPtrArray) ids = mail_headers_dup_message_ids(copy, "Message-ID");
	return ids->len > 0 ? g_strdup(ids->pdata[0]) : NULL;
}

/* A report without ARF: X-ARF (the German abuse reporting format, an
 * "X-ARF: yes" field) or complaint words, and a DMARC failure report in
 * words, each beside a copy of our message, attached or written into the
 * text. The copy's Message-ID names our message when it is not attached. */
static bool
read_plain_report(const MailMessage *message, MailFeedback *feedback)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	const MailHeaders *returned = mail_message_get_returned_headers(message);
	const char *x_arf = mail_headers_get_raw(headers, "X-ARF");
	g_autofree char *x_arf_value = x_arf != NULL ? g_strstrip(g_strdup(x_arf)) : NULL;
	bool structured = x_arf_value != NULL && g_ascii_strncasecmp(x_arf_value, "yes", 3) == 0;
	g_autoptr(MailHeaders) written = NULL;
	if (returned == NULL && mail_message_get_text(message) != NULL) {
		written = inline_copy(mail_message_get_text(message));
		returned = written;
	}
	bool failure = false;
	if (!structured) {
		if (returned == NULL)
			return false;
		g_autofree char *folded = dup_head_folded(message);
		failure = mail_classify_has_any(folded, failure_words, G_N_ELEMENTS(failure_words));
		if (!failure &&
		    !mail_classify_has_any(folded, complaint_words, G_N_ELEMENTS(complaint_words)))
			return false;
	}
	feedback->kind = failure ? MAIL_FEEDBACK_AUTH_FAILURE : MAIL_FEEDBACK_COMPLAINT;
	feedback->type = g_strdup(failure ? "auth-failure" : "abuse");
	if (returned != NULL)
		feedback->recipient = mail_headers_dup_address(returned, "To");
	if (written != NULL)
		feedback->about_message_id = dup_first_message_id(written);
	feedback->evidence =
	        g_strdup(structured ? "X-ARF abuse report"
	                 : failure  ? "a DMARC failure report beside a copy of our message"
	                            : "a complaint beside a copy of our message");
	return true;
}

/* An Amazon SES complaint published to a mailbox (mail_ses). */
static bool
read_ses_complaint(const MailMessage *message, MailFeedback *feedback)
{
	g_autoptr(MailSesNotification) notification = mail_ses_notification_read(
	        mail_reply_text_after_banners(mail_message_get_text(message)));
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
		(void)read_plain_report(message, feedback);
	return feedback;
}
