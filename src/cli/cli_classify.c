#include "cli/cli_classify.h"

#include "base/base_json.h"
#include "cli/cli_exit.h"
#include "cli/cli_output.h"
#include "mail/mail_classify.h"
#include "mail/mail_message.h"
#include "mail/mail_reply_text.h"

#include <stdio.h>
#include <string.h>

const char cli_classify_usage[] =
        "usage: piculet classify FILE...\n"
        "       piculet classify -        (paths on standard input, one a line)\n"
        "\n"
        "Reads each file as one message (RFC 5322) and prints one JSON line:\n"
        "  {\"file\", \"class\": \"reply|auto_reply|bounce|other\", \"recipient\", \"status\",\n"
        "   \"reply_code\", \"reason\", \"hard\", \"return_date\", \"reply_text\", \"opt_out\",\n"
        "   \"evidence\"}\n"
        "with only the fields that apply. A file that cannot be read is reported on\n"
        "stderr and the others go on; the exit status is then 66.\n";

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
	if (result->klass == MAIL_CLASS_BOUNCE) {
		if (result->recipient != NULL)
			base_json_append_member_string(line, "recipient", result->recipient);
		if (result->status != NULL)
			base_json_append_member_string(line, "status", result->status);
		if (result->reply_code != 0)
			base_json_append_member_uint(line, "reply_code",
			                             (uint64_t)result->reply_code);
		base_json_append_member_string(line, "reason",
		                               mail_classify_reason_to_string(result->reason));
		base_json_append_key(line, "hard");
		g_string_append(line, result->hard ? "true" : "false");
	}
	if (result->return_date != NULL)
		base_json_append_member_string(line, "return_date", result->return_date);
	if (result->klass == MAIL_CLASS_REPLY) {
		g_autofree char *text = mail_reply_text_extract(mail_message_get_text(message));
		base_json_append_member_string(line, "reply_text", text);
		base_json_append_key(line, "opt_out");
		g_string_append(line, result->opt_out ? "true" : "false");
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
