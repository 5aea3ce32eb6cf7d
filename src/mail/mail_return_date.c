#include "mail/mail_return_date.h"

#include "mail/mail_date_words.h"
#include "mail/mail_intent_date.h"
#include "mail/mail_private.h"

#include <stdbool.h>
#include <string.h>

/* How far before a date a word like "until" or "bis" may stand. */
#define TRIGGER_WINDOW_BYTES 48
#define MAX_CANDIDATES       64
/* How far before a range's link its first date may end ("2 December -"). */
#define RANGE_GAP_BYTES 12
/* A yearless date this many days past or fewer is this year's. */
#define RECENTLY_PAST_DAYS 45

/* Words after which a date is the day someone is back. Matched at the
 * start of a word, lower case. */
static const char *const back_triggers[] = {
        "back",
        "return",
        "returning",
        "reachable",
        "wieder",
        "zurück",
        "retour",
        "rentre",
        "vuelta",
        "regreso",
        "regres",
        "rientro",
        "tornerò",
        "torno",
        "terug",
        "weer",
        "powrót",
        "wracam",
        "volta",
        "regresso",
        "retorno",
        "de volta",
        "ritorno",
        "вернусь",
        "выйду",
        "volveré",
        "di nuovo",
        "vuelvo",
        "regresaré",
        "rientrer",
        "reviens",
        "volto",
        "powrotem",
        "wrócę",
        "wróci",
        "retornarei",
        "retornará",
        /* an office that opens again: "we reopen on 4 January" */
        "reopen",
        "re-open",
        "réouvr",
        "reabr",
        "riapr",
        "weer open",
        "wieder geöffnet",
        "retornando",
};
/* Words after which a date may be the day someone is back ("ab dem 4.1.
 * wieder im Büro") or the first day away ("ab dem 21.12. im Urlaub"): the
 * latest such date, unless a "back" or an "until" word says more. */
static const char *const from_triggers[] = {
        "ab dem", "ab ", "vanaf", "a partir d", "à partir d", "a partire d", "с ",
};
/* Words after which a date is the last day away: back the day after. */
static const char *const until_triggers[] = {
        "until", "till",    "bis", "jusqu", "hasta", "fino", "through", "thru", "tot en met", "t/m",
        "tot ",  "do dnia", "do ", "até",   "au ",   "al ",  "до ",     "по ",  "after ",
};
/* What the words around a date say it is. */
enum {
	TRIGGER_NONE = 0,
	TRIGGER_UNTIL = 1, /* the last day away: back the day after */
	TRIGGER_BACK = 2,  /* the day of return */
	TRIGGER_FROM = 3,  /* the first day away or the day of return: the latest */
};

typedef struct {
	gsize offset;
	int year;  /* 0 when not given */
	int month; /* 0: the next such day of a month ("back on the 14th") */
	int day;
	int trigger;       /* TRIGGER_BACK or TRIGGER_UNTIL said after the date
	                    * (Japanese, Korean, Chinese); TRIGGER_NONE: read the
	                    * words before it */
	int weekday;       /* "Monday the 4th": the day's weekday (GDateWeekday), or 0 */
	bool either_order; /* "12/10", "1/4/2027": 12 October or December 10 */
	int iso_week;      /* "KW 51": the week's number (its Monday), else 0 */
} Candidate;

/* The weekday (1 to 7) named right before @at in @text ("monday, the"),
 * or 0. */
static int
weekday_before(const char *text, const char *at)
{
	const char *end = at;
	while (end > text && (end[-1] == ' ' || end[-1] == ','))
		end--;
	for (gsize i = 0; i < mail_date_words_n_days; i++) {
		gsize n = strlen(mail_date_words_days[i].name);
		if (mail_date_words_days[i].weekday != 0 && (gsize)(end - text) >= n &&
		    strncmp(end - n, mail_date_words_days[i].name, n) == 0 &&
		    (end - n == text || !g_ascii_isalnum(end[-(gssize)n - 1])))
			return mail_date_words_days[i].weekday;
	}
	return 0;
}

/* Words between a weekday and its day: "Montag, den 14.", "segunda-feira,
 * dia 14", "maandag de 14e". */
