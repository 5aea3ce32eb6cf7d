/*
 * engine_campaign: a campaign as the engine uses it, read from the YAML
 * file a person writes (libfyaml):
 *
 *   name: Q4 founders
 *   mailboxes: [alice@example.com]
 *   timezone: Europe/Berlin          # IANA name
 *   use_prospect_timezone: true      # the prospect's own zone when known
 *   window: mon-fri 09:00-17:00      # or a mapping: {mon: 09:00-17:00, ...}
 *   interval: 60s-180s               # pause between two emails of a mailbox
 *   daily_limit: 30                  # opening emails per day
 *   count_only_sending_days: false   # delays skip closed days when true
 *   policies:
 *     stop_on_company_reply: true    # a reply stops the same domain's others
 *     stop_on_reply_elsewhere: true  # a reply in another campaign stops this one
 *     public_domains: [mail.example] # more public mailbox providers
 *     auto_reply: pause              # pause | continue | stop
 *     auto_reply_days: 7             # pause when no return date is given
 *     list_unsubscribe: false        # List-Unsubscribe: mailto, and one-click
 *     on_reply:                      # by intent (engine_reply_policy); default stop
 *       later: pause
 *     later_days: 30                 # a "later" without a day
 *   tracking_domain: https://links.example.com  # where piculet serve answers links
 *   steps:
 *     - subject: "Quick question, {{first_name}}"
 *       body: |
 *         Hi {{first_name}}, ...
 *     - delay: 3d                    # after the previous step was sent
 *       body: ...                    # no subject: "Re:" in the same thread
 *       variants:                    # A/B/n: each prospect gets one, in turn
 *         - subject: "Still there?"  # a variant's own subject and/or body;
 *         - body: ...                # what it leaves out is the step's
 *       winner: {after: 100, confidence: 95}   # then only the best one
 *     - delay: 2d
 *       if: "{{country}} == DE"       # skipped for the others (engine_condition)
 *       body: ...
 *     - delay: 1d
 *       task: call                    # a to-do for a person; the sequence
 *       note: Ask about the demo      # waits until it is marked done
 *
 * Every key is known or an error; every error names "FILE:LINE:COLUMN".
 * Templates are parsed (and their syntax errors reported) here, so a
 * campaign that loads can be rendered. The text is kept as given.
 *
 * Plain data after parsing; immutable; may be shared between threads.
 */
#pragma once

#include "engine/engine_condition.h"
#include "engine/engine_guard.h"
#include "engine/engine_reply_policy.h"
#include "engine/engine_window.h"
#include "mail/mail_intent.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
	ENGINE_AUTO_REPLY_PAUSE,    /* pause until the return date, then go on */
	ENGINE_AUTO_REPLY_CONTINUE, /* record it, change nothing */
	ENGINE_AUTO_REPLY_STOP,     /* stop the sequence */
} EngineAutoReply;

/* One variant of a step, whole: what it does not give is the step's. */
typedef struct {
	char *subject; /* template; NULL: a reply in the thread */
	char *body;    /* template */
} EngineCampaignVariant;

/* When a step's winning variant is picked (engine_variant). */
typedef struct {
	int after;      /* messages sent of every variant before a pick; 0: never picked */
	int confidence; /* percent: the test's 1 - alpha */
} EngineWinnerRule;

#define ENGINE_CAMPAIGN_MAX_VARIANTS      26 /* A to Z */
#define ENGINE_CAMPAIGN_WINNER_CONFIDENCE 95

typedef struct {
	char *subject;   /* template; NULL: a reply in the thread ("Re: " + first) */
	char *body;      /* template */
	int64_t delay_s; /* after the previous step's actual send (step 1: 0) */
	/* Two or more EngineCampaignVariant *, A first; NULL: the step has one
	 * text. With variants, subject and body above are A's. */
	GPtrArray *variants;
	EngineWinnerRule winner;    /* with variants only */
	EngineCondition *condition; /* `if:` (follow-ups only); NULL: always */
	/* A task for a person instead of an email (`task: call`, follow-ups
	 * only): its kind and note; subject, body and variants are then NULL. */
	char *task;
	char *note;
} EngineCampaignStep;

