/* What one pass of the engine works with: its clock, its campaigns, the
 * zone a prospect's sends are timed in. */
#include "engine/engine_private.h"

#include "engine/engine_enrollment.h"
#include "engine/engine_error.h"

#include <string.h>

int64_t
engine_context_now(const EngineContext *context)
{
	const EngineRunOptions *options = context->options;
	return options->clock != NULL ? options->clock(options->clock_data) : g_get_real_time();
}

bool
engine_context_lease_ending(const EngineContext *context)
{
	if (context->lease_until == 0)
		return false;
	int64_t lease_us = context->options->lease_us > 0
	                           ? context->options->lease_us
	                           : (int64_t)ENGINE_RUN_DEFAULT_LEASE_S * G_USEC_PER_SEC;
	return g_get_real_time() > context->lease_until - lease_us / 3;
}

int
engine_context_stop_fd(const EngineContext *context)
{
	int fd = context->options->stop_fd;
	return fd > 0 ? fd : -1;
}

EngineCampaign *
engine_context_get_campaign(const EngineContext *context, int64_t campaign_id)
{
	return g_hash_table_lookup(context->campaigns, &campaign_id);
}

GTimeZone *
engine_context_dup_zone(EngineContext *context, const EngineCampaign *campaign, const char *email,
                        GError **error)
{
	GError *local = NULL;
	g_autoptr(StoreProspect) prospect =
	        campaign->use_prospect_timezone ? store_prospect_get(context->store, email, &local)
	                                        : NULL;
	/* A store that cannot say is not "no zone": the window would be
	 * reckoned in the wrong one. */
	if (local != NULL) {
		g_propagate_error(error, local);
		return NULL;
	}
	return engine_campaign_dup_zone(campaign, prospect != NULL ? prospect->timezone : NULL);
}

bool
engine_context_add_event(EngineContext *context, int64_t mailbox_id, EngineEvent kind,
                         int64_t enrollment_id, int64_t message_id, const char *detail,
                         GError **error)
{
	StoreEventInput event = {.at_us = context->now_us,
	                         .kind = engine_lifecycle_event_name(kind),
	                         .webhook_type = engine_lifecycle_event_webhook(kind),
	                         .mailbox_id = mailbox_id,
	                         .enrollment_id = enrollment_id,
	                         .message_id = message_id,
	                         .detail = detail};
	return store_event_add(context->store, &event, error);
}

bool
engine_context_note_completion(EngineContext *context, const StoreEnrollment *enrollment,
                               bool was_open, GError **error)
{
	if (!was_open || engine_enrollment_is_open(enrollment))
		return true;
	GError *local = NULL;
	g_autoptr(StoreCampaign) campaign =
	        store_campaign_get_by_id(context->store, enrollment->campaign_id, &local);
	if (local != NULL) {
		g_propagate_error(error, local);
		return false;
	}
	/* Counted by the store as rows change (schema 6): one lookup. */
	if (campaign == NULL || campaign->n_active > 0)
		return true;
	g_message("campaign %s: every enrollment has ended", campaign->name);
	g_autofree char *detail =
	        g_strdup_printf("every enrollment of \"%s\" has ended", campaign->name);
	/* The campaign's own event: in no prospect's history. */
	StoreEventInput event = {
	        .at_us = context->now_us,
	        .kind = engine_lifecycle_event_name(ENGINE_EVENT_CAMPAIGN_COMPLETED),
	        .webhook_type = engine_lifecycle_event_webhook(ENGINE_EVENT_CAMPAIGN_COMPLETED),
	        .campaign_id = campaign->id,
	        .detail = detail};
	return store_event_add(context->store, &event, error);
}

const EnginePauses *
engine_context_pauses(const EngineContext *context)
{
	return context->options->pauses != NULL ? context->options->pauses : &engine_pauses_default;
}

bool
engine_context_pause_mailbox(EngineContext *context, EngineMailbox *mailbox,
                             EngineMailboxPause kind, const char *reason, int64_t until_us,
                             GError **error)
{
	StoreMailbox *m = mailbox->mailbox;
	g_warning("mailbox %s paused: %s", m->address, reason);
	context->summary->mailboxes_paused++;
	g_free(m->paused_reason);
	m->paused_reason = g_strdup(reason);
	g_free(m->paused_kind);
	m->paused_kind = g_strdup(engine_mailbox_pause_name(kind));
	m->paused_until = until_us;
	if (kind == ENGINE_MAILBOX_PAUSED_READING) {
		/* Nothing of its session is waited on until the pause ends: an
		 * announcement left behind would wake the run again and again. */
		g_clear_pointer(&mailbox->imap, imap_client_free);
		mailbox->idling = false;
		mailbox->news = false;
		mailbox->folders_known = false;
	}
	return store_mailbox_set_paused(context->store, m->id, m->paused_kind, reason, until_us,
	                                error) &&
	       engine_context_add_event(context, m->id, ENGINE_EVENT_PAUSED, 0, 0, reason, error);
}

