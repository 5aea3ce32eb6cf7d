/*
 * Prospect use cases on a real SQLite file: editing and removing one (what
 * is refused changes nothing; a bounced address keeps its fields unless
 * its status is set again), importing into a campaign by name, and a
 * prospect with its campaigns and timeline.
 */
#include "app/app_error.h"
#include "app/app_prospect.h"
#include "helpers/test_store.h"

#include <stdio.h>
#include <string.h>

typedef struct {
	char *dir;
	Store *store;
} Fixture;

static void
setup(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	fixture->store = test_store_new("piculet-prospect", &fixture->dir);
	StoreProspectInput dana = {.email = "dana@acme.test", .first_name = "Dana"};
	StoreProspectResult put;
	g_assert_true(store_prospect_put(fixture->store, &dana, &put, &error));
}

static void
teardown(Fixture *fixture, gconstpointer data)
{
	test_store_remove(fixture->store, fixture->dir);
}

static void
test_refused_changes_nothing(Fixture *fixture, gconstpointer data)
{
	const char *bad_name[] = {""};
	const char *value[] = {"x"};
	const char *newline_value[] = {"a\nb"};
	const char *name[] = {"role"};
	const struct {
		AppProspectEdit edit;
		int code;
		const char *message;
	} cases[] = {
	        {{.email = "dana@acme.test", .first_name = "Da\r\nna"},
	         APP_ERROR_INVALID,
	         "values are one line each"},
	        {{.email = "dana@acme.test", .timezone = "Mars/Base"},
	         APP_ERROR_INVALID,
	         "\"Mars/Base\" is not a known time zone"},
	        {{.email = "dana@acme.test", .status = "gone"},
	         APP_ERROR_INVALID,
	         "status \"gone\" is not one of ok, bounced, opted_out, blacklisted"},
	        {{.email = "dana@acme.test",
	          .field_names = bad_name,
	          .field_values = value,
	          .n_fields = 1},
	         APP_ERROR_INVALID,
	         "a field wants a name"},
	        {{.email = "dana@acme.test",
	          .field_names = name,
	          .field_values = newline_value,
	          .n_fields = 1},
	         APP_ERROR_INVALID,
	         "each on one line"},
	        {{.email = "nobody@acme.test", .first_name = "N"},
	         APP_ERROR_NOT_FOUND,
	         "no prospect nobody@acme.test"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		AppProspectEdited edited = APP_PROSPECT_UPDATED;
		g_autofree char *old = NULL;
		g_assert_false(
		        app_prospect_edit(fixture->store, &cases[i].edit, &edited, &old, &error));
		g_assert_error(error, APP_ERROR, cases[i].code);
		g_assert_nonnull(strstr(error->message, cases[i].message));
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreProspect) dana =
	        store_prospect_get(fixture->store, "dana@acme.test", &error);
	g_assert_cmpstr(dana->first_name, ==, "Dana");
	g_assert_cmpstr(dana->timezone, ==, "");
	g_assert_cmpstr(dana->status, ==, "ok");
}

static void
test_edit_and_remove(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	AppProspectEdited edited = APP_PROSPECT_KEPT;
	g_autofree char *old = NULL;
	AppProspectEdit edit = {
	        .email = "dana@acme.test", .company = "Acme", .timezone = "Europe/Berlin"};
	g_assert_true(app_prospect_edit(fixture->store, &edit, &edited, &old, &error));
	g_assert_cmpint(edited, ==, APP_PROSPECT_UPDATED);
	g_assert_cmpstr(old, ==, "ok");
	g_autoptr(StoreProspect) dana =
	        store_prospect_get(fixture->store, "dana@acme.test", &error);
	g_assert_cmpstr(dana->first_name, ==, "Dana");
	g_assert_cmpstr(dana->company, ==, "Acme");
	g_assert_cmpstr(dana->timezone, ==, "Europe/Berlin");

	/* Bounced: the fields stay until the status is set again. */
	bool found = false;
	g_assert_true(store_prospect_set_status(fixture->store, "dana@acme.test", "bounced", &found,
	                                        &error));
	AppProspectEdit rename = {.email = "dana@acme.test", .first_name = "D."};
	g_clear_pointer(&old, g_free);
	g_assert_true(app_prospect_edit(fixture->store, &rename, &edited, &old, &error));
	g_assert_cmpint(edited, ==, APP_PROSPECT_KEPT);
	g_assert_cmpstr(old, ==, "bounced");

	g_assert_true(app_prospect_remove(fixture->store, "dana@acme.test", &error));
	g_autoptr(GError) gone = NULL;
	g_assert_false(app_prospect_remove(fixture->store, "dana@acme.test", &gone));
	g_assert_error(gone, APP_ERROR, APP_ERROR_NOT_FOUND);
	g_assert_no_error(error);
}

/* A campaign "Q4" from alice, with dana enrolled; its id. */
static int64_t
q4_with_dana(Store *store)
{
	g_autoptr(GError) error = NULL;
	test_store_add_mailbox(store, "alice@s.test", 10, NULL);
	int64_t id = test_store_add_campaign(store, "Q4", "alice@s.test", NULL);
	StoreEnrollResult enrolled;
	g_assert_true(store_enrollment_add(store, id, "dana@acme.test", false, &enrolled, &error));
	g_assert_no_error(error);
	return id;
}

/* Into a campaign by name: one that does not exist or is archived is
 * named, and nothing is imported. */
static void
test_import_into_campaign(Fixture *fixture, gconstpointer data)
{
	Store *store = fixture->store;
	q4_with_dana(store);
	static const char csv[] = "email,first_name\nerin@acme.test,Erin\n";
	AppProspectImport options = {.campaign = "Q5"};
	EngineImportSummary summary;
	g_autoptr(GError) missing = NULL;
	FILE *file = fmemopen((void *)csv, sizeof csv - 1, "rb");
	g_assert_false(app_prospect_import(store, file, "p.csv", &options, &summary, &missing));
	fclose(file);
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);

	g_autoptr(GError) error = NULL;
	bool found = false;
	g_assert_true(store_campaign_set_state(store, "Q4", "archived", &found, &error));
	options.campaign = "Q4";
	g_autoptr(GError) archived = NULL;
	file = fmemopen((void *)csv, sizeof csv - 1, "rb");
	g_assert_false(app_prospect_import(store, file, "p.csv", &options, &summary, &archived));
	fclose(file);
	g_assert_error(archived, APP_ERROR, APP_ERROR_STATE);
	g_assert_null(store_prospect_get(store, "erin@acme.test", &error));

	g_assert_true(store_campaign_set_state(store, "Q4", "paused", &found, &error));
	file = fmemopen((void *)csv, sizeof csv - 1, "rb");
	g_assert_true(app_prospect_import(store, file, "p.csv", &options, &summary, &error));
	fclose(file);
	g_assert_no_error(error);
	g_assert_cmpuint(summary.imported, ==, 1);
	g_assert_cmpuint(summary.enrolled, ==, 1);
}

