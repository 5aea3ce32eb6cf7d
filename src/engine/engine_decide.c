/* What a send's end does: the table the engine applies. */
#include "engine/engine_decide.h"

#include <string.h>

#define DAY_US ((int64_t)86400 * G_USEC_PER_SEC)

static void
verdict(const EngineSendCase *send, EngineSendDecision *d)
{
	const EnginePauses *pauses = send->pauses;
	const char *reply = send->detail != NULL ? send->detail : "";
	switch (send->outcome) {
	case SMTP_OUTCOME_ACCEPTED:
		d->message = ENGINE_FATE_SENT;
		d->change = ENGINE_CHANGE_ADVANCE;
		d->event = ENGINE_EVENT_SENT;
		d->reason = g_strdup(reply);
		d->counts.sent = 1;
		return;
	case SMTP_OUTCOME_PERMANENT:
		d->message = ENGINE_FATE_FAILED;
		d->change = ENGINE_CHANGE_MOVE;
		d->to = ENGINE_ENROLLMENT_BOUNCED;
		d->prospect_bounced = true;
		d->event = ENGINE_EVENT_BOUNCE;
		d->reason = g_strdup_printf("refused: %s", reply);
		d->counts.failed = 1;
		d->counts.bounces = 1;
		return;
	case SMTP_OUTCOME_TEMPORARY: {
		int retries = send->retries + 1;
		d->retries = retries;
		d->reason = g_strdup_printf("retry %d: %s", retries, reply);
		d->counts.deferred = 1;
		if (retries >= pauses->max_retries) {
			d->change = ENGINE_CHANGE_MOVE;
			d->to = ENGINE_ENROLLMENT_FAILED;
			return;
		}
		/* 15 min, 30, 60, ...: the base doubled for each earlier try. */
		d->change = ENGINE_CHANGE_RETRY;
		d->due_at = send->now_us + pauses->retry_base_s *
		                                   ((int64_t)1 << MIN(retries - 1, 20)) *
		                                   G_USEC_PER_SEC;
		return;
	}
	case SMTP_OUTCOME_MESSAGE_INVALID:
		d->change = ENGINE_CHANGE_MOVE;
		d->to = ENGINE_ENROLLMENT_FAILED;
		d->reason = g_strdup(reply);
		d->counts.failed = 1;
		return;
	case SMTP_OUTCOME_THROTTLED:
		/* A quota or rate limit: until the next UTC day. */
		d->pause = ENGINE_MAILBOX_PAUSED_SENDING;
		d->pause_until = (send->now_us / DAY_US + 1) * DAY_US;
		break;
	case SMTP_OUTCOME_AUTH_REJECTED:
	case SMTP_OUTCOME_SENDER_REJECTED:
	case SMTP_OUTCOME_CONNECTION_FAILED:
	case SMTP_OUTCOME_UNKNOWN:
	case SMTP_OUTCOME_CONFIGURATION:
		/* The mailbox's trouble, not the prospect's: it waits (until a
		 * person acts, when waiting cannot help). */
		d->pause = ENGINE_MAILBOX_PAUSED_SENDING;
		d->pause_until =
		        send->advice.until_person_acts
		                ? 0
		                : send->now_us + pauses->lasting_trouble_s * G_USEC_PER_SEC;
		break;
	}
	if (send->advice.words != NULL)
		d->reason = g_strdup_printf("%s: %s: %s", smtp_outcome_to_string(send->outcome),
		                            reply, send->advice.words);
	else
		d->reason = g_strdup_printf("%s: %s", smtp_outcome_to_string(send->outcome), reply);
}

void
engine_decide_send(const EngineSendCase *send, EngineSendDecision *d)
{
	memset(d, 0, sizeof *d);
	d->message = ENGINE_FATE_DISCARDED;
	d->change = ENGINE_CHANGE_NONE;
	d->retries = -1;
	d->pause = ENGINE_MAILBOX_USABLE;
	const char *detail = send->detail != NULL ? send->detail : "";
	switch (send->end) {
	case ENGINE_SEND_VERDICT:
		verdict(send, d);
		return;
	case ENGINE_SEND_STOPPED:
		/* Nothing wrong with anyone: the step waits. */
		return;
	case ENGINE_SEND_CUT:
		d->pause = ENGINE_MAILBOX_PAUSED_SENDING;
		d->pause_until = send->now_us + send->pauses->connection_trouble_s * G_USEC_PER_SEC;
		d->reason = g_strdup_printf("SMTP: %s", detail);
		return;
	case ENGINE_SEND_UNKNOWN:
		d->message = ENGINE_FATE_UNCERTAIN;
		d->change = ENGINE_CHANGE_MOVE;
		d->to = ENGINE_ENROLLMENT_UNCERTAIN;
		d->event = ENGINE_EVENT_UNCERTAIN;
		d->reason = g_strdup_printf("may have been sent (%s): not sent again; check the "
		                            "recipient's copy or the Sent folder",
		                            detail);
		d->counts.uncertain = 1;
		return;
	}
}

