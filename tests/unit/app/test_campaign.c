/*
 * Campaign use cases on a real SQLite file: the lifecycle
 * (app_campaign_act) and the engine's table of moves under it, saving a
 * campaign file, previewing what a prospect would get.
 */
#include "app/app_campaign.h"
#include "app/app_error.h"
#include "helpers/test_store.h"

#include <gmime/gmime.h>
#include <string.h>

typedef struct {
	char *dir;
	Store *store;
} Fixture;

static const char definition[] = "name: C\nmailboxes: [alice@sender.test]\n"
                                 "steps:\n  - subject: Hi\n    body: Hello\n";

static void
setup(Fixture *fixture, gconstpointer data)
{
	fixture->store = test_store_new("piculet-app", &fixture->dir);
	test_store_add_mailbox(fixture->store, "alice@sender.test", 10, NULL);
	test_store_add_campaign(fixture->store, "C", "alice@sender.test", definition);
}

static void
teardown(Fixture *fixture, gconstpointer data)
{
	test_store_remove(fixture->store, fixture->dir);
}

static EngineCampaignState
stored_state(Fixture *fixture, const char *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreCampaign) c = app_campaign_get(fixture->store, name, &error);
	g_assert_no_error(error);
	return engine_lifecycle_campaign_of(c);
}

static void
test_lifecycle(Fixture *fixture, gconstpointer data)
{
	static const struct {
		EngineCampaignAction action;
		bool allowed;
		EngineCampaignState after;
	} steps[] = {
	        {ENGINE_CAMPAIGN_PAUSE, false, ENGINE_CAMPAIGN_DRAFT},
	        {ENGINE_CAMPAIGN_RESUME, false, ENGINE_CAMPAIGN_DRAFT},
	        {ENGINE_CAMPAIGN_START, true, ENGINE_CAMPAIGN_RUNNING},
	        {ENGINE_CAMPAIGN_START, false, ENGINE_CAMPAIGN_RUNNING},
	        {ENGINE_CAMPAIGN_PAUSE, true, ENGINE_CAMPAIGN_PAUSED},
	        {ENGINE_CAMPAIGN_RESUME, true, ENGINE_CAMPAIGN_RUNNING},
	        {ENGINE_CAMPAIGN_PAUSE, true, ENGINE_CAMPAIGN_PAUSED},
	        {ENGINE_CAMPAIGN_START, true, ENGINE_CAMPAIGN_RUNNING},
	        {ENGINE_CAMPAIGN_ARCHIVE, true, ENGINE_CAMPAIGN_ARCHIVED},
	        {ENGINE_CAMPAIGN_START, false, ENGINE_CAMPAIGN_ARCHIVED},
	        {ENGINE_CAMPAIGN_RESUME, false, ENGINE_CAMPAIGN_ARCHIVED},
	        {ENGINE_CAMPAIGN_ARCHIVE, false, ENGINE_CAMPAIGN_ARCHIVED},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(GError) error = NULL;
		EngineCampaignState state = ENGINE_CAMPAIGN_DRAFT;
		bool ok = app_campaign_act(fixture->store, "C", steps[i].action, false, &state,
		                           &error);
		g_assert_cmpint(ok, ==, steps[i].allowed);
		if (ok) {
			g_assert_no_error(error);
			g_assert_cmpint(state, ==, steps[i].after);
		} else {
			g_assert_error(error, APP_ERROR, APP_ERROR_STATE);
			g_autofree char *expected =
			        g_strdup_printf("campaign \"C\" is %s; it cannot be %s",
			                        engine_lifecycle_campaign_name(steps[i].after),
			                        engine_lifecycle_action_done(steps[i].action));
			g_assert_cmpstr(error->message, ==, expected);
		}
		g_assert_cmpint(stored_state(fixture, "C"), ==, steps[i].after);
	}
}

/* Started only when its stored file still makes a campaign; a missing
 * campaign is named. */
