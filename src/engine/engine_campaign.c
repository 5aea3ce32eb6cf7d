#include "engine/engine_campaign.h"

#include "base/base_zone.h"

#include "base/base_error.h"
#include "engine/engine_duration.h"
#include "engine/engine_error.h"
#include "engine/engine_freemail.h"
#include "engine/engine_holidays.h"
#include "mail/mail_address.h"
#include "mail/mail_compose.h"
#include "tmpl/tmpl_template.h"

#include <libfyaml.h>
#include <string.h>

/* Big enough for any campaign a person writes; small enough to refuse a
 * file that is not one. */
#define MAX_FILE_BYTES     ((gsize)1024 * 1024)
#define MAX_STEPS          20
#define MAX_MAILBOXES      1000
#define MAX_PUBLIC_DOMAINS 1000

typedef struct {
	const char *name; /* the file, for errors */
	EngineCampaign *campaign;
	GError *error;            /* the first error */
	struct fy_node *last_key; /* the place of errors about a list or mapping */
} Reader;

static void fail_at(Reader *reader, struct fy_node *node, const char *format, ...)
        G_GNUC_PRINTF(3, 4);

/* Records the first error as "FILE:LINE:COLUMN: WHAT", at @node's place. */
static void
fail_at(Reader *reader, struct fy_node *node, const char *format, ...)
{
	if (reader->error != NULL)
		return;
	int line = 0;
	int column = 0;
	/* Only scalars carry a token; a list or mapping is placed at its key. */
	if (node == NULL || !fy_node_is_scalar(node))
		node = reader->last_key;
	struct fy_token *token = node != NULL ? fy_node_get_scalar_token(node) : NULL;
	const struct fy_mark *mark = token != NULL ? fy_token_start_mark(token) : NULL;
	if (mark != NULL) {
		line = mark->line + 1;
		column = mark->column + 1;
	}
	va_list args;
	va_start(args, format);
	g_autofree char *what = g_strdup_vprintf(format, args);
	va_end(args);
	if (mark != NULL)
		g_set_error(&reader->error, ENGINE_ERROR, ENGINE_ERROR_INPUT, "%s:%d:%d: %s",
		            reader->name, line, column, what);
	else
		g_set_error(&reader->error, ENGINE_ERROR, ENGINE_ERROR_INPUT, "%s: %s",
		            reader->name, what);
}

/* The scalar text of @node (NUL-terminated copy) or NULL with an error. */
static char *
scalar_dup(Reader *reader, struct fy_node *node, const char *key)
{
	if (node == NULL || !fy_node_is_scalar(node) || fy_node_is_alias(node)) {
		fail_at(reader, node, "%s: expected a single value", key);
		return NULL;
	}
	size_t length = 0;
	const char *text = fy_node_get_scalar(node, &length);
	if (text == NULL || memchr(text, '\0', length) != NULL) {
		fail_at(reader, node, "%s: not a text value", key);
		return NULL;
	}
	char *copy = g_strndup(text, length);
	if (!g_utf8_validate(copy, -1, NULL)) {
		fail_at(reader, node, "%s: not valid UTF-8", key);
		g_free(copy);
		return NULL;
	}
	return copy;
}

static bool
read_bool(Reader *reader, struct fy_node *node, const char *key, bool *value)
{
	g_autofree char *text = scalar_dup(reader, node, key);
	if (text == NULL)
		return false;
	if (g_ascii_strcasecmp(text, "true") == 0 || g_ascii_strcasecmp(text, "yes") == 0) {
		*value = true;
		return true;
	}
	if (g_ascii_strcasecmp(text, "false") == 0 || g_ascii_strcasecmp(text, "no") == 0) {
		*value = false;
		return true;
	}
	fail_at(reader, node, "%s: expected true or false, not \"%s\"", key, text);
	return false;
}

static bool
read_int(Reader *reader, struct fy_node *node, const char *key, int min, int max, int *value)
{
	g_autofree char *text = scalar_dup(reader, node, key);
	if (text == NULL)
		return false;
	guint64 number = 0;
	if (!g_ascii_string_to_unsigned(text, 10, (guint64)min, (guint64)max, &number, NULL)) {
		fail_at(reader, node, "%s: expected a whole number from %d to %d, not \"%s\"", key,
		        min, max, text);
		return false;
	}
	*value = (int)number;
	return true;
}

static bool
read_template(Reader *reader, struct fy_node *node, const char *key, int step, char **value)
{
	g_autofree char *text = scalar_dup(reader, node, key);
	if (text == NULL)
		return false;
	g_autofree char *trimmed = g_strstrip(g_strdup(text));
	if (trimmed[0] == '\0') {
		fail_at(reader, node, "step %d: %s is empty", step, key);
		return false;
	}
	g_autofree char *where = g_strdup_printf("step %d %s", step, key);
	g_autoptr(GError) error = NULL;
	g_autoptr(TmplTemplate) tmpl = tmpl_template_parse(text, where, &error);
	if (tmpl == NULL) {
		fail_at(reader, node, "%s", error->message);
		return false;
	}
	*value = g_steal_pointer(&text);
	return true;
}

static void
variant_free(gpointer data)
{
	EngineCampaignVariant *variant = data;
	g_free(variant->subject);
	g_free(variant->body);
	g_free(variant);
}

static void
step_free(gpointer data)
{
	EngineCampaignStep *step = data;
	g_free(step->subject);
	g_free(step->body);
	if (step->variants != NULL)
		g_ptr_array_unref(step->variants);
	engine_condition_free(step->condition);
	g_free(step->task);
	g_free(step->note);
	g_free(step);
}

