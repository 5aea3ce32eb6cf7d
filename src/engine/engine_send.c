/* The engine's sending: what is due next for a mailbox, one step sent in
 * the order that keeps the promises, and the settling of what a crash cut. */
#define G_LOG_DOMAIN "piculet-engine"

#include "base/base_log.h"
#include "base/base_zone.h"
#include "engine/engine_private.h"

#include "engine/engine_compose.h"
#include "engine/engine_decide.h"
#include "engine/engine_enrollment.h"
#include "engine/engine_error.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_links.h"
#include "engine/engine_mailbox.h"
#include "engine/engine_pauses.h"
#include "engine/engine_variant.h"

#include <string.h>

/* Start of the local day of @at_us in the zone named @zone_name (UTC when
 * it names none known). */
static int64_t
start_of_day(const char *zone_name, int64_t at_us)
{
	g_autoptr(GTimeZone) zone = base_zone_new(zone_name, NULL);
	if (zone == NULL)
		zone = g_time_zone_new_utc();
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(at_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, zone);
	g_autoptr(GDateTime) midnight =
	        g_date_time_new(zone, g_date_time_get_year(local), g_date_time_get_month(local),
	                        g_date_time_get_day_of_month(local), 0, 0, 0);
	return g_date_time_to_unix(midnight) * G_USEC_PER_SEC;
}

bool
engine_send_advance(EngineContext *context, StoreEnrollment *enrollment, int step,
                    int64_t sent_at_us, GError **error)
{
	EngineCampaign *campaign = engine_context_get_campaign(context, enrollment->campaign_id);
	bool last = campaign == NULL || (guint)(step + 1) > campaign->steps->len;
	if (!engine_enrollment_move(enrollment,
	                            last ? ENGINE_ENROLLMENT_COMPLETED : ENGINE_ENROLLMENT_ACTIVE,
	                            NULL, error))
		return false;
	enrollment->last_sent_at = sent_at_us;
	enrollment->next_step = step + 1;
	enrollment->retries = 0;
	enrollment->soft_bounces = 0;
	if (last) {
		enrollment->next_due_at = 0;
		return true;
	}
	g_autoptr(GTimeZone) zone =
	        engine_context_dup_zone(context, campaign, enrollment->email, error);
	if (zone == NULL)
		return false;
	enrollment->next_due_at =
	        engine_campaign_due_at(campaign, zone, enrollment->next_step, sent_at_us);
	return true;
}

static char *
reply_summary(const SmtpReply *reply)
{
	return reply != NULL ? smtp_reply_dup_summary(reply, 300) : g_strdup("");
}

/* The mailbox may not send for a while; its mail is still read. */
static bool
pause_mailbox(EngineContext *context, EngineMailbox *mailbox, const char *reason, int64_t until_us,
              GError **error)
{
	return engine_context_pause_mailbox(context, mailbox, ENGINE_MAILBOX_PAUSED_SENDING, reason,
	                                    until_us, error);
}

/* Moves the enrollment as it is now (read again first: another worker may
 * have ended it meanwhile, with a reply read in another mailbox, and that
 * end stands: a move the table does not allow from it is left undone). */
static bool
set_enrollment_counted(EngineContext *context, StoreEnrollment *enrollment,
                       EngineEnrollmentState state, const char *reason, int64_t next_due_at,
                       int retries, GError **error)
{
	if (!engine_enrollment_reload(context->store, enrollment, error))
		return false;
	EngineEnrollmentState now = engine_enrollment_state_of(enrollment);
	if (!engine_enrollment_move_allowed(now, state)) {
		g_debug("enrollment %" G_GINT64_FORMAT " (%s): stays %s, not %s", enrollment->id,
		        enrollment->email, engine_enrollment_state_name(now),
		        engine_enrollment_state_name(state));
		return true;
	}
	if (!engine_enrollment_move(enrollment, state, reason, error))
		return false;
	enrollment->next_due_at = next_due_at;
	if (retries >= 0)
		enrollment->retries = retries;
	bool written = false;
	return engine_enrollment_save(context->store, enrollment, &written, error);
}

/* The same, the count of retries left as it is. */
static bool
set_enrollment(EngineContext *context, StoreEnrollment *enrollment, EngineEnrollmentState state,
               const char *reason, int64_t next_due_at, GError **error)
{
	return set_enrollment_counted(context, enrollment, state, reason, next_due_at, -1, error);
}

/* Step @step went out at @sent_at_us: the enrollment, as it is now, moves
 * on. A pause that came meanwhile (an auto-reply read by another worker)
 * stays, one step further; an end stays as it is. */
static bool
record_sent_step(EngineContext *context, StoreEnrollment *enrollment, int64_t mailbox_id, int step,
                 int64_t sent_at_us, GError **error)
{
	if (!engine_enrollment_reload(context->store, enrollment, error))
		return false;
	EngineEnrollmentState state = engine_enrollment_state_of(enrollment);
	if (enrollment->next_step != step)
		return true;
	enrollment->mailbox_id = mailbox_id;
	if (state == ENGINE_ENROLLMENT_ACTIVE || state == ENGINE_ENROLLMENT_QUEUED) {
		if (!engine_send_advance(context, enrollment, step, sent_at_us, error))
			return false;
	} else if (state == ENGINE_ENROLLMENT_PAUSED) {
		enrollment->last_sent_at = sent_at_us;
		enrollment->next_step = step + 1;
	} else {
		return true;
	}
	bool written = false;
	return engine_enrollment_save(context->store, enrollment, &written, error);
}

/* Files the sent message in the Sent folder, unless the provider does
 * (Gmail and others file what goes through their SMTP). The first message
 * of a run tells which: found there already, the provider files; else we
 * append, and from then on append without looking. */
