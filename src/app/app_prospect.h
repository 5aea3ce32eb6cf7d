/*
 * app_prospect: what a person does to prospects, for every front end:
 * import them (into a campaign), find one with its campaigns and its
 * timeline, edit it (its fields, its zone, its status) and remove it with
 * what was sent to it. Validation lives here once; front ends parse and
 * print.
 */
#pragma once

#include "engine/engine_import.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

/* A change to prospect @email; NULL members stay as they are. */
typedef struct {
	const char *email; /* normalised */
	const char *first_name;
	const char *last_name;
	const char *company;
	const char *timezone; /* an IANA name, or "" for none */
	const char *const *field_names;
	const char *const *field_values;
	gsize n_fields;
	const char *status; /* "ok", "bounced", "opted_out", "blacklisted" */
} AppProspectEdit;

typedef enum {
	APP_PROSPECT_UPDATED,
	APP_PROSPECT_KEPT, /* bounced or opted out: its fields kept, *@old_status says which */
} AppProspectEdited;

/*
 * Applies @edit in one transaction. APP_ERROR_INVALID (nothing changed)
 * for a value with a line break, a field without a name, a zone that is
 * not an IANA name of this system, a status that is not one of the four;
 * APP_ERROR_NOT_FOUND when there is no such prospect; store errors.
 * *@old_status (newly allocated) is its status before.
 */
bool app_prospect_edit(Store *store, const AppProspectEdit *edit, AppProspectEdited *edited,
                       char **old_status, GError **error);

/* Removes prospect @email, its enrollments and what was sent to it (the
 * blacklist keeps what it holds); APP_ERROR_NOT_FOUND when there is none. */
bool app_prospect_remove(Store *store, const char *email, GError **error);

/* Resumes what waits for a person: every paused enrollment of @email
 * (held by mail no rule could read, or paused by an auto-reply) is due at
 * once; the engine resumes it at its next pass, its step still waiting for
 * its own delay. *@resumed says how many. APP_ERROR_NOT_FOUND when there
 * is no such prospect. */
bool app_prospect_resume(Store *store, const char *email, guint *resumed, GError **error);

/* Ends every open enrollment of @email as stopped by a person (a reply the
 * rules could not read, answered by hand); *@stopped says how many.
 * APP_ERROR_NOT_FOUND when there is no such prospect. */
bool app_prospect_stop(Store *store, const char *email, guint *stopped, GError **error);

/* How to import: engine_import's options, the campaign by name. */
typedef struct {
	const char *campaign; /* enrol everyone imported in it; NULL: none */
	bool allow_other_campaigns;
	bool skip_invalid;
	char delimiter;      /* ',', ';', '\t'; '\0': guessed */
	GHashTable *columns; /* the column mapping (EngineImportOptions); NULL: none */
	void (*progress)(guint64 rows, void *user_data);
	void *user_data;
	guint64 progress_every; /* rows between two progress calls; 0: 100,000 */
} AppProspectImport;

/*
 * Imports prospects from @file (@name in errors) in one transaction,
 * enrolled in @options->campaign when given: APP_ERROR_NOT_FOUND when
 * there is no such campaign, APP_ERROR_STATE when it is archived; the
 * import's own errors (ENGINE_ERROR_INPUT naming the line and column).
 */
bool app_prospect_import(Store *store, FILE *file, const char *name,
                         const AppProspectImport *options, EngineImportSummary *summary,
                         GError **error);

/* One campaign of a prospect: its name and the enrollment. */
typedef struct {
	char *campaign;
	StoreEnrollment *enrollment;
} AppProspectCampaign;

/* A prospect as a person looks at it. */
typedef struct {
	StoreProspect *prospect;
	GPtrArray *campaigns; /* AppProspectCampaign, in the order of enrolling */
	GPtrArray *timeline;  /* StoreEvent, oldest first */
} AppProspectCard;

void app_prospect_card_free(AppProspectCard *card);

/* Appends @prospect as one JSON object: email, first_name, last_name,
 * company, timezone, status and fields (an object of texts). The one shape
 * of a prospect in JSON: the CLI's --json lines, the API's pages and
 * cards. */
void app_prospect_append_json(GString *out, const StoreProspect *prospect);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppProspectCard, app_prospect_card_free)

/* Prospect @email with its campaigns and its timeline;
 * APP_ERROR_NOT_FOUND when there is none. */
AppProspectCard *app_prospect_get(Store *store, const char *email, GError **error);
