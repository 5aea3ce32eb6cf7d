#include "mail/mail_intent_letter.h"

#include "mail/mail_intent_text.h"
#include "mail/mail_private.h"

#include <string.h>

/* A company footer under the writer's own words speaks as the sender
 * ("Want to stop hearing from us? Opt out.", "Not interested in our
 * updates? Unsubscribe.", "Sie möchten keine E-Mails mehr von uns
 * erhalten?"): a stop offered to the reader, no request of the writer's. */
static const char *const sender_voice_words[] = {
        "from us",
        "our updates",
        "our emails",
        "our e-mails",
        "our mailings",
        "our messages",
        "our communications",
        "von uns",
        "unsere e-mails",
        "unsere mails",
        "unsere nachrichten",
        "de notre part",
        "de nous",
        "nos e-mails",
        "nos emails",
        "nos communications",
        "nuestros correos",
        "nuestras comunicaciones",
        "de nosotros",
        "le nostre email",
        "le nostre comunicazioni",
        "da noi",
        "van ons",
        "onze e-mails",
        "onze mails",
        "od nas",
        "naszych wiadomości",
        "nossos e-mails",
        "nossas comunicações",
        "de nós",
};

/* The same offer put as a question of the reader's wish to receive no
 * more ("¿No quiere recibir más correos?", "Geen e-mails meer
 * ontvangen?"): a wish and a receiving, or Dutch's verbless form. */
static const char *const wish_words[] = {
        "want", "wish",     "möchten", "wollen", "souhaitez", "voulez", "quiere", "desea",
        "vuoi", "desidera", "wilt",    "wil je", "chcesz",    "chcą",   "quer",   "deseja",
};
static const char *const receive_words[] = {
        "receiv",   "erhalten",  "recevoir",   "recibir",
        "ricevere", "ontvangen", "otrzymywać", "receber",
};

bool
mail_intent_letter_speaks_as_sender(const char *sentence)
{
	return mail_intent_text_has_phrase_at_word(sentence, sender_voice_words,
	                                           G_N_ELEMENTS(sender_voice_words), true);
}

static bool
offers_as_sender(const char *sentence)
{
	return mail_intent_letter_speaks_as_sender(sentence) ||
	       (mail_classify_has_any(sentence, receive_words, G_N_ELEMENTS(receive_words)) &&
	        (mail_classify_has_any(sentence, wish_words, G_N_ELEMENTS(wish_words)) ||
	         strstr(sentence, "meer ontvangen") != NULL));
}

/* Words at most in the answer a footer gives its own question ("Dann
 * melden Sie sich hier ab."). */
#define FOOTER_ANSWER_WORDS 8

char *
mail_intent_letter_dup_without_footer_offers(const char *body)
{
	GString *out = g_string_sized_new(strlen(body));
	const char *p = body;
	while (*p != '\0') {
		const char *end = mail_classify_sentence_end(p, false);
		g_autofree char *sentence =
		        end > p && end[-1] == '?' ? g_strndup(p, (gsize)(end - p)) : NULL;
		if (sentence != NULL && offers_as_sender(sentence)) {
			const char *next = end + strspn(end, " ");
			const char *next_end = mail_classify_sentence_end(next, false);
			g_autofree char *answer = g_strndup(next, (gsize)(next_end - next));
			p = mail_intent_text_count_words(answer) <= FOOTER_ANSWER_WORDS ? next_end
			                                                                : end;
			continue;
		}
		g_string_append_len(out, p, end - p);
		p = end;
	}
	return g_string_free(out, FALSE);
}

/* A line that signs off ("Best regards", "Mit freundlichen Grüßen"):
 * what follows is a signature. */
