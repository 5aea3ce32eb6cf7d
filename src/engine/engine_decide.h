/*
 * engine_decide: what a send's end does, decided without I/O. A pure
 * function of the facts (how the send ended, the server's verdict, the
 * enrollment's count of retries, the time, the pause settings); the engine
 * applies the decision in one transaction (engine_send.c). Unit-tested by a
 * table of cases, no server needed (tests/unit/engine/test_decide.c).
 */
#pragma once

#include "engine/engine_campaign.h"
#include "engine/engine_enrollment.h"
#include "engine/engine_lifecycle.h"
#include "engine/engine_mailbox.h"
#include "engine/engine_pauses.h"
#include "engine/engine_run.h"
#include "mail/mail_classify.h"
#include "smtp/smtp_outcome.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* How a send ended. */
typedef enum {
	ENGINE_SEND_VERDICT, /* the server answered: the case's outcome */
	ENGINE_SEND_STOPPED, /* a stop request before the final dot: certainly not sent */
	ENGINE_SEND_CUT,     /* the line or the server failed before the final dot: not sent */
	ENGINE_SEND_UNKNOWN, /* lost after the final dot: it may have been sent */
} EngineSendEnd;

typedef struct {
	EngineSendEnd end;
	SmtpOutcome outcome; /* with ENGINE_SEND_VERDICT */
	const char *detail;  /* the deciding reply, or what failed */
	SmtpAdvice advice;   /* what a person does about the deciding reply, if anything */
	int retries;         /* the enrollment's temporary failures so far */
	int64_t now_us;
	const EnginePauses *pauses;
} EngineSendCase;

/* What becomes of the message's "sending" record. */
typedef enum {
	ENGINE_FATE_DISCARDED, /* certainly not sent: the record goes, the step waits */
	ENGINE_FATE_SENT,
	ENGINE_FATE_FAILED,    /* refused for good */
	ENGINE_FATE_UNCERTAIN, /* may have been sent: never again */
} EngineMessageFate;

/* What becomes of the enrollment. */
typedef enum {
	ENGINE_CHANGE_NONE,    /* as it is */
	ENGINE_CHANGE_ADVANCE, /* its step went: on to the next (or completed) */
	ENGINE_CHANGE_MOVE,    /* to @to, with the reason, due at @due_at */
	ENGINE_CHANGE_RETRY,   /* its state kept, the reason and due time new */
} EngineEnrollmentChange;

typedef struct {
	EngineMessageFate message;
	EngineEnrollmentChange change;
	EngineEnrollmentState to; /* with ENGINE_CHANGE_MOVE */
	int64_t due_at;           /* with MOVE and RETRY */
	int retries;              /* the count after it; -1: as it is */
	bool prospect_bounced;    /* the address is marked bounced */
	EngineMailboxPause pause; /* ENGINE_MAILBOX_USABLE: the mailbox goes on */
	int64_t pause_until;      /* 0: until a person acts */
	EngineEvent event;        /* for the timeline; NONE: none (a pause writes its own) */
	char *reason;             /* for the enrollment's move or the pause, the message's
	                           * record and the event; owned */
	EngineTickSummary counts; /* what it adds to the pass's summary (pauses not included) */
} EngineSendDecision;

void engine_decide_send(const EngineSendCase *send, EngineSendDecision *decision);
void engine_decide_send_clear(EngineSendDecision *decision);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(EngineSendDecision, engine_decide_send_clear)

/* What a message that came in does to its enrollment. */
typedef enum {
	ENGINE_INBOUND_NOTHING,        /* recorded only (a delay report, an ended enrollment) */
	ENGINE_INBOUND_PAUSE,          /* paused until @due_at (a soft bounce, an auto-reply) */
	ENGINE_INBOUND_STOP,           /* this enrollment stopped (an auto-reply, by policy) */
	ENGINE_INBOUND_BOUNCE_THIS,    /* this enrollment bounced; the address not marked */
	ENGINE_INBOUND_BOUNCE_ADDRESS, /* every open enrollment of the address bounced */
	ENGINE_INBOUND_OPT_OUT,        /* every one opted out; the address blacklisted */
	ENGINE_INBOUND_REPLY, /* replied; the company's and the person's others by policy */
	ENGINE_INBOUND_HOLD,  /* paused until a person looks (mail no rule could read) */
	/* A reply whose intent's policy (engine_reply_policy) is not "stop": */
	ENGINE_INBOUND_REPLY_PAUSE, /* paused until @due_at, then on from @resume_step */
	ENGINE_INBOUND_REPLY_MOVE,  /* replied here; enrolled in campaign @move_to */
	ENGINE_INBOUND_REPLY_REFER, /* replied here; @referral enrolled in this campaign */
} EngineInboundAction;

typedef struct {
	const MailClassification *classification;
	const MailBounceRecipient *bounce; /* a bounce: the entry for this enrollment's
	                                    * address, or NULL (then the classification's) */
	const char *from;                  /* its sender's address, or NULL */
	bool colleague;                    /* written by someone else at the prospect's company */
	bool only_this;   /* a bounce matched by its recipient alone (no Message-ID of ours) */
	bool open;        /* the enrollment is still open */
	int soft_bounces; /* the enrollment's so far */
	EngineAutoReply auto_reply; /* the campaign's policy (PAUSE when it has none) */
	int64_t back_at_us;         /* an auto-reply's end of pause: its return date, else the
	                             * campaign's auto_reply_days */
	const EngineReplyPolicy *on_reply; /* the campaign's policy for the reply's intent;
	                                    * NULL: stop */
	int64_t later_at_us; /* a paused reply's end: the day it names, else later_days */
	int64_t now_us;
	const EnginePauses *pauses;
} EngineInboundCase;

typedef struct {
	EngineInboundAction action;
	EngineEvent event;    /* for the timeline, always (a colleague's reply is a reply) */
	EngineEvent kind;     /* what it was taken for: a reply, company_reply, opt_out,
	                       * auto_reply, bounce, soft_bounce, delayed, complaint,
	                       * needs_review, other */
	char *reason;         /* for the enrollment's move; owned */
	int64_t due_at;       /* with PAUSE */
	int soft_bounces;     /* the count after it */
	bool mark_bounced;    /* with BOUNCE_ADDRESS: a hard bounce marks the address */
	int resume_step;      /* with REPLY_PAUSE: the step to go on with; 0: the next */
	const char *move_to;  /* with REPLY_MOVE: the campaign's name (borrowed) */
	const char *referral; /* with REPLY_REFER: the colleague's address (borrowed) */
	EngineTickSummary counts;
} EngineInboundDecision;

void engine_decide_inbound(const EngineInboundCase *in, EngineInboundDecision *decision);
void engine_decide_inbound_clear(EngineInboundDecision *decision);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(EngineInboundDecision, engine_decide_inbound_clear)
