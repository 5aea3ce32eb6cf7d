/* The engine's reading of a mailbox: new mail matched to enrollments and
 * applied by the rules of the campaign. */
#define G_LOG_DOMAIN "piculet-engine"

#include "engine/engine_decide.h"
#include "engine/engine_enrollment.h"
#include "engine/engine_error.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_private.h"

#include "engine/engine_mailbox.h"
#include "mail/mail_address.h"
#include "mail/mail_classify.h"
#include "mail/mail_message.h"
#include "mail/mail_reply_text.h"
#include "mail/mail_return_date.h"

#include <string.h>

/* Enough of a message's text for its reply, its return date or its
 * delivery report; the rest is quoted history or attachments. */
#define BODY_BYTES ((gsize)64 * 1024)

/* A bounce matched by its recipient alone counts only this long after our
 * last message to that address: real reports come within days (Postfix
 * gives up after 5). */
#define BOUNCE_BY_RECIPIENT_WINDOW_US ((int64_t)14 * 86400 * G_USEC_PER_SEC)

bool
engine_inbox_connect(EngineContext *context, EngineMailbox *mailbox, GError **error)
{
	if (mailbox->imap != NULL && mailbox->idling) {
		/* Out of IDLE before any command; news that came meanwhile is
		 * recorded by the session (the selected folder is "changed"). */
		mailbox->idling = false;
		g_autoptr(GError) done_error = NULL;
		if (!imap_client_idle_done(mailbox->imap, &done_error)) {
			g_debug("mailbox %s: leaving IDLE failed (%s); logging in again",
			        mailbox->mailbox->address, done_error->message);
			g_clear_pointer(&mailbox->imap, imap_client_free);
			mailbox->folders_known = false;
		}
	}
	/* The secret is asked of its source at every connect; a refused access
	 * token is renewed once. */
	for (int attempt = 0; attempt < 2 && mailbox->imap == NULL; attempt++) {
		bool oauth2 = false;
		GError *local = NULL;
		g_autoptr(BaseSecret) secret = engine_mailbox_login_secret(
		        context->store, mailbox->mailbox, context->options->ca_file,
		        engine_context_stop_fd(context), &mailbox->oauth, attempt > 0, &oauth2,
		        &local);
		if (secret == NULL) {
			if (local->domain == ENGINE_ERROR && local->code == ENGINE_ERROR_MAILBOX)
				g_prefix_error(&local, "password: ");
			g_propagate_error(error, local);
			return false;
		}
		mailbox->imap = engine_mailbox_open_imap(mailbox->mailbox, secret, oauth2,
		                                         context->options->tls,
		                                         engine_context_stop_fd(context), &local);
		if (mailbox->imap != NULL)
			break;
		if (!oauth2 || attempt > 0 ||
		    !g_error_matches(local, IMAP_ERROR, IMAP_ERROR_AUTH)) {
			g_propagate_error(error, local);
			return false;
		}
		g_clear_error(&local);
	}
	if (!mailbox->folders_known) {
		g_autoptr(GPtrArray) folders = imap_client_list(mailbox->imap, error);
		if (folders == NULL)
			return false;
		g_free(mailbox->sent_folder);
		mailbox->sent_folder = g_strdup(imap_client_folder_for_use(folders, "\\Sent"));
		g_free(mailbox->junk_folder);
		mailbox->junk_folder = g_strdup(imap_client_folder_for_use(folders, "\\Junk"));
		mailbox->folders_known = true;
	}
	return true;
}

typedef struct {
	EngineContext *context;
	EngineMailbox *mailbox;
	const char *folder;
	uint32_t uid_validity;
	GError *error; /* the first store failure */
} Reading;

static const char *
domain_of(const char *address)
{
	const char *at = address != NULL ? strrchr(address, '@') : NULL;
	return at != NULL ? at : "";
}

/* The id of the last message sent to the enrollment (what an answer
 * answers), or 0. */
static int64_t
last_sent_message(Store *store, int64_t enrollment_id, GDateTime **sent_at, GError **error)
{
	g_autoptr(GPtrArray) messages =
	        store_message_list_for_enrollment(store, enrollment_id, error);
	for (guint i = messages != NULL ? messages->len : 0; i > 0; i--) {
		const StoreMessage *m = messages->pdata[i - 1];
		EngineMessageState state = ENGINE_MESSAGE_SENDING;
		if (engine_lifecycle_message_parse(m->state, &state) &&
		    (state == ENGINE_MESSAGE_SENT || state == ENGINE_MESSAGE_UNCERTAIN)) {
			if (sent_at != NULL && m->sent_at > 0)
				*sent_at =
				        g_date_time_new_from_unix_utc(m->sent_at / G_USEC_PER_SEC);
			return m->id;
		}
	}
	return 0;
}

static bool
end_enrollment(EngineContext *context, StoreEnrollment *enrollment, EngineEnrollmentState state,
               const char *reason, GError **error)
{
	return engine_enrollment_end(context->store, enrollment, state, reason, error);
}