/* A prospect as a person looks at it: its campaigns by name, its events
 * oldest first. */
static void
test_card(Fixture *fixture, gconstpointer data)
{
	Store *store = fixture->store;
	int64_t campaign_id = q4_with_dana(store);
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreEnrollment) dana =
	        store_enrollment_get(store, campaign_id, "dana@acme.test", &error);
	StoreEventInput later = {.at_us = 9000, .kind = "reply", .enrollment_id = dana->id};
	StoreEventInput earlier = {.at_us = 4000, .kind = "paused", .enrollment_id = dana->id};
	g_assert_true(store_event_add(store, &later, &error));
	g_assert_true(store_event_add(store, &earlier, &error));

	g_autoptr(AppProspectCard) card = app_prospect_get(store, "dana@acme.test", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(card->prospect->first_name, ==, "Dana");
	g_assert_cmpuint(card->campaigns->len, ==, 1);
	const AppProspectCampaign *q4 = card->campaigns->pdata[0];
	g_assert_cmpstr(q4->campaign, ==, "Q4");
	g_assert_cmpstr(q4->enrollment->state, ==, "queued");
	g_assert_cmpuint(card->timeline->len, ==, 2);
	g_assert_cmpstr(((StoreEvent *)card->timeline->pdata[0])->kind, ==, "paused");
	g_assert_cmpstr(((StoreEvent *)card->timeline->pdata[1])->kind, ==, "reply");

	g_autoptr(GError) missing = NULL;
	g_assert_null(app_prospect_get(store, "nobody@acme.test", &missing));
	g_assert_error(missing, APP_ERROR, APP_ERROR_NOT_FOUND);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/app/prospect/refused-changes-nothing", Fixture, NULL, setup,
	           test_refused_changes_nothing, teardown);
	g_test_add("/app/prospect/import-into-a-campaign-by-name", Fixture, NULL, setup,
	           test_import_into_campaign, teardown);
	g_test_add("/app/prospect/card-with-campaigns-and-timeline", Fixture, NULL, setup,
	           test_card, teardown);
	g_test_add("/app/prospect/edit-and-remove", Fixture, NULL, setup, test_edit_and_remove,
	           teardown);
	return g_test_run();
}