static void
test_refusals(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) missing = NULL;
	EngineCampaignState state = ENGINE_CAMPAIGN_DRAFT;
	g_assert_false(app_campaign_act(fixture->store, "nope", ENGINE_CAMPAIGN_START, false,
	                                &state, &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(missing->message, "\"nope\""));
	test_store_add_campaign(fixture->store, "Broken", "alice@sender.test",
	                        "name: Broken\nsteps: [\n");
	g_autoptr(GError) broken = NULL;
	g_assert_false(app_campaign_act(fixture->store, "Broken", ENGINE_CAMPAIGN_START, false,
	                                &state, &broken));
	g_assert_error(broken, APP_ERROR, APP_ERROR_INVALID);
	g_assert_nonnull(strstr(broken->message, "campaign \"Broken\""));
	g_assert_cmpint(stored_state(fixture, "Broken"), ==, ENGINE_CAMPAIGN_DRAFT);
	/* Report and replies name a campaign too. */
	g_autoptr(StoreCampaign) reported = NULL;
	g_autoptr(GError) no_report = NULL;
	g_assert_null(app_campaign_report(fixture->store, "nope", &reported, &no_report));
	g_assert_error(no_report, APP_ERROR, APP_ERROR_NOT_FOUND);
	g_autoptr(GError) no_replies = NULL;
	g_assert_null(app_campaign_replies(fixture->store, "nope", NULL, NULL, 0, 0, &no_replies));
	g_assert_error(no_replies, APP_ERROR, APP_ERROR_NOT_FOUND);
	g_autoptr(GError) no_intent = NULL;
	g_assert_null(app_campaign_replies(fixture->store, "C", "keen", NULL, 0, 0, &no_intent));
	g_assert_error(no_intent, APP_ERROR, APP_ERROR_INVALID);
	g_assert_nonnull(strstr(no_intent->message, "no intent \"keen\""));
	g_autoptr(GError) no_counts = NULL;
	g_assert_null(app_campaign_intents(fixture->store, "nope", &no_counts));
	g_assert_error(no_counts, APP_ERROR, APP_ERROR_NOT_FOUND);
	g_autoptr(GError) ok = NULL;
	g_autoptr(GArray) report = app_campaign_report(fixture->store, "C", &reported, &ok);
	g_assert_no_error(ok);
	g_assert_cmpuint(report->len, ==, 1);
	g_assert_cmpstr(reported->name, ==, "C");
	g_autoptr(GPtrArray) replies =
	        app_campaign_replies(fixture->store, NULL, "later", NULL, 0, 0, &ok);
	g_assert_no_error(ok);
	g_assert_cmpuint(replies->len, ==, 0);
	/* Archiving needs no valid file. */
	g_autoptr(GError) error = NULL;
	g_assert_true(app_campaign_act(fixture->store, "Broken", ENGINE_CAMPAIGN_ARCHIVE, false,
	                               &state, &error));
	g_assert_cmpint(state, ==, ENGINE_CAMPAIGN_ARCHIVED);
}

/* A campaign file stored: created as a draft once, replaced by an edit;
 * a text that is not a campaign is refused with its place, nothing stored. */
