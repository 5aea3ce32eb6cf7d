/* The API's mailboxes: status, add, edit, remove, pause, resume, check,
 * sign in. */
#include "http/http_api_mailbox.h"

#include "app/app_check.h"
#include "app/app_mailbox.h"
#include "app/app_oauth.h"
#include "app/app_status.h"
#include "engine/engine_oauth.h"
#include "http/http_json.h"
#include "http/http_sign_in.h"
#include "mail/mail_address.h"

#include <string.h>

void
http_api_mailbox_list(HttpExchange *x)
{
	GError *error = NULL;
	g_autoptr(GPtrArray) all = app_status_mailboxes(x->store, x->now_us, &error);
	if (all == NULL) {
		x->error = error;
		return;
	}
	json_t *list = json_array();
	for (guint i = 0; i < all->len; i++) {
		const AppMailboxStatus *s = all->pdata[i];
		const StoreMailbox *m = s->mailbox;
		json_t *item = json_pack(
		        "{s:o, s:o, s:s, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:{s:i, s:i}}",
		        "address", http_json_text(m->address), "name",
		        http_json_text(m->display_name), "activity",
		        app_status_activity_name(s->activity), "sent_today",
		        (json_int_t)s->sent_today, "complaints_30d", (json_int_t)s->complaints_30d,
		        "daily_cap", (json_int_t)m->daily_cap, "paused_reason",
		        http_json_text(m->paused_reason), "paused_until",
		        http_json_time(m->paused_until), "next_send_at",
		        http_json_time(m->next_send_at), "next_due_at",
		        http_json_time(s->next_due_at), "waiting", "paused",
		        (json_int_t)s->n_paused, "uncertain", (json_int_t)s->n_uncertain);
		const char *client = NULL;
		json_object_set_new(item, "oauth",
		                    engine_oauth_mailbox_client(m, &client) ? http_json_text(client)
		                                                            : json_null());
		json_object_set_new(item, "last_error",
		                    s->last_error_at == 0
		                            ? json_null()
		                            : json_pack("{s:o, s:o, s:o}", "at",
		                                        http_json_time(s->last_error_at), "kind",
		                                        http_json_text(s->last_error_kind),
		                                        "detail", http_json_text(s->last_error)));
		json_array_append_new(list, item);
	}
	x->answer = list;
}

/* The settings the body gives (see openapi.json: MailboxSettings); a
 * "password" given in clear is sealed (*@secret holds it meanwhile). */
static bool
settings_of(HttpExchange *x, const char *address, AppMailboxSettings *settings, BaseSecret **secret)
{
	bool ok = true;
	*settings = (AppMailboxSettings){
	        .address = address,
	        .display_name = http_json_body_string(x, "name", &ok),
	        .smtp_host = http_json_body_string(x, "smtp_host", &ok),
	        .smtp_port = (guint16)http_json_body_int(x, "smtp_port", 1, 65535, 0, &ok),
	        .smtp_security = http_json_body_string(x, "smtp_security", &ok),
	        .smtp_user = http_json_body_string(x, "smtp_user", &ok),
	        .imap_host = http_json_body_string(x, "imap_host", &ok),
	        .imap_port = (guint16)http_json_body_int(x, "imap_port", 1, 65535, 0, &ok),
	        .imap_security = http_json_body_string(x, "imap_security", &ok),
	        .imap_user = http_json_body_string(x, "imap_user", &ok),
	        .password = {.env = http_json_body_string(x, "password_env", &ok),
	                     .file = http_json_body_string(x, "password_file", &ok),
	                     .command = http_json_body_string(x, "password_command", &ok)},
	        .daily_cap = http_json_body_int(x, "daily_cap", 0, 100000, -1, &ok),
	        .interval_min_s = http_json_body_int(x, "interval_min", 0, 86400, -1, &ok),
	        .interval_max_s = http_json_body_int(x, "interval_max", 0, 86400, -1, &ok),
	        .signature = http_json_body_string(x, "signature", &ok),
	        .ramp_start = http_json_body_int(x, "ramp_start", 0, 100000, -1, &ok),
	        .ramp_step = http_json_body_int(x, "ramp_step", 0, 100000, -1, &ok),
	        .timezone = http_json_body_string(x, "timezone", &ok),
	        .provider = http_json_body_string(x, "provider", &ok),
	};
	settings->password.oauth = http_json_body_string(x, "oauth", &ok);
	const char *freeze = http_json_body_string(x, "freeze", &ok);
	if (ok && freeze != NULL) {
		settings->freeze_given = true;
		if (!app_mailbox_parse_freeze(freeze, &settings->freeze_from,
		                              &settings->freeze_until)) {
			http_json_fail(x, APP_ERROR_INVALID,
			               "freeze: expected FIRST..LAST days (2026-12-20..2027-01-05) "
			               "or off");
			return false;
		}
	}
	const char *clear = http_json_body_string(x, "password", &ok);
	if (ok && clear != NULL) {
		*secret = base_secret_new(clear, -1);
		settings->password.given = *secret;
	}
	return ok;
}