/* A mailbox's messages to one recipient domain, by default (docs/campaign.md). */
#define ENGINE_CAMPAIGN_DOMAIN_PER_HOUR 3
#define ENGINE_CAMPAIGN_DOMAIN_PER_DAY  10

typedef struct {
	char *name;
	GPtrArray *mailboxes; /* char *, normalised addresses, at least one */
	char *timezone;       /* IANA name, checked */
	bool use_prospect_timezone;
	EngineWindow window;
	int64_t interval_min_s;
	int64_t interval_max_s;
	int daily_limit; /* opening emails per day over all the mailboxes */
	bool count_only_sending_days;
	bool stop_on_company_reply;   /* never for public providers (engine_freemail) */
	bool stop_on_reply_elsewhere; /* a reply in another campaign stops this one */
	GPtrArray *public_domains;    /* char *: more public providers (policies) */
	EngineAutoReply auto_reply;
	int auto_reply_days;
	bool list_unsubscribe;
	bool track_opens;  /* opt-in: an HTML part with a 1x1 image (engine_tracking) */
	bool track_clicks; /* opt-in: the HTML part's links through tracking_domain */
	EngineReplyPolicy on_reply[MAIL_INTENT_COUNT]; /* by MailIntent; unsubscribe: unused */
	int later_days;
	char *tracking_domain; /* base URL of piculet serve for the links; NULL: none */
	bool guards_on;        /* `guards: off` turns them off for this campaign */
	int domain_per_hour; /* messages of a mailbox to one recipient domain in an hour; 0: any */
	int domain_per_day;  /* and in a UTC day (public providers are not capped) */
	/* char *: "YYYY-MM-DD", or a country's calendar ("DE", engine_holidays):
	 * days nothing is sent (in the send's zone). */
	GPtrArray *holidays;
	EngineGuardRules guards; /* engine_guard_campaign_default, as the file changes it */
	GPtrArray *steps;        /* EngineCampaignStep *, at least one */
	char *text;              /* the file as given */
} EngineCampaign;

/* Parses @text (@length bytes; @name prefixes every error). ENGINE_ERROR_INPUT
 * on any mistake. */
EngineCampaign *engine_campaign_parse(const char *text, gsize length, const char *name,
                                      GError **error);
void engine_campaign_free(EngineCampaign *campaign);

/* Whether @domain ("acme.test" or "@acme.test") is a public mailbox
 * provider for this campaign: piculet's list (engine_freemail) or the
 * campaign's own public_domains. A shared public domain is not a company. */
bool engine_campaign_is_public_domain(const EngineCampaign *campaign, const char *domain);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EngineCampaign, engine_campaign_free)

/* The variants of @step: 1 when it has none. */
guint engine_campaign_n_variants(const EngineCampaignStep *step);

/* The subject (NULL: a reply in the thread) and body of variant @variant
 * of @step (0 is A; the step's own text when it has no variants). */
const char *engine_campaign_variant_subject(const EngineCampaignStep *step, int variant);
const char *engine_campaign_variant_body(const EngineCampaignStep *step, int variant);

/* "A", "B", ... for variant @variant (0-based). */
char engine_campaign_variant_letter(int variant);

/* The zone sends of this campaign are timed in for a prospect whose own
 * zone is @prospect_zone (NULL or "" when unknown). A new reference. */
GTimeZone *engine_campaign_dup_zone(const EngineCampaign *campaign, const char *prospect_zone);

const char *engine_campaign_auto_reply_name(EngineAutoReply action);

/* The earliest moment step @step (1-based) may go in @zone: for step 1 the
 * first open moment at or after @after_us (when the prospect became due);
 * for a follow-up, @after_us is when the previous step was really sent, the
 * step's delay is added (in sending days only when the campaign says so),
 * and the window decides. -1 when the window never opens. */
/* The earliest moment at or after @at_us inside the campaign's window and
 * on no holiday of it, read in @zone; -1 when there is none within a year
 * (an empty window, or every open day a holiday). */
int64_t engine_campaign_next_open(const EngineCampaign *campaign, GTimeZone *zone, int64_t at_us);

int64_t engine_campaign_due_at(const EngineCampaign *campaign, GTimeZone *zone, int step,
                               int64_t after_us);
