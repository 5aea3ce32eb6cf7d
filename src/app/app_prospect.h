/*
 * app_prospect: what a person does to one prospect, for every front end:
 * edit it (its fields, its zone, its status) and remove it with what was
 * sent to it. Validation lives here once; front ends parse and print.
 */
#pragma once

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
