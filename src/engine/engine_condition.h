/*
 * engine_condition: a follow-up's `if:` (docs/campaign.md), whether the
 * step goes to a prospect or is skipped:
 *
 *   if: "{{country}} == DE"            a field equals a value
 *   if: "{{country}} != DE"
 *   if: "{{country}} in [DE, AT, CH]"  one of several (`not in` too)
 *   if: "{{phone}}"                    a field has a value (`not {{phone}}`)
 *   if: "reply == later"               the intent of the prospect's last
 *                                      reply in the campaign ("" when none)
 *
 * A field is any a template may use ({{company}}, an imported column),
 * with or without the braces; values compare without regard to ASCII case
 * or the spaces around them, and may be quoted ("New York").
 *
 * Pure; immutable once parsed.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct EngineCondition EngineCondition;

/* Parses @text; NULL with a sentence saying what is wrong in *@why (a
 * static string). */
EngineCondition *engine_condition_parse(const char *text, const char **why);
void engine_condition_free(EngineCondition *condition);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EngineCondition, engine_condition_free)

/* The field it reads ("country"; "reply" for the last reply's intent). */
const char *engine_condition_field(const EngineCondition *condition);

/* Whether it holds when its field's value is @value (NULL or "": none). */
bool engine_condition_holds(const EngineCondition *condition, const char *value);

/* The condition as written, for the timeline ("{{country}} == DE"). */
const char *engine_condition_text(const EngineCondition *condition);
