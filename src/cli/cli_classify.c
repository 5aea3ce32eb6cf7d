#include "cli/cli_classify.h"

#include "base/base_json.h"
#include "cli/cli_exit.h"
#include "cli/cli_output.h"
#include "mail/mail_classify.h"
#include "mail/mail_message.h"

#include <stdio.h>
#include <string.h>

const char cli_classify_usage[] =
        "usage: piculet classify FILE...\n"
        "       piculet classify -        (paths on standard input, one a line)\n"
        "\n"
        "Reads each file as one message (RFC 5322) and prints one JSON line:\n"
        "  {\"file\", \"class\": \"reply|auto_reply|bounce|feedback|other\", ...}\n"
        "with the fields that apply to its class:\n"
        "  bounce:     \"recipient\", \"status\", \"reply_code\", \"reason\", \"hard\",\n"
        "              \"delayed\", \"recipients\": [{\"address\", \"status\",\n"
        "              \"reply_code\", \"reason\", \"hard\"}, ...]\n"
        "  feedback:   \"feedback_type\" (abuse, auth-failure, dmarc-aggregate, ...),\n"
        "              \"recipient\", \"complaint\"\n"
        "  auto_reply: \"return_date\"\n"
        "  reply:      \"reply_text\", \"intent\" (interested, meeting, later,\n"
        "              not_interested, wrong_person, unsubscribe, needs_review),\n"
        "              \"confidence\", \"needs_review\", \"date\", \"referral\", \"opt_out\"\n"
        "  other:      \"needs_review\"\n"
        "and \"evidence\". The reasons and intents are documented in\n"
        "docs/classification.md. A file that cannot be read is reported on stderr and\n"
        "the others go on; the exit status is then 66.\n";

static void
append_bool(GString *line, const char *key, bool value)
{
	base_json_append_key(line, key);
	g_string_append(line, value ? "true" : "false");
}

static void
append_bounce(GString *line, const MailClassification *result)
{
	if (result->recipient != NULL)
		base_json_append_member_string(line, "recipient", result->recipient);
	if (result->status != NULL)
		base_json_append_member_string(line, "status", result->status);
	if (result->reply_code != 0)
		base_json_append_member_uint(line, "reply_code", (uint64_t)result->reply_code);
	base_json_append_member_string(line, "reason", mail_reason_to_string(result->reason));
	append_bool(line, "hard", result->hard);
	append_bool(line, "delayed", result->delayed);
	base_json_append_key(line, "recipients");
	g_string_append_c(line, '[');
	for (guint i = 0; result->recipients != NULL && i < result->recipients->len; i++) {
		const MailBounceRecipient *r = result->recipients->pdata[i];
		g_string_append(line, i > 0 ? ",{" : "{");
		base_json_append_member_string(line, "address", r->address);
		if (r->status != NULL)
			base_json_append_member_string(line, "status", r->status);
		if (r->reply_code != 0)
			base_json_append_member_uint(line, "reply_code", (uint64_t)r->reply_code);
		base_json_append_member_string(line, "reason", mail_reason_to_string(r->reason));
		append_bool(line, "hard", r->hard && !result->delayed);
		g_string_append_c(line, '}');
	}
	g_string_append_c(line, ']');
}

static void
append_reply(GString *line, const MailClassification *result)
{
	base_json_append_member_string(line, "reply_text", result->reply_text);
	base_json_append_member_string(line, "intent", mail_intent_to_string(result->intent));
	base_json_append_member_uint(line, "confidence", (uint64_t)result->confidence);
	append_bool(line, "needs_review", result->needs_review);
	if (result->intent_date != NULL)
		base_json_append_member_string(line, "date", result->intent_date);
	if (result->referral != NULL)
		base_json_append_member_string(line, "referral", result->referral);
	if (result->on_behalf_of != NULL)
		base_json_append_member_string(line, "on_behalf_of", result->on_behalf_of);
	append_bool(line, "opt_out", result->opt_out);
}

/* Classifies one file; false when it cannot be read. */
static bool
classify_file(const char *path, GString *line)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize n = 0;
	if (!g_file_get_contents(path, &data, &n, &error)) {
		cli_output_eprintf("piculet classify: %s\n", error->message);
		return false;
	}
	g_autoptr(MailMessage) message = mail_message_parse(data, n);
	g_autoptr(MailClassification) result = mail_classify_message(message);
	g_autofree char *file = g_filename_display_name(path);

	g_string_assign(line, "{");
	base_json_append_member_string(line, "file", file);
	base_json_append_member_string(line, "class", mail_classify_class_to_string(result->klass));
	switch (result->klass) {
	case MAIL_CLASS_BOUNCE:
		append_bounce(line, result);
		if (result->about_message_id != NULL)
			base_json_append_member_string(line, "about_message_id",
			                               result->about_message_id);
		break;
	case MAIL_CLASS_FEEDBACK:
		base_json_append_member_string(line, "feedback_type", result->feedback_type);
		if (result->recipient != NULL)
			base_json_append_member_string(line, "recipient", result->recipient);
		append_bool(line, "complaint", result->feedback == MAIL_FEEDBACK_COMPLAINT);
		if (result->about_message_id != NULL)
			base_json_append_member_string(line, "about_message_id",
			                               result->about_message_id);
		break;
	case MAIL_CLASS_AUTO_REPLY:
		if (result->return_date != NULL)
			base_json_append_member_string(line, "return_date", result->return_date);
		if (result->departed) {
			append_bool(line, "departed", true);
			if (result->referral != NULL)
				base_json_append_member_string(line, "referral", result->referral);
		}
		break;
	case MAIL_CLASS_REPLY:
		append_reply(line, result);
		break;
	case MAIL_CLASS_OTHER:
		append_bool(line, "needs_review", result->needs_review);
		break;
	}
	base_json_append_member_string(line, "evidence", result->evidence);
	g_string_append(line, "}\n");
	fwrite(line->str, 1, line->len, stdout);
	return true;
}

int
cli_classify_run(int argc, char **argv)
{
	g_autoptr(GString) line = g_string_sized_new(1024);
	int code = CLI_EXIT_OK;
	if (argc < 2) {
		fputs(cli_classify_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	if (argc == 2 && strcmp(argv[1], "-") == 0) {
		char path[4096];
		while (fgets(path, sizeof path, stdin) != NULL) {
			g_strchomp(path);
			if (path[0] != '\0' && !classify_file(path, line))
				code = CLI_EXIT_NO_INPUT;
		}
		return code;
	}
	for (int i = 1; i < argc; i++)
		if (!classify_file(argv[i], line))
			code = CLI_EXIT_NO_INPUT;
	return code;
}
