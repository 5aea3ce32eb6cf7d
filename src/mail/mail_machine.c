#include "mail/mail_machine.h"

#include "mail/mail_intent.h"
#include "mail/mail_notification_words.h"
#include "mail/mail_private.h"
#include "mail/mail_reply_text.h"
#include "mail/mail_responder.h"

#include <string.h>

/* Outlook's receipts are no MDN: "Read: <subject>", "Gelesen: ...". */
static const char *const read_receipt_prefixes[] = {
        "read:",
        "not read:",
        "gelesen:",
        "ungelesen:",
        "lu :",
        "lu:",
        "leído:",
        "letto:",
        "gelezen:",
        "przeczytane:",
        "lida:",
        /* deleted unread, in the other languages */
        "non lu :",
        "non lu:",
        "no leído:",
        "non letto:",
        "niet gelezen:",
        "nieprzeczytane:",
        "não lida:",
};
static const char *const read_receipt_words[] = {"read receipt", "return receipt"};
/* Outlook's delivery receipts as plain messages: "Delivered: <subject>". */
static const char *const delivery_receipt_prefixes[] = {
        "delivered:", "relayed:",    "übermittelt:", "zugestellt:", "remis :",      "remis:",
        "entregado:", "recapitato:", "bezorgd:",     "afgeleverd:", "dostarczono:", "entregue:",
};
/* ...whose text says so: a person's "Delivered: the contract you asked
 * for" is an answer. */
static const char *const delivery_receipt_words[] = {
        "your message has been delivered",
        "your message was delivered",
        "delivery to these recipients or groups is complete",
        "delivered to the following recipients",
        "ihre nachricht wurde an",
        "an folgende empfänger übermittelt",
        "votre message a été remis",
        "su mensaje se entregó",
        "el mensaje se entregó",
        "il messaggio è stato recapitato",
        "uw bericht is bezorgd",
        "wiadomość została dostarczona",
        "sua mensagem foi entregue",
};
/* A mailing's footer, in the conditional no person writes when asking to
 * be taken off ("if you no longer wish to receive ..."): a prospect's
 * newsletter sent to our mailbox without list headers, not an answer. */
static const char *const mailing_footer_words[] = {
        "if you no longer wish to receive",
        "if you wish no longer to receive",
        "if you do not wish to receive",
        "if you don't want to receive these",
        "you may opt-out",
        "you may opt out",
        "you can unsubscribe",
        "click here to unsubscribe",
        "to unsubscribe from this list",
        "to stop receiving these emails",
        "you are receiving this email because",
        "you received this email because",
        "wenn sie diesen newsletter nicht mehr",
        "pour vous désinscrire",
        "para darse de baja",
        "deze nieuwsbrief niet meer ontvangen",
        "per annullare l'iscrizione",
        "per cancellarti dalla newsletter",
        "aby zrezygnować z subskrypcji",
        "aby wypisać się z newslettera",
        "para cancelar a inscrição",
        "para cancelar sua inscrição",
};
/* Only senders no person writes from: a prospect may well answer from
 * marketing@ or info@. */
static const char *const no_reply_senders[] = {
        "noreply",      "no-reply",       "no_reply",      "donotreply",
        "do-not-reply", "notifications@", "notification@", "newsletter@",
};
/* Headers mass-mailing services add to what they send. */
static const char *const mass_mailing_fields[] = {
        "X-Mailgun-Sid",        "X-SG-EID",          "X-SES-Outgoing",       "X-MC-User",
        "X-Campaign",           "X-CampaignID",      "X-Mailchimp-Campaign", "X-Mandrill-User",
        "X-HubSpot-Message-Id", "X-Marketo-Message", "X-Sendinblue",         "X-MSFBL",
        "X-Mailjet-Campaign",   "X-Newsletter",
};
/* Mailing-list software's own marks, and the addresses it writes from:
 * its notices (a loop alert, a held message) are no person's answer. */
