#include "mail/mail_reply_text.h"

#include "mail/mail_private.h"

#include <stdbool.h>
#include <string.h>

/* Lines between a phone's signature and the quote under it. */
#define SIGNATURE_TO_QUOTE_LINES 8
/* Lines read past the first quoted one (a quote header's look-ahead). */
#define LOOK_AHEAD_LINES 4
/* How much of a message an answer under its quote is looked for in. */
#define MAX_ANSWER_SCAN_BYTES 65536

/* Lines that start the quoted part. Matched on a lower-cased line (or two
 * joined: Gmail wraps "On ..., X <x@y>\nwrote:"). */
static const char *const quote_header_ends[] = {
        "wrote:",    "schrieb:",    "a écrit :",  "a écrit:",   "escribió:",     "ha scritto:",
        "schreef:",  "geschreven:", "pisze:",     "napisał:",   "napisała:",     "napisał(a):",
        "escreveu:", "skrev:",      "kirjoitti:", "napsal(a):", "napsal:",       "napsala:",
        "írta:",     "написал:",    "написала:",  "пишет:",     "yazdı:",        "έγραψε:",
        "写道：",    "写道:",       "寫道：",     "寫道:",      "が書きました:", "님이 작성:",
};
static const char *const quote_header_starts[] = {
        "on ", "am ", "le ", "el ", "il ", "op ", "w dniu ", "em ", "den ", "på ", "dne ",
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
        "begin forwarded message",
        "anfang der weitergeleiteten nachricht",
        "début du message réenvoyé",
        "inicio del mensaje reenviado",
        "inizio messaggio inoltrato",
        "begin doorgestuurd bericht",
        "início da mensagem encaminhada",
};
/* "-------- Forwarded Message --------" and its kin, in any language: a
 * line of dashes or underscores around one of these. */
static const char *const dashed_separators[] = {
        "forwarded message",
        "original message",
        "weitergeleitete nachricht",
        "ursprüngliche nachricht",
        /* Zimbra's "----- Ursprüngliche Mail -----", "----- Mail original -----" */
        "ursprüngliche mail",
        "mail original",
        "message transféré",
        "message d'origine",
        "message original",
        "mensaje reenviado",
        "mensaje original",
        "messaggio inoltrato",
        "messaggio originale",
        "doorgestuurd bericht",
        "oorspronkelijk bericht",
        "przekazana wiadomość",
        "wiadomość oryginalna",
        "mensagem encaminhada",
        "mensagem original",
        "reply message",
        "antwort nachricht",
        "oprindelig meddelelse",
        "opprinnelig melding",
        "ursprungligt meddelande",
        "alkuperäinen viesti",
        "původní zpráva",
        "eredeti üzenet",
        "исходное сообщение",
        "пересылаемое сообщение",
        "orijinal mesaj",
        "αρχικό μήνυμα",
        "原始邮件",
        "元のメッセージ",
        "원본 메시지",
        /* Samsung Email's German and Polish */
        "originalnachricht",
        "oryginalna wiadomość",
};
/* The first field of a message's raw header, as a relay writes it. */
static const char *const raw_header_starts[] = {
        "received: from ",
        "received: by ",
        "return-path: <",
};
/* Outlook's header block: a "From:" line (in the reader's language) soon
 * followed by a "Sent:" or a "Subject:" one. */