static const char *const weekday_day_fillers[] = {"den ", "dia ", "de ", "der "};

/* The weekday named before the day at @at, over a filler word, or 0. */
static int
weekday_before_day(const char *text, const char *at)
{
	int weekday = weekday_before(text, at);
	if (weekday != 0)
		return weekday;
	const char *filler = mail_classify_word_before(text, at, weekday_day_fillers,
	                                               G_N_ELEMENTS(weekday_day_fillers));
	return filler != NULL ? weekday_before(text, at - strlen(filler)) : 0;
}

/* Whether a number is a clock's hour: "14 Uhr", "14:00", "14h", "2 pm". */
static bool
is_hour_after(const char *q)
{
	if (*q == ':' || *q == 'h')
		return true;
	while (*q == ' ')
		q++;
	return g_str_has_prefix(q, "uhr") || g_str_has_prefix(q, "am") ||
	       g_str_has_prefix(q, "pm") || (q[0] == 'h' && !g_ascii_isalpha(q[1])) ||
	       g_str_has_prefix(q, "o'clock") || g_str_has_prefix(q, "heures") ||
	       g_str_has_prefix(q, "horas") || g_str_has_prefix(q, "ore ") ||
	       g_str_has_prefix(q, "uur");
}

/* The words that follow a date in Japanese, Korean and Chinese and say
 * what it is: the last day away ("11月20日まで", "11월 20일까지") or the
 * day of return ("20日から出社", "11月20日返回"). */
static const char *const cjk_until_after[] = {"まで", "까지", "前", "之前", "为止"};
static const char *const cjk_back_after[] = {"から", "より", "に戻", "出社", "返回",
                                             "回来", "回到", "上班", "복귀", "돌아"};

static bool
is_word_byte(unsigned char c)
{
	return g_ascii_isalnum(c) || c >= 0x80;
}

/* The words that stand before a day of no month in the other languages,
 * as "the" does in "back on the 14th": "bis zum 7.", "ab dem 7.",
 * "jusqu'au 7", "le 7", "hasta el 7", "fino al 7", "tot de 7e", "do 7.". */
static const char *const day_articles[] = {
        "zum ", "dem ", "am ", "jusqu'au ", "au ", "le ",   "el ", "al ",
        "il ",  "dal ", "de ", "do ",       "od ", "dnia ", "o ",  "até ",
};

/* Whether the number at @at (its digits end at @q) is a day alone after
 * one of the day_articles: it ends its sentence or clause ("jusqu'au 7.",
 * "le 7,") or carries the ordinal's mark ("7e", German "7." before more
 * words), never a count ("do 7 dni") or a clock ("le 7 à 9h"). */
static bool
day_alone_after_article(const char *text, const char *at, const char *q)
{
	gsize mark = q[0] == 'e' ? (q[1] == 'r' ? 2 : 1) : 0;
	bool ends = *q == '\0' || strchr(".,;!)\r\n", *q) != NULL ||
	            (mark > 0 && !is_word_byte((unsigned char)q[mark]));
	if (!ends)
		return false;
	for (gsize i = 0; i < G_N_ELEMENTS(day_articles); i++) {
		gsize length = strlen(day_articles[i]);
		const char *word = at - length;
		if ((gsize)(at - text) >= length && strncmp(word, day_articles[i], length) == 0 &&
		    (word == text || !is_word_byte((unsigned char)word[-1]) || word[-1] == '\''))
			return true;
	}
	return false;
}

/* A number of 1 to 4 digits at @p; sets *@length. */
static int
read_number(const char *p, gsize *length)
{
	int n = 0;
	gsize i = 0;
	while (i < 4 && g_ascii_isdigit(p[i]))
		n = n * 10 + (p[i++] - '0');
	*length = i;
	return n;
}

