#include "mail/mail_classify.h"

#include "mail/mail_auto_reply_words.h"
#include "mail/mail_booking.h"
#include "mail/mail_calendar.h"
#include "mail/mail_machine.h"
#include "mail/mail_notification_words.h"
#include "mail/mail_private.h"
#include "mail/mail_referral.h"
#include "mail/mail_reply_text.h"
#include "mail/mail_responder.h"
#include "mail/mail_return_date.h"

#include <gmime/gmime.h>
#include <string.h>

/* A message this short that says what a person wants reads as theirs. */
#define SHORT_PERSONAL_BYTES 1500

void
mail_classify_result_free(MailClassification *classification)
{
	if (classification == NULL)
		return;
	g_free(classification->recipient);
	g_free(classification->status);
	if (classification->recipients != NULL)
		g_ptr_array_unref(classification->recipients);
	g_free(classification->feedback_type);
	g_free(classification->about_message_id);
	g_free(classification->on_behalf_of);
	g_free(classification->return_date);
	g_free(classification->reply_text);
	g_free(classification->intent_date);
	g_free(classification->referral);
	g_free(classification->evidence);
	g_free(classification);
}

const char *
mail_classify_class_to_string(MailClass klass)
{
	static const char *const names[] = {
	        [MAIL_CLASS_REPLY] = "reply",       [MAIL_CLASS_AUTO_REPLY] = "auto_reply",
	        [MAIL_CLASS_BOUNCE] = "bounce",     [MAIL_CLASS_OTHER] = "other",
	        [MAIL_CLASS_FEEDBACK] = "feedback",
	};
	return (gsize)klass < G_N_ELEMENTS(names) ? names[klass] : "other";
}

/* Simple case mapping a character at a time (the word lists are lower
 * case): g_utf8_strdown's special casing and string growth were a tenth of
 * the time classification took. A lower-case character takes at most half
 * as many bytes again as its upper case (U+023A -> U+2C65); a byte that is
 * not UTF-8 is kept as it is. */
char *
mail_classify_dup_lower(const char *text, gssize length)
{
	gsize n = length < 0 ? strlen(text) : (gsize)length;
	char *lower = g_malloc(n * 2 + 1);
	gsize w = 0;
	const char *p = text, *end = text + n;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80) {
			/* Inline: g_ascii_tolower is a call per byte, and this
			 * loop reads every message whole. */
			lower[w++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
			p++;
			continue;
		}
		gunichar u = g_utf8_get_char_validated(p, end - p);
		if (u == (gunichar)-1 || u == (gunichar)-2) {
			lower[w++] = (char)c;
			p++;
			continue;
		}
		w += (gsize)g_unichar_to_utf8(g_unichar_tolower(u), lower + w);
		p = g_utf8_next_char(p);
	}
	lower[w] = '\0';
	return lower;
}

char *
mail_classify_dup_folded(const char *text)
{
	char *lower = mail_classify_dup_lower(text, -1);
	char *w = lower;
	bool space = false;
	for (const char *r = lower; *r != '\0'; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			space = true;
			continue;
		}
		if (space && w != lower)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
	return lower;
}

void
mail_classify_keep_later_date(GDate **latest, GDate *date)
{
	if (*latest == NULL || g_date_compare(date, *latest) > 0) {
		if (*latest != NULL)
			g_date_free(*latest);
		*latest = date;
	} else {
		g_date_free(date);
	}
}

bool
mail_classify_starts_with_any(const char *text, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_str_has_prefix(text, words[i]))
			return true;
	return false;
}

static bool
ends_sentence(const char *p)
{
	return strchr(".!?", *p) != NULL && (p[1] == '\0' || g_ascii_isspace(p[1]));
}

char *
mail_classify_dup_sentence(const char *text, const char *at)
{
	const char *start = at, *end = at;
	while (start > text && !(ends_sentence(start - 1) && g_ascii_isspace(*start)))
		start--;
	while (*end != '\0' && !ends_sentence(end))
		end++;
	return g_strndup(start, (gsize)(end - start));
}

