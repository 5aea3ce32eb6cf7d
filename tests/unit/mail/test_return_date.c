/*
 * The day someone is back, from an out-of-office text written on
 * Wednesday 2 December 2026: dates in the eight languages' forms, ranges,
 * "the 14th", weekdays and "tomorrow" after a "back" or "until" word, and
 * texts that name no return at all.
 */
#include "mail/mail_return_date.h"

typedef struct {
	const char *text;
	const char *want; /* NULL: no date */
} Case;

static const Case cases[] = {
        {"I'll be back on 14.12.2026.", "2026-12-14"},
        /* Japanese, Korean, Chinese: what the date is, said after it */
        {"誠に勝手ながら、12月13日まで休暇のため不在にしております。", "2026-12-14"},
        {"12月14日（月）より出社いたします。", "2026-12-14"},
        /* a range "from ... until": the first day is no return */
        {"12月28日から1月5日まで休暇をいただいております。", "2027-01-06"},
        {"12월 13일까지 휴가로 부재중입니다.", "2026-12-14"},
        {"我正在休假，12月14日返回办公室。", "2026-12-14"},
        {"Ich bin ab dem 14. Dezember wieder im Büro.", "2026-12-14"},
        /* German calendar weeks: from one, its Monday; until one, the
         * Monday after it; one long past, next year's */
        {"Ich bin ab KW 51 wieder im Büro.", "2026-12-14"},
        {"Ich bin bis einschließlich KW 52 im Urlaub.", "2026-12-28"},
        {"Wieder erreichbar ab Kalenderwoche 2.", "2027-01-11"},
        {"Zurück in KW2/2027.", "2027-01-11"},
        {"Ab KW 53 wieder da.", "2026-12-28"},
        {"Ab KW 53/2027 wieder da.", NULL},
        {"Leistung 10 kW, kwadrat.", NULL},
        /* Russian: "on leave until 13 December", "back on 14 December",
         * "from 14 December" */
        {"Я в отпуске до 13 декабря.", "2026-12-14"},
        {"Я в командировке, вернусь 14 декабря.", "2026-12-14"},
        {"Буду на связи с 14 декабря.", "2026-12-14"},
        {"Je serai de retour le lundi 14 décembre.", "2026-12-14"},
        {"I'm on holiday until 3 January 2027.", "2027-01-04"},
        {"I am out of the office until 2026-12-13.", "2026-12-14"},
        /* ranges: the second date is the last day away */
        {"I will be out of the office from 2 December through 13 December.", "2026-12-14"},
        {"Out of office 2.12.\u201313.12.2026", "2026-12-14"},
        {"Out of office from 2 December to 13 December.", "2026-12-14"},
        {"Absent du 2 au 13 décembre.", "2026-12-14"},
        {"Sono in ferie dal 2 all'11 dicembre.", "2026-12-12"},
        {"Estou de férias de 2 a 11 de dezembro.", "2026-12-12"},
        /* Dutch "t/m" (tot en met: up to and including) */
        {"Ik ben t/m 13 december afwezig.", "2026-12-14"},
        /* a day of no month after the word for "day" */
        {"Estou ausente até dia 13.", "2026-12-14"},
        {"Estoy fuera hasta el día 13.", "2026-12-14"},
        /* a day of no month after the other languages' "the": "bis zum
         * 7.", "jusqu'au 7", "le 7", "fino al 7", "tot de 7e", "do 7." */
        {"Ich bin bis zum 7. nicht im Büro.", "2026-12-08"},
        {"Ich bin ab dem 7. wieder da.", "2026-12-07"},
        {"Je suis absent jusqu'au 7.", "2026-12-08"},
        {"Je serai de retour le 7.", "2026-12-07"},
        {"Sono assente fino al 7.", "2026-12-08"},
        {"Ik ben afwezig tot de 7e.", "2026-12-08"},
        {"Jestem nieobecny do 7.", "2026-12-08"},
        {"Vuelvo el 7.", "2026-12-07"},
        /* "from" names the first day away as often as the return: a
         * "back" or an "until" word says more, else the latest */
        {"Ich bin ab dem 21.12. im Urlaub und ab dem 04.01.2027 wieder im Büro.", "2027-01-04"},
        {"Je serai absente à partir du 21 décembre. Retour prévu le 4 janvier.", "2027-01-04"},
        {"Vanaf 21 december ben ik met vakantie. Ik ben weer terug op 4 januari.", "2027-01-04"},
        {"Estarei de férias a partir de 21 de dezembro, retornando em 4 de janeiro.", "2027-01-04"},
        {"Ab dem 21.12. bis zum 3.1. bin ich nicht im Haus.", "2027-01-04"},
        /* a range of counts is no day and month */
        {"I'm away for 2-3 weeks, with limited access to email.", NULL},
        {"Ich bin 1-2 Wochen nicht erreichbar.", NULL},
        /* Polish weekdays in the genitive "do" takes */
        {"Jestem nieobecny do piątku.", "2026-12-05"},
        /* ... never a count */
        {"Jestem na urlopie do 7 dni, wracam wkrótce.", NULL},
        /* calendars' abbreviations */
        {"Je serai de retour le 4 janv.", "2027-01-04"},
        {"Zurück am 4. Jan.", "2027-01-04"},
        {"Ich bin bis 3. Dez. nicht im Haus.", "2026-12-04"},
        /* Portuguese "dez" is ten, no December */
        {"Estou de férias, volto em dez dias.", NULL},
        /* "after" a day: the day after it */
        {"I will respond after 14/12.", "2026-12-15"},
        /* Portuguese "do dia" is "from the day", no Polish "do" (until) */
        {"Estarei ausente do dia 03/12 até o dia 13/12.", "2026-12-14"},
        /* day and month both 12 or less, with slashes and no year: the
         * nearer of the two orders (US December 10, not 12 October) */
        {"I'm currently out of the office, returning 12/10.", "2026-12-10"},
        {"Back on 10/12.", "2026-12-10"},
        {"Back on 3/1.", "2027-01-03"},
        /* ... a day to come before one just past (1 November) */
        {"Estou de férias até dia 11/01 sem acesso ao e-mail.", "2027-01-12"},
        {"Out until 11/1.", "2027-01-12"},
        /* Notes' "will not return until": the day of return */
        {"Będę poza biurem od  21.12.2026 i nie wrócę do  04.01.2027.", "2027-01-04"},
        {"Estarei ausente do escritório a partir de  21/12/2026 e não retornarei até  "
         "04/01/2027.",
         "2027-01-04"},
        /* ... with a year too (US 4 January, not 1 April) */
        {"I will be out of the office from 12/21/2026 through 1/4/2027.", "2027-01-05"},
        /* a day past 12 says the order */
        {"Back 12/14.", "2026-12-14"},
        /* a weekday and its day, no month (written on Wednesday 2
         * December: Monday the 14th, not the next Monday, the 7th) */
        {"Estoy de vacaciones. Volveré el lunes 14.", "2026-12-14"},
        {"Je serai de retour le lundi 14.", "2026-12-14"},
        {"Ich bin ab Montag, den 14. wieder im Büro.", "2026-12-14"},
        {"Sarò di nuovo in ufficio lunedì 14.", "2026-12-14"},
        {"Wracam w poniedziałek 14.", "2026-12-14"},
        {"Estarei de volta na segunda-feira, dia 14.", "2026-12-14"},
        /* a weekday and an hour is no day */
        {"Ich bin ab Montag 14 Uhr wieder erreichbar.", "2026-12-07"},
        /* a day of no month, after "back" or "until" only */
        {"Back on the 14th.", "2026-12-14"},
        /* the next 4th that is a Monday, not this Friday the 4th */
        {"I'm on holiday and back on Monday the 4th. Speak then!", "2027-01-04"},
        {"Back on Friday, the 4th.", "2026-12-04"},
        {"Away until the 1st.", "2027-01-02"},
        {"Our offices are on the 2nd floor.", NULL},
        /* weekdays and tomorrow, after "back" or "until" only */
        {"I'm out of office this week and back next Monday.", "2026-12-07"},
        {"Ich bin ab Montag wieder erreichbar.", "2026-12-07"},
        {"Je suis absente jusqu'à vendredi.", "2026-12-05"},
        {"Back tomorrow.", "2026-12-03"},
        {"Sarò di ritorno lunedì.", "2026-12-07"},
        {"Vanaf maandag ben ik weer terug.", "2026-12-07"},
        {"Wracam w poniedziałek.", "2026-12-07"},
        {"Estarei de volta na segunda-feira.", "2026-12-07"},
        {"Back on Wednesday.", "2026-12-09"},
        {"Thank you for your email. Our office is closed on Sundays.", NULL},
        {"I'm travelling and answer mail on Mondays only.", NULL},
};

static void
test_cases(void)
{
	g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 12, 2, 10, 0, 0);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = mail_return_date_find(cases[i].text, sent);
		if (g_strcmp0(got, cases[i].want) != 0)
			g_error("\"%s\": %s, expected %s", cases[i].text, got ? got : "none",
			        cases[i].want ? cases[i].want : "none");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/return-date/forms-ranges-and-weekdays", test_cases);
	return g_test_run();
}
