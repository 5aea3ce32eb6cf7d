/*
 * engine_import: prospects from a CSV file into the store, as one
 * transaction. The header row names the columns: email (required),
 * first_name, last_name, company, timezone (a few common spellings of each
 * are understood), and any other column becomes a custom field usable in
 * templates; two columns for the same thing are an error. Fields are
 * separated by ',', ';' or tab (guessed from the header, as Excel writes
 * each in some locale). Every value must be UTF-8; the address is checked and
 * normalised; duplicates inside the file are reported; blacklisted
 * addresses and domains, bounced and opted-out prospects are skipped and
 * counted.
 *
 * A bad row ends the import with an error naming the file, the line and the
 * column, and the store keeps nothing of it — unless skip_invalid, when bad
 * rows are counted and left out. Memory: one row at a time; duplicates
 * inside the file are found by the store (each row carries the import's
 * stamp), so memory does not grow with the file.
 */
#pragma once

#include "engine/engine_error.h"
#include "store/store.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

/* How many rows left out are kept with their reasons. */
#define ENGINE_IMPORT_LEFT_OUT 20

typedef struct {
	guint64 rows;                /* data rows read */
	guint64 imported;            /* new prospects */
	guint64 updated;             /* prospects that existed */
	guint64 invalid;             /* rows left out (skip_invalid) */
	guint64 duplicates;          /* the same address again in this file */
	guint64 skipped_blacklisted; /* address or domain on the blacklist */
	guint64 skipped_bounced;
	guint64 skipped_opted_out;
	/* With a campaign: */
	guint64 enrolled;            /* put into the campaign */
	guint64 already_enrolled;    /* in it already */
	guint64 held_other_campaign; /* active in another campaign: held back */
	guint64 not_enrolled;        /* not contactable (status or blacklist) */
	/* The first rows left out (skip_invalid), each with its place and why,
	 * as an error would say it ("NAME:LINE: column \"C\": WHAT"); plain
	 * data, cut at the array's size. */
	char left_out[ENGINE_IMPORT_LEFT_OUT][240];
	guint n_left_out;
} EngineImportSummary;

typedef struct {
	bool skip_invalid;
	/* ',', ';' or '\t'; '\0': guessed from the header line (see
	 * engine_import_guess_delimiter). */
	char delimiter;
	/* When > 0, every prospect imported or updated is enrolled in this
	 * campaign (in the same transaction); one queued, active or paused in
	 * another campaign is held back unless allow_other_campaigns. */
	int64_t campaign_id;
	bool allow_other_campaigns;
	/* The column mapping, when set: a header name (lowercase, trimmed) ->
	 * what the column becomes: "email", "first_name", "last_name",
	 * "company", "timezone" (or a spelling of them the header row would
	 * take), a custom field's name, or "" to leave the column out. Columns
	 * it does not name are read by their names; a name it gives that the
	 * header has not is an error (a mapping made for another file). */
	GHashTable *columns;
	/* Called every @progress_every rows (0: 100,000) when set. */
	void (*progress)(guint64 rows, void *user_data);
	void *user_data;
	guint64 progress_every;
} EngineImportOptions;

/* What a column named @header becomes without a mapping: "email",
 * "first_name", "last_name", "company" or "timezone"; NULL for a custom
 * field (named after the header, lowercase). */
const char *engine_import_column_meaning(const char *header);

/* An empty column mapping (EngineImportOptions.columns). */
GHashTable *engine_import_columns_new(void);

/* Adds to @columns: the column named @header (any case) becomes @target
 * (one of piculet's columns, a field name, or "" to leave it out).
 * ENGINE_ERROR_INPUT when the header is empty or mapped already, or the
 * target is not a field name (tmpl_template_is_field_name). */
bool engine_import_columns_add(GHashTable *columns, const char *header, const char *target,
                               GError **error);

/* A separator as a person names it: ",", ";", "tab" (or a tab itself);
 * NULL: '\0' (guessed). False for anything else. */
bool engine_import_delimiter_parse(const char *name, char *delimiter);

/* The separator of a CSV whose header line starts @data: ',', ';' or tab,
 * whichever appears most outside quotes (a tie keeps ','). */
char engine_import_guess_delimiter(const char *data, gsize n);

/* Imports from @file (a UTF-8 byte-order mark at its start is skipped) (opened for reading; @name
 * is what errors call it). */
bool engine_import_prospects(Store *store, FILE *file, const char *name,
                             const EngineImportOptions *options, EngineImportSummary *summary,
                             GError **error);
