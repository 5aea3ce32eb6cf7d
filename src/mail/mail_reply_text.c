#include "mail/mail_reply_text.h"

#include <stdbool.h>
#include <string.h>

/* Lines that start the quoted part. Matched on a lower-cased line (or two
 * joined: Gmail wraps "On ..., X <x@y>\nwrote:"). */
static const char *const quote_header_ends[] = {
        "wrote:", "schrieb:", "a écrit :", "a écrit:",  "escribió:", "ha scritto:", "schreef:",
        "pisze:", "napisał:", "napisała:", "escreveu:", "skrev:",    "kirjoitti:",
};
static const char *const quote_header_starts[] = {
        "on ", "am ", "le ", "el ", "il ", "op ", "w dniu ", "em ", "den ",
};
static const char *const separators[] = {
        "-----original message-----",
        "----- original message -----",
        "-----ursprüngliche nachricht-----",
        "-----message d'origine-----",
        "-----mensaje original-----",
        "-----messaggio originale-----",
        "-----oorspronkelijk bericht-----",
        "-----wiadomość oryginalna-----",
        "-----mensagem original-----",
        "________________________________",
        "---------- forwarded message ---------",
};
/* Outlook's header block: a "From:" line (in the reader's language) soon
 * followed by a "Sent:" one. */
static const char *const outlook_from[] = {"from:", "von:", "de :", "de:", "da:", "van:", "od:"};
static const char *const outlook_sent[] = {
        "sent:",    "gesendet:", "envoyé :", "envoyé:", "enviado:", "inviato:",  "verzonden:",
        "wysłano:", "date:",     "datum:",   "fecha:",  "data:",    "envoyé le",
};
static const char *const signature_starts[] = {
        "sent from my iphone",
        "sent from my ipad",
        "sent from my android",
        "sent from outlook",
        "get outlook for",
        "von meinem iphone gesendet",
        "von meinem ipad gesendet",
        "envoyé de mon iphone",
        "enviado desde mi iphone",
        "inviato da iphone",
        "verzonden vanaf mijn iphone",
        "wysłane z iphone",
        "enviado do meu iphone",
        "sent from mail for windows",
};

static bool
starts_with_any(const char *line, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_str_has_prefix(line, words[i]))
			return true;
	return false;
}

static bool
ends_with_any(const char *line, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_str_has_suffix(line, words[i]))
			return true;
	return false;
}

/* Lower case, no-break spaces (French "a écrit :") made plain, trimmed. */
static char *
normalise(const char *line)
{
	g_autofree char *lower = g_utf8_strdown(line, -1);
	GString *out = g_string_new(NULL);
	for (const char *p = lower; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == 0x00a0 || c == 0x202f)
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, c);
	}
	return g_strstrip(g_string_free(out, FALSE));
}

static bool
is_quote_header(char **lines, guint i)
{
	g_autofree char *one = normalise(lines[i]);
	if (one[0] == '\0')
		return false;
	if (starts_with_any(one, separators, G_N_ELEMENTS(separators)))
		return true;
	if (starts_with_any(one, quote_header_starts, G_N_ELEMENTS(quote_header_starts)) &&
	    ends_with_any(one, quote_header_ends, G_N_ELEMENTS(quote_header_ends)))
		return true;
	/* "Am 3. März 2026 um 10:00 schrieb Carol <c@p.t>:" also ends in ">:". */
	if (starts_with_any(one, quote_header_starts, G_N_ELEMENTS(quote_header_starts)) &&
	    lines[i + 1] != NULL) {
		g_autofree char *next = normalise(lines[i + 1]);
		if (ends_with_any(next, quote_header_ends, G_N_ELEMENTS(quote_header_ends)) &&
		    strlen(next) < 40)
			return true;
	}
	if (starts_with_any(one, outlook_from, G_N_ELEMENTS(outlook_from))) {
		for (guint j = i + 1; j <= i + 3 && lines[j] != NULL; j++) {
			g_autofree char *later = normalise(lines[j]);
			if (starts_with_any(later, outlook_sent, G_N_ELEMENTS(outlook_sent)))
				return true;
		}
	}
	return false;
}

char *
mail_reply_text_extract(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint end = g_strv_length(lines);
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *line = lines[i];
		g_autofree char *lower = normalise(line);
		if (line[0] == '>' || is_quote_header(lines, i)) {
			end = i;
			break;
		}
		/* RFC 3676 4.3: "-- " alone starts the signature. */
		if (strcmp(line, "-- ") == 0 || strcmp(line, "--") == 0 ||
		    starts_with_any(lower, signature_starts, G_N_ELEMENTS(signature_starts))) {
			end = i;
			break;
		}
	}
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < end; i++) {
		g_string_append(out, lines[i]);
		g_string_append_c(out, '\n');
	}
	char *result = g_string_free(out, FALSE);
	return g_strstrip(result);
}