const char *
mail_classify_sentence_end(const char *start, bool at_lines)
{
	const char *end = start;
	while (*end != '\0' && !(at_lines && *end == '\n') && !ends_sentence(end))
		end++;
	return *end != '\0' ? end + 1 : end;
}

const char *
mail_classify_word_before(const char *text, const char *at, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		gsize length = strlen(words[i]);
		if ((gsize)(at - text) >= length && strncmp(at - length, words[i], length) == 0)
			return words[i];
	}
	return NULL;
}

/* What gateways tag mail from outside with, in brackets or before a
 * colon: "[EXTERNAL]", "(Extern)", "*EXT*", "EXTERNAL:". */
static const char *const gateway_tags[] = {
        "external",   "external email", "external sender", "ext",     "extern",
        "externe",    "externo",        "externa",         "esterno", "esterna",
        "zewnętrzny", "zewnętrzna",     "caution",         "warning", "outside",
};

/* The length of a gateway's tag at the start of @subject, with the spaces
 * after it; 0 when there is none. */
static gsize
gateway_tag_length(const char *subject)
{
	char close = subject[0] == '['   ? ']'
	             : subject[0] == '(' ? ')'
	             : subject[0] == '*' ? '*'
	                                 : 0;
	const char *inner = close != 0 ? subject + 1 : subject;
	const char *end = close != 0 ? strchr(inner, close) : strchr(inner, ':');
	if (end == NULL || end - inner > 20)
		return 0;
	g_autofree char *tag = g_ascii_strdown(inner, end - inner);
	g_strstrip(tag);
	/* "Warning: message delayed" is Exim's own subject: before a colon,
	 * only the words of being from outside are a tag. */
	if (close == 0 && !g_str_has_prefix(tag, "ext") && !g_str_has_prefix(tag, "est") &&
	    !g_str_has_prefix(tag, "zewn"))
		return 0;
	for (gsize i = 0; i < G_N_ELEMENTS(gateway_tags); i++)
		if (strcmp(tag, gateway_tags[i]) == 0)
			return (gsize)(end + 1 - subject) + strspn(end + 1, " \t");
	return 0;
}

char *
mail_classify_dup_subject(const MailHeaders *headers)
{
	g_autofree char *subject = mail_headers_dup_decoded(headers, "Subject");
	if (subject == NULL)
		return NULL;
	const char *start = subject + strspn(subject, " \t");
	for (gsize n = gateway_tag_length(start); n > 0; n = gateway_tag_length(start))
		start += n;
	return g_strdup(start);
}

bool
mail_classify_has_any(const char *text, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (strstr(text, words[i]) != NULL)
			return true;
	return false;
}

const MailBounceRecipient *
mail_classify_bounce_for(const MailClassification *classification, const char *address)
{
	GPtrArray *all = classification->recipients;
	if (all == NULL || all->len == 0)
		return NULL;
	for (guint i = 0; address != NULL && i < all->len; i++) {
		const MailBounceRecipient *r = all->pdata[i];
		if (g_ascii_strcasecmp(r->address, address) == 0)
			return r;
	}
	return all->pdata[0];
}

static char *
lower_header(const MailMessage *message, const char *name)
{
	g_autofree char *value = mail_headers_dup_decoded(mail_message_get_headers(message), name);
	return value != NULL ? mail_classify_dup_lower(value, -1) : NULL;
}

const char *const mail_answer_prefixes[MAIL_ANSWER_PREFIXES_N] = {
        "re:",  "re :", "aw:", "sv:", "vs:",  "antw:", "odp:", "r:",   "rif:",
        "res:", "ynt:", "wg:", "fw:", "fwd:", "tr:",   "rv:",  "enc:", "doorst:",
};