/* One item of variants: a mapping of subject and/or body. */
static bool
read_variant(Reader *reader, struct fy_node *node, int number, int index)
{
	char letter = engine_campaign_variant_letter(index);
	if (!fy_node_is_mapping(node)) {
		fail_at(reader, node, "step %d: variant %c: expected keys subject, body", number,
		        letter);
		return false;
	}
	EngineCampaignStep *step = reader->campaign->steps->pdata[number - 1];
	EngineCampaignVariant *variant = g_new0(EngineCampaignVariant, 1);
	g_ptr_array_add(step->variants, variant);
	g_autofree char *subject_key = g_strdup_printf("variant %c subject", letter);
	g_autofree char *body_key = g_strdup_printf("variant %c body", letter);
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(node, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		struct fy_node *value = fy_node_pair_value(pair);
		g_autofree char *key = scalar_dup(reader, key_node, "key");
		if (key == NULL)
			return false;
		if (strcmp(key, "subject") == 0) {
			if (!read_template(reader, value, subject_key, number, &variant->subject))
				return false;
		} else if (strcmp(key, "body") == 0) {
			if (!read_template(reader, value, body_key, number, &variant->body))
				return false;
		} else {
			fail_at(reader, key_node,
			        "step %d: variant %c: unknown key \"%s\" (known: subject, body)",
			        number, letter, key);
			return false;
		}
	}
	if (variant->subject == NULL && variant->body == NULL) {
		fail_at(reader, node, "step %d: variant %c: give it a subject, a body or both",
		        number, letter);
		return false;
	}
	return true;
}

static bool
read_variants(Reader *reader, struct fy_node *node, int number)
{
	if (!fy_node_is_sequence(node)) {
		fail_at(reader, node, "step %d: variants: expected a list of subjects and bodies",
		        number);
		return false;
	}
	EngineCampaignStep *step = reader->campaign->steps->pdata[number - 1];
	step->variants = g_ptr_array_new_with_free_func(variant_free);
	void *iter = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(node, &iter)) != NULL) {
		if (step->variants->len >= ENGINE_CAMPAIGN_MAX_VARIANTS) {
			fail_at(reader, item, "step %d: variants: at most %d", number,
			        ENGINE_CAMPAIGN_MAX_VARIANTS);
			return false;
		}
		if (!read_variant(reader, item, number, (int)step->variants->len))
			return false;
	}
	if (step->variants->len < 2) {
		fail_at(reader, node, "step %d: variants: at least two (A and B)", number);
		return false;
	}
	return true;
}

/* winner: {after: 100, confidence: 95}, or "off". */
static bool
read_winner(Reader *reader, struct fy_node *node, int number, EngineWinnerRule *rule)
{
	rule->confidence = ENGINE_CAMPAIGN_WINNER_CONFIDENCE;
	if (fy_node_is_scalar(node)) {
		g_autofree char *text = scalar_dup(reader, node, "winner");
		if (text != NULL && g_ascii_strcasecmp(text, "off") == 0) {
			rule->after = 0;
			return true;
		}
	}
	if (!fy_node_is_mapping(node)) {
		fail_at(reader, node,
		        "step %d: winner: expected {after: 100, confidence: 95} or off", number);
		return false;
	}
	rule->after = -1;
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(node, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		struct fy_node *value = fy_node_pair_value(pair);
		g_autofree char *key = scalar_dup(reader, key_node, "key");
		if (key == NULL)
			return false;
		if (strcmp(key, "after") == 0) {
			if (!read_int(reader, value, "winner: after", 1, 1000000, &rule->after))
				return false;
		} else if (strcmp(key, "confidence") == 0) {
			if (!read_int(reader, value, "winner: confidence", 80, 99,
			              &rule->confidence))
				return false;
		} else {
			fail_at(reader, key_node,
			        "step %d: winner: unknown key \"%s\" (known: after, confidence)",
			        number, key);
			return false;
		}
	}
	if (rule->after < 0) {
		fail_at(reader, node,
		        "step %d: winner: after is missing (messages of each variant before a "
		        "pick)",
		        number);
		return false;
	}
	return true;
}

/* With variants: each one made whole from the step's text, A's copied to
 * the step's own, every one able to go out. */
static bool
settle_variants(Reader *reader, struct fy_node *node, int number)
{
	EngineCampaignStep *step = reader->campaign->steps->pdata[number - 1];
	for (guint i = 0; i < step->variants->len; i++) {
		EngineCampaignVariant *variant = step->variants->pdata[i];
		char letter = engine_campaign_variant_letter((int)i);
		if (variant->subject == NULL && step->subject != NULL)
			variant->subject = g_strdup(step->subject);
		if (variant->body == NULL && step->body != NULL)
			variant->body = g_strdup(step->body);
		if (variant->body == NULL) {
			fail_at(reader, node, "step %d: variant %c has no body, nor has the step",
			        number, letter);
			return false;
		}
		if (number == 1 && variant->subject == NULL) {
			fail_at(reader, node,
			        "step 1: variant %c has no subject, nor has the step (an opening "
			        "email needs one)",
			        letter);
			return false;
		}
		for (guint j = 0; j < i; j++) {
			const EngineCampaignVariant *other = step->variants->pdata[j];
			if (g_strcmp0(other->subject, variant->subject) == 0 &&
			    strcmp(other->body, variant->body) == 0) {
				fail_at(reader, node, "step %d: variants %c and %c are the same",
				        number, engine_campaign_variant_letter((int)j), letter);
				return false;
			}
		}
	}
	const EngineCampaignVariant *a = step->variants->pdata[0];
	g_free(step->subject);
	g_free(step->body);
	step->subject = g_strdup(a->subject);
	step->body = g_strdup(a->body);
	return true;
}

/* A task step: a kind, maybe a note, no email of its own. */
static bool
task_step(Reader *reader, struct fy_node *task, int number, bool is_task, bool has_email,
          bool has_delay)
{
	if (!is_task) {
		fail_at(reader, task, "step %d: note: only a task step has one (task: call)",
		        number);
		return false;
	}
	if (number == 1) {
		fail_at(reader, task,
		        "step 1: task: the first step is an email (a task comes after one)");
		return false;
	}
	if (has_email) {
		fail_at(reader, task,
		        "step %d: task: a task step has no subject, body or variants (a person "
		        "does it; the next step writes)",
		        number);
		return false;
	}
	if (!has_delay) {
		fail_at(reader, task,
		        "step %d: delay is missing (like \"3d\": how long after step %d)", number,
		        number - 1);
		return false;
	}
	return true;
}