static const char *const list_software_fields[] = {
        "X-MLServer",           "X-ML-Name",         "X-Mailman-Version",
        "X-List-Administrivia", "X-Ecartis-Version", "X-Listprocessor-Version",
        "Mailing-List",
};
static const char *const list_manager_parts[] = {
        "-admin@", "-owner@", "-request@", "-bounces@", "owner-",
};
static const char *const daemon_local_parts[] = {
        "mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "daemon@", "root@", "mdaemon",
};

/* Challenge-response filters (Boxbe, Bluebottle, SpamArrest, EarthLink's
 * spamBlocker, TMDA, ...) answer for the prospect, from their address or
 * as a delivery report, but no person wrote it and the message has not
 * reached one yet: it waits until someone clicks or replies. */
static const char *const challenge_fields[] = {
        "X-Boxbe-Verification", "X-Spamarrest-Noauth", "X-Challenge",
        "X-Challenge-Response", "X-SRS-Challenge",     "X-Bluebottle-Request",
};
static const char *const challenge_words[] = {
        "verify that you are a real person",
        "verify that you are human",
        "verify you are a human",
        "verify you are human",
        "prove that you are human",
        "confirm that you are a real person",
        "i use an anti-spam service",
        "i am using an anti-spam service",
        "challenge-response",
        "your message is awaiting verification",
        "awaiting your verification",
        "has been waitlisted",
        "was waitlisted",
        "sender not pre-approved",
        "add yourself to my guest list",
        "add yourself to my approved",
        "add yourself to my allowed",
        "senders i have approved",
        "list of approved senders",
        "approved senders list",
        "to have your address added to",
        "this account is protected by",
        "to release your message",
        "your message will be delivered once you",
        "bestätigen sie, dass sie ein mensch sind",
        "confirmer que vous êtes une personne",
};
static const MailWordList challenge_list = MAIL_WORD_LIST(challenge_words);
/* The same filters saying the sender is on the list: nothing waits. */
static const char *const challenge_passed_words[] = {
        "you're listed on my",
        "you are listed on my",
        "you're on my guest list",
        "you are on my guest list",
        "email from you will go right to my inbox",
};

/* Outlook's request to recall a message the person sent before: the
 * client's, no answer ("Recall: Budget", "Carol would like to recall the
 * message, ..."). The prefix alone is a person's word too ("Rappel :" a
 * reminder, "Rückruf:" a call back): the words must say it. */
static const char *const recall_prefixes[] = {
        "recall:",   "rückruf:",   "rappel :",   "rappel:",   "recuperar:",
        "richiamo:", "intrekken:", "odwołanie:", "recolher:",
};
static const char *const recall_words[] = {
        "would like to recall the message",
        "möchte die nachricht",
        "rappeler le message",
        "recuperar el mensaje",
        "richiamare il messaggio",
        "wil het bericht",
        "odwołać wiadomość",
        "recolher a mensagem",
};

/* The recall's words on the text's first line ("Carol would like to
 * recall the message, ..."), not in a person's "Bonjour Sam, ...". */
static bool
first_line_says_recall(const char *head)
{
	const char *start = head + strspn(head, " \t\r\n");
	g_autofree char *line = g_strndup(start, strcspn(start, "\n"));
	return MAIL_CLASSIFY_HAS(line, recall_words);
}

/* "Read receipt" said by the receipt, not by our subject it answers. */
static bool
has_read_receipt_words(const char *subject)
{
	g_autofree char *own = mail_responder_part(subject);
	return MAIL_CLASSIFY_HAS(own, read_receipt_words);
}

static bool
is_read_receipt_subject(const char *subject)
{
	return mail_classify_starts_with_any(subject, read_receipt_prefixes,
	                                     G_N_ELEMENTS(read_receipt_prefixes));
}