static const char *const outlook_from[] = {
        "from:",   "von:",    "de :",     "de:",        "da:",      "van:",
        "od:",     "fra:",    "från:",    "lähettäjä:", "feladó:",  "от:",
        "kimden:", "差出人:", "差出人：", "发件人:",    "发件人：", "보낸 사람:",
};
/* Lotus Notes puts the recipient first ("To: ... / From: ... / Date:"). */
static const char *const outlook_to[] = {
        "to:", "an:",  "à :",   "à:",    "para:",    "a:",    "aan:",
        "do:", "til:", "till:", "komu:", "címzett:", "кому:", "kime:",
};
static const char *const outlook_sent[] = {
        "sent:",       "gesendet:",   "envoyé :", "envoyé:",    "enviado:",   "enviado el:",
        "enviada em:", "enviado em:", "inviato:", "verzonden:", "wysłano:",   "date:",
        "datum:",      "fecha:",      "data:",    "envoyé le",  "subject:",   "betreff:",
        "objet :",     "objet:",      "asunto:",  "oggetto:",   "onderwerp:", "temat:",
        "assunto:",    "sendt:",      "skickat:", "emne:",      "ämne:",      "lähetetty:",
        "aihe:",       "odesláno:",   "předmět:", "elküldve:",  "tárgy:",     "отправлено:",
        "тема:",       "gönderildi:", "konu:",    "送信日時:",  "件名:",      "发送时间:",
        "主题:",       "보낸 날짜:",  "제목:",
};
/* What phones and mail apps sign with, in the eight languages and some
 * more (Swedish, Danish, Norwegian, Finnish, Czech, Hungarian, Russian,
 * Turkish), and
 * whatever device follows: "Sent from my Galaxy", "Von meinem
 * Samsung-Smartphone gesendet"). */
static const char *const signature_starts[] = {
        /* any app, any device: "Sent from Zoho Mail", "Sent with BlueMail",
         * "Sent from my Android phone with K-9 Mail" */
        "sent from ",
        "sent with ",
        "sent via ",
        "envoyé depuis courrier",
        "von mail für windows",
        "diese nachricht wurde von meinem",
        "get outlook for",
        "download outlook",
        "holen sie sich outlook",
        "gesendet von outlook",
        "pobierz aplikację outlook",
        "von outlook für",
        "von meinem ",
        "gesendet von meinem",
        "gesendet mit ",
        "envoyé de mon ",
        "envoyé depuis mon ",
        "envoyé à partir de",
        "envoyé avec ",
        "obtenir outlook pour",
        "télécharger outlook pour",
        "descargar outlook para",
        "baixar o outlook para",
        "outlook für ios",
        "outlook für android",
        "enviado desde mi ",
        "enviado desde ",
        "enviado con la aplicación",
        "obtener outlook para",
        "inviato da ",
        "inviato dal mio ",
        "inviato con ",
        "scarica outlook per",
        "verzonden vanaf mijn ",
        "verstuurd vanaf mijn ",
        "verzonden vanuit ",
        "verzonden met ",
        "verstuurd met ",
        "outlook voor ",
        "wysłane z ",
        "wysłano z ",
        "pobierz outlook",
        "enviado do meu ",
        "enviado a partir d",
        "enviado com ",
        "enviado de meu ",
        "enviado do ",
        "baixe o outlook",
        "gesendet von mail für windows",
        "skickat från min ",
        "skickat från ",
        "sendt fra min ",
        "sendt fra ",
        "lähetetty ",
        "odesláno z ",
        "küldve az én ",
        "отправлено с ",
        "iphone'umdan gönderildi",
        "az iphone-omról küldve",
        "az ipad-emről küldve",
        "trimis de pe ",
        "trimis din ",
        "στάλθηκε από ",
        "odoslané z ",
        "poslano s ",
        "poslano iz ",
        "надіслано з ",
};

static bool
ends_with_any(const char *line, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_str_has_suffix(line, words[i]))
			return true;
	return false;
}

/* Lower case, no-break spaces (French "a écrit :") made plain, trimmed;
 * the stars of bold text gone (Outlook's "*From:* ..." block, converted
 * from HTML). */