static void
file_in_sent(EngineContext *context, EngineMailbox *mailbox, const char *message_id, GBytes *bytes)
{
	g_autoptr(GError) error = NULL;
	if (mailbox->sent_filing == ENGINE_SENT_BY_PROVIDER)
		return;
	if (!engine_inbox_connect(context, mailbox, &error) || mailbox->sent_folder == NULL) {
		if (error != NULL)
			g_warning("mailbox %s: cannot file the sent message: %s",
			          mailbox->mailbox->address, error->message);
		return;
	}
	if (mailbox->sent_filing == ENGINE_SENT_UNKNOWN) {
		g_autofree char *bracketed = g_strdup_printf("<%s>", message_id);
		g_autoptr(GArray) found = NULL;
		if (imap_client_select(mailbox->imap, mailbox->sent_folder, true, &error))
			found = imap_client_uid_search_header(mailbox->imap, "Message-ID",
			                                      bracketed, &error);
		if (found == NULL) {
			g_warning("mailbox %s: %s", mailbox->mailbox->address, error->message);
			return;
		}
		mailbox->sent_filing = found->len > 0 ? ENGINE_SENT_BY_PROVIDER : ENGINE_SENT_BY_US;
		g_debug("mailbox %s: sent mail is filed by %s", mailbox->mailbox->address,
		        found->len > 0 ? "the provider" : "piculet");
		if (found->len > 0)
			return;
	}
	if (!imap_client_append(mailbox->imap, mailbox->sent_folder, "(\\Seen)", bytes, NULL,
	                        &error))
		g_warning("mailbox %s: cannot file the sent message: %s", mailbox->mailbox->address,
		          error->message);
}

static bool
open_smtp(EngineContext *context, EngineMailbox *mailbox, bool *usable, GError **error)
{
	*usable = true;
	if (mailbox->smtp != NULL)
		return true;
	g_autoptr(GError) local = NULL;
	SmtpOutcome failure = SMTP_OUTCOME_UNKNOWN;
	SmtpAdvice advice = {NULL, false};
	/* A refused access token is renewed once: it may have been revoked or
	 * have ended early. */
	for (int attempt = 0; attempt < 2 && mailbox->smtp == NULL; attempt++) {
		g_clear_error(&local);
		/* Asked of its source at every connect: a password changed with
		 * `mailbox edit`, in its file or behind its command is used at once. */
		bool oauth2 = false;
		g_autoptr(BaseSecret) secret = engine_mailbox_login_secret(
		        context->store, mailbox->mailbox, context->options->ca_file,
		        engine_context_stop_fd(context), &mailbox->oauth, attempt > 0, &oauth2,
		        &local);
		if (secret == NULL) {
			*usable = false;
			return engine_context_pause_for_login(
			        context, mailbox, ENGINE_MAILBOX_PAUSED_SENDING, local, error);
		}
		mailbox->smtp = engine_mailbox_open_smtp(
		        mailbox->mailbox, secret, oauth2, context->options->tls,
		        engine_context_stop_fd(context), &failure, &advice, &local);
		if (!oauth2 || failure != SMTP_OUTCOME_AUTH_REJECTED)
			break;
	}
	if (mailbox->smtp != NULL)
		return true;
	*usable = false;
	/* Stopped while connecting: nothing is wrong with the mailbox. */
	if (g_error_matches(local, SMTP_ERROR, SMTP_ERROR_STOPPED))
		return true;
	/* The provider's refusal in words that say what to do, with the
	 * mailbox's own address in them. */
	g_autofree char *words = engine_mailbox_advice_words(&advice, mailbox->mailbox->address);
	g_autofree char *reason = words != NULL
	                                  ? g_strdup_printf("SMTP: %s: %s", local->message, words)
	                                  : g_strdup_printf("SMTP: %s", local->message);
	bool lasting =
	        failure == SMTP_OUTCOME_AUTH_REJECTED || failure == SMTP_OUTCOME_CONFIGURATION;
	const EnginePauses *pauses = engine_context_pauses(context);
	int64_t until = context->now_us +
	                (lasting ? pauses->lasting_trouble_s : pauses->connection_trouble_s) *
	                        G_USEC_PER_SEC;
	if (advice.until_person_acts)
		until = 0;
	else if (failure == SMTP_OUTCOME_THROTTLED)
		until = (context->now_us / ((int64_t)86400 * G_USEC_PER_SEC) + 1) *
		        ((int64_t)86400 * G_USEC_PER_SEC);
	return pause_mailbox(context, mailbox, reason, until, error);
}

static void
count_one_more(GHashTable *counts, int64_t id)
{
	guint *cached = g_hash_table_lookup(counts, &id);
	if (cached != NULL)
		(*cached)++;
}

static void
count_one_less(GHashTable *counts, int64_t id)
{
	guint *cached = g_hash_table_lookup(counts, &id);
	if (cached != NULL && *cached > 0)
		(*cached)--;
}

/* A step claimed for sending: composed, and recorded "sending". */
typedef struct {
	int step;
	int64_t message_row; /* 0: nothing to send */
	StoreProspect *prospect;
	EngineComposed composed;
	char *reply; /* the server's deciding reply, summed up */
} Claim;

static void
claim_clear(Claim *claim)
{
	g_free(claim->reply);
	store_prospect_free(claim->prospect);
	engine_compose_clear(&claim->composed);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Claim, claim_clear)

/* The one-click unsubscribe link of @enrollment when its campaign wants
 * one and says where piculet serve answers; NULL otherwise. A key that
 * cannot be had leaves the mailto alone (said in the log), never a message
 * held back. */
static char *
unsubscribe_url_of(EngineContext *context, const EngineCampaign *campaign,
                   const StoreEnrollment *enrollment)
{
	if (!campaign->list_unsubscribe || campaign->tracking_domain == NULL)
		return NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(BaseSealKey) key = engine_links_key(context->store, &error);
	if (key == NULL) {
		g_warning("campaign %s: no one-click unsubscribe link: %s", campaign->name,
		          error->message);
		return NULL;
	}
	return engine_links_unsubscribe_url(key, campaign->tracking_domain, enrollment->id);
}

/* The value @condition reads for @enrollment: a field of @prospect, or
 * for "reply" the intent of its last reply. */
static bool
condition_holds(EngineContext *context, const StoreEnrollment *enrollment,
                const StoreProspect *prospect, const EngineCondition *condition, bool *holds,
                GError **error)
{
	const char *field = engine_condition_field(condition);
	if (strcmp(field, "reply") != 0) {
		*holds = engine_condition_holds(condition,
		                                engine_compose_prospect_value(prospect, field));
		return true;
	}
	g_autofree char *intent = NULL;
	if (!store_inbound_last_intent(context->store, enrollment->id, &intent, error))
		return false;
	*holds = engine_condition_holds(condition, intent);
	return true;
}

/* Step @enrollment->next_step's `if:` did not hold: the enrollment moves
 * past it as if it had taken no time (the next step's delay counts from
 * the last message really sent), with an event that says why. */