/* By campaign policy, a reply stops the others at the same company. */
static bool
stop_company(EngineContext *context, const StoreEnrollment *enrollment, const char *from,
             GError **error)
{
	EngineCampaign *campaign = engine_context_get_campaign(context, enrollment->campaign_id);
	if (campaign == NULL || !campaign->stop_on_company_reply)
		return true;
	/* At gmail.com, web.de, ... a shared domain is not a shared company. */
	if (engine_campaign_is_public_domain(campaign, domain_of(enrollment->email)))
		return true;
	g_autoptr(GPtrArray) colleagues = store_enrollment_list_open_by_domain(
	        context->store, enrollment->campaign_id, domain_of(enrollment->email), error);
	if (colleagues == NULL)
		return false;
	g_autofree char *reason = g_strdup_printf("%s at the same company replied", from);
	for (guint i = 0; i < colleagues->len; i++) {
		StoreEnrollment *other = colleagues->pdata[i];
		if (other->id != enrollment->id &&
		    !end_enrollment(context, other, ENGINE_ENROLLMENT_STOPPED, reason, error))
			return false;
	}
	return true;
}

/* A person who answers is in a conversation: their other sequences stop
 * too, in every campaign whose policy says so (the default). */
static bool
stop_elsewhere(EngineContext *context, const StoreEnrollment *enrollment, GError **error)
{
	g_autoptr(GPtrArray) open =
	        store_enrollment_list_open_by_email(context->store, enrollment->email, error);
	if (open == NULL)
		return false;
	EngineCampaign *replied_in = engine_context_get_campaign(context, enrollment->campaign_id);
	g_autofree char *reason = g_strdup_printf("replied in campaign \"%s\"",
	                                          replied_in != NULL ? replied_in->name : "?");
	for (guint i = 0; i < open->len; i++) {
		StoreEnrollment *other = open->pdata[i];
		EngineCampaign *campaign = engine_context_get_campaign(context, other->campaign_id);
		if (other->id == enrollment->id ||
		    (campaign != NULL && !campaign->stop_on_reply_elsewhere))
			continue;
		if (!end_enrollment(context, other, ENGINE_ENROLLMENT_STOPPED, reason, error))
			return false;
	}
	return true;
}

/* When a pause ends: the day named (midnight in the prospect's zone; an
 * auto-reply's return date, a "later" reply's day), else @days from now. */
static bool
resume_time(EngineContext *context, const StoreEnrollment *enrollment,
            const EngineCampaign *campaign, const char *return_date, int days, int64_t *at,
            GError **error)
{
	int64_t now = context->now_us;
	*at = now + (int64_t)days * (int64_t)86400 * G_USEC_PER_SEC;
	if (return_date == NULL)
		return true;
	g_autoptr(GTimeZone) zone =
	        engine_context_dup_zone(context, campaign, enrollment->email, error);
	if (zone == NULL)
		return false;
	g_autofree char *midnight = g_strdup_printf("%sT00:00:00", return_date);
	g_autoptr(GDateTime) day = g_date_time_new_from_iso8601(midnight, zone);
	if (day != NULL && g_date_time_to_unix(day) * G_USEC_PER_SEC > now)
		*at = g_date_time_to_unix(day) * G_USEC_PER_SEC;
	return true;
}

/* An open enrollment of @who in a campaign this mailbox sends. */
static StoreEnrollment *
match_sender(Reading *reading, const char *who)
{
	Store *store = reading->context->store;
	g_autofree char *lower = g_ascii_strdown(who, -1);
	g_autoptr(GPtrArray) open =
	        store_enrollment_list_open_by_email(store, lower, &reading->error);
	for (guint i = 0; open != NULL && i < open->len; i++) {
		StoreEnrollment *candidate = open->pdata[i];
		EngineCampaign *campaign =
		        engine_context_get_campaign(reading->context, candidate->campaign_id);
		bool ours = candidate->mailbox_id == reading->mailbox->mailbox->id;
		for (guint m = 0; !ours && campaign != NULL && candidate->mailbox_id == 0 &&
		                  m < campaign->mailboxes->len;
		     m++)
			ours = strcmp(campaign->mailboxes->pdata[m],
			              reading->mailbox->mailbox->address) == 0;
		if (ours)
			return g_ptr_array_steal_index(open, i);
	}
	return NULL;
}

/* The subject without the reply and forward prefixes mail clients add in
 * many languages ("Re:", "AW:", "SV:", "Fwd:", "WG:", "TR:", "RV:",
 * "Antw:", "Odp:", "R:"), any number of times, lower-cased. */