bool
mail_machine_is_bulk(const MailMessage *message, const char *precedence, const char *from,
                     const char *subject, const char *head, char **why, bool *weak)
{
	*weak = false;
	const MailHeaders *headers = mail_message_get_headers(message);
	const char *report = mail_message_get_report_type(message);
	if (report != NULL && strstr(report, "disposition-notification") != NULL)
		*why = g_strdup("read receipt (disposition-notification)");
	else if (subject != NULL &&
	         (is_read_receipt_subject(subject) || has_read_receipt_words(subject)))
		*why = g_strdup("read receipt (subject)");
	else if (subject != NULL &&
	         mail_classify_starts_with_any(subject, delivery_receipt_prefixes,
	                                       G_N_ELEMENTS(delivery_receipt_prefixes)) &&
	         head != NULL && MAIL_CLASSIFY_HAS(head, delivery_receipt_words))
		*why = g_strdup("delivery receipt");
	else if (subject != NULL &&
	         mail_classify_starts_with_any(subject, recall_prefixes,
	                                       G_N_ELEMENTS(recall_prefixes)) &&
	         head != NULL && first_line_says_recall(head))
		*why = g_strdup("a request to recall a message");
	else if (from != NULL && MAIL_CLASSIFY_HAS(from, no_reply_senders))
		*why = g_strdup("no-reply sender");
	if (*why != NULL)
		return true;
	/* A list's or a sending service's mark is the whole story of a
	 * message of its own; on an answer in a thread it is the path the
	 * person's mail took (a Google Group, Amazon WorkMail's SES, a CRM's
	 * inbox sending through SendGrid): weak. */
	*weak = mail_classify_in_a_thread(message);
	if (mail_headers_get_raw(headers, "List-Id") != NULL)
		*why = g_strdup("List-Id");
	for (gsize i = 0; i < G_N_ELEMENTS(mass_mailing_fields) && *why == NULL; i++)
		if (mail_headers_get_raw(headers, mass_mailing_fields[i]) != NULL)
			*why = g_strdup_printf("mass-mailing mark (%s)", mass_mailing_fields[i]);
	if (*why != NULL)
		return true;
	*weak = true;
	if (mail_headers_get_raw(headers, "List-Unsubscribe") != NULL)
		*why = g_strdup("List-Unsubscribe");
	else if (precedence != NULL && (strstr(precedence, "bulk") || strstr(precedence, "list") ||
	                                strstr(precedence, "junk")))
		*why = g_strdup_printf("Precedence: %s", precedence);
	return *why != NULL;
}

const char *
mail_machine_not_a_person(const MailMessage *message, const char *from)
{
	const char *return_path =
	        mail_headers_get_raw(mail_message_get_headers(message), "Return-Path");
	g_autofree char *path = return_path != NULL ? g_strstrip(g_strdup(return_path)) : NULL;
	g_autofree char *address =
	        mail_headers_dup_address(mail_message_get_headers(message), "From");
	if (address == NULL)
		return "no sender address";
	if (from != NULL && MAIL_CLASSIFY_HAS(from, daemon_local_parts))
		return "a daemon's message";
	if (path != NULL && strcmp(path, "<>") == 0)
		return "a null Return-Path";
	g_autofree char *lower_address = g_ascii_strdown(address, -1);
	if (MAIL_CLASSIFY_HAS(lower_address, list_manager_parts))
		for (gsize i = 0; i < G_N_ELEMENTS(list_software_fields); i++)
			if (mail_headers_get_raw(mail_message_get_headers(message),
			                         list_software_fields[i]) != NULL)
				return "a mailing list's own notice";
	if (mail_message_get_report_type(message) != NULL)
		return "a report";
	if (mail_message_get_returned_headers(message) != NULL ||
	    mail_message_get_delivery_status(message) != NULL)
		return "a returned message";
	const char *auto_submitted =
	        mail_headers_get_raw(mail_message_get_headers(message), "Auto-Submitted");
	if (auto_submitted != NULL &&
	    g_ascii_strncasecmp(auto_submitted + strspn(auto_submitted, " \t"), "no", 2) != 0)
		return "a machine's notification (Auto-Submitted)";
	/* "Carol Prospect via DocuSign", "X (via Google Docs)": a service
	 * writing on someone's behalf, not that person's answer. */
	if (from != NULL && !mail_classify_in_a_thread(message)) {
		g_autofree char *name = g_strndup(from, strcspn(from, "<"));
		if (strstr(name, " via ") != NULL || strstr(name, "(via ") != NULL)
			return "a service writing on someone's behalf";
	}
	return NULL;
}