static bool
skip_step(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment *enrollment,
          const EngineCondition *condition, const StoreProspect *prospect, GError **error)
{
	int step = enrollment->next_step;
	const char *field = engine_condition_field(condition);
	const char *value =
	        strcmp(field, "reply") == 0 ? NULL : engine_compose_prospect_value(prospect, field);
	g_autofree char *detail =
	        strcmp(field, "reply") == 0
	                ? g_strdup_printf("step %d skipped: \"%s\" does not hold", step,
	                                  engine_condition_text(condition))
	                : g_strdup_printf("step %d skipped: \"%s\" does not hold (%s: %s)", step,
	                                  engine_condition_text(condition), field,
	                                  value != NULL ? value : "none");
	g_message("enrollment %" G_GINT64_FORMAT " (%s): %s", enrollment->id, enrollment->email,
	          detail);
	if (!engine_send_advance(context, enrollment, step, enrollment->last_sent_at, error))
		return false;
	bool written = false;
	if (!store_begin(context->store, error))
		return false;
	if (!engine_enrollment_save(context->store, enrollment, &written, error) ||
	    (written &&
	     !engine_context_add_event(context, mailbox->mailbox->id, ENGINE_EVENT_SKIPPED,
	                               enrollment->id, 0, detail, error))) {
		store_rollback(context->store);
		return false;
	}
	return store_commit(context->store, error);
}

/* A task step reached: the task for a person, and the enrollment waits
 * (paused, no end) until it is marked done (app_task_done), in one
 * transaction. Nothing is sent. */
static bool
open_task(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment *enrollment,
          const EngineCampaignStep *of_step, GError **error)
{
	int step = enrollment->next_step;
	int64_t id = 0;
	g_autofree char *reason = NULL;
	g_autofree char *detail = NULL;
	bool written = false;
	if (!store_begin(context->store, error))
		return false;
	if (!store_task_add(context->store, enrollment->id, step, of_step->task,
	                    of_step->note != NULL ? of_step->note : "", context->now_us, &id,
	                    error))
		goto fail;
	reason = g_strdup_printf("task %" G_GINT64_FORMAT ": %s, waiting for a person (piculet "
	                         "tasks done %" G_GINT64_FORMAT ")",
	                         id, of_step->task, id);
	detail = g_strdup_printf("task %" G_GINT64_FORMAT " (step %d): %s%s%s", id, step,
	                         of_step->task, of_step->note != NULL ? ": " : "",
	                         of_step->note != NULL ? of_step->note : "");
	if (!engine_enrollment_move(enrollment, ENGINE_ENROLLMENT_PAUSED, reason, error))
		goto fail;
	enrollment->next_due_at = 0;
	if (!engine_enrollment_save(context->store, enrollment, &written, error))
		goto fail;
	/* Changed meanwhile (a reply read by another worker): no task. */
	if (!written) {
		store_rollback(context->store);
		return true;
	}
	if (!engine_context_add_event(context, mailbox->mailbox->id, ENGINE_EVENT_TASK,
	                              enrollment->id, 0, detail, error) ||
	    !store_commit(context->store, error))
		goto fail;
	g_message("enrollment %" G_GINT64_FORMAT " (%s): %s", enrollment->id, enrollment->email,
	          detail);
	return true;
fail:
	store_rollback(context->store);
	return false;
}

/* Records an opening "sending" if the campaign's daily limit has room,
 * counted in the store with every engine's openings: the count and the
 * record go in one transaction that holds the campaign's other openings
 * back (store_campaign_lock_openings), so engines sharing a database
 * never send more than the limit between them. Called under the opening
 * lock; the day's count kept in memory is the store's from then on. No
 * room: no record (claim->message_row stays 0). */
static bool
begin_opening(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment *enrollment,
              const EngineCampaign *campaign, Claim *claim, int variant, GError **error)
{
	Store *store = context->store;
	int64_t since = start_of_day(campaign->timezone, context->now_us);
	guint openings = 0;
	if (!store_begin(store, error))
		return false;
	bool ok = store_campaign_lock_openings(store, enrollment->campaign_id, error) &&
	          store_campaign_count_openings(store, enrollment->campaign_id, since, &openings,
	                                        error);
	bool room = ok && openings < (guint)campaign->daily_limit;
	if (room)
		ok = store_message_begin(store, enrollment->id, 1, variant, mailbox->mailbox->id,
		                         claim->composed.message_id, claim->composed.subject,
		                         context->now_us, &claim->message_row, error) &&
		     store_commit(store, error);
	if (!ok || !room) {
		store_rollback(store);
		claim->message_row = 0;
	}
	if (!ok)
		return false;
	guint counted = openings + (room ? 1 : 0);
	g_hash_table_insert(context->openings_today,
	                    g_memdup2(&enrollment->campaign_id, sizeof enrollment->campaign_id),
	                    g_memdup2(&counted, sizeof counted));
	if (!room) {
		g_message("campaign %s: %u openings today over every engine: its daily limit of %d "
		          "is reached",
		          campaign->name, openings, campaign->daily_limit);
		return true;
	}
	count_one_more(context->sent_today, mailbox->mailbox->id);
	return true;
}

/*
 * Claims step @enrollment->next_step for @mailbox: the prospect checked,
 * the step composed, and the message recorded "sending" with its
 * Message-ID before a byte of it leaves (the promise); from then on no
 * worker is handed the step again. claim->message_row stays 0 when there
 * is nothing to send (the enrollment was stopped or held, as recorded).
 * For an opening the caller holds the opening lock, so a campaign's count
 * of openings and the records it counts change together.
 */
