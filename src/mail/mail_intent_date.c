#include "mail/mail_intent_date.h"

#include "mail/mail_private.h"
#include "mail/mail_return_date.h"

#include <stdbool.h>
#include <string.h>

typedef enum {
	SPAN_NEXT_WEEK,
	SPAN_NEXT_MONTH,
	SPAN_NEXT_QUARTER,
	SPAN_NEXT_YEAR,
	SPAN_NEW_YEAR,       /* after the holidays */
	SPAN_SUMMER,         /* after the summer */
	SPAN_EASTER,         /* after Easter */
	SPAN_CARNIVAL,       /* after Carnival: Ash Wednesday */
	SPAN_NEXT_MONTH_END, /* the end of next month: its 20th */
	SPAN_FIRST_HALF,     /* the first half of the year: 1 January */
	SPAN_SECOND_HALF,    /* the second half of the year: 1 July */
	SPAN_MID_NEXT_YEAR,  /* the middle of next year: its 1 July */
	SPAN_SPRING,         /* in the spring: from 1 March */
	SPAN_IN_SUMMER,      /* in the summer: from 1 June */
	SPAN_AUTUMN,         /* in the autumn: from 1 September */
	SPAN_WINTER,         /* in the winter: from 1 December */
} Span;

typedef struct {
	const char *words;
	Span span;
} SpanWords;

