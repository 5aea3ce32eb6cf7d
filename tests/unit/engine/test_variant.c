/* A/B/n variants: the file's form, who gets which, and when a winner may
 * be picked (Fisher's exact test against known values). */
#include "engine/engine_compose.h"
#include "engine/engine_variant.h"

#include <gmime/gmime.h>
#include <math.h>
#include <string.h>

static const char *const split_campaign = "name: Split\n"
                                          "mailboxes: [alice@sender.test]\n"
                                          "steps:\n"
                                          "  - body: \"Hi {{first_name}}, one line.\"\n"
                                          "    variants:\n"
                                          "      - subject: \"Quick question\"\n"
                                          "      - subject: \"{{company}} and outbound\"\n"
                                          "        body: \"Hello {{first_name}}, another line.\"\n"
                                          "    winner: {after: 100, confidence: 90}\n"
                                          "  - delay: 2d\n"
                                          "    body: Bumping this.\n"
                                          "    variants:\n"
                                          "      - body: Bumping this.\n"
                                          "        subject: A new thread\n"
                                          "      - body: Any thoughts?\n"
                                          "      - body: Last one from me.\n";

static EngineCampaign *
parse(const char *text, GError **error)
{
	return engine_campaign_parse(text, strlen(text), "split.yaml", error);
}

static void
test_parse(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(EngineCampaign) campaign = parse(split_campaign, &error);
	g_assert_no_error(error);
	const EngineCampaignStep *first = campaign->steps->pdata[0];
	const EngineCampaignStep *second = campaign->steps->pdata[1];
	g_assert_cmpuint(engine_campaign_n_variants(first), ==, 2);
	g_assert_cmpuint(engine_campaign_n_variants(second), ==, 3);
	/* What a variant leaves out is the step's; A is the step's own. */
	g_assert_cmpstr(engine_campaign_variant_subject(first, 0), ==, "Quick question");
	g_assert_cmpstr(engine_campaign_variant_body(first, 0), ==, "Hi {{first_name}}, one line.");
	g_assert_cmpstr(engine_campaign_variant_subject(first, 1), ==, "{{company}} and outbound");
	g_assert_cmpstr(engine_campaign_variant_body(first, 1), ==,
	                "Hello {{first_name}}, another line.");
	g_assert_cmpstr(first->subject, ==, "Quick question");
	g_assert_cmpint(first->winner.after, ==, 100);
	g_assert_cmpint(first->winner.confidence, ==, 90);
	/* A follow-up's variants may open a thread of their own or not. */
	g_assert_cmpstr(engine_campaign_variant_subject(second, 0), ==, "A new thread");
	g_assert_null(engine_campaign_variant_subject(second, 1));
	g_assert_cmpstr(engine_campaign_variant_body(second, 2), ==, "Last one from me.");
	g_assert_cmpint(second->winner.after, ==, 0);
	g_assert_cmpint(engine_campaign_variant_letter(2), ==, 'C');
}

