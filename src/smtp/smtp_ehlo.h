/*
 * smtp_ehlo: what a server offers, read from its EHLO reply (RFC 5321
 * 4.1.1.1 and the extensions' RFCs). Pure. Unknown keywords are ignored;
 * keywords are case-insensitive.
 */
#pragma once

#include "smtp/smtp_reply.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
	SMTP_AUTH_PLAIN = 1 << 0,
	SMTP_AUTH_LOGIN = 1 << 1,
	SMTP_AUTH_XOAUTH2 = 1 << 2,
	SMTP_AUTH_OAUTHBEARER = 1 << 3,
} SmtpAuthMechanism;

/* Plain data: the capabilities of one session, cleared and read again after
 * STARTTLS (RFC 3207 4.2). */
typedef struct {
	bool esmtp;               /* EHLO answered 250 (else HELO was used) */
	bool starttls;            /* STARTTLS (RFC 3207) */
	bool pipelining;          /* PIPELINING (RFC 2920) */
	bool eightbitmime;        /* 8BITMIME (RFC 6152) */
	bool smtputf8;            /* SMTPUTF8 (RFC 6531) */
	bool enhanced_status;     /* ENHANCEDSTATUSCODES (RFC 2034) */
	bool dsn;                 /* DSN (RFC 3461) */
	bool chunking;            /* CHUNKING (RFC 3030) */
	bool size_declared;       /* SIZE was offered */
	uint64_t size_max_bytes;  /* SIZE n; 0 when offered without a limit */
	unsigned auth_mechanisms; /* SmtpAuthMechanism bits of AUTH (and AUTH=) */
} SmtpCapabilities;

/* Reads the capabilities from a 250 EHLO reply (first line: the server's
 * name). Never fails: what it does not understand, it skips. */
void smtp_ehlo_parse(const SmtpReply *reply, SmtpCapabilities *capabilities);

/* "PLAIN" for SMTP_AUTH_PLAIN, ... */
const char *smtp_ehlo_mechanism_name(SmtpAuthMechanism mechanism);
