#include "cli/cli_render.h"

#include "cli/cli_exit.h"
#include "cli/cli_options.h"
#include "cli/cli_output.h"
#include "mail/mail_compose.h"
#include "tmpl/tmpl_template.h"

#include <stdio.h>
#include <string.h>

const char cli_render_usage[] =
        "usage: piculet render TEMPLATE-FILE [--field NAME=VALUE...] [--prospect EMAIL]\n"
        "                     [--step N]\n"
        "       piculet render BODY-TEMPLATE-FILE --subject TEMPLATE --from ADDRESS\n"
        "                     [--from-name NAME] --to ADDRESS [--field NAME=VALUE...]\n"
        "                     [--step N] [--in-reply-to MESSAGE-ID]\n"
        "\n"
        "Renders a template: {{field}}, {{field|fallback}}, {{sender.field}},\n"
        "{{spin: a|b|c}}. Spintax is chosen from the prospect (--prospect, or --to)\n"
        "and the step, as the engine chooses it: the preview is what is sent. With\n"
        "--from and --to, prints the complete message (RFC 5322) instead: subject\n"
        "rendered for a header, body as text/plain UTF-8. A field without a value\n"
        "and without a fallback is an error naming it (exit 65).\n";

typedef struct {
	char **fields;
	char *prospect;
	int step;
	char *subject;
	char *from;
	char *from_name;
	char *to;
	char *in_reply_to;
} RenderArgs;

static void
render_args_clear(RenderArgs *args)
{
	g_strfreev(args->fields);
	g_free(args->prospect);
	g_free(args->subject);
	g_free(args->from);
	g_free(args->from_name);
	g_free(args->to);
	g_free(args->in_reply_to);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RenderArgs, render_args_clear)

static const char *
lookup(const char *field, void *user_data)
{
	return g_hash_table_lookup(user_data, field);
}

static char *
render(const char *text, const char *name, GHashTable *fields, uint64_t seed, bool header,
       GError **error)
{
	g_autoptr(TmplTemplate) tmpl = tmpl_template_parse(text, name, error);
	if (tmpl == NULL)
		return NULL;
	return tmpl_template_render(tmpl, lookup, fields, seed, header, error);
}

int
cli_render_run(int argc, char **argv)
{
	g_auto(RenderArgs) args = {.step = 1};
	g_autoptr(GError) error = NULL;
	GOptionEntry entries[] = {
	        {"field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args.fields, NULL, NULL},
	        {"prospect", 0, 0, G_OPTION_ARG_STRING, &args.prospect, NULL, NULL},
	        {"step", 0, 0, G_OPTION_ARG_INT, &args.step, NULL, NULL},
	        {"subject", 0, 0, G_OPTION_ARG_STRING, &args.subject, NULL, NULL},
	        {"from", 0, 0, G_OPTION_ARG_STRING, &args.from, NULL, NULL},
	        {"from-name", 0, 0, G_OPTION_ARG_STRING, &args.from_name, NULL, NULL},
	        {"to", 0, 0, G_OPTION_ARG_STRING, &args.to, NULL, NULL},
	        {"in-reply-to", 0, 0, G_OPTION_ARG_STRING, &args.in_reply_to, NULL, NULL},
	        {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	/* The template file is the one positional argument. */
	if (argc < 2 || argv[1][0] == '-') {
		fputs(cli_render_usage, stderr);
		return CLI_EXIT_USAGE;
	}
	const char *path = argv[1];
	argv[1] = argv[0];
	if (!cli_options_parse("render", entries, argc - 1, argv + 1))
		return CLI_EXIT_USAGE;
	if ((args.from != NULL) != (args.to != NULL) ||
	    (args.from != NULL && args.subject == NULL)) {
		cli_output_eprintf("piculet render: --from, --to and --subject go together\n");
		return CLI_EXIT_USAGE;
	}
	g_autoptr(GHashTable) fields =
	        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (char **f = args.fields; f != NULL && *f != NULL; f++) {
		const char *eq = strchr(*f, '=');
		if (eq == NULL || eq == *f) {
			cli_output_eprintf("piculet render: --field wants NAME=VALUE, not \"%s\"\n",
			                   *f);
			return CLI_EXIT_USAGE;
		}
		g_hash_table_insert(fields, g_strndup(*f, (gsize)(eq - *f)), g_strdup(eq + 1));
	}
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		cli_output_eprintf("piculet render: %s\n", error->message);
		return CLI_EXIT_NO_INPUT;
	}
	const char *key = args.prospect != NULL ? args.prospect : args.to != NULL ? args.to : "";
	uint64_t seed = tmpl_template_seed(key, args.step);
	g_autofree char *body = render(text, path, fields, seed, false, &error);
	if (body == NULL) {
		cli_output_eprintf("piculet render: %s\n", error->message);
		return CLI_EXIT_DATA;
	}
	if (args.from == NULL) {
		fputs(body, stdout);
		return CLI_EXIT_OK;
	}
	g_autofree char *subject = render(args.subject, "--subject", fields, seed, true, &error);
	if (subject == NULL) {
		cli_output_eprintf("piculet render: %s\n", error->message);
		return CLI_EXIT_DATA;
	}
	const char *to[] = {args.to, NULL};
	const char *references[] = {args.in_reply_to, NULL};
	MailComposeSpec spec = {
	        .from_name = args.from_name,
	        .from_address = args.from,
	        .to = to,
	        .subject = subject,
	        .body_text = body,
	        .in_reply_to = args.in_reply_to,
	        .references = args.in_reply_to != NULL ? references : NULL,
	};
	g_autoptr(GBytes) message = mail_compose_message(&spec, NULL, &error);
	if (message == NULL) {
		cli_output_eprintf("piculet render: %s\n", error->message);
		return CLI_EXIT_DATA;
	}
	fwrite(g_bytes_get_data(message, NULL), 1, g_bytes_get_size(message), stdout);
	return CLI_EXIT_OK;
}