static char *
bare_subject(const char *subject)
{
	static const char *const prefixes[] = {
	        "re:", "aw:", "sv:",   "vs:",  "fwd:", "fw:",  "wg:", "tr:",
	        "rv:", "r:",  "antw:", "odp:", "enc:", "res:", "ref:"};
	g_autofree char *lower = g_utf8_strdown(subject != NULL ? subject : "", -1);
	const char *p = lower;
	for (bool stripped = true; stripped;) {
		stripped = false;
		while (*p == ' ' || *p == '\t')
			p++;
		for (gsize i = 0; i < G_N_ELEMENTS(prefixes); i++) {
			if (g_str_has_prefix(p, prefixes[i])) {
				p += strlen(prefixes[i]);
				stripped = true;
				break;
			}
		}
	}
	return g_strstrip(g_strdup(p));
}

/* Whether the first message we sent to @enrollment had @subject (bare);
 * false with @error when the store failed. */
static bool
subject_matches(Store *store, const StoreEnrollment *enrollment, const char *subject,
                GError **error)
{
	g_autoptr(GPtrArray) messages =
	        store_message_list_for_enrollment(store, enrollment->id, error);
	if (messages == NULL || messages->len == 0)
		return false;
	const StoreMessage *first = messages->pdata[0];
	g_autofree char *ours = bare_subject(first->subject);
	return ours[0] != '\0' && strcmp(ours, subject) == 0;
}

/*
 * Someone at a prospect's company writes without thread headers (a new
 * message, "AW: <our subject>"): under the company policy it is the
 * company answering. Matched by the sender's domain among what this
 * mailbox has mailed there (never a public provider's domain), the one
 * whose subject it repeats first, else the one mailed last.
 */
static StoreEnrollment *
match_company(Reading *reading, const MailMessage *message, const char *from)
{
	EngineContext *context = reading->context;
	const char *domain = domain_of(from);
	if (domain[0] == '\0')
		return NULL;
	g_autofree char *subject_raw =
	        mail_headers_dup_decoded(mail_message_get_headers(message), "Subject");
	g_autofree char *subject = bare_subject(subject_raw);
	StoreEnrollment *best = NULL;
	bool best_by_subject = false;
	GHashTableIter iter;
	gpointer key;
	gpointer value;
	g_hash_table_iter_init(&iter, context->campaigns);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		const EngineCampaign *campaign = value;
		if (!campaign->stop_on_company_reply ||
		    engine_campaign_is_public_domain(campaign, domain))
			continue;
		g_autoptr(GPtrArray) open = store_enrollment_list_open_by_domain(
		        context->store, *(const gint64 *)key, domain, &reading->error);
		if (reading->error != NULL)
			break;
		for (guint i = 0; open != NULL && i < open->len; i++) {
			StoreEnrollment *candidate = open->pdata[i];
			if (candidate->mailbox_id != reading->mailbox->mailbox->id ||
			    candidate->last_sent_at <= 0)
				continue;
			bool by_subject =
			        subject[0] != '\0' && subject_matches(context->store, candidate,
			                                              subject, &reading->error);
			if (reading->error != NULL)
				break;
			bool better = best == NULL || (by_subject && !best_by_subject) ||
			              (by_subject == best_by_subject &&
			               candidate->last_sent_at > best->last_sent_at);
			if (better) {
				/* Taken out of the array, which then frees a NULL. */
				store_enrollment_free(best);
				best = candidate;
				open->pdata[i] = NULL;
				best_by_subject = by_subject;
			}
		}
	}
	if (reading->error != NULL)
		g_clear_pointer(&best, store_enrollment_free);
	return best;
}

/* The enrollment this message is about: by our Message-IDs it refers to
 * (*@by_reference), then (a bounce) by the recipient it reports, then by
 * the sender. */