bool
engine_context_pause_for_login(EngineContext *context, EngineMailbox *mailbox,
                               EngineMailboxPause kind, const GError *login_error, GError **error)
{
	if (login_error->domain != ENGINE_ERROR || login_error->code == ENGINE_ERROR_STORE) {
		g_set_error_literal(error, login_error->domain, login_error->code,
		                    login_error->message);
		return false;
	}
	/* A stop cut the token request short: not the mailbox's trouble. */
	if (login_error->code == ENGINE_ERROR_STOPPED)
		return true;
	bool oauth2 = engine_oauth_mailbox_client(mailbox->mailbox, NULL);
	if (login_error->code == ENGINE_ERROR_SIGN_IN)
		return engine_context_pause_mailbox(context, mailbox, kind, login_error->message, 0,
		                                    error);
	g_autofree char *reason =
	        g_strdup_printf("%s: %s", oauth2 ? "sign-in" : "password", login_error->message);
	int64_t until = 0;
	if (login_error->code == ENGINE_ERROR_TRY_LATER)
		until = context->now_us +
		        engine_context_pauses(context)->connection_trouble_s * G_USEC_PER_SEC;
	return engine_context_pause_mailbox(context, mailbox, kind, reason, until, error);
}

static bool
guard_campaign(EngineContext *context, EngineMailbox *mailbox, int64_t campaign_id, GError **error)
{
	const EngineGuardRules *rules = &engine_guard_campaign_default;
	GError *local = NULL;
	g_autoptr(StoreCampaign) campaign =
	        store_campaign_get_by_id(context->store, campaign_id, &local);
	if (campaign == NULL) {
		if (local != NULL)
			g_propagate_error(error, local);
		return local == NULL;
	}
	if (campaign->guard[0] != '\0' || strcmp(campaign->state, "running") != 0)
		return true;
	/* The campaign's own rules, as its file sets them. */
	const EngineCampaign *parsed = engine_context_get_campaign(context, campaign_id);
	if (parsed != NULL && !parsed->guards_on)
		return true;
	if (parsed != NULL)
		rules = &parsed->guards;
	StoreGuardWindow window;
	guint sent = 0;
	guint complaints = 0;
	int64_t since = MAX(context->now_us - rules->complaint_window_s * G_USEC_PER_SEC,
	                    campaign->guard_since);
	if (!store_guard_window(context->store, campaign_id, 0, campaign->guard_since,
	                        rules->window, &window, error) ||
	    !store_guard_complaints(context->store, campaign_id, 0, since, &sent, &complaints,
	                            error))
		return false;
	g_autofree char *words = engine_guard_judge(rules, &window, sent, complaints);
	if (words == NULL)
		return true;
	g_autofree char *reason = g_strdup_printf("guard: %s", words);
	g_autofree char *detail = g_strdup_printf("campaign %s paused: %s", campaign->name, reason);
	g_warning("%s", detail);
	/* No opening of it from now on in this pass either (the follow-ups'
	 * query reads the campaign's state itself). */
	if (context->opening_lock != NULL) {
		g_mutex_lock(context->opening_lock);
		g_hash_table_remove(context->running, &campaign_id);
		g_mutex_unlock(context->opening_lock);
	}
	return store_campaign_set_guard(context->store, campaign_id, reason, error) &&
	       engine_context_add_event(context, mailbox->mailbox->id, ENGINE_EVENT_PAUSED, 0, 0,
	                                detail, error);
}

static bool
guard_mailbox(EngineContext *context, EngineMailbox *mailbox, const EngineGuardRules *rules,
              GError **error)
{
	StoreMailbox *m = mailbox->mailbox;
	/* Paused already (by a person, a quota, or this guard): looked at
	 * again once it goes on. */
	if ((m->guard != NULL && m->guard[0] != '\0') || m->paused_reason != NULL)
		return true;
	StoreGuardWindow window;
	guint sent = 0;
	guint complaints = 0;
	int64_t since =
	        MAX(context->now_us - rules->complaint_window_s * G_USEC_PER_SEC, m->guard_since);
	if (!store_guard_window(context->store, 0, m->id, m->guard_since, rules->window, &window,
	                        error) ||
	    !store_guard_complaints(context->store, 0, m->id, since, &sent, &complaints, error))
		return false;
	g_autofree char *words = engine_guard_judge(rules, &window, sent, complaints);
	if (words == NULL)
		return true;
	g_autofree char *reason = g_strdup_printf("guard: %s", words);
	g_free(m->guard);
	m->guard = g_strdup(reason);
	return store_mailbox_set_guard(context->store, m->id, reason, error) &&
	       engine_context_pause_mailbox(context, mailbox, ENGINE_MAILBOX_PAUSED_SENDING, reason,
	                                    0, error);
}

bool
engine_context_guard(EngineContext *context, EngineMailbox *mailbox, int64_t campaign_id,
                     GError **error)
{
	const EngineGuardRules *rules =
	        context->options->guards != NULL ? context->options->guards : &engine_guard_default;
	return (campaign_id == 0 || guard_campaign(context, mailbox, campaign_id, error)) &&
	       guard_mailbox(context, mailbox, rules, error);
}