static char *
normalise(const char *line)
{
	g_autofree char *lower = mail_classify_dup_lower(line, -1);
	if (strchr(lower, '*') != NULL) {
		char *w = lower;
		for (const char *r = lower; *r != '\0'; r++)
			if (*r != '*')
				*w++ = *r;
		*w = '\0';
	}
	if (strstr(lower, "\xc2\xa0") == NULL && strstr(lower, "\xe2\x80\xaf") == NULL)
		return g_strstrip(g_steal_pointer(&lower));
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

/* Lines normalised once, on first use. */
typedef struct {
	char **lines;
	GPtrArray *normal; /* char *, NULL until computed */
} Lines;

static const char *
line_at(Lines *all, guint i)
{
	if (all->lines[i] == NULL)
		return NULL;
	while (all->normal->len <= i)
		g_ptr_array_add(all->normal, NULL);
	if (all->normal->pdata[i] == NULL)
		all->normal->pdata[i] = normalise(all->lines[i]);
	return all->normal->pdata[i];
}

/* "wrote", "schrieb", ... anywhere in @line, as a word. */
static bool
contains_quote_verb(const char *line)
{
	for (gsize i = 0; i < G_N_ELEMENTS(quote_header_ends); i++) {
		g_autofree char *verb =
		        g_strndup(quote_header_ends[i], strcspn(quote_header_ends[i], " :"));
		g_autofree char *spaced = g_strconcat(" ", verb, " ", NULL);
		if (strstr(line, spaced) != NULL)
			return true;
	}
	return false;
}

/* The next line that is not blank, from @i on; NULL past the end. */
static const char *
next_filled_line(Lines *all, guint i)
{
	while (all->lines[i] != NULL && all->lines[i][0] == '\0')
		i++;
	return all->lines[i];
}

/* "8:02", "07.09" (a clock time) somewhere in @line. */
static bool
has_clock_time(const char *line)
{
	for (const char *p = line; *p != '\0'; p++) {
		if (g_ascii_isdigit(p[0]) && (p[1] == ':' || p[1] == '.') &&
		    g_ascii_isdigit(p[2]) && g_ascii_isdigit(p[3]) && !g_ascii_isdigit(p[4]))
			return true;
	}
	return false;
}

/* A year of four digits ("2024") standing alone in @line. */
static bool
has_year(const char *line)
{
	for (const char *p = line; *p != '\0'; p++) {
		if ((p == line || !g_ascii_isdigit(p[-1])) &&
		    ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) &&
		    g_ascii_isdigit(p[2]) && g_ascii_isdigit(p[3]) && !g_ascii_isdigit(p[4]))
			return true;
	}
	return false;
}

/* An address ("x@y.z") somewhere in @line. */
static bool
has_address(const char *line)
{
	const char *at = strchr(line, '@');
	return at != NULL && at > line && strchr(at, '.') != NULL;
}

/* A day and month with a year of two digits: "01.12.26", "1/12/26". */
static bool
has_short_date(const char *line)
{
	for (const char *p = line; *p != '\0'; p++) {
		if (g_ascii_isdigit(p[0]) && (p[1] == '.' || p[1] == '/') &&
		    g_ascii_isdigit(p[2]) && g_ascii_isdigit(p[3]) && p[4] == p[1] &&
		    g_ascii_isdigit(p[5]) && g_ascii_isdigit(p[6]))
			return true;
	}
	return false;
}

/* Horde's and others' "Zitat von X <x@y>:", "Quoting X <x@y>:". */
static const char *const citing_starts[] = {"zitat von ", "quoting ", "citando ", "citation de "};

/* An attribution line ("On <date>, <name> wrote:"), which clients also wrap
 * over two or three lines ("On Wed, Dec 9, X\n<x@y>\nwrote:", "Am ...
 * schrieb X <\nx@y>:"). @joined is the line or the lines joined by a space;
 * @first_quoted whether a quoted line ('>') follows it. */