static const SpanWords spans[] = {
        {"next week", SPAN_NEXT_WEEK},
        {"nächste woche", SPAN_NEXT_WEEK},
        {"nächsten woche", SPAN_NEXT_WEEK},
        {"la semaine prochaine", SPAN_NEXT_WEEK},
        {"la próxima semana", SPAN_NEXT_WEEK},
        {"la semana que viene", SPAN_NEXT_WEEK},
        {"la prossima settimana", SPAN_NEXT_WEEK},
        {"volgende week", SPAN_NEXT_WEEK},
        {"w przyszłym tygodniu", SPAN_NEXT_WEEK},
        {"na próxima semana", SPAN_NEXT_WEEK},
        {"semana que vem", SPAN_NEXT_WEEK},
        {"next month", SPAN_NEXT_MONTH},
        {"nächsten monat", SPAN_NEXT_MONTH},
        {"nächster monat", SPAN_NEXT_MONTH},
        {"le mois prochain", SPAN_NEXT_MONTH},
        {"el próximo mes", SPAN_NEXT_MONTH},
        {"el mes que viene", SPAN_NEXT_MONTH},
        {"il prossimo mese", SPAN_NEXT_MONTH},
        {"il mese prossimo", SPAN_NEXT_MONTH},
        {"volgende maand", SPAN_NEXT_MONTH},
        {"w przyszłym miesiącu", SPAN_NEXT_MONTH},
        {"no próximo mês", SPAN_NEXT_MONTH},
        {"mês que vem", SPAN_NEXT_MONTH},
        /* "until the end of the month": back on the next one's first day */
        {"end of next month", SPAN_NEXT_MONTH_END},
        {"ende nächsten monats", SPAN_NEXT_MONTH_END},
        {"fin du mois prochain", SPAN_NEXT_MONTH_END},
        {"finales del mes que viene", SPAN_NEXT_MONTH_END},
        {"fine del mese prossimo", SPAN_NEXT_MONTH_END},
        {"eind volgende maand", SPAN_NEXT_MONTH_END},
        {"end of the month", SPAN_NEXT_MONTH},
        {"end of this month", SPAN_NEXT_MONTH},
        {"ende des monats", SPAN_NEXT_MONTH},
        {"monatsende", SPAN_NEXT_MONTH},
        {"fin du mois", SPAN_NEXT_MONTH},
        {"fin de mes", SPAN_NEXT_MONTH},
        {"finales de mes", SPAN_NEXT_MONTH},
        {"fine mese", SPAN_NEXT_MONTH},
        {"fine del mese", SPAN_NEXT_MONTH},
        {"eind van de maand", SPAN_NEXT_MONTH},
        {"końca miesiąca", SPAN_NEXT_MONTH},
        {"fim do mês", SPAN_NEXT_MONTH},
        {"final do mês", SPAN_NEXT_MONTH},
        {"next quarter", SPAN_NEXT_QUARTER},
        {"nächstes quartal", SPAN_NEXT_QUARTER},
        {"nächsten quartal", SPAN_NEXT_QUARTER},
        {"trimestre prochain", SPAN_NEXT_QUARTER},
        {"prochain trimestre", SPAN_NEXT_QUARTER},
        {"próximo trimestre", SPAN_NEXT_QUARTER},
        {"siguiente trimestre", SPAN_NEXT_QUARTER},
        {"prossimo trimestre", SPAN_NEXT_QUARTER},
        {"volgend kwartaal", SPAN_NEXT_QUARTER},
        {"volgende kwartaal", SPAN_NEXT_QUARTER},
        {"przyszłym kwartale", SPAN_NEXT_QUARTER},
        {"następnym kwartale", SPAN_NEXT_QUARTER},
        {"next year", SPAN_NEXT_YEAR},
        {"nächstes jahr", SPAN_NEXT_YEAR},
        {"nächsten jahres", SPAN_NEXT_YEAR},
        {"nächsten jahr", SPAN_NEXT_YEAR},
        {"l'année prochaine", SPAN_NEXT_YEAR},
        {"l'an prochain", SPAN_NEXT_YEAR},
        {"el próximo año", SPAN_NEXT_YEAR},
        {"el año que viene", SPAN_NEXT_YEAR},
        {"del año que viene", SPAN_NEXT_YEAR},
        {"del próximo año", SPAN_NEXT_YEAR},
        /* the middle of next year: 1 July of it */
        {"mid next year", SPAN_MID_NEXT_YEAR},
        {"middle of next year", SPAN_MID_NEXT_YEAR},
        {"mitte nächsten jahres", SPAN_MID_NEXT_YEAR},
        {"mitte des nächsten jahres", SPAN_MID_NEXT_YEAR},
        {"mitte kommenden jahres", SPAN_MID_NEXT_YEAR},
        {"milieu de l'année prochaine", SPAN_MID_NEXT_YEAR},
        {"mediados del año que viene", SPAN_MID_NEXT_YEAR},
        {"mediados del próximo año", SPAN_MID_NEXT_YEAR},
        {"metà del prossimo anno", SPAN_MID_NEXT_YEAR},
        {"metà dell'anno prossimo", SPAN_MID_NEXT_YEAR},
        {"medio volgend jaar", SPAN_MID_NEXT_YEAR},
        {"half volgend jaar", SPAN_MID_NEXT_YEAR},
        {"połowie przyszłego roku", SPAN_MID_NEXT_YEAR},
        {"meados do próximo ano", SPAN_MID_NEXT_YEAR},
        {"meados do ano que vem", SPAN_MID_NEXT_YEAR},
        {"l'anno prossimo", SPAN_NEXT_YEAR},
        {"il prossimo anno", SPAN_NEXT_YEAR},
        {"volgend jaar", SPAN_NEXT_YEAR},
        {"volgende jaar", SPAN_NEXT_YEAR},
        {"w przyszłym roku", SPAN_NEXT_YEAR},
        {"przyszłego roku", SPAN_NEXT_YEAR},
        {"próximo ano", SPAN_NEXT_YEAR},
        {"ano que vem", SPAN_NEXT_YEAR},
        {"after the holidays", SPAN_NEW_YEAR},
        {"new year", SPAN_NEW_YEAR},
        {"nach den feiertagen", SPAN_NEW_YEAR},
        {"im neuen jahr", SPAN_NEW_YEAR},
        {"nach neujahr", SPAN_NEW_YEAR},
        {"après les fêtes", SPAN_NEW_YEAR},
        {"début d'année", SPAN_NEW_YEAR},
        {"después de las fiestas", SPAN_NEW_YEAR},
        {"principios de año", SPAN_NEW_YEAR},
        {"dopo le feste", SPAN_NEW_YEAR},
        {"inizio anno", SPAN_NEW_YEAR},
        {"inizio dell'anno", SPAN_NEW_YEAR},
        {"na de feestdagen", SPAN_NEW_YEAR},
        {"nieuwe jaar", SPAN_NEW_YEAR},
        {"po nowym roku", SPAN_NEW_YEAR},
        {"po świętach", SPAN_NEW_YEAR},
        {"depois das festas", SPAN_NEW_YEAR},
        {"after christmas", SPAN_NEW_YEAR},
        {"nach weihnachten", SPAN_NEW_YEAR},
        {"après noël", SPAN_NEW_YEAR},
        {"después de navidad", SPAN_NEW_YEAR},
        {"dopo natale", SPAN_NEW_YEAR},
        {"dopo le vacanze di natale", SPAN_NEW_YEAR},
        {"na kerst", SPAN_NEW_YEAR},
        {"na de kerstvakantie", SPAN_NEW_YEAR},
        {"past the holidays", SPAN_NEW_YEAR},
        /* Epiphany, the holidays' end in Spain, Italy, Poland, Portugal */
        {"después de reyes", SPAN_NEW_YEAR},
        {"dopo l'epifania", SPAN_NEW_YEAR},
        {"dopo la befana", SPAN_NEW_YEAR},
        {"po trzech królach", SPAN_NEW_YEAR},
        {"depois do feriado de reis", SPAN_NEW_YEAR},
        {"depois de reis", SPAN_NEW_YEAR},
        {"nach dreikönig", SPAN_NEW_YEAR},
        {"après l'épiphanie", SPAN_NEW_YEAR},
        {"na driekoningen", SPAN_NEW_YEAR},
        {"depois do natal", SPAN_NEW_YEAR},
        {"início do ano", SPAN_NEW_YEAR},
        {"after the summer", SPAN_SUMMER},
        {"after summer", SPAN_SUMMER},
        {"nach dem sommer", SPAN_SUMMER},
        {"nach der sommerpause", SPAN_SUMMER},
        {"nach den sommerferien", SPAN_SUMMER},
        {"après l'été", SPAN_SUMMER},
        {"après les vacances d'été", SPAN_SUMMER},
        {"après les grandes vacances", SPAN_SUMMER},
        {"à la rentrée", SPAN_SUMMER},
        {"después del verano", SPAN_SUMMER},
        {"dopo l'estate", SPAN_SUMMER},
        {"na de zomer", SPAN_SUMMER},
        {"po wakacjach", SPAN_SUMMER},
        {"depois do verão", SPAN_SUMMER},
        {"until spring", SPAN_SPRING},
        {"until the spring", SPAN_SPRING},
        {"bis zum frühjahr", SPAN_SPRING},
        {"jusqu'au printemps", SPAN_SPRING},
        {"hasta la primavera", SPAN_SPRING},
        {"fino alla primavera", SPAN_SPRING},
        {"tot het voorjaar", SPAN_SPRING},
        {"até a primavera", SPAN_SPRING},
        {"do wiosny", SPAN_SPRING},
        {"after spring", SPAN_IN_SUMMER},
        {"after the spring", SPAN_IN_SUMMER},
        {"until summer", SPAN_IN_SUMMER},
        {"until the summer", SPAN_IN_SUMMER},
        {"until the fall", SPAN_AUTUMN},
        {"until fall", SPAN_AUTUMN},
        {"until autumn", SPAN_AUTUMN},
        {"until the autumn", SPAN_AUTUMN},
        {"in the spring", SPAN_SPRING},
        {"in spring", SPAN_SPRING},
        {"this spring", SPAN_SPRING},
        {"next spring", SPAN_SPRING},
        {"im frühjahr", SPAN_SPRING},
        {"im frühling", SPAN_SPRING},
        {"au printemps", SPAN_SPRING},
        {"en primavera", SPAN_SPRING},
        {"in primavera", SPAN_SPRING},
        {"na primavera", SPAN_SPRING},
        {"in het voorjaar", SPAN_SPRING},
        {"wiosną", SPAN_SPRING},
        {"na wiosnę", SPAN_SPRING},
        {"in the summer", SPAN_IN_SUMMER},
        {"this summer", SPAN_IN_SUMMER},
        {"next summer", SPAN_IN_SUMMER},
        {"cet été", SPAN_IN_SUMMER},
        {"en verano", SPAN_IN_SUMMER},
        {"este verano", SPAN_IN_SUMMER},
        {"quest'estate", SPAN_IN_SUMMER},
        {"no verão", SPAN_IN_SUMMER},
        {"neste verão", SPAN_IN_SUMMER},
        {"deze zomer", SPAN_IN_SUMMER},
        {"latem", SPAN_IN_SUMMER},
        {"in summer", SPAN_IN_SUMMER},
        {"im sommer", SPAN_IN_SUMMER},
        {"en été", SPAN_IN_SUMMER},
        {"in de zomer", SPAN_IN_SUMMER},
        {"in the winter", SPAN_WINTER},
        {"in winter", SPAN_WINTER},
        {"this winter", SPAN_WINTER},
        {"im winter", SPAN_WINTER},
        {"en hiver", SPAN_WINTER},
        {"cet hiver", SPAN_WINTER},
        {"en invierno", SPAN_WINTER},
        {"este invierno", SPAN_WINTER},
        {"in inverno", SPAN_WINTER},
        {"quest'inverno", SPAN_WINTER},
        {"in de winter", SPAN_WINTER},
        {"deze winter", SPAN_WINTER},
        {"zimą", SPAN_WINTER},
        {"no inverno", SPAN_WINTER},
        {"neste inverno", SPAN_WINTER},
        {"in the fall", SPAN_AUTUMN},
        {"this fall", SPAN_AUTUMN},
        {"next fall", SPAN_AUTUMN},
        {"next autumn", SPAN_AUTUMN},
        {"nächsten herbst", SPAN_AUTUMN},
        {"l'automne prochain", SPAN_AUTUMN},
        {"el próximo otoño", SPAN_AUTUMN},
        {"il prossimo autunno", SPAN_AUTUMN},
        {"volgend najaar", SPAN_AUTUMN},
        {"następnej jesieni", SPAN_AUTUMN},
        {"no próximo outono", SPAN_AUTUMN},
        {"in the autumn", SPAN_AUTUMN},
        {"in autumn", SPAN_AUTUMN},
        {"this autumn", SPAN_AUTUMN},
        {"im herbst", SPAN_AUTUMN},
        {"à l'automne", SPAN_AUTUMN},
        {"en automne", SPAN_AUTUMN},
        {"cet automne", SPAN_AUTUMN},
        {"en otoño", SPAN_AUTUMN},
        {"este otoño", SPAN_AUTUMN},
        {"in autunno", SPAN_AUTUMN},
        {"quest'autunno", SPAN_AUTUMN},
        {"no outono", SPAN_AUTUMN},
        {"neste outono", SPAN_AUTUMN},
        {"in het najaar", SPAN_AUTUMN},
        {"in de herfst", SPAN_AUTUMN},
        {"jesienią", SPAN_AUTUMN},
        {"na jesień", SPAN_AUTUMN},
        {"after easter", SPAN_EASTER},
        {"second half of the year", SPAN_SECOND_HALF},
        {"second half of next year", SPAN_SECOND_HALF},
        {"first half of next year", SPAN_FIRST_HALF},
        {"zweiten halbjahr", SPAN_SECOND_HALF},
        {"zweites halbjahr", SPAN_SECOND_HALF},
        {"second semestre", SPAN_SECOND_HALF},
        {"segundo semestre", SPAN_SECOND_HALF},
        {"secondo semestre", SPAN_SECOND_HALF},
        {"tweede helft van het jaar", SPAN_SECOND_HALF},
        {"drugiej połowie roku", SPAN_SECOND_HALF},
        {"primeiro semestre", SPAN_FIRST_HALF},
        {"primer semestre", SPAN_FIRST_HALF},
        {"primo semestre", SPAN_FIRST_HALF},
        {"premier semestre", SPAN_FIRST_HALF},
        {"depois do carnaval", SPAN_CARNIVAL},
        {"após o carnaval", SPAN_CARNIVAL},
        {"nach fasching", SPAN_CARNIVAL},
        {"nach karneval", SPAN_CARNIVAL},
        {"nach dem karneval", SPAN_CARNIVAL},
        {"después del carnaval", SPAN_CARNIVAL},
        {"dopo carnevale", SPAN_CARNIVAL},
        {"na carnaval", SPAN_CARNIVAL},
        {"nach ostern", SPAN_EASTER},
        {"après pâques", SPAN_EASTER},
        {"después de semana santa", SPAN_EASTER},
        {"después de pascua", SPAN_EASTER},
        {"dopo pasqua", SPAN_EASTER},
        {"na pasen", SPAN_EASTER},
        {"po wielkanocy", SPAN_EASTER},
        {"depois da páscoa", SPAN_EASTER},
};