GDateTime *
mail_classify_dup_date(const MailMessage *message)
{
	const char *date = mail_headers_get_raw(mail_message_get_headers(message), "Date");
	return date != NULL ? g_mime_utils_header_decode_date(date) : NULL;
}

bool
mail_classify_in_a_thread(const MailMessage *message)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	return mail_headers_get_raw(headers, "In-Reply-To") != NULL ||
	       mail_headers_get_raw(headers, "References") != NULL;
}

/* --- the whole ---------------------------------------------------------- */

/* What the phrase tests read: the first 4 KiB of the text, lower case.
 * Every signal we look for (an out-of-office sentence, a bounce's error)
 * is near the top; lower-casing a 50 KB quoted history was most of the
 * time classification took. */
static char *
lower_head(const char *text)
{
	gsize n = strlen(text);
	gsize cut = MIN(n, (gsize)4096);
	if (cut < n) {
		const char *end = g_utf8_find_prev_char(text, text + cut + 1);
		cut = end != NULL ? (gsize)(end - text) : cut;
	}
	return mail_classify_dup_lower(text, (gssize)cut);
}

static bool
classify_bounce(const MailMessage *message, const char *head, MailClassification *result)
{
	g_autoptr(MailBounce) bounce = mail_bounce_read(message, head);
	switch (bounce->kind) {
	case MAIL_BOUNCE_NOT:
		return false;
	case MAIL_BOUNCE_DELIVERED:
		result->klass = MAIL_CLASS_OTHER;
		result->evidence = g_strdup("a delivery report without a failure");
		return true;
	case MAIL_BOUNCE_FAILED:
	case MAIL_BOUNCE_DELAYED:
		break;
	}
	result->klass = MAIL_CLASS_BOUNCE;
	result->delayed = bounce->kind == MAIL_BOUNCE_DELAYED;
	result->evidence = g_steal_pointer(&bounce->evidence);
	result->about_message_id = g_steal_pointer(&bounce->about_message_id);
	result->recipients = g_ptr_array_ref(bounce->recipients);
	if (bounce->recipients->len == 0) {
		result->reason =
		        bounce->reason != MAIL_REASON_NONE ? bounce->reason : MAIL_REASON_OTHER;
		return true;
	}
	const MailBounceRecipient *first = bounce->recipients->pdata[0];
	result->recipient = g_strdup(first->address);
	result->status = g_strdup(first->status);
	result->reply_code = first->reply_code;
	result->reason = first->reason;
	result->hard = first->hard && !result->delayed;
	return true;
}

static bool
classify_feedback(const MailMessage *message, MailClassification *result)
{
	g_autoptr(MailFeedback) feedback = mail_feedback_read(message);
	if (feedback->kind == MAIL_FEEDBACK_NOT)
		return false;
	result->klass = MAIL_CLASS_FEEDBACK;
	result->feedback = feedback->kind;
	result->feedback_type = g_steal_pointer(&feedback->type);
	result->recipient = g_steal_pointer(&feedback->recipient);
	result->evidence = g_steal_pointer(&feedback->evidence);
	result->about_message_id = g_steal_pointer(&feedback->about_message_id);
	return true;
}

/* A scheduling tool's notice of a booking: the invitee's reply, a
 * meeting (the tool writes, no one from its domain books). */
static bool
classify_booking(const MailMessage *message, const char *head, MailClassification *result)
{
	g_autofree char *invitee = mail_booking_invitee(message, head);
	if (invitee == NULL)
		return false;
	result->klass = MAIL_CLASS_REPLY;
	result->intent = MAIL_INTENT_MEETING;
	result->confidence = 90;
	result->reply_text = g_strdup("");
	result->evidence = g_strdup_printf("a scheduling tool's notice: %s booked a time", invitee);
	result->on_behalf_of = g_steal_pointer(&invitee);
	return true;
}

/* A service that writes for a person (Google Docs' "Carol (via Google
 * Docs)", DocuSign, Dropbox): the person's address as the Reply-To, of
 * another domain than the service's, and the service saying "via" in its
 * name or naming that address in its text. NULL when @message is none
 * (a list's message, a Google Group's "X via Group", is a list's). */
