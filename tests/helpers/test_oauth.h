/*
 * test_oauth: the person at the browser, for sign-in tests against the
 * lab's authorization server (scripts/oauth-lab): follows redirects,
 * keeps cookies, and fills in and posts each page's form (hidden fields
 * as they are; login, password and user_code as given) until the server
 * sends the browser back to piculet's loopback listener (whose answer must
 * be 200) or shows that a device sign-in is done. libcurl, trusting the
 * lab's CA. Also the lab's test routes: end an account's access tokens or
 * its whole grant, and list its live tokens.
 */
#pragma once

#include "helpers/test_lab.h"

#include <glib.h>
#include <stdbool.h>

/* Signs @login in at @url (the authorization URL piculet printed, or the
 * device page with @user_code). False with the reason in @error. The
 * authorization code the browser carried back, when there was one, in
 * *@code (may be NULL); with @stop_at_code the browser stops there instead
 * of taking it to the loopback listener (for a caller that exchanges it
 * itself). */
bool test_oauth_browse(const TestLab *lab, const char *url, const char *login,
                       const char *user_code, char **code, bool stop_at_code, GError **error);

/* "expire": @account's access tokens end; "revoke": its grants too. */
void test_oauth_lab_end(const TestLab *lab, const char *what, const char *account);

/* After @skip more checks of @account's tokens pass, the next @count are
 * answered "not active" (a token ended early). */
void test_oauth_lab_refuse(const TestLab *lab, const char *account, guint skip, guint count);

/* The lab's token endpoint holds every request from now (@hold) until
 * called again with false, which lets the held ones go on in order. */
void test_oauth_lab_hold_tokens(const TestLab *lab, bool hold);

/* @account's live access and refresh tokens (char *). */
GPtrArray *test_oauth_lab_tokens(const TestLab *lab, const char *account);

/* How many lines of the authorization server's log contain @needle. */
guint test_oauth_log_count(const TestLab *lab, const char *needle);
