#include "engine/engine_holidays.h"

#include "engine/engine_error.h"
#include "engine/engine_holidays_data.h"

#include <string.h>

typedef enum {
	RULE_DATE,        /* MM-DD */
	RULE_EASTER,      /* easter+N */
	RULE_NTH,         /* mon1-09 */
	RULE_LAST,        /* monlast-05 */
	RULE_ON_OR_AFTER, /* fri>=06-19 */
} RuleKind;

typedef struct {
	char country[3];
	RuleKind kind;
	int month;
	int day;
	int offset;
	GDateWeekday weekday;
	int nth;
	bool observed;
	bool substitute;
	bool sunday_back;
	int from;  /* 0: always */
	int until; /* 0: always */
	char *name;
} Rule;

static const char *const weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "MM-DD", a day some year has. */
static bool
parse_month_day(const char *text, int *month, int *day)
{
	if (strlen(text) != 5 || text[2] != '-' || !g_ascii_isdigit(text[0]) ||
	    !g_ascii_isdigit(text[1]) || !g_ascii_isdigit(text[3]) || !g_ascii_isdigit(text[4]))
		return false;
	*month = (text[0] - '0') * 10 + (text[1] - '0');
	*day = (text[3] - '0') * 10 + (text[4] - '0');
	return *month >= 1 && *month <= 12 && *day >= 1 &&
	       g_date_valid_dmy((GDateDay)*day, (GDateMonth)*month, 2024);
}

/* "09", a month. */
static bool
parse_month(const char *text, int *month)
{
	int day = 0;
	g_autofree char *as_date = g_strdup_printf("%s-01", text);
	return parse_month_day(as_date, month, &day);
}

static bool
parse_rule(const char *text, Rule *rule)
{
	if (parse_month_day(text, &rule->month, &rule->day)) {
		rule->kind = RULE_DATE;
		return true;
	}
	if (g_str_has_prefix(text, "easter") && (text[6] == '+' || text[6] == '-')) {
		gint64 offset = 0;
		if (!g_ascii_string_to_signed(text + 6, 10, -100, 100, &offset, NULL))
			return false;
		rule->kind = RULE_EASTER;
		rule->offset = (int)offset;
		return true;
	}
	for (gsize w = 0; w < G_N_ELEMENTS(weekdays); w++) {
		if (!g_str_has_prefix(text, weekdays[w]))
			continue;
		rule->weekday = (GDateWeekday)(w + 1);
		const char *rest = text + 3;
		if (g_str_has_prefix(rest, ">=")) {
			rule->kind = RULE_ON_OR_AFTER;
			return parse_month_day(rest + 2, &rule->month, &rule->day);
		}
		if (g_str_has_prefix(rest, "last-")) {
			rule->kind = RULE_LAST;
			return parse_month(rest + 5, &rule->month);
		}
		if (rest[0] >= '1' && rest[0] <= '4' && rest[1] == '-') {
			rule->kind = RULE_NTH;
			rule->nth = rest[0] - '0';
			return parse_month(rest + 2, &rule->month);
		}
		return false;
	}
	return false;
}

static void
rule_free(gpointer data)
{
	Rule *rule = data;
	g_free(rule->name);
	g_free(rule);
}