void
engine_decide_send_clear(EngineSendDecision *decision)
{
	g_clear_pointer(&decision->reason, g_free);
}

static void
decide_bounce(const EngineInboundCase *in, EngineInboundDecision *d)
{
	const MailClassification *c = in->classification;
	const char *status = in->bounce != NULL ? in->bounce->status : c->status;
	MailReason why = in->bounce != NULL ? in->bounce->reason : c->reason;
	bool hard = !c->delayed && (in->bounce != NULL ? in->bounce->hard : c->hard);
	/* A warning: the server still tries. */
	if (c->delayed) {
		d->kind = d->event = ENGINE_EVENT_DELAYED;
		return;
	}
	g_autofree char *reason =
	        g_strdup_printf("bounce %s%s%s", status != NULL ? status : "",
	                        status != NULL ? ": " : "", mail_reason_to_string(why));
	/* A soft failure (a full mailbox): a pause, the last one an end. */
	if (!hard && in->open && in->soft_bounces + 1 < in->pauses->max_soft_bounces) {
		d->kind = d->event = ENGINE_EVENT_SOFT_BOUNCE;
		d->action = ENGINE_INBOUND_PAUSE;
		d->soft_bounces = in->soft_bounces + 1;
		d->reason = g_strdup_printf("soft bounce %d: %s", d->soft_bounces, reason);
		d->due_at = in->now_us + in->pauses->soft_bounce_s * G_USEC_PER_SEC;
		return;
	}
	d->kind = d->event = ENGINE_EVENT_BOUNCE;
	d->counts.bounces = 1;
	d->reason = g_steal_pointer(&reason);
	/* Matched by its recipient alone, it says nothing trustworthy about
	 * the address everywhere. */
	d->action = in->only_this ? ENGINE_INBOUND_BOUNCE_THIS : ENGINE_INBOUND_BOUNCE_ADDRESS;
	d->mark_bounced = !in->only_this && hard;
}

/* A report about mail rather than a reply: a complaint opts the person out
 * (and counts against the mailbox); the others change nothing. */
static void
decide_feedback(const EngineInboundCase *in, EngineInboundDecision *d)
{
	const MailClassification *c = in->classification;
	if (c->feedback != MAIL_FEEDBACK_COMPLAINT) {
		d->kind = d->event = ENGINE_EVENT_OTHER;
		return;
	}
	d->kind = d->event = ENGINE_EVENT_COMPLAINT;
	d->action = ENGINE_INBOUND_OPT_OUT;
	d->reason = g_strdup_printf("complained (%s)",
	                            c->feedback_type != NULL ? c->feedback_type : "abuse");
	d->counts.opt_outs = 1;
}

/* Mail that is neither a reply nor a report. Known kinds (a read receipt,
 * a newsletter) change nothing; what no rule could read, from the person,
 * holds the enrollment for a person to look at: it may be a reply, and a
 * follow-up after a reply is what must never happen. */
static void
decide_other(const EngineInboundCase *in, EngineInboundDecision *d)
{
	const MailClassification *c = in->classification;
	if (!c->needs_review || in->colleague || !in->open) {
		d->kind = d->event = ENGINE_EVENT_OTHER;
		return;
	}
	d->kind = d->event = ENGINE_EVENT_NEEDS_REVIEW;
	d->action = ENGINE_INBOUND_HOLD;
	d->reason = g_strdup("held: mail from the prospect that needs a look (piculet replies)");
}

