#define G_LOG_DOMAIN "piculet-engine"

#include "engine/engine_enrollment.h"

#include "engine/engine_error.h"
#include "engine/engine_lifecycle.h"

#include <string.h>

static const char *const state_names[] = {
        [ENGINE_ENROLLMENT_QUEUED] = "queued",       [ENGINE_ENROLLMENT_ACTIVE] = "active",
        [ENGINE_ENROLLMENT_PAUSED] = "paused",       [ENGINE_ENROLLMENT_UNCERTAIN] = "uncertain",
        [ENGINE_ENROLLMENT_REPLIED] = "replied",     [ENGINE_ENROLLMENT_BOUNCED] = "bounced",
        [ENGINE_ENROLLMENT_OPTED_OUT] = "opted_out", [ENGINE_ENROLLMENT_COMPLETED] = "completed",
        [ENGINE_ENROLLMENT_FAILED] = "failed",       [ENGINE_ENROLLMENT_STOPPED] = "stopped",
};

#define BIT(state) (1u << (state))
#define ENDINGS                                                                                    \
	(BIT(ENGINE_ENROLLMENT_REPLIED) | BIT(ENGINE_ENROLLMENT_BOUNCED) |                         \
	 BIT(ENGINE_ENROLLMENT_OPTED_OUT) | BIT(ENGINE_ENROLLMENT_FAILED) |                        \
	 BIT(ENGINE_ENROLLMENT_STOPPED))

/* The moves allowed from each state (the header draws them). */
static const unsigned allowed_moves[] = {
        [ENGINE_ENROLLMENT_QUEUED] = BIT(ENGINE_ENROLLMENT_QUEUED) | BIT(ENGINE_ENROLLMENT_ACTIVE) |
                                     BIT(ENGINE_ENROLLMENT_COMPLETED) |
                                     BIT(ENGINE_ENROLLMENT_PAUSED) |
                                     BIT(ENGINE_ENROLLMENT_UNCERTAIN) | ENDINGS,
        [ENGINE_ENROLLMENT_ACTIVE] =
                BIT(ENGINE_ENROLLMENT_ACTIVE) | BIT(ENGINE_ENROLLMENT_COMPLETED) |
                BIT(ENGINE_ENROLLMENT_PAUSED) | BIT(ENGINE_ENROLLMENT_UNCERTAIN) | ENDINGS,
        [ENGINE_ENROLLMENT_PAUSED] = BIT(ENGINE_ENROLLMENT_PAUSED) | BIT(ENGINE_ENROLLMENT_QUEUED) |
                                     BIT(ENGINE_ENROLLMENT_ACTIVE) |
                                     BIT(ENGINE_ENROLLMENT_COMPLETED) |
                                     BIT(ENGINE_ENROLLMENT_UNCERTAIN) | ENDINGS,
        [ENGINE_ENROLLMENT_UNCERTAIN] = BIT(ENGINE_ENROLLMENT_UNCERTAIN) |
                                        BIT(ENGINE_ENROLLMENT_ACTIVE) |
                                        BIT(ENGINE_ENROLLMENT_COMPLETED) | ENDINGS,
        [ENGINE_ENROLLMENT_REPLIED] = 0,
        [ENGINE_ENROLLMENT_BOUNCED] = 0,
        [ENGINE_ENROLLMENT_OPTED_OUT] = 0,
        [ENGINE_ENROLLMENT_COMPLETED] = 0,
        [ENGINE_ENROLLMENT_FAILED] = 0,
        [ENGINE_ENROLLMENT_STOPPED] = 0,
};

G_STATIC_ASSERT(G_N_ELEMENTS(state_names) == G_N_ELEMENTS(allowed_moves));

const char *
engine_enrollment_state_name(EngineEnrollmentState state)
{
	return (gsize)state < G_N_ELEMENTS(state_names) ? state_names[state] : "?";
}

bool
engine_enrollment_state_parse(const char *name, EngineEnrollmentState *state)
{
	for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(state_names); i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*state = (EngineEnrollmentState)i;
			return true;
		}
	}
	return false;
}

EngineEnrollmentState
engine_enrollment_state_of(const StoreEnrollment *enrollment)
{
	EngineEnrollmentState state = ENGINE_ENROLLMENT_STOPPED;
	(void)engine_enrollment_state_parse(enrollment->state, &state);
	return state;
}