int
mail_return_date_month_at(const char *p, gsize *length)
{
	for (gsize i = 0; i < mail_date_words_n_months; i++) {
		/* The first byte first: this runs at every word of a text. */
		if (p[0] != mail_date_words_months[i].name[0])
			continue;
		gsize n = strlen(mail_date_words_months[i].name);
		if (strncmp(p, mail_date_words_months[i].name, n) == 0 &&
		    !is_word_byte((unsigned char)p[n])) {
			/* "mar" is no month in "mardi" (word boundary checked) nor
			 * alone in Spanish "mar" (sea)... accepted: rare in an OOO. */
			*length = n + (p[n] == '.' ? 1 : 0);
			return mail_date_words_months[i].month;
		}
	}
	return 0;
}

static const char *
skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n')
		p++;
	return p;
}

/* An optional year after a date: " 2027" or " '27" are not both needed;
 * four digits only. */
static int
year_after(const char *p)
{
	p = skip_spaces(p);
	gsize n = 0;
	int year = read_number(p, &n);
	return n == 4 && year >= 2000 && year < 2100 && !g_ascii_isdigit(p[n]) ? year : 0;
}

static bool
add(GArray *candidates, gsize offset, int year, int month, int day)
{
	if (month < 0 || month > 12 || day < 1 || day > 31 || candidates->len >= MAX_CANDIDATES)
		return false;
	Candidate candidate = {.offset = offset, .year = year, .month = month, .day = day};
	g_array_append_val(candidates, candidate);
	return true;
}

/* "11月20日" (Japanese, Chinese: also "号"), "11월 20일" (Korean) at @p,
 * the month's digits read: the day, then what the words after it say. */
static bool
scan_cjk(GArray *candidates, gsize offset, int month, const char *after_month)
{
	const char *r = after_month;
	while (*r == ' ')
		r++;
	gsize n = 0;
	int day = read_number(r, &n);
	if (n < 1 || n > 2)
		return false;
	r += n;
	if (!g_str_has_prefix(r, "日") && !g_str_has_prefix(r, "일") && !g_str_has_prefix(r, "号"))
		return false;
	r += 3;
	/* "20日（金）まで": a weekday in brackets may stand between. */
	if (g_str_has_prefix(r, "（") || *r == '(') {
		const char *close = strstr(r, *r == '(' ? ")" : "）");
		if (close != NULL && close - r <= 12)
			r = close + (*r == '(' ? 1 : 3);
	}
	while (*r == ' ')
		r++;
	if (!add(candidates, offset, 0, month, day))
		return false;
	Candidate *added = &g_array_index(candidates, Candidate, candidates->len - 1);
	added->trigger =
	        mail_classify_starts_with_any(r, cjk_until_after, G_N_ELEMENTS(cjk_until_after))
	                ? TRIGGER_UNTIL
	        : mail_classify_starts_with_any(r, cjk_back_after, G_N_ELEMENTS(cjk_back_after))
	                ? TRIGGER_BACK
	                : TRIGGER_NONE;
	/* "12月28日から1月5日まで": "from" the first day of a range, not a
	 * return; its second date says until when. */
	if (g_str_has_prefix(r, "から") || g_str_has_prefix(r, "より")) {
		const char *next = r + strlen("から");
		while (*next == ' ')
			next++;
		if (g_ascii_isdigit(*next))
			added->trigger = TRIGGER_NONE;
	}
	return true;
}

/* A German calendar week at @p ("KW 51", "KW51", "Kalenderwoche 2",
 * "KW 2/2027"): a candidate for its Monday. */
static bool
scan_calendar_week(GArray *candidates, gsize offset, const char *p)
{
	const char *q = NULL;
	if (g_str_has_prefix(p, "kw"))
		q = p + 2;
	else if (g_str_has_prefix(p, "kalenderwoche"))
		q = p + strlen("kalenderwoche");
	if (q == NULL)
		return false;
	if (*q == '.')
		q++;
	q = skip_spaces(q);
	gsize n = 0;
	int week = read_number(q, &n);
	if (n < 1 || n > 2 || week < 1 || week > 53 || candidates->len >= MAX_CANDIDATES)
		return false;
	int year = 0;
	if (q[n] == '/' || q[n] == ' ')
		year = year_after(q + n + (q[n] == '/'));
	Candidate candidate = {
	        .offset = offset, .year = year, .month = 1, .day = 1, .iso_week = week};
	g_array_append_val(candidates, candidate);
	return true;
}

