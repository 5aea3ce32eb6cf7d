/*
 * app_campaign_fields: what a campaign's templates ask of its prospects,
 * for a person writing it (the dashboard's editor): each field with the
 * steps that use it and how many prospects lack it, and each spintax with
 * its alternatives.
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

typedef struct {
	char *name;      /* as the templates write it */
	GArray *steps;   /* int: the steps using it, ascending, each once */
	bool required;   /* used somewhere without a fallback */
	bool sender;     /* sender.*: the mailbox's, not the prospect's (not counted) */
	guint64 missing; /* prospects without a value */
} AppCampaignField;

typedef struct {
	int step;
	char variant;  /* 'A'...; '\0': the step has no variants */
	char *part;    /* "subject" or "body" */
	GStrv choices; /* the alternatives, in order */
} AppCampaignSpin;

typedef struct {
	GPtrArray *fields;  /* AppCampaignField, in the order first used */
	GPtrArray *spins;   /* AppCampaignSpin, by step */
	guint64 prospects;  /* the prospects counted */
	bool enrolled_only; /* counted over the campaign's enrolled ones, not everyone */
} AppCampaignFields;

void app_campaign_fields_free(AppCampaignFields *fields);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AppCampaignFields, app_campaign_fields_free)

/* The fields and spintax of the campaign file @text (@length bytes; a
 * draft as typed), the missing values counted over the prospects enrolled
 * in campaign @campaign when it has any, else over every prospect.
 * APP_ERROR_INVALID for a file with a mistake (its place in the words). */
AppCampaignFields *app_campaign_fields_read(Store *store, const char *text, gsize length,
                                            const char *campaign, GError **error);
