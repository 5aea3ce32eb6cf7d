/* Prospect use cases: import, find with campaigns and timeline, edit, remove. */
#include "app/app_prospect.h"

#include "app/app_campaign.h"
#include "app/app_error.h"
#include "base/base_json.h"
#include "base/base_zone.h"
#include "engine/engine_enrollment.h"
#include "engine/engine_lifecycle.h"

#include <string.h>

static bool
one_line(const char *value)
{
	return value == NULL || strpbrk(value, "\r\n") == NULL;
}

static bool
validate(const AppProspectEdit *edit, GError **error)
{
	const char *given[] = {edit->first_name, edit->last_name, edit->company, edit->timezone};
	for (gsize i = 0; i < G_N_ELEMENTS(given); i++)
		if (!one_line(given[i])) {
			g_set_error_literal(error, APP_ERROR, APP_ERROR_INVALID,
			                    "values are one line each");
			return false;
		}
	for (gsize i = 0; i < edit->n_fields; i++)
		if (edit->field_names[i][0] == '\0' || !one_line(edit->field_names[i]) ||
		    !one_line(edit->field_values[i])) {
			g_set_error(
			        error, APP_ERROR, APP_ERROR_INVALID,
			        "a field wants a name and a value, each on one line (field %zu)",
			        i + 1);
			return false;
		}
	if (edit->timezone != NULL && edit->timezone[0] != '\0') {
		g_autoptr(GTimeZone) zone = base_zone_new(edit->timezone, NULL);
		if (zone == NULL) {
			g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
			            "\"%s\" is not a known time zone", edit->timezone);
			return false;
		}
	}
	EngineProspectStatus status = ENGINE_PROSPECT_OK;
	if (edit->status != NULL && !engine_lifecycle_prospect_parse(edit->status, &status)) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID,
		            "status \"%s\" is not one of ok, bounced, opted_out, blacklisted",
		            edit->status);
		return false;
	}
	return true;
}

bool
app_prospect_edit(Store *store, const AppProspectEdit *edit, AppProspectEdited *edited,
                  char **old_status, GError **error)
{
	if (!validate(edit, error))
		return false;
	GError *local = NULL;
	g_autoptr(StoreProspect) old = store_prospect_get(store, edit->email, &local);
	if (old == NULL) {
		if (local == NULL)
			local = g_error_new(APP_ERROR, APP_ERROR_NOT_FOUND, "no prospect %s",
			                    edit->email);
		g_propagate_error(error, local);
		return false;
	}
	StoreProspectInput input = {
	        .email = edit->email,
	        .first_name = edit->first_name != NULL ? edit->first_name : old->first_name,
	        .last_name = edit->last_name != NULL ? edit->last_name : old->last_name,
	        .company = edit->company != NULL ? edit->company : old->company,
	        .timezone = edit->timezone != NULL ? edit->timezone : old->timezone,
	        .field_names = edit->field_names,
	        .field_values = edit->field_values,
	        .n_fields = edit->n_fields,
	};
	StoreProspectResult result;
	bool found = false;
	if (!store_begin(store, error))
		return false;
	if (!store_prospect_put(store, &input, &result, error) ||
	    (edit->status != NULL &&
	     !store_prospect_set_status(store, edit->email, edit->status, &found, error)) ||
	    !store_commit(store, error)) {
		store_rollback(store);
		return false;
	}
	*edited = result == STORE_PROSPECT_UNCHANGED_BOUNCED ||
	                          result == STORE_PROSPECT_UNCHANGED_OPTED_OUT
	                  ? APP_PROSPECT_KEPT
	                  : APP_PROSPECT_UPDATED;
	*old_status = g_strdup(old->status);
	return true;
}

bool
app_prospect_remove(Store *store, const char *email, GError **error)
{
	bool removed = false;
	if (!store_prospect_remove(store, email, &removed, error))
		return false;
	if (!removed) {
		g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no prospect %s", email);
		return false;
	}
	return true;
}

/* The open enrollments of prospect @email; APP_ERROR_NOT_FOUND when there
 * is no such prospect. */
static GPtrArray *
open_enrollments(Store *store, const char *email, GError **error)
{
	g_autoptr(StoreProspect) prospect = store_prospect_get(store, email, error);
	if (prospect == NULL) {
		if (error != NULL && *error == NULL)
			g_set_error(error, APP_ERROR, APP_ERROR_NOT_FOUND, "no prospect %s", email);
		return NULL;
	}
	return store_enrollment_list_open_by_email(store, email, error);
}

bool
app_prospect_resume(Store *store, const char *email, guint *resumed, GError **error)
{
	*resumed = 0;
	if (!store_begin(store, error))
		return false;
	g_autoptr(GPtrArray) open = open_enrollments(store, email, error);
	bool ok = open != NULL;
	for (guint i = 0; ok && i < open->len; i++) {
		StoreEnrollment *enrollment = open->pdata[i];
		if (engine_enrollment_state_of(enrollment) != ENGINE_ENROLLMENT_PAUSED)
			continue;
		/* Due at once, on whatever clock the engine runs (the earliest
		 * moment there is; 0 would mean no due time at all). */
		enrollment->next_due_at = 1;
		ok = store_enrollment_update(store, enrollment, error);
		(*resumed)++;
	}
	if (!ok || !store_commit(store, error)) {
		store_rollback(store);
		*resumed = 0;
		return false;
	}
	return true;
}

