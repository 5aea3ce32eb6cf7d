/*
 * engine_variant: A/B/n variants of a step (docs/campaign.md). Which
 * variant a prospect gets: the winner once one is picked, else the
 * enrollments take the variants in turn (enrollment id modulo their
 * number: a list imported at once splits evenly, and a prospect keeps its
 * variant however often its step is tried). When a winner is picked: once
 * every variant has `after` messages sent, the one with the best reply
 * rate wins only when Fisher's exact test (two-sided) finds it better
 * than each other variant at the campaign's confidence, Bonferroni-
 * corrected for the number of comparisons; until then the split goes on.
 *
 * Pure.
 */
#pragma once

#include "engine/engine_campaign.h"
#include "store/store.h"

#include <glib.h>
#include <stdint.h>

/* The variant (0 is A) enrollment @enrollment_id gets at @step, given the
 * step's @winner (-1: none picked). */
int engine_variant_of(const EngineCampaignStep *step, int64_t enrollment_id, int winner);

/* Fisher's exact test, two-sided, of the 2x2 table (@a_yes, @a_no;
 * @b_yes, @b_no): the probability, with the margins fixed, of a table at
 * least as unlikely as this one. */
double engine_variant_fisher(guint64 a_yes, guint64 a_no, guint64 b_yes, guint64 b_no);

/* The winner of a step with @n variants whose counts are @counts (one
 * per variant, by variant; sent and replied read), under @rule: its index,
 * or -1 while none may be picked. *@detail (when not NULL) says why, with
 * the numbers and the test, either way. */
int engine_variant_pick(const EngineWinnerRule *rule, const StoreVariantReport *counts, guint n,
                        char **detail);