void
http_api_mailbox_add(HttpExchange *x)
{
	bool ok = true;
	const char *given = http_json_body_string(x, "address", &ok);
	if (!ok)
		return;
	if (given == NULL) {
		http_json_fail(x, APP_ERROR_INVALID, "address: the mailbox's address is needed");
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autofree char *address = mail_address_normalize(given, &error);
	if (address == NULL) {
		g_autofree char *message = g_strdup_printf("address: %s", error->message);
		http_json_fail(x, APP_ERROR_INVALID, message);
		return;
	}
	AppMailboxSettings settings;
	g_autoptr(BaseSecret) secret = NULL;
	if (!settings_of(x, address, &settings, &secret))
		return;
	if (!app_mailbox_add(x->store, &settings, &x->error))
		return;
	x->status = 201;
	x->answer = json_pack("{s:s}", "address", address);
}

void
http_api_mailbox_edit(HttpExchange *x)
{
	g_autofree char *address = http_json_address_param(x, 0);
	AppMailboxSettings settings;
	g_autoptr(BaseSecret) secret = NULL;
	if (address == NULL || !settings_of(x, address, &settings, &secret) ||
	    !app_mailbox_edit(x->store, &settings, &x->error))
		return;
	x->answer = json_pack("{s:s}", "address", address);
}

void
http_api_mailbox_remove(HttpExchange *x)
{
	g_autofree char *address = http_json_address_param(x, 0);
	if (address == NULL || !app_mailbox_remove(x->store, address, &x->error))
		return;
	x->status = 204;
}

static const char *
verdict_name(AppCheckVerdict verdict)
{
	static const char *const names[] = {"ok", "auth", "config", "unavailable"};
	return (gsize)verdict < G_N_ELEMENTS(names) ? names[verdict] : "?";
}

static json_t *
part_json(const AppCheckPart *part)
{
	return json_pack("{s:s, s:o}", "verdict", verdict_name(part->verdict), "failure",
	                 http_json_text(part->failure));
}

static void
check(HttpExchange *x, const char *address)
{
	const char *dns = g_hash_table_lookup(x->query, "dns");
	AppCheckOptions options = {.dns_server = x->dns_server,
	                           .dkim_selector = g_hash_table_lookup(x->query, "dkim_selector"),
	                           .ca_file = x->ca_file,
	                           .skip_dns = g_strcmp0(dns, "false") == 0,
	                           .stop_fd = x->stop_fd};
	g_autoptr(AppCheckReport) report =
	        app_check_mailbox(x->store, address, &options, &x->error);
	if (report == NULL)
		return;
	if (report->stopped) {
		g_message("mailbox check of %s cut short: the server stops", address);
		http_json_fail(x, APP_ERROR_UNAVAILABLE, "the server is stopping: check again");
		return;
	}
	json_t *smtp = part_json(&report->smtp);
	json_object_set_new(smtp, "tls", http_json_text(report->smtp_tls));
	json_t *imap = part_json(&report->imap);
	json_object_set_new(imap, "sent_folder", http_json_text(report->sent_folder));
	json_t *answer = json_pack("{s:s, s:s, s:o, s:o}", "address", address, "verdict",
	                           verdict_name(app_check_report_verdict(report)), "smtp", smtp,
	                           "imap", imap);
	if (report->dns_checked) {
		json_t *findings = json_array();
		static const char *const verdicts[] = {"ok", "warning", "missing"};
		for (guint i = 0; report->dns_findings != NULL && i < report->dns_findings->len;
		     i++) {
			const EngineDnsFinding *f = report->dns_findings->pdata[i];
			json_array_append_new(findings,
			                      json_pack("{s:s, s:o, s:s, s:o}", "what", f->what,
			                                "name", http_json_text(f->name), "verdict",
			                                verdicts[f->verdict], "detail",
			                                http_json_text(f->detail)));
		}
		json_t *dns_part = part_json(&report->dns);
		json_object_set_new(dns_part, "findings", findings);
		json_object_set_new(answer, "dns", dns_part);
	}
	x->answer = answer;
}

void
http_api_mailbox_sign_in(HttpExchange *x)
{
	g_autofree char *address = http_json_address_param(x, 0);
	if (address == NULL)
		return;
	x->answer = http_sign_in_json(x->sign_ins, address);
	if (x->answer == NULL)
		http_json_fail(x, APP_ERROR_NOT_FOUND, "no sign-in of this mailbox was started");
}

void
http_api_mailbox_act(HttpExchange *x)
{
	g_autofree char *address = http_json_address_param(x, 0);
	if (address == NULL)
		return;
	const char *action = x->param[1];
	bool was_paused = true;
	if (strcmp(action, "check") == 0) {
		check(x, address);
		return;
	}
	if (strcmp(action, "authorize") == 0) {
		/* With a place to come back to, the browser's code flow; else the
		 * device grant. */
		json_t *redirect =
		        x->body != NULL ? json_object_get(x->body, "redirect_uri") : NULL;
		if (redirect != NULL && !json_is_string(redirect)) {
			http_json_fail(x, APP_ERROR_INVALID, "redirect_uri is a URL, as text");
			return;
		}
		if (redirect != NULL)
			http_sign_in_start_web(x->sign_ins, address, json_string_value(redirect),
			                       x);
		else
			http_sign_in_start(x->sign_ins, address, x);
		return;
	}
	bool pause = strcmp(action, "pause") == 0;
	if (!pause && strcmp(action, "resume") != 0) {
		http_json_fail(x, APP_ERROR_NOT_FOUND,
		               "a mailbox is paused, resumed, checked or authorized");
		return;
	}
	if (!(pause ? app_mailbox_pause(x->store, address, x->now_us, &x->error)
	            : app_mailbox_resume_with(
	                      x->store, address, x->now_us,
	                      g_strcmp0(g_hash_table_lookup(x->query, "ack_guard"), "true") == 0,
	                      &was_paused, &x->error)))
		return;
	x->answer = json_pack("{s:s, s:b, s:b}", "address", address, "paused", pause, "was_paused",
	                      was_paused);
}

void
http_api_mailbox_report(HttpExchange *x)
{
	StoreStepReport totals;
	g_autoptr(GArray) days = NULL;
	if (!app_mailbox_report(x->store, x->param[0], &totals, &days, &x->error))
		return;
	json_t *per_day = http_json_days(days);
	x->answer = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "mailbox",
	                      http_json_text(x->param[0]), "sent", (json_int_t)totals.sent,
	                      "replied", (json_int_t)totals.replied, "auto_replied",
	                      (json_int_t)totals.auto_replied, "bounced",
	                      (json_int_t)totals.bounced, "opted_out", (json_int_t)totals.opted_out,
	                      "uncertain", (json_int_t)totals.uncertain, "days", per_day);
}

void
http_api_mailbox_oauth_clients(HttpExchange *x)
{
	g_autoptr(GPtrArray) clients = app_oauth_list_clients(x->store, &x->error);
	if (clients == NULL)
		return;
	json_t *list = json_array();
	for (guint i = 0; i < clients->len; i++) {
		const StoreOauthClient *c = clients->pdata[i];
		json_array_append_new(list,
		                      json_pack("{s:o, s:b, s:b}", "name", http_json_text(c->name),
		                                "public", c->secret_sealed == NULL, "device",
		                                c->device_url != NULL && c->device_url[0] != '\0'));
	}
	x->answer = list;
}