static bool
read_step(Reader *reader, struct fy_node *node, int number)
{
	if (!fy_node_is_mapping(node)) {
		fail_at(reader, node, "step %d: expected keys subject, body, delay", number);
		return false;
	}
	EngineCampaignStep *step = g_new0(EngineCampaignStep, 1);
	g_ptr_array_add(reader->campaign->steps, step);
	struct fy_node *body = NULL;
	struct fy_node *delay = NULL;
	struct fy_node *variants = NULL;
	struct fy_node *winner = NULL;
	struct fy_node *task = NULL;
	struct fy_node *note = NULL;
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(node, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		struct fy_node *value = fy_node_pair_value(pair);
		g_autofree char *key = scalar_dup(reader, key_node, "key");
		if (key == NULL)
			return false;
		if (strcmp(key, "subject") == 0) {
			if (!read_template(reader, value, "subject", number, &step->subject))
				return false;
		} else if (strcmp(key, "body") == 0) {
			body = value;
			if (!read_template(reader, value, "body", number, &step->body))
				return false;
		} else if (strcmp(key, "delay") == 0) {
			delay = value;
			g_autofree char *text = scalar_dup(reader, value, "delay");
			const char *reason = NULL;
			if (text == NULL)
				return false;
			if (!engine_duration_parse(text, &step->delay_s, &reason)) {
				fail_at(reader, value, "step %d: delay \"%s\": %s", number, text,
				        reason);
				return false;
			}
		} else if (strcmp(key, "variants") == 0) {
			variants = key_node;
			reader->last_key = key_node;
			if (!read_variants(reader, value, number))
				return false;
		} else if (strcmp(key, "if") == 0) {
			g_autofree char *text = scalar_dup(reader, value, "if");
			const char *why = NULL;
			if (text == NULL)
				return false;
			if (number == 1) {
				fail_at(reader, key_node,
				        "step 1: if: an opening email is never skipped (leave the "
				        "prospect out of the list instead)");
				return false;
			}
			step->condition = engine_condition_parse(text, &why);
			if (step->condition == NULL) {
				fail_at(reader, value, "step %d: if \"%s\": %s", number, text, why);
				return false;
			}
		} else if (strcmp(key, "task") == 0) {
			task = key_node;
			step->task = scalar_dup(reader, value, "task");
			if (step->task == NULL)
				return false;
			bool word = step->task[0] != '\0';
			for (const char *c = step->task; *c != '\0'; c++)
				word = word && (g_ascii_islower(*c) || *c == '_');
			if (!word) {
				fail_at(reader, value,
				        "step %d: task: one word for what to do, like call or "
				        "linkedin",
				        number);
				return false;
			}
		} else if (strcmp(key, "note") == 0) {
			note = key_node;
			step->note = scalar_dup(reader, value, "note");
			if (step->note == NULL)
				return false;
		} else if (strcmp(key, "winner") == 0) {
			winner = key_node;
			reader->last_key = key_node;
			if (!read_winner(reader, value, number, &step->winner))
				return false;
		} else {
			fail_at(reader, key_node,
			        "step %d: unknown key \"%s\" (known: subject, body, delay, "
			        "variants, "
			        "winner)",
			        number, key);
			return false;
		}
	}
	if (task != NULL || step->note != NULL)
		return task_step(reader, task != NULL ? task : note, number, task != NULL,
		                 body != NULL || variants != NULL || step->subject != NULL,
		                 delay != NULL);
	if (winner != NULL && variants == NULL) {
		fail_at(reader, winner, "step %d: winner: the step has no variants to pick from",
		        number);
		return false;
	}
	if (variants != NULL && !settle_variants(reader, variants, number))
		return false;
	if (step->body == NULL) {
		fail_at(reader, node, "step %d: body is missing", number);
		return false;
	}
	if (number == 1 && step->subject == NULL) {
		fail_at(reader, body,
		        "step 1: subject is missing (only follow-ups may leave it "
		        "out, to reply in the same thread)");
		return false;
	}
	if (number > 1 && delay == NULL) {
		fail_at(reader, body,
		        "step %d: delay is missing (like \"3d\": how long after "
		        "step %d)",
		        number, number - 1);
		return false;
	}
	return true;
}

static bool
read_steps(Reader *reader, struct fy_node *node)
{
	if (!fy_node_is_sequence(node)) {
		fail_at(reader, node, "steps: expected a list of steps");
		return false;
	}
	void *iter = NULL;
	struct fy_node *item;
	int number = 0;
	while ((item = fy_node_sequence_iterate(node, &iter)) != NULL) {
		if (++number > MAX_STEPS) {
			fail_at(reader, item, "steps: at most %d", MAX_STEPS);
			return false;
		}
		if (!read_step(reader, item, number))
			return false;
	}
	if (number == 0) {
		fail_at(reader, node, "steps: at least one step is needed");
		return false;
	}
	return true;
}

static bool
add_mailbox(Reader *reader, struct fy_node *node)
{
	g_autofree char *text = scalar_dup(reader, node, "mailboxes");
	if (text == NULL)
		return false;
	g_autoptr(GError) error = NULL;
	char *address = mail_address_normalize(text, &error);
	if (address == NULL) {
		fail_at(reader, node, "mailboxes: %s", error->message);
		return false;
	}
	GPtrArray *mailboxes = reader->campaign->mailboxes;
	for (guint i = 0; i < mailboxes->len; i++) {
		if (strcmp(mailboxes->pdata[i], address) == 0) {
			fail_at(reader, node, "mailboxes: %s is named twice", address);
			g_free(address);
			return false;
		}
	}
	if (mailboxes->len >= MAX_MAILBOXES) {
		fail_at(reader, node, "mailboxes: at most %d", MAX_MAILBOXES);
		g_free(address);
		return false;
	}
	g_ptr_array_add(mailboxes, address);
	return true;
}

static bool
read_mailboxes(Reader *reader, struct fy_node *node)
{
	if (fy_node_is_scalar(node))
		return add_mailbox(reader, node);
	if (!fy_node_is_sequence(node)) {
		fail_at(reader, node, "mailboxes: expected a list of addresses");
		return false;
	}
	void *iter = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(node, &iter)) != NULL)
		if (!add_mailbox(reader, item))
			return false;
	if (reader->campaign->mailboxes->len == 0) {
		fail_at(reader, node, "mailboxes: at least one is needed");
		return false;
	}
	return true;
}

/* policies: public_domains: [mail.example, ...]: more public mailbox
 * providers, beyond piculet's own list, where a shared domain is not a
 * shared company. */