static char *
person_behind_service(const MailMessage *message, const char *head)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	if (mail_headers_get_raw(headers, "List-Id") != NULL)
		return NULL;
	g_autoptr(GPtrArray) reply_to = mail_headers_dup_addresses(headers, "Reply-To");
	g_autofree char *from = mail_headers_dup_address(headers, "From");
	if (reply_to->len != 1 || from == NULL)
		return NULL;
	g_autofree char *person = g_ascii_strdown(reply_to->pdata[0], -1);
	const char *person_domain = strrchr(person, '@');
	const char *service_domain = strrchr(from, '@');
	if (person_domain == NULL || service_domain == NULL ||
	    g_ascii_strcasecmp(person_domain, service_domain) == 0)
		return NULL;
	g_autofree char *from_field = lower_header(message, "From");
	bool via = from_field != NULL &&
	           (strstr(from_field, " via ") != NULL || strstr(from_field, "(via ") != NULL);
	bool named = mail_machine_is_no_reply_sender(from_field != NULL ? from_field : "") &&
	             head != NULL && strstr(head, person) != NULL;
	return via || named ? g_steal_pointer(&person) : NULL;
}

/* A calendar client's answer to an invitation: its subject's prefix says
 * which (Outlook, Gmail, Apple in eight languages), a text/calendar part
 * carries it. */
static const char *const accepted_prefixes[] = {
        "accepted:",
        "tentative:",
        "angenommen:",
        "mit vorbehalt:",
        "accepté :",
        "accepté:",
        "provisoire :",
        "aceptado:",
        "provisional:",
        "accettato:",
        "provvisorio:",
        "geaccepteerd:",
        "voorlopig:",
        "zaakceptowano:",
        "wstępnie:",
        "aceito:",
        "provisório:",
        "invitation accepted:",
        "updated invitation accepted:",
};
static const char *const declined_prefixes[] = {
        "declined:",  "abgelehnt:", "refusé :",   "refusé:",   "rechazado:",           "rifiutato:",
        "geweigerd:", "afgewezen:", "odrzucono:", "recusado:", "invitation declined:",
};

/* Whether @message carries an invitation to a meeting that the writer
 * (@sender) or a colleague of the same domain organises: the person asks
 * for a time by sending one. */
static bool
is_own_invitation(const MailMessage *message, const char *sender)
{
	const char *calendar = mail_message_get_calendar(message);
	if (sender == NULL || mail_calendar_method(calendar) != MAIL_CALENDAR_REQUEST)
		return false;
	g_autofree char *organizer = mail_calendar_organizer(calendar);
	const char *domain = strrchr(sender, '@');
	const char *organizer_domain = organizer != NULL ? strrchr(organizer, '@') : NULL;
	return domain != NULL && organizer_domain != NULL &&
	       g_ascii_strcasecmp(domain, organizer_domain) == 0;
}

/* An answer to a calendar invitation, or an invitation of the writer's
 * own, when @message is one: accepted, tentative or invited is a meeting,
 * declined is for a person to read. */
