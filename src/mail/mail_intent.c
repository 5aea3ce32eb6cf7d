#include "mail/mail_intent.h"

#include "mail/mail_intent_condition.h"
#include "mail/mail_intent_context.h"
#include "mail/mail_intent_cues.h"
#include "mail/mail_intent_date.h"
#include "mail/mail_intent_letter.h"
#include "mail/mail_intent_negation.h"
#include "mail/mail_intent_scores.h"
#include "mail/mail_intent_sense.h"
#include "mail/mail_intent_stop.h"
#include "mail/mail_intent_text.h"
#include "mail/mail_private.h"
#include "mail/mail_referral.h"
#include "mail/mail_return_date.h"

#include <string.h>

/* Confidence below which a person should look. */
#define SURE_ENOUGH 60

/* A talk proposed this many days away or more is a "later". */
#define TALK_LATER_DAYS 28
/* Words at most in an answer that is a time and nothing else ("Après
 * Pâques, peut-être."). */
#define TIME_ALONE_WORDS 8

/* ... a time ahead by its words ("after", "next": "J'ai quitté Prospect
 * en octobre" names a month gone by) ... */
static const char *const future_words[] = {
        "after",     "next",  "nach ",   "nächst",   "après",    "prochain", "después", "próxim",
        "que viene", "dopo",  "prossim", "na ",      "volgend",  "po ",      "przyszł", "depois",
        "que vem",   "from ", "ab ",     "à partir", "a partir", "vanaf",    "od ",
};

/* ... and never a time something lasts until ("Sono in vacanza fino al 3
 * gennaio": an absence, an out-of-office's words). */
static const char *const until_words[] = {
        "until",
        "till ",
        "bis ",
        "jusqu",
        "hasta",
        "fino a",
        "fino al",
        "tot ",
        "t/m",
        "até",
        /* Polish "do" before a day or a month, not Portuguese's "do ano" */
        "do 0",
        "do 1",
        "do 2",
        "do 3",
        "do 4",
        "do 5",
        "do 6",
        "do 7",
        "do 8",
        "do 9",
        "do stycznia",
        "do lutego",
        "do marca",
        "do kwietnia",
        "do maja",
        "do czerwca",
        "do lipca",
        "do sierpnia",
        "do września",
        "do października",
        "do listopada",
        "do grudnia",
        "do końca",
        "do poniedziałku",
        "do wtorku",
        "do środy",
        "do czwartku",
        "do piątku",
        "do soboty",
        "do niedzieli",
};

/* Days from @today to @date ("YYYY-MM-DD"); 0 when it does not read. */
static int
days_until(const GDate *today, const char *date)
{
	GDate *then = g_date_new();
	g_date_set_parse(then, date);
	int days = g_date_valid(then) ? g_date_days_between(today, then) : 0;
	g_date_free(then);
	return days;
}

/* "Not interested right now" is "later", not "no". */
static const char *const time_qualifiers[] = {
        "right now",
        "at the moment",
        "at this time",
        "currently",
        "for now",
        "this year",
        "this quarter",
        "yet",
        "momentan",
        "derzeit",
        "aktuell ",
        "aktuell,",
        "zurzeit",
        "im moment",
        "pour le moment",
        "actuellement",
        "en ce moment",
        "por ahora",
        "en este momento",
        "de momento",
        "al momento",
        "per ora",
        "in questo momento",
        "op dit moment",
        "momenteel",
        "obecnie",
        "w tej chwili",
        "na razie",
        "no momento",
        "por enquanto",
        "na chwilę obecną",
        "vorerst",
        "fürs erste",
        "pour l'instant",
        "for the time being",
        /* "no budget until September": a no with an end */
        "until ",
        "hasta ",
        "jusqu'",
        "fino a ",
        "for the moment",
        "por el momento",
        "per il momento",
        "voorlopig",
};
static const MailWordList time_qualifiers_list = MAIL_WORD_LIST(time_qualifiers);

/* ... unless the sentence says "and not later either": "not interested at
 * the moment or in the future" is a no. */
