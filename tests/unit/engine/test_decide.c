/*
 * What a send's end does (engine_decide_send) and what a message that came
 * in does (engine_decide_inbound): tables of cases, no server and no store. The promises live here
 * too: nothing certainly unsent is recorded as sent, nothing that may have gone is sent again, and
 * a mailbox's trouble never marks the prospect.
 */
#include "engine/engine_decide.h"

#include <string.h>

#define NOW     ((int64_t)1796000000 * G_USEC_PER_SEC + 12345) /* 2026-11-29T21:33:20Z */
#define SECS(s) ((int64_t)(s)*G_USEC_PER_SEC)

typedef struct {
	const char *name;
	EngineSendEnd end;
	SmtpOutcome outcome;
	int retries;
	/* expected */
	EngineMessageFate message;
	EngineEnrollmentChange change;
	EngineEnrollmentState to;
	int64_t due_at;
	int retries_after;
	bool prospect_bounced;
	EngineMailboxPause pause;
	int64_t pause_until;
	const char *event;
	const char *reason;
	guint sent, failed, bounces, deferred, uncertain;
} Case;

/* The next UTC midnight after NOW. */
#define TOMORROW ((NOW / SECS(86400) + 1) * SECS(86400))

static const Case cases[] = {
        {"accepted", ENGINE_SEND_VERDICT, SMTP_OUTCOME_ACCEPTED, 2, ENGINE_FATE_SENT,
         ENGINE_CHANGE_ADVANCE, 0, 0, -1, false, ENGINE_MAILBOX_USABLE, 0, "sent", "250 ok", 1, 0,
         0, 0, 0},
        {"refused for good", ENGINE_SEND_VERDICT, SMTP_OUTCOME_PERMANENT, 0, ENGINE_FATE_FAILED,
         ENGINE_CHANGE_MOVE, ENGINE_ENROLLMENT_BOUNCED, 0, -1, true, ENGINE_MAILBOX_USABLE, 0,
         "bounce", "refused: 250 ok", 0, 1, 1, 0, 0},
        {"first temporary refusal", ENGINE_SEND_VERDICT, SMTP_OUTCOME_TEMPORARY, 0,
         ENGINE_FATE_DISCARDED, ENGINE_CHANGE_RETRY, 0, NOW + SECS(900), 1, false,
         ENGINE_MAILBOX_USABLE, 0, NULL, "retry 1: 250 ok", 0, 0, 0, 1, 0},
        {"third temporary refusal waits 4 x 15 min", ENGINE_SEND_VERDICT, SMTP_OUTCOME_TEMPORARY, 2,
         ENGINE_FATE_DISCARDED, ENGINE_CHANGE_RETRY, 0, NOW + SECS(3600), 3, false,
         ENGINE_MAILBOX_USABLE, 0, NULL, "retry 3: 250 ok", 0, 0, 0, 1, 0},
        {"fifth temporary refusal gives up", ENGINE_SEND_VERDICT, SMTP_OUTCOME_TEMPORARY, 4,
         ENGINE_FATE_DISCARDED, ENGINE_CHANGE_MOVE, ENGINE_ENROLLMENT_FAILED, 0, 5, false,
         ENGINE_MAILBOX_USABLE, 0, NULL, "retry 5: 250 ok", 0, 0, 0, 1, 0},
        {"message refused as it is", ENGINE_SEND_VERDICT, SMTP_OUTCOME_MESSAGE_INVALID, 0,
         ENGINE_FATE_DISCARDED, ENGINE_CHANGE_MOVE, ENGINE_ENROLLMENT_FAILED, 0, -1, false,
         ENGINE_MAILBOX_USABLE, 0, NULL, "250 ok", 0, 1, 0, 0, 0},
        {"throttled until the next UTC day", ENGINE_SEND_VERDICT, SMTP_OUTCOME_THROTTLED, 0,
         ENGINE_FATE_DISCARDED, ENGINE_CHANGE_NONE, 0, 0, -1, false, ENGINE_MAILBOX_PAUSED_SENDING,
         TOMORROW, NULL, "throttled: 250 ok", 0, 0, 0, 0, 0},
        {"login refused", ENGINE_SEND_VERDICT, SMTP_OUTCOME_AUTH_REJECTED, 0, ENGINE_FATE_DISCARDED,
         ENGINE_CHANGE_NONE, 0, 0, -1, false, ENGINE_MAILBOX_PAUSED_SENDING, NOW + SECS(3600), NULL,
         NULL, 0, 0, 0, 0, 0},
        {"sender refused", ENGINE_SEND_VERDICT, SMTP_OUTCOME_SENDER_REJECTED, 0,
         ENGINE_FATE_DISCARDED, ENGINE_CHANGE_NONE, 0, 0, -1, false, ENGINE_MAILBOX_PAUSED_SENDING,
         NOW + SECS(3600), NULL, NULL, 0, 0, 0, 0, 0},
        {"stopped before the dot", ENGINE_SEND_STOPPED, 0, 3, ENGINE_FATE_DISCARDED,
         ENGINE_CHANGE_NONE, 0, 0, -1, false, ENGINE_MAILBOX_USABLE, 0, NULL, NULL, 0, 0, 0, 0, 0},
        {"cut before the dot", ENGINE_SEND_CUT, 0, 0, ENGINE_FATE_DISCARDED, ENGINE_CHANGE_NONE, 0,
         0, -1, false, ENGINE_MAILBOX_PAUSED_SENDING, NOW + SECS(300), NULL, "SMTP: 250 ok", 0, 0,
         0, 0, 0},
        {"lost after the dot", ENGINE_SEND_UNKNOWN, 0, 0, ENGINE_FATE_UNCERTAIN, ENGINE_CHANGE_MOVE,
         ENGINE_ENROLLMENT_UNCERTAIN, 0, -1, false, ENGINE_MAILBOX_USABLE, 0, "uncertain", NULL, 0,
         0, 0, 0, 1},
};

