/*
 * tmpl_template: the templates of a campaign's steps. Text with
 *
 *   {{first_name}}               a prospect field, any imported column
 *   {{company|your team}}        with a fallback when the field is empty
 *   {{sender.first_name}}        a field of the sending mailbox
 *   {{spin: Hi|Hello|Hey}}       one of the alternatives
 *
 * Spintax is chosen by a seed (tmpl_template_seed of the prospect and the
 * step), so a preview is exactly what is sent. A field without a value and
 * without a fallback is an error that names the field and its place: a
 * message with a hole is never produced. Syntax errors say
 * "NAME:LINE:COLUMN: ...". Rendering for a header drops CR, LF and other
 * control characters from every value, so data can never start a header.
 *
 * A TmplTemplate is immutable after parsing and may be rendered from
 * several threads.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define TMPL_ERROR (tmpl_template_error_quark())

typedef enum {
	TMPL_ERROR_SYNTAX,        /* the template itself is wrong: fix it */
	TMPL_ERROR_MISSING_FIELD, /* this prospect lacks a value: hold it, say which */
	TMPL_ERROR_LIMIT,         /* the template or its output is too large */
} TmplError;

GQuark tmpl_template_error_quark(void);

typedef struct TmplTemplate TmplTemplate;

/* The value of @field for this rendering, or NULL when there is none; an
 * empty value counts as none. Borrowed until the next call. */
typedef const char *(*TmplLookupFunc)(const char *field, void *user_data);

/* Parses @text; @name (a file name, "step 2 subject") prefixes errors. */
TmplTemplate *tmpl_template_parse(const char *text, const char *name, GError **error);
void tmpl_template_free(TmplTemplate *tmpl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TmplTemplate, tmpl_template_free)

/* Renders with values from @lookup; @header_safe for a header value. */
char *tmpl_template_render(const TmplTemplate *tmpl, TmplLookupFunc lookup, void *user_data,
                           uint64_t seed, bool header_safe, GError **error);

/* The field names the template uses (fallbacks or not); a new array. */
GPtrArray *tmpl_template_dup_fields(const TmplTemplate *tmpl);

/* The field names the template uses without a fallback (a prospect
 * without them cannot be sent this); a new array. */
GPtrArray *tmpl_template_dup_required_fields(const TmplTemplate *tmpl);

/* Each {{spin: ...}} of the template, in order: its alternatives (a
 * GStrv); a new array. */
GPtrArray *tmpl_template_dup_spins(const TmplTemplate *tmpl);

/* Whether @name may be written {{name}}: a letter or "_" first, then
 * letters, digits, "_", "." and "-". */
bool tmpl_template_is_field_name(const char *name);

/* A seed for spintax from what identifies one message: the prospect (its
 * address) and the step number. */
uint64_t tmpl_template_seed(const char *prospect_key, int step);