bool
app_prospect_stop(Store *store, const char *email, guint *stopped, GError **error)
{
	*stopped = 0;
	if (!store_begin(store, error))
		return false;
	g_autoptr(GPtrArray) open = open_enrollments(store, email, error);
	bool ok = open != NULL;
	for (guint i = 0; ok && i < open->len; i++) {
		ok = engine_enrollment_end(store, open->pdata[i], ENGINE_ENROLLMENT_STOPPED,
		                           "stopped by a person", error);
		(*stopped)++;
	}
	if (!ok || !store_commit(store, error)) {
		store_rollback(store);
		*stopped = 0;
		return false;
	}
	return true;
}

bool
app_prospect_import(Store *store, FILE *file, const char *name, const AppProspectImport *options,
                    EngineImportSummary *summary, GError **error)
{
	EngineImportOptions import = {.skip_invalid = options->skip_invalid,
	                              .delimiter = options->delimiter,
	                              .allow_other_campaigns = options->allow_other_campaigns,
	                              .columns = options->columns,
	                              .progress = options->progress,
	                              .progress_every = options->progress_every,
	                              .user_data = options->user_data};
	if (options->campaign != NULL) {
		g_autoptr(StoreCampaign) campaign =
		        app_campaign_get(store, options->campaign, error);
		if (campaign == NULL)
			return false;
		if (engine_lifecycle_campaign_of(campaign) == ENGINE_CAMPAIGN_ARCHIVED) {
			g_set_error(error, APP_ERROR, APP_ERROR_STATE,
			            "campaign \"%s\" is archived: nobody joins it any more",
			            options->campaign);
			return false;
		}
		import.campaign_id = campaign->id;
	}
	return engine_import_prospects(store, file, name, &import, summary, error);
}

static void
prospect_campaign_free(AppProspectCampaign *campaign)
{
	g_free(campaign->campaign);
	store_enrollment_free(campaign->enrollment);
	g_free(campaign);
}

void
app_prospect_card_free(AppProspectCard *card)
{
	if (card == NULL)
		return;
	store_prospect_free(card->prospect);
	if (card->campaigns != NULL)
		g_ptr_array_unref(card->campaigns);
	if (card->timeline != NULL)
		g_ptr_array_unref(card->timeline);
	g_free(card);
}

AppProspectCard *
app_prospect_get(Store *store, const char *email, GError **error)
{
	GError *local = NULL;
	g_autoptr(AppProspectCard) card = g_new0(AppProspectCard, 1);
	card->prospect = store_prospect_get(store, email, &local);
	if (card->prospect == NULL) {
		if (local == NULL)
			local = g_error_new(APP_ERROR, APP_ERROR_NOT_FOUND, "no prospect %s",
			                    email);
		g_propagate_error(error, local);
		return NULL;
	}
	g_autoptr(GPtrArray) enrollments = store_enrollment_list_for_prospect(store, email, error);
	if (enrollments == NULL)
		return NULL;
	card->campaigns = g_ptr_array_new_with_free_func((GDestroyNotify)prospect_campaign_free);
	for (guint i = 0; i < enrollments->len; i++) {
		StoreEnrollment *enrollment = enrollments->pdata[i];
		g_autoptr(StoreCampaign) campaign =
		        store_campaign_get_by_id(store, enrollment->campaign_id, &local);
		if (local != NULL) {
			g_propagate_error(error, local);
			return NULL;
		}
		AppProspectCampaign *entry = g_new0(AppProspectCampaign, 1);
		entry->campaign = g_strdup(campaign != NULL ? campaign->name : "?");
		entry->enrollment = g_steal_pointer(&enrollments->pdata[i]);
		g_ptr_array_add(card->campaigns, entry);
	}
	card->timeline = store_event_list_for_prospect(store, email, error);
	if (card->timeline == NULL)
		return NULL;
	return g_steal_pointer(&card);
}

void
app_prospect_append_json(GString *out, const StoreProspect *prospect)
{
	g_string_append_c(out, '{');
	base_json_append_member_string(out, "email", prospect->email);
	base_json_append_member_string(out, "first_name", prospect->first_name);
	base_json_append_member_string(out, "last_name", prospect->last_name);
	base_json_append_member_string(out, "company", prospect->company);
	base_json_append_member_string(out, "timezone", prospect->timezone);
	base_json_append_member_string(out, "status", prospect->status);
	base_json_append_key(out, "fields");
	g_string_append_c(out, '{');
	GHashTableIter iter;
	gpointer key, value;
	/* Field names are valid UTF-8 (the importer and the API take no
	 * other), so no two become one key. */
	g_hash_table_iter_init(&iter, prospect->fields);
	while (g_hash_table_iter_next(&iter, &key, &value))
		base_json_append_member_string(out, key, value);
	g_string_append(out, "}}");
}