static bool
add_public_domain(Reader *reader, struct fy_node *node)
{
	g_autofree char *text = scalar_dup(reader, node, "public_domains");
	if (text == NULL)
		return false;
	const char *domain = text[0] == '@' ? text + 1 : text;
	g_autofree char *probe = g_strdup_printf("x@%s", domain);
	g_autoptr(GError) error = NULL;
	g_autofree char *normal =
	        strchr(domain, '@') == NULL ? mail_address_normalize(probe, &error) : NULL;
	if (normal == NULL) {
		fail_at(reader, node, "public_domains: \"%s\" is not a domain", text);
		return false;
	}
	if (reader->campaign->public_domains->len >= MAX_PUBLIC_DOMAINS) {
		fail_at(reader, node, "public_domains: at most %d", MAX_PUBLIC_DOMAINS);
		return false;
	}
	g_ptr_array_add(reader->campaign->public_domains, g_strdup(strchr(normal, '@') + 1));
	return true;
}

static bool
read_public_domains(Reader *reader, struct fy_node *node)
{
	if (fy_node_is_scalar(node))
		return add_public_domain(reader, node);
	if (!fy_node_is_sequence(node)) {
		fail_at(reader, node, "public_domains: expected a list of domains");
		return false;
	}
	void *iter = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(node, &iter)) != NULL)
		if (!add_public_domain(reader, item))
			return false;
	return true;
}

static bool
read_window(Reader *reader, struct fy_node *node)
{
	EngineWindow *window = &reader->campaign->window;
	const char *reason = NULL;
	if (fy_node_is_scalar(node)) {
		g_autofree char *text = scalar_dup(reader, node, "window");
		if (text == NULL)
			return false;
		if (!engine_window_parse(text, window, &reason)) {
			fail_at(reader, node, "window \"%s\": %s", text, reason);
			return false;
		}
		return true;
	}
	if (!fy_node_is_mapping(node)) {
		fail_at(reader, node,
		        "window: expected \"mon-fri 09:00-17:00\" or one line per day");
		return false;
	}
	EngineWindow days = {0};
	bool named[7] = {false};
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(node, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		g_autofree char *key = scalar_dup(reader, key_node, "window");
		if (key == NULL)
			return false;
		int day = engine_window_weekday(key);
		if (day < 0) {
			fail_at(reader, key_node, "window: \"%s\" is not a weekday (mon ... sun)",
			        key);
			return false;
		}
		if (named[day]) {
			fail_at(reader, key_node, "window: %s is named twice", key);
			return false;
		}
		named[day] = true;
		struct fy_node *value = fy_node_pair_value(pair);
		g_autofree char *span = scalar_dup(reader, value, key);
		if (span == NULL)
			return false;
		if (!engine_window_parse_span(span, &days.start_min[day], &days.end_min[day],
		                              &reason)) {
			fail_at(reader, value, "window %s \"%s\": %s", key, span, reason);
			return false;
		}
	}
	if (engine_window_is_empty(&days)) {
		fail_at(reader, node, "window: no day has open hours");
		return false;
	}
	*window = days;
	return true;
}

/* policies: on_reply: {INTENT: POLICY, ...} */
static bool
read_on_reply(Reader *reader, struct fy_node *node)
{
	if (!fy_node_is_mapping(node)) {
		fail_at(reader, node, "on_reply: expected an intent and what it does, by line");
		return false;
	}
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(node, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		g_autofree char *key = scalar_dup(reader, key_node, "on_reply");
		if (key == NULL)
			return false;
		MailIntent intent;
		if (!mail_intent_parse(key, &intent)) {
			fail_at(reader, key_node,
			        "on_reply: \"%s\" is no intent (interested, meeting, later, "
			        "not_interested, wrong_person, needs_review)",
			        key);
			return false;
		}
		if (intent == MAIL_INTENT_UNSUBSCRIBE) {
			fail_at(reader, key_node,
			        "on_reply: unsubscribe always opts the person out; it takes no "
			        "policy");
			return false;
		}
		g_autofree char *text = scalar_dup(reader, fy_node_pair_value(pair), key);
		if (text == NULL)
			return false;
		g_autofree char *problem = NULL;
		if (!engine_reply_policy_parse(text, &reader->campaign->on_reply[intent],
		                               &problem)) {
			fail_at(reader, fy_node_pair_value(pair), "on_reply: %s: %s", key, problem);
			return false;
		}
	}
	return true;
}

static bool
read_policies(Reader *reader, struct fy_node *node)
{
	EngineCampaign *campaign = reader->campaign;
	if (!fy_node_is_mapping(node)) {
		fail_at(reader, node, "policies: expected keys");
		return false;
	}
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(node, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		struct fy_node *value = fy_node_pair_value(pair);
		g_autofree char *key = scalar_dup(reader, key_node, "key");
		if (key == NULL)
			return false;
		bool ok;
		if (strcmp(key, "stop_on_company_reply") == 0) {
			ok = read_bool(reader, value, key, &campaign->stop_on_company_reply);
		} else if (strcmp(key, "public_domains") == 0) {
			ok = read_public_domains(reader, value);
		} else if (strcmp(key, "stop_on_reply_elsewhere") == 0) {
			ok = read_bool(reader, value, key, &campaign->stop_on_reply_elsewhere);
		} else if (strcmp(key, "list_unsubscribe") == 0) {
			ok = read_bool(reader, value, key, &campaign->list_unsubscribe);
		} else if (strcmp(key, "auto_reply_days") == 0) {
			ok = read_int(reader, value, key, 1, 90, &campaign->auto_reply_days);
		} else if (strcmp(key, "on_reply") == 0) {
			reader->last_key = key_node;
			ok = read_on_reply(reader, value);
		} else if (strcmp(key, "later_days") == 0) {
			ok = read_int(reader, value, key, 1, 365, &campaign->later_days);
		} else if (strcmp(key, "auto_reply") == 0) {
			g_autofree char *text = scalar_dup(reader, value, key);
			ok = text != NULL;
			if (ok && strcmp(text, "pause") == 0)
				campaign->auto_reply = ENGINE_AUTO_REPLY_PAUSE;
			else if (ok && strcmp(text, "continue") == 0)
				campaign->auto_reply = ENGINE_AUTO_REPLY_CONTINUE;
			else if (ok && strcmp(text, "stop") == 0)
				campaign->auto_reply = ENGINE_AUTO_REPLY_STOP;
			else if (ok) {
				fail_at(reader, value,
				        "auto_reply: expected pause, continue or stop, not \"%s\"",
				        text);
				ok = false;
			}
		} else {
			fail_at(reader, key_node,
			        "policies: unknown key \"%s\" (known: stop_on_company_reply, "
			        "stop_on_reply_elsewhere, public_domains, auto_reply, "
			        "auto_reply_days, list_unsubscribe, on_reply, later_days)",
			        key);
			ok = false;
		}
		if (!ok)
			return false;
	}
	return true;
}

