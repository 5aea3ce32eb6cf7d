/* Answering a reply through its mailbox, once. */
#define G_LOG_DOMAIN "piculet-app"

#include "app/app_answer.h"

#include "app/app_error.h"
#include "app/app_reply.h"
#include "engine/engine_error.h"
#include "engine/engine_mailbox.h"
#include "mail/mail_compose.h"

#include <string.h>

#define KEY_MIN 8
#define KEY_MAX 100

/* "Re: @subject", once. */
static char *
answer_subject(const char *subject)
{
	if (subject == NULL || subject[0] == '\0')
		return g_strdup("Re:");
	if (g_ascii_strncasecmp(subject, "Re:", 3) == 0)
		return g_strdup(subject);
	return g_strconcat("Re: ", subject, NULL);
}

/* @text, then the reply it answers quoted under a line that says who
 * wrote it (as mail clients do). */
static char *
answer_body(const char *text, const StoreReply *reply)
{
	GString *body = g_string_new(text);
	while (body->len > 0 &&
	       (body->str[body->len - 1] == '\n' || body->str[body->len - 1] == '\r'))
		g_string_truncate(body, body->len - 1);
	g_autoptr(GDateTime) when =
	        g_date_time_new_from_unix_utc(reply->received_at / G_USEC_PER_SEC);
	g_autofree char *day = when != NULL ? g_date_time_format(when, "%a, %d %b %Y at %H:%M UTC")
	                                    : g_strdup("before");
	g_string_append_printf(body, "\n\nOn %s, %s wrote:\n", day, reply->from_address);
	g_auto(GStrv) lines =
	        g_strsplit(reply->reply_text != NULL ? reply->reply_text : "", "\n", -1);
	for (char **line = lines; *line != NULL; line++) {
		g_strchomp(*line);
		g_string_append_printf(body, ">%s%s\n", (*line)[0] != '\0' ? " " : "", *line);
	}
	return g_string_free(body, FALSE);
}

/* The Message-IDs the answer refers to: what we sent in the thread, then
 * the reply itself. */
static GPtrArray *
references_of(const AppReplyThread *thread)
{
	GPtrArray *ids = g_ptr_array_new();
	for (guint i = 0; i < thread->sent->len; i++) {
		const StoreMessage *sent = thread->sent->pdata[i];
		if (sent->message_id != NULL && sent->message_id[0] != '\0')
			g_ptr_array_add(ids, sent->message_id);
	}
	if (thread->reply->message_id[0] != '\0')
		g_ptr_array_add(ids, thread->reply->message_id);
	g_ptr_array_add(ids, NULL);
	return ids;
}

/* Files @bytes in the mailbox's Sent folder, unless it is there already
 * (the provider filed what its SMTP took). A failure is logged: the answer
 * went, and that is what counts. */
static void
file_in_sent(const StoreMailbox *mailbox, const BaseSecret *secret, bool oauth2, NetTls *tls,
             int stop_fd, const char *message_id, GBytes *bytes)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ImapClient) imap =
	        engine_mailbox_open_imap(mailbox, secret, oauth2, tls, stop_fd, &error);
	g_autoptr(GPtrArray) folders = imap != NULL ? imap_client_list(imap, &error) : NULL;
	const char *sent = folders != NULL ? imap_client_folder_for_use(folders, "\\Sent") : NULL;
	g_autofree char *bracketed = g_strdup_printf("<%s>", message_id);
	g_autoptr(GArray) found = NULL;
	if (sent != NULL && imap_client_select(imap, sent, true, &error))
		found = imap_client_uid_search_header(imap, "Message-ID", bracketed, &error);
	if (found != NULL && found->len == 0)
		(void)imap_client_append(imap, sent, "(\\Seen)", bytes, NULL, &error);
	if (error != NULL)
		g_warning("mailbox %s: the answer %s went but is not filed in Sent: %s",
		          mailbox->address, bracketed, error->message);
	else if (sent == NULL)
		g_warning("mailbox %s: no Sent folder to file the answer %s in", mailbox->address,
		          bracketed);
	if (imap != NULL)
		imap_client_logout(imap);
}

/* Stores that @answer was not handed over, and why (@error's words). */
static bool
not_sent(Store *store, const StoreAnswer *answer, GError **error)
{
	(void)store_answer_finish(store, answer->id, "failed", (*error)->message, 0, NULL);
	return false;
}

/* Opens the mailbox's SMTP and sends @bytes; the answer's state and the
 * server's words stored either way. false with @error when it was not
 * handed over (or may have been: "uncertain"). */