static StoreEnrollment *
match(Reading *reading, const MailMessage *message, const MailClassification *classification,
      const char *from, bool *by_reference)
{
	*by_reference = true;
	Store *store = reading->context->store;
	const MailHeaders *headers = mail_message_get_headers(message);
	const MailHeaders *returned = mail_message_get_returned_headers(message);
	const char *fields[] = {"In-Reply-To", "References"};
	for (gsize f = 0; f < G_N_ELEMENTS(fields); f++) {
		g_autoptr(GPtrArray) ids = mail_headers_dup_message_ids(headers, fields[f]);
		for (guint i = ids->len; i > 0; i--) {
			g_autoptr(StoreMessage) ours =
			        store_message_find(store, ids->pdata[i - 1], &reading->error);
			if (reading->error != NULL)
				return NULL;
			if (ours != NULL)
				return store_enrollment_get_by_id(store, ours->enrollment_id,
				                                  &reading->error);
		}
	}
	/* A notification that names our message without returning it. */
	if (classification->about_message_id != NULL) {
		g_autoptr(StoreMessage) ours = store_message_find(
		        store, classification->about_message_id, &reading->error);
		if (reading->error != NULL)
			return NULL;
		if (ours != NULL)
			return store_enrollment_get_by_id(store, ours->enrollment_id,
			                                  &reading->error);
	}
	if (returned != NULL) {
		g_autoptr(GPtrArray) ids = mail_headers_dup_message_ids(returned, "Message-ID");
		for (guint i = 0; i < ids->len; i++) {
			g_autoptr(StoreMessage) ours =
			        store_message_find(store, ids->pdata[i], &reading->error);
			if (reading->error != NULL)
				return NULL;
			if (ours != NULL)
				return store_enrollment_get_by_id(store, ours->enrollment_id,
				                                  &reading->error);
		}
	}
	*by_reference = false;
	StoreEnrollment *found = NULL;
	if (classification->klass == MAIL_CLASS_BOUNCE && classification->recipients != NULL) {
		/* Each failed recipient in turn: a report may name several. */
		for (guint i = 0;
		     i < classification->recipients->len && found == NULL && reading->error == NULL;
		     i++) {
			const MailBounceRecipient *r = classification->recipients->pdata[i];
			found = match_sender(reading, r->address);
		}
		return found;
	}
	const char *who =
	        classification->klass == MAIL_CLASS_FEEDBACK ? classification->recipient : from;
	found = who != NULL ? match_sender(reading, who) : NULL;
	/* Only a person's reply speaks for the company; a colleague's
	 * out-of-office or a newsletter from its domain does not. */
	if (found != NULL || reading->error != NULL || classification->klass != MAIL_CLASS_REPLY ||
	    from == NULL)
		return found;
	return match_company(reading, message, from);
}

/* The class an inbound record keeps: an opt-out apart from other replies. */
static const char *
class_name(const MailClassification *classification)
{
	return classification->opt_out ? "opt_out"
	                               : mail_classify_class_to_string(classification->klass);
}

/* Enrolls @email (made a prospect when it is none) in campaign @name after
 * a reply asked for it (a move, a referral). A campaign that is gone or
 * archived, an address that is not valid or may not be written to: said
 * in the log, and the reply is applied without it. */
static bool
enroll_after_reply(EngineContext *context, const char *name, const char *email, bool moving,
                   GError **error)
{
	g_autoptr(StoreCampaign) target = store_campaign_get(context->store, name, error);
	if (target == NULL && error != NULL && *error != NULL)
		return false;
	if (target == NULL || strcmp(target->state, "archived") == 0) {
		g_warning("reply of %s: campaign \"%s\" %s: not enrolled", email, name,
		          target == NULL ? "does not exist" : "is archived");
		return true;
	}
	g_autofree char *address = mail_address_normalize(email, NULL);
	if (address == NULL) {
		g_warning("reply: \"%s\" is not an address: not enrolled", email);
		return true;
	}
	/* A colleague new to us becomes a prospect; one we know keeps what we
	 * know of them. */
	g_autoptr(StoreProspect) known = store_prospect_get(context->store, address, error);
	if (known == NULL && error != NULL && *error != NULL)
		return false;
	StoreProspectInput prospect = {.email = address};
	StoreProspectResult put;
	if (known == NULL && !store_prospect_put(context->store, &prospect, &put, error))
		return false;
	/* The person who asked to move has no other sequence left; a colleague
	 * busy in another campaign is held back, not mailed twice. */
	StoreEnrollResult result;
	if (!store_enrollment_add(context->store, target->id, address, moving, &result, error))
		return false;
	if (result == STORE_ENROLL_ADDED)
		g_message("%s enrolled in campaign \"%s\" after a reply", address, name);
	else
		g_warning("reply: %s not enrolled in campaign \"%s\" (%s)", address, name,
		          result == STORE_ENROLL_ALREADY             ? "enrolled already"
		          : result == STORE_ENROLL_IN_OTHER_CAMPAIGN ? "busy in another campaign"
		                                                     : "not to be written to");
	return true;
}