static void
test_case(gconstpointer data)
{
	const Case *c = data;
	EngineSendCase send = {.end = c->end,
	                       .outcome = c->outcome,
	                       .detail = "250 ok",
	                       .retries = c->retries,
	                       .now_us = NOW,
	                       .pauses = &engine_pauses_default};
	g_auto(EngineSendDecision) d = {0};
	engine_decide_send(&send, &d);
	g_assert_cmpint(d.message, ==, c->message);
	g_assert_cmpint(d.change, ==, c->change);
	if (c->change == ENGINE_CHANGE_MOVE)
		g_assert_cmpint(d.to, ==, c->to);
	if (c->change == ENGINE_CHANGE_MOVE || c->change == ENGINE_CHANGE_RETRY)
		g_assert_cmpint(d.due_at, ==, c->due_at);
	g_assert_cmpint(d.retries, ==, c->retries_after);
	g_assert_cmpint(d.prospect_bounced, ==, c->prospect_bounced);
	g_assert_cmpint(d.pause, ==, c->pause);
	g_assert_cmpint(d.pause_until, ==, c->pause_until);
	/* The table names events as stored; NULL: none. */
	g_assert_cmpstr(engine_lifecycle_event_name(d.event), ==, c->event != NULL ? c->event : "");
	if (c->reason != NULL)
		g_assert_cmpstr(d.reason, ==, c->reason);
	g_assert_cmpuint(d.counts.sent, ==, c->sent);
	g_assert_cmpuint(d.counts.failed, ==, c->failed);
	g_assert_cmpuint(d.counts.bounces, ==, c->bounces);
	g_assert_cmpuint(d.counts.deferred, ==, c->deferred);
	g_assert_cmpuint(d.counts.uncertain, ==, c->uncertain);
}

/* Over every end and outcome: only the server's 250 after the dot is
 * "sent"; only a loss after the dot is "uncertain"; nothing but a refusal
 * of the recipient marks the address; a pause is always the mailbox's. */