static bool
is_attribution(const char *joined, bool first_quoted)
{
	bool known_start = mail_classify_starts_with_any(joined, quote_header_starts,
	                                                 G_N_ELEMENTS(quote_header_starts));
	bool ends_in_verb =
	        ends_with_any(joined, quote_header_ends, G_N_ELEMENTS(quote_header_ends));
	bool ends_in_address = g_str_has_suffix(joined, ">:") || g_str_has_suffix(joined, "> :") ||
	                       g_str_has_suffix(joined, ">):");
	if (known_start && ends_in_verb)
		return true;
	/* "x@y.z wrote:", "Στις Τετ, 17 Απρ 2024, 8:02 μ.μ. ο χρήστης X x@y.z
	 * έγραψε:": a known verb last, an address before it, in words of a
	 * client we do not know. */
	if (ends_in_verb && has_address(joined))
		return true;
	/* "mar., 7 mai 2024, 07:09 X <x@y.z> a scris:", in a language whose
	 * verb we do not know: a date, a time and an address, then a colon. */
	if (g_str_has_suffix(joined, ":") && has_address(joined) && has_clock_time(joined) &&
	    has_year(joined))
		return true;
	/* "Am 01.12.2026 um 09:00 schrieb Alice <a@s.t>:", "15. marts 2017 kl.
	 * 11.00 skrev John <j@e.c>:": the verb inside, the address last. */
	if (ends_in_address && contains_quote_verb(joined))
		return true;
	/* "Am 01.12.26 um 09:00 schrieb Alice:", "Op 01-12-2026 om 09:00
	 * schreef Alice:": Thunderbird puts the name after the verb, and no
	 * address, when quoted lines follow. */
	if (first_quoted && known_start && contains_quote_verb(joined) &&
	    g_str_has_suffix(joined, ":"))
		return true;
	/* "Am 01.12.2026 09:00, schrieb Alice:" (Roundcube, Thunderbird),
	 * "Alice/ACME wrote on 01.12.2026 09:00:" (Notes) over a copy not
	 * quoted: the verb, a date and a clock time, then a colon. */
	if (contains_quote_verb(joined) && g_str_has_suffix(joined, ":") &&
	    has_clock_time(joined) && (has_year(joined) || has_short_date(joined)))
		return true;
	/* Horde's "Zitat von Alice <a@s.t>:", "Quoting Alice <a@s.t>:". */
	if (ends_in_address &&
	    mail_classify_starts_with_any(joined, citing_starts, G_N_ELEMENTS(citing_starts)))
		return true;
	/* "Carol Example wrote:" alone (Thunderbird, many webmails), or a
	 * client's words we do not know ("2022年7月4日(月) 8:13 Rick <r@e.c>:",
	 * and without the colon after a date: "2011/4/7 Rick <r@e.c>"), when
	 * quoted lines follow. */
	bool dated_address = g_ascii_isdigit(joined[0]) && g_str_has_suffix(joined, ">");
	return first_quoted && (ends_in_verb || ((ends_in_address || dated_address) &&
	                                         strchr(joined, '@') != NULL));
}

/* Lines a wrapped attribution goes on over: short ones, no blank between. */
#define ATTRIBUTION_LINES            3
#define ATTRIBUTION_CONTINUATION_MAX 100

/* Whether a wrapped attribution may start on @line: its words ("On",
 * "Am", ...) or a date's digits ("2014-10-17 11:28 GMT+03:00 X <"), so
 * that the line above one ("Thanks!") is not taken in. */
static bool
may_start_attribution(const char *line)
{
	return g_ascii_isdigit(line[0]) ||
	       mail_classify_starts_with_any(line, quote_header_starts,
	                                     G_N_ELEMENTS(quote_header_starts));
}

/* "------On 12/29/1987 17:32 PM, X wrote-----": an attribution between
 * dashes, without its colon. */
static bool
is_dashed_attribution(const char *line)
{
	if (line[0] != '-' || line[1] != '-')
		return false;
	g_autofree char *inner = g_strdup(line + strspn(line, "- "));
	gsize n = strlen(inner);
	while (n > 0 && (inner[n - 1] == '-' || inner[n - 1] == ' '))
		inner[--n] = '\0';
	g_autofree char *with_colon = g_strconcat(inner, ":", NULL);
	return mail_classify_starts_with_any(with_colon, quote_header_starts,
	                                     G_N_ELEMENTS(quote_header_starts)) &&
	       ends_with_any(with_colon, quote_header_ends, G_N_ELEMENTS(quote_header_ends));
}

