/*
 * test_lab_imap: a logged-in IMAP session (piculet's own client) to one of
 * the lab's mailboxes over implicit TLS, for tests that put mail where a
 * provider would (a copy in Sent, a reply filed in Junk). Kept apart from
 * test_lab so that tests which never use it need not link the IMAP layer.
 */
#pragma once

#include "helpers/test_lab.h"
#include "imap/imap_client.h"

/* Asserts the login works. The caller logs out and frees. */
ImapClient *test_lab_imap_login(const TestLab *lab, const char *user);
