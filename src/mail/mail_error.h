/*
 * mail_error: the message layer's error domain.
 */
#pragma once

#include <glib.h>

#define MAIL_ERROR (mail_error_quark())

typedef enum {
	/* A value cannot go into a message as given (a header value holding
	 * CR or LF, an address that is not one): fix the input. */
	MAIL_ERROR_INVALID,
	/* Bytes that should be a message are not one. */
	MAIL_ERROR_PARSE,
} MailError;

GQuark mail_error_quark(void);
