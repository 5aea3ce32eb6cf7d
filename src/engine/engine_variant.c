#include "engine/engine_variant.h"

#include <math.h>

int
engine_variant_of(const EngineCampaignStep *step, int64_t enrollment_id, int winner)
{
	guint n = engine_campaign_n_variants(step);
	if (n <= 1)
		return 0;
	if (winner >= 0 && (guint)winner < n)
		return winner;
	int64_t turn = enrollment_id % (int64_t)n;
	return (int)(turn < 0 ? turn + (int64_t)n : turn);
}

/* log(n choose k) */
static double
log_choose(guint64 n, guint64 k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

double
engine_variant_fisher(guint64 a_yes, guint64 a_no, guint64 b_yes, guint64 b_no)
{
	guint64 row_a = a_yes + a_no;
	guint64 row_b = b_yes + b_no;
	guint64 yes = a_yes + b_yes;
	guint64 total = row_a + row_b;
	if (total == 0)
		return 1.0;
	double log_all = log_choose(total, yes);
	double observed = log_choose(row_a, a_yes) + log_choose(row_b, b_yes) - log_all;
	guint64 low = yes > row_b ? yes - row_b : 0;
	guint64 high = MIN(row_a, yes);
	double p = 0.0;
	/* Tables as unlikely as the observed one or less (with room for
	 * rounding, as equal ones must count). */
	for (guint64 x = low; x <= high; x++) {
		double here = log_choose(row_a, x) + log_choose(row_b, yes - x) - log_all;
		if (here <= observed + 1e-7)
			p += exp(here);
	}
	return MIN(p, 1.0);
}

static guint64
replied_of(const StoreVariantReport *count)
{
	return MIN(count->replied, count->sent);
}

/* Whether @a's reply rate is above @b's. */
static bool
rate_above(const StoreVariantReport *a, const StoreVariantReport *b)
{
	return (double)replied_of(a) * (double)b->sent > (double)replied_of(b) * (double)a->sent;
}

static double
percent(const StoreVariantReport *count)
{
	return count->sent > 0 ? 100.0 * (double)replied_of(count) / (double)count->sent : 0.0;
}

/* Hands @text to *@detail, or frees it. */
static int
told(char **detail, char *text, int winner)
{
	if (detail != NULL)
		*detail = text;
	else
		g_free(text);
	return winner;
}

int
engine_variant_pick(const EngineWinnerRule *rule, const StoreVariantReport *counts, guint n,
                    char **detail)
{
	if (rule->after <= 0 || n < 2)
		return told(detail, g_strdup("no winner is picked for this step"), -1);
	for (guint i = 0; i < n; i++)
		if (counts[i].sent < (guint64)rule->after)
			return told(
			        detail,
			        g_strdup_printf("no winner yet: variant %c has %" G_GUINT64_FORMAT
			                        " of the %d messages sent a pick waits for",
			                        engine_campaign_variant_letter((int)i),
			                        counts[i].sent, rule->after),
			        -1);
	guint best = 0;
	for (guint i = 1; i < n; i++)
		if (rate_above(&counts[i], &counts[best]))
			best = i;
	double alpha = (double)(100 - rule->confidence) / 100.0;
	double each = alpha / (double)(n - 1);
	g_autoptr(GString) numbers = g_string_new(NULL);
	g_string_append_printf(
	        numbers, "%c: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " replied (%.1f %%)",
	        engine_campaign_variant_letter((int)best), replied_of(&counts[best]),
	        counts[best].sent, percent(&counts[best]));
	/* The best must beat every other: the largest p decides. */
	double worst_p = 0.0;
	guint closest = best;
	for (guint i = 0; i < n; i++) {
		if (i == best)
			continue;
		g_string_append_printf(
		        numbers, ", %c: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " (%.1f %%)",
		        engine_campaign_variant_letter((int)i), replied_of(&counts[i]),
		        counts[i].sent, percent(&counts[i]));
		guint64 best_yes = replied_of(&counts[best]);
		guint64 other_yes = replied_of(&counts[i]);
		double p = rate_above(&counts[best], &counts[i])
		                   ? engine_variant_fisher(best_yes, counts[best].sent - best_yes,
		                                           other_yes, counts[i].sent - other_yes)
		                   : 1.0;
		if (p >= worst_p) {
			worst_p = p;
			closest = i;
		}
	}
	g_autofree char *threshold =
	        n > 2 ? g_strdup_printf("%.2g (%.2g over %u comparisons)", each, alpha, n - 1)
	              : g_strdup_printf("%.2g", alpha);
	if (worst_p >= each)
		return told(
		        detail,
		        g_strdup_printf("no winner yet: %s; %c against %c: Fisher's exact test, "
		                        "two-sided, p = %.2g, not below %s",
		                        numbers->str, engine_campaign_variant_letter((int)best),
		                        engine_campaign_variant_letter((int)closest), worst_p,
		                        threshold),
		        -1);
	return told(detail,
	            g_strdup_printf("%c wins: %s; Fisher's exact test, two-sided, p = %.2g%s below "
	                            "%s",
	                            engine_campaign_variant_letter((int)best), numbers->str,
	                            worst_p, n > 2 ? " at most," : "", threshold),
	            (int)best);
}