static const char *const sign_offs[] = {
        "best regards",
        "kind regards",
        "warm regards",
        "regards",
        "best,",
        "best wishes",
        "cheers",
        "thanks,",
        "thank you,",
        "many thanks",
        "sincerely",
        "mit freundlichen grüßen",
        "mit freundlichen grüssen",
        "viele grüße",
        "beste grüße",
        "freundliche grüße",
        "gruß",
        "cordialement",
        "bien à vous",
        "bien cordialement",
        "salutations",
        "saludos",
        "un saludo",
        "atentamente",
        "cordiali saluti",
        "distinti saluti",
        "saluti",
        "met vriendelijke groet",
        "vriendelijke groet",
        "groeten",
        "z poważaniem",
        "pozdrawiam",
        "pozdrowienia",
        "atenciosamente",
        "cumprimentos",
        "abraços",
        /* the short and friendly ones */
        "abraço",
        "abs,",
        "att,",
        "cordialmente",
        "groet",
        "all the best",
        "talk soon",
        "warmly",
        "thanks!",
        "thank you!",
        "rgds",
        "br,",
        "kr,",
        "liebe grüße",
        "grüße",
        "lg,",
        "mfg",
        "vg,",
        "bises",
        "bonne journée",
        "un abrazo",
        "abrazos",
        "un saluto",
        "a presto",
        "buona giornata",
};

/* Lines of a sign-off are short: "Best regards," not "Regards to your
 * team, and can we talk on Tuesday?". */
#define SIGN_OFF_LINE_MAX 32

/* Whether @line (lower case, trimmed) is a sign-off and at most a name
 * ("Best regards," "Thanks, Anna"), not "Thanks, Tuesday 10am works". */
static bool
is_sign_off(const char *line)
{
	for (gsize i = 0; i < G_N_ELEMENTS(sign_offs); i++) {
		if (!g_str_has_prefix(line, sign_offs[i]))
			continue;
		const char *rest = line + strlen(sign_offs[i]);
		for (const char *p = rest; *p != '\0'; p++)
			if (g_ascii_isdigit(*p))
				return false;
		return mail_intent_text_count_words(rest) <= MAIL_INTENT_LETTER_NAME_WORDS &&
		       !mail_intent_text_names_weekday(rest);
	}
	return false;
}

/* Where the sign-off line of @text starts (its length when there is
 * none), and in *@line_end where that line ends. */
static gsize
sign_off_at(const char *text, gsize *line_end)
{
	*line_end = strlen(text);
	for (const char *line = text; *line != '\0';) {
		const char *end = strchr(line, '\n');
		const char *stop = end != NULL ? end : line + strlen(line);
		const char *first = line;
		while (first < stop && g_ascii_isspace(*first))
			first++;
		const char *last = stop;
		while (last > first && g_ascii_isspace(last[-1]))
			last--;
		gsize n = (gsize)(last - first);
		if (line != text && n > 0 && n <= SIGN_OFF_LINE_MAX) {
			/* Folded: "Best&nbsp;regards," is a sign-off too. */
			g_autofree char *raw = g_strndup(first, n);
			g_autofree char *lower = mail_intent_text_dup_folded(raw);
			if (is_sign_off(lower)) {
				*line_end = (gsize)(stop - text);
				return (gsize)(line - text);
			}
		}
		if (end == NULL)
			break;
		line = end + 1;
	}
	return strlen(text);
}

char *
mail_intent_letter_dup_above_sign_off(const char *text)
{
	gsize line_end = 0;
	g_autofree char *above = g_strndup(text, sign_off_at(text, &line_end));
	return mail_intent_text_dup_folded(above);
}

/* What starts a postscript's line: "P.S.", "PS:", "PPS". */
static const char *const postscript_starts[] = {"p.s", "ps:", "ps ", "pps", "p.p.s"};

char *
mail_intent_letter_dup_through_sign_off(const char *text)
{
	gsize line_end = 0;
	if (sign_off_at(text, &line_end) == strlen(text))
		return NULL;
	for (const char *line = text + line_end; *line != '\0';) {
		const char *start = line + strspn(line, " \t\n");
		const char *end = start + strcspn(start, "\n");
		g_autofree char *lower = mail_classify_dup_lower(start, end - start);
		if (mail_classify_starts_with_any(lower, postscript_starts,
		                                  G_N_ELEMENTS(postscript_starts)))
			return NULL;
		if (*end == '\0')
			break;
		line = end + 1;
	}
	g_autofree char *through = g_strndup(text, line_end);
	return mail_intent_text_dup_folded(through);
}

/* The line a mail program writes when its reader presses "Unsubscribe"
 * on our List-Unsubscribe mailto (the subject is ours: "unsubscribe"). */