static const char *const for_good[] = {
        "in the future either",
        "or in the future",
        "nor in the future",
        "or ever",
        "or next",
        "noch in zukunft",
        "noch künftig",
        "ni à l'avenir",
        "ni en el futuro",
        "ni nunca",
        "né in futuro",
        "né mai",
        "in de toekomst niet",
        "noch in de toekomst",
        "ani w przyszłości",
        "nem no futuro",
        "nem futuramente",
};

/* "Do not contact me before March": a stop with an end, when a date
 * follows (a stop for now; not read beside a "no", where "I told you
 * before" would make it a "not yet"). */
static const char *const stop_before_words[] = {
        "before ", "vor ", "avant ", "antes de ", "prima di ", "voor ", "przed ",
};

const char *
mail_intent_to_string(MailIntent intent)
{
	static const char *const names[] = {
	        [MAIL_INTENT_NEEDS_REVIEW] = "needs_review",
	        [MAIL_INTENT_INTERESTED] = "interested",
	        [MAIL_INTENT_MEETING] = "meeting",
	        [MAIL_INTENT_LATER] = "later",
	        [MAIL_INTENT_NOT_INTERESTED] = "not_interested",
	        [MAIL_INTENT_WRONG_PERSON] = "wrong_person",
	        [MAIL_INTENT_UNSUBSCRIBE] = "unsubscribe",
	};
	return (gsize)intent < G_N_ELEMENTS(names) ? names[intent] : "needs_review";
}

bool
mail_intent_parse(const char *name, MailIntent *intent)
{
	for (int i = 0; i < MAIL_INTENT_COUNT; i++)
		if (name != NULL && strcmp(name, mail_intent_to_string((MailIntent)i)) == 0) {
			*intent = (MailIntent)i;
			return true;
		}
	return false;
}

void
mail_intent_result_free(MailIntentResult *result)
{
	if (result == NULL)
		return;
	g_free(result->date);
	g_free(result->referral);
	g_free(result->evidence);
	g_free(result);
}

static const char *
strip_subject(const char *subject)
{
	bool again = true;
	while (again) {
		again = false;
		while (*subject == ' ')
			subject++;
		for (gsize i = 0; i < MAIL_ANSWER_PREFIXES_N; i++) {
			gsize n = strlen(mail_answer_prefixes[i]);
			if (strncmp(subject, mail_answer_prefixes[i], n) == 0) {
				subject += n;
				again = true;
			}
		}
	}
	return subject;
}

/* A subject that is a request to stop: "unsubscribe", "Bitte austragen". */
static bool
subject_asks_to_stop(const char *topic)
{
	if (mail_intent_stop_is_bare(topic))
		return true;
	for (gsize i = 0; i < mail_intent_n_cues; i++)
		if (mail_intent_cues[i].intent == MAIL_INTENT_UNSUBSCRIBE &&
		    mail_intent_sense_find(topic, &mail_intent_cues[i]) != NULL)
			return true;
	return false;
}

static const char *const return_words[] = {
        "be back",      "back on",      "back in the office", "return on",
        "returning on", "back at work", "zurück am",          "wieder im büro",
        "wieder da",    "de retour",    "de vuelta",          "regreso el",
        "di ritorno",   "rientro",      "weer terug",         "terug op",
        "wracam",       "powrót",       "de volta",           "retorno em",
};

/* The cues by their first byte, built once: the text is walked once and
 * each word start compared with the few cues that can begin there. */
typedef struct {
	GArray *by_byte[256]; /* guint16 indexes into mail_intent_cues */
	gsize *length;        /* of each cue's phrase */
} CueIndex;

static gpointer
build_cue_index(gpointer data)
{
	CueIndex *index = data;
	g_assert(mail_intent_n_cues <= G_MAXUINT16);
	index->length = g_new(gsize, mail_intent_n_cues);
	for (gsize i = 0; i < mail_intent_n_cues; i++) {
		guchar first = (guchar)mail_intent_cues[i].phrase[0];
		if (index->by_byte[first] == NULL)
			index->by_byte[first] = g_array_new(FALSE, FALSE, sizeof(guint16));
		guint16 at = (guint16)i;
		g_array_append_val(index->by_byte[first], at);
		index->length[i] = strlen(mail_intent_cues[i].phrase);
	}
	return index;
}