/* "3%", "0.3%" or a bare number of percent, into parts of @scale per
 * hundred percent (1000: permille). */
static bool
read_percent(Reader *reader, struct fy_node *node, const char *key, guint scale, guint *value)
{
	g_autofree char *text = scalar_dup(reader, node, key);
	if (text == NULL)
		return false;
	char *end = NULL;
	double percent = g_ascii_strtod(text, &end);
	while (end != NULL && *end == ' ')
		end++;
	if (end == text || (end != NULL && *end != '\0' && strcmp(end, "%") != 0) ||
	    !(percent > 0 && percent <= 100)) {
		fail_at(reader, node, "%s: expected a share like \"3%%\", not \"%s\"", key, text);
		return false;
	}
	*value = (guint)(percent * scale / 100.0 + 0.5);
	return true;
}

static bool
read_guard_count(Reader *reader, struct fy_node *node, const char *key, int min, guint *value)
{
	int number = 0;
	if (!read_int(reader, node, key, min, 100000, &number))
		return false;
	*value = (guint)number;
	return true;
}

guint
engine_campaign_n_variants(const EngineCampaignStep *step)
{
	return step->variants != NULL ? step->variants->len : 1;
}

const char *
engine_campaign_variant_subject(const EngineCampaignStep *step, int variant)
{
	if (step->variants == NULL || variant < 0 || (guint)variant >= step->variants->len)
		return step->subject;
	return ((const EngineCampaignVariant *)step->variants->pdata[variant])->subject;
}

const char *
engine_campaign_variant_body(const EngineCampaignStep *step, int variant)
{
	if (step->variants == NULL || variant < 0 || (guint)variant >= step->variants->len)
		return step->body;
	return ((const EngineCampaignVariant *)step->variants->pdata[variant])->body;
}

char
engine_campaign_variant_letter(int variant)
{
	return variant >= 0 && variant < ENGINE_CAMPAIGN_MAX_VARIANTS ? (char)('A' + variant) : '?';
}

/* holidays: [DE, 2026-12-24]: countries' public holidays and dates
 * nothing is sent on. */
static bool
read_holidays(Reader *reader, struct fy_node *node)
{
	if (!fy_node_is_sequence(node)) {
		fail_at(reader, node,
		        "holidays: expected a list of dates and countries like [DE, 2026-12-24]");
		return false;
	}
	void *iter = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(node, &iter)) != NULL) {
		g_autofree char *text = scalar_dup(reader, item, "holidays");
		if (text == NULL)
			return false;
		int year = 0;
		int month = 0;
		int day = 0;
		if (strlen(text) == 2 && g_ascii_isalpha(text[0]) && g_ascii_isalpha(text[1])) {
			char *upper = g_ascii_strup(text, -1);
			g_free(text);
			text = upper;
			if (!engine_holidays_known(text)) {
				g_autofree char *known = engine_holidays_countries();
				fail_at(reader, item,
				        "holidays: piculet has no calendar for \"%s\" (it has %s; "
				        "give a region's days as dates)",
				        text, known);
				return false;
			}
		} else if (!base_zone_parse_date(text, strlen(text), &year, &month, &day)) {
			fail_at(reader, item,
			        "holidays: \"%s\" is neither a date like 2026-12-24 nor a country "
			        "like DE",
			        text);
			return false;
		}
		g_ptr_array_add(reader->campaign->holidays, g_steal_pointer(&text));
	}
	return true;
}

/* `domain_caps: off`, or {per_hour: N, per_day: M} (0: no cap). */
static bool
read_domain_caps(Reader *reader, struct fy_node *node)
{
	EngineCampaign *campaign = reader->campaign;
	if (fy_node_is_scalar(node)) {
		g_autofree char *text = scalar_dup(reader, node, "domain_caps");
		if (text != NULL && strcmp(text, "off") == 0) {
			campaign->domain_per_hour = 0;
			campaign->domain_per_day = 0;
			return true;
		}
	}
	if (!fy_node_is_mapping(node)) {
		fail_at(reader, node, "domain_caps: expected off, or per_hour and per_day");
		return false;
	}
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(node, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		struct fy_node *value = fy_node_pair_value(pair);
		g_autofree char *key = scalar_dup(reader, key_node, "key");
		if (key == NULL)
			return false;
		bool ok;
		if (strcmp(key, "per_hour") == 0) {
			ok = read_int(reader, value, key, 0, 100000, &campaign->domain_per_hour);
		} else if (strcmp(key, "per_day") == 0) {
			ok = read_int(reader, value, key, 0, 100000, &campaign->domain_per_day);
		} else {
			fail_at(reader, key_node,
			        "domain_caps: unknown key \"%s\" (known: per_hour, per_day)", key);
			ok = false;
		}
		if (!ok)
			return false;
	}
	return true;
}