/* Applies what the decision says, inside the caller's transaction. */
static bool
apply_decision(EngineContext *context, StoreEnrollment *enrollment, const char *from,
               const EngineInboundDecision *d, GError **error)
{
	bool found = false;
	switch (d->action) {
	case ENGINE_INBOUND_NOTHING:
		return true;
	case ENGINE_INBOUND_HOLD:
		/* No end of pause: `piculet prospects resume` (or a stop) by a
		 * person ends it. */
		if (!engine_enrollment_move(enrollment, ENGINE_ENROLLMENT_PAUSED, d->reason, error))
			return false;
		enrollment->next_due_at = ENGINE_ENROLLMENT_HELD;
		g_message("enrollment %" G_GINT64_FORMAT " (%s): %s", enrollment->id,
		          enrollment->email, enrollment->reason);
		return store_enrollment_update(context->store, enrollment, error);
	case ENGINE_INBOUND_PAUSE:
		if (!engine_enrollment_move(enrollment, ENGINE_ENROLLMENT_PAUSED, d->reason, error))
			return false;
		enrollment->next_due_at = d->due_at;
		enrollment->soft_bounces = d->soft_bounces;
		g_message("enrollment %" G_GINT64_FORMAT " (%s): paused: %s", enrollment->id,
		          enrollment->email, enrollment->reason);
		return store_enrollment_update(context->store, enrollment, error);
	case ENGINE_INBOUND_STOP:
		return end_enrollment(context, enrollment, ENGINE_ENROLLMENT_STOPPED, d->reason,
		                      error);
	case ENGINE_INBOUND_BOUNCE_THIS:
		return end_enrollment(context, enrollment, ENGINE_ENROLLMENT_BOUNCED, d->reason,
		                      error);
	case ENGINE_INBOUND_BOUNCE_ADDRESS:
		return engine_enrollment_end_everywhere(context->store, enrollment->email,
		                                        ENGINE_ENROLLMENT_BOUNCED, d->reason,
		                                        error) &&
		       (!d->mark_bounced ||
		        store_prospect_set_status(
		                context->store, enrollment->email,
		                engine_lifecycle_prospect_name(ENGINE_PROSPECT_BOUNCED), &found,
		                error));
	case ENGINE_INBOUND_OPT_OUT:
		return engine_enrollment_opt_out(context->store, enrollment->email, d->reason,
		                                 "opted out by reply", error);
	case ENGINE_INBOUND_REPLY:
		return end_enrollment(context, enrollment, ENGINE_ENROLLMENT_REPLIED, d->reason,
		                      error) &&
		       stop_company(context, enrollment, from, error) &&
		       (d->kind != ENGINE_EVENT_REPLY ||
		        stop_elsewhere(context, enrollment, error));
	case ENGINE_INBOUND_REPLY_PAUSE:
		/* Only this sequence waits; the company's and the person's others
		 * stop, as after any reply. */
		if (!stop_company(context, enrollment, from, error) ||
		    !stop_elsewhere(context, enrollment, error) ||
		    !engine_enrollment_move(enrollment, ENGINE_ENROLLMENT_PAUSED, d->reason, error))
			return false;
		enrollment->next_due_at = d->due_at;
		if (d->resume_step > 0)
			enrollment->next_step = d->resume_step;
		g_message("enrollment %" G_GINT64_FORMAT " (%s): %s", enrollment->id,
		          enrollment->email, enrollment->reason);
		return store_enrollment_update(context->store, enrollment, error);
	case ENGINE_INBOUND_REPLY_MOVE:
		return end_enrollment(context, enrollment, ENGINE_ENROLLMENT_REPLIED, d->reason,
		                      error) &&
		       stop_company(context, enrollment, from, error) &&
		       stop_elsewhere(context, enrollment, error) &&
		       enroll_after_reply(context, d->move_to, enrollment->email, true, error);
	case ENGINE_INBOUND_REPLY_REFER: {
		EngineCampaign *here =
		        engine_context_get_campaign(context, enrollment->campaign_id);
		return end_enrollment(context, enrollment, ENGINE_ENROLLMENT_REPLIED, d->reason,
		                      error) &&
		       stop_company(context, enrollment, from, error) &&
		       stop_elsewhere(context, enrollment, error) &&
		       (here == NULL ||
		        enroll_after_reply(context, here->name, d->referral, false, error));
	}
	}
	return true;
}

/* Decides what one message does and applies it, inside a transaction
 * begun by the caller. */
