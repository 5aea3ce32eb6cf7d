#include "engine/engine_compose.h"

#include "engine/engine_tracking.h"

#include "engine/engine_error.h"
#include "mail/mail_compose.h"
#include "tmpl/tmpl_template.h"

#include <string.h>

void
engine_compose_clear(EngineComposed *composed)
{
	g_free(composed->subject);
	g_free(composed->body);
	g_free(composed->message_id);
	if (composed->bytes != NULL)
		g_bytes_unref(composed->bytes);
	memset(composed, 0, sizeof *composed);
}

typedef struct {
	const EngineComposeSpec *spec;
	char *sender_first_name;
	char *sender_last_name;
} Lookup;

static const char *
non_empty(const char *text)
{
	return text != NULL && text[0] != '\0' ? text : NULL;
}

const char *
engine_compose_prospect_value(const StoreProspect *prospect, const char *field)
{
	if (strcmp(field, "email") == 0)
		return prospect->email;
	if (strcmp(field, "first_name") == 0)
		return non_empty(prospect->first_name);
	if (strcmp(field, "last_name") == 0)
		return non_empty(prospect->last_name);
	if (strcmp(field, "company") == 0)
		return non_empty(prospect->company);
	if (strcmp(field, "timezone") == 0)
		return non_empty(prospect->timezone);
	return prospect->fields != NULL ? non_empty(g_hash_table_lookup(prospect->fields, field))
	                                : NULL;
}

static const char *
lookup(const char *field, void *user_data)
{
	Lookup *values = user_data;
	const StoreMailbox *mailbox = values->spec->mailbox;
	if (!g_str_has_prefix(field, "sender."))
		return engine_compose_prospect_value(values->spec->prospect, field);
	const char *name = field + strlen("sender.");
	if (strcmp(name, "email") == 0 || strcmp(name, "address") == 0)
		return mailbox->address;
	if (strcmp(name, "name") == 0)
		return non_empty(mailbox->display_name);
	if (strcmp(name, "first_name") == 0)
		return non_empty(values->sender_first_name);
	if (strcmp(name, "last_name") == 0)
		return non_empty(values->sender_last_name);
	if (strcmp(name, "signature") == 0)
		return non_empty(mailbox->signature);
	return NULL;
}

static char *
render(const char *text, const char *where, Lookup *values, uint64_t seed, bool header,
       GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(TmplTemplate) tmpl = tmpl_template_parse(text, where, &local);
	char *out = tmpl != NULL ? tmpl_template_render(tmpl, lookup, values, seed, header, &local)
	                         : NULL;
	if (out == NULL)
		g_set_error_literal(error, ENGINE_ERROR, ENGINE_ERROR_INPUT, local->message);
	return out;
}

/* "Re: " + @subject, unless it starts so already. */
static char *
reply_subject(const char *subject)
{
	if (g_ascii_strncasecmp(subject, "re:", 3) == 0)
		return g_strdup(subject);
	return g_strdup_printf("Re: %s", subject);
}

static char *
with_signature(char *body, const char *signature)
{
	if (signature == NULL || signature[0] == '\0')
		return body;
	g_autofree char *own = body;
	const char *gap = g_str_has_suffix(own, "\n") ? "\n" : "\n\n";
	return g_strdup_printf("%s%s-- \n%s%s", own, gap, signature,
	                       g_str_has_suffix(signature, "\n") ? "" : "\n");
}

