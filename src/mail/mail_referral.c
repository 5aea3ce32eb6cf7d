#include "mail/mail_referral.h"

#include <glib.h>
#include <stdbool.h>
#include <string.h>

/* "@" hidden in brackets; then the domain's dots may be plain
 * ("maria(at)prospect.de") or hidden too. A bare "@" between spaces is
 * one of them ("maria @ prospect.test"). */
static const char *const bracketed_ats[] = {
        "[at]", "(at)", "{at}", "<at>", "[@]", "(@)", "{@}", "<@>", "@",
};

/* "@" spelled as a word between spaces. "at" is also a preposition, so an
 * address in this form needs a dot spelled too ("maria at prospect dot
 * test"): "look at prospect.com" is a website, not Look's address. */
static const char *const spelled_ats[] = {"at", "arroba", "arobase", "chiocciola"};

static const char *const bracketed_dots[] = {
        "[dot]", "(dot)",   "{dot}",   "<dot>",   "[.]",
        "(.)",   "[punkt]", "(punkt)", "[punto]", "(punto)",
};

static const char *const spelled_dots[] = {"dot", "punto", "point", "punkt", "ponto", "kropka"};

/* Words that stand before the preposition "at" and are no one's local
 * part: "we are at prospect dot com", "look at it dot by dot". */
static const char *const preposition_before[] = {
        "am",   "are",    "be",      "been", "glance",  "here",  "i",     "is",   "it",
        "look", "looked", "looking", "me",   "now",     "still", "there", "them", "us",
        "was",  "we",     "were",    "work", "working", "works", "you",
};

static bool
is_local_char(char c)
{
	return c != '\0' && (g_ascii_isalnum(c) || strchr("._%+-", c) != NULL);
}

static bool
is_label_char(char c)
{
	return g_ascii_isalnum(c) || c == '-';
}

/* The length of the one of @marks that @p begins with, case aside, or 0;
 * a word (@whole) only when no letter or digit follows it. */
static gsize
mark_length(const char *p, const char *const *marks, gsize n_marks, bool whole)
{
	for (gsize i = 0; i < n_marks; i++) {
		gsize length = strlen(marks[i]);
		if (g_ascii_strncasecmp(p, marks[i], length) == 0 &&
		    (!whole || !g_ascii_isalnum(p[length])))
			return length;
	}
	return 0;
}

/* The address written plainly around the "@" at @at, or NULL. */
static char *
read_plain(const char *text, const char *at)
{
	const char *start = at, *end = at + 1;
	while (start > text && is_local_char(start[-1]))
		start--;
	while (is_label_char(*end) || *end == '.')
		end++;
	while (end > at + 1 && end[-1] == '.')
		end--;
	if (start == at || memchr(at + 1, '.', (gsize)(end - at - 1)) == NULL)
		return NULL;
	return g_strndup(start, (gsize)(end - start));
}

/* The local part that ends before the spaces before @mark, or NULL. */
static char *
read_local_before(const char *text, const char *mark, bool spelled)
{
	const char *end = mark;
	while (end > text && end[-1] == ' ')
		end--;
	const char *start = end;
	while (start > text && is_local_char(start[-1]))
		start--;
	while (start < end && *start == '.')
		start++;
	if (start == end)
		return NULL;
	char *local = g_strndup(start, (gsize)(end - start));
	if (spelled) {
		for (gsize i = 0; i < G_N_ELEMENTS(preposition_before); i++)
			if (g_ascii_strcasecmp(local, preposition_before[i]) == 0) {
				g_free(local);
				return NULL;
			}
	}
	return local;
}

/* The labels from @p on, joined by dots plain or hidden, into @domain;
 * whether any dot was hidden in @hidden_dot. */
static void
read_domain(const char *p, GString *domain, bool *hidden_dot)
{
	for (;;) {
		while (*p == ' ')
			p++;
		const char *label = p;
		while (is_label_char(*p))
			p++;
		if (p == label)
			break;
		g_string_append_len(domain, label, p - label);
		if (*p == '.' && is_label_char(p[1])) {
			g_string_append_c(domain, '.');
			p++;
			continue;
		}
		const char *after = p;
		while (*after == ' ')
			after++;
		gsize dot = mark_length(after, bracketed_dots, G_N_ELEMENTS(bracketed_dots), false);
		if (dot == 0 && after > p && after[0] != '\0')
			dot = mark_length(after, spelled_dots, G_N_ELEMENTS(spelled_dots), true);
		if (dot == 0)
			break;
		g_string_append_c(domain, '.');
		*hidden_dot = true;
		p = after + dot;
	}
	if (domain->len > 0 && domain->str[domain->len - 1] == '.')
		g_string_truncate(domain, domain->len - 1);
}

/* Whether @domain has two labels or more and its last is a top-level
 * domain's name: letters only. */
static bool
is_domain(const char *domain)
{
	const char *last = strrchr(domain, '.');
	if (last == NULL || last == domain || strlen(last + 1) < 2)
		return false;
	for (const char *p = last + 1; *p != '\0'; p++)
		if (!g_ascii_isalpha(*p))
			return false;
	return true;
}

/* The address hidden around @mark (a bracketed "@" or, @spelled, a word
 * that stands for it), or NULL. */
static char *
read_hidden(const char *text, const char *mark, bool spelled)
{
	gsize length =
	        spelled ? mark_length(mark, spelled_ats, G_N_ELEMENTS(spelled_ats), true)
	                : mark_length(mark, bracketed_ats, G_N_ELEMENTS(bracketed_ats), false);
	if (length == 0 || (spelled && mark[length] != ' '))
		return NULL;
	g_autofree char *local = read_local_before(text, mark, spelled);
	if (local == NULL)
		return NULL;
	g_autoptr(GString) domain = g_string_new(NULL);
	bool hidden_dot = false;
	read_domain(mark + length, domain, &hidden_dot);
	if (!is_domain(domain->str) || (spelled && !hidden_dot))
		return NULL;
	return g_strdup_printf("%s@%s", local, domain->str);
}

/* The address that @p begins or ends, or NULL. */
static char *
read_address_at(const char *text, const char *p)
{
	if (*p == '@') {
		char *plain = read_plain(text, p);
		return plain != NULL ? plain : read_hidden(text, p, false);
	}
	if (strchr("[({<", *p) != NULL)
		return read_hidden(text, p, false);
	if (*p == ' ' && p > text && is_local_char(p[-1]) && g_ascii_isalpha(p[1]))
		return read_hidden(text, p + 1, true);
	return NULL;
}

char *
mail_referral_find_except(const char *text, const char *const *except)
{
	for (const char *p = text; *p != '\0'; p++) {
		char *address = read_address_at(text, p);
		if (address == NULL)
			continue;
		bool excluded = false;
		for (gsize i = 0; except != NULL && except[i] != NULL && !excluded; i++)
			excluded = g_ascii_strcasecmp(address, except[i]) == 0;
		if (!excluded)
			return address;
		g_free(address);
	}
	return NULL;
}

char *
mail_referral_find(const char *text, const char *sender)
{
	const char *except[] = {sender, NULL};
	return mail_referral_find_except(text, except);
}