/* One line: COUNTRY RULE [MODIFIER...] NAME. NULL with @why. */
static Rule *
parse_line(const char *line, const char **why)
{
	g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
	guint n = 0;
	const char *word[64];
	for (gsize i = 0; words[i] != NULL && n < G_N_ELEMENTS(word); i++)
		if (words[i][0] != '\0')
			word[n++] = words[i];
	if (n < 3) {
		*why = "expected COUNTRY RULE NAME";
		return NULL;
	}
	g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(rule_free);
	Rule *rule = g_new0(Rule, 1);
	g_ptr_array_add(holder, rule);
	if (strlen(word[0]) != 2 || !g_ascii_isupper(word[0][0]) || !g_ascii_isupper(word[0][1])) {
		*why = "a country is two capital letters (ISO 3166)";
		return NULL;
	}
	memcpy(rule->country, word[0], 2);
	if (!parse_rule(word[1], rule)) {
		*why = "a rule is MM-DD, easter+N, mon1-09, monlast-05 or fri>=06-19";
		return NULL;
	}
	guint at = 2;
	for (; at < n; at++) {
		gint64 year = 0;
		if (strcmp(word[at], "observed") == 0)
			rule->observed = true;
		else if (strcmp(word[at], "substitute") == 0)
			rule->substitute = true;
		else if (strcmp(word[at], "sunday-back") == 0)
			rule->sunday_back = true;
		else if (g_str_has_prefix(word[at], "from=") &&
		         g_ascii_string_to_signed(word[at] + 5, 10, 1900, 2200, &year, NULL))
			rule->from = (int)year;
		else if (g_str_has_prefix(word[at], "until=") &&
		         g_ascii_string_to_signed(word[at] + 6, 10, 1900, 2200, &year, NULL))
			rule->until = (int)year;
		else
			break;
	}
	if (at >= n) {
		*why = "the holiday's name is missing";
		return NULL;
	}
	GString *name = g_string_new(word[at]);
	for (at++; at < n; at++)
		g_string_append_printf(name, " %s", word[at]);
	rule->name = g_string_free(name, FALSE);
	return g_ptr_array_steal_index(holder, 0);
}

/* The rules of @text in order; the first mistake in *@error (or, without
 * @error, each bad line left out with a warning). */
static GPtrArray *
parse_all(const char *text, GError **error)
{
	g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func(rule_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (gsize i = 0; lines[i] != NULL; i++) {
		g_autofree char *line = g_strstrip(g_strdup(lines[i]));
		if (line[0] == '\0' || line[0] == '#')
			continue;
		const char *why = NULL;
		Rule *rule = parse_line(line, &why);
		if (rule != NULL) {
			g_ptr_array_add(rules, rule);
			continue;
		}
		if (error != NULL) {
			g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INPUT,
			            "holidays:%" G_GSIZE_FORMAT ": %s: \"%s\"", i + 1, why, line);
			return NULL;
		}
		g_warning("holidays:%" G_GSIZE_FORMAT ": %s: left out", i + 1, why);
	}
	return g_steal_pointer(&rules);
}

static gpointer
load_table(gpointer data)
{
	return parse_all(engine_holidays_data, NULL);
}

/* The shipped rules, read at the first use. */
static GPtrArray *
table(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, load_table, NULL);
}

bool
engine_holidays_check(const char *text, GError **error)
{
	g_autoptr(GPtrArray) rules = parse_all(text, error);
	return rules != NULL;
}

bool
engine_holidays_known(const char *country)
{
	GPtrArray *rules = table();
	for (guint i = 0; country != NULL && i < rules->len; i++)
		if (strcmp(((const Rule *)rules->pdata[i])->country, country) == 0)
			return true;
	return false;
}

char *
engine_holidays_countries(void)
{
	GPtrArray *rules = table();
	GString *out = g_string_new(NULL);
	const char *last = "";
	for (guint i = 0; i < rules->len; i++) {
		const Rule *rule = rules->pdata[i];
		if (strcmp(rule->country, last) == 0)
			continue;
		g_string_append_printf(out, "%s%s", out->len > 0 ? ", " : "", rule->country);
		last = rule->country;
	}
	return g_string_free(out, FALSE);
}

