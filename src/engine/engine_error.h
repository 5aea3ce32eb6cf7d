/*
 * engine_error: the engine layer's error domain. Codes say what the caller
 * does next.
 */
#pragma once

#include <glib.h>

#define ENGINE_ERROR (engine_error_quark())

typedef enum {
	ENGINE_ERROR_INPUT,     /* a file or value is wrong at the place named: fix it */
	ENGINE_ERROR_STORE,     /* the store failed (its message says why) */
	ENGINE_ERROR_STATE,     /* not now: the campaign or prospect is in another state */
	ENGINE_ERROR_MAILBOX,   /* a mailbox cannot be used (not found, paused, login failed) */
	ENGINE_ERROR_SIGN_IN,   /* its OAuth2 grant is gone or was never given: a person signs in */
	ENGINE_ERROR_TRY_LATER, /* a service it needs (a token endpoint) did not answer */
	ENGINE_ERROR_STOPPED,   /* a stop was asked for while it waited: nothing to record */
	ENGINE_ERROR_CONFIG     /* this machine's set-up is wrong (its seal key): fix it */
} EngineError;

GQuark engine_error_quark(void);