static bool
read_calendar_answer(const MailMessage *message, const char *subject, const char *sender,
                     MailClassification *result)
{
	/* Without its calendar part (a relay took it off, a client sent the
	 * answer bare), the subject speaks only when the person wrote
	 * nothing: our subject's words after "Declined:" are no wish. */
	if (subject == NULL || (!mail_message_has_part_type(message, "text/calendar") &&
	                        (result->reply_text == NULL || result->reply_text[0] != '\0')))
		return false;
	bool invited = is_own_invitation(message, sender);
	bool accepted = invited || mail_classify_starts_with_any(subject, accepted_prefixes,
	                                                         G_N_ELEMENTS(accepted_prefixes));
	if (!accepted && !mail_classify_starts_with_any(subject, declined_prefixes,
	                                                G_N_ELEMENTS(declined_prefixes)))
		return false;
	/* What the words said of dates, colleagues or stopping is moot. */
	g_clear_pointer(&result->intent_date, g_free);
	g_clear_pointer(&result->referral, g_free);
	result->opt_out = false;
	if (accepted) {
		result->intent = MAIL_INTENT_MEETING;
		result->confidence = 90;
		result->needs_review = false;
		result->evidence = g_strdup(invited ? "written by a person; meeting: an invitation "
		                                      "to a meeting they organise"
		                                    : "written by a person; meeting: a calendar "
		                                      "invitation accepted");
		return true;
	}
	result->intent = MAIL_INTENT_NEEDS_REVIEW;
	result->confidence = 0;
	result->needs_review = true;
	result->evidence = g_strdup("written by a person; needs_review: a calendar invitation "
	                            "declined");
	return true;
}

/* "Adding Jane (cc'd), who handles this": the colleague a hand-off names
 * only by putting them in copy. The first address in Cc of the writer's
 * own domain, not the writer; NULL when none. */
static char *
colleague_in_copy(const MailMessage *message, const char *sender)
{
	const char *domain = sender != NULL ? strrchr(sender, '@') : NULL;
	if (domain == NULL)
		return NULL;
	g_autoptr(GPtrArray) copied =
	        mail_headers_dup_addresses(mail_message_get_headers(message), "Cc");
	for (guint i = 0; i < copied->len; i++) {
		const char *address = copied->pdata[i];
		const char *at = strrchr(address, '@');
		if (strcmp(address, sender) != 0 && g_ascii_strcasecmp(at, domain) == 0)
			return g_strdup(address);
	}
	return NULL;
}

static void
classify_reply(const MailMessage *message, const char *subject_raw, MailClassification *result)
{
	result->klass = MAIL_CLASS_REPLY;
	/* Only the new text: a quoted footer of ours must not count. */
	g_autofree char *new_text = mail_reply_text_extract(mail_message_get_text(message));
	g_autofree char *sender =
	        mail_headers_dup_address(mail_message_get_headers(message), "From");
	g_autoptr(GDateTime) sent = mail_classify_dup_date(message);
	g_autoptr(MailIntentResult) intent = mail_intent_read(new_text, subject_raw, sender, sent);
	result->intent = intent->intent;
	result->confidence = intent->confidence;
	result->needs_review = intent->needs_review;
	result->intent_date = g_steal_pointer(&intent->date);
	result->referral = g_steal_pointer(&intent->referral);
	if (result->intent == MAIL_INTENT_WRONG_PERSON && result->referral == NULL)
		result->referral = colleague_in_copy(message, sender);
	result->opt_out = intent->intent == MAIL_INTENT_UNSUBSCRIBE;
	result->reply_text = g_steal_pointer(&new_text);
	g_autofree char *subject =
	        subject_raw != NULL ? mail_classify_dup_lower(subject_raw, -1) : NULL;
	if (read_calendar_answer(message, subject, sender, result))
		return;
	result->evidence = g_strdup_printf(
	        "written by a person; %s%s%s", mail_intent_to_string(intent->intent),
	        intent->evidence[0] != '\0' ? ": " : "", intent->evidence);
}