static bool
claim_step(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment *enrollment,
           const EngineCampaign *campaign, Claim *claim, GError **error)
{
	int step = enrollment->next_step;
	int64_t now = context->now_us;
	claim->step = step;
	claim->prospect = store_prospect_get(context->store, enrollment->email, error);
	if (claim->prospect == NULL)
		return error == NULL || *error == NULL;
	EngineProspectStatus status = ENGINE_PROSPECT_BLACKLISTED;
	if (!engine_lifecycle_prospect_parse(claim->prospect->status, &status) ||
	    status != ENGINE_PROSPECT_OK)
		return set_enrollment(context, enrollment, ENGINE_ENROLLMENT_STOPPED,
		                      claim->prospect->status, 0, error);
	g_autoptr(GPtrArray) messages =
	        store_message_list_for_enrollment(context->store, enrollment->id, error);
	if (messages == NULL)
		return false;
	g_autoptr(GPtrArray) thread = g_ptr_array_new();
	const char *first_subject = NULL;
	int first_variant = 0;
	for (guint i = 0; i < messages->len; i++) {
		const StoreMessage *m = messages->pdata[i];
		if (m->step == step && step == 1 && m->mailbox_id != mailbox->mailbox->id) {
			/* An opening another mailbox began since it was listed
			 * (another engine's: openings are shared): its business. */
			g_debug("enrollment %" G_GINT64_FORMAT ": its opening was begun by mailbox "
			        "%" G_GINT64_FORMAT " meanwhile",
			        enrollment->id, m->mailbox_id);
			return true;
		}
		if (m->step == step) {
			/* Begun before and not settled: never again. */
			return set_enrollment(context, enrollment, ENGINE_ENROLLMENT_UNCERTAIN,
			                      "a message of this step exists already", 0, error);
		}
		g_ptr_array_add(thread, m->message_id);
		if (m->step == 1) {
			first_subject = m->subject;
			first_variant = m->variant;
		}
	}
	const EngineCampaignStep *of_step = campaign->steps->pdata[step - 1];
	if (of_step->condition != NULL) {
		bool holds = true;
		if (!condition_holds(context, enrollment, claim->prospect, of_step->condition,
		                     &holds, error))
			return false;
		if (!holds)
			return skip_step(context, mailbox, enrollment, of_step->condition,
			                 claim->prospect, error);
	}
	if (of_step->task != NULL)
		return open_task(context, mailbox, enrollment, of_step, error);
	int variant = engine_variant_of(campaign->steps->pdata[step - 1], enrollment->id,
	                                engine_winners_of(context, enrollment->campaign_id, step));
	g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc(now / G_USEC_PER_SEC);
	g_autofree char *unsubscribe_url = unsubscribe_url_of(context, campaign, enrollment);
	g_autoptr(BaseSealKey) tracking_key = NULL;
	if (campaign->track_opens || campaign->track_clicks) {
		g_autoptr(GError) key_error = NULL;
		tracking_key = engine_links_key(context->store, &key_error);
		if (tracking_key == NULL)
			g_warning("campaign %s: sent without tracking: %s", campaign->name,
			          key_error->message);
	}
	EngineComposeSpec spec = {.campaign = campaign,
	                          .tracking_key = tracking_key,
	                          .enrollment_id = enrollment->id,
	                          .step = step,
	                          .variant = variant,
	                          .first_variant = first_variant,
	                          .prospect = claim->prospect,
	                          .mailbox = mailbox->mailbox,
	                          .thread = thread,
	                          .first_subject = first_subject,
	                          .date = date,
	                          .unsubscribe_url = unsubscribe_url};
	g_autoptr(GError) compose_error = NULL;
	if (!engine_compose_step(&spec, &claim->composed, &compose_error)) {
		g_warning("enrollment %" G_GINT64_FORMAT " (%s): held: %s", enrollment->id,
		          enrollment->email, compose_error->message);
		return set_enrollment(context, enrollment, ENGINE_ENROLLMENT_FAILED,
		                      compose_error->message, 0, error) &&
		       engine_context_add_event(context, mailbox->mailbox->id, ENGINE_EVENT_ERROR,
		                                enrollment->id, 0, compose_error->message, error);
	}
	/* Under a lease, other engines may send this campaign's openings too:
	 * the store counts them. Alone (SQLite's one engine), the day's count
	 * kept in memory is every opening already. */
	if (step == 1 && context->lease_until != 0)
		return begin_opening(context, mailbox, enrollment, campaign, claim, variant, error);
	if (!store_message_begin(context->store, enrollment->id, step, variant,
	                         mailbox->mailbox->id, claim->composed.message_id,
	                         claim->composed.subject, now, &claim->message_row, error))
		return false;
	count_one_more(context->sent_today, mailbox->mailbox->id);
	if (step == 1)
		count_one_more(context->openings_today, enrollment->campaign_id);
	return true;
}

/* A claimed step certainly not sent: the day's counts no longer hold it
 * (its record goes with the decision). */
static void
release_counts(EngineContext *context, EngineMailbox *mailbox, const StoreEnrollment *enrollment,
               const Claim *claim)
{
	count_one_less(context->sent_today, mailbox->mailbox->id);
	if (claim->step == 1) {
		g_mutex_lock(context->opening_lock);
		count_one_less(context->openings_today, enrollment->campaign_id);
		g_mutex_unlock(context->opening_lock);
	}
}

static bool
apply_to_enrollment(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment *enrollment,
                    const Claim *claim, const EngineSendDecision *d, GError **error)
{
	switch (d->change) {
	case ENGINE_CHANGE_NONE:
		return true;
	case ENGINE_CHANGE_ADVANCE:
		return record_sent_step(context, enrollment, mailbox->mailbox->id, claim->step,
		                        context->now_us, error);
	case ENGINE_CHANGE_MOVE:
		return set_enrollment_counted(context, enrollment, d->to, d->reason, d->due_at,
		                              d->retries, error);
	case ENGINE_CHANGE_RETRY:
		return set_enrollment_counted(context, enrollment,
		                              engine_enrollment_state_of(enrollment), d->reason,
		                              d->due_at, d->retries, error);
	}
	return true;
}

/* Applies what the send's end decided, in one transaction: the message's
 * record, the enrollment (as it is now), the address, the mailbox, the
 * timeline. */