/* `guards: off`, or the rules that differ from the defaults. */
static bool
read_guards(Reader *reader, struct fy_node *node)
{
	EngineCampaign *campaign = reader->campaign;
	EngineGuardRules *rules = &campaign->guards;
	if (fy_node_is_scalar(node)) {
		g_autofree char *text = scalar_dup(reader, node, "guards");
		if (text != NULL && strcmp(text, "off") == 0) {
			campaign->guards_on = false;
			return true;
		}
		fail_at(reader, node, "guards: expected off, or keys (bounce_rate, window, ...)");
		return false;
	}
	if (!fy_node_is_mapping(node)) {
		fail_at(reader, node, "guards: expected off, or keys (bounce_rate, window, ...)");
		return false;
	}
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(node, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		struct fy_node *value = fy_node_pair_value(pair);
		g_autofree char *key = scalar_dup(reader, key_node, "key");
		if (key == NULL)
			return false;
		bool ok;
		if (strcmp(key, "bounce_rate") == 0) {
			ok = read_percent(reader, value, key, 1000, &rules->max_bounce_permille);
		} else if (strcmp(key, "window") == 0) {
			ok = read_guard_count(reader, value, key, 1, &rules->window);
		} else if (strcmp(key, "min_contacted") == 0) {
			ok = read_guard_count(reader, value, key, 1, &rules->min_contacted);
		} else if (strcmp(key, "in_a_row") == 0) {
			ok = read_guard_count(reader, value, key, 0, &rules->max_in_a_row);
		} else if (strcmp(key, "complaint_rate") == 0) {
			ok = read_percent(reader, value, key, 100000,
			                  &rules->max_complaint_per_100k);
		} else if (strcmp(key, "min_complaints") == 0) {
			ok = read_guard_count(reader, value, key, 1, &rules->min_complaints);
		} else {
			fail_at(reader, key_node,
			        "guards: unknown key \"%s\" (known: bounce_rate, window, "
			        "min_contacted, in_a_row, complaint_rate, min_complaints)",
			        key);
			ok = false;
		}
		if (!ok)
			return false;
	}
	if (rules->min_contacted > rules->window) {
		fail_at(reader, node, "guards: min_contacted (%u) is more than the window (%u)",
		        rules->min_contacted, rules->window);
		return false;
	}
	return true;
}

static bool
read_timezone(Reader *reader, struct fy_node *node)
{
	g_autofree char *text = scalar_dup(reader, node, "timezone");
	if (text == NULL)
		return false;
	g_autoptr(GError) zone_error = NULL;
	GTimeZone *zone = base_zone_new(text, &zone_error);
	if (zone == NULL) {
		fail_at(reader, node, "timezone: %s", zone_error->message);
		return false;
	}
	g_time_zone_unref(zone);
	g_free(reader->campaign->timezone);
	reader->campaign->timezone = g_steal_pointer(&text);
	return true;
}

static bool
read_interval(Reader *reader, struct fy_node *node)
{
	g_autofree char *text = scalar_dup(reader, node, "interval");
	const char *reason = NULL;
	if (text == NULL)
		return false;
	if (!engine_duration_parse_range(text, &reader->campaign->interval_min_s,
	                                 &reader->campaign->interval_max_s, &reason)) {
		fail_at(reader, node, "interval \"%s\": %s", text, reason);
		return false;
	}
	if (reader->campaign->interval_max_s > 86400) {
		fail_at(reader, node, "interval \"%s\": at most a day", text);
		return false;
	}
	return true;
}

/* Where `piculet serve` answers the links of the messages: an http(s) URL
 * without query, fragment, user or space ("https://links.example.com"). */
static bool
read_tracking_domain(Reader *reader, struct fy_node *value)
{
	g_autofree char *text = scalar_dup(reader, value, "tracking_domain");
	if (text == NULL)
		return false;
	g_autoptr(GUri) uri = g_uri_parse(text, G_URI_FLAGS_NONE, NULL);
	const char *scheme = uri != NULL ? g_uri_get_scheme(uri) : NULL;
	if (uri == NULL || (g_strcmp0(scheme, "https") != 0 && g_strcmp0(scheme, "http") != 0) ||
	    !mail_compose_unsubscribe_url_allowed(text) || g_uri_get_host(uri) == NULL ||
	    g_uri_get_host(uri)[0] == '\0' || g_uri_get_query(uri) != NULL ||
	    g_uri_get_fragment(uri) != NULL || g_uri_get_userinfo(uri) != NULL ||
	    strpbrk(text, " \t\r\n<>,\"") != NULL) {
		fail_at(reader, value,
		        "tracking_domain \"%s\": an https:// address where piculet serve answers, "
		        "like https://links.example.com (http:// only to 127.0.0.1 or [::1])",
		        text);
		return false;
	}
	g_free(reader->campaign->tracking_domain);
	reader->campaign->tracking_domain = g_steal_pointer(&text);
	return true;
}

/* One top-level key. */
static bool
read_key(Reader *reader, const char *key, struct fy_node *key_node, struct fy_node *value,
         bool *have_steps)
{
	EngineCampaign *campaign = reader->campaign;
	if (strcmp(key, "name") == 0) {
		g_free(campaign->name);
		campaign->name = scalar_dup(reader, value, key);
		if (campaign->name == NULL)
			return false;
		g_strstrip(campaign->name);
		if (campaign->name[0] == '\0' || strlen(campaign->name) > 200 ||
		    strpbrk(campaign->name, "\r\n\t") != NULL) {
			fail_at(reader, value, "name: one line of 1 to 200 characters");
			return false;
		}
		return true;
	}
	if (strcmp(key, "mailboxes") == 0)
		return read_mailboxes(reader, value);
	if (strcmp(key, "timezone") == 0)
		return read_timezone(reader, value);
	if (strcmp(key, "use_prospect_timezone") == 0)
		return read_bool(reader, value, key, &campaign->use_prospect_timezone);
	if (strcmp(key, "window") == 0)
		return read_window(reader, value);
	if (strcmp(key, "interval") == 0)
		return read_interval(reader, value);
	if (strcmp(key, "daily_limit") == 0)
		return read_int(reader, value, key, 1, 10000, &campaign->daily_limit);
	if (strcmp(key, "count_only_sending_days") == 0)
		return read_bool(reader, value, key, &campaign->count_only_sending_days);
	if (strcmp(key, "policies") == 0)
		return read_policies(reader, value);
	if (strcmp(key, "tracking_domain") == 0)
		return read_tracking_domain(reader, value);
	if (strcmp(key, "track_opens") == 0)
		return read_bool(reader, value, key, &campaign->track_opens);
	if (strcmp(key, "track_clicks") == 0)
		return read_bool(reader, value, key, &campaign->track_clicks);
	if (strcmp(key, "guards") == 0)
		return read_guards(reader, value);
	if (strcmp(key, "domain_caps") == 0)
		return read_domain_caps(reader, value);
	if (strcmp(key, "holidays") == 0)
		return read_holidays(reader, value);
	if (strcmp(key, "steps") == 0) {
		*have_steps = true;
		return read_steps(reader, value);
	}
	fail_at(reader, key_node,
	        "unknown key \"%s\" (known: name, mailboxes, timezone, use_prospect_timezone, "
	        "window, interval, daily_limit, count_only_sending_days, policies, "
	        "tracking_domain, track_opens, track_clicks, guards, domain_caps, holidays, "
	        "steps)",
	        key);
	return false;
}