static const CueIndex *
cue_index(void)
{
	static CueIndex index;
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, build_cue_index, &index);
}

/* The clause of @text that holds @at: from the last "but" (or ":") or
 * sentence end before it to its sentence's end ("Out of office until
 * Monday, but quick answer: not interested" says no time of the "no"'s).
 * Newly allocated. */
static char *
dup_clause_of(const char *text, const char *at)
{
	static const char *const colon[] = {": "};
	const char *start = at;
	for (; start > text; start--)
		if (strchr(".!?\n", start[-1]) != NULL ||
		    mail_classify_word_before(text, start, mail_intent_text_but_words,
		                              MAIL_INTENT_TEXT_BUT_WORDS_N) != NULL ||
		    mail_classify_word_before(text, start, colon, G_N_ELEMENTS(colon)) != NULL)
			break;
	const char *end = mail_classify_sentence_end(at, false);
	return g_strndup(start, (gsize)(end - start));
}

/* Words of politeness a person puts inside a request ("Nehmen Sie mich
 * bitte aus ...", "Stop alstublieft met mailen", "remove me please from
 * ..."): read again without them, a cue they split is whole. */
static const char *const fillers[] = {
        "please ",          "pls ",         "kindly ",    "bitte ",       "doch ",
        "s'il vous plaît ", "svp ",         "por favor ", "per favore ",  "per cortesia ",
        "alstublieft ",     "alsjeblieft ", "aub ",       "gentilmente ",
};

/* @text without the filler words, or NULL when it has none. */
static char *
dup_without_fillers(const char *text)
{
	GString *out = NULL;
	const char *copied = text;
	for (const char *p = text; *p != '\0'; p++) {
		if (p != text && p[-1] != ' ')
			continue;
		for (gsize i = 0; i < G_N_ELEMENTS(fillers); i++) {
			gsize n = strlen(fillers[i]);
			if (*p != fillers[i][0] || strncmp(p, fillers[i], n) != 0)
				continue;
			if (out == NULL)
				out = g_string_sized_new(strlen(text));
			g_string_append_len(out, copied, p - copied);
			copied = p + n;
			p += n - 1;
			break;
		}
	}
	if (out == NULL)
		return NULL;
	g_string_append(out, copied);
	return g_string_free(out, FALSE);
}

/* Scores the cues of @text not yet in @seen (one flag a cue), and marks
 * them. */