static bool
apply_send(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment *enrollment,
           const Claim *claim, const EngineSendDecision *d, GError **error)
{
	Store *store = context->store;
	int64_t row = claim->message_row;
	bool was_open = engine_enrollment_is_open(enrollment);
	if (d->message == ENGINE_FATE_DISCARDED)
		release_counts(context, mailbox, enrollment, claim);
	if (!store_begin(store, error))
		return false;
	bool found = false;
	bool ok = true;
	switch (d->message) {
	case ENGINE_FATE_DISCARDED:
		ok = store_message_discard(store, row, error);
		break;
	case ENGINE_FATE_SENT:
		ok = store_message_finish(store, row,
		                          engine_lifecycle_message_name(ENGINE_MESSAGE_SENT),
		                          d->reason, context->now_us, error);
		break;
	case ENGINE_FATE_FAILED:
		ok = store_message_finish(store, row,
		                          engine_lifecycle_message_name(ENGINE_MESSAGE_FAILED),
		                          claim->reply, 0, error);
		break;
	case ENGINE_FATE_UNCERTAIN:
		ok = store_message_finish(store, row,
		                          engine_lifecycle_message_name(ENGINE_MESSAGE_UNCERTAIN),
		                          d->reason, 0, error);
		break;
	}
	ok = ok && apply_to_enrollment(context, mailbox, enrollment, claim, d, error) &&
	     (!d->prospect_bounced ||
	      store_prospect_set_status(store, enrollment->email,
	                                engine_lifecycle_prospect_name(ENGINE_PROSPECT_BOUNCED),
	                                &found, error)) &&
	     (d->pause == ENGINE_MAILBOX_USABLE ||
	      engine_context_pause_mailbox(context, mailbox, d->pause, d->reason, d->pause_until,
	                                   error)) &&
	     (d->event == ENGINE_EVENT_NONE ||
	      engine_context_add_event(
	              context, mailbox->mailbox->id, d->event, enrollment->id,
	              d->message == ENGINE_FATE_DISCARDED ? 0 : row,
	              d->message == ENGINE_FATE_UNCERTAIN ? d->reason : claim->reply, error)) &&
	     engine_context_note_completion(context, enrollment, was_open, error);
	if (!ok || !store_commit(store, error)) {
		store_rollback(store);
		return false;
	}
	engine_run_summary_add(context->summary, &d->counts);
	/* A hard bounce: the guards look at once, before the next send. */
	return !d->prospect_bounced ||
	       engine_context_guard(context, mailbox, enrollment->campaign_id, error);
}

/* Sends a claimed step, decides what its end does and applies that. */
static bool
transmit(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment *enrollment, Claim *claim,
         bool *sent, GError **error)
{
	bool usable = false;
	GError *open_error = NULL;
	if (!open_smtp(context, mailbox, &usable, &open_error) || !usable) {
		/* Nothing left (the mailbox is paused, or the store failed while
		 * pausing it): the claim goes either way. */
		release_counts(context, mailbox, enrollment, claim);
		bool discarded = store_message_discard(context->store, claim->message_row,
		                                       open_error == NULL ? error : NULL);
		if (open_error != NULL) {
			g_propagate_error(error, open_error);
			return false;
		}
		return discarded;
	}
	const char *recipients[] = {claim->prospect->email, NULL};
	SmtpEnvelope envelope = {.from = mailbox->mailbox->address, .recipients = recipients};
	g_autoptr(GError) send_error = NULL;
	g_autoptr(SmtpSendResult) result =
	        smtp_client_send(mailbox->smtp, &envelope, claim->composed.bytes, &send_error);
	mailbox->last_campaign_id = enrollment->campaign_id;
	EngineSendCase send = {.end = ENGINE_SEND_VERDICT,
	                       .retries = enrollment->retries,
	                       .now_us = context->now_us,
	                       .pauses = engine_context_pauses(context)};
	if (result == NULL) {
		send.detail = send_error->message;
		send.end = g_error_matches(send_error, SMTP_ERROR, SMTP_ERROR_OUTCOME_UNKNOWN)
		                   ? ENGINE_SEND_UNKNOWN
		           : g_error_matches(send_error, SMTP_ERROR, SMTP_ERROR_STOPPED)
		                   ? ENGINE_SEND_STOPPED
		                   : ENGINE_SEND_CUT;
		g_clear_pointer(&mailbox->smtp, smtp_client_free);
	} else {
		claim->reply = reply_summary(smtp_client_deciding_reply(result));
		send.outcome = result->outcome;
		send.detail = claim->reply;
		send.advice = smtp_outcome_advise(smtp_client_deciding_reply(result), false);
	}
	g_auto(EngineSendDecision) decision = {0};
	engine_decide_send(&send, &decision);
	/* A message that went, or may have: the mailbox's pacing counts it. */
	*sent = decision.message != ENGINE_FATE_DISCARDED || send.end == ENGINE_SEND_VERDICT;
	if (decision.message == ENGINE_FATE_UNCERTAIN)
		g_warning("enrollment %" G_GINT64_FORMAT " (%s): step %d %s", enrollment->id,
		          enrollment->email, claim->step, decision.reason);
	else if (decision.message == ENGINE_FATE_SENT)
		g_message("mailbox %s: sent step %d to %s (enrollment %" G_GINT64_FORMAT "): %s",
		          mailbox->mailbox->address, claim->step, enrollment->email, enrollment->id,
		          claim->reply);
	else if (decision.message == ENGINE_FATE_FAILED)
		g_message("mailbox %s: %s refused for good: %s", mailbox->mailbox->address,
		          enrollment->email, claim->reply);
	else if (decision.counts.deferred > 0)
		g_message("mailbox %s: %s deferred: %s", mailbox->mailbox->address,
		          enrollment->email, claim->reply);
	if (!apply_send(context, mailbox, enrollment, claim, &decision, error))
		return false;
	if (result == NULL)
		return true;
	if (result->outcome == SMTP_OUTCOME_ACCEPTED) {
		file_in_sent(context, mailbox, claim->composed.message_id, claim->composed.bytes);
	} else {
		/* After a refusal the session may be closing (421) or reset: the
		 * next message starts a fresh one rather than guess which. */
		smtp_client_quit(mailbox->smtp);
		g_clear_pointer(&mailbox->smtp, smtp_client_free);
	}
	return true;
}

/* Whether the enrollment may be sent now; when the window is shut, moves
 * it to when it opens. */
static bool
in_window(EngineContext *context, StoreEnrollment *enrollment, const EngineCampaign *campaign,
          bool *ok, GError **error)
{
	g_autoptr(GTimeZone) zone =
	        engine_context_dup_zone(context, campaign, enrollment->email, error);
	if (zone == NULL)
		return false;
	int64_t open = engine_campaign_next_open(campaign, zone, context->now_us);
	*ok = open == context->now_us;
	if (*ok)
		return true;
	enrollment->next_due_at =
	        open > 0 ? open : context->now_us + (int64_t)86400 * G_USEC_PER_SEC;
	bool written = false;
	return engine_enrollment_save(context->store, enrollment, &written, error);
}

