/*
 * test_lab: what an integration test needs of the mail lab
 * (scripts/mail-lab): its addresses and credentials, and ways to act as a
 * prospect (read a mailbox, send, reply, auto-reply) and to wait for
 * delivery with a deadline instead of sleeping.
 *
 * test_lab_get() uses the lab named by $PICULET_LAB_ENV (a lab.env file, as
 * `make test` provides); without it, it starts a lab of its own in a fresh
 * directory and a guardian process that stops it when the test process
 * ends, even by abort(). Sending uses curl, an independent SMTP client, so
 * the lab can be trusted before piculet's own client is.
 *
 * Not thread-safe; the lab is shared by all tests of one process.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	char *dir;                 /* the lab's directory */
	char *host;                /* always "127.0.0.1" */
	uint16_t smtp_port;        /* inbound SMTP (MX), no AUTH */
	uint16_t submission_port;  /* submission, STARTTLS required, AUTH */
	uint16_t submissions_port; /* submission over implicit TLS, AUTH */
	uint16_t imap_port;        /* IMAP, STARTTLS */
	uint16_t imaps_port;       /* IMAP over implicit TLS */
	char *ca_file;             /* CA that signed the servers' certificate */
	char *other_ca_file;       /* a CA that signed nothing of the lab's */
	char *password;            /* every lab user's password */
	char *sender_domain;       /* "sender.test": alice, bob, ... */
	char *prospect_domain;     /* "prospect.test": carol, dave, erin */
	char *bounce_domain;       /* mail to it is accepted, then bounced by DSN */
	char *crowd_domain;        /* "crowd.test": every address lands in crowd_mailbox */
	char *crowd_mailbox;
	char *mail_root;       /* Maildirs at MAIL_ROOT/DOMAIN/USER/Maildir */
	char *dns_server;      /* "127.0.0.1:PORT": the lab's DNS (dnsmasq) */
	char *oauth_issuer;    /* "https://127.0.0.1:PORT": the authorization server */
	char *oauth_client_id; /* a confidential client (its secret below) */
	char *oauth_client_secret;
	char *oauth_public_client_id; /* a public client (no secret) */
	char *oauth_admin_secret;     /* for the lab routes (test_oauth.h) */
	char *oauth_log;              /* the authorization server's log */
	char *dovecot_log;
	char *postfix_log;
} TestLab;

/* The lab for this process; asserts when none can be had. Borrowed. */
const TestLab *test_lab_get(void);

/* "carol@prospect.test" -> the path of that user's INBOX Maildir. */
char *test_lab_maildir(const TestLab *lab, const char *address);

/*
 * Waits up to @timeout_ms for a message in @address's INBOX (new/ or cur/)
 * whose header @header contains @needle (case-sensitive substring), and
 * returns its raw bytes; NULL when none came in time.
 */
GBytes *test_lab_wait_for_message(const TestLab *lab, const char *address, const char *header,
                                  const char *needle, guint timeout_ms);

/* As test_lab_wait_for_message, for a message whose raw text anywhere
 * contains @needle (a DSN quoting our Message-ID, say). */
GBytes *test_lab_wait_for_text(const TestLab *lab, const char *address, const char *needle,
                               guint timeout_ms);

/* Number of messages in @address's INBOX whose raw text contains @needle:
 * "exactly once" checks count Message-IDs with it. */
guint test_lab_count_text(const TestLab *lab, const char *address, const char *needle);

/* The raw bytes (GBytes) of every message in @address's INBOX whose raw
 * text contains @needle, in no particular order. */
GPtrArray *test_lab_dup_texts(const TestLab *lab, const char *address, const char *needle);

/* Number of messages now in @address's INBOX. */
/* Waits until at least @count messages of @address's INBOX hold @needle. */
bool test_lab_wait_for_count(const TestLab *lab, const char *address, const char *needle,
                             guint count, guint timeout_ms);

guint test_lab_count_messages(const TestLab *lab, const char *address);

/*
 * Sends @raw (an RFC 5322 message) from @from to each of @recipients
 * (NULL-terminated) through the lab's submission port with STARTTLS and
 * AUTH as @from. Returns false with the curl message in @error when the
 * server refused; the SMTP reply text is in the message.
 */
bool test_lab_send(const TestLab *lab, const char *from, const char *const *recipients,
                   const char *raw, GError **error);

/*
 * As the recipient of @original (raw bytes), answers it from @from: To the
 * original's Reply-To or From, "Re: " subject, In-Reply-To and References
 * built from the original, @body as text. With @auto_reply, the answer is
 * an out-of-office (Auto-Submitted: auto-replied, X-Autoreply: yes).
 * Returns the Message-ID of the answer (without <>), NULL on failure.
 */
char *test_lab_reply(const TestLab *lab, const char *from, GBytes *original, const char *body,
                     bool auto_reply, GError **error);

/* The value of header @name in raw message @message, unfolded; NULL when
 * absent. */
char *test_lab_header(GBytes *message, const char *name);