/* Whether one of the @n lines from @from is a header line of Outlook's
 * block after its "From:" ("Sent:", "Subject:", ...). */
static bool
sent_line_within(Lines *all, guint from, guint n)
{
	for (guint j = from; j < from + n && all->lines[j] != NULL; j++)
		if (mail_classify_starts_with_any(line_at(all, j), outlook_sent,
		                                  G_N_ELEMENTS(outlook_sent)))
			return true;
	return false;
}

static bool
is_quote_header(Lines *all, guint i)
{
	const char *one = line_at(all, i);
	if (one[0] == '\0')
		return false;
	if (mail_classify_starts_with_any(one, separators, G_N_ELEMENTS(separators)))
		return true;
	if ((one[0] == '-' || one[0] == '_') && one[1] == one[0] &&
	    mail_classify_starts_with_any(one + strspn(one, "-_ "), dashed_separators,
	                                  G_N_ELEMENTS(dashed_separators)))
		return true;
	if (is_dashed_attribution(one))
		return true;
	/* The same in a language we have no words for ("---------- Původní
	 * e-mail ----------"): dashes around a few words, a header's "From:"
	 * line right under it. */
	if (g_str_has_prefix(one, "-----") && g_str_has_suffix(one, "-----")) {
		guint next = i + 1;
		while (all->lines[next] != NULL && all->lines[next][0] == '\0')
			next++;
		if (all->lines[next] != NULL &&
		    mail_classify_starts_with_any(line_at(all, next), outlook_from,
		                                  G_N_ELEMENTS(outlook_from)))
			return true;
	}
	/* A copy pasted whole with its raw header (a gateway's returned
	 * mail, a forward without a separator): never a person's words. */
	if (mail_classify_starts_with_any(one, raw_header_starts, G_N_ELEMENTS(raw_header_starts)))
		return true;
	g_autoptr(GString) joined = g_string_new(one);
	for (guint n = 0; n < ATTRIBUTION_LINES; n++) {
		guint last = i + n;
		if (n > 0) {
			if (!may_start_attribution(one) || all->lines[last] == NULL ||
			    all->lines[last][0] == '\0' || all->lines[last][0] == '>')
				break;
			const char *more = line_at(all, last);
			if (strlen(more) > ATTRIBUTION_CONTINUATION_MAX)
				break;
			g_string_append_c(joined, ' ');
			g_string_append(joined, more);
		}
		const char *after = next_filled_line(all, last + 1);
		if (is_attribution(joined->str, after != NULL && after[0] == '>'))
			return true;
	}
	if (mail_classify_starts_with_any(one, outlook_from, G_N_ELEMENTS(outlook_from))) {
		for (guint j = i + 1; j <= i + 3 && all->lines[j] != NULL; j++) {
			const char *later = line_at(all, j);
			if (mail_classify_starts_with_any(later, outlook_sent,
			                                  G_N_ELEMENTS(outlook_sent)))
				return true;
		}
	}
	if (mail_classify_starts_with_any(one, outlook_to, G_N_ELEMENTS(outlook_to))) {
		for (guint j = i + 1; j <= i + 2 && all->lines[j] != NULL; j++) {
			const char *later = line_at(all, j);
			if (mail_classify_starts_with_any(later, outlook_from,
			                                  G_N_ELEMENTS(outlook_from)) &&
			    strchr(later, '@') != NULL && sent_line_within(all, j + 1, 3))
				return true;
		}
	}
	/* Hotmail's block starts with its date ("Date: ... / Subject: ... /
	 * From: a@b"): the "From:" line comes later, with its address, or
	 * with a name only and a header line after it too ("Sent: ... / From:
	 * Alice / To: Carol / Subject: ..."). */
	if (mail_classify_starts_with_any(one, outlook_sent, G_N_ELEMENTS(outlook_sent))) {
		for (guint j = i + 1; j <= i + 3 && all->lines[j] != NULL; j++) {
			const char *later = line_at(all, j);
			if (!mail_classify_starts_with_any(later, outlook_from,
			                                   G_N_ELEMENTS(outlook_from)))
				continue;
			if (strchr(later, '@') != NULL || sent_line_within(all, j + 1, 3))
				return true;
		}
	}
	return false;
}

