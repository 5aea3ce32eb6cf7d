#include "engine/engine_content.h"

#include <string.h>

/* Words and phrases spam filters and readers hold against cold email
 * (folded; matched as words). */
static const char *const spammy[] = {
        "free",
        "guarantee",
        "guaranteed",
        "risk-free",
        "act now",
        "limited time",
        "winner",
        "click here",
        "100%",
        "no obligation",
        "urgent",
        "cash",
        "earn money",
        "buy now",
        "special promotion",
        "congratulations",
        "$$$",
};

static const char *const shorteners[] = {
        "bit.ly/", "tinyurl.com/", "goo.gl/",  "t.co/",
        "ow.ly/",  "is.gd/",       "buff.ly/", "rebrand.ly/",
};

#define MAX_LINKS         2
#define MAX_BODY_WORDS    200
#define MAX_SUBJECT_CHARS 60

static bool
is_word_char(char c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '$' || c == '%';
}

/* @phrase in @folded as a whole word (or words). */
static bool
has_phrase(const char *folded, const char *phrase)
{
	gsize n = strlen(phrase);
	for (const char *at = strstr(folded, phrase); at != NULL; at = strstr(at + 1, phrase)) {
		bool start = at == folded || !is_word_char(at[-1]);
		bool end = !is_word_char(at[n]);
		if (start && end)
			return true;
	}
	return false;
}

static guint
count_of(const char *text, const char *needle)
{
	guint n = 0;
	for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle))
		n++;
	return n;
}

/* Three words in capitals in a row (not {{FIELDS}}). */
static bool
shouts(const char *line)
{
	g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
	guint run = 0;
	for (gsize i = 0; words[i] != NULL; i++) {
		const char *w = words[i];
		guint letters = 0;
		bool upper = w[0] != '\0' && strstr(w, "{{") == NULL;
		for (const char *p = w; *p != '\0' && upper; p++) {
			if (g_ascii_islower(*p))
				upper = false;
			letters += g_ascii_isalpha(*p) != 0;
		}
		run = upper && letters >= 2 ? run + 1 : 0;
		if (run >= 3)
			return true;
	}
	return false;
}

static void
check_line(GPtrArray *out, const char *where, guint number, const char *line)
{
	g_autofree char *folded = g_ascii_strdown(line, -1);
	for (gsize i = 0; i < G_N_ELEMENTS(spammy); i++)
		if (has_phrase(folded, spammy[i]))
			g_ptr_array_add(out, g_strdup_printf("%s:%u: \"%s\" is a word spam filters "
			                                     "hold against cold email",
			                                     where, number, spammy[i]));
	for (gsize i = 0; i < G_N_ELEMENTS(shorteners); i++)
		if (strstr(folded, shorteners[i]) != NULL)
			g_ptr_array_add(
			        out, g_strdup_printf("%s:%u: a link shortener (%.*s): filters "
			                             "distrust them; link the real address",
			                             where, number, (int)strlen(shorteners[i]) - 1,
			                             shorteners[i]));
	if (strstr(folded, "<img") != NULL || strstr(line, "![") != NULL)
		g_ptr_array_add(out,
		                g_strdup_printf("%s:%u: an image: cold email reads as personal "
		                                "without one",
		                                where, number));
	if (strstr(line, "!!") != NULL)
		g_ptr_array_add(out, g_strdup_printf("%s:%u: \"!!\"", where, number));
	if (shouts(line))
		g_ptr_array_add(out, g_strdup_printf("%s:%u: words in capitals read as shouting",
		                                     where, number));
}

static void
check_text(GPtrArray *out, const char *where, const char *text, guint *links, guint *words)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (gsize i = 0; lines[i] != NULL; i++) {
		check_line(out, where, (guint)i + 1, lines[i]);
		g_autofree char *folded = g_ascii_strdown(lines[i], -1);
		*links += count_of(folded, "http://") + count_of(folded, "https://");
		g_auto(GStrv) split = g_strsplit_set(lines[i], " \t", -1);
		for (gsize w = 0; split[w] != NULL; w++)
			*words += split[w][0] != '\0';
	}
}

/* One step's text (its variant @variant when it has variants). */
static void
check_variant(GPtrArray *out, const EngineCampaignStep *step, guint number, int variant,
              bool *offers_opt_out)
{
	const char *subject = engine_campaign_variant_subject(step, variant);
	const char *body = engine_campaign_variant_body(step, variant);
	g_autofree char *named = step->variants != NULL
	                                 ? g_strdup_printf("step %u variant %c", number,
	                                                   engine_campaign_variant_letter(variant))
	                                 : g_strdup_printf("step %u", number);
	g_autofree char *subject_where = g_strdup_printf("%s subject", named);
	g_autofree char *body_where = g_strdup_printf("%s body", named);
	guint links = 0;
	guint words = 0;
	if (subject != NULL) {
		guint subject_links = 0;
		guint subject_words = 0;
		check_text(out, subject_where, subject, &subject_links, &subject_words);
		glong length = g_utf8_strlen(subject, -1);
		if (length > MAX_SUBJECT_CHARS)
			g_ptr_array_add(out,
			                g_strdup_printf("%s: %ld characters; the inbox shows "
			                                "about %d",
			                                subject_where, length, MAX_SUBJECT_CHARS));
	}
	check_text(out, body_where, body, &links, &words);
	if (links > MAX_LINKS)
		g_ptr_array_add(out, g_strdup_printf("%s: %u links; more than %d make a cold "
		                                     "email look like marketing",
		                                     body_where, links, MAX_LINKS));
	if (words > MAX_BODY_WORDS)
		g_ptr_array_add(out, g_strdup_printf("%s: %u words; replies come to short ones "
		                                     "(under %d)",
		                                     body_where, words, MAX_BODY_WORDS));
	g_autofree char *folded = g_ascii_strdown(body, -1);
	*offers_opt_out = *offers_opt_out || strstr(folded, "unsubscribe") != NULL ||
	                  strstr(folded, "opt out") != NULL || strstr(folded, "opt-out") != NULL;
}

GPtrArray *
engine_content_check(const EngineCampaign *campaign)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	bool offers_opt_out = false;
	for (guint s = 0; s < campaign->steps->len; s++) {
		const EngineCampaignStep *step = campaign->steps->pdata[s];
		for (guint v = 0; step->task == NULL && v < engine_campaign_n_variants(step); v++)
			check_variant(out, step, s + 1, (int)v, &offers_opt_out);
	}
	if (campaign->list_unsubscribe && !offers_opt_out)
		g_ptr_array_add(out,
		                g_strdup("the campaign asks for an unsubscribe (list_unsubscribe): "
		                         "mail clients get the header, but no step tells the "
		                         "reader how (\"unsubscribe\", \"opt out\")"));
	return out;
}