/* Units a count is of, in the eight languages, as whole words: a "2-3"
 * before one is no date ("in 2-3 weeks"), a "12/3 and 13/3" stays two. */
static const char *const count_units[] = {
        "day",       "days",      "week",     "weeks",    "month",   "months", "year",  "years",
        "hours",     "tag",       "tage",     "tagen",    "woche",   "wochen", "monat", "monate",
        "monaten",   "jahr",      "jahre",    "jahren",   "stunden", "jour",   "jours", "semaine",
        "semaines",  "mois",      "ans",      "heures",   "día",     "días",   "dia",   "dias",
        "semana",    "semanas",   "mes",      "meses",    "año",     "años",   "horas", "giorni",
        "settimana", "settimane", "mese",     "mesi",     "anni",    "ore",    "dag",   "dagen",
        "week",      "weken",     "maand",    "maanden",  "jaar",    "jaren",  "uur",   "dni",
        "tygodnie",  "tygodni",   "miesiące", "miesięcy", "lat",     "godzin", "mês",   "ano",
        "anos",      "minutes",   "minuten",
};

static bool
names_a_unit(const char *p)
{
	gsize length = 0;
	while (g_ascii_isalpha(p[length]) || (unsigned char)p[length] >= 0x80)
		length++;
	for (gsize i = 0; i < G_N_ELEMENTS(count_units); i++)
		if (strlen(count_units[i]) == length && strncmp(p, count_units[i], length) == 0)
			return true;
	return false;
}

/* Tries the date forms at @p (the start of a word). */
static void
scan_at(GArray *candidates, const char *text, const char *p)
{
	gsize offset = (gsize)(p - text);
	gsize n = 0;
	if ((*p == 'k') && scan_calendar_week(candidates, offset, p))
		return;
	if (g_ascii_isdigit(*p)) {
		int first = read_number(p, &n);
		const char *q = p + n;
		if (n <= 2 && (g_str_has_prefix(q, "月") || g_str_has_prefix(q, "월")) &&
		    scan_cjk(candidates, offset, first, q + 3))
			return;
		if (n == 4 && (*q == '-') && g_ascii_isdigit(q[1])) {
			/* 2027-03-05 */
			gsize n2 = 0, n3 = 0;
			int month = read_number(q + 1, &n2);
			if (q[1 + n2] == '-' &&
			    add(candidates, offset, first, month, read_number(q + 2 + n2, &n3)))
				return;
		}
		if (n <= 2 && (*q == '.' || *q == '/' || *q == '-') && g_ascii_isdigit(q[1])) {
			/* 12.03. / 12.03.2027 / 5/4/2027: day first, unless the first
			 * number cannot be a month's day order (US 3/25). */
			gsize n2 = 0;
			int second = read_number(q + 1, &n2);
			if (n2 <= 2) {
				const char *r = q + 1 + n2;
				int year = 0;
				if ((*r == '.' || *r == '/' || *r == '-') &&
				    g_ascii_isdigit(r[1])) {
					gsize n3 = 0;
					year = read_number(r + 1, &n3);
					if (n3 == 2)
						year += 2000;
					else if (n3 != 4)
						year = 0;
				}
				/* "in 2-3 weeks", "1-2 Tage": a range of counts */
				if (year == 0 && names_a_unit(skip_spaces(r)))
					return;
				if (second > 12 && first <= 12)
					add(candidates, offset, year, first, second);
				else if (add(candidates, offset, year, second, first) &&
				         *q == '/' && first <= 12 && first != second)
					g_array_index(candidates, Candidate, candidates->len - 1)
					        .either_order = true;
				return;
			}
		}
		if (n <= 2) {
			/* 3 March / 3. März / 5 de abril / 3rd of March */
			const char *r = q;
			if (*r == '.')
				r++;
			while (g_ascii_isalpha(*r) && r - q <= 2)
				r++; /* st nd rd th er */
			bool ordinal = r - q == 2 &&
			               (strncmp(q, "st", 2) == 0 || strncmp(q, "nd", 2) == 0 ||
			                strncmp(q, "rd", 2) == 0 || strncmp(q, "th", 2) == 0);
			const char *after_suffix = r;
			r = skip_spaces(r);
			/* "5 de abril", "3rd of March" */
			if (strncmp(r, "de ", 3) == 0 || strncmp(r, "of ", 3) == 0)
				r += 3;
			gsize month_length = 0;
			int month = mail_return_date_month_at(r, &month_length);
			if (month > 0)
				add(candidates, offset, year_after(r + month_length), month, first);
			/* "back on the 14th": a day of no month named, only after
			 * "the" (not "2nd floor", not "the 3rd of March", read above). */
			else if (ordinal && !is_word_byte((unsigned char)*after_suffix) &&
			         offset >= 4 && strncmp(p - 4, "the ", 4) == 0 &&
			         add(candidates, offset, 0, 0, first))
				g_array_index(candidates, Candidate, candidates->len - 1).weekday =
				        weekday_before(text, p - 4);
			/* "até dia 13", "hasta el día 13": a day of no month after
			 * the word for "day". */
			else if (!is_word_byte((unsigned char)*after_suffix) &&
			         ((offset >= 4 && strncmp(p - 4, "dia ", 4) == 0) ||
			          (offset >= 5 && strncmp(p - 5, "día ", 5) == 0)))
				add(candidates, offset, 0, 0, first);
			/* "Volveré el lunes 14", "ab Montag, den 14.": a day of no
			 * month right after its weekday (not "Montag 14 Uhr"). */
			else if (!is_hour_after(q) && !is_word_byte((unsigned char)*after_suffix)) {
				int weekday = weekday_before_day(text, p);
				if (weekday != 0 && add(candidates, offset, 0, 0, first))
					g_array_index(candidates, Candidate, candidates->len - 1)
					        .weekday = weekday;
				else if (weekday == 0 && day_alone_after_article(text, p, q))
					add(candidates, offset, 0, 0, first);
			}
		}
		return;
	}
	int month = mail_return_date_month_at(p, &n);
	if (month > 0) {
		/* March 3 / March 3rd, 2027 */
		const char *r = skip_spaces(p + n);
		gsize day_length = 0;
		int day = read_number(r, &day_length);
		if (day_length >= 1 && day_length <= 2) {
			r += day_length;
			while (g_ascii_isalpha(*r) && day_length++ < 4)
				r++;
			add(candidates, offset, year_after(r), month, day);
		}
	}
}