/* Polish says "in January" with its own forms ("w styczniu"). */
static const struct {
	const char *name;
	int month;
} polish_locatives[] = {
        {"styczniu", 1}, {"lutym", 2},         {"marcu", 3},        {"kwietniu", 4},
        {"maju", 5},     {"czerwcu", 6},       {"lipcu", 7},        {"sierpniu", 8},
        {"wrześniu", 9}, {"październiku", 10}, {"listopadzie", 11}, {"grudniu", 12},
};

/* Words that must stand before a month name for it to be one ("may" is a
 * verb, "mar" the Spanish sea), with the day of the month they mean. */
static const struct {
	const char *words;
	int day;
	bool ends; /* the month ends something: "after that" means the next */
} month_leads[] = {
        {"early ", 1, false},
        {"first week of ", 1, false},
        {"second week of ", 8, false},
        {"third week of ", 15, false},
        {"last week of ", 24, false},
        {"beginning of ", 1, false},
        {"start of ", 1, false},
        {"mid-", 15, false},
        {"second half of ", 15, false},
        {"courant ", 1, false},
        {"first half of ", 1, false},
        {"tweede helft van ", 15, false},
        {"segunda quincena de ", 16, false},
        {"seconda metà di ", 15, false},
        {"drugiej połowie ", 15, false},
        {"segunda quinzena de ", 16, false},
        {"deuxième quinzaine de ", 16, false},
        {"seconde quinzaine de ", 16, false},
        {"mid ", 15, false},
        {"middle of ", 15, false},
        {"late ", 20, false},
        {"end of ", 20, true},
        {"anfang ", 1, false},
        {"mitte ", 15, false},
        {"ende ", 20, true},
        {"début ", 1, false},
        {"mi-", 15, false},
        {"fin ", 20, true},
        {"principios de ", 1, false},
        {"mediados de ", 15, false},
        {"finales de ", 20, true},
        {"inizio ", 1, false},
        {"metà ", 15, false},
        {"fine ", 20, true},
        {"begin ", 1, false},
        {"half ", 15, false},
        {"eind ", 20, true},
        {"początek ", 1, false},
        {"początku ", 1, false},
        {"połowie ", 15, false},
        {"końca ", 20, true},
        {"końcu ", 20, true},
        /* "Our fiscal year ends in March, reach out after that" */
        {"ends in ", 1, true},
        {"endet im ", 1, true},
        {"se termine en ", 1, true},
        {"finit en ", 1, true},
        {"termina en ", 1, true},
        {"termina a ", 1, true},
        {"finisce a ", 1, true},
        {"eindigt in ", 1, true},
        {"kończy się w ", 1, true},
        {"termina em ", 1, true},
        {"połowa ", 15, false},
        {"koniec ", 20, true},
        {"início de ", 1, false},
        {"meados de ", 15, false},
        {"final de ", 20, true},
        {"in ", 1, false},
        /* "locked in until June, try after that": July */
        {"until ", 1, true},
        {"bis ", 1, true},
        {"hasta ", 1, true},
        {"im ", 1, false},
        {"ab ", 1, false},
        {"en ", 1, false},
        {"a ", 1, false},
        {"ad ", 1, false},
        {"em ", 1, false},
        {"after ", 1, false},
        /* put off "to" a month: "auf Februar", "à février", "naar februari",
         * "para fevereiro" */
        {"auf ", 1, false},
        {"à ", 1, false},
        {"naar ", 1, false},
        {"para ", 1, false},
        {"nach ", 1, false},
        {"après ", 1, false},
        {"dopo ", 1, false},
        {"na ", 1, false},
        {"po ", 1, false},
        {"by ", 1, false},
        {"around ", 1, false},
        {"from ", 1, false},
        /* "od kwietnia", "dopiero od kwietnia": from April */
        {"od ", 1, false},
        {"de ", 1, false},
        {"di ", 1, false},
        {"w ", 1, false},
        {"we ", 1, false},
        {"before ", 1, false},
        {"avant ", 1, false},
        {"prima di ", 1, false},
        {"vor ", 1, false},
        {"voor ", 1, false},
        {"przed ", 1, false},
        /* Polish "until", before the genitive: "do stycznia" */
        {"do ", 1, false},
        /* "next March", "nächsten März", "el próximo marzo": the coming
         * one. Not "this ": "this may help". */
        {"next ", 1, false},
        {"coming ", 1, false},
        {"nächsten ", 1, false},
        {"kommenden ", 1, false},
        {"próximo ", 1, false},
        {"prossimo ", 1, false},
        {"volgende ", 1, false},
};