static void
decide_auto_reply(const EngineInboundCase *in, EngineInboundDecision *d)
{
	d->kind = d->event = ENGINE_EVENT_AUTO_REPLY;
	d->counts.auto_replies = 1;
	if (!in->open)
		return;
	/* Gone for good, whatever the campaign does with absences. */
	const MailClassification *c = in->classification;
	if (c != NULL && c->departed) {
		d->action = ENGINE_INBOUND_STOP;
		d->reason = c->referral != NULL
		                    ? g_strdup_printf("auto-reply: the person has left; "
		                                      "they name %s",
		                                      c->referral)
		                    : g_strdup("auto-reply: the person has left");
		return;
	}
	switch (in->auto_reply) {
	case ENGINE_AUTO_REPLY_STOP:
		d->action = ENGINE_INBOUND_STOP;
		d->reason = g_strdup("auto-reply");
		return;
	case ENGINE_AUTO_REPLY_CONTINUE:
		return;
	case ENGINE_AUTO_REPLY_PAUSE:
		d->action = ENGINE_INBOUND_PAUSE;
		d->due_at = in->back_at_us;
		return;
	}
}

/* The person's own reply, by its intent's policy; false for "stop" (the
 * plain reply) and for a referral policy when the reply names nobody. */
static bool
decide_reply_policy(const EngineInboundCase *in, EngineInboundDecision *d)
{
	const MailClassification *c = in->classification;
	const EngineReplyPolicy *policy = in->on_reply;
	const char *intent = mail_intent_to_string(c->intent);
	switch (policy->action) {
	case ENGINE_REPLY_STOP:
		return false;
	case ENGINE_REPLY_PAUSE:
		d->action = ENGINE_INBOUND_REPLY_PAUSE;
		d->due_at = in->later_at_us;
		d->resume_step = policy->resume_step;
		d->reason = g_strdup_printf("replied (%s): paused", intent);
		break;
	case ENGINE_REPLY_MOVE:
		d->action = ENGINE_INBOUND_REPLY_MOVE;
		d->move_to = policy->campaign;
		d->reason = g_strdup_printf("replied (%s): moved to campaign \"%s\"", intent,
		                            policy->campaign);
		break;
	case ENGINE_REPLY_ENROLL_REFERRAL:
		if (c->referral == NULL)
			return false;
		d->action = ENGINE_INBOUND_REPLY_REFER;
		d->referral = c->referral;
		d->reason =
		        g_strdup_printf("replied (%s): %s enrolled instead", intent, c->referral);
		break;
	}
	d->kind = d->event = ENGINE_EVENT_REPLY;
	d->counts.replies = 1;
	return true;
}

void
engine_decide_inbound(const EngineInboundCase *in, EngineInboundDecision *d)
{
	memset(d, 0, sizeof *d);
	const MailClassification *c = in->classification;
	d->action = ENGINE_INBOUND_NOTHING;
	d->soft_bounces = in->soft_bounces;
	switch (c->klass) {
	case MAIL_CLASS_BOUNCE:
		decide_bounce(in, d);
		return;
	case MAIL_CLASS_AUTO_REPLY:
		decide_auto_reply(in, d);
		return;
	case MAIL_CLASS_FEEDBACK:
		decide_feedback(in, d);
		return;
	case MAIL_CLASS_OTHER:
		decide_other(in, d);
		return;
	case MAIL_CLASS_REPLY:
		break;
	}
	/* The person asks to be left alone; a colleague's "remove me" speaks
	 * for the colleague, and is a reply of the company. */
	if (c->opt_out && !in->colleague) {
		d->kind = d->event = ENGINE_EVENT_OPT_OUT;
		d->action = ENGINE_INBOUND_OPT_OUT;
		d->reason = g_strdup("asked to be left alone");
		d->counts.opt_outs = 1;
		return;
	}
	if (!in->colleague && in->open && in->on_reply != NULL && decide_reply_policy(in, d))
		return;
	d->kind = !in->colleague ? ENGINE_EVENT_REPLY
	          : c->opt_out   ? ENGINE_EVENT_OPT_OUT
	                         : ENGINE_EVENT_COMPANY_REPLY;
	d->event = c->opt_out ? ENGINE_EVENT_OPT_OUT : ENGINE_EVENT_REPLY;
	d->action = ENGINE_INBOUND_REPLY;
	d->reason = in->colleague ? g_strdup_printf("%s (a colleague) replied",
	                                            in->from != NULL ? in->from : "?")
	                          : g_strdup("replied");
	d->counts.replies = 1;
}

void
engine_decide_inbound_clear(EngineInboundDecision *decision)
{
	g_clear_pointer(&decision->reason, g_free);
}