bool
engine_compose_step(const EngineComposeSpec *spec, EngineComposed *composed, GError **error)
{
	const EngineCampaign *campaign = spec->campaign;
	g_return_val_if_fail(spec->step >= 1 && (guint)spec->step <= campaign->steps->len, false);
	memset(composed, 0, sizeof *composed);
	const EngineCampaignStep *step = campaign->steps->pdata[spec->step - 1];
	const EngineCampaignStep *first = campaign->steps->pdata[0];
	Lookup values = {.spec = spec};
	g_auto(GStrv) names = g_strsplit(
	        spec->mailbox->display_name != NULL ? spec->mailbox->display_name : "", " ", 2);
	values.sender_first_name = names[0] != NULL ? g_strdup(names[0]) : NULL;
	values.sender_last_name = names[0] != NULL && names[1] != NULL ? g_strdup(names[1]) : NULL;
	const char *key = spec->prospect->email;
	bool ok = false;
	g_autofree char *where_body = g_strdup_printf("step %d body", spec->step);
	g_autofree char *where_subject = g_strdup_printf("step %d subject", spec->step);
	g_autofree char *first_subject = NULL;
	g_autoptr(GPtrArray) references = g_ptr_array_new();
	g_autoptr(GError) local = NULL;
	g_autofree char *html = NULL;
	g_autofree char *unsubscribe =
	        campaign->list_unsubscribe
	                ? g_strdup_printf("%s?subject=unsubscribe", spec->mailbox->address)
	                : NULL;
	const char *subject = engine_campaign_variant_subject(step, spec->variant);
	const char *body = engine_campaign_variant_body(step, spec->variant);
	if (step->variants != NULL) {
		g_free(where_body);
		g_free(where_subject);
		char letter = engine_campaign_variant_letter(spec->variant);
		where_body = g_strdup_printf("step %d variant %c body", spec->step, letter);
		where_subject = g_strdup_printf("step %d variant %c subject", spec->step, letter);
	}
	composed->body = render(body, where_body, &values, tmpl_template_seed(key, spec->step),
	                        false, error);
	if (composed->body == NULL)
		goto out;
	composed->body = with_signature(composed->body, spec->mailbox->signature);
	if (subject != NULL) {
		composed->subject = render(subject, where_subject, &values,
		                           tmpl_template_seed(key, spec->step), true, error);
	} else {
		if (spec->first_subject != NULL)
			first_subject = g_strdup(spec->first_subject);
		else
			first_subject = render(
			        engine_campaign_variant_subject(first, spec->first_variant),
			        "step 1 subject", &values, tmpl_template_seed(key, 1), true, error);
		if (first_subject != NULL)
			composed->subject = reply_subject(first_subject);
	}
	if (composed->subject == NULL)
		goto out;
	const char *to[] = {spec->prospect->email, NULL};
	bool threaded = subject == NULL && spec->thread != NULL && spec->thread->len > 0;
	if (threaded) {
		for (guint i = 0; i < spec->thread->len; i++)
			g_ptr_array_add(references, spec->thread->pdata[i]);
		g_ptr_array_add(references, NULL);
	}
	if ((campaign->track_opens || campaign->track_clicks) && spec->tracking_key != NULL &&
	    campaign->tracking_domain != NULL)
		html = engine_tracking_html(composed->body, spec->tracking_key,
		                            campaign->tracking_domain, spec->enrollment_id,
		                            spec->step, campaign->track_opens,
		                            campaign->track_clicks);
	MailComposeSpec mail = {
	        .body_html = html,
	        .from_name = non_empty(spec->mailbox->display_name),
	        .from_address = spec->mailbox->address,
	        .to = to,
	        .subject = composed->subject,
	        .body_text = composed->body,
	        .message_id = spec->message_id,
	        .date = spec->date,
	        .in_reply_to = threaded ? spec->thread->pdata[spec->thread->len - 1] : NULL,
	        .references = threaded ? (const char *const *)references->pdata : NULL,
	        .unsubscribe_mailto = unsubscribe,
	        .unsubscribe_url = campaign->list_unsubscribe ? spec->unsubscribe_url : NULL,
	};
	composed->bytes = mail_compose_message(&mail, &composed->message_id, &local);
	if (composed->bytes == NULL) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT, "step %d: %s", spec->step,
		            local->message);
		goto out;
	}
	ok = true;
out:
	g_free(values.sender_first_name);
	g_free(values.sender_last_name);
	if (!ok)
		engine_compose_clear(composed);
	return ok;
}
