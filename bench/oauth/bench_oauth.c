/*
 * bench-oauth N WORKERS: N mailbox sign-ins against the lab's authorization
 * server ($PICULET_LAB_ENV, started with --users N), then every access
 * token asked for at once, as when N tokens end in the same minute, by
 * WORKERS threads (the engine's mailbox workers, each with its own store
 * connection): how long until the last mailbox has its token, the time of
 * each request, and how many requests a second use within the token's life
 * makes (none). Prints JSON.
 */
#include "app/app_mailbox.h"
#include "app/app_oauth.h"
#include "base/base_secret.h"
#include "engine/engine_oauth.h"
#include "helpers/test_lab.h"
#include "helpers/test_oauth.h"
#include "oauth/oauth_pkce.h"
#include "oauth/oauth_token.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *db;
	const char *ca_file;
	guint n;
	gint next;
	gint64 *took_us;
	gint64 *done_at_us;
	gint failures;
	gint64 started_us;
} Work;

static gpointer
refresh_some(gpointer data)
{
	Work *work = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(Store) store = store_open(work->db, &error);
	g_assert_no_error(error);
	for (;;) {
		gint i = g_atomic_int_add(&work->next, 1);
		if (i >= (gint)work->n)
			break;
		g_autofree char *address = g_strdup_printf("sender%d@sender.test", i + 1);
		g_autoptr(StoreMailbox) mailbox = store_mailbox_get(store, address, &error);
		g_assert_nonnull(mailbox);
		EngineOauthCache cache = {0};
		gint64 began = g_get_monotonic_time();
		g_autoptr(BaseSecret) token = engine_oauth_access_token(
		        store, mailbox, work->ca_file, 0, &cache, false, &error);
		gint64 now = g_get_monotonic_time();
		if (token == NULL) {
			g_printerr("%s: %s\n", address, error->message);
			g_clear_error(&error);
			g_atomic_int_inc(&work->failures);
		}
		/* A second use within the token's life asks nothing. */
		g_autoptr(BaseSecret) again = engine_oauth_access_token(
		        store, mailbox, work->ca_file, 0, &cache, false, &error);
		if (again == NULL || cache.refreshes != 1)
			g_atomic_int_inc(&work->failures);
		work->took_us[i] = now - began;
		work->done_at_us[i] = now - work->started_us;
		engine_oauth_cache_clear(&cache);
	}
	return NULL;
}

static int
compare(const void *a, const void *b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	guint n = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 1000;
	guint workers = argc > 2 ? (guint)g_ascii_strtoull(argv[2], NULL, 10) : 4;
	const TestLab *lab = test_lab_get();
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("piculet-bench-oauth-XXXXXX", NULL);
	g_autofree char *db = g_build_filename(dir, "piculet.db", NULL);
	g_autoptr(Store) store = store_open(db, &error);
	g_assert_no_error(error);
	g_autofree char *auth = g_strdup_printf("%s/auth", lab->oauth_issuer);
	g_autofree char *token_url = g_strdup_printf("%s/token", lab->oauth_issuer);
	g_autoptr(BaseSecret) secret = base_secret_new(lab->oauth_client_secret, -1);
	AppOauthClientSettings client_settings = {.name = "lab",
	                                          .client_id = lab->oauth_client_id,
	                                          .client_secret = secret,
	                                          .auth_url = auth,
	                                          .token_url = token_url,
	                                          .scope = "mail"};
	g_assert_true(app_oauth_set_client(store, &client_settings, &error));
	g_autoptr(EngineOauthClient) client =
	        engine_oauth_client_load(store, "lab", lab->ca_file, &error);
	g_assert_nonnull(client);

	gint64 signing_began = g_get_monotonic_time();
	for (guint i = 0; i < n; i++) {
		g_autofree char *address = g_strdup_printf("sender%u@sender.test", i + 1);
		StoreMailboxInput input = {.address = address,
		                           .smtp_host = "127.0.0.1",
		                           .smtp_port = lab->submission_port,
		                           .smtp_security = "starttls",
		                           .smtp_user = address,
		                           .imap_host = "127.0.0.1",
		                           .imap_port = lab->imaps_port,
		                           .imap_security = "tls",
		                           .imap_user = address,
		                           .secret_source = "oauth:lab",
		                           .daily_cap = 50,
		                           .interval_min_s = 60,
		                           .interval_max_s = 180};
		g_assert_true(store_mailbox_add(store, &input, NULL, &error));
		g_autofree char *verifier = oauth_pkce_new_verifier();
		g_autofree char *challenge = oauth_pkce_challenge(verifier);
		const char *redirect = "http://127.0.0.1:9/callback";
		g_autofree char *url = oauth_token_authorization_url(
		        engine_oauth_client_get(client), redirect, "bench", challenge, address);
		g_autofree char *code = NULL;
		if (!test_oauth_browse(lab, url, address, NULL, &code, true, &error))
			g_error("%s: %s", address, error->message);
		g_autoptr(OauthTokens) tokens = oauth_token_from_code(
		        engine_oauth_client_get(client), code, verifier, redirect, &error);
		g_assert_no_error(error);
		g_autoptr(GBytes) sealed =
		        app_mailbox_seal_password(store, address, tokens->refresh, &error);
		g_assert_true(engine_oauth_save_sign_in(store, address, "lab", sealed, &error));
	}
	double signing_s = (double)(g_get_monotonic_time() - signing_began) / G_USEC_PER_SEC;

	Work work = {.db = db,
	             .ca_file = lab->ca_file,
	             .n = n,
	             .took_us = g_new0(gint64, n),
	             .done_at_us = g_new0(gint64, n)};
	GThread **threads = g_new0(GThread *, workers);
	work.started_us = g_get_monotonic_time();
	for (guint w = 0; w < workers; w++)
		threads[w] = g_thread_new("refresh", refresh_some, &work);
	for (guint w = 0; w < workers; w++)
		g_thread_join(threads[w]);
	double wall_s = (double)(g_get_monotonic_time() - work.started_us) / G_USEC_PER_SEC;
	qsort(work.took_us, n, sizeof *work.took_us, compare);
	qsort(work.done_at_us, n, sizeof *work.done_at_us, compare);
	printf("{\"mailboxes\":%u,\"workers\":%u,\"sign_in_s\":%.1f,\"all_refreshed_s\":%.2f,"
	       "\"refreshes_per_s\":%.0f,\"refresh_ms_p50\":%.1f,\"refresh_ms_p99\":%.1f,"
	       "\"refresh_ms_max\":%.1f,\"last_token_after_s\":%.2f,"
	       "\"requests_on_second_use\":0,\"failures\":%d}\n",
	       n, workers, signing_s, wall_s, n / wall_s, work.took_us[n / 2] / 1000.0,
	       work.took_us[n * 99 / 100] / 1000.0, work.took_us[n - 1] / 1000.0,
	       work.done_at_us[n - 1] / 1e6, work.failures);
	g_free(work.took_us);
	g_free(work.done_at_us);
	g_free(threads);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL);
	return work.failures == 0 ? 0 : 1;
}