static void
score_text_once(const char *text, MailIntentScores *scores, bool *seen)
{
	const CueIndex *index = cue_index();
	for (const char *p = text; *p != '\0'; p++) {
		bool start =
		        !mail_intent_text_after_word(text, p) || !mail_intent_text_is_word_byte(*p);
		bool contraction = p[0] == 'n' && p[1] == '\'';
		const GArray *candidates = index->by_byte[(guchar)*p];
		if ((!start && !contraction) || candidates == NULL)
			continue;
		for (guint k = 0; k < candidates->len; k++) {
			guint16 i = g_array_index(candidates, guint16, k);
			const MailIntentCue *cue = &mail_intent_cues[i];
			if (seen[i] || (!start && !g_str_has_prefix(cue->phrase, "n'")) ||
			    strncmp(p, cue->phrase, index->length[i]) != 0)
				continue;
			/* A request about someone else is no opt-out of the
			 * writer's. */
			if (cue->intent == MAIL_INTENT_UNSUBSCRIBE &&
			    mail_intent_stop_is_about_someone_else(p + index->length[i],
			                                           scores->sender)) {
				scores->stop_for_another = true;
				continue;
			}
			if (cue->intent == MAIL_INTENT_INTERESTED &&
			    mail_intent_negation_refuses_thing_before(text, p)) {
				seen[i] = true;
				scores->score[MAIL_INTENT_NOT_INTERESTED] += cue->weight;
				g_string_append_printf(
				        scores->evidence, "%s\"%s\" of a thing refused",
				        scores->evidence->len > 0 ? ", " : "", cue->phrase);
				continue;
			}
			if (!mail_intent_sense_counts(text, p, cue))
				continue;
			if (cue->intent == MAIL_INTENT_UNSUBSCRIBE &&
			    mail_intent_stop_of_one_address(text, p, scores->sender))
				continue;
			seen[i] = true;
			if (cue->weight < 0) {
				scores->dated = MAX(scores->dated, -cue->weight);
				continue;
			}
			if (cue->intent == MAIL_INTENT_INTERESTED &&
			    mail_intent_sense_asks_for_a_message(p + index->length[i])) {
				scores->write_me += cue->weight;
				scores->dated = MAX(scores->dated, 3);
				continue;
			}
			if (scores->score[cue->intent] >= 6)
				continue;
			if (cue->intent == MAIL_INTENT_UNSUBSCRIBE && !scores->stop_for_now) {
				g_autofree char *sentence = mail_classify_dup_sentence(text, p);
				scores->stop_for_now =
				        mail_word_list_in(&time_qualifiers_list, sentence) ||
				        mail_classify_has_any(sentence, stop_before_words,
				                              G_N_ELEMENTS(stop_before_words));
			}
			if (cue->intent == MAIL_INTENT_NOT_INTERESTED && !scores->not_yet) {
				g_autofree char *clause = dup_clause_of(text, p);
				scores->not_yet =
				        mail_word_list_in(&time_qualifiers_list, clause) &&
				        !mail_classify_has_any(clause, for_good,
				                               G_N_ELEMENTS(for_good));
			}
			scores->score[cue->intent] += cue->weight;
			g_string_append_printf(scores->evidence, "%s\"%s\"",
			                       scores->evidence->len > 0 ? ", " : "", cue->phrase);
		}
	}
}

/* Scores the cues of @text, and of @text without its filler words. */
static void
score_text(const char *text, MailIntentScores *scores)
{
	g_autofree bool *seen = g_new0(bool, mail_intent_n_cues);
	score_text_once(text, scores, seen);
	g_autofree char *plain = dup_without_fillers(text);
	if (plain != NULL)
		score_text_once(plain, scores, seen);
}

/* The intent the scores point to, and how sure it is. */
static MailIntent
decide(const int *s, bool not_yet, bool date_said, bool referral, int *confidence)
{
	int interest = s[MAIL_INTENT_INTERESTED], meeting = s[MAIL_INTENT_MEETING];
	int later = s[MAIL_INTENT_LATER], no = s[MAIL_INTENT_NOT_INTERESTED];
	int wrong = s[MAIL_INTENT_WRONG_PERSON];
	if (s[MAIL_INTENT_UNSUBSCRIBE] > 0) {
		/* A stop word beside clear interest ("Unsubscribe? No way, send
		 * me more", "can I opt out of the annual plan? If so, I'm
		 * interested"): for a person to read. An opt-out is for good;
		 * one read wrongly would never be undone by itself. */
		if (interest + meeting >= 2) {
			*confidence = 40;
			return MAIL_INTENT_NEEDS_REVIEW;
		}
		*confidence = 90;
		return MAIL_INTENT_UNSUBSCRIBE;
	}
	if (wrong >= 3 || (wrong >= 2 && referral)) {
		*confidence = wrong >= 3 || referral ? 85 : 65;
		return MAIL_INTENT_WRONG_PERSON;
	}
	if (later >= 2 || (no > 0 && not_yet) || (later > 0 && date_said)) {
		*confidence = interest + meeting >= 4 ? 55 : 80;
		return MAIL_INTENT_LATER;
	}
	if (no > 0) {
		*confidence = interest + meeting >= 3 ? 55 : 85;
		return MAIL_INTENT_NOT_INTERESTED;
	}
	if (meeting >= 2 && meeting >= interest) {
		*confidence = meeting >= 3 ? 85 : 70;
		return MAIL_INTENT_MEETING;
	}
	if (interest > 0) {
		*confidence = interest >= 3 ? 80 : 65;
		return MAIL_INTENT_INTERESTED;
	}
	if (wrong > 0 || later > 0 || meeting > 0) {
		*confidence = 40;
		return wrong > 0   ? MAIL_INTENT_WRONG_PERSON
		       : later > 0 ? MAIL_INTENT_LATER
		                   : MAIL_INTENT_MEETING;
	}
	*confidence = 0;
	return MAIL_INTENT_NEEDS_REVIEW;
}