static bool
apply(Reading *reading, StoreEnrollment *enrollment, const MailMessage *message,
      const MailClassification *classification, const char *from, bool only_this, GError **error)
{
	EngineContext *context = reading->context;
	g_autoptr(GDateTime) sent_at = NULL;
	GError *local = NULL;
	int64_t answered = last_sent_message(context->store, enrollment->id, &sent_at, &local);
	if (local != NULL) {
		g_propagate_error(error, local);
		return false;
	}
	EngineCampaign *campaign = engine_context_get_campaign(context, enrollment->campaign_id);
	bool colleague = classification->klass != MAIL_CLASS_BOUNCE && from != NULL &&
	                 strcmp(from, enrollment->email) != 0;
	EngineInboundCase in = {
	        .classification = classification,
	        .bounce = mail_classify_bounce_for(classification, enrollment->email),
	        .from = from,
	        .colleague = colleague,
	        .only_this = only_this,
	        .open = engine_enrollment_is_open(enrollment),
	        .soft_bounces = enrollment->soft_bounces,
	        .auto_reply = campaign != NULL ? campaign->auto_reply : ENGINE_AUTO_REPLY_CONTINUE,
	        .now_us = context->now_us,
	        .pauses = engine_context_pauses(context),
	};
	g_autofree char *back_on = NULL;
	if (classification->klass == MAIL_CLASS_AUTO_REPLY && campaign != NULL &&
	    !classification->departed) {
		const char *text = mail_message_get_text(message);
		g_autoptr(GDateTime) now =
		        g_date_time_new_from_unix_utc(context->now_us / G_USEC_PER_SEC);
		back_on = text != NULL
		                  ? mail_return_date_find(text, sent_at != NULL ? sent_at : now)
		                  : NULL;
		if (!resume_time(context, enrollment, campaign, back_on, campaign->auto_reply_days,
		                 &in.back_at_us, error))
			return false;
	}
	/* A person's reply: what its intent's policy says. */
	if (classification->klass == MAIL_CLASS_REPLY && campaign != NULL &&
	    classification->intent != MAIL_INTENT_UNSUBSCRIBE) {
		in.on_reply = &campaign->on_reply[classification->intent];
		if (in.on_reply->action == ENGINE_REPLY_PAUSE &&
		    !resume_time(context, enrollment, campaign, classification->intent_date,
		                 campaign->later_days, &in.later_at_us, error))
			return false;
	}
	g_auto(EngineInboundDecision) d = {0};
	engine_decide_inbound(&in, &d);
	if (d.action == ENGINE_INBOUND_PAUSE && d.reason == NULL)
		d.reason =
		        back_on != NULL
		                ? g_strdup_printf("auto-reply: back on %s", back_on)
		                : g_strdup_printf("auto-reply: paused %d days",
		                                  campaign != NULL ? campaign->auto_reply_days : 0);
	g_autofree char *detail = g_strdup_printf(
	        "%s from %s: %s", engine_lifecycle_event_name(d.kind), from != NULL ? from : "?",
	        classification->evidence != NULL ? classification->evidence : "");
	if (!engine_context_add_event(context, reading->mailbox->mailbox->id, d.event,
	                              enrollment->id, answered, detail, error))
		return false;
	g_message("mailbox %s: %s for enrollment %" G_GINT64_FORMAT " (%s)",
	          reading->mailbox->mailbox->address, detail, enrollment->id, enrollment->email);
	engine_run_summary_add(context->summary, &d.counts);
	bool guarded = d.kind == ENGINE_EVENT_BOUNCE || d.kind == ENGINE_EVENT_COMPLAINT;
	return apply_decision(context, enrollment, from, &d, error) &&
	       engine_context_note_completion(context, enrollment, in.open, error) &&
	       (!guarded ||
	        engine_context_guard(context, reading->mailbox, enrollment->campaign_id, error));
}

/*
 * A delivery report that quotes nothing we sent can be written by anyone.
 * It is believed only as real bounces look: sent with a null envelope
 * sender (Return-Path: <>, RFC 3464 2 / RFC 5321 4.5.5), about an address
 * this mailbox itself mailed recently. Even then it ends only that
 * enrollment (see apply_bounce).
 */
static bool
bounce_by_recipient_trusted(Reading *reading, const MailMessage *message,
                            const StoreEnrollment *enrollment)
{
	const char *return_path =
	        mail_headers_get_raw(mail_message_get_headers(message), "Return-Path");
	g_autofree char *path = g_strdup(return_path != NULL ? return_path : "x");
	g_strstrip(path);
	bool null_sender = strcmp(path, "<>") == 0;
	bool mailed_here = enrollment->mailbox_id == reading->mailbox->mailbox->id &&
	                   enrollment->last_sent_at > 0 &&
	                   reading->context->now_us - enrollment->last_sent_at <=
	                           BOUNCE_BY_RECIPIENT_WINDOW_US;
	return null_sender && mailed_here;
}

/* What a new message does, inside the transaction that records it. */
typedef bool (*InboundEffect)(Reading *reading, void *data, GError **error);

/* Records @inbound once per mailbox and Message-ID and, the first time
 * only (a rescan after a UIDVALIDITY change applies nothing twice), its
 * @effect, in one transaction; a failure goes to reading->error and
 * leaves nothing. *@added says whether it was new. */
static void
record_once(Reading *reading, const StoreInboundInput *inbound, InboundEffect effect, void *data,
            bool *added)
{
	Store *store = reading->context->store;
	GError **error = &reading->error;
	*added = false;
	if (!store_begin(store, error))
		return;
	if (!store_inbound_add(store, inbound, added, error) ||
	    (*added && !effect(reading, data, error)) || !store_commit(store, error)) {
		store_rollback(store);
		*added = false;
	}
}

static bool
add_unmatched_event(Reading *reading, void *data, GError **error)
{
	return engine_context_add_event(reading->context, reading->mailbox->mailbox->id,
	                                ENGINE_EVENT_UNMATCHED, 0, 0, data, error);
}

/* Kept for a person to look at (`piculet replies` without a campaign shows
 * it), changing nothing. */