static void
test_promises_over_every_case(void)
{
	for (int end = ENGINE_SEND_VERDICT; end <= ENGINE_SEND_UNKNOWN; end++) {
		for (int outcome = SMTP_OUTCOME_ACCEPTED; outcome <= SMTP_OUTCOME_MESSAGE_INVALID;
		     outcome++) {
			EngineSendCase send = {.end = (EngineSendEnd)end,
			                       .outcome = (SmtpOutcome)outcome,
			                       .detail = "x",
			                       .now_us = NOW,
			                       .pauses = &engine_pauses_default};
			g_auto(EngineSendDecision) d = {0};
			engine_decide_send(&send, &d);
			bool verdict = end == ENGINE_SEND_VERDICT;
			g_assert_cmpint(d.message == ENGINE_FATE_SENT, ==,
			                verdict && outcome == SMTP_OUTCOME_ACCEPTED);
			g_assert_cmpint(d.change == ENGINE_CHANGE_ADVANCE, ==,
			                d.message == ENGINE_FATE_SENT);
			g_assert_cmpint(d.message == ENGINE_FATE_UNCERTAIN, ==,
			                end == ENGINE_SEND_UNKNOWN);
			g_assert_cmpint(d.prospect_bounced, ==,
			                verdict && outcome == SMTP_OUTCOME_PERMANENT);
			g_assert_true(d.pause == ENGINE_MAILBOX_USABLE ||
			              d.pause == ENGINE_MAILBOX_PAUSED_SENDING);
			g_assert_true(d.pause == ENGINE_MAILBOX_USABLE || d.pause_until > NOW);
			if (!verdict)
				break;
		}
	}
}

/* Another run's settings are what decides. */
static void
test_pauses_from_the_settings(void)
{
	EnginePauses pauses = engine_pauses_default;
	pauses.connection_trouble_s = 42;
	pauses.max_retries = 1;
	EngineSendCase cut = {
	        .end = ENGINE_SEND_CUT, .detail = "x", .now_us = NOW, .pauses = &pauses};
	g_auto(EngineSendDecision) d = {0};
	engine_decide_send(&cut, &d);
	g_assert_cmpint(d.pause_until, ==, NOW + SECS(42));
	EngineSendCase once = {.end = ENGINE_SEND_VERDICT,
	                       .outcome = SMTP_OUTCOME_TEMPORARY,
	                       .detail = "x",
	                       .now_us = NOW,
	                       .pauses = &pauses};
	g_auto(EngineSendDecision) e = {0};
	engine_decide_send(&once, &e);
	g_assert_cmpint(e.change, ==, ENGINE_CHANGE_MOVE);
	g_assert_cmpint(e.to, ==, ENGINE_ENROLLMENT_FAILED);
}

/* What a message that came in does: one row per kind of message. */
typedef struct {
	const char *name;
	MailClass klass;
	bool hard;
	const char *status;
	bool opt_out;
	bool colleague;
	bool only_this;
	bool open;
	int soft_bounces;
	EngineAutoReply auto_reply;
	/* expected */
	EngineInboundAction action;
	const char *event;
	const char *kind;
	const char *reason;
	int64_t due_at;
	int soft_bounces_after;
	bool mark_bounced;
	guint replies, auto_replies, bounces, opt_outs;
	/* given, when it applies */
	bool delayed;
	bool needs_review;
	MailFeedbackKind feedback;
} InCase;

#define BACK (NOW + SECS(7 * 86400))