static void
test_save(Fixture *fixture, gconstpointer data)
{
	static const char text[] = "name: Q4\nmailboxes: [alice@sender.test]\n"
	                           "steps:\n  - subject: Hi\n    body: Hello\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) created =
	        app_campaign_save(fixture->store, text, strlen(text), "q4.yaml", true, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(created->name, ==, "Q4");
	g_assert_cmpint(stored_state(fixture, "Q4"), ==, ENGINE_CAMPAIGN_DRAFT);
	g_autoptr(GError) taken = NULL;
	g_assert_null(
	        app_campaign_save(fixture->store, text, strlen(text), "q4.yaml", true, &taken));
	g_assert_error(taken, STORE_ERROR, STORE_ERROR_INVALID);
	static const char two[] = "name: Q4\nmailboxes: [alice@sender.test]\n"
	                          "steps:\n  - subject: Hi\n    body: Hello\n"
	                          "  - delay: 2d\n    body: Again\n";
	g_autoptr(EngineCampaign) edited =
	        app_campaign_save(fixture->store, two, strlen(two), "q4.yaml", false, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(edited->steps->len, ==, 2);
	g_autoptr(StoreCampaign) stored = app_campaign_get(fixture->store, "Q4", &error);
	g_assert_cmpuint(stored->n_steps, ==, 2);
	static const char bad[] = "name: Bad\nsteps:\n  - subject: Hi\n    bcc: x\n";
	g_autoptr(GError) invalid = NULL;
	g_assert_null(
	        app_campaign_save(fixture->store, bad, strlen(bad), "bad.yaml", true, &invalid));
	g_assert_error(invalid, APP_ERROR, APP_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(invalid->message, "bad.yaml:"));
	g_autoptr(GError) missing = NULL;
	g_assert_null(app_campaign_get(fixture->store, "Bad", &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);
}

/* The names as stored and typed, both ways; an unknown one sends nothing. */
static void
test_names(void)
{
	for (int s = ENGINE_CAMPAIGN_DRAFT; s <= ENGINE_CAMPAIGN_ARCHIVED; s++) {
		EngineCampaignState back = ENGINE_CAMPAIGN_DRAFT;
		g_assert_true(engine_lifecycle_campaign_parse(
		        engine_lifecycle_campaign_name((EngineCampaignState)s), &back));
		g_assert_cmpint(back, ==, s);
	}
	for (int a = ENGINE_CAMPAIGN_START; a <= ENGINE_CAMPAIGN_ARCHIVE; a++) {
		EngineCampaignAction back = ENGINE_CAMPAIGN_START;
		g_assert_true(engine_lifecycle_action_parse(
		        engine_lifecycle_action_name((EngineCampaignAction)a), &back));
		g_assert_cmpint(back, ==, a);
	}
	for (int p = ENGINE_PROSPECT_OK; p <= ENGINE_PROSPECT_BLACKLISTED; p++) {
		EngineProspectStatus back = ENGINE_PROSPECT_OK;
		g_assert_true(engine_lifecycle_prospect_parse(
		        engine_lifecycle_prospect_name((EngineProspectStatus)p), &back));
		g_assert_cmpint(back, ==, p);
	}
	EngineProspectStatus unknown = ENGINE_PROSPECT_OK;
	g_assert_false(engine_lifecycle_prospect_parse("gone", &unknown));
	StoreCampaign odd = {.state = (char *)"sending"};
	g_assert_cmpint(engine_lifecycle_campaign_of(&odd), ==, ENGINE_CAMPAIGN_ARCHIVED);
	for (int m = ENGINE_MESSAGE_SENDING; m <= ENGINE_MESSAGE_UNCERTAIN; m++) {
		EngineMessageState back = ENGINE_MESSAGE_SENT;
		g_assert_true(engine_lifecycle_message_parse(
		        engine_lifecycle_message_name((EngineMessageState)m), &back));
		g_assert_cmpint(back, ==, m);
		/* Only a message in flight changes; a settled one stays. */
		g_assert_cmpint(engine_lifecycle_message_move_allowed(ENGINE_MESSAGE_SENDING,
		                                                      (EngineMessageState)m),
		                ==, m != ENGINE_MESSAGE_SENDING);
		g_assert_false(engine_lifecycle_message_move_allowed(ENGINE_MESSAGE_SENT,
		                                                     (EngineMessageState)m));
	}
	/* Every event kind has a name of its own that reads back; "none" has
	 * none. */
	for (int e = ENGINE_EVENT_SENT; e <= ENGINE_EVENT_CAMPAIGN_COMPLETED; e++) {
		EngineEvent back = ENGINE_EVENT_NONE;
		const char *name = engine_lifecycle_event_name((EngineEvent)e);
		g_assert_cmpuint(strlen(name), >, 0);
		g_assert_true(engine_lifecycle_event_parse(name, &back));
		g_assert_cmpint(back, ==, e);
	}
	EngineEvent none = ENGINE_EVENT_SENT;
	g_assert_cmpstr(engine_lifecycle_event_name(ENGINE_EVENT_NONE), ==, "");
	g_assert_false(engine_lifecycle_event_parse("", &none));
	g_assert_false(engine_lifecycle_event_parse("holiday", &none));
	g_assert_cmpint(none, ==, ENGINE_EVENT_SENT);
}

/* A preview: every step at its earliest moment in the window's zone,
 * threaded, from the campaign's mailbox; what cannot be previewed is
 * named. */
static void
test_preview(Fixture *fixture, gconstpointer data)
{
	static const char text[] = "name: P\nmailboxes: [alice@sender.test]\n"
	                           "timezone: UTC\nwindow: daily 09:00-17:00\n"
	                           "steps:\n  - subject: Hi {{first_name}}\n    body: Hello\n"
	                           "  - delay: 2d\n    body: Again\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) saved =
	        app_campaign_save(fixture->store, text, strlen(text), "p.yaml", true, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(saved->steps->len, ==, 2);
	g_autoptr(GError) nobody = NULL;
	g_assert_null(app_campaign_preview(fixture->store, "P", NULL, NULL, 0, &nobody));
	g_assert_error(nobody, APP_ERROR, APP_ERROR_INVALID);

	StoreProspectInput ann = {.email = "ann@acme.test", .first_name = "Ann"};
	StoreProspectResult put;
	g_assert_true(store_prospect_put(fixture->store, &ann, &put, &error));
	g_autoptr(StoreCampaign) p = app_campaign_get(fixture->store, "P", &error);
	StoreEnrollResult enrolled;
	g_assert_true(store_enrollment_add(fixture->store, p->id, "ann@acme.test", false, &enrolled,
	                                   &error));
	/* From 07:00 on 2026-12-01: the window opens at 09:00; two days on. */
	g_autoptr(AppCampaignPreview) preview =
	        app_campaign_preview(fixture->store, "P", NULL, "2026-12-01T07:00:00Z", 0, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(preview->email, ==, "ann@acme.test");
	g_assert_cmpstr(preview->mailbox, ==, "alice@sender.test");
	g_assert_cmpuint(preview->steps->len, ==, 2);
	const AppPreviewStep *first = preview->steps->pdata[0];
	const AppPreviewStep *second = preview->steps->pdata[1];
	g_assert_cmpint(first->earliest_us, ==, G_GINT64_CONSTANT(1796115600) * G_USEC_PER_SEC);
	g_assert_cmpint(second->earliest_us - first->earliest_us, ==,
	                G_GINT64_CONSTANT(2) * 86400 * G_USEC_PER_SEC);
	g_autofree char *first_text =
	        g_strndup(g_bytes_get_data(first->message, NULL), g_bytes_get_size(first->message));
	g_autofree char *second_text = g_strndup(g_bytes_get_data(second->message, NULL),
	                                         g_bytes_get_size(second->message));
	g_assert_nonnull(strstr(first_text, "Subject: Hi Ann\r\n"));
	g_assert_nonnull(strstr(second_text, "Subject: Re: Hi Ann\r\n"));
	g_assert_nonnull(strstr(second_text, "In-Reply-To: <"));

	g_autoptr(GError) bad_from = NULL;
	g_assert_null(
	        app_campaign_preview(fixture->store, "P", NULL, "next tuesday", 0, &bad_from));
	g_assert_error(bad_from, APP_ERROR, APP_ERROR_INVALID);
	/* A prospect without a first name: the field and its place named. */
	StoreProspectInput bo = {.email = "bo@acme.test"};
	g_assert_true(store_prospect_put(fixture->store, &bo, &put, &error));
	g_autoptr(GError) hole = NULL;
	g_assert_null(app_campaign_preview(fixture->store, "P", "bo@acme.test",
	                                   "2026-12-01T07:00:00Z", 0, &hole));
	g_assert_error(hole, APP_ERROR, APP_ERROR_INVALID);
	g_assert_nonnull(strstr(hole->message, "bo@acme.test: step 1 subject"));
	g_autoptr(GError) missing = NULL;
	g_assert_null(app_campaign_preview(fixture->store, "Q", NULL, NULL, 0, &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init(); /* a preview composes messages */
	g_test_add("/app/campaign/lifecycle", Fixture, NULL, setup, test_lifecycle, teardown);
	g_test_add("/app/campaign/refusals", Fixture, NULL, setup, test_refusals, teardown);
	g_test_add("/app/campaign/save", Fixture, NULL, setup, test_save, teardown);
	g_test_add("/app/campaign/preview", Fixture, NULL, setup, test_preview, teardown);
	g_test_add_func("/app/campaign/state-names", test_names);
	return g_test_run();
}