typedef struct {
	const char *word;
	int n;
} NumberWord;

static const NumberWord numbers[] = {
        /* a few, a couple (before "een", "un": the longer first) */
        {"ein paar", 3}, {"einigen", 3},    {"quelques", 3}, {"unos pocos", 3},  {"unos", 3},
        {"unas", 3},     {"algunas", 3},    {"algumas", 3},  {"algunos", 3},     {"un par de", 2},
        {"qualche", 3},  {"un paio di", 2}, {"een paar", 3}, {"enkele", 3},      {"kilka", 3},
        {"kilku", 3},    {"alguns", 3},     {"uns", 3},      {"a couple of", 2}, {"a few", 3},
        {"one", 1},      {"two", 2},        {"three", 3},    {"four", 4},        {"five", 5},
        {"six", 6},      {"an", 1},         {"a", 1},        {"einem", 1},       {"einen", 1},
        {"einer", 1},    {"zwei", 2},       {"drei", 3},     {"vier", 4},        {"sechs", 6},
        {"une", 1},      {"un", 1},         {"deux", 2},     {"trois", 3},       {"quatre", 4},
        {"una", 1},      {"uno", 1},        {"dos", 2},      {"tres", 3},        {"cuatro", 4},
        {"seis", 6},     {"due", 2},        {"tre", 3},      {"quattro", 4},     {"sei", 6},
        {"een", 1},      {"twee", 2},       {"drie", 3},     {"zes", 6},         {"jeden", 1},
        {"dwa", 2},      {"trzy", 3},       {"cztery", 4},   {"sześć", 6},       {"um", 1},
        {"uma", 1},      {"dois", 2},       {"duas", 2},     {"três", 3},        {"quatro", 4},
};

