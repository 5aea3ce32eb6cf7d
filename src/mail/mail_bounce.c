#include "mail/mail_bounce.h"

#include "mail/mail_bounce_words.h"
#include "mail/mail_dsn.h"
#include "mail/mail_private.h"
#include "mail/mail_reply_text.h"
#include "mail/mail_ses.h"

#include <string.h>

#define MAX_RECIPIENTS 100

static void
recipient_free(gpointer data)
{
	MailBounceRecipient *recipient = data;
	g_free(recipient->address);
	g_free(recipient->status);
	g_free(recipient);
}

void
mail_bounce_free(MailBounce *bounce)
{
	if (bounce == NULL)
		return;
	g_ptr_array_unref(bounce->recipients);
	g_free(bounce->evidence);
	g_free(bounce->about_message_id);
	g_free(bounce);
}

/* Where a returned message begins in a bounce's text: what follows is
 * ours, not the report. */
static const char *const returned_markers[] = {
        "below this line is a copy of the message",
        "original message follows",
        "this is a copy of the message",
        "copy of the original message",
        "the header of the original message",
        "the header from the original message",
        "original message headers",
        "----- original message -----",
        "unsent message follows",
        "unsent message below",
        "start of returned message",
        "returned mail --",
        "original message as received",
        "old message:\n",
        "------ this is a copy",
        "--- below is a copy",
        "\nreturn-path:",
        "\nreceived:",
        "\nmessage-id:",
        "\nfrom:",
        "\nsubject:",
};

/* A line that quotes a server's refusal: "550 - Requested action not
 * taken", "<<< 554 5.7.1 ...", "  452 mailbox full". */