/* A short line an app signs with; "Von meinem ..." and "Diese Nachricht
 * wurde von meinem ..." only with their "gesendet" (German sentences start
 * so too). */
static bool
is_device_signature(const char *line)
{
	/* K-9 Mail signs on the line of its "-- " rule. */
	if (g_str_has_prefix(line, "-- "))
		line += 3;
	if (strlen(line) > 80 ||
	    !mail_classify_starts_with_any(line, signature_starts, G_N_ELEMENTS(signature_starts)))
		return false;
	bool german_sentence = g_str_has_prefix(line, "von meinem ") ||
	                       g_str_has_prefix(line, "diese nachricht wurde von meinem");
	return !german_sentence || strstr(line, "gesendet") != NULL;
}

/* What a receiving gateway puts above mail from outside (Microsoft 365's
 * "You don't often get email from ...", "CAUTION: This email originated
 * from outside of the organization ...", in the reader's language): no
 * one's words. A first paragraph that starts so ... */
static const char *const banner_starts[] = {
        "caution",
        "[external",
        "external",
        "[ext]",
        "warning",
        "notice",
        "achtung",
        "vorsicht",
        "[extern",
        "extern",
        "attention",
        "atención",
        "precaución",
        "attenzione",
        "let op",
        "uwaga",
        "atenção",
        "cuidado",
        "you don't often get email from",
        "some people who received this message don't often get email from",
        "sie erhalten nicht oft e-mails von",
        "vous ne recevez pas souvent",
        "no suele recibir correos",
        "non ricevi spesso",
        "u ontvangt niet vaak",
        "nie otrzymujesz często",
        "você não costuma receber",
};
/* ... and says where the message came from. */
static const char *const banner_words[] = {
        "outside of the organization",
        "outside of your organization",
        "outside the organization",
        "originated outside",
        "external sender",
        "external email",
        "externen absender",
        "außerhalb ihrer organisation",
        "außerhalb der organisation",
        "expéditeur externe",
        "l'extérieur de",
        "remitente externo",
        "fuera de la organización",
        "mittente esterno",
        "esterno all'organizzazione",
        "externe afzender",
        "buiten de organisatie",
        "zewnętrznego nadawcy",
        "spoza organizacji",
        "remetente externo",
        "fora da organização",
        "learn why this is important",
        "unless you recognize the sender",
        "recognise the sender",
};
#define BANNER_MAX_BYTES 400

const char *
mail_reply_text_after_banners(const char *text)
{
	if (text == NULL)
		return NULL;
	for (int banners = 0; banners < 3; banners++) {
		const char *start = text + strspn(text, " \t\r\n");
		const char *end = strstr(start, "\n\n");
		gsize n = end != NULL ? (gsize)(end - start) : strlen(start);
		if (n == 0 || n > BANNER_MAX_BYTES)
			return text;
		g_autofree char *paragraph = g_strndup(start, n);
		g_autofree char *lower = mail_classify_dup_folded(paragraph);
		if (!mail_classify_starts_with_any(lower + strspn(lower, " *"), banner_starts,
		                                   G_N_ELEMENTS(banner_starts)) ||
		    !mail_classify_has_any(lower, banner_words, G_N_ELEMENTS(banner_words)))
			return text;
		text = start + n;
	}
	return text;
}

/* The lines of @text a reader needs: up to a few past the first quoted
 * line, not a 50 KB history split for nothing. */
static char **
head_lines(const char *text)
{
	g_autofree char *head = NULL;
	const char *quoted = text[0] == '>' ? text : strstr(text, "\n>");
	if (quoted != NULL) {
		const char *end = quoted;
		for (int n = 0; n < LOOK_AHEAD_LINES && end != NULL; n++)
			end = strchr(end + 1, '\n');
		if (end != NULL)
			head = g_strndup(text, (gsize)(end - text));
	}
	return g_strsplit(head != NULL ? head : text, "\n", -1);
}