/* Easter Sunday of @year (Gregorian; the anonymous algorithm). */
static void
easter(int year, GDate *date)
{
	int a = year % 19;
	int b = year / 100;
	int c = year % 100;
	int d = b / 4;
	int e = b % 4;
	int f = (b + 8) / 25;
	int g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4;
	int k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;
	g_date_set_dmy(date, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

/* Where @rule falls in @year. */
static void
rule_date(const Rule *rule, int year, GDate *date)
{
	switch (rule->kind) {
	case RULE_DATE:
		g_date_set_dmy(date, (GDateDay)rule->day, (GDateMonth)rule->month, (GDateYear)year);
		break;
	case RULE_EASTER:
		easter(year, date);
		if (rule->offset >= 0)
			g_date_add_days(date, (guint)rule->offset);
		else
			g_date_subtract_days(date, (guint)-rule->offset);
		break;
	case RULE_ON_OR_AFTER:
	case RULE_NTH: {
		int first = rule->kind == RULE_NTH ? 1 : rule->day;
		g_date_set_dmy(date, (GDateDay)first, (GDateMonth)rule->month, (GDateYear)year);
		guint ahead = ((guint)rule->weekday + 7 - (guint)g_date_get_weekday(date)) % 7;
		g_date_add_days(date,
		                ahead + (rule->kind == RULE_NTH ? 7 * (guint)(rule->nth - 1) : 0));
		break;
	}
	case RULE_LAST: {
		GDateDay last = g_date_get_days_in_month((GDateMonth)rule->month, (GDateYear)year);
		g_date_set_dmy(date, last, (GDateMonth)rule->month, (GDateYear)year);
		guint back = ((guint)g_date_get_weekday(date) + 7 - (guint)rule->weekday) % 7;
		g_date_subtract_days(date, back);
		break;
	}
	}
}

static bool
weekend(const GDate *date)
{
	GDateWeekday day = g_date_get_weekday(date);
	return day == G_DATE_SATURDAY || day == G_DATE_SUNDAY;
}

typedef struct {
	GDate date;
	const char *name;
} Holiday;

static bool
listed(const GArray *days, const GDate *date)
{
	for (guint i = 0; i < days->len; i++)
		if (g_date_compare(&g_array_index(days, Holiday, i).date, date) == 0)
			return true;
	return false;
}

static void
add(GArray *days, const GDate *date, const char *name)
{
	Holiday holiday = {.date = *date, .name = name};
	g_array_append_val(days, holiday);
}

static bool
applies(const Rule *rule, const char *country, int year)
{
	return strcmp(rule->country, country) == 0 && (rule->from == 0 || year >= rule->from) &&
	       (rule->until == 0 || year <= rule->until);
}

/* Where @rule falls in @year, a Sunday moved back where it says so. */
static void
base_date(const Rule *rule, int year, GDate *date)
{
	g_date_clear(date, 1);
	rule_date(rule, year, date);
	if (rule->sunday_back && g_date_get_weekday(date) == G_DATE_SUNDAY)
		g_date_subtract_days(date, 1);
}

/* @country's holidays of @year: every rule's day, those observed on the
 * weekday beside, then the substitutes in file order, each on the next
 * weekday no other holiday holds (Christmas on a Sunday: Boxing Day is
 * the Monday, Christmas's substitute the Tuesday). */
static GArray *
holidays_of(GPtrArray *rules, const char *country, int year)
{
	GArray *days = g_array_new(FALSE, FALSE, sizeof(Holiday));
	for (guint i = 0; i < rules->len; i++) {
		const Rule *rule = rules->pdata[i];
		if (!applies(rule, country, year))
			continue;
		GDate date;
		base_date(rule, year, &date);
		add(days, &date, rule->name);
		GDateWeekday weekday = g_date_get_weekday(&date);
		if (rule->observed && weekday == G_DATE_SATURDAY) {
			g_date_subtract_days(&date, 1);
			add(days, &date, rule->name);
		} else if (rule->observed && weekday == G_DATE_SUNDAY) {
			g_date_add_days(&date, 1);
			add(days, &date, rule->name);
		}
	}
	for (guint i = 0; i < rules->len; i++) {
		const Rule *rule = rules->pdata[i];
		if (!rule->substitute || !applies(rule, country, year))
			continue;
		GDate date;
		base_date(rule, year, &date);
		if (!weekend(&date))
			continue;
		do
			g_date_add_days(&date, 1);
		while (weekend(&date) || listed(days, &date));
		add(days, &date, rule->name);
	}
	return days;
}

const char *
engine_holidays_on(const char *country, int year, int month, int day)
{
	if (country == NULL || !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
		return NULL;
	GPtrArray *rules = table();
	GDate date;
	g_date_clear(&date, 1);
	g_date_set_dmy(&date, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
	/* Next year's too: 1 January on a Saturday is observed on 31 December. */
	for (int y = year; y <= year + 1; y++) {
		g_autoptr(GArray) days = holidays_of(rules, country, y);
		for (guint i = 0; i < days->len; i++)
			if (g_date_compare(&g_array_index(days, Holiday, i).date, &date) == 0)
				return g_array_index(days, Holiday, i).name;
	}
	return NULL;
}