/* Whether @before (the text before a date) ends with a range's link after
 * another date: "2.12.–13.12.", "2 - 13 December", "from 2 December to 13
 * December". The second date is then the last day away. */
static bool
ends_a_range(const char *before)
{
	/* Dashes, English "to", Italian "all'" ("dal 2 all'11"), Portuguese
	 * "a" ("de 2 a 11"). */
	static const char *const links[] = {"\xe2\x80\x93", "\xe2\x80\x94", "-",
	                                    " to",          " all'",        " a"};
	gsize n = strlen(before);
	while (n > 0 && (before[n - 1] == ' ' || before[n - 1] == '\t'))
		n--;
	for (gsize i = 0; i < G_N_ELEMENTS(links); i++) {
		gsize k = strlen(links[i]);
		if (n < k || strncmp(before + n - k, links[i], k) != 0)
			continue;
		/* A date just before the link: a digit within a few bytes
		 * ("13.12.", "2 December"). */
		gsize from = n - k;
		while (from > 0 && before[from - 1] == ' ')
			from--;
		for (gsize j = from; j > 0 && from - j < RANGE_GAP_BYTES; j--)
			if (g_ascii_isdigit(before[j - 1]))
				return true;
	}
	return false;
}

/* Whether Polish "do" (until) goes on at @p with a day, a month or a
 * weekday ("do 7.", "do 7 stycznia", "do piątku", "do dnia 7"), not
 * Portuguese's "do" (of the: "do escritório", "do dia 8"). */
static bool
names_a_day_after_do(const char *p)
{
	p = skip_spaces(p);
	if (g_ascii_isdigit(*p) || g_str_has_prefix(p, "dnia ") || g_str_has_prefix(p, "końca"))
		return true;
	gsize length = 0;
	if (mail_return_date_month_at(p, &length) > 0)
		return true;
	for (gsize i = 0; i < mail_date_words_n_days; i++)
		if (mail_date_words_days[i].weekday != 0 &&
		    g_str_has_prefix(p, mail_date_words_days[i].name))
			return true;
	return false;
}