static void
record_unmatched(Reading *reading, const char *message_id, const char *from,
                 const MailHeaders *headers, const MailClassification *classification)
{
	EngineContext *context = reading->context;
	g_autofree char *subject = mail_headers_dup_decoded(headers, "Subject");
	g_autofree char *detail = g_strdup_printf(
	        "a %s for %s that refers to no message of ours, from %s: not applied",
	        classification->klass == MAIL_CLASS_FEEDBACK ? "feedback report"
	                                                     : "delivery report",
	        classification->recipient != NULL ? classification->recipient : "?",
	        from != NULL ? from : "?");
	StoreInboundInput inbound = {
	        .mailbox_id = reading->mailbox->mailbox->id,
	        .message_id = message_id,
	        .klass = "unmatched_bounce",
	        .from_address = from,
	        .subject = subject,
	        .reply_text = detail,
	        .received_at = context->now_us,
	};
	bool added = false;
	record_once(reading, &inbound, add_unmatched_event, detail, &added);
	if (added)
		g_warning("mailbox %s: %s", reading->mailbox->mailbox->address, detail);
}

/* apply() as an InboundEffect. */
typedef struct {
	StoreEnrollment *enrollment;
	const MailMessage *message;
	const MailClassification *classification;
	const char *from;
	bool only_this;
} Applying;

static bool
apply_effect(Reading *reading, void *data, GError **error)
{
	Applying *what = data;
	/* Decided on the row as it is inside this transaction: another
	 * worker may have changed it since it was matched. */
	if (!engine_enrollment_reload(reading->context->store, what->enrollment, error))
		return false;
	return apply(reading, what->enrollment, what->message, what->classification, what->from,
	             what->only_this, error);
}

static void
on_message(const ImapFetch *fetch, void *user_data)
{
	Reading *reading = user_data;
	EngineContext *context = reading->context;
	if (reading->error != NULL || fetch->header == NULL)
		return;
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	gsize n = 0;
	const guint8 *data = g_bytes_get_data(fetch->header, &n);
	g_byte_array_append(bytes, data, (guint)n);
	if (fetch->text != NULL) {
		data = g_bytes_get_data(fetch->text, &n);
		g_byte_array_append(bytes, data, (guint)n);
	}
	g_autoptr(MailMessage) message = mail_message_parse((const char *)bytes->data, bytes->len);
	if (message == NULL)
		return;
	const MailHeaders *headers = mail_message_get_headers(message);
	g_autoptr(GPtrArray) own_ids = mail_headers_dup_message_ids(headers, "Message-ID");
	g_autofree char *message_id = own_ids->len > 0
	                                      ? g_strdup(own_ids->pdata[0])
	                                      : g_strdup_printf("uid:%s:%u:%u", reading->folder,
	                                                        reading->uid_validity, fetch->uid);
	g_autofree char *from = mail_headers_dup_address(headers, "From");
	/* Our own messages (a copy in the inbox, a Bcc to self) are not news. */
	if (from != NULL && strcmp(from, reading->mailbox->mailbox->address) == 0)
		return;
	/* Every store failure from here on leaves the message unapplied and
	 * stops the folder's reading, so its cursor is not saved: the next
	 * pass reads it again. A failure must never read as "not ours". */
	g_autoptr(StoreMessage) ours =
	        store_message_find(context->store, message_id, &reading->error);
	if (ours != NULL || reading->error != NULL)
		return;
	g_autoptr(MailClassification) classification = mail_classify_message(message);
	/* A service's notice for a person (a booking, a shared document)
	 * speaks for them: the reply is theirs, matched and recorded as from
	 * them. */
	if (classification->on_behalf_of != NULL) {
		g_free(from);
		from = g_strdup(classification->on_behalf_of);
	}
	bool by_reference = false;
	g_autoptr(StoreEnrollment) enrollment =
	        match(reading, message, classification, from, &by_reference);
	if (enrollment == NULL || reading->error != NULL)
		return;
	bool only_this = false;
	/* A report that names no message of ours (a feedback report is only
	 * believed so). */
	if (classification->klass == MAIL_CLASS_FEEDBACK && !by_reference) {
		record_unmatched(reading, message_id, from, headers, classification);
		return;
	}
	if (classification->klass == MAIL_CLASS_BOUNCE && !by_reference) {
		if (!bounce_by_recipient_trusted(reading, message, enrollment)) {
			record_unmatched(reading, message_id, from, headers, classification);
			return;
		}
		only_this = true;
	}
	const char *text = mail_message_get_text(message);
	g_autofree char *reply_text = classification->reply_text != NULL
	                                      ? g_strdup(classification->reply_text)
	                              : text != NULL ? mail_reply_text_extract(text)
	                                             : g_strdup("");
	g_autofree char *subject = mail_headers_dup_decoded(headers, "Subject");
	const MailBounceRecipient *bounce =
	        classification->klass == MAIL_CLASS_BOUNCE
	                ? mail_classify_bounce_for(classification, enrollment->email)
	                : NULL;
	StoreInboundInput inbound = {
	        .mailbox_id = reading->mailbox->mailbox->id,
	        .message_id = message_id,
	        .enrollment_id = enrollment->id,
	        .klass = classification->opt_out ? "opt_out" : class_name(classification),
	        .from_address = from,
	        .subject = subject,
	        .reply_text = reply_text,
	        .received_at = context->now_us,
	        .intent = classification->klass == MAIL_CLASS_REPLY
	                          ? mail_intent_to_string(classification->intent)
	                          : NULL,
	        .intent_date = classification->intent_date,
	        .referral = classification->referral,
	        .needs_review = classification->needs_review,
	        .return_date = classification->return_date,
	        .bounce_status = bounce != NULL ? bounce->status : NULL,
	        .bounce_reason = bounce != NULL ? mail_reason_to_string(bounce->reason) : NULL,
	        .bounce_hard = bounce != NULL && bounce->hard && !classification->delayed,
	};
	Applying what = {.enrollment = enrollment,
	                 .message = message,
	                 .classification = classification,
	                 .from = from,
	                 .only_this = only_this};
	bool added = false;
	record_once(reading, &inbound, apply_effect, &what, &added);
}

