/*
 * base_log: where piculet's log lines go and how much of them.
 *
 * Every layer logs through GLib with its own G_LOG_DOMAIN ("piculet-net",
 * "piculet-smtp", ...). base_log_init() installs one writer that prints
 * "TIME LEVEL DOMAIN: MESSAGE" lines on stderr. g_debug carries protocol
 * traces and state changes, g_message what happened to a message (sent,
 * reply detected), g_warning what is degraded but going on.
 *
 * Call base_log_init() from main() before any thread starts; later calls
 * only change the level.
 *
 * Under systemd (stderr is the journal's stream, $JOURNAL_STREAM), lines
 * go to the journal instead, over its native protocol, with fields: the
 * message, its priority, the domain, and the calling thread's context
 * (the mailbox, campaign, enrollment and Message-ID it works on, set by
 * base_log_context_set), so `journalctl PICULET_MAILBOX=a@b.c` finds
 * one mailbox's lines.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
	BASE_LOG_QUIET,   /* warnings and errors only */
	BASE_LOG_NORMAL,  /* plus g_message and g_info */
	BASE_LOG_VERBOSE, /* plus g_debug: protocol traces (secrets redacted) */
} BaseLogLevel;

void base_log_init(BaseLogLevel level);

/* Changes the level later (a command's --trace, --quiet). */
void base_log_set_level(BaseLogLevel level);

/* The level in force; protocol code asks before building a costly trace. */
BaseLogLevel base_log_get_level(void);

/* What the calling thread works on: journal fields of every line it logs
 * until set again (NULL clears). Values are cut at 255 bytes. */
typedef enum {
	BASE_LOG_MAILBOX,    /* PICULET_MAILBOX: its address */
	BASE_LOG_CAMPAIGN,   /* PICULET_CAMPAIGN: its name */
	BASE_LOG_ENROLLMENT, /* PICULET_ENROLLMENT: its id */
	BASE_LOG_MESSAGE_ID, /* PICULET_MESSAGE_ID: the Message-ID, without <> */
	BASE_LOG_N_FIELDS
} BaseLogField;
void base_log_context_set(BaseLogField field, const char *value);
/* Clears them all. */
void base_log_context_clear(void);

/* Lines to the journal's socket at @socket_path from now on (base_log_init
 * does it when $JOURNAL_STREAM names stderr); false when it cannot be
 * reached, and lines stay on stderr. Main thread, before others start. */
bool base_log_use_journal(const char *socket_path);

/* Whether $JOURNAL_STREAM ("DEVICE:INODE") names the file on fd 2. */
bool base_log_stderr_is_journal(void);