/* 2 when a "back" word stands shortly before @offset, 1 for an "until"
 * word or the end of a range, 0 for none. */
static int
trigger_before(const char *text, gsize offset)
{
	gsize start = offset > TRIGGER_WINDOW_BYTES ? offset - TRIGGER_WINDOW_BYTES : 0;
	g_autofree char *window = g_strndup(text + start, offset - start);
	const char *const *lists[] = {back_triggers, until_triggers, from_triggers};
	const gsize sizes[] = {G_N_ELEMENTS(back_triggers), G_N_ELEMENTS(until_triggers),
	                       G_N_ELEMENTS(from_triggers)};
	static const int kinds[] = {TRIGGER_BACK, TRIGGER_UNTIL, TRIGGER_FROM};
	for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
		for (gsize i = 0; i < sizes[l]; i++) {
			const char *hit = strstr(window, lists[l][i]);
			while (hit != NULL) {
				/* Portuguese "do dia 8/2" (from the 8th), "do
				 * escritório" is no Polish "do" (until). */
				bool portuguese_of =
				        strcmp(lists[l][i], "do ") == 0 &&
				        !names_a_day_after_do(text + start + (hit - window) + 3);
				if ((hit == window || !is_word_byte((unsigned char)hit[-1])) &&
				    !portuguese_of)
					return kinds[l];
				hit = strstr(hit + 1, lists[l][i]);
			}
		}
	}
	return ends_a_range(window) ? TRIGGER_UNTIL : TRIGGER_NONE;
}

/* "the 14th": its next date on or after @sent (this month's or a later
 * month's that has such a day); "Monday the 4th": the next 4th that is a
 * Monday, within a year. */
static GDate *
resolve_day_only(int day, int weekday, const GDate *sent)
{
	int month = g_date_get_month(sent), year = g_date_get_year(sent);
	if (day < (int)g_date_get_day(sent))
		month++;
	for (int tries = 0; tries < (weekday != 0 ? 13 : 3); tries++, month++) {
		if (month > 12) {
			month = 1;
			year++;
		}
		if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
			continue;
		GDate *date = g_date_new_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year);
		if (weekday == 0 || (int)g_date_get_weekday(date) == weekday)
			return date;
		g_date_free(date);
	}
	return NULL;
}

GDate *
mail_return_date_iso_week_monday(int week, int year)
{
	/* 4 January is always in week 1. */
	GDate *date = g_date_new_dmy(4, G_DATE_JANUARY, (GDateYear)year);
	g_date_subtract_days(date, g_date_get_weekday(date) - G_DATE_MONDAY);
	g_date_add_days(date, (guint)(week - 1) * 7);
	if (week > 52 && (int)g_date_get_iso8601_week_of_year(date) != week) {
		g_date_free(date);
		return NULL;
	}
	return date;
}

