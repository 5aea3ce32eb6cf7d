#include "app/app_campaign_fields.h"

#include "app/app_error.h"
#include "engine/engine_campaign.h"
#include "tmpl/tmpl_template.h"

#include <string.h>

static void
field_free(AppCampaignField *field)
{
	g_free(field->name);
	g_array_unref(field->steps);
	g_free(field);
}

static void
spin_free(AppCampaignSpin *spin)
{
	g_free(spin->part);
	g_strfreev(spin->choices);
	g_free(spin);
}

void
app_campaign_fields_free(AppCampaignFields *fields)
{
	if (fields == NULL)
		return;
	g_ptr_array_unref(fields->fields);
	g_ptr_array_unref(fields->spins);
	g_free(fields);
}

static AppCampaignField *
field_named(AppCampaignFields *found, const char *name)
{
	for (guint i = 0; i < found->fields->len; i++) {
		AppCampaignField *field = found->fields->pdata[i];
		if (strcmp(field->name, name) == 0)
			return field;
	}
	AppCampaignField *field = g_new0(AppCampaignField, 1);
	field->name = g_strdup(name);
	field->steps = g_array_new(FALSE, FALSE, sizeof(int));
	field->sender = g_str_has_prefix(name, "sender.");
	g_ptr_array_add(found->fields, field);
	return field;
}

/* What one template (of step @step, variant @variant, @part) uses. */
static void
read_template(AppCampaignFields *found, const char *text, int step, char variant, const char *part)
{
	if (text == NULL)
		return;
	/* The campaign was parsed: its templates parse. */
	g_autoptr(TmplTemplate) tmpl = tmpl_template_parse(text, part, NULL);
	if (tmpl == NULL)
		return;
	g_autoptr(GPtrArray) names = tmpl_template_dup_fields(tmpl);
	g_autoptr(GPtrArray) required = tmpl_template_dup_required_fields(tmpl);
	for (guint i = 0; i < names->len; i++) {
		AppCampaignField *field = field_named(found, names->pdata[i]);
		guint n = field->steps->len;
		if (n == 0 || g_array_index(field->steps, int, n - 1) != step)
			g_array_append_val(field->steps, step);
	}
	for (guint i = 0; i < required->len; i++)
		field_named(found, required->pdata[i])->required = true;
	g_autoptr(GPtrArray) spins = tmpl_template_dup_spins(tmpl);
	for (guint i = 0; i < spins->len; i++) {
		AppCampaignSpin *spin = g_new0(AppCampaignSpin, 1);
		spin->step = step;
		spin->variant = variant;
		spin->part = g_strdup(part);
		spin->choices = g_steal_pointer(&spins->pdata[i]);
		g_ptr_array_add(found->spins, spin);
	}
}

/* The missing values of every prospect field, over @campaign_id's
 * enrolled prospects (0: all). */
static bool
count_missing(Store *store, AppCampaignFields *found, int64_t campaign_id, GError **error)
{
	for (guint i = 0; i < found->fields->len; i++) {
		AppCampaignField *field = found->fields->pdata[i];
		guint64 total = 0;
		if (field->sender || strcmp(field->name, "email") == 0)
			continue;
		if (!store_prospect_count_missing(store, field->name, campaign_id, &field->missing,
		                                  &total, error))
			return false;
	}
	guint64 missing = 0;
	return store_prospect_count_missing(store, "email", campaign_id, &missing,
	                                    &found->prospects, error);
}

AppCampaignFields *
app_campaign_fields_read(Store *store, const char *text, gsize length, const char *campaign,
                         GError **error)
{
	GError *local = NULL;
	g_autoptr(EngineCampaign) parsed =
	        engine_campaign_parse(text, length, "the campaign", &local);
	if (parsed == NULL) {
		g_set_error(error, APP_ERROR, APP_ERROR_INVALID, "%s", local->message);
		g_error_free(local);
		return NULL;
	}
	g_autoptr(AppCampaignFields) found = g_new0(AppCampaignFields, 1);
	found->fields = g_ptr_array_new_with_free_func((GDestroyNotify)field_free);
	found->spins = g_ptr_array_new_with_free_func((GDestroyNotify)spin_free);
	for (guint i = 0; i < parsed->steps->len; i++) {
		const EngineCampaignStep *step = parsed->steps->pdata[i];
		int number = (int)i + 1;
		if (step->variants == NULL) {
			read_template(found, step->subject, number, '\0', "subject");
			read_template(found, step->body, number, '\0', "body");
			continue;
		}
		for (guint k = 0; k < step->variants->len; k++) {
			const EngineCampaignVariant *v = step->variants->pdata[k];
			read_template(found, v->subject, number, (char)('A' + k), "subject");
			read_template(found, v->body, number, (char)('A' + k), "body");
		}
	}
	int64_t campaign_id = 0;
	if (campaign != NULL) {
		GError *lookup = NULL;
		g_autoptr(StoreCampaign) stored = store_campaign_get(store, campaign, &lookup);
		if (lookup != NULL) {
			g_propagate_error(error, lookup);
			return NULL;
		}
		if (stored != NULL)
			campaign_id = stored->id;
	}
	if (!count_missing(store, found, campaign_id, error))
		return NULL;
	/* A campaign nobody joined yet: its prospects-to-be are everyone. */
	found->enrolled_only = campaign_id != 0 && found->prospects > 0;
	if (campaign_id != 0 && found->prospects == 0 && !count_missing(store, found, 0, error))
		return NULL;
	return g_steal_pointer(&found);
}
