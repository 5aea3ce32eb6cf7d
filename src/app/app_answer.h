/*
 * app_answer: a person answers a reply (the dashboard's replies inbox, or
 * the API): the answer goes out through the SMTP of the mailbox the reply
 * came to, threaded under it (In-Reply-To, References), and is filed in
 * that mailbox's Sent folder unless the provider files it itself. The
 * prospect's sequence is not touched: the reply stopped it.
 *
 * Never twice: the answer's row is written before it is sent, under the
 * key its page made (request_key); the same key again finds the row and
 * sends nothing. A connection lost after the message was handed over
 * leaves the answer "uncertain", never sent again by itself.
 */
#pragma once

#include "store/store.h"

#include <glib.h>

typedef struct {
	const char *ca_file; /* trusted besides the system's; NULL: none */
	int stop_fd;         /* readable: give up waiting (-1: none) */
} AppAnswerOptions;

/* Sends @text as @author's answer to reply @reply_id, once per
 * @request_key (8 to 100 characters of the page's choosing); the stored
 * answer with its state. *@again true when @request_key had been used:
 * nothing was sent this time. APP_ERROR_NOT_FOUND (no such reply),
 * APP_ERROR_INVALID (empty text, a bad key, a reply with no sender or
 * mailbox), APP_ERROR_CONFIG/SIGN_IN (the mailbox's password or sign-in),
 * APP_ERROR_UNAVAILABLE (the SMTP server could not be reached or refused:
 * its words; the answer is stored as failed). */
StoreAnswer *app_answer_send(Store *store, int64_t reply_id, const char *text,
                             const char *request_key, const char *author,
                             const AppAnswerOptions *options, bool *again, GError **error);