/* Messages of the day so far, counted once a pass and then kept up to date
 * by the pass itself (the one writer): the count is a scan of today's
 * messages, too slow to repeat for every send. */
static bool
sent_today(EngineContext *context, GHashTable *counts, int64_t id, bool opening,
           const char *zone_name, guint *count, GError **error)
{
	const guint *cached = g_hash_table_lookup(counts, &id);
	if (cached != NULL) {
		*count = *cached;
		return true;
	}
	int64_t since = start_of_day(zone_name, context->now_us);
	if (opening ? !store_campaign_count_openings(context->store, id, since, count, error)
	            : !store_mailbox_count_sent(context->store, id, since, count, error))
		return false;
	g_hash_table_insert(counts, g_memdup2(&id, sizeof id), g_memdup2(count, sizeof *count));
	return true;
}

static bool
daily_cap_reached(EngineContext *context, EngineMailbox *mailbox, bool *reached, GError **error)
{
	guint sent = 0;
	/* The mailbox's own day (its time zone). */
	const char *zone = mailbox->mailbox->timezone != NULL ? mailbox->mailbox->timezone : "UTC";
	if (!sent_today(context, context->sent_today, mailbox->mailbox->id, false, zone, &sent,
	                error))
		return false;
	/* The ramp's day: its sending days before today (its own calendar
	 * days), asked once a day. */
	if (mailbox->mailbox->ramp_start > 0) {
		int64_t today = start_of_day(zone, context->now_us);
		if (mailbox->ramp_day != today) {
			if (!store_mailbox_count_sending_days(context->store, mailbox->mailbox->id,
			                                      today, zone, &mailbox->ramp_days,
			                                      error))
				return false;
			mailbox->ramp_day = today;
		}
	}
	guint cap = engine_mailbox_day_cap(mailbox->mailbox, mailbox->ramp_days);
	*reached = cap > 0 && sent >= cap;
	return true;
}

/* The mailbox's messages by recipient domain (today in its zone, the last
 * hour): every domain's counts in one query a turn, then kept up to date
 * by this worker. */
static bool
load_domain_counts(EngineContext *context, EngineMailbox *mailbox, GError **error)
{
	if (mailbox->domain_counts != NULL)
		return true;
	int64_t day = start_of_day(mailbox->mailbox->timezone != NULL ? mailbox->mailbox->timezone
	                                                              : "UTC",
	                           context->now_us);
	int64_t hour = context->now_us - (int64_t)3600 * G_USEC_PER_SEC;
	mailbox->domain_counts =
	        store_mailbox_domain_counts(context->store, mailbox->mailbox->id, day, hour, error);
	return mailbox->domain_counts != NULL;
}

/* Whether @campaign lets a mailbox that sent @counts ({today, the last
 * hour}) to @domain send it one more. */
static bool
campaign_allows(const EngineCampaign *campaign, const char *domain, const guint *counts)
{
	if ((campaign->domain_per_hour <= 0 && campaign->domain_per_day <= 0) ||
	    engine_campaign_is_public_domain(campaign, domain))
		return true;
	return (campaign->domain_per_hour <= 0 || counts[1] < (guint)campaign->domain_per_hour) &&
	       (campaign->domain_per_day <= 0 || counts[0] < (guint)campaign->domain_per_day);
}

/* Whether @mailbox may write to @enrollment's domain now: the campaign's
 * recipient-domain caps (per hour, per day of the mailbox) not reached, or
 * a public provider's domain (never capped). */
static bool
domain_allows(EngineContext *context, EngineMailbox *mailbox, const EngineCampaign *campaign,
              const StoreEnrollment *enrollment, bool *ok, guint **counted, GError **error)
{
	*ok = true;
	*counted = NULL;
	const char *at = strrchr(enrollment->email, '@');
	if ((campaign->domain_per_hour <= 0 && campaign->domain_per_day <= 0) || at == NULL ||
	    engine_campaign_is_public_domain(campaign, at + 1))
		return true;
	if (!load_domain_counts(context, mailbox, error))
		return false;
	g_autofree char *domain = g_ascii_strdown(at + 1, -1);
	guint *counts = g_hash_table_lookup(mailbox->domain_counts, domain);
	if (counts == NULL) {
		counts = g_new0(guint, 2);
		g_hash_table_insert(mailbox->domain_counts, g_strdup(domain), counts);
	}
	*ok = campaign_allows(campaign, domain, counts);
	if (!*ok)
		g_debug("mailbox %s: %s waits: %u to %s this hour, %u today",
		        mailbox->mailbox->address, enrollment->email, counts[1], at + 1, counts[0]);
	*counted = counts;
	return true;
}

static bool sends_from(const EngineCampaign *campaign, const char *address);

/* The recipient domains @mailbox may not write to now under any of its
 * running campaigns (@only: under that one), as ",a.test,b.test," for the
 * candidates' queries (NULL: none), so that a crowd at capped domains does
 * not hide the prospects behind it. */
static bool
capped_domains(EngineContext *context, EngineMailbox *mailbox, const EngineCampaign *only,
               char **out, GError **error)
{
	*out = NULL;
	/* No counts to look at when no campaign concerned caps anything. */
	bool any_caps = false;
	if (only != NULL) {
		any_caps = only->domain_per_hour > 0 || only->domain_per_day > 0;
	} else {
		GHashTableIter campaigns;
		gpointer id;
		gpointer value;
		g_hash_table_iter_init(&campaigns, context->campaigns);
		while (!any_caps && g_hash_table_iter_next(&campaigns, &id, &value)) {
			const EngineCampaign *campaign = value;
			any_caps = g_hash_table_contains(context->running, id) &&
			           sends_from(campaign, mailbox->mailbox->address) &&
			           (campaign->domain_per_hour > 0 || campaign->domain_per_day > 0);
		}
	}
	if (!any_caps)
		return true;
	if (!load_domain_counts(context, mailbox, error))
		return false;
	g_autoptr(GString) list = NULL;
	GHashTableIter iter;
	gpointer key;
	gpointer value;
	g_hash_table_iter_init(&iter, mailbox->domain_counts);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		const char *domain = key;
		/* A comma would break the list; no domain has one. */
		if (strchr(domain, ',') != NULL)
			continue;
		bool allowed = false;
		if (only != NULL) {
			allowed = campaign_allows(only, domain, value);
		} else {
			GHashTableIter campaigns;
			gpointer id;
			gpointer campaign;
			g_hash_table_iter_init(&campaigns, context->campaigns);
			while (!allowed && g_hash_table_iter_next(&campaigns, &id, &campaign))
				allowed = g_hash_table_contains(context->running, id) &&
				          sends_from(campaign, mailbox->mailbox->address) &&
				          campaign_allows(campaign, domain, value);
		}
		if (allowed)
			continue;
		if (list == NULL)
			list = g_string_new(",");
		g_string_append_printf(list, "%s,", domain);
	}
	if (list != NULL)
		*out = g_string_free(g_steal_pointer(&list), FALSE);
	return true;
}