/* How much of a message's end a mailing's footer is looked for in (its
 * start is @head, read already). */
#define FOOTER_TAIL_BYTES 2048

/* Whether @text has no quote and says nothing a sequence acts on: a
 * mailing's or a notification's words, not a person's answer ("let's
 * talk next week", "not now, try me in March", "ask Jane instead" are,
 * whatever footer or template stands under them: taken for a machine's,
 * such a reply would let a follow-up go after it). */
static bool
says_nothing_of_a_persons(const char *text, bool guesses_too)
{
	/* A message that quotes another is an answer, whatever footer (ours,
	 * quoted by Outlook or AOL without a ">") it carries. */
	if (mail_reply_text_has_quote(text))
		return false;
	g_autofree char *own = mail_reply_text_extract(text);
	/* A mailing's offers to its reader ("Interested in our products?")
	 * are no one's wish, as a responder's are not. */
	g_autofree char *calm = mail_responder_dup_without_words_to_the_reader(own);
	g_autoptr(MailIntentResult) read = mail_intent_read(calm, NULL, NULL, NULL);
	return read->intent == MAIL_INTENT_NEEDS_REVIEW || (guesses_too && read->needs_review);
}

bool
mail_machine_reads_as_a_notification(const MailMessage *message, const char *head)
{
	const char *text = mail_message_get_text(message);
	if (text == NULL)
		return false;
	/* A template says what it is at the top. */
	g_autofree char *top = g_strndup(head, MAIL_RESPONDER_TOP_BYTES);
	/* A template's clock times and numbers ("a new voicemail (0:42)")
	 * make guesses, not wishes. */
	return mail_word_list_in(&mail_notification_body, top) &&
	       says_nothing_of_a_persons(text, true);
}

bool
mail_machine_has_mailing_footer(const MailMessage *message, const char *head, const char *subject)
{
	const char *text = mail_message_get_text(message);
	/* "Re: ...", "AW: ...": an answer, not a mailing of its own; an
	 * invitation to a meeting ("You are receiving this email because you
	 * are an attendee") is the person's, whatever its footer. */
	if (text == NULL ||
	    (subject != NULL &&
	     mail_classify_starts_with_any(subject + strspn(subject, " "), mail_answer_prefixes,
	                                   MAIL_ANSWER_PREFIXES_N)) ||
	    mail_message_has_part_type(message, "text/calendar"))
		return false;
	gsize n = strlen(text);
	const char *tail = n > FOOTER_TAIL_BYTES ? text + n - FOOTER_TAIL_BYTES : text;
	while (((unsigned char)*tail & 0xc0) == 0x80)
		tail++;
	g_autofree char *lower_tail = mail_classify_dup_lower(tail, -1);
	if (!MAIL_CLASSIFY_HAS(head, mailing_footer_words) &&
	    !MAIL_CLASSIFY_HAS(lower_tail, mailing_footer_words))
		return false;
	return says_nothing_of_a_persons(text, false);
}

bool
mail_machine_is_challenge(const MailMessage *message, const char *head, bool *waiting)
{
	*waiting = true;
	for (gsize i = 0; i < G_N_ELEMENTS(challenge_fields); i++)
		if (mail_headers_get_raw(mail_message_get_headers(message), challenge_fields[i]) !=
		    NULL)
			return true;
	if (mail_word_list_in(&challenge_list, head))
		return true;
	*waiting = false;
	return MAIL_CLASSIFY_HAS(head, challenge_passed_words);
}

bool
mail_machine_is_no_reply_sender(const char *from)
{
	return MAIL_CLASSIFY_HAS(from, no_reply_senders);
}