typedef struct {
	const char *prefix;
	int days;   /* per unit, or 0 */
	int months; /* per unit, or 0 */
} Unit;

static const Unit units[] = {
        {"day", 1, 0},      {"week", 7, 0},   {"month", 0, 1},   {"tag", 1, 0},     {"woche", 7, 0},
        {"monat", 0, 1},    {"jour", 1, 0},   {"semaine", 7, 0}, {"mois", 0, 1},    {"día", 1, 0},
        {"dia", 1, 0},      {"semana", 7, 0}, {"mes", 0, 1},     {"mês", 0, 1},     {"giorn", 1, 0},
        {"settiman", 7, 0}, {"dag", 1, 0},    {"wek", 7, 0},     {"week", 7, 0},    {"maand", 0, 1},
        {"dni", 1, 0},      {"dzie", 1, 0},   {"tydzie", 7, 0},  {"tygodni", 7, 0}, {"miesi", 0, 1},
        {"year", 0, 12},    {"jahr", 0, 12},  {"année", 0, 12},  {"año", 0, 12},    {"anno", 0, 12},
        {"jaar", 0, 12},    {"rok", 0, 12},   {"lat", 0, 12},    {"ano", 0, 12},
};

static const char *const relative_leads[] = {
        "in ", "within ", "dans ",    "en ",      "tra ",       "fra ",   "over ",
        "za ", "em ",     "daqui a ", "give it ", "dentro de ", "entro ", "binnen ",
};

/* Half a year, said as such: six months on. */
static const char *const half_years[] = {
        "half a year", "a half year", "einem halben jahr", "un semestre",
        "medio año",   "mezzo anno",  "een half jaar",     "half jaar",
        "pół roku",    "meio ano",    "seis meses",
};

static bool
word_start(const char *text, const char *p)
{
	return p == text || !(g_ascii_isalnum(p[-1]) || (unsigned char)p[-1] >= 0x80);
}

static bool
word_end(const char *p)
{
	return !(g_ascii_isalnum(*p) || (unsigned char)*p >= 0x80);
}