static void
test_parse_errors(void)
{
	static const struct {
		const char *steps;
		const char *message;
	} cases[] = {
	        {"  - subject: S\n    body: B\n    variants:\n      - subject: T\n",
	         "split.yaml:6:5: step 1: variants: at least two (A and B)"},
	        {"  - subject: S\n    body: B\n    variants:\n      - subject: T\n      - subject: "
	         "T\n",
	         "split.yaml:6:5: step 1: variants A and B are the same"},
	        {"  - subject: S\n    body: B\n    winner: {after: 10}\n",
	         "split.yaml:6:5: step 1: winner: the step has no variants to pick from"},
	        {"  - body: B\n    variants:\n      - subject: T\n      - body: C\n",
	         "split.yaml:5:5: step 1: variant B has no subject, nor has the step"},
	        {"  - subject: S\n    variants:\n      - subject: T\n      - subject: U\n",
	         "split.yaml:5:5: step 1: variant A has no body, nor has the step"},
	        {"  - subject: S\n    body: B\n    variants:\n      - subjet: T\n      - subject: "
	         "U\n",
	         "split.yaml:7:9: step 1: variant A: unknown key \"subjet\""},
	        {"  - subject: S\n    body: B\n    variants:\n      - {}\n      - subject: U\n",
	         "step 1: variant A: give it a subject, a body or both"},
	        {"  - subject: S\n    body: B\n    variants:\n      - subject: T\n      - subject: "
	         "U\n"
	         "    winner: {confidence: 95}\n",
	         "step 1: winner: after is missing"},
	        {"  - subject: S\n    body: B\n    variants:\n      - subject: T\n      - subject: "
	         "U\n"
	         "    winner: {after: 10, confidence: 50}\n",
	         "winner: confidence: expected a whole number from 80 to 99"},
	        {"  - subject: S\n    body: B\n    variants:\n      - subject: \"{{oops\"\n"
	         "      - subject: U\n",
	         "step 1 variant A subject"},
	        {"  - subject: S\n    body: B\n  - body: C\n    variants:\n      - body: D\n"
	         "      - body: E\n",
	         "step 2: delay is missing"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(
		        "name: x\nmailboxes: [a@b.test]\nsteps:\n%s", cases[i].steps);
		g_autoptr(GError) error = NULL;
		g_autoptr(EngineCampaign) campaign = parse(text, &error);
		g_assert_null(campaign);
		g_assert_nonnull(error);
		if (strstr(error->message, cases[i].message) == NULL)
			g_error("case %" G_GSIZE_FORMAT ": \"%s\" lacks \"%s\"", i, error->message,
			        cases[i].message);
	}
}

static void
test_variant_of(void)
{
	g_autoptr(EngineCampaign) campaign = parse(split_campaign, NULL);
	const EngineCampaignStep *first = campaign->steps->pdata[0];
	const EngineCampaignStep *second = campaign->steps->pdata[1];
	/* In turn: a list imported at once splits evenly. */
	guint per[3] = {0};
	for (int64_t id = 1; id <= 300; id++)
		per[engine_variant_of(second, id, -1)]++;
	g_assert_cmpuint(per[0], ==, 100);
	g_assert_cmpuint(per[1], ==, 100);
	g_assert_cmpuint(per[2], ==, 100);
	g_assert_cmpint(engine_variant_of(first, 7, -1), ==, 1);
	g_assert_cmpint(engine_variant_of(first, 8, -1), ==, 0);
	/* Once picked, only the winner; a winner the file no longer has is
	 * none. */
	g_assert_cmpint(engine_variant_of(first, 8, 1), ==, 1);
	g_assert_cmpint(engine_variant_of(first, 8, 5), ==, 0);
	g_autoptr(EngineCampaign) plain = parse(
	        "name: p\nmailboxes: [a@b.test]\nsteps:\n  - subject: S\n    body: B\n", NULL);
	g_assert_nonnull(plain);
	g_assert_cmpint(engine_variant_of(plain->steps->pdata[0], 7, -1), ==, 0);
}

static void
test_fisher(void)
{
	/* Known values: R's fisher.test. */
	g_assert_cmpfloat_with_epsilon(engine_variant_fisher(3, 1, 1, 3), 0.4857143, 1e-6);
	g_assert_cmpfloat_with_epsilon(engine_variant_fisher(10, 0, 0, 10), 1.082509e-05, 1e-10);
	g_assert_cmpfloat_with_epsilon(engine_variant_fisher(1, 9, 11, 3), 0.002759456, 1e-8);
	g_assert_cmpfloat_with_epsilon(engine_variant_fisher(5, 5, 5, 5), 1.0, 1e-9);
	g_assert_cmpfloat_with_epsilon(engine_variant_fisher(0, 0, 0, 0), 1.0, 1e-9);
	/* Large counts stay finite and tiny. */
	double p = engine_variant_fisher(500, 9500, 700, 9300);
	g_assert_true(isfinite(p) && p > 0.0 && p < 1e-6);
}

static void
test_pick(void)
{
	EngineWinnerRule rule = {.after = 100, .confidence = 95};
	g_autofree char *detail = NULL;
	/* Never before `after` of each, however clear. */
	StoreVariantReport early[2] = {{.sent = 150, .replied = 1}, {.sent = 99, .replied = 60}};
	g_assert_cmpint(engine_variant_pick(&rule, early, 2, &detail), ==, -1);
	g_assert_cmpstr(
	        detail, ==,
	        "no winner yet: variant B has 99 of the 100 messages sent a pick waits for");
	g_clear_pointer(&detail, g_free);
	/* Better, but not significantly: 4 % against 6 %. */
	StoreVariantReport close[2] = {{.sent = 100, .replied = 4}, {.sent = 100, .replied = 6}};
	g_assert_cmpint(engine_variant_pick(&rule, close, 2, &detail), ==, -1);
	g_assert_nonnull(strstr(detail, "no winner yet: B: 6 of 100 replied (6.0 %), A: 4 of 100"));
	g_assert_nonnull(strstr(detail, "not below 0.05"));
	g_clear_pointer(&detail, g_free);
	/* 3 % against 15 %: p = 0.0052. */
	StoreVariantReport clear[2] = {{.sent = 100, .replied = 3}, {.sent = 100, .replied = 15}};
	g_assert_cmpint(engine_variant_pick(&rule, clear, 2, &detail), ==, 1);
	g_assert_nonnull(strstr(detail,
	                        "B wins: B: 15 of 100 replied (15.0 %), A: 3 of 100 (3.0 %); "
	                        "Fisher's exact test, two-sided, p = 0.0052 below 0.05"));
	g_clear_pointer(&detail, g_free);
	/* Three variants: the best must beat both at 0.05 / 2; here it beats
	 * A clearly but C only at p = 0.063. */
	StoreVariantReport three[3] = {{.sent = 100, .replied = 3},
	                               {.sent = 100, .replied = 15},
	                               {.sent = 100, .replied = 6}};
	g_assert_cmpint(engine_variant_pick(&rule, three, 3, &detail), ==, -1);
	g_assert_nonnull(strstr(detail, "B against C"));
	g_assert_nonnull(strstr(detail, "0.025 (0.05 over 2 comparisons)"));
	g_clear_pointer(&detail, g_free);
	three[2].replied = 2;
	g_assert_cmpint(engine_variant_pick(&rule, three, 3, NULL), ==, 1);
	/* A tie at the top is no winner. */
	StoreVariantReport tie[2] = {{.sent = 200, .replied = 30}, {.sent = 200, .replied = 30}};
	g_assert_cmpint(engine_variant_pick(&rule, tie, 2, NULL), ==, -1);
	/* No rule, no pick. */
	EngineWinnerRule off = {0};
	g_assert_cmpint(engine_variant_pick(&off, clear, 2, NULL), ==, -1);
}

static void
test_compose(void)
{
	g_autoptr(EngineCampaign) campaign = parse(split_campaign, NULL);
	g_autoptr(GHashTable) fields = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *email = g_strdup("carol@prospect.test");
	g_autofree char *first_name = g_strdup("Carol");
	g_autofree char *company = g_strdup("Acme");
	g_autofree char *address = g_strdup("alice@sender.test");
	StoreProspect prospect = {
	        .email = email, .first_name = first_name, .company = company, .fields = fields};
	StoreMailbox mailbox = {.address = address};
	EngineComposeSpec spec = {.campaign = campaign,
	                          .step = 1,
	                          .variant = 1,
	                          .prospect = &prospect,
	                          .mailbox = &mailbox};
	g_auto(EngineComposed) b = {0};
	g_autoptr(GError) error = NULL;
	g_assert_true(engine_compose_step(&spec, &b, &error));
	g_assert_cmpstr(b.subject, ==, "Acme and outbound");
	g_assert_cmpstr(b.body, ==, "Hello Carol, another line.");
	/* A follow-up in the thread answers the subject of step 1's variant. */
	spec.step = 2;
	spec.variant = 1;
	spec.first_variant = 1;
	g_auto(EngineComposed) follow = {0};
	g_assert_true(engine_compose_step(&spec, &follow, &error));
	g_assert_cmpstr(follow.subject, ==, "Re: Acme and outbound");
	g_assert_cmpstr(follow.body, ==, "Any thoughts?");
	spec.variant = 0;
	g_auto(EngineComposed) own = {0};
	g_assert_true(engine_compose_step(&spec, &own, &error));
	g_assert_cmpstr(own.subject, ==, "A new thread");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_mime_init(); /* composing needs it */
	g_test_add_func("/engine/variant/parse", test_parse);
	g_test_add_func("/engine/variant/parse-errors", test_parse_errors);
	g_test_add_func("/engine/variant/in-turn-or-the-winner", test_variant_of);
	g_test_add_func("/engine/variant/fisher-known-values", test_fisher);
	g_test_add_func("/engine/variant/pick-only-when-significant", test_pick);
	g_test_add_func("/engine/variant/compose", test_compose);
	return g_test_run();
}
