/*
 * Editing and removing one prospect (app_prospect_edit, _remove) on a real
 * SQLite file: what is refused changes nothing; a bounced address keeps
 * its fields unless its status is set again.
 */
#include "app/app_error.h"
#include "app/app_prospect.h"
#include "helpers/test_store.h"

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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/app/prospect/refused-changes-nothing", Fixture, NULL, setup,
	           test_refused_changes_nothing, teardown);
	g_test_add("/app/prospect/edit-and-remove", Fixture, NULL, setup, test_edit_and_remove,
	           teardown);
	return g_test_run();
}
