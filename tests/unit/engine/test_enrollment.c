/*
 * An enrollment's states and the moves between them, from a table of
 * cases: ended sequences never reopen, names round-trip with the store's.
 */
#include "engine/engine_enrollment.h"
#include "engine/engine_error.h"

typedef EngineEnrollmentState State;

static const struct {
	State from;
	State to;
	bool allowed;
} moves[] = {
        {ENGINE_ENROLLMENT_QUEUED, ENGINE_ENROLLMENT_ACTIVE, true},
        {ENGINE_ENROLLMENT_QUEUED, ENGINE_ENROLLMENT_COMPLETED, true}, /* one-step campaign */
        {ENGINE_ENROLLMENT_ACTIVE, ENGINE_ENROLLMENT_ACTIVE, true},    /* the next step */
        {ENGINE_ENROLLMENT_ACTIVE, ENGINE_ENROLLMENT_PAUSED, true},
        {ENGINE_ENROLLMENT_PAUSED, ENGINE_ENROLLMENT_ACTIVE, true},
        {ENGINE_ENROLLMENT_PAUSED, ENGINE_ENROLLMENT_QUEUED, true},
        {ENGINE_ENROLLMENT_ACTIVE, ENGINE_ENROLLMENT_REPLIED, true},
        {ENGINE_ENROLLMENT_PAUSED, ENGINE_ENROLLMENT_OPTED_OUT, true},
        {ENGINE_ENROLLMENT_ACTIVE, ENGINE_ENROLLMENT_UNCERTAIN, true},
        {ENGINE_ENROLLMENT_UNCERTAIN, ENGINE_ENROLLMENT_ACTIVE, true}, /* found in Sent */
        {ENGINE_ENROLLMENT_UNCERTAIN, ENGINE_ENROLLMENT_REPLIED, true},
        {ENGINE_ENROLLMENT_UNCERTAIN, ENGINE_ENROLLMENT_QUEUED, false},
        {ENGINE_ENROLLMENT_UNCERTAIN, ENGINE_ENROLLMENT_PAUSED, false},
        {ENGINE_ENROLLMENT_REPLIED, ENGINE_ENROLLMENT_ACTIVE, false}, /* never after a reply */
        {ENGINE_ENROLLMENT_REPLIED, ENGINE_ENROLLMENT_REPLIED, false},
        {ENGINE_ENROLLMENT_COMPLETED, ENGINE_ENROLLMENT_ACTIVE, false},
        {ENGINE_ENROLLMENT_BOUNCED, ENGINE_ENROLLMENT_QUEUED, false},
        {ENGINE_ENROLLMENT_OPTED_OUT, ENGINE_ENROLLMENT_PAUSED, false},
        {ENGINE_ENROLLMENT_STOPPED, ENGINE_ENROLLMENT_ACTIVE, false},
        {ENGINE_ENROLLMENT_FAILED, ENGINE_ENROLLMENT_QUEUED, false},
        {ENGINE_ENROLLMENT_QUEUED, ENGINE_ENROLLMENT_PAUSED, true},
};

static void
test_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(moves); i++) {
		if (engine_enrollment_move_allowed(moves[i].from, moves[i].to) != moves[i].allowed)
			g_error("%s -> %s: expected %s",
			        engine_enrollment_state_name(moves[i].from),
			        engine_enrollment_state_name(moves[i].to),
			        moves[i].allowed ? "allowed" : "refused");
	}
}

static void
test_names_round_trip(void)
{
	for (int s = ENGINE_ENROLLMENT_QUEUED; s <= ENGINE_ENROLLMENT_STOPPED; s++) {
		State parsed = ENGINE_ENROLLMENT_QUEUED;
		g_assert_true(
		        engine_enrollment_state_parse(engine_enrollment_state_name(s), &parsed));
		g_assert_cmpint(parsed, ==, s);
	}
	State unused = ENGINE_ENROLLMENT_QUEUED;
	g_assert_false(engine_enrollment_state_parse("sending", &unused));
	g_assert_false(engine_enrollment_state_parse(NULL, &unused));
}

static void
test_move_refused_changes_nothing(void)
{
	StoreEnrollment enrollment = {.id = 7,
	                              .email = g_strdup("ann@acme.test"),
	                              .state = g_strdup("replied"),
	                              .reason = g_strdup("replied")};
	g_autoptr(GError) error = NULL;
	g_assert_false(engine_enrollment_move(&enrollment, ENGINE_ENROLLMENT_ACTIVE, NULL, &error));
	g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_STATE);
	g_assert_cmpstr(enrollment.state, ==, "replied");
	g_assert_cmpstr(enrollment.reason, ==, "replied");
	g_assert_false(engine_enrollment_is_open(&enrollment));

	g_free(enrollment.state);
	enrollment.state = g_strdup("paused");
	g_assert_true(engine_enrollment_is_open(&enrollment));
	g_assert_true(
	        engine_enrollment_move(&enrollment, ENGINE_ENROLLMENT_ACTIVE, "resumed", &error));
	g_assert_cmpstr(enrollment.state, ==, "active");
	g_assert_cmpstr(enrollment.reason, ==, "resumed");
	g_free(enrollment.email);
	g_free(enrollment.state);
	g_free(enrollment.reason);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/enrollment/moves-follow-the-table", test_table);
	g_test_add_func("/engine/enrollment/names-round-trip", test_names_round_trip);
	g_test_add_func("/engine/enrollment/refused-move-changes-nothing",
	                test_move_refused_changes_nothing);
	return g_test_run();
}