static bool
transmit(Store *store, const StoreMailbox *mailbox, const StoreAnswer *answer, GBytes *bytes,
         const AppAnswerOptions *options, GError **error)
{
	GError *local = NULL;
	bool oauth2 = false;
	int stop_fd = options->stop_fd > 0 ? options->stop_fd : -1;
	StoreMailbox *writable = (StoreMailbox *)mailbox;
	g_autoptr(BaseSecret) secret = engine_mailbox_login_secret(
	        store, writable, options->ca_file, stop_fd, NULL, false, &oauth2, &local);
	if (secret == NULL) {
		int code = g_error_matches(local, ENGINE_ERROR, ENGINE_ERROR_SIGN_IN)
		                   ? APP_ERROR_SIGN_IN
		                   : APP_ERROR_CONFIG;
		g_set_error(error, APP_ERROR, code, "%s: %s", mailbox->address, local->message);
		g_error_free(local);
		return not_sent(store, answer, error);
	}
	NetTlsOptions tls_options = {.ca_file = options->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &local);
	if (tls == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_CONFIG, "%s", local->message);
		g_error_free(local);
		return not_sent(store, answer, error);
	}
	SmtpOutcome failure = SMTP_OUTCOME_UNKNOWN;
	SmtpAdvice advice = {NULL, false};
	g_autoptr(SmtpClient) smtp = engine_mailbox_open_smtp(mailbox, secret, oauth2, tls, stop_fd,
	                                                      &failure, &advice, &local);
	if (smtp == NULL) {
		g_autofree char *words = engine_mailbox_advice_words(&advice, mailbox->address);
		g_set_error(error, APP_ERROR, APP_ERROR_UNAVAILABLE, "%s: %s%s%s", mailbox->address,
		            local->message, words != NULL ? ": " : "", words != NULL ? words : "");
		g_error_free(local);
		return not_sent(store, answer, error);
	}
	const char *recipients[] = {answer->to_address, NULL};
	SmtpEnvelope envelope = {.from = mailbox->address, .recipients = recipients};
	g_autoptr(SmtpSendResult) result = smtp_client_send(smtp, &envelope, bytes, &local);
	if (result == NULL) {
		/* Handed over or not: not known. It is never sent again by itself. */
		bool unknown = g_error_matches(local, SMTP_ERROR, SMTP_ERROR_OUTCOME_UNKNOWN);
		(void)store_answer_finish(store, answer->id, unknown ? "uncertain" : "failed",
		                          local->message, 0, NULL);
		g_set_error(error, APP_ERROR, APP_ERROR_UNAVAILABLE, "%s: %s%s", mailbox->address,
		            local->message,
		            unknown ? " (it may have gone: look in the prospect's mailbox before "
		                      "answering again)"
		                    : "");
		g_error_free(local);
		return false;
	}
	g_autofree char *words = smtp_reply_dup_summary(smtp_client_deciding_reply(result), 300);
	bool accepted = result->outcome == SMTP_OUTCOME_ACCEPTED;
	smtp_client_quit(smtp);
	if (!store_answer_finish(store, answer->id, accepted ? "sent" : "failed", words,
	                         accepted ? g_get_real_time() : 0, error))
		return false;
	if (!accepted) {
		g_set_error(error, APP_ERROR, APP_ERROR_UNAVAILABLE, "%s refused the answer: %s",
		            mailbox->smtp_host, words);
		return false;
	}
	file_in_sent(mailbox, secret, oauth2, tls, stop_fd, answer->message_id, bytes);
	return true;
}

StoreAnswer *
app_answer_send(Store *store, int64_t reply_id, const char *text, const char *request_key,
                const char *author, const AppAnswerOptions *options, bool *again, GError **error)
{
	*again = false;
	gsize key_length = request_key != NULL ? strlen(request_key) : 0;
	if (key_length < KEY_MIN || key_length > KEY_MAX || strpbrk(request_key, "\r\n") != NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "an answer needs its key (%d to %d characters): the same key is the "
		            "same answer, never sent twice",
		            KEY_MIN, KEY_MAX);
		return NULL;
	}
	g_autofree char *trimmed = g_strstrip(g_strdup(text != NULL ? text : ""));
	if (trimmed[0] == '\0' || !g_utf8_validate(trimmed, -1, NULL)) {
		g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID, "the answer has no text");
		return NULL;
	}
	g_autoptr(AppReplyThread) thread = app_reply_thread(store, reply_id, error);
	if (thread == NULL)
		return NULL;
	const StoreReply *reply = thread->reply;
	if (reply->from_address == NULL || strchr(reply->from_address, '@') == NULL ||
	    reply->mailbox[0] == '\0') {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "reply %" G_GINT64_FORMAT " has no sender to answer", reply_id);
		return NULL;
	}
	g_autoptr(StoreMailbox) mailbox = store_mailbox_get(store, reply->mailbox, error);
	if (mailbox == NULL) {
		if (error != NULL && *error == NULL)
			g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no mailbox %s",
			            reply->mailbox);
		return NULL;
	}
	g_autofree char *subject = answer_subject(reply->subject);
	g_autofree char *body = answer_body(trimmed, reply);
	g_autofree char *message_id = mail_compose_new_message_id(mailbox->address);
	g_autoptr(GPtrArray) references = references_of(thread);
	const char *to[] = {reply->from_address, NULL};
	MailComposeSpec spec = {.from_name = mailbox->display_name,
	                        .from_address = mailbox->address,
	                        .to = to,
	                        .subject = subject,
	                        .body_text = body,
	                        .message_id = message_id,
	                        .in_reply_to =
	                                reply->message_id[0] != '\0' ? reply->message_id : NULL,
	                        .references = (const char *const *)references->pdata};
	GError *local = NULL;
	g_autoptr(GBytes) bytes = mail_compose_message(&spec, NULL, &local);
	if (bytes == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "%s", local->message);
		g_error_free(local);
		return NULL;
	}
	StoreAnswerInput input = {.inbound_id = reply->id,
	                          .mailbox_id = mailbox->id,
	                          .request_key = request_key,
	                          .message_id = message_id,
	                          .author = author,
	                          .to_address = reply->from_address,
	                          .subject = subject,
	                          .body = body};
	StoreAnswer row = {.message_id = message_id, .to_address = reply->from_address};
	if (!store_answer_begin(store, &input, &row.id, again, error))
		return NULL;
	if (!*again) {
		if (!transmit(store, mailbox, &row, bytes, options, error))
			return NULL;
		g_message("reply %" G_GINT64_FORMAT ": %s answered it through %s", reply_id, author,
		          mailbox->address);
	}
	StoreAnswer *stored = store_answer_get(store, row.id, error);
	if (stored == NULL && error != NULL && *error == NULL)
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no answer %" G_GINT64_FORMAT,
		            row.id);
	return stored;
}