/* The first candidate of @list that may go now: its campaign running, the
 * window open, the campaign's daily limit of openings not reached, the
 * recipient's domain not capped for @mailbox. */
static StoreEnrollment *
pick(EngineContext *context, EngineMailbox *mailbox, GPtrArray *list, bool opening, GError **error)
{
	for (guint i = 0; i < list->len; i++) {
		StoreEnrollment *enrollment = list->pdata[i];
		EngineCampaign *campaign =
		        engine_context_get_campaign(context, enrollment->campaign_id);
		if (campaign == NULL || (guint)enrollment->next_step > campaign->steps->len)
			continue;
		if (opening) {
			guint openings = 0;
			if (!sent_today(context, context->openings_today, enrollment->campaign_id,
			                true, campaign->timezone, &openings, error))
				return NULL;
			if (openings >= (guint)campaign->daily_limit)
				continue;
		}
		bool allowed = true;
		guint *counted = NULL;
		if (!domain_allows(context, mailbox, campaign, enrollment, &allowed, &counted,
		                   error))
			return NULL;
		if (!allowed)
			continue;
		bool ok = false;
		if (!in_window(context, enrollment, campaign, &ok, error))
			return NULL;
		if (!ok)
			continue;
		/* Counted as it is picked: a pick that is then not sent makes
		 * the rest of the turn more careful, never less. */
		if (counted != NULL) {
			counted[0]++;
			counted[1]++;
		}
		return g_ptr_array_steal_index(list, i);
	}
	return NULL;
}

static bool
sends_from(const EngineCampaign *campaign, const char *address)
{
	for (guint i = 0; i < campaign->mailboxes->len; i++)
		if (strcmp(campaign->mailboxes->pdata[i], address) == 0)
			return true;
	return false;
}

/* The opening the mailbox sends next: of every running campaign it sends
 * for, the first candidate that may go now; between campaigns, the one
 * enrolled first, so campaigns sharing a mailbox share it fairly. */
static bool
next_opening(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment **next, GError **error)
{
	*next = NULL;
	GHashTableIter iter;
	gpointer key;
	gpointer value;
	g_hash_table_iter_init(&iter, context->campaigns);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		int64_t campaign_id = *(const int64_t *)key;
		if (!g_hash_table_contains(context->running, &campaign_id) ||
		    !sends_from(value, mailbox->mailbox->address))
			continue;
		g_autofree char *skip = NULL;
		if (!capped_domains(context, mailbox, value, &skip, error))
			goto fail;
		g_autoptr(GPtrArray) queued = store_enrollment_list_queued(
		        context->store, campaign_id, context->now_us, 20, skip, error);
		if (queued == NULL)
			goto fail;
		StoreEnrollment *candidate = pick(context, mailbox, queued, true, error);
		if (candidate == NULL && error != NULL && *error != NULL)
			goto fail;
		if (candidate != NULL && (*next == NULL || candidate->id < (*next)->id)) {
			store_enrollment_free(*next);
			*next = candidate;
		} else {
			store_enrollment_free(candidate);
		}
	}
	return true;
fail:
	g_clear_pointer(next, store_enrollment_free);
	return false;
}

/* Before a follow-up: no follow-up after a reply that reached the mailbox
 * (INBOX or Junk). Looks now, even in IDLE (its announcement may still be
 * on its way; NOOP makes the server look). *@go says whether the
 * enrollment is still active. */
static bool
look_before_follow_up(EngineContext *context, EngineMailbox *mailbox, StoreEnrollment *enrollment,
                      bool *go, GError **error)
{
	*go = false;
	const EnginePauses *pauses = engine_context_pauses(context);
	g_autoptr(GError) imap_error = NULL;
	/* Junk too: a reply the provider filed as spam is still a reply. */
	mailbox->junk_now = true;
	if (!engine_inbox_process(context, mailbox, &imap_error)) {
		if (imap_error->domain == STORE_ERROR) {
			g_propagate_error(error, g_steal_pointer(&imap_error));
			return false;
		}
		g_clear_pointer(&mailbox->imap, imap_client_free);
		/* Stopped while looking: no follow-up, no pause. */
		if (g_error_matches(imap_error, IMAP_ERROR, IMAP_ERROR_STOPPED))
			return true;
		if (imap_error->domain == ENGINE_ERROR)
			return engine_context_pause_for_login(
			        context, mailbox, ENGINE_MAILBOX_PAUSED_READING, imap_error, error);
		g_autofree char *reason = g_strdup_printf("IMAP: %s", imap_error->message);
		return engine_context_pause_mailbox(
		        context, mailbox, ENGINE_MAILBOX_PAUSED_READING, reason,
		        context->now_us + pauses->reading_trouble_s * G_USEC_PER_SEC, error);
	}
	if (!engine_enrollment_reload(context->store, enrollment, error))
		return false;
	*go = engine_enrollment_state_of(enrollment) == ENGINE_ENROLLMENT_ACTIVE;
	return true;
}