static const InCase in_cases[] = {
        {"reply",
         MAIL_CLASS_REPLY,
         false,
         NULL,
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_REPLY,
         "reply",
         "reply",
         "replied",
         0,
         0,
         false,
         1,
         0,
         0,
         0,
         false,
         false,
         0},
        {"a colleague's reply",
         MAIL_CLASS_REPLY,
         false,
         NULL,
         false,
         true,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_REPLY,
         "reply",
         "company_reply",
         "bo@acme.test (a colleague) replied",
         0,
         0,
         false,
         1,
         0,
         0,
         0,
         false,
         false,
         0},
        {"reply to an ended enrollment still counts",
         MAIL_CLASS_REPLY,
         false,
         NULL,
         false,
         false,
         false,
         false,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_REPLY,
         "reply",
         "reply",
         "replied",
         0,
         0,
         false,
         1,
         0,
         0,
         0,
         false,
         false,
         0},
        {"opt-out",
         MAIL_CLASS_REPLY,
         false,
         NULL,
         true,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_OPT_OUT,
         "opt_out",
         "opt_out",
         "asked to be left alone",
         0,
         0,
         false,
         0,
         0,
         0,
         1,
         false,
         false,
         0},
        {"a colleague's opt-out is a company reply",
         MAIL_CLASS_REPLY,
         false,
         NULL,
         true,
         true,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_REPLY,
         "opt_out",
         "opt_out",
         "bo@acme.test (a colleague) replied",
         0,
         0,
         false,
         1,
         0,
         0,
         0,
         false,
         false,
         0},
        {"hard bounce",
         MAIL_CLASS_BOUNCE,
         true,
         "5.1.1",
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_BOUNCE_ADDRESS,
         "bounce",
         "bounce",
         "bounce 5.1.1: user_unknown",
         0,
         0,
         true,
         0,
         0,
         1,
         0,
         false,
         false,
         0},
        {"hard bounce matched by its recipient alone",
         MAIL_CLASS_BOUNCE,
         true,
         "5.1.1",
         false,
         false,
         true,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_BOUNCE_THIS,
         "bounce",
         "bounce",
         "bounce 5.1.1: user_unknown",
         0,
         0,
         false,
         0,
         0,
         1,
         0,
         false,
         false,
         0},
        {"first soft bounce pauses a day",
         MAIL_CLASS_BOUNCE,
         false,
         "5.2.2",
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_PAUSE,
         "soft_bounce",
         "soft_bounce",
         "soft bounce 1: bounce 5.2.2: user_unknown",
         NOW + SECS(86400),
         1,
         false,
         0,
         0,
         0,
         0,
         false,
         false,
         0},
        {"third soft bounce ends it, address kept",
         MAIL_CLASS_BOUNCE,
         false,
         "5.2.2",
         false,
         false,
         false,
         true,
         2,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_BOUNCE_ADDRESS,
         "bounce",
         "bounce",
         "bounce 5.2.2: user_unknown",
         0,
         2,
         false,
         0,
         0,
         1,
         0,
         false,
         false,
         0},
        {"delay report changes nothing",
         MAIL_CLASS_BOUNCE,
         false,
         "4.4.7",
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_NOTHING,
         "delayed",
         "delayed",
         NULL,
         0,
         0,
         false,
         0,
         0,
         0,
         0,
         true,
         false,
         0},
        {"a final 4.4.7 (expired) is a soft bounce, not a delay",
         MAIL_CLASS_BOUNCE,
         false,
         "4.4.7",
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_PAUSE,
         "soft_bounce",
         "soft_bounce",
         "soft bounce 1: bounce 4.4.7: user_unknown",
         NOW + SECS(86400),
         1,
         false,
         0,
         0,
         0,
         0,
         false,
         false,
         0},
        {"mail from the person no rule could read holds the enrollment",
         MAIL_CLASS_OTHER,
         false,
         NULL,
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_HOLD,
         "needs_review",
         "needs_review",
         "held: mail from the prospect that needs a look (piculet replies)",
         0,
         0,
         false,
         0,
         0,
         0,
         0,
         false,
         true,
         0},
        {"a read receipt or a newsletter changes nothing",
         MAIL_CLASS_OTHER,
         false,
         NULL,
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_NOTHING,
         "other",
         "other",
         NULL,
         0,
         0,
         false,
         0,
         0,
         0,
         0,
         false,
         false,
         0},
        {"a colleague's unreadable mail changes nothing",
         MAIL_CLASS_OTHER,
         false,
         NULL,
         false,
         true,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_NOTHING,
         "other",
         "other",
         NULL,
         0,
         0,
         false,
         0,
         0,
         0,
         0,
         false,
         true,
         0},
        {"a spam complaint opts the person out",
         MAIL_CLASS_FEEDBACK,
         false,
         NULL,
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_OPT_OUT,
         "complaint",
         "complaint",
         "complained (abuse)",
         0,
         0,
         false,
         0,
         0,
         0,
         1,
         false,
         false,
         MAIL_FEEDBACK_COMPLAINT},
        {"a DMARC report changes nothing",
         MAIL_CLASS_FEEDBACK,
         false,
         NULL,
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_NOTHING,
         "other",
         "other",
         NULL,
         0,
         0,
         false,
         0,
         0,
         0,
         0,
         false,
         false,
         MAIL_FEEDBACK_AGGREGATE},
        {"auto-reply pauses until back",
         MAIL_CLASS_AUTO_REPLY,
         false,
         NULL,
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_PAUSE,
         "auto_reply",
         "auto_reply",
         NULL,
         BACK,
         0,
         false,
         0,
         1,
         0,
         0,
         false,
         false,
         0},
        {"auto-reply stops by policy",
         MAIL_CLASS_AUTO_REPLY,
         false,
         NULL,
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_STOP,
         ENGINE_INBOUND_STOP,
         "auto_reply",
         "auto_reply",
         "auto-reply",
         0,
         0,
         false,
         0,
         1,
         0,
         0,
         false,
         false,
         0},
        {"auto-reply recorded only by policy",
         MAIL_CLASS_AUTO_REPLY,
         false,
         NULL,
         false,
         false,
         false,
         true,
         0,
         ENGINE_AUTO_REPLY_CONTINUE,
         ENGINE_INBOUND_NOTHING,
         "auto_reply",
         "auto_reply",
         NULL,
         0,
         0,
         false,
         0,
         1,
         0,
         0,
         false,
         false,
         0},
        {"auto-reply to an ended enrollment",
         MAIL_CLASS_AUTO_REPLY,
         false,
         NULL,
         false,
         false,
         false,
         false,
         0,
         ENGINE_AUTO_REPLY_PAUSE,
         ENGINE_INBOUND_NOTHING,
         "auto_reply",
         "auto_reply",
         NULL,
         0,
         0,
         false,
         0,
         1,
         0,
         0,
         false,
         false,
         0},
};