static GDate *
date_of(int year, int month, int day)
{
	if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
		return NULL;
	return g_date_new_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

/* The first day of @month (1 to 12) after @today: this year's if it is
 * still to come, else next year's. */
static GDate *
next_month_named(const GDate *today, int month, int day, int year)
{
	int this_year = g_date_get_year(today);
	if (year != 0)
		return date_of(year, month, day);
	return date_of(month > (int)g_date_get_month(today) ? this_year : this_year + 1, month,
	               day);
}

/* Easter Sunday (the anonymous Gregorian computus). */
static GDate *
easter(int year)
{
	int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
	return date_of(year, month, day);
}

/* A season (of the northern hemisphere, three months from @first_month)
 * said in @year's @month: its first day when it is ahead, the next month's
 * first day while it lasts, next year's once it is over. */
static GDate *
season_from(int first_month, int year, int month)
{
	if (month < first_month)
		return date_of(year, first_month, 1);
	if (month < first_month + 2)
		return date_of(year, month + 1, 1);
	return date_of(year + 1, first_month, 1);
}

static GDate *
date_of_span(Span span, const GDate *today)
{
	int year = g_date_get_year(today), month = g_date_get_month(today);
	GDate *date = NULL;
	switch (span) {
	case SPAN_NEXT_WEEK:
		date = date_of(year, month, g_date_get_day(today));
		g_date_add_days(date, 7);
		return date;
	case SPAN_NEXT_MONTH:
		return month == 12 ? date_of(year + 1, 1, 1) : date_of(year, month + 1, 1);
	case SPAN_NEXT_QUARTER: {
		int next = ((month - 1) / 3 + 1) * 3 + 1;
		return next > 12 ? date_of(year + 1, 1, 1) : date_of(year, next, 1);
	}
	case SPAN_NEXT_YEAR:
		return date_of(year + 1, 1, 1);
	case SPAN_NEW_YEAR:
		return month == 1 && g_date_get_day(today) < 7 ? date_of(year, 1, 7)
		                                               : date_of(year + 1, 1, 7);
	case SPAN_SUMMER:
		return month < 9 ? date_of(year, 9, 1) : date_of(year + 1, 9, 1);
	case SPAN_SPRING:
		return season_from(3, year, month);
	case SPAN_IN_SUMMER:
		return season_from(6, year, month);
	case SPAN_AUTUMN:
		return season_from(9, year, month);
	case SPAN_WINTER:
		/* across the year's end: 1 December ahead, or the next month's
		 * first day while it lasts */
		if (month == 12 || month == 1)
			return month == 12 ? date_of(year + 1, 1, 1) : date_of(year, 2, 1);
		return date_of(year, 12, 1);
	case SPAN_FIRST_HALF:
		return date_of(year + 1, 1, 1);
	case SPAN_SECOND_HALF:
		return month < 7 ? date_of(year, 7, 1) : date_of(year + 1, 7, 1);
	case SPAN_MID_NEXT_YEAR:
		return date_of(year + 1, 7, 1);
	case SPAN_NEXT_MONTH_END:
		return month == 12 ? date_of(year + 1, 1, 20) : date_of(year, month + 1, 20);
	case SPAN_CARNIVAL:
		/* Ash Wednesday, 46 days before Easter: the next one to come. */
		for (int y = year; y <= year + 1; y++) {
			date = easter(y);
			if (date == NULL)
				return NULL;
			g_date_subtract_days(date, 46);
			if (g_date_compare(date, today) >= 0)
				return date;
			g_date_free(date);
		}
		return NULL;
	case SPAN_EASTER:
		date = easter(year);
		if (date != NULL && g_date_compare(date, today) < 0) {
			g_date_free(date);
			date = easter(year + 1);
		}
		/* The Tuesday after: Easter Monday is a holiday in much of Europe. */
		if (date != NULL)
			g_date_add_days(date, 2);
		return date;
	}
	return NULL;
}

/* Whether @word ("after ") stands right before @p in @text. */
static bool
after_word_before(const char *text, const char *p, const char *word)
{
	const char *const words[] = {word};
	return mail_classify_word_before(text, p, words, 1) != NULL;
}

/* The day of the month_leads entry that ends right at @p and names a
 * part of the period ("mid-" before "q1": 15), 0 when none does. */
static int
day_of_lead_before(const char *text, const char *p)
{
	for (gsize i = 0; i < G_N_ELEMENTS(month_leads); i++) {
		gsize lead = strlen(month_leads[i].words);
		if (month_leads[i].day > 1 && (gsize)(p - text) >= lead &&
		    strncmp(p - lead, month_leads[i].words, lead) == 0 &&
		    word_start(text, p - lead))
			return month_leads[i].day;
	}
	return 0;
}

/* "q3", "q3 2027", "q3/27": the quarter's first day ("after q1": the next
 * quarter's); "h2", the half-year's ("after h1": 1 July). */
static GDate *
quarter_at(const char *text, const char *p, const GDate *today)
{
	int months;
	if (p[0] == 'q' && p[1] >= '1' && p[1] <= '4')
		months = 3;
	else if (p[0] == 'h' && (p[1] == '1' || p[1] == '2'))
		months = 6;
	else
		return NULL;
	if (!word_end(p + 2))
		return NULL;
	int month = (p[1] - '1') * months + 1;
	/* "mid-Q1": its middle month's 15th; "end of Q1": its last month's. */
	int day = 1;
	int lead_day = day_of_lead_before(text, p);
	if (lead_day == 15)
		month += months / 2;
	else if (lead_day >= 20)
		month += months - 1;
	if (lead_day != 0)
		day = lead_day;
	const char *q = p + 2;
	while (*q == ' ' || *q == '/' || *q == '\'')
		q++;
	int year = 0;
	if (g_ascii_isdigit(q[0]) && g_ascii_isdigit(q[1])) {
		year = (q[0] - '0') * 10 + (q[1] - '0');
		if (g_ascii_isdigit(q[2]) && g_ascii_isdigit(q[3]) && word_end(q + 4))
			year = year * 100 + (q[2] - '0') * 10 + (q[3] - '0');
		else if (word_end(q + 2))
			year += 2000;
		else
			year = 0;
	}
	GDate *date = next_month_named(today, month, day, year);
	if (date != NULL && lead_day == 0 && after_word_before(text, p, "after "))
		g_date_add_months(date, (guint)months);
	return date;
}

/* "KW 3", "KW3", "kw. 3" (German business mail's calendar weeks): the
 * Monday of that ISO week, this year's or, gone by, next year's. */
static GDate *
calendar_week_at(const char *text, const char *p, const GDate *today)
{
	if (p[0] != 'k' || p[1] != 'w' || !word_start(text, p))
		return NULL;
	const char *q = p + 2;
	if (*q == '.')
		q++;
	while (*q == ' ')
		q++;
	if (!g_ascii_isdigit(q[0]))
		return NULL;
	int week = q[0] - '0';
	if (g_ascii_isdigit(q[1]))
		week = week * 10 + (q[1] - '0');
	if (!word_end(q + (g_ascii_isdigit(q[1]) ? 2 : 1)) || week < 1 || week > 53)
		return NULL;
	for (int year = g_date_get_year(today); year <= g_date_get_year(today) + 1; year++) {
		GDate *monday = mail_return_date_iso_week_monday(week, year);
		if (monday != NULL && g_date_compare(monday, today) >= 0)
			return monday;
		if (monday != NULL)
			g_date_free(monday);
	}
	return NULL;
}

/* A quarter by its ordinal in words, with the month it starts. */
static const struct {
	const char *words;
	int month;
} ordinal_quarters[] = {
        {"first quarter", 1},        {"second quarter", 4},     {"third quarter", 7},
        {"fourth quarter", 10},      {"ersten quartal", 1},     {"zweiten quartal", 4},
        {"dritten quartal", 7},      {"vierten quartal", 10},   {"premier trimestre", 1},
        {"deuxième trimestre", 4},   {"second trimestre", 4},   {"troisième trimestre", 7},
        {"quatrième trimestre", 10}, {"primer trimestre", 1},   {"segundo trimestre", 4},
        {"tercer trimestre", 7},     {"cuarto trimestre", 10},  {"primo trimestre", 1},
        {"secondo trimestre", 4},    {"terzo trimestre", 7},    {"quarto trimestre", 10},
        {"eerste kwartaal", 1},      {"tweede kwartaal", 4},    {"derde kwartaal", 7},
        {"vierde kwartaal", 10},     {"pierwszym kwartale", 1}, {"drugim kwartale", 4},
        {"trzecim kwartale", 7},     {"czwartym kwartale", 10}, {"primeiro trimestre", 1},
        {"terceiro trimestre", 7},
};

/* "im zweiten Quartal", "in the third quarter": the next such quarter's
 * first day. */
static GDate *
ordinal_quarter_at(const char *p, const GDate *today)
{
	for (gsize i = 0; i < G_N_ELEMENTS(ordinal_quarters); i++)
		if (p[0] == ordinal_quarters[i].words[0] &&
		    g_str_has_prefix(p, ordinal_quarters[i].words))
			return next_month_named(today, ordinal_quarters[i].month, 1, 0);
	return NULL;
}

/* "in 2028", "en 2028", "w 2028": a later year alone, its first day. */
static const char *const year_leads[] = {"in ",      "en ", "nel ",   "w ",    "em ",
                                         "im jahr ", "ab ", "until ", "hasta "};

static GDate *
year_at(const char *text, const char *p, const GDate *today)
{
	for (gsize i = 0; i < G_N_ELEMENTS(year_leads); i++) {
		gsize lead = strlen(year_leads[i]);
		if (p[0] != year_leads[i][0] || strncmp(p, year_leads[i], lead) != 0 ||
		    !word_start(text, p))
			continue;
		const char *q = p + lead;
		if (!(g_ascii_isdigit(q[0]) && g_ascii_isdigit(q[1]) && g_ascii_isdigit(q[2]) &&
		      g_ascii_isdigit(q[3]) && word_end(q + 4)))
			continue;
		int year =
		        (q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 + (q[3] - '0');
		int now = g_date_get_year(today);
		if (year > now && year <= now + 5)
			return g_date_new_dmy(1, G_DATE_JANUARY, (GDateYear)year);
	}
	return NULL;
}

/* "in three weeks", "dans 2 mois", "za dwa tygodnie". */
/* What joins the two ends of a range of counts: "2-3", "2 to 3", "zwei
 * bis drei", "deux ou trois", ... */
static const char *const range_joins[] = {
        "-",    "\u2013", " - ", " to ",  " or ", " bis ", " oder ", " à ",
        " ou ", " a ",    " o ", " tot ", " of ", " do ",  " lub ",  " albo ",
};

/* A count at *@q, in digits or words ("3", "three", "drei"), advancing
 * *@q past it; 0 when there is none. */
static int
read_count(const char **q)
{
	int n = 0;
	if (g_ascii_isdigit(**q)) {
		while (g_ascii_isdigit(**q) && n < 1000)
			n = n * 10 + (*(*q)++ - '0');
		return n;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(numbers); i++) {
		gsize length = strlen(numbers[i].word);
		if (strncmp(*q, numbers[i].word, length) == 0 && word_end(*q + length)) {
			*q += length;
			return numbers[i].n;
		}
	}
	return 0;
}

static GDate *
relative_at(const char *text, const char *p, const GDate *today)
{
	const char *q = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(relative_leads) && q == NULL; i++)
		if (p[0] == relative_leads[i][0] && g_str_has_prefix(p, relative_leads[i]))
			q = p + strlen(relative_leads[i]);
	if (q == NULL || !word_start(text, p))
		return NULL;
	if (g_str_has_prefix(q, "about "))
		q += 6;
	for (gsize i = 0; i < G_N_ELEMENTS(half_years); i++) {
		if (g_str_has_prefix(q, half_years[i]) && word_end(q + strlen(half_years[i]))) {
			GDate *date = date_of(g_date_get_year(today), g_date_get_month(today),
			                      g_date_get_day(today));
			g_date_add_months(date, 6);
			return date;
		}
	}
	int n = read_count(&q);
	/* "in 2-3 weeks", "in two or three months": the later of the two
	 * (a sequence never resumes before the person asked). */
	for (gsize i = 0; i < G_N_ELEMENTS(range_joins) && n > 0; i++) {
		if (!g_str_has_prefix(q, range_joins[i]))
			continue;
		const char *after = q + strlen(range_joins[i]);
		int m = read_count(&after);
		if (m > 0) {
			n = MAX(n, m);
			q = after;
		}
		break;
	}
	if (n <= 0 || n > 24)
		return NULL;
	while (*q == ' ')
		q++;
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
		if (!g_str_has_prefix(q, units[i].prefix))
			continue;
		GDate *date = date_of(g_date_get_year(today), g_date_get_month(today),
		                      g_date_get_day(today));
		if (units[i].days > 0)
			g_date_add_days(date, (guint)(n * units[i].days));
		else
			g_date_add_months(date, (guint)(n * units[i].months));
		return date;
	}
	return NULL;
}