static GDate *
resolve(const Candidate *candidate, const GDate *sent)
{
	if (candidate->iso_week != 0) {
		int year = candidate->year != 0 ? candidate->year : g_date_get_year(sent);
		GDate *monday = mail_return_date_iso_week_monday(candidate->iso_week, year);
		/* Without a year, a week long past is next year's. */
		if (candidate->year == 0 &&
		    (monday == NULL || (g_date_compare(monday, sent) < 0 &&
		                        g_date_days_between(monday, sent) > RECENTLY_PAST_DAYS))) {
			if (monday != NULL)
				g_date_free(monday);
			monday = mail_return_date_iso_week_monday(candidate->iso_week, year + 1);
		}
		return monday;
	}
	if (candidate->month == 0)
		return resolve_day_only(candidate->day, candidate->weekday, sent);
	/* "Returning 12/10", written on 1 December: an absence is days or
	 * weeks, so of the two orders the nearer day to come is meant (10
	 * December, not 12 October next year; "até 11/01", written on 2
	 * December, is 11 January, not 1 November just past). */
	if (candidate->either_order) {
		Candidate day_first = *candidate, month_first = *candidate;
		day_first.either_order = month_first.either_order = false;
		month_first.month = candidate->day;
		month_first.day = candidate->month;
		GDate *one = resolve(&day_first, sent);
		GDate *other = resolve(&month_first, sent);
		bool other_better = one == NULL;
		if (one != NULL && other != NULL) {
			bool one_past = g_date_compare(one, sent) < 0;
			bool other_past = g_date_compare(other, sent) < 0;
			int order = g_date_compare(other, one);
			/* Both past (an old notice left on): the more recent. */
			other_better = one_past != other_past ? one_past
			               : one_past             ? order > 0
			                                      : order < 0;
		}
		if (other_better) {
			if (one != NULL)
				g_date_free(one);
			return other;
		}
		if (other != NULL)
			g_date_free(other);
		return one;
	}
	int year = candidate->year != 0 ? candidate->year : g_date_get_year(sent);
	if (!g_date_valid_dmy((GDateDay)candidate->day, (GDateMonth)candidate->month,
	                      (GDateYear)year))
		return NULL;
	GDate *date = g_date_new_dmy((GDateDay)candidate->day, (GDateMonth)candidate->month,
	                             (GDateYear)year);
	/* Without a year, a date already past is next year's ("back on 5
	 * January", written in December), unless it passed lately: an
	 * out-of-office left on a few days too long ("back on 2 January",
	 * written on the 5th) means back already, not in a year. */
	if (candidate->year == 0 && g_date_compare(date, sent) < 0 &&
	    g_date_days_between(date, sent) > RECENTLY_PAST_DAYS) {
		g_date_free(date);
		if (!g_date_valid_dmy((GDateDay)candidate->day, (GDateMonth)candidate->month,
		                      (GDateYear)(year + 1)))
			return NULL;
		date = g_date_new_dmy((GDateDay)candidate->day, (GDateMonth)candidate->month,
		                      (GDateYear)(year + 1));
	}
	return date;
}

/* Words before a month that mean its end: "until the end of March" is
 * back on 1 April. */
static const char *const month_end_words[] = {
        "end of ",  "ende ", "fin ",   "fin de ", "finales de ", "fine ",
        "fine di ", "eind ", "końca ", "koniec ", "fim de ",     "final de ",
};

/* "the end of March" (of the next March to end after @sent): the day
 * after it, or NULL when the text says no such thing. */
static GDate *
after_month_end(const char *text, const GDate *sent)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (p != text && is_word_byte((unsigned char)p[-1]))
			continue;
		for (gsize i = 0; i < G_N_ELEMENTS(month_end_words); i++) {
			gsize n = strlen(month_end_words[i]);
			gsize length = 0;
			int month = strncmp(p, month_end_words[i], n) == 0
			                    ? mail_return_date_month_at(p + n, &length)
			                    : 0;
			if (month == 0)
				continue;
			int year = g_date_get_year(sent);
			if (month < (int)g_date_get_month(sent))
				year++;
			GDate *date = g_date_new_dmy(1, (GDateMonth)month, (GDateYear)year);
			g_date_add_months(date, 1);
			return date;
		}
	}
	return NULL;
}

/* "back on Monday", "bis Freitag", "de retour demain": the next such day
 * after @sent (the day after it after "until"), or NULL. Only after a
 * "back" or "until" word: a weekday alone says nothing of a return. */
static GDate *
after_day_name(const char *lower, const GDate *sent)
{
	for (const char *p = lower; *p != '\0'; p++) {
		if (p != lower && is_word_byte((unsigned char)p[-1]))
			continue;
		for (gsize i = 0; i < mail_date_words_n_days; i++) {
			gsize n = strlen(mail_date_words_days[i].name);
			if (strncmp(p, mail_date_words_days[i].name, n) != 0 ||
			    is_word_byte((unsigned char)p[n]))
				continue;
			int trigger = trigger_before(lower, (gsize)(p - lower));
			if (trigger == TRIGGER_NONE)
				continue;
			GDate *date = g_date_copy(sent);
			if (mail_date_words_days[i].weekday == 0) {
				g_date_add_days(date, 1);
			} else {
				int ahead = (mail_date_words_days[i].weekday -
				             (int)g_date_get_weekday(sent) + 7) %
				            7;
				g_date_add_days(date, (guint)(ahead == 0 ? 7 : ahead));
			}
			if (trigger == TRIGGER_UNTIL)
				g_date_add_days(date, 1);
			return date;
		}
	}
	return NULL;
}