/* "Fine by me. On Wed, Apr 4, 2012 at 3:59 PM, b@e.c wrote:": the reply's
 * last words and the attribution on one line (a client lost the break).
 * How many bytes of @line are the reply's (dashes before the attribution
 * left out); 0 when the line is the attribution alone. */
static gsize
words_before_attribution(const char *line)
{
	for (const char *space = strchr(line, ' '); space != NULL; space = strchr(space + 1, ' ')) {
		g_autofree char *rest = normalise(space + 1);
		if (!mail_classify_starts_with_any(rest, quote_header_starts,
		                                   G_N_ELEMENTS(quote_header_starts)) ||
		    !ends_with_any(rest, quote_header_ends, G_N_ELEMENTS(quote_header_ends)))
			continue;
		gsize keep = (gsize)(space - line);
		while (keep > 0 && (line[keep - 1] == '-' || line[keep - 1] == ' '))
			keep--;
		return keep;
	}
	return 0;
}

/* The line where the new text ends, and in *@kept how many bytes of that
 * line are still the reply's; *@quote: a quoted history ends it (not a
 * signature, not the end). */
static guint
new_text_end(Lines *all, bool *quote, gsize *kept)
{
	*quote = false;
	*kept = 0;
	for (guint i = 0; all->lines[i] != NULL; i++) {
		const char *line = all->lines[i];
		const char *lower = line_at(all, i);
		if (line[0] == '>' || is_quote_header(all, i)) {
			*quote = true;
			if (line[0] != '>' && !may_start_attribution(lower))
				*kept = words_before_attribution(line);
			return i;
		}
		/* RFC 3676 4.3: "-- " alone starts the signature. */
		if (strcmp(line, "-- ") == 0 || strcmp(line, "--") == 0 ||
		    is_device_signature(lower))
			return i;
	}
	return g_strv_length(all->lines);
}

/* Whether the quote that starts at line @end is "> " lines (under an
 * attribution of a few lines at most): not an Outlook block or a
 * separator, under which the history is written without marks. */
static bool
quote_is_marked(Lines *all, guint end)
{
	for (guint j = end; j <= end + ATTRIBUTION_LINES && all->lines[j] != NULL; j++) {
		if (all->lines[j][0] == '>')
			return true;
		const char *lower = line_at(all, j);
		if (mail_classify_starts_with_any(lower, separators, G_N_ELEMENTS(separators)) ||
		    mail_classify_starts_with_any(lower, outlook_from,
		                                  G_N_ELEMENTS(outlook_from)) ||
		    mail_classify_starts_with_any(lower, raw_header_starts,
		                                  G_N_ELEMENTS(raw_header_starts)))
			return false;
	}
	return false;
}

/* A bottom-posted or inline answer (Thunderbird's habit, a list's
 * manners): nothing above the quote, the person's words under or between
 * its "> " lines. The unmarked lines after the first "> " one, up to a
 * signature or a further quote header. */
static char *
answer_under_quote(const char *text)
{
	gsize n = strlen(text);
	if (n > MAX_ANSWER_SCAN_BYTES) {
		/* Not inside a character: the text out stays UTF-8. */
		n = MAX_ANSWER_SCAN_BYTES;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	g_autofree char *bounded = g_strndup(text, n);
	g_auto(GStrv) lines = g_strsplit(bounded, "\n", -1);
	g_autoptr(GPtrArray) normal = g_ptr_array_new_with_free_func(g_free);
	Lines all = {.lines = lines, .normal = normal};
	GString *out = g_string_new(NULL);
	bool quoted = false;
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '>') {
			quoted = true;
			continue;
		}
		if (!quoted)
			continue;
		const char *lower = line_at(&all, i);
		/* A rule of underscores or dashes starts a list's or a
		 * client's footer, or an older message. */
		bool rule = strlen(lower) >= 5 && strspn(lower, "_-=") == strlen(lower);
		if (strcmp(lines[i], "-- ") == 0 || strcmp(lines[i], "--") == 0 || rule ||
		    is_device_signature(lower) || is_quote_header(&all, i))
			break;
		/* One blank line between answers, where quoted lines stood. */
		bool blank = lines[i][strspn(lines[i], " \t\r")] == '\0';
		if (blank && (out->len == 0 || g_str_has_suffix(out->str, "\n\n")))
			continue;
		g_string_append(out, lines[i]);
		g_string_append_c(out, '\n');
	}
	return g_strstrip(g_string_free(out, FALSE));
}