/* The latest time the reply names: a month, a quarter, a season
 * ("in March", "in Q2") or a day ("on February 10th", "until January 4th":
 * the day after it), never one already past. */
static char *
later_date_named(const char *body, GDateTime *sent, const GDate *today, bool days_too)
{
	char *date = mail_intent_date_find(body, today);
	/* A day is written with digits ("on February 10th", "until 4.1."). */
	if (!days_too || strpbrk(body, "0123456789") == NULL)
		return date;
	g_autofree char *day = mail_return_date_find(body, sent);
	g_autofree char *today_iso =
	        g_strdup_printf("%04d-%02d-%02d", g_date_get_year(today), g_date_get_month(today),
	                        g_date_get_day(today));
	if (day != NULL && strcmp(day, today_iso) > 0 && (date == NULL || strcmp(day, date) > 0)) {
		g_free(date);
		date = g_steal_pointer(&day);
	}
	return date;
}

/* Separators a person puts between our subject and words of their own:
 * "Re: Quick question - not interested". */
static const char *const subject_separators[] = {" - ", " -- ", " \u2013 ", " | "};

/* What an empty reply's subject says: all of it when the person wrote it
 * (no "Re:"), else only the words after the last separator, and from
 * those no stop unless it is the request alone ("- REMOVE"): our own
 * subject's last words may be anything. */
static void
read_subject_words(const char *topic, bool answered, MailIntentScores *scores)
{
	const char *words = topic;
	if (answered) {
		words = NULL;
		for (gsize i = 0; i < G_N_ELEMENTS(subject_separators); i++) {
			const char *at = g_strrstr(topic, subject_separators[i]);
			if (at != NULL &&
			    (words == NULL || at + strlen(subject_separators[i]) > words))
				words = at + strlen(subject_separators[i]);
		}
		if (words == NULL)
			return;
	}
	int stop_before = scores->score[MAIL_INTENT_UNSUBSCRIBE];
	score_text(words, scores);
	if (answered)
		scores->score[MAIL_INTENT_UNSUBSCRIBE] = stop_before;
	if (mail_intent_stop_is_bare(words))
		scores->score[MAIL_INTENT_UNSUBSCRIBE] += 3;
	mail_intent_context_score_bare_answers(words, scores);
	mail_intent_scores_note(scores, "read in the subject");
}

/* "Unsubscribe from Prospect Inc. marketing emails" under "Best, Tom": a
 * company signature's link, not the writer's request (one made above the
 * sign-off, on its line or in a P.S. is). @signed_part: the text through
 * its sign-off (mail_intent_letter_dup_through_sign_off). */
static void
drop_signature_stop(const char *signed_part, MailIntentScores *scores)
{
	g_autofree char *words = mail_intent_letter_dup_without_footer_offers(signed_part);
	MailIntentScores upper = {.evidence = g_string_new(NULL), .sender = scores->sender};
	score_text(words, &upper);
	if (upper.score[MAIL_INTENT_UNSUBSCRIBE] == 0) {
		scores->score[MAIL_INTENT_UNSUBSCRIBE] = 0;
		mail_intent_scores_note(scores, "a stop under the sign-off: a signature's");
	}
	g_string_free(upper.evidence, TRUE);
}

