/*
 * engine_enrollment: an enrollment's state as a type, and the one place it
 * changes. The states and which moves are allowed are a table; text exists
 * only where rows are read and written (the store keeps the names below)
 * and where people read output.
 *
 *   queued --first step sent--> active --last step sent--> completed
 *   queued, active <--> paused (auto-reply, soft bounce; resumed on time;
 *                      held for review: resumed by a person only)
 *   queued, active, paused --> replied | bounced | opted_out | stopped | failed
 *   queued, active, paused --send may or may not have happened--> uncertain
 *   uncertain --found in Sent--> active | completed; --mail--> replied | ...
 *
 * Ended states (replied, bounced, opted_out, completed, failed, stopped)
 * allow no move: nothing reopens a sequence behind a person's back.
 *
 * Pure: no I/O; the caller writes the enrollment (store_enrollment_update)
 * in the transaction that records why.
 */
#pragma once

#include "store/store.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
	ENGINE_ENROLLMENT_QUEUED,    /* waits for its first step */
	ENGINE_ENROLLMENT_ACTIVE,    /* first step sent; more to come */
	ENGINE_ENROLLMENT_PAUSED,    /* waits until next_due_at (auto-reply, soft bounce), or
	                              * held (ENGINE_ENROLLMENT_HELD) until a person acts */
	ENGINE_ENROLLMENT_UNCERTAIN, /* a send may have happened: a person looks */
	ENGINE_ENROLLMENT_REPLIED,
	ENGINE_ENROLLMENT_BOUNCED,
	ENGINE_ENROLLMENT_OPTED_OUT,
	ENGINE_ENROLLMENT_COMPLETED,
	ENGINE_ENROLLMENT_FAILED,  /* cannot be sent (a missing field, refused for good) */
	ENGINE_ENROLLMENT_STOPPED, /* ended by a policy or the prospect's status */
} EngineEnrollmentState;

/* "queued", "active", ... as stored. */
/* The next_due_at of a paused enrollment that no time resumes: mail from
 * the person that no rule could read waits for a person to look. */
#define ENGINE_ENROLLMENT_HELD G_MAXINT64

const char *engine_enrollment_state_name(EngineEnrollmentState state);

/* The state named @name; false for a name that is none. */
bool engine_enrollment_state_parse(const char *name, EngineEnrollmentState *state);

/* The state of a stored enrollment (an unknown name reads as stopped: it
 * is never sent to). */
EngineEnrollmentState engine_enrollment_state_of(const StoreEnrollment *enrollment);

/* Queued, active or paused: a sequence still running. */
bool engine_enrollment_is_open(const StoreEnrollment *enrollment);

/* Whether the table allows @from -> @to (staying in a state is allowed
 * for every state that is not ended). */
bool engine_enrollment_move_allowed(EngineEnrollmentState from, EngineEnrollmentState to);

/* Moves @enrollment to @to with @reason (copied; NULL clears it), tracing
 * old -> new by name. ENGINE_ERROR_STATE, changing nothing, when the table
 * does not allow the move. */
bool engine_enrollment_move(StoreEnrollment *enrollment, EngineEnrollmentState to,
                            const char *reason, GError **error);

/* Reads @enrollment again from @store, in place (its fields replaced by
 * the stored row's, revision included): what a decision inside a
 * transaction starts from, since another worker may have changed it
 * since it was listed. STORE_ERROR_CONFLICT when it is gone. */
bool engine_enrollment_reload(Store *store, StoreEnrollment *enrollment, GError **error);

/* Writes @enrollment; a row another writer changed since it was read
 * (STORE_ERROR_CONFLICT) is left as that writer made it, *@written false,
 * and no error: the newer decision stands, and the next pass decides again
 * from it. Any other store failure is an error. */
bool engine_enrollment_save(Store *store, StoreEnrollment *enrollment, bool *written,
                            GError **error);

/* Ends @enrollment in @state with @reason and writes it; one that has ended
 * already (but for an uncertain one, which a person's answer settles) is
 * left as it is. */
bool engine_enrollment_end(Store *store, StoreEnrollment *enrollment, EngineEnrollmentState state,
                           const char *reason, GError **error);

/* Every open enrollment of the prospect @email, in every campaign, ended
 * in @state. */
bool engine_enrollment_end_everywhere(Store *store, const char *email, EngineEnrollmentState state,
                                      const char *reason, GError **error);

/* The person asked to be left alone (a reply, a one-click unsubscribe):
 * every open enrollment of @email opted out with @reason, the address on
 * the blacklist (@how as its reason), the prospect's status opted_out.
 * Inside the caller's transaction; twice is the same as once. */
bool engine_enrollment_opt_out(Store *store, const char *email, const char *reason, const char *how,
                               GError **error);