char *
mail_return_date_find(const char *text, GDateTime *sent_at)
{
	g_autofree char *lower = mail_classify_dup_lower(text, -1);
	g_autoptr(GArray) candidates = g_array_new(FALSE, FALSE, sizeof(Candidate));
	for (const char *p = lower; *p != '\0'; p++) {
		/* A number may follow a dash that is no ASCII ("2.12.–13.12."). */
		bool starts =
		        p == lower || (g_ascii_isdigit(*p) ? !g_ascii_isalnum(p[-1])
		                                           : !is_word_byte((unsigned char)p[-1]));
		if (is_word_byte((unsigned char)*p) && starts)
			scan_at(candidates, lower, p);
	}
	GDate *sent = g_date_new_dmy((GDateDay)g_date_time_get_day_of_month(sent_at),
	                             (GDateMonth)g_date_time_get_month(sent_at),
	                             (GDateYear)g_date_time_get_year(sent_at));
	GDate *chosen = NULL; /* after a "back" word: wins at once */
	if (candidates->len == 0) {
		/* No day named: the end of a month, or a time said in words ("back
		 * in the new year", "until March", "after the summer"), read as a
		 * reply's "later". */
		g_autofree char *folded = mail_classify_dup_folded(text);
		chosen = after_month_end(folded, sent);
		if (chosen == NULL)
			chosen = after_day_name(folded, sent);
		if (chosen == NULL) {
			char *when = mail_intent_date_find(folded, sent);
			g_date_free(sent);
			return when;
		}
	}
	GDate *until = NULL;  /* after an "until" word: the day after it */
	GDate *from = NULL;   /* after a "from" word: the latest */
	GDate *latest = NULL; /* otherwise the latest date mentioned */
	for (guint i = 0; i < candidates->len && chosen == NULL; i++) {
		const Candidate *candidate = &g_array_index(candidates, Candidate, i);
		GDate *date = resolve(candidate, sent);
		if (date == NULL ||
		    (g_date_compare(date, sent) < 0 &&
		     (candidate->year != 0 ||
		      g_date_days_between(date, sent) > RECENTLY_PAST_DAYS)) ||
		    g_date_days_between(sent, date) > 366) {
			if (date != NULL)
				g_date_free(date);
			continue;
		}
		int trigger = candidate->trigger != TRIGGER_NONE
		                      ? candidate->trigger
		                      : trigger_before(lower, candidate->offset);
		/* A day of no month counts only after "back" or "until". */
		if (candidate->month == 0 && trigger == TRIGGER_NONE) {
			g_date_free(date);
			continue;
		}
		if (trigger == TRIGGER_BACK) {
			chosen = date;
		} else if (trigger == TRIGGER_FROM) {
			mail_classify_keep_later_date(&from, date);
		} else if (trigger == TRIGGER_UNTIL && until == NULL) {
			/* Until a week: back the Monday after it. */
			g_date_add_days(date, candidate->iso_week != 0 ? 7 : 1);
			until = date;
		} else {
			mail_classify_keep_later_date(&latest, date);
		}
	}
	if (chosen == NULL)
		chosen = g_steal_pointer(&until);
	if (until != NULL)
		g_date_free(until);
	if (chosen == NULL)
		chosen = g_steal_pointer(&from);
	if (from != NULL)
		g_date_free(from);
	if (chosen == NULL)
		chosen = g_steal_pointer(&latest);
	if (latest != NULL)
		g_date_free(latest);
	g_date_free(sent);
	if (chosen == NULL)
		return NULL;
	char *iso = g_strdup_printf("%04d-%02d-%02d", g_date_get_year(chosen),
	                            g_date_get_month(chosen), g_date_get_day(chosen));
	g_date_free(chosen);
	return iso;
}