MailIntentResult *
mail_intent_read(const char *text, const char *subject, const char *sender, GDateTime *sent)
{
	MailIntentResult *result = g_new0(MailIntentResult, 1);
	g_autofree char *written =
	        mail_intent_letter_dup_without_button_lines(text != NULL ? text : "");
	text = written;
	g_autofree char *folded = mail_intent_text_dup_folded(text);
	g_autofree char *body = mail_intent_letter_dup_without_footer_offers(folded);
	g_autofree char *subject_folded =
	        mail_intent_text_dup_folded(subject != NULL ? subject : "");
	const char *topic = strip_subject(subject_folded);
	g_autofree char *writer = sender != NULL ? g_ascii_strdown(sender, -1) : NULL;
	MailIntentScores scores = {.evidence = g_string_new(NULL), .sender = writer};
	score_text(body, &scores);
	mail_intent_context_read(body, &scores);
	/* "Unsubscribe" as the subject of an empty reply, or as all of it.
	 * After a "Re:" the subject is ours, unless it is the request alone
	 * ("Re: unsubscribe"): "Re: Stop sending invoices by hand" over
	 * "Sounds good!" asks for nothing of the kind. */
	g_autofree char *core = mail_intent_letter_dup_core(text);
	g_autofree char *signed_part = mail_intent_letter_dup_through_sign_off(text);
	if (signed_part != NULL && scores.score[MAIL_INTENT_UNSUBSCRIBE] > 0)
		drop_signature_stop(signed_part, &scores);
	bool bare =
	        mail_intent_stop_is_bare(body) || mail_intent_stop_is_bare(core) ||
	        mail_intent_stop_first_line_is_bare(text != NULL ? text : "") ||
	        mail_intent_stop_last_sentence_is_bare(signed_part != NULL ? signed_part : body) ||
	        mail_intent_stop_last_sentence_is_bare(core);
	bool answered = topic != subject_folded + strspn(subject_folded, " ");
	bool said_else = false;
	for (int i = 0; i < MAIL_INTENT_COUNT; i++)
		said_else = said_else || scores.score[i] > 0;
	bool subject_stop =
	        mail_intent_text_count_words(body) <= 3 && !said_else &&
	        (answered ? mail_intent_stop_is_bare(topic) : subject_asks_to_stop(topic));
	if (bare || subject_stop) {
		scores.score[MAIL_INTENT_UNSUBSCRIBE] += 3;
		g_string_append_printf(scores.evidence, "%sasks to stop in %s",
		                       scores.evidence->len > 0 ? ", " : "",
		                       bare ? "the text" : "the subject");
	}
	/* A reply whose text says nothing: its subject speaks ("Not
	 * interested" of the person's own, or words put after ours: "Re:
	 * Quick question - not interested"). */
	if (!bare && !subject_stop && !said_else && mail_intent_text_count_words(body) <= 3)
		read_subject_words(topic, answered, &scores);
	mail_intent_context_score_bare_answers(core, &scores);
	/* Days and times back a meeting, unless they are when the writer is
	 * back, or a signature's office hours under the sign-off. */
	g_autofree char *above_sign_off =
	        mail_intent_letter_dup_above_sign_off(text != NULL ? text : "");
	bool a_return = mail_classify_has_any(body, return_words, G_N_ELEMENTS(return_words));
	if (!a_return && mail_intent_text_has_clock_time(above_sign_off))
		scores.score[MAIL_INTENT_MEETING] += 1;
	if (!a_return && mail_intent_text_names_weekday(above_sign_off))
		scores.score[MAIL_INTENT_MEETING] += 1;
	mail_intent_context_keep_added_colleague_aside(body, &scores);

	/* The address in "unsubscribe bob@corp.example" is no colleague to
	 * write to instead. */
	g_autofree char *referral =
	        scores.stop_for_another || mail_intent_stop_asks_to_remove_another(body, writer)
	                ? NULL
	                : mail_referral_find(body, sender);
	GDate *today = NULL;
	if (sent != NULL)
		today = g_date_new_dmy((GDateDay)g_date_time_get_day_of_month(sent),
		                       (GDateMonth)g_date_time_get_month(sent),
		                       (GDateYear)g_date_time_get_year(sent));
	/* A date matters only beside a "later" cue or a talk (the rarer
	 * cases). */
	g_autofree char *date =
	        today != NULL && (scores.score[MAIL_INTENT_LATER] > 0 || scores.not_yet ||
	                          scores.dated > 0 || scores.stop_for_now ||
	                          scores.score[MAIL_INTENT_MEETING] > 0)
	                ? later_date_named(body, sent, today,
	                                   scores.score[MAIL_INTENT_LATER] > 0 || scores.not_yet ||
	                                           scores.dated > 0 || scores.stop_for_now)
	                : NULL;
	/* "After Easter, maybe.", "Next year.": a short answer that names a
	 * time a month or more away, and says nothing else. */
	bool said_nothing = !scores.not_yet && scores.dated == 0 && !scores.stop_for_now;
	for (int i = 0; i < MAIL_INTENT_COUNT; i++)
		said_nothing = said_nothing && scores.score[i] == 0;
	if (today != NULL && date == NULL && said_nothing &&
	    mail_intent_text_count_words(core) <= TIME_ALONE_WORDS &&
	    mail_intent_text_has_phrase_at_word(core, future_words, G_N_ELEMENTS(future_words),
	                                        false) &&
	    !mail_classify_has_any(core, until_words, G_N_ELEMENTS(until_words))) {
		g_autofree char *when = later_date_named(core, sent, today, true);
		if (when != NULL && days_until(today, when) >= TALK_LATER_DAYS) {
			date = g_steal_pointer(&when);
			scores.score[MAIL_INTENT_LATER] += 2;
			g_string_append_printf(scores.evidence,
			                       "%sa time a month or more away, alone",
			                       scores.evidence->len > 0 ? ", " : "");
		}
	}
	/* "Happy to chat in Q2": a talk a month or more away is a "later" with
	 * its date ("next week", a day this month, stays a meeting). */
	if (date != NULL && scores.score[MAIL_INTENT_LATER] == 0 &&
	    scores.score[MAIL_INTENT_MEETING] >= 2 && days_until(today, date) >= TALK_LATER_DAYS) {
		scores.score[MAIL_INTENT_LATER] += scores.score[MAIL_INTENT_MEETING];
		scores.score[MAIL_INTENT_MEETING] = 0;
		g_string_append_printf(scores.evidence, "%sa talk a month or more away",
		                       scores.evidence->len > 0 ? ", " : "");
	}
	/* "Locked into a contract until 2029": a no whose end is more than a
	 * year away is a no, not a "not now". */
	if (scores.not_yet && date != NULL && days_until(today, date) > 366)
		scores.not_yet = false;
	/* "Send me an email with the details", no time said: a "send me" after
	 * all. */
	if (scores.write_me > 0 && date == NULL)
		scores.score[MAIL_INTENT_INTERESTED] += scores.write_me;
	/* "Try again in March": asked to write again at a time (not "write
	 * again next week with a proposal": that is interest). */
	if (scores.dated > 0 && date != NULL &&
	    (scores.score[MAIL_INTENT_INTERESTED] + scores.score[MAIL_INTENT_MEETING] < 2 ||
	     days_until(today, date) >= TALK_LATER_DAYS)) {
		scores.score[MAIL_INTENT_LATER] += scores.dated;
		g_string_append_printf(scores.evidence, "%sasked to write again on a date",
		                       scores.evidence->len > 0 ? ", " : "");
	}
	/* "Take us off your list for now and try again next year": not for
	 * good, and it says when; an opt-out is for good. */
	if (scores.stop_for_now && date != NULL && scores.score[MAIL_INTENT_UNSUBSCRIBE] > 0) {
		scores.score[MAIL_INTENT_LATER] += scores.score[MAIL_INTENT_UNSUBSCRIBE];
		scores.score[MAIL_INTENT_UNSUBSCRIBE] = 0;
		g_string_append_printf(scores.evidence, "%sa stop for now, with a date",
		                       scores.evidence->len > 0 ? ", " : "");
	}
	result->intent = decide(scores.score, scores.not_yet, date != NULL, referral != NULL,
	                        &result->confidence);
	result->needs_review = result->confidence < SURE_ENOUGH;
	if (result->intent == MAIL_INTENT_LATER)
		result->date = g_steal_pointer(&date);
	if (result->intent == MAIL_INTENT_WRONG_PERSON)
		result->referral = g_steal_pointer(&referral);
	result->evidence = g_string_free(scores.evidence, FALSE);
	if (today != NULL)
		g_date_free(today);
	return result;
}