static void
read_root(Reader *reader, struct fy_node *root)
{
	if (root == NULL || !fy_node_is_mapping(root)) {
		fail_at(reader, root, "expected a campaign: keys like name, mailboxes, steps");
		return;
	}
	bool have_steps = false;
	void *iter = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(root, &iter)) != NULL) {
		struct fy_node *key_node = fy_node_pair_key(pair);
		reader->last_key = key_node;
		g_autofree char *key = scalar_dup(reader, key_node, "key");
		if (key == NULL ||
		    !read_key(reader, key, key_node, fy_node_pair_value(pair), &have_steps))
			return;
	}
	reader->last_key = NULL;
	if (reader->campaign->name == NULL)
		fail_at(reader, root, "name is missing");
	else if (reader->campaign->mailboxes->len == 0)
		fail_at(reader, root, "mailboxes is missing (the addresses to send from)");
	else if (!have_steps)
		fail_at(reader, root, "steps is missing");
	else if ((reader->campaign->track_opens || reader->campaign->track_clicks) &&
	         reader->campaign->tracking_domain == NULL)
		fail_at(reader, root,
		        "track_opens and track_clicks need tracking_domain (where piculet serve "
		        "answers the links)");
}

/* YAML forbids tabs in indentation (libfyaml's message for one is about
 * something else) and control characters; a campaign file has no use for
 * explicit keys ("?" before a blank, a line break or the end, at the start
 * of a line, after a blank or a flow indicator: "? key", "a: ? b", "?" alone
 * on its line). Debian 12's libfyaml frees twice on some files with an
 * explicit key and a tab after it (on its line or a later one), and leaks
 * on some with control characters (the fuzz target found both): each is
 * refused plainly with its place before libfyaml sees it (a body line with
 * "? " is fine unless a tab follows somewhere). */
static bool
check_characters(Reader *reader, const char *text, gsize length)
{
	int line = 1;
	bool at_indent = true;
	int column = 1;
	/* Where the first explicit key is, or 0. */
	int key_line = 0;
	int key_column = 0;
	for (gsize i = 0; i < length; i++, column++) {
		if (text[i] == '?' && key_line == 0 &&
		    (at_indent || strchr(" \t{[,", text[i - 1]) != NULL) &&
		    (i + 1 == length || strchr(" \t\r\n", text[i + 1]) != NULL)) {
			key_line = line;
			key_column = column;
		}
		if (text[i] == '\t' && key_line != 0) {
			g_set_error(
			        &reader->error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
			        "%s:%d:%d: an explicit key (\"? \") with a tab after it (line %d); "
			        "write keys as key: value, and use spaces",
			        reader->name, key_line, key_column, line);
			return false;
		}
		/* YAML breaks lines at CR, LF and CR LF alike. */
		if (text[i] == '\n' ||
		    (text[i] == '\r' && (i + 1 == length || text[i + 1] != '\n'))) {
			line++;
			column = 0;
			at_indent = true;
		} else if (text[i] == '\r') {
			at_indent = true;
		} else if (text[i] == '\t' && at_indent) {
			g_set_error(&reader->error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
			            "%s:%d:%d: a tab in the indentation; YAML indents with spaces",
			            reader->name, line, column);
			return false;
		} else if (((unsigned char)text[i] < 0x20 && text[i] != '\t' && text[i] != '\r') ||
		           text[i] == 0x7f) {
			g_set_error(&reader->error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
			            "%s:%d:%d: a control character (0x%02X); YAML allows none",
			            reader->name, line, column, (unsigned)(unsigned char)text[i]);
			return false;
		} else if (text[i] != ' ') {
			at_indent = false;
		}
	}
	return true;
}

static void
ignore_diagnostic(struct fy_diag *diag, void *user, const char *buf, size_t length)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)length;
}

/* Parses the YAML itself; syntax errors with their place. */
static struct fy_document *
parse_document(Reader *reader, const char *text, gsize length)
{
	struct fy_diag_cfg diag_cfg;
	fy_diag_cfg_default(&diag_cfg);
	diag_cfg.fp = NULL;
	diag_cfg.output_fn = ignore_diagnostic;
	diag_cfg.colorize = false;
	struct fy_diag *diag = fy_diag_create(&diag_cfg);
	if (diag == NULL) {
		g_set_error(&reader->error, ENGINE_ERROR, ENGINE_ERROR_INPUT, "%s: out of memory",
		            reader->name);
		return NULL;
	}
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg cfg = {
	        .flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DISABLE_RECYCLING,
	        .diag = diag,
	};
	struct fy_document *document = fy_document_build_from_string(&cfg, text, length);
	if (document == NULL) {
		void *iter = NULL;
		struct fy_diag_error *first = fy_diag_errors_iterate(diag, &iter);
		g_autofree char *message = base_error_printable_dup(
		        first != NULL ? first->msg : "not valid YAML", -1, 200);
		g_set_error(&reader->error, ENGINE_ERROR, ENGINE_ERROR_INPUT, "%s:%d:%d: %s",
		            reader->name, first != NULL ? first->line : 0,
		            first != NULL ? first->column : 0, message);
		fy_document_destroy(document);
		document = NULL;
	}
	fy_diag_destroy(diag);
	return document;
}

/* A "pause step N" names a step the campaign has. */
static void
check_resume_steps(Reader *reader)
{
	EngineCampaign *campaign = reader->campaign;
	for (int i = 0; i < MAIL_INTENT_COUNT && reader->error == NULL; i++) {
		int step = campaign->on_reply[i].resume_step;
		if (step > 0 && (guint)step > campaign->steps->len)
			g_set_error(&reader->error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
			            "%s: on_reply: %s: pause step %d, but the campaign has %u "
			            "step(s)",
			            reader->name, mail_intent_to_string((MailIntent)i), step,
			            campaign->steps->len);
	}
}