static void
test_in_case(gconstpointer data)
{
	const InCase *c = data;
	MailClassification classification = {
	        .klass = c->klass,
	        .hard = c->hard,
	        .status = (char *)c->status,
	        .reason = MAIL_REASON_USER_UNKNOWN,
	        .opt_out = c->opt_out,
	        .delayed = c->delayed,
	        .needs_review = c->needs_review,
	        .feedback = c->feedback,
	        .feedback_type = c->feedback == MAIL_FEEDBACK_COMPLAINT ? (char *)"abuse" : NULL};
	EngineInboundCase in = {.classification = &classification,
	                        .from = c->colleague ? "bo@acme.test" : "ann@acme.test",
	                        .colleague = c->colleague,
	                        .only_this = c->only_this,
	                        .open = c->open,
	                        .soft_bounces = c->soft_bounces,
	                        .auto_reply = c->auto_reply,
	                        .back_at_us = BACK,
	                        .now_us = NOW,
	                        .pauses = &engine_pauses_default};
	g_auto(EngineInboundDecision) d = {0};
	engine_decide_inbound(&in, &d);
	g_assert_cmpint(d.action, ==, c->action);
	g_assert_cmpstr(engine_lifecycle_event_name(d.event), ==, c->event);
	g_assert_cmpstr(engine_lifecycle_event_name(d.kind), ==, c->kind);
	g_assert_cmpstr(d.reason, ==, c->reason);
	if (c->action == ENGINE_INBOUND_PAUSE)
		g_assert_cmpint(d.due_at, ==, c->due_at);
	g_assert_cmpint(d.soft_bounces, ==, c->soft_bounces_after);
	g_assert_cmpint(d.mark_bounced, ==, c->mark_bounced);
	g_assert_cmpuint(d.counts.replies, ==, c->replies);
	g_assert_cmpuint(d.counts.auto_replies, ==, c->auto_replies);
	g_assert_cmpuint(d.counts.bounces, ==, c->bounces);
	g_assert_cmpuint(d.counts.opt_outs, ==, c->opt_outs);
}

/* An auto-reply saying the person has left ends the sequence even where
 * the campaign pauses for absences; one to an ended enrollment does
 * nothing. */
