/* A follow-up's `if:`: what it accepts, what it refuses with a reason,
 * and when it holds. */
#include "engine/engine_campaign.h"
#include "engine/engine_condition.h"

#include <string.h>

static void
test_holds(void)
{
	static const struct {
		const char *text;
		const char *value;
		bool holds;
	} cases[] = {
	        {"{{country}} == DE", "DE", true},
	        {"{{country}} == DE", " de ", true},
	        {"{{country}} == DE", "FR", false},
	        {"{{country}} == DE", NULL, false},
	        {"{{ country }}==DE", "DE", true},
	        {"country != DE", "FR", true},
	        {"country != DE", "", true},
	        {"{{country}} != DE", "de", false},
	        {"{{country}} in [DE, AT, CH]", "at", true},
	        {"{{country}} in [DE, AT, CH]", "FR", false},
	        {"{{country}} in DE, AT", "AT", true},
	        {"{{country}} not in [DE, AT]", "FR", true},
	        {"{{country}} not in [DE, AT]", "DE", false},
	        {"{{city}} == \"New York\"", "new york", true},
	        {"{{phone}}", "+49 30 1234", true},
	        {"{{phone}}", "  ", false},
	        {"not {{phone}}", NULL, true},
	        {"not {{phone}}", "1", false},
	        {"reply == later", "later", true},
	        {"reply == later", "", false},
	        {"reply != not_interested", "", true},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *why = NULL;
		g_autoptr(EngineCondition) condition = engine_condition_parse(cases[i].text, &why);
		if (condition == NULL)
			g_error("\"%s\": %s", cases[i].text, why);
		if (engine_condition_holds(condition, cases[i].value) != cases[i].holds)
			g_error("\"%s\" with \"%s\": expected %s", cases[i].text,
			        cases[i].value != NULL ? cases[i].value : "(none)",
			        cases[i].holds ? "true" : "false");
	}
	const char *why = NULL;
	g_autoptr(EngineCondition) reply = engine_condition_parse("reply == later", &why);
	g_assert_cmpstr(engine_condition_field(reply), ==, "reply");
	g_autoptr(EngineCondition) braces = engine_condition_parse("  {{country}} == DE ", &why);
	g_assert_cmpstr(engine_condition_field(braces), ==, "country");
	g_assert_cmpstr(engine_condition_text(braces), ==, "{{country}} == DE");
}

static void
test_refused(void)
{
	static const char *const bad[] = {
	        "",    "== DE",     "{{country}} ==", "{{country}} in []", "{{two words}} == x",
	        "a b", "x == y\nz",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		const char *why = NULL;
		g_autoptr(EngineCondition) condition = engine_condition_parse(bad[i], &why);
		if (condition != NULL)
			g_error("\"%s\" was taken", bad[i]);
		g_assert_nonnull(why);
	}
}

static void
test_in_a_campaign(void)
{
	const char *good = "name: x\nmailboxes: [a@b.test]\nsteps:\n  - subject: S\n    body: B\n"
	                   "  - delay: 1d\n    if: \"{{country}} == DE\"\n    body: C\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign =
	        engine_campaign_parse(good, strlen(good), "x.yaml", &error);
	g_assert_no_error(error);
	const EngineCampaignStep *second = campaign->steps->pdata[1];
	g_assert_nonnull(second->condition);
	g_assert_null(((const EngineCampaignStep *)campaign->steps->pdata[0])->condition);
	static const struct {
		const char *steps;
		const char *message;
	} cases[] = {
	        {"  - subject: S\n    if: \"{{country}} == DE\"\n    body: B\n",
	         "x.yaml:5:5: step 1: if: an opening email is never skipped"},
	        {"  - subject: S\n    body: B\n  - delay: 1d\n    if: \"== DE\"\n    body: C\n",
	         "x.yaml:7:10: step 2: if \"== DE\": the left side is a field"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		        "name: x\nmailboxes: [a@b.test]\nsteps:\n%s", cases[i].steps);
		g_autoptr(GError) refused = NULL;
		g_assert_null(engine_campaign_parse(text, strlen(text), "x.yaml", &refused));
		if (strstr(refused->message, cases[i].message) == NULL)
			g_error("\"%s\" lacks \"%s\"", refused->message, cases[i].message);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/condition/holds", test_holds);
	g_test_add_func("/engine/condition/refused", test_refused);
	g_test_add_func("/engine/condition/in-a-campaign", test_in_a_campaign);
	return g_test_run();
}