static bool
read_folder(EngineContext *context, EngineMailbox *mailbox, const char *folder, GError **error)
{
	ImapCursor cursor = {0};
	if (!store_mailbox_get_cursor(context->store, mailbox->mailbox->id, folder,
	                              &cursor.uid_validity, &cursor.last_uid, error))
		return false;
	if (cursor.uid_validity == 0) {
		/* The first look: what is there already came before any message
		 * of ours, so it answers none. Start from the end. */
		if (!imap_client_select(mailbox->imap, folder, true, error))
			return false;
		const ImapSelected *selected = imap_client_get_selected(mailbox->imap);
		return store_mailbox_set_cursor(
		        context->store, mailbox->mailbox->id, folder, selected->uid_validity,
		        selected->uid_next > 0 ? selected->uid_next - 1 : 0, error);
	}
	Reading reading = {.context = context,
	                   .mailbox = mailbox,
	                   .folder = folder,
	                   .uid_validity = cursor.uid_validity};
	ImapSyncOptions options = {.folder = folder, .body_bytes = BODY_BYTES};
	bool reset = false;
	bool ok = imap_sync_folder(mailbox->imap, &options, &cursor, on_message, &reading, &reset,
	                           error);
	if (reading.error != NULL) {
		g_clear_error(error);
		g_propagate_error(error, reading.error);
		return false;
	}
	if (!ok)
		return false;
	return store_mailbox_set_cursor(context->store, mailbox->mailbox->id, folder,
	                                cursor.uid_validity, cursor.last_uid, error);
}

static bool
junk_due(const EngineContext *context, const EngineMailbox *mailbox)
{
	return mailbox->junk_read_at == 0 || mailbox->junk_now ||
	       context->now_us - mailbox->junk_read_at >=
	               engine_context_pauses(context)->junk_every_s * G_USEC_PER_SEC ||
	       context->now_us < mailbox->junk_read_at;
}

static bool
process_once(EngineContext *context, EngineMailbox *mailbox, GError **error)
{
	if (!engine_inbox_connect(context, mailbox, error))
		return false;
	/* Junk first, now and then: INBOX stays selected, ready for IDLE and
	 * for the look before each follow-up. */
	if (mailbox->junk_folder != NULL && junk_due(context, mailbox)) {
		if (!read_folder(context, mailbox, mailbox->junk_folder, error))
			return false;
		mailbox->junk_read_at = context->now_us;
		mailbox->junk_now = false;
	}
	if (!read_folder(context, mailbox, "INBOX", error))
		return false;
	mailbox->inbox_read = true;
	mailbox->news = false;
	return true;
}

bool
engine_inbox_needs_read(EngineContext *context, EngineMailbox *mailbox)
{
	if (!mailbox->inbox_read || !mailbox->idling || mailbox->news || junk_due(context, mailbox))
		return true;
	/* An announcement may sit unread in the socket since the last wait:
	 * look without waiting. */
	bool woken = false;
	g_autoptr(GError) error = NULL;
	if (imap_client_has_buffered_input(mailbox->imap) ||
	    !imap_client_idle_wait(mailbox->imap, 0, -1, &woken, &error) || woken)
		mailbox->news = true;
	return mailbox->news;
}

bool
engine_inbox_process(EngineContext *context, EngineMailbox *mailbox, GError **error)
{
	bool reused = mailbox->imap != NULL;
	GError *local = NULL;
	if (process_once(context, mailbox, &local))
		return true;
	/* A session kept from an earlier pass may have been dropped by the
	 * server (idle logout): one fresh try before calling it trouble. */
	if (reused && local->domain != STORE_ERROR) {
		g_debug("mailbox %s: IMAP session lost (%s); logging in again",
		        mailbox->mailbox->address, local->message);
		g_clear_error(&local);
		g_clear_pointer(&mailbox->imap, imap_client_free);
		mailbox->folders_known = false;
		return process_once(context, mailbox, error);
	}
	g_propagate_error(error, local);
	return false;
}