static void
test_departed_auto_reply(void)
{
	MailClassification left = {.klass = MAIL_CLASS_AUTO_REPLY,
	                           .departed = true,
	                           .referral = (char *)"erik@acme.test"};
	EngineInboundCase in = {.classification = &left,
	                        .from = "ann@acme.test",
	                        .open = true,
	                        .auto_reply = ENGINE_AUTO_REPLY_PAUSE,
	                        .back_at_us = BACK,
	                        .now_us = NOW,
	                        .pauses = &engine_pauses_default};
	g_auto(EngineInboundDecision) d = {0};
	engine_decide_inbound(&in, &d);
	g_assert_cmpint(d.action, ==, ENGINE_INBOUND_STOP);
	g_assert_cmpstr(engine_lifecycle_event_name(d.event), ==, "auto_reply");
	g_assert_cmpstr(d.reason, ==, "auto-reply: the person has left; they name erik@acme.test");
	g_assert_cmpuint(d.counts.auto_replies, ==, 1);
	in.open = false;
	g_auto(EngineInboundDecision) ended = {0};
	engine_decide_inbound(&in, &ended);
	g_assert_cmpint(ended.action, ==, ENGINE_INBOUND_NOTHING);
}

/* A person's reply does what its intent's policy says; a colleague's, an
 * opt-out, an ended enrollment and a referral policy without a referral
 * are plain replies. */
