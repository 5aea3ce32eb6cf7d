/*
 * mail_address: checks and normalises an email address (RFC 5322 addr-spec,
 * dot-atom form): trimmed, angle brackets dropped, lower case. Quoted local
 * parts and address literals are refused: no prospect list needs them.
 * Internationalised domains in UTF-8 are accepted. Pure.
 */
#pragma once

#include <glib.h>

/* The normalised address, newly allocated, or NULL with MAIL_ERROR_INVALID
 * saying what is wrong ("two @", "space in the address", ...). */
char *mail_address_normalize(const char *text, GError **error);
