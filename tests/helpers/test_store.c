#include "helpers/test_store.h"

Store *
test_store_new(const char *prefix, char **dir)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *template = g_strdup_printf("%s-XXXXXX", prefix);
	*dir = g_dir_make_tmp(template, &error);
	g_assert_no_error(error);
	g_autofree char *path = g_build_filename(*dir, "piculet.db", NULL);
	Store *store = store_open(path, &error);
	g_assert_no_error(error);
	return store;
}

void
test_store_remove(Store *store, char *dir)
{
	store_close(store);
	g_autofree char *command = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_true(g_spawn_command_line_sync(command, NULL, NULL, NULL, NULL));
	g_free(dir);
}

int64_t
test_store_add_mailbox(Store *store, const char *address, int daily_cap, GBytes *sealed)
{
	g_autoptr(GError) error = NULL;
	StoreMailboxInput input = {.address = address,
	                           .smtp_host = "127.0.0.1",
	                           .smtp_port = 587,
	                           .smtp_security = "starttls",
	                           .smtp_user = "u",
	                           .imap_host = "127.0.0.1",
	                           .imap_port = 993,
	                           .imap_security = "tls",
	                           .imap_user = "u",
	                           .secret_source = sealed != NULL ? "sealed" : "env:X",
	                           .secret_sealed = sealed,
	                           .daily_cap = daily_cap,
	                           .interval_min_s = 60,
	                           .interval_max_s = 60};
	int64_t id = 0;
	g_assert_true(store_mailbox_add(store, &input, &id, &error));
	g_assert_no_error(error);
	return id;
}

int64_t
test_store_add_campaign(Store *store, const char *name, const char *address, const char *definition)
{
	g_autoptr(GError) error = NULL;
	const char *mailboxes[] = {address};
	StoreStepInput step = {"Hi", "Hello", 0};
	StoreCampaignInput input = {.name = name,
	                            .definition = definition != NULL ? definition : "",
	                            .steps = &step,
	                            .n_steps = 1,
	                            .mailboxes = mailboxes,
	                            .n_mailboxes = 1};
	int64_t id = 0;
	g_assert_true(store_campaign_create(store, &input, &id, &error));
	g_assert_no_error(error);
	return id;
}

int64_t
test_store_enroll_and_send(Store *store, int64_t campaign_id, int64_t mailbox_id, const char *email,
                           int64_t sent_at)
{
	g_autoptr(GError) error = NULL;
	StoreProspectInput prospect = {.email = email};
	StoreProspectResult put;
	g_assert_true(store_prospect_put(store, &prospect, &put, &error));
	StoreEnrollResult enrolled;
	g_assert_true(store_enrollment_add(store, campaign_id, email, false, &enrolled, &error));
	g_autoptr(StoreEnrollment) enrollment =
	        store_enrollment_get(store, campaign_id, email, &error);
	g_assert_no_error(error);
	g_autofree char *message_id = g_strdup_printf("opening-%s", email);
	int64_t message = 0;
	g_assert_true(store_message_begin(store, enrollment->id, 1, 0, mailbox_id, message_id, "Hi",
	                                  sent_at, &message, &error));
	g_assert_true(store_message_finish(store, message, "sent", "250 ok", sent_at, &error));
	g_assert_no_error(error);
	return enrollment->id;
}

int64_t
test_store_add_sent_openings(Store *store, const char *const *emails, int64_t sent_at,
                             int64_t *enrollments)
{
	g_autoptr(GError) error = NULL;
	int64_t mailbox_id = test_store_add_mailbox(store, "alice@sender.test", 50, NULL);
	int64_t campaign_id = test_store_add_campaign(store, "Tracked", "alice@sender.test", NULL);
	bool found = false;
	g_assert_true(store_campaign_set_state(store, "Tracked", "running", &found, &error));
	g_assert_no_error(error);
	for (gsize i = 0; emails[i] != NULL; i++)
		enrollments[i] = test_store_enroll_and_send(store, campaign_id, mailbox_id,
		                                            emails[i], sent_at);
	return campaign_id;
}