static const char *const unsubscribe_button_lines[] = {
        "automatically generated by gmail",
        "sent this email to unsubscribe",
        "sent this message to unsubscribe",
};

char *
mail_intent_letter_dup_without_button_lines(const char *text)
{
	GString *kept = g_string_new(NULL);
	for (const char *line = text; *line != '\0';) {
		const char *lf = strchr(line, '\n');
		gsize n = lf != NULL ? (gsize)(lf - line) + 1 : strlen(line);
		g_autofree char *lower = mail_classify_dup_lower(line, (gssize)n);
		if (!mail_classify_has_any(lower, unsubscribe_button_lines,
		                           G_N_ELEMENTS(unsubscribe_button_lines)))
			g_string_append_len(kept, line, (gssize)n);
		line += n;
	}
	return g_string_free(kept, FALSE);
}

/* What a first line opens a letter with, in the eight languages. */
static const char *const greetings[] = {
        "hi",           "hello",          "hey",         "dear",
        "good morning", "good afternoon", "hallo",       "guten tag",
        "guten morgen", "sehr geehrte",   "liebe",       "lieber",
        "moin",         "servus",         "bonjour",     "salut",
        "bonsoir",      "hola",           "buenos días", "buenas tardes",
        "estimad",      "buongiorno",     "buonasera",   "ciao",
        "gentile",      "salve",          "beste",       "hoi",
        "goedemorgen",  "goedemiddag",    "geachte",     "dzień dobry",
        "witam",        "cześć",          "szanown",     "olá",
        "oi",           "bom dia",        "boa tarde",   "prezad",
        "caro",         "cara",
};

/* How a letter thanks before it answers: "Thanks for reaching out.",
 * "Danke für Ihre Nachricht.", in the eight languages. */
static const char *const thanks_openers[] = {
        "thanks for",   "thank you for",    "danke für",    "vielen dank für",
        "merci pour",   "merci de",         "gracias por",  "muchas gracias por",
        "grazie per",   "grazie mille per", "bedankt voor", "dank voor",
        "dank je voor", "dziękuję za",      "dzięki za",    "obrigado pela",
        "obrigado por", "obrigada pela",    "obrigada por",
};

/* @core without a first sentence that only thanks (up to its stop). */
static const char *
after_thanks_opener(const char *core)
{
	if (!mail_classify_starts_with_any(core, thanks_openers, G_N_ELEMENTS(thanks_openers)))
		return core;
	const char *stop = strpbrk(core, ".!");
	if (stop == NULL || stop - core > 60 || memchr(core, ',', (gsize)(stop - core)) != NULL ||
	    memchr(core, '?', (gsize)(stop - core)) != NULL)
		return core;
	return stop + 1 + strspn(stop + 1, " ");
}

/* Whether @line (folded) is only a greeting and maybe a name: "hi
 * alice,", "dzień dobry,", "sehr geehrte frau alice,". */
static bool
is_greeting_line(const char *line)
{
	gsize n = strlen(line);
	if (n == 0 || n > SIGN_OFF_LINE_MAX + 8)
		return false;
	for (gsize i = 0; i < G_N_ELEMENTS(greetings); i++) {
		gsize length = strlen(greetings[i]);
		if (strncmp(line, greetings[i], length) == 0 &&
		    (line[length] == '\0' || !g_ascii_isalnum(line[length])) &&
		    mail_intent_text_count_words(line) <= 4 && strpbrk(line, ".?") == NULL)
			return true;
	}
	return false;
}

char *
mail_intent_letter_dup_core(const char *text)
{
	const char *start = text + strspn(text, " \t\r\n");
	const char *end = strchr(start, '\n');
	if (end != NULL) {
		g_autofree char *first = g_strndup(start, (gsize)(end - start));
		g_autofree char *folded_first = mail_intent_text_dup_folded(first);
		if (is_greeting_line(folded_first))
			start = end + 1;
	}
	g_autofree char *above = mail_intent_letter_dup_above_sign_off(start);
	g_autofree char *words = mail_intent_letter_dup_without_footer_offers(above);
	return g_strdup(after_thanks_opener(words));
}