bool
engine_enrollment_is_open(const StoreEnrollment *enrollment)
{
	EngineEnrollmentState state = engine_enrollment_state_of(enrollment);
	return state == ENGINE_ENROLLMENT_QUEUED || state == ENGINE_ENROLLMENT_ACTIVE ||
	       state == ENGINE_ENROLLMENT_PAUSED;
}

bool
engine_enrollment_move_allowed(EngineEnrollmentState from, EngineEnrollmentState to)
{
	if ((gsize)from >= G_N_ELEMENTS(allowed_moves) || (gsize)to >= G_N_ELEMENTS(allowed_moves))
		return false;
	return (allowed_moves[from] & BIT(to)) != 0;
}

bool
engine_enrollment_move(StoreEnrollment *enrollment, EngineEnrollmentState to, const char *reason,
                       GError **error)
{
	EngineEnrollmentState from = engine_enrollment_state_of(enrollment);
	if (!engine_enrollment_move_allowed(from, to)) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_STATE,
		            "enrollment %" G_GINT64_FORMAT " (%s): no move from %s to %s",
		            enrollment->id, enrollment->email, engine_enrollment_state_name(from),
		            engine_enrollment_state_name(to));
		return false;
	}
	if (from != to)
		g_debug("enrollment %" G_GINT64_FORMAT " (%s): %s -> %s", enrollment->id,
		        enrollment->email, engine_enrollment_state_name(from),
		        engine_enrollment_state_name(to));
	g_free(enrollment->state);
	enrollment->state = g_strdup(engine_enrollment_state_name(to));
	if (reason != enrollment->reason) {
		g_free(enrollment->reason);
		enrollment->reason = g_strdup(reason);
	}
	return true;
}

bool
engine_enrollment_reload(Store *store, StoreEnrollment *enrollment, GError **error)
{
	GError *local = NULL;
	StoreEnrollment *fresh = store_enrollment_get_by_id(store, enrollment->id, &local);
	if (fresh == NULL) {
		if (local == NULL)
			local = g_error_new(STORE_ERROR, STORE_ERROR_CONFLICT,
			                    "enrollment %" G_GINT64_FORMAT " is gone",
			                    enrollment->id);
		g_propagate_error(error, local);
		return false;
	}
	StoreEnrollment old = *enrollment;
	*enrollment = *fresh;
	*fresh = old;
	store_enrollment_free(fresh);
	return true;
}

bool
engine_enrollment_save(Store *store, StoreEnrollment *enrollment, bool *written, GError **error)
{
	GError *local = NULL;
	*written = store_enrollment_update(store, enrollment, &local);
	if (*written)
		return true;
	if (g_error_matches(local, STORE_ERROR, STORE_ERROR_CONFLICT)) {
		g_debug("%s: left as the newer write made it", local->message);
		g_error_free(local);
		return true;
	}
	g_propagate_error(error, local);
	return false;
}

bool
engine_enrollment_end(Store *store, StoreEnrollment *enrollment, EngineEnrollmentState state,
                      const char *reason, GError **error)
{
	if (!engine_enrollment_is_open(enrollment) &&
	    engine_enrollment_state_of(enrollment) != ENGINE_ENROLLMENT_UNCERTAIN)
		return true;
	if (!engine_enrollment_move(enrollment, state, reason, error))
		return false;
	g_message("enrollment %" G_GINT64_FORMAT " (%s): %s: %s", enrollment->id, enrollment->email,
	          engine_enrollment_state_name(state), reason);
	return store_enrollment_update(store, enrollment, error);
}

bool
engine_enrollment_end_everywhere(Store *store, const char *email, EngineEnrollmentState state,
                                 const char *reason, GError **error)
{
	g_autoptr(GPtrArray) open = store_enrollment_list_open_by_email(store, email, error);
	if (open == NULL)
		return false;
	for (guint i = 0; i < open->len; i++)
		if (!engine_enrollment_end(store, open->pdata[i], state, reason, error))
			return false;
	return true;
}

bool
engine_enrollment_opt_out(Store *store, const char *email, const char *reason, const char *how,
                          GError **error)
{
	bool found = false;
	return engine_enrollment_end_everywhere(store, email, ENGINE_ENROLLMENT_OPTED_OUT, reason,
	                                        error) &&
	       store_blacklist_add(store, email, how, error) &&
	       store_prospect_set_status(store, email,
	                                 engine_lifecycle_prospect_name(ENGINE_PROSPECT_OPTED_OUT),
	                                 &found, error);
}