static bool
has_smtp_error_line(const char *text)
{
	const char *line = text;
	while (line != NULL && *line != '\0') {
		const char *p = line + strspn(line, " \t<");
		if ((p[0] == '4' || p[0] == '5') && g_ascii_isdigit(p[1]) &&
		    g_ascii_isdigit(p[2]) && (p[3] == ' ' || p[3] == '-')) {
			const char *rest = p + 4 + strspn(p + 4, " -");
			if (g_ascii_isalpha(rest[0]) || g_ascii_isdigit(rest[0]) || rest[0] == '<')
				return true;
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return false;
}

static bool
is_daemon(const char *from)
{
	return from != NULL && mail_word_list_in(&mail_bounce_daemon_senders, from);
}

static bool
null_sender(const MailMessage *message)
{
	const char *value = mail_headers_get_raw(mail_message_get_headers(message), "Return-Path");
	if (value == NULL)
		return false;
	g_autofree char *path = g_strstrip(g_ascii_strdown(value, -1));
	return strcmp(path, "<>") == 0 || g_str_has_prefix(path, "<mailer-daemon");
}

/* The report part of @head: cut where the returned message starts. */
static char *
report_text(const char *head)
{
	gsize end = strlen(head);
	for (gsize i = 0; i < G_N_ELEMENTS(returned_markers); i++) {
		const char *at = strstr(head, returned_markers[i]);
		/* A "From:" or "Subject:" line near the top is the report's
		 * own summary (Exchange writes them), not the copy. */
		if (at != NULL && (gsize)(at - head) < end &&
		    (returned_markers[i][0] != '\n' || at - head > 200))
			end = (gsize)(at - head);
	}
	return g_strndup(head, end);
}

/* The headers of a copy of our message written into a bounce's text
 * (qmail's "--- Below this line is a copy of the message.", Sendmail's
 * "----- Unsent message follows -----"), when no MIME part holds one; NULL
 * when there is none or what follows is no header block. */
static MailHeaders *
inline_returned_headers(const char *head)
{
	g_autofree char *report = report_text(head);
	const char *at = head + strlen(report);
	if (*at == '\0')
		return NULL;
	/* A marker in words ends its line; a header marker starts the block. */
	if (at[0] != '\n') {
		at = strchr(at, '\n');
		if (at == NULL)
			return NULL;
	}
	while (*at == '\n' || *at == '\r' || *at == ' ' || *at == '\t')
		at++;
	const char *end = strstr(at, "\n\n");
	gsize length = end != NULL ? (gsize)(end - at) + 1 : strlen(at);
	g_autoptr(MailHeaders) headers = mail_headers_parse(at, length);
	if (headers == NULL || (mail_headers_get_raw(headers, "To") == NULL &&
	                        mail_headers_get_raw(headers, "Message-ID") == NULL))
		return NULL;
	return g_steal_pointer(&headers);
}

static bool
copies_inline(const char *head)
{
	g_autoptr(MailHeaders) copy = inline_returned_headers(head);
	return copy != NULL;
}

/* The first "d.d.d" status in @text with a class of 4 or 5. */
static char *
find_status(const char *text, const char *end)
{
	for (const char *p = text; p < end && *p != '\0'; p++) {
		if ((*p != '4' && *p != '5') || p[1] != '.' ||
		    (p > text && (g_ascii_isalnum(p[-1]) || p[-1] == '.')))
			continue;
		int klass, subject, detail;
		if (mail_reason_parse_status(p, &klass, &subject, &detail))
			return g_strdup_printf("%d.%d.%d", klass, subject, detail);
	}
	return NULL;
}

/* The first SMTP reply code ("550 ", "550-", "550 5.1.1", "#550") in @text. */
static int
find_reply_code(const char *text, const char *end)
{
	for (const char *p = text; p + 3 < end && *p != '\0'; p++) {
		if ((*p == '4' || *p == '5') && p[1] >= '0' && p[1] <= '5' &&
		    g_ascii_isdigit(p[2]) && (p[3] == ' ' || p[3] == '-' || p[3] == ':') &&
		    (p == text || !(g_ascii_isalnum(p[-1]) || p[-1] == '.' || p[-1] == ':')) &&
		    (p[3] != ':' || p[4] == ' '))
			return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	}
	return 0;
}

static bool
address_char(char c)
{
	return g_ascii_isalnum(c) || strchr("._%+-=", c) != NULL;
}

/* Where the local part that ends at @at begins: address characters,
 * letters of any script (RFC 6531: "josé@"), or a quoted string ("\"john
 * doe\"@"). */
static const char *
local_part_start(const char *text, const char *at)
{
	if (at > text && at[-1] == '"') {
		const char *open = at - 1;
		while (open > text && open[-1] != '"' && open[-1] != '\n' && at - open < 66)
			open--;
		if (open > text && open[-1] == '"' && open < at - 1)
			return open - 1;
	}
	const char *start = at;
	while (start > text) {
		if (address_char(start[-1])) {
			start--;
			continue;
		}
		const char *previous =
		        (guchar)start[-1] >= 0x80 ? g_utf8_find_prev_char(text, start) : NULL;
		if (previous == NULL ||
		    !g_unichar_isalnum(g_utf8_get_char_validated(previous, start - previous)))
			break;
		start = previous;
	}
	return start;
}

/* How far back a sentence is read for whom it offers. */
#define MAX_SENTENCE_BEFORE 400

/* The words of @at's sentence before it, over line breaks: back to a
 * blank line or the end of the sentence before. */
static char *
dup_sentence_before(const char *text, const char *at)
{
	const char *p = at;
	while (p > text && at - p < MAX_SENTENCE_BEFORE) {
		if (p[-1] == '\n' && p - 1 > text && p[-2] == '\n')
			break;
		if (g_ascii_isspace(p[-1]) && p - 1 > text && strchr(".!?", p[-2]) != NULL)
			break;
		p--;
	}
	return g_strndup(p, (gsize)(at - p));
}

/* Whether the line holding @at names a Message-ID or a sender (with
 * @summary_too, or is a summary's "To:"/"Cc:" line): its address is not a
 * recipient. */
static bool
on_excluded_line(const char *text, const char *at, bool summary_too)
{
	const char *line = at;
	while (line > text && line[-1] != '\n')
		line--;
	/* A report's summary of our message ("  To: a@x, b@y", Exchange's
	 * "Your message ... To:") lists whom we wrote, not who failed. */
	const char *first = line + strspn(line, " \t");
	if (summary_too && (g_ascii_strncasecmp(first, "to:", 3) == 0 ||
	                    g_ascii_strncasecmp(first, "cc:", 3) == 0))
		return true;
	static const char *const fields[] = {
	        "message-id",      "in-reply-to", "references", "return-path",
	        "from:",           "sender:",     "reply-to:",  "envelope-from",
	        "message sent by", "reference",   "queue id"};
	/* Whom the report offers for help: "please contact abuse@x", "send
	 * mail to hostmaster@x", "questions to support@x". */
	static const char *const contact_words[] = {
	        "please contact", "contact your", "contact us", "contact:", "send mail to",
	        "write to",       "email us",     "e-mail us",  "reach us", "questions",
	        "assistance",     "kontaktieren", "contactez",  "contacte", "contattare",
	};
	g_autofree char *start = g_strndup(line, (gsize)(at - line));
	if (MAIL_CLASSIFY_HAS(start, fields))
		return true;
	/* The contact's sentence may be wrapped over lines. */
	g_autofree char *said = dup_sentence_before(text, at);
	if (MAIL_CLASSIFY_HAS(said, contact_words))
		return true;
	/* Exim's "A message sent by" over the sender's address on a line of
	 * its own. */
	const char *before = line;
	while (before > text && g_ascii_isspace(before[-1]))
		before--;
	static const char sent_by[] = "message sent by";
	return (gsize)(before - text) >= sizeof sent_by - 1 &&
	       strncmp(before - (sizeof sent_by - 1), sent_by, sizeof sent_by - 1) == 0;
}

typedef struct {
	char *address;
	gsize offset;
	char *original; /* Exim's "(generated from <it>)": the address we wrote to */
} Found;

static const char *const x400_prefixes[] = {"smtp=", "rfc822="};

static void
found_clear(gpointer data)
{
	g_free(((Found *)data)->address);
	g_free(((Found *)data)->original);
}

/* Whether the address at @start follows Exim's "(generated from" or
 * "(ultimately generated from", or Postfix's "(expanded from": the one an
 * alias was made of. */
static bool
after_generated_from(const char *text, const char *start)
{
	static const char *const marks[] = {"generated from ", "expanded from "};
	gsize before = (gsize)(start - text);
	if (before > 0 && start[-1] == '<')
		before--;
	for (gsize i = 0; i < G_N_ELEMENTS(marks); i++) {
		gsize length = strlen(marks[i]);
		if (before >= length && strncmp(text + before - length, marks[i], length) == 0)
			return true;
	}
	return false;
}

/* Every address in @text (lower case) that may be a recipient, once each,
 * in order of first appearance; not @own, @sender or @writer (the report's
 * own From, a daemon's address that names itself: "Dear Mailer-Daemon
 * (mailerror@x)"), not a daemon's, not on a Message-ID or sender line, and
 * with @summary_too not on a "To:" or "Cc:" line either. */
static GArray *
find_addresses(const char *text, const char *own, const char *sender, const char *writer,
               bool summary_too)
{
	GArray *found = g_array_new(FALSE, TRUE, sizeof(Found));
	g_array_set_clear_func(found, found_clear);
	const char *p = text;
	while ((p = strchr(p, '@')) != NULL && found->len < MAX_RECIPIENTS) {
		const char *start = local_part_start(text, p);
		const char *end = p + 1;
		while (g_ascii_isalnum(*end) || *end == '.' || *end == '-')
			end++;
		while (end > p + 1 && end[-1] == '.')
			end--;
		while (start < p && start[0] == '.')
			start++;
		/* An X.400 form of Exchange 5.5 and Notes: "dda:SMTP=a@b". */
		for (gsize i = 0; i < G_N_ELEMENTS(x400_prefixes); i++) {
			gsize n = strlen(x400_prefixes[i]);
			if ((gsize)(p - start) > n &&
			    g_ascii_strncasecmp(start, x400_prefixes[i], n) == 0)
				start += n;
		}
		p++;
		if (start == p - 1 || end <= p || memchr(p, '.', (gsize)(end - p)) == NULL)
			continue;
		g_autofree char *address = g_strndup(start, (gsize)(end - start));
		if ((own != NULL && strcmp(address, own) == 0) ||
		    (sender != NULL && strcmp(address, sender) == 0) ||
		    (writer != NULL && strcmp(address, writer) == 0) ||
		    g_str_has_prefix(address, "mailer-daemon@") ||
		    g_str_has_prefix(address, "postmaster@") ||
		    on_excluded_line(text, start, summary_too))
			continue;
		if (found->len > 0 && after_generated_from(text, start)) {
			Found *alias = &g_array_index(found, Found, found->len - 1);
			if (alias->original == NULL)
				alias->original = g_steal_pointer(&address);
			continue;
		}
		bool seen = false;
		for (guint i = 0; i < found->len && !seen; i++)
			seen = strcmp(g_array_index(found, Found, i).address, address) == 0;
		if (seen)
			continue;
		Found one = {.address = g_steal_pointer(&address), .offset = (gsize)(start - text)};
		g_array_append_val(found, one);
	}
	return found;
}

static MailBounceRecipient *
recipient_new(const char *address, const char *status, int reply_code, const char *text)
{
	MailBounceRecipient *recipient = g_new0(MailBounceRecipient, 1);
	recipient->address = g_ascii_strdown(address, -1);
	recipient->status = g_strdup(status);
	recipient->reply_code = reply_code;
	recipient->reason = mail_reason_of(status, reply_code, text, &recipient->hard);
	return recipient;
}

/* "failed", "delayed", "delivered"... from an Action that may be missing
 * or not the RFC's word ("failure", "Failed permanently"); from the status
 * class when it is missing. */
static MailBounceKind
kind_of_action(const char *action, const char *status)
{
	if (action != NULL) {
		if (strstr(action, "fail") != NULL)
			return MAIL_BOUNCE_FAILED;
		if (strstr(action, "delay") != NULL)
			return MAIL_BOUNCE_DELAYED;
		if (strstr(action, "deliver") != NULL || strstr(action, "relay") != NULL ||
		    strstr(action, "expand") != NULL)
			return MAIL_BOUNCE_DELIVERED;
	}
	if (status != NULL && status[0] == '5')
		return MAIL_BOUNCE_FAILED;
	if (status != NULL && status[0] == '4')
		return MAIL_BOUNCE_DELAYED;
	if (status != NULL && status[0] == '2')
		return MAIL_BOUNCE_DELIVERED;
	return MAIL_BOUNCE_NOT;
}

/* The status that says most: a Status of "x.0.0" (Exim writes nothing
 * else) or none gives way to the code of the same class the receiving
 * server put in the Diagnostic-Code ("smtp; 552 5.2.2 Mailbox full"). */
static char *
dup_specific_status(const char *status, const char *diagnostic)
{
	int klass = 0, subject = 0, detail = 0;
	bool generic = status == NULL ||
	               !mail_reason_parse_status(status, &klass, &subject, &detail) ||
	               (subject == 0 && detail == 0);
	if (!generic || diagnostic == NULL)
		return g_strdup(status);
	g_autofree char *told = find_status(diagnostic, diagnostic + strlen(diagnostic));
	if (told == NULL || (klass != 0 && told[0] - '0' != klass))
		return g_strdup(status);
	return g_steal_pointer(&told);
}

/* The paragraph of @report that names @address, up to a blank line (at
 * most 1 KiB): where a DSN without a Diagnostic-Code keeps the reason
 * (OpenSMTPD's "full@x: 554 5.7.1 ...", Exim's "gone@x" over "Unrouteable
 * address"). NULL when the text does not name it. */
static char *
dup_paragraph_naming(const char *report, const char *address)
{
	gsize n = strlen(address);
	if (n == 0)
		return NULL;
	g_autofree char *lower = mail_classify_dup_lower(report, -1);
	const char *at = lower;
	while ((at = strstr(at, address)) != NULL) {
		if ((at == lower || !address_char(at[-1])) && !address_char(at[n]))
			break;
		at++;
	}
	if (at == NULL)
		return NULL;
	const char *end = at;
	while (*end != '\0' && end - at < 1024) {
		const char *lf = strchr(end, '\n');
		if (lf == NULL) {
			end += strlen(end);
			break;
		}
		end = lf + 1;
		const char *next = end;
		while (*next == ' ' || *next == '\t' || *next == '\r')
			next++;
		if (*next == '\n' || *next == '\0')
			break;
	}
	return g_strndup(at, (gsize)MIN(end - at, 1024));
}

/* Failed on a temporary answer that names no lasting cause (a
 * greylisting, a throttle, "4.4.4 Temporary server error" after 92 hours):
 * the server gave up retrying. A full mailbox or a network error stays
 * what it is. */
static void
expire_if_given_up(MailBounceRecipient *recipient)
{
	bool temporary = recipient->reply_code / 100 == 4 ||
	                 (recipient->status != NULL && recipient->status[0] == '4');
	if (temporary && (recipient->reason == MAIL_REASON_RATE_LIMITED ||
	                  recipient->reason == MAIL_REASON_OTHER)) {
		recipient->reason = MAIL_REASON_EXPIRED;
		recipient->hard = false;
	}
}

/* The address a delivery target that is none was for (Exim's
 * Final-Recipient "/var/mail/spool/x" for a file its router chose, or
 * "|program"): the returned message's To, else the first address of
 * X-Failed-Recipients. NULL when neither names one. */
static char *
dup_address_of_target(const MailMessage *message)
{
	const MailHeaders *returned = mail_message_get_returned_headers(message);
	char *to = returned != NULL ? mail_headers_dup_address(returned, "To") : NULL;
	if (to != NULL)
		return to;
	const char *failed =
	        mail_headers_get_raw(mail_message_get_headers(message), "X-Failed-Recipients");
	if (failed == NULL)
		return NULL;
	g_autofree char *lower = g_ascii_strdown(failed, -1);
	g_autoptr(GArray) listed = find_addresses(lower, NULL, NULL, NULL, false);
	return listed->len > 0 ? g_strdup(g_array_index(listed, Found, 0).address) : NULL;
}

/* An RFC 3464 status part: each failed recipient, else each delayed one. */
static bool
read_dsn(const MailMessage *message, const char *report, MailBounce *bounce)
{
	const char *status_text = mail_message_get_delivery_status(message);
	if (status_text == NULL)
		return false;
	g_autoptr(GPtrArray) entries = mail_dsn_parse(status_text);
	MailBounceKind best = MAIL_BOUNCE_NOT;
	for (guint i = 0; i < entries->len; i++) {
		const MailDsnRecipient *r = entries->pdata[i];
		MailBounceKind kind = kind_of_action(r->action, r->status);
		if (kind == MAIL_BOUNCE_FAILED ||
		    (kind == MAIL_BOUNCE_DELAYED && best != MAIL_BOUNCE_FAILED) ||
		    (kind == MAIL_BOUNCE_DELIVERED && best == MAIL_BOUNCE_NOT))
			best = kind;
	}
	if (best == MAIL_BOUNCE_NOT)
		return false;
	bounce->kind = best;
	for (guint i = 0; i < entries->len; i++) {
		const MailDsnRecipient *r = entries->pdata[i];
		if (kind_of_action(r->action, r->status) != best || best == MAIL_BOUNCE_DELIVERED)
			continue;
		g_autofree char *paragraph = NULL;
		const char *text = r->diagnostic;
		if (text == NULL) {
			g_autofree char *address = g_ascii_strdown(r->recipient, -1);
			paragraph = dup_paragraph_naming(report, address);
			text = paragraph != NULL ? paragraph : report;
		}
		int code = r->reply_code != 0 ? r->reply_code
		                              : find_reply_code(text, text + strlen(text));
		g_autofree char *status = dup_specific_status(r->status, text);
		/* A paragraph that gives no reason leaves it to the whole text. */
		bool hard = false;
		if (paragraph != NULL &&
		    mail_reason_of(status, code, paragraph, &hard) == MAIL_REASON_OTHER)
			text = report;
		g_autofree char *target_address =
		        strchr(r->recipient, '@') == NULL ? dup_address_of_target(message) : NULL;
		MailBounceRecipient *recipient = recipient_new(
		        target_address != NULL ? target_address : r->recipient, status, code, text);
		if (r->diagnostic != NULL) {
			g_autofree char *address = g_ascii_strdown(r->recipient, -1);
			g_autofree char *about = dup_paragraph_naming(report, address);
			/* A Diagnostic-Code that gives no reason (its first
			 * line of several, the rest not folded: "550-Please
			 * turn on SMTP Authentication ...") leaves it to the
			 * text written for people, as when there is none. */
			if (recipient->reason == MAIL_REASON_OTHER) {
				const char *told = about != NULL ? about : report;
				MailReason again = mail_reason_of(status, code, told, &hard);
				if (again == MAIL_REASON_OTHER && about != NULL)
					again = mail_reason_of(status, code, report, &hard);
				if (again != MAIL_REASON_OTHER) {
					recipient->reason = again;
					recipient->hard = hard;
				}
			}
			if (recipient->reason == MAIL_REASON_USER_UNKNOWN ||
			    recipient->reason == MAIL_REASON_OTHER ||
			    recipient->reason == MAIL_REASON_POLICY_BLOCKED) {
				MailSmtpCommand command =
				        mail_smtp_command_answered(about, report, r->diagnostic);
				recipient->reason =
				        mail_reason_with_command(recipient->reason, command, about);
			}
			recipient->hard = recipient->hard && mail_reason_is_hard(recipient->reason);
		}
		if (best == MAIL_BOUNCE_FAILED)
			expire_if_given_up(recipient);
		g_ptr_array_add(bounce->recipients, recipient);
	}
	const MailDsnRecipient *first = entries->pdata[0];
	bounce->evidence = g_strdup_printf("RFC 3464 report: Action: %s, Status: %s",
	                                   first->action != NULL ? first->action : "-",
	                                   first->status != NULL ? first->status : "-");
	return true;
}

/* Whether @report's words say why an address took no mail ("no such user
 * here", "quota exceeded"). Not a word of spam or policy: a postmaster's
 * complaint ("marked as spam") is no bounce. */
static bool
gives_a_reason(const char *report)
{
	bool hard = false;
	switch (mail_reason_of(NULL, 0, report, &hard)) {
	case MAIL_REASON_USER_UNKNOWN:
	case MAIL_REASON_HOST_UNKNOWN:
	case MAIL_REASON_NOT_ACCEPTED:
	case MAIL_REASON_MAILBOX_FULL:
	case MAIL_REASON_MESSAGE_TOO_BIG:
	case MAIL_REASON_SUSPENDED:
		return true;
	default:
		return false;
	}
}

/* A disposition notification that refuses the message (RFC 5429: a Sieve
 * "reject", Dovecot's "Your message to <x> was automatically rejected:
 * Quota exceeded"): automatic, "deleted", and its text says rejected. A
 * read receipt, or a "deleted without being read", is none. */
static void
read_refusal_notification(const MailMessage *message, const char *head, MailBounce *bounce)
{
	const char *notification = mail_message_get_disposition_notification(message);
	if (notification == NULL)
		return;
	g_autoptr(MailHeaders) fields = mail_headers_parse(notification, strlen(notification));
	const char *disposition = mail_headers_get_raw(fields, "Disposition");
	g_autofree char *lower =
	        disposition != NULL ? g_ascii_strdown(disposition, -1) : g_strdup("");
	if (strstr(lower, "automatic-action") == NULL || strstr(lower, "deleted") == NULL ||
	    strstr(head, "reject") == NULL)
		return;
	g_autoptr(GPtrArray) entries = mail_dsn_parse(notification);
	if (entries->len == 0)
		return;
	const MailDsnRecipient *entry = entries->pdata[0];
	if (strchr(entry->recipient, '@') == NULL)
		return;
	g_autofree char *report = report_text(head);
	MailBounceRecipient *recipient = recipient_new(entry->recipient, NULL, 0, report);
	/* No reason in its words: the recipient's own rule refused us. */
	if (recipient->reason == MAIL_REASON_OTHER)
		recipient->reason = MAIL_REASON_POLICY_BLOCKED;
	g_ptr_array_add(bounce->recipients, recipient);
	bounce->kind = MAIL_BOUNCE_FAILED;
	bounce->evidence = g_strdup("a refusal (RFC 5429 disposition notification)");
}

/* The recipients a report in words names: each address with the status
 * and code written after it (up to the next address). */
static void
read_text_recipients(const MailMessage *message, const char *head, const char *report,
                     MailBounce *bounce)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	g_autofree char *own = mail_headers_dup_address(headers, "To");
	g_autoptr(MailHeaders) inline_copy = NULL;
	const MailHeaders *returned = mail_message_get_returned_headers(message);
	if (returned == NULL) {
		inline_copy = inline_returned_headers(head);
		returned = inline_copy;
	}
	g_autofree char *sender =
	        returned != NULL ? mail_headers_dup_address(returned, "From") : NULL;
	g_autofree char *writer_raw = mail_headers_dup_address(headers, "From");
	g_autofree char *writer = writer_raw != NULL ? g_ascii_strdown(writer_raw, -1) : NULL;
	const char *failed = mail_headers_get_raw(headers, "X-Failed-Recipients");
	g_autoptr(GArray) found = find_addresses(report, own, sender, writer, true);
	/* Named only in the summary: then that is who failed. */
	if (found->len == 0) {
		g_array_unref(found);
		found = find_addresses(report, own, sender, writer, false);
	}
	g_autoptr(GArray) listed = NULL;
	if (failed != NULL) {
		g_autofree char *lower = g_ascii_strdown(failed, -1);
		listed = find_addresses(lower, NULL, NULL, NULL, false);
	}
	gsize report_length = strlen(report);
	const char *report_end = report + report_length;
	/* The named ones come first: X-Failed-Recipients says exactly who. */
	GArray *who = listed != NULL && listed->len > 0 ? listed : found;
	for (guint i = 0; i < who->len; i++) {
		const char *address = g_array_index(who, Found, i).address;
		/* Its stretch of the report: from its first mention to the
		 * next recipient's. */
		const char *from = report, *to = report_end;
		const char *original = NULL;
		for (guint j = 0; j < found->len; j++) {
			const Found *f = &g_array_index(found, Found, j);
			if (strcmp(f->address, address) == 0) {
				from = report + f->offset;
				to = j + 1 < found->len
				             ? report + g_array_index(found, Found, j + 1).offset
				             : report_end;
				original = f->original;
			}
		}
		/* An alias's target failed: the address we wrote to is what
		 * the engine knows. */
		if (original != NULL)
			address = original;
		g_autofree char *stretch = g_strndup(from, (gsize)(to - from));
		g_autofree char *status = find_status(stretch, stretch + strlen(stretch));
		int code = find_reply_code(stretch, stretch + strlen(stretch));
		bool hard = false;
		bool own_reason = mail_reason_of(status, code, stretch, &hard) != MAIL_REASON_OTHER;
		/* The report's status and code, when the stretch has none, for a
		 * lone recipient or a stretch that gives no reason: in a list
		 * of several that do, one's "552" is not another's. */
		if (who->len == 1 || !own_reason) {
			if (status == NULL)
				status = find_status(report, report_end);
			if (code == 0)
				code = find_reply_code(report, report_end);
		}
		/* The stretch's words if it has any reason in it, else the whole. */
		MailReason reason = mail_reason_of(status, code, stretch, &hard);
		MailBounceRecipient *recipient = recipient_new(
		        address, status, code, reason == MAIL_REASON_OTHER ? report : stretch);
		if (bounce->kind == MAIL_BOUNCE_FAILED)
			expire_if_given_up(recipient);
		g_ptr_array_add(bounce->recipients, recipient);
	}
	/* Nobody named: the returned message's recipient is who failed;
	 * never the report's own addressee (a bounce sent on inside another,
	 * whose copy is a report to us). */
	if (bounce->recipients->len == 0 && returned != NULL) {
		g_autofree char *to = mail_headers_dup_address(returned, "To");
		if (to != NULL && (own == NULL || g_ascii_strcasecmp(to, own) != 0)) {
			g_autofree char *status = find_status(report, report_end);
			g_ptr_array_add(bounce->recipients,
			                recipient_new(to, status,
			                              find_reply_code(report, report_end), report));
		}
	}
}

/* What an Amazon SES bounce type says when the recipient's status and
 * diagnostic do not: its sub-type ("NoEmail", "MailboxFull", ...). */
static MailReason
reason_of_ses_subtype(const char *subtype)
{
	static const struct {
		const char *subtype;
		MailReason reason;
	} reasons[] = {
	        {"NoEmail", MAIL_REASON_USER_UNKNOWN},
	        {"MailboxFull", MAIL_REASON_MAILBOX_FULL},
	        {"MessageTooLarge", MAIL_REASON_MESSAGE_TOO_BIG},
	        {"ContentRejected", MAIL_REASON_CONTENT_REJECTED},
	        {"AttachmentRejected", MAIL_REASON_CONTENT_REJECTED},
	};
	for (gsize i = 0; subtype != NULL && i < G_N_ELEMENTS(reasons); i++)
		if (strcmp(subtype, reasons[i].subtype) == 0)
			return reasons[i].reason;
	return MAIL_REASON_OTHER;
}

/* An Amazon SES notification published to a mailbox (mail_ses): a bounce
 * gives its recipients, a delivery is no failure, a complaint is
 * mail_feedback's. Whether @message was one. */
static bool
read_ses(const MailMessage *message, MailBounce *bounce)
{
	g_autoptr(MailSesNotification) notification = mail_ses_notification_read(
	        mail_reply_text_after_banners(mail_message_get_text(message)));
	if (notification == NULL)
		return false;
	bounce->about_message_id = g_strdup(notification->message_id);
	if (notification->kind == MAIL_SES_DELIVERY) {
		bounce->kind = MAIL_BOUNCE_DELIVERED;
		return true;
	}
	if (notification->kind != MAIL_SES_BOUNCE)
		return true;
	bounce->kind = MAIL_BOUNCE_FAILED;
	bounce->evidence =
	        g_strdup_printf("Amazon SES notification: %s bounce",
	                        notification->bounce_type != NULL &&
	                                        strcmp(notification->bounce_type, "Transient") == 0
	                                ? "transient"
	                                : "permanent");
	for (guint i = 0; i < notification->recipients->len; i++) {
		const MailSesRecipient *r = notification->recipients->pdata[i];
		const char *text = r->diagnostic != NULL ? r->diagnostic : "";
		MailBounceRecipient *recipient = recipient_new(
		        r->address, r->status, find_reply_code(text, text + strlen(text)), text);
		if (recipient->reason == MAIL_REASON_OTHER) {
			recipient->reason = reason_of_ses_subtype(notification->bounce_subtype);
			recipient->hard = mail_reason_is_hard(recipient->reason);
		}
		expire_if_given_up(recipient);
		g_ptr_array_add(bounce->recipients, recipient);
	}
	if (bounce->recipients->len == 0)
		bounce->reason = reason_of_ses_subtype(notification->bounce_subtype);
	return true;
}

MailBounce *
mail_bounce_read(const MailMessage *message, const char *head)
{
	MailBounce *bounce = g_new0(MailBounce, 1);
	bounce->recipients = g_ptr_array_new_with_free_func(recipient_free);
	if (read_ses(message, bounce))
		return bounce;
	const MailHeaders *headers = mail_message_get_headers(message);
	const char *type = mail_message_get_report_type(message);
	bool dsn_type = type != NULL && strstr(type, "delivery-status") != NULL;
	if (mail_message_get_delivery_status(message) != NULL && (type == NULL || dsn_type)) {
		g_autofree char *report = report_text(head);
		if (read_dsn(message, report, bounce))
			return bounce;
	}
	/* An ARF report (RFC 5965) is a complaint, whoever sends it. */
	if (type != NULL && strstr(type, "feedback-report") != NULL)
		return bounce;
	bool notification = type != NULL && strstr(type, "disposition-notification") != NULL;
	if (notification) {
		read_refusal_notification(message, head, bounce);
		return bounce;
	}

	g_autofree char *from_raw = mail_headers_dup_decoded(headers, "From");
	g_autofree char *from = from_raw != NULL ? mail_classify_dup_lower(from_raw, -1) : NULL;
	g_autofree char *subject_raw = mail_classify_dup_subject(headers);
	g_autofree char *subject =
	        subject_raw != NULL ? mail_classify_dup_lower(subject_raw, -1) : NULL;
	bool failed_field = mail_headers_get_raw(headers, "X-Failed-Recipients") != NULL;
	bool daemon = is_daemon(from);
	bool null_path = null_sender(message);
	bool returned = mail_message_get_returned_headers(message) != NULL;
	bool subject_words =
	        subject != NULL && mail_word_list_in(&mail_bounce_subject_words, subject);
	/* "From: <>": nobody wrote it (Exim's autoreply transport answering
	 * for an address that does not exist). */
	g_autofree char *writer = mail_headers_dup_address(headers, "From");
	bool nobody = writer == NULL || writer[0] == '\0';
	/* Every rule below needs one of these: most mail (a person's) stops
	 * here, before the text is searched. */
	if (!(dsn_type || failed_field || daemon || null_path || returned || subject_words ||
	      nobody))
		return bounce;
	g_autofree char *report = report_text(head);
	bool body_words = mail_word_list_in(&mail_bounce_body_words, report) ||
	                  mail_word_list_in(&mail_bounce_late_words, report) ||
	                  mail_word_list_in(&mail_bounce_late_words_abroad, report);
	g_autofree char *any_status = find_status(report, report + strlen(report));
	bool coded = any_status != NULL;
	/* A server's reply code in the text ("Remote host said: 550 unknown
	 * user"), not only a status. */
	coded = coded || find_reply_code(report, report + strlen(report)) != 0;
	/* Bounce words in the subject and the text, from no daemon we know
	 * (an antivirus gateway, "E500_SMTP_Mail_Service", "System
	 * Administrator"): a bounce only if the text names who failed. */
	bool weak = false;
	const char *why = NULL;
	if (dsn_type)
		why = "a delivery report without its status part";
	else if (failed_field)
		why = "X-Failed-Recipients";
	else if ((daemon || null_path) && returned && (subject_words || body_words || coded))
		why = "a daemon returned our message";
	else if (daemon && (subject_words || body_words || has_smtp_error_line(report) ||
	                    gives_a_reason(report)))
		why = "a daemon's report";
	/* A mail daemon by name, on a null path, sending back one of ours:
	 * a bounce in whatever language it speaks, its reason unknown. */
	else if (daemon && null_path && (returned || copies_inline(head)))
		why = "a daemon on a null path returned our message, in words we do not know";
	else if (nobody && gives_a_reason(report))
		why = "a report from no sender";
	else if (returned && subject_words && body_words)
		why = "a returned message and bounce wording";
	else if (subject_words && body_words && (coded || null_path))
		why = "bounce wording";
	else if (subject_words && body_words &&
	         mail_headers_get_raw(headers, "In-Reply-To") == NULL &&
	         strstr(head, "\n>") == NULL && head[0] != '>') {
		/* A person's answer names what it answers (In-Reply-To) and
		 * quotes it; these gateways' reports do neither. */
		why = "bounce wording";
		weak = true;
	}
	if (why == NULL)
		return bounce;
	bool delayed = (mail_word_list_in(&mail_bounce_delay_words, report) ||
	                mail_word_list_in(&mail_bounce_late_words_abroad, report) ||
	                (subject != NULL && strstr(subject, "delay") != NULL)) &&
	               !mail_word_list_in(&mail_bounce_final_words, report);
	bounce->kind = delayed ? MAIL_BOUNCE_DELAYED : MAIL_BOUNCE_FAILED;
	bounce->evidence = g_strdup_printf("%s%s", delayed ? "delay warning: " : "", why);
	read_text_recipients(message, head, report, bounce);
	if (weak && bounce->recipients->len == 0)
		bounce->kind = MAIL_BOUNCE_NOT;
	if (bounce->recipients->len == 0) {
		bool hard = false;
		const char *end = report + strlen(report);
		bounce->reason =
		        mail_reason_of(any_status, find_reply_code(report, end), report, &hard);
	}
	return bounce;
}
