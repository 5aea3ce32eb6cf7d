/*
 * test_setup: a campaign against the mail lab through the commands a user
 * runs: a fresh database in a folder of its own, a mailbox, a campaign
 * created from YAML, prospects imported, started; ticks on a simulated
 * clock. A token marks this test's messages in the shared lab.
 */
#pragma once

#include "helpers/test_cli.h"

typedef struct {
	char *dir;
	char *db;
	char *token;
} TestSetup;

/* A fresh folder (named after @name), database and token. */
void test_setup_init(TestSetup *setup, const char *name);
void test_setup_clear(TestSetup *setup);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TestSetup, test_setup_clear)

/* piculet @args --db DB, with $LAB_PW the lab's password. */
void test_setup_piculet(TestSetup *setup, TestCliRun *run, const char *const *args);
/* The same; a failure ends the test with its message. */
void test_setup_piculet_ok(TestSetup *setup, const char *const *args);

/* Mailbox @address of the lab (password from $LAB_PW, or sealed in the
 * database when @more has --store-password-env LAB_PW), then @more options
 * (NULL-terminated, or NULL). */
void test_setup_mailbox(TestSetup *setup, const char *address, const char *const *more);

/* Campaign @name from @yaml (each TOKEN replaced by the token) and the
 * prospects of @csv: created, imported, started. */
void test_setup_campaign(TestSetup *setup, const char *name, const char *yaml, const char *csv);

/* `piculet tick --now @now --json`; its summary's @field ("sent", ...). */
guint test_setup_tick(TestSetup *setup, const char *now, const char *field);