EngineCampaign *
engine_campaign_parse(const char *text, gsize length, const char *name, GError **error)
{
	Reader reader = {.name = name};
	if (length > MAX_FILE_BYTES) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
		            "%s: too large for a campaign file (%" G_GSIZE_FORMAT
		            " bytes, at most %" G_GSIZE_FORMAT ")",
		            name, length, MAX_FILE_BYTES);
		return NULL;
	}
	if (!g_utf8_validate(text, (gssize)length, NULL) || memchr(text, '\0', length) != NULL) {
		g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT, "%s: not UTF-8 text", name);
		return NULL;
	}
	if (!check_characters(&reader, text, length)) {
		g_propagate_error(error, reader.error);
		return NULL;
	}
	struct fy_document *document = parse_document(&reader, text, length);
	if (document == NULL) {
		g_propagate_error(error, reader.error);
		return NULL;
	}
	EngineCampaign *campaign = g_new0(EngineCampaign, 1);
	campaign->mailboxes = g_ptr_array_new_with_free_func(g_free);
	campaign->public_domains = g_ptr_array_new_with_free_func(g_free);
	campaign->steps = g_ptr_array_new_with_free_func(step_free);
	campaign->timezone = g_strdup("UTC");
	engine_window_parse("mon-fri 09:00-17:00", &campaign->window, &(const char *){NULL});
	campaign->interval_min_s = 60;
	campaign->interval_max_s = 180;
	campaign->daily_limit = 30;
	campaign->use_prospect_timezone = true;
	campaign->stop_on_company_reply = true;
	campaign->stop_on_reply_elsewhere = true;
	campaign->auto_reply = ENGINE_AUTO_REPLY_PAUSE;
	campaign->auto_reply_days = 7;
	campaign->later_days = 30;
	campaign->guards_on = true;
	campaign->holidays = g_ptr_array_new_with_free_func(g_free);
	campaign->domain_per_hour = ENGINE_CAMPAIGN_DOMAIN_PER_HOUR;
	campaign->domain_per_day = ENGINE_CAMPAIGN_DOMAIN_PER_DAY;
	campaign->guards = engine_guard_campaign_default;
	campaign->text = g_strndup(text, length);
	reader.campaign = campaign;
	read_root(&reader, fy_document_root(document));
	fy_document_destroy(document);
	check_resume_steps(&reader);
	if (reader.error != NULL) {
		g_propagate_error(error, reader.error);
		engine_campaign_free(campaign);
		return NULL;
	}
	return campaign;
}

void
engine_campaign_free(EngineCampaign *campaign)
{
	if (campaign == NULL)
		return;
	g_free(campaign->name);
	g_ptr_array_unref(campaign->mailboxes);
	g_ptr_array_unref(campaign->public_domains);
	g_free(campaign->timezone);
	g_free(campaign->tracking_domain);
	for (gsize i = 0; i < G_N_ELEMENTS(campaign->on_reply); i++)
		engine_reply_policy_clear(&campaign->on_reply[i]);
	g_ptr_array_unref(campaign->steps);
	if (campaign->holidays != NULL)
		g_ptr_array_unref(campaign->holidays);
	g_free(campaign->text);
	g_free(campaign);
}

bool
engine_campaign_is_public_domain(const EngineCampaign *campaign, const char *domain)
{
	if (domain != NULL && domain[0] == '@')
		domain++;
	if (domain == NULL || engine_freemail_is_provider(domain))
		return true;
	for (guint i = 0; i < campaign->public_domains->len; i++)
		if (g_ascii_strcasecmp(campaign->public_domains->pdata[i], domain) == 0)
			return true;
	return false;
}

GTimeZone *
engine_campaign_dup_zone(const EngineCampaign *campaign, const char *prospect_zone)
{
	if (campaign->use_prospect_timezone && prospect_zone != NULL && prospect_zone[0] != '\0') {
		GTimeZone *zone = base_zone_new(prospect_zone, NULL);
		if (zone != NULL)
			return zone;
	}
	GTimeZone *zone = base_zone_new(campaign->timezone, NULL);
	return zone != NULL ? zone : g_time_zone_new_utc();
}

const char *
engine_campaign_auto_reply_name(EngineAutoReply action)
{
	switch (action) {
	case ENGINE_AUTO_REPLY_CONTINUE:
		return "continue";
	case ENGINE_AUTO_REPLY_STOP:
		return "stop";
	case ENGINE_AUTO_REPLY_PAUSE:
	default:
		return "pause";
	}
}

int64_t
engine_campaign_due_at(const EngineCampaign *campaign, GTimeZone *zone, int step, int64_t after_us)
{
	g_return_val_if_fail(step >= 1 && (guint)step <= campaign->steps->len, -1);
	const EngineCampaignStep *this_step = campaign->steps->pdata[step - 1];
	int64_t at = after_us;
	if (step > 1) {
		int64_t delay_s = this_step->delay_s;
		if (campaign->count_only_sending_days) {
			at = engine_window_add_sending_days(&campaign->window, zone, at,
			                                    (int)(delay_s / 86400));
			delay_s %= 86400;
		}
		at += delay_s * G_USEC_PER_SEC;
	}
	return engine_campaign_next_open(campaign, zone, at);
}

static bool
is_holiday(const EngineCampaign *campaign, GDateTime *local)
{
	g_autofree char *day = g_date_time_format(local, "%Y-%m-%d");
	for (guint i = 0; i < campaign->holidays->len; i++) {
		const char *entry = campaign->holidays->pdata[i];
		if (strlen(entry) == 2
		            ? engine_holidays_on(entry, g_date_time_get_year(local),
		                                 g_date_time_get_month(local),
		                                 g_date_time_get_day_of_month(local)) != NULL
		            : strcmp(entry, day) == 0)
			return true;
	}
	return false;
}

int64_t
engine_campaign_next_open(const EngineCampaign *campaign, GTimeZone *zone, int64_t at_us)
{
	int64_t at = at_us;
	for (int days = 0; days < 400; days++) {
		int64_t open = engine_window_next_open(&campaign->window, zone, at);
		if (open < 0 || campaign->holidays->len == 0)
			return open;
		g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(open / G_USEC_PER_SEC);
		g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, zone);
		if (!is_holiday(campaign, local))
			return open;
		/* From the next local midnight on. */
		g_autoptr(GDateTime) midnight = g_date_time_new(
		        zone, g_date_time_get_year(local), g_date_time_get_month(local),
		        g_date_time_get_day_of_month(local), 0, 0, 0);
		g_autoptr(GDateTime) next = g_date_time_add_days(midnight, 1);
		at = g_date_time_to_unix(next) * G_USEC_PER_SEC;
	}
	return -1;
}
