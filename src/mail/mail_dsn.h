/*
 * mail_dsn: reads the body of a message/delivery-status part (RFC 3464
 * section 2): a per-message block, then one block per recipient with
 * Final-Recipient, Original-Recipient, Action, Status, Remote-MTA and
 * Diagnostic-Code. Pure and tolerant: fields it does not know are skipped,
 * folded lines are unfolded, at most 100 recipients are kept.
 */
#pragma once

#include <glib.h>

typedef struct {
	char *recipient;  /* Original-Recipient when an rfc822 address (the one we
	                   * wrote to, xtext decoded), else Final-Recipient */
	char *action;     /* "failed", "delayed", "delivered", "relayed", "expanded" */
	char *status;     /* "5.1.1" */
	char *diagnostic; /* Diagnostic-Code text after "smtp;" */
	int reply_code;   /* the SMTP code in Diagnostic-Code, or 0 */
	char *remote_mta; /* Remote-MTA, after "dns;" */
} MailDsnRecipient;

/* The recipients of a delivery-status text; a new array of MailDsnRecipient
 * (freed with g_ptr_array_unref). Empty when the text holds none. */
GPtrArray *mail_dsn_parse(const char *text);