static int
polish_month_at(const char *p, gsize *length)
{
	for (gsize i = 0; i < G_N_ELEMENTS(polish_locatives); i++) {
		gsize n = strlen(polish_locatives[i].name);
		if (p[0] == polish_locatives[i].name[0] &&
		    strncmp(p, polish_locatives[i].name, n) == 0 && word_end(p + n)) {
			*length = n;
			return polish_locatives[i].month;
		}
	}
	return 0;
}

/* Words that put the contact after what was just named: "reach out
 * after that", "melden Sie sich danach". */
static const char *const after_that_words[] = {
        "after that", "afterwards", "danach", "après", "ensuite", "después",
        "luego",      "dopo",       "daarna", "potem", "po tym",  "depois",
};

/* A month named after one of month_leads: "in January", "Anfang März". */
static GDate *
month_at(const char *text, const char *p, const GDate *today)
{
	for (gsize i = 0; i < G_N_ELEMENTS(month_leads); i++) {
		if (p[0] != month_leads[i].words[0])
			continue;
		gsize lead = strlen(month_leads[i].words);
		if (strncmp(p, month_leads[i].words, lead) != 0 || !word_start(text, p))
			continue;
		const char *q = p + lead;
		gsize length = 0;
		int month = mail_return_date_month_at(q, &length);
		if (month == 0)
			month = polish_month_at(q, &length);
		if (month == 0)
			continue;
		q += length;
		while (*q == ' ' || *q == ',')
			q++;
		int year = 0;
		if (g_ascii_isdigit(q[0]) && g_ascii_isdigit(q[1]) && g_ascii_isdigit(q[2]) &&
		    g_ascii_isdigit(q[3]) && word_end(q + 4))
			year = (q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 +
			       (q[3] - '0');
		GDate *date = next_month_named(today, month, month_leads[i].day, year);
		/* "until the end of June, try us after that": 1 July ("until
		 * March 3rd, ... after that" is a day's, read as one). */
		bool day_follows = g_ascii_isdigit(q[0]) && year == 0;
		if (date != NULL && month_leads[i].ends && !day_follows &&
		    mail_classify_has_any(q, after_that_words, G_N_ELEMENTS(after_that_words))) {
			g_date_set_day(date, 1);
			g_date_add_months(date, 1);
		}
		return date;
	}
	return NULL;
}

char *
mail_intent_date_find(const char *text, const GDate *today)
{
	GDate *latest = NULL;
	for (const char *p = text; *p != '\0'; p++) {
		if (!word_start(text, p))
			continue;
		GDate *found = NULL;
		/* The first byte first: this runs at every word of a reply. */
		for (gsize i = 0; i < G_N_ELEMENTS(spans) && found == NULL; i++)
			if (p[0] == spans[i].words[0] && g_str_has_prefix(p, spans[i].words))
				found = date_of_span(spans[i].span, today);
		if (found == NULL)
			found = quarter_at(text, p, today);
		if (found == NULL)
			found = ordinal_quarter_at(p, today);
		if (found == NULL)
			found = calendar_week_at(text, p, today);
		if (found == NULL)
			found = relative_at(text, p, today);
		if (found == NULL)
			found = month_at(text, p, today);
		if (found == NULL)
			found = year_at(text, p, today);
		if (found != NULL)
			mail_classify_keep_later_date(&latest, found);
	}
	if (latest == NULL)
		return NULL;
	char *iso = g_strdup_printf("%04d-%02d-%02d", g_date_get_year(latest),
	                            g_date_get_month(latest), g_date_get_day(latest));
	g_date_free(latest);
	return iso;
}