MailClassification *
mail_classify_message(const MailMessage *message)
{
	MailClassification *result = g_new0(MailClassification, 1);
	g_autofree char *head =
	        lower_head(mail_reply_text_after_banners(mail_message_get_text(message)));
	/* Before the reports: some filters send their notice as one. */
	bool waiting = false;
	if (mail_machine_is_challenge(message, head, &waiting)) {
		result->klass = MAIL_CLASS_OTHER;
		result->needs_review = waiting;
		result->evidence = g_strdup(waiting ? "not recognised: a challenge-response check"
		                                    : "a challenge-response filter: on its list");
		return result;
	}
	if (classify_bounce(message, head, result) || classify_feedback(message, result) ||
	    classify_booking(message, head, result))
		return result;

	g_autofree char *auto_submitted = lower_header(message, "Auto-Submitted");
	g_autofree char *precedence = lower_header(message, "Precedence");
	g_autofree char *subject_raw = mail_classify_dup_subject(mail_message_get_headers(message));
	g_autofree char *subject =
	        subject_raw != NULL ? mail_classify_dup_lower(subject_raw, -1) : NULL;
	g_autofree char *from = lower_header(message, "From");
	/* Apple Mail's "Unsubscribe" button writes to our List-Unsubscribe
	 * mailto for its reader, marked as a machine's answer: the person's
	 * request all the same. */
	if (mail_headers_get_raw(mail_message_get_headers(message), "X-Apple-Unsubscribe") !=
	    NULL) {
		classify_reply(message, subject_raw, result);
		return result;
	}
	const char *why = mail_responder_mark(message, auto_submitted, precedence);
	if (why != NULL) {
		mail_responder_classify(message, head, why, result);
		return result;
	}
	g_autofree char *person = person_behind_service(message, head);
	if (person != NULL) {
		classify_reply(message, subject_raw, result);
		g_autofree char *read = g_steal_pointer(&result->evidence);
		result->evidence = g_strdup_printf("a service's notice for %s; %s", person, read);
		result->on_behalf_of = g_steal_pointer(&person);
		return result;
	}
	g_autofree char *bulk = NULL;
	bool weak = false;
	bool marked = mail_machine_is_bulk(message, precedence, from, subject, head, &bulk, &weak);
	if (marked && !weak) {
		result->klass = MAIL_CLASS_OTHER;
		result->evidence = g_steal_pointer(&bulk);
		return result;
	}
	/* A weak mark is also a responder's (vacation programs write
	 * "Precedence: junk" or "bulk"): its signs come first. */
	const char *return_path =
	        mail_headers_get_raw(mail_message_get_headers(message), "Return-Path");
	bool machine_marked = marked || (return_path != NULL && strstr(return_path, "<>") != NULL);
	why = mail_responder_sign(message, auto_submitted, subject, head, machine_marked);
	if (why != NULL) {
		mail_responder_classify(message, head, why, result);
		return result;
	}
	/* A weak mark on an answer in a thread is the mail system's, not the
	 * writer's: it is read on (a reply taken for a newsletter would let a
	 * follow-up go after it). */
	if (marked && !mail_classify_in_a_thread(message)) {
		result->klass = MAIL_CLASS_OTHER;
		/* A short message of a person's own, through a gateway that
		 * marks all it sends: held for a look, not let pass. */
		const char *text = mail_message_get_text(message);
		result->needs_review = text != NULL && strlen(text) < SHORT_PERSONAL_BYTES &&
		                       mail_responder_says_what_a_person_wants(text);
		result->evidence =
		        result->needs_review
		                ? g_strdup_printf("not recognised: %s over a person's words", bulk)
		                : g_steal_pointer(&bulk);
		return result;
	}
	why = mail_machine_not_a_person(message, from);
	if (why != NULL) {
		result->klass = MAIL_CLASS_OTHER;
		result->needs_review = true;
		result->evidence = g_strdup_printf("not recognised: %s", why);
		return result;
	}
	/* In our thread, a person should look: a notification there is odd. */
	if (mail_machine_reads_as_a_notification(message, head)) {
		result->klass = MAIL_CLASS_OTHER;
		result->needs_review = mail_classify_in_a_thread(message);
		result->evidence = g_strdup("a notification's template, no person's words");
		return result;
	}
	if (!mail_classify_in_a_thread(message) &&
	    mail_machine_has_mailing_footer(message, head, subject)) {
		result->klass = MAIL_CLASS_OTHER;
		result->evidence = g_strdup("a mailing's opt-out footer, not in our thread");
		return result;
	}
	classify_reply(message, subject_raw, result);
	return result;
}