/* Words above a quote that point into it: the answers are written
 * between its lines ("Answers inline below.", "Meine Antworten im Text",
 * "Réponses ci-dessous"), in the eight languages. */
static const char *const inline_pointers[] = {
        "inline",        "in-line",      "below",     "between the lines",
        "im text",       "unten",        "zwischen",  "ci-dessous",
        "dans le texte", "en dessous",   "abajo",     "entre líneas",
        "en el texto",   "sotto",        "nel testo", "tra le righe",
        "hieronder",     "in de tekst",  "tussen de", "poniżej",
        "w treści",      "pod spodem",   "abaixo",    "no texto",
        "no corpo",      "entre linhas",
};
/* Words at most above the quote that only point into it. */
#define POINTER_WORDS 16

/* Whether @above (the new text over a quote) is short and points to
 * answers written into the quote. */
static bool
points_into_quote(const char *above)
{
	guint words = 0;
	for (const char *p = above; *p != '\0'; p++)
		if (!g_ascii_isspace(*p) && (p == above || g_ascii_isspace(p[-1])))
			words++;
	if (words > POINTER_WORDS)
		return false;
	g_autofree char *lower = mail_classify_dup_lower(above, -1);
	return MAIL_CLASSIFY_HAS(lower, inline_pointers);
}

char *
mail_reply_text_extract(const char *text)
{
	text = mail_reply_text_after_banners(text);
	g_auto(GStrv) lines = head_lines(text);
	g_autoptr(GPtrArray) normal = g_ptr_array_new_with_free_func(g_free);
	Lines all = {.lines = lines, .normal = normal};
	bool quote = false;
	gsize kept = 0;
	guint end = new_text_end(&all, &quote, &kept);
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < end; i++) {
		g_string_append(out, lines[i]);
		g_string_append_c(out, '\n');
	}
	g_string_append_len(out, lines[end] != NULL ? lines[end] : "", (gssize)kept);
	char *result = g_strstrip(g_string_free(out, FALSE));
	if (result[0] == '\0' && quote && quote_is_marked(&all, end)) {
		g_free(result);
		result = answer_under_quote(text);
	} else if (quote && quote_is_marked(&all, end) && points_into_quote(result)) {
		/* "Answers inline below." over "> Would a call help?" and "Yes,
		 * Tuesday works.": the answers are the reply's too. */
		g_autofree char *answers = answer_under_quote(text);
		if (answers[0] != '\0') {
			char *joined = g_strconcat(result, "\n\n", answers, NULL);
			g_free(result);
			result = joined;
		}
	}
	return result;
}

bool
mail_reply_text_has_quote(const char *text)
{
	g_auto(GStrv) lines = head_lines(text);
	g_autoptr(GPtrArray) normal = g_ptr_array_new_with_free_func(g_free);
	Lines all = {.lines = lines, .normal = normal};
	bool quote = false;
	gsize kept = 0;
	guint end = new_text_end(&all, &quote, &kept);
	/* A signature ("Sent from my iPhone") over the quote: still a quote,
	 * when it starts within a few lines. */
	for (guint i = end; !quote && lines[i] != NULL && i <= end + SIGNATURE_TO_QUOTE_LINES; i++)
		quote = lines[i][0] == '>' || is_quote_header(&all, i);
	return quote;
}