bool
engine_send_next(EngineContext *context, EngineMailbox *mailbox, bool *sent, GError **error)
{
	*sent = false;
	bool capped = false;
	if (!daily_cap_reached(context, mailbox, &capped, error))
		return false;
	if (capped)
		return true;
	/* Follow-ups first; a page of candidates, since some may wait for
	 * their window. Only this mailbox's worker hands out its follow-ups. */
	g_autofree char *skip = NULL;
	if (!capped_domains(context, mailbox, NULL, &skip, error))
		return false;
	g_autoptr(GPtrArray) due = store_enrollment_list_due(context->store, mailbox->mailbox->id,
	                                                     context->now_us, 50, skip, error);
	if (due == NULL)
		return false;
	g_autoptr(StoreEnrollment) enrollment = pick(context, mailbox, due, false, error);
	if (enrollment == NULL && error != NULL && *error != NULL)
		return false;
	g_auto(Claim) claim = {0};
	if (enrollment != NULL) {
		bool go = false;
		if (!look_before_follow_up(context, mailbox, enrollment, &go, error))
			return false;
		if (!go)
			return true;
		EngineCampaign *campaign =
		        engine_context_get_campaign(context, enrollment->campaign_id);
		if (!claim_step(context, mailbox, enrollment, campaign, &claim, error))
			return false;
	} else {
		/* Openings are shared by every mailbox of a campaign: choosing
		 * one and claiming it go together, one worker at a time. */
		g_mutex_lock(context->opening_lock);
		bool ok = next_opening(context, mailbox, &enrollment, error);
		if (ok && enrollment != NULL) {
			EngineCampaign *campaign =
			        engine_context_get_campaign(context, enrollment->campaign_id);
			ok = claim_step(context, mailbox, enrollment, campaign, &claim, error);
		}
		g_mutex_unlock(context->opening_lock);
		if (!ok)
			return false;
	}
	if (claim.message_row == 0)
		return true;
	/* Begun as the lease ran out (the record waited on a slow or cut
	 * database): not sent. Its record goes, if this engine still holds the
	 * mailbox (the fence says); else the mailbox's next holder settles it. */
	if (engine_context_lease_ending(context)) {
		g_message("enrollment %" G_GINT64_FORMAT " (%s): step %d begun as this engine's "
		          "lease ran out: not sent",
		          enrollment->id, enrollment->email, claim.step);
		g_autoptr(GError) discard_error = NULL;
		if (store_message_discard(context->store, claim.message_row, &discard_error))
			release_counts(context, mailbox, enrollment, &claim);
		return true;
	}
	/* The lines of this send carry what it is about (journal fields). */
	EngineCampaign *campaign = engine_context_get_campaign(context, enrollment->campaign_id);
	g_autofree char *enrollment_id = g_strdup_printf("%" G_GINT64_FORMAT, enrollment->id);
	base_log_context_set(BASE_LOG_CAMPAIGN, campaign != NULL ? campaign->name : NULL);
	base_log_context_set(BASE_LOG_ENROLLMENT, enrollment_id);
	base_log_context_set(BASE_LOG_MESSAGE_ID, claim.composed.message_id);
	bool ok = transmit(context, mailbox, enrollment, &claim, sent, error);
	base_log_context_set(BASE_LOG_CAMPAIGN, NULL);
	base_log_context_set(BASE_LOG_ENROLLMENT, NULL);
	base_log_context_set(BASE_LOG_MESSAGE_ID, NULL);
	return ok;
}

bool
engine_send_reconcile(EngineContext *context, EngineMailbox *mailbox, GError **error)
{
	g_autoptr(GPtrArray) cut =
	        store_message_list_sending(context->store, mailbox->mailbox->id, error);
	if (cut == NULL)
		return false;
	bool left = false;
	for (guint i = 0; i < cut->len; i++) {
		const StoreMessage *message = cut->pdata[i];
		g_autoptr(StoreEnrollment) enrollment =
		        store_enrollment_get_by_id(context->store, message->enrollment_id, error);
		if (enrollment == NULL)
			return error == NULL || *error == NULL;
		bool in_sent = false;
		g_autoptr(GError) imap_error = NULL;
		if (engine_inbox_connect(context, mailbox, &imap_error) &&
		    mailbox->sent_folder != NULL &&
		    imap_client_select(mailbox->imap, mailbox->sent_folder, true, &imap_error)) {
			g_autofree char *bracketed = g_strdup_printf("<%s>", message->message_id);
			g_autoptr(GArray) found = imap_client_uid_search_header(
			        mailbox->imap, "Message-ID", bracketed, &imap_error);
			in_sent = found != NULL && found->len > 0;
		}
		if (imap_error != NULL && !in_sent) {
			/* Cannot look: leave it "sending" for the next pass. */
			left = true;
			continue;
		}
		if (!store_begin(context->store, error))
			return false;
		bool ok;
		if (!engine_enrollment_reload(context->store, enrollment, error)) {
			store_rollback(context->store);
			return false;
		}
		if (in_sent) {
			/* An enrollment that ended meanwhile (a reply came) stays
			 * ended: only the message is settled. */
			bool ended = !engine_enrollment_is_open(enrollment) &&
			             engine_enrollment_state_of(enrollment) !=
			                     ENGINE_ENROLLMENT_UNCERTAIN;
			enrollment->mailbox_id = mailbox->mailbox->id;
			ok = (ended ||
			      (engine_send_advance(context, enrollment, message->step,
			                           message->created_at, error) &&
			       store_enrollment_update(context->store, enrollment, error))) &&
			     store_message_finish(
			             context->store, message->id,
			             engine_lifecycle_message_name(ENGINE_MESSAGE_SENT),
			             "found in the Sent folder after a restart",
			             message->created_at, error) &&
			     engine_context_add_event(
			             context, mailbox->mailbox->id, ENGINE_EVENT_SENT,
			             enrollment->id, message->id,
			             "found in the Sent folder after a restart", error);
			g_message("message %s: found in the Sent folder: sent",
			          message->message_id);
		} else {
			const char *reason =
			        "the program stopped while sending; not found in the "
			        "Sent folder: it may have been sent, and is not sent again";
			ok = store_message_finish(
			             context->store, message->id,
			             engine_lifecycle_message_name(ENGINE_MESSAGE_UNCERTAIN),
			             reason, 0, error) &&
			     set_enrollment(context, enrollment, ENGINE_ENROLLMENT_UNCERTAIN,
			                    reason, 0, error) &&
			     engine_context_add_event(context, mailbox->mailbox->id,
			                              ENGINE_EVENT_UNCERTAIN, enrollment->id,
			                              message->id, reason, error);
			context->summary->uncertain++;
			g_warning("message %s to %s: uncertain: %s", message->message_id,
			          enrollment->email, reason);
		}
		if (!ok || !store_commit(context->store, error)) {
			store_rollback(context->store);
			return false;
		}
	}
	mailbox->reconciled = !left;
	return true;
}
