/*
 * app_error: the use-case layer's error domain. Codes say what the person
 * (or the program calling) does next; every front end maps them the same
 * way (the command: cli_exit_of_error; the HTTP API: a status).
 */
#pragma once

#include <glib.h>

#define APP_ERROR (app_error_quark())

typedef enum {
	APP_ERROR_NOT_FOUND, /* no such campaign, mailbox or prospect: check the name */
	APP_ERROR_STATE,     /* not from the state it is in (the message says which) */
	APP_ERROR_INVALID,   /* what is stored or given does not make one: fix it */
	APP_ERROR_CONFIG,    /* a setting cannot work (a password that cannot be read or sealed) */
	APP_ERROR_DENIED,    /* the credentials given are not accepted (an unknown API key) */
	APP_ERROR_SIGN_IN,   /* an OAuth2 mailbox must be signed in (again): authorize it */
	APP_ERROR_UNAVAILABLE, /* a service needed (a token endpoint) did not answer: retry */
} AppError;

GQuark app_error_quark(void);