static void
test_reply_policies(void)
{
	EngineReplyPolicy pause = {.action = ENGINE_REPLY_PAUSE, .resume_step = 2};
	EngineReplyPolicy move = {.action = ENGINE_REPLY_MOVE, .campaign = (char *)"Demo"};
	EngineReplyPolicy refer = {.action = ENGINE_REPLY_ENROLL_REFERRAL};
	EngineReplyPolicy stop = {.action = ENGINE_REPLY_STOP};
	MailClassification later = {.klass = MAIL_CLASS_REPLY,
	                            .intent = MAIL_INTENT_LATER,
	                            .intent_date = (char *)"2027-04-01"};
	MailClassification wrong = {.klass = MAIL_CLASS_REPLY,
	                            .intent = MAIL_INTENT_WRONG_PERSON,
	                            .referral = (char *)"cy@acme.test"};
	MailClassification wrong_nobody = {.klass = MAIL_CLASS_REPLY,
	                                   .intent = MAIL_INTENT_WRONG_PERSON};
	struct {
		const MailClassification *classification;
		const EngineReplyPolicy *policy;
		bool colleague;
		bool open;
		EngineInboundAction action;
		const char *reason;
	} policy_cases[] = {
	        {&later, &pause, false, true, ENGINE_INBOUND_REPLY_PAUSE,
	         "replied (later): paused"},
	        {&later, &move, false, true, ENGINE_INBOUND_REPLY_MOVE,
	         "replied (later): moved to campaign \"Demo\""},
	        {&wrong, &refer, false, true, ENGINE_INBOUND_REPLY_REFER,
	         "replied (wrong_person): cy@acme.test enrolled instead"},
	        {&wrong_nobody, &refer, false, true, ENGINE_INBOUND_REPLY, "replied"},
	        {&later, &stop, false, true, ENGINE_INBOUND_REPLY, "replied"},
	        {&later, NULL, false, true, ENGINE_INBOUND_REPLY, "replied"},
	        {&later, &pause, true, true, ENGINE_INBOUND_REPLY,
	         "bo@acme.test (a colleague) replied"},
	        {&later, &pause, false, false, ENGINE_INBOUND_REPLY, "replied"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(policy_cases); i++) {
		EngineInboundCase in = {.classification = policy_cases[i].classification,
		                        .from = policy_cases[i].colleague ? "bo@acme.test"
		                                                          : "ann@acme.test",
		                        .colleague = policy_cases[i].colleague,
		                        .open = policy_cases[i].open,
		                        .auto_reply = ENGINE_AUTO_REPLY_PAUSE,
		                        .on_reply = policy_cases[i].policy,
		                        .later_at_us = BACK,
		                        .now_us = NOW,
		                        .pauses = &engine_pauses_default};
		g_auto(EngineInboundDecision) d = {0};
		engine_decide_inbound(&in, &d);
		g_test_message("case %" G_GSIZE_FORMAT ": %s", i, d.reason);
		g_assert_cmpint(d.action, ==, policy_cases[i].action);
		g_assert_cmpstr(d.reason, ==, policy_cases[i].reason);
		g_assert_cmpuint(d.counts.replies, ==, 1);
		g_assert_cmpuint(d.counts.opt_outs, ==, 0);
		if (d.action == ENGINE_INBOUND_REPLY_PAUSE) {
			g_assert_cmpint(d.due_at, ==, BACK);
			g_assert_cmpint(d.resume_step, ==, 2);
		}
		if (d.action == ENGINE_INBOUND_REPLY_MOVE)
			g_assert_cmpstr(d.move_to, ==, "Demo");
		if (d.action == ENGINE_INBOUND_REPLY_REFER)
			g_assert_cmpstr(d.referral, ==, "cy@acme.test");
	}
}

/* A refusal no wait can mend (basic authentication off) pauses the
 * mailbox until a person acts, saying what to do; a daily limit until the
 * next UTC day. */
static void
test_provider_advice(void)
{
	EngineSendCase send = {
	        .end = ENGINE_SEND_VERDICT,
	        .outcome = SMTP_OUTCOME_AUTH_REJECTED,
	        .detail = "530 5.7.139 basic authentication is disabled",
	        .advice = {.words = "sign in with OAuth2", .until_person_acts = true},
	        .now_us = NOW,
	        .pauses = &engine_pauses_default};
	g_auto(EngineSendDecision) d = {0};
	engine_decide_send(&send, &d);
	g_assert_cmpint(d.pause, ==, ENGINE_MAILBOX_PAUSED_SENDING);
	g_assert_cmpint(d.pause_until, ==, 0);
	g_assert_nonnull(strstr(d.reason, "5.7.139 basic authentication is disabled: sign in "
	                                  "with OAuth2"));
	/* A refusal that blames the sender (a blocklist, DMARC) at RCPT: the
	 * mailbox waits for a person; the address is not marked. */
	EngineSendCase blamed = send;
	blamed.outcome = SMTP_OUTCOME_SENDER_REJECTED;
	blamed.advice = (SmtpAdvice){.words = "on a blocklist", .until_person_acts = true};
	g_auto(EngineSendDecision) held = {0};
	engine_decide_send(&blamed, &held);
	g_assert_cmpint(held.pause, ==, ENGINE_MAILBOX_PAUSED_SENDING);
	g_assert_cmpint(held.pause_until, ==, 0);
	g_assert_false(held.prospect_bounced);
	g_assert_cmpint(held.message, ==, ENGINE_FATE_DISCARDED);
	EngineSendCase limit = send;
	limit.outcome = SMTP_OUTCOME_THROTTLED;
	limit.advice = (SmtpAdvice){.words = "daily sending limit", .until_person_acts = false};
	g_auto(EngineSendDecision) waits = {0};
	engine_decide_send(&limit, &waits);
	g_assert_cmpint(waits.pause_until, >, NOW);
	g_assert_nonnull(strstr(waits.reason, "daily sending limit"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("/engine/decide/send/%s", cases[i].name);
		g_strdelimit(path + strlen("/engine/decide/send/"), " ", '-');
		g_test_add_data_func(path, &cases[i], test_case);
	}
	g_test_add_func("/engine/decide/inbound/reply-policies-by-intent", test_reply_policies);
	g_test_add_func("/engine/decide/send/promises-over-every-case",
	                test_promises_over_every_case);
	g_test_add_func("/engine/decide/send/pauses-from-the-settings",
	                test_pauses_from_the_settings);
	g_test_add_func("/engine/decide/send/provider-advice-and-its-wait", test_provider_advice);
	for (gsize i = 0; i < G_N_ELEMENTS(in_cases); i++) {
		g_autofree char *path =
		        g_strdup_printf("/engine/decide/inbound/%s", in_cases[i].name);
		g_strdelimit(path + strlen("/engine/decide/inbound/"), " '", '-');
		g_test_add_data_func(path, &in_cases[i], test_in_case);
	}
	g_test_add_func("/engine/decide/inbound/departed-auto-reply-stops",
	                test_departed_auto_reply);
	return g_test_run();
}
