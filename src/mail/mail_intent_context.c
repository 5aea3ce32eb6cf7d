#include "mail/mail_intent_context.h"

#include "mail/mail_intent_condition.h"
#include "mail/mail_intent_text.h"
#include "mail/mail_private.h"

#include <string.h>

/* The weight of "no longer work", a departure's cue. */
#define WRONG_PERSON_CUE 3

/* "We already use X, but we're not thrilled with it": a tool in place that
 * its user would change is no reason to say no. */
static const char *const current_tool_words[] = {
        "already use",     "currently use",     "already have",   "already work with",
        "nutzen bereits",  "verwenden bereits", "utilisons déjà", "ya usamos",
        "utilizziamo già", "gebruiken al",      "używamy już",    "já usamos",
};
static const char *const unhappy_words[] = {
        "not thrilled",
        "not happy with",
        "not satisfied with",
        "unhappy with",
        "frustrated with",
        "looking to replace",
        "looking to switch",
        "looking for an alternative",
        "nicht zufrieden",
        "pas satisfaits",
        "pas satisfait",
        "no estamos contentos",
        "non siamo soddisfatti",
        "niet tevreden",
        "nie jesteśmy zadowoleni",
        "não estamos satisfeitos",
};

/* A no that opens again after its "but": "We tried something similar and
 * it didn't work for us, but I'm open to hearing how you're different." */
static const char *const reopening_words[] = {
        "but i'm open to",
        "but i am open to",
        "but i'd be open to",
        "but open to hearing",
        "but happy to hear",
        "but curious how",
        "but curious what",
        "but happy to compare",
        "but open to comparing",
        /* the same "but" in the other languages */
        "aber ein vergleich",
        "aber offen für",
        "mais je veux bien comparer",
        "mais je suis ouvert",
        "mais curieux de",
        "pero me interesa comparar",
        "pero estoy abierto",
        "ma sono curioso",
        "ma sono aperto",
        "maar ik sta open",
        "ale chętnie porównam",
        "ale jestem otwarty",
        "mas gostaria de comparar",
        "mas estou aberto",
        /* curious to see what is offered */
        "but curious to see",
        "but i'd like to see",
        "aber neugierig",
        "aber ich bin neugierig",
        "mais je serais curieux",
        "mais je suis curieux",
        "mais je serais curieuse",
        "mais je suis curieuse",
        "pero me gustaría ver",
        "pero me gustaría conocer",
        "pero tengo curiosidad",
        "ma sono curiosa",
        "ma mi piacerebbe vedere",
        "maar ik ben benieuwd",
        "maar benieuwd",
        "ale chętnie zobaczę",
        "ale chętnie poznam",
        "ale jestem otwarta",
        "mas estou curioso",
        "mas estou curiosa",
        "mas gostaria de ver",
        "mas estou aberta",
};

/* A colleague added to the conversation rather than handed it. */
static const char *const inclusion_words[] = {
        "also loop in", "loop in",  "looping in", "adding ", "i've added",    "i have added",
        "cc'd",         "cc'ing",   "copying",    "in copy", "to the invite", "en copie",
        "en copia",     "in copia", "in kopie",   "in cc",   "w kopii",       "em cópia",
        "hinzugefügt",  "füge ",    "j'ajoute",   "añado",   "aggiungo",      "voeg ",
        "dodaję",       "adiciono",
};

/* Mail as the channel a stop is about ("not by email, call me"). */
static const char *const channel_words[] = {
        "by email",   "by e-mail", "via email",  "over email",   "per mail",   "per e-mail",
        "per email",  "par mail",  "par e-mail", "par courriel", "por correo", "por email",
        "por e-mail", "per posta", "via mail",   "via e-mail",   "mailem",     "drogą mailową",
};

/* A "not now" that says it will not be later either ("not now, not
 * ever", "weder jetzt noch später"): a no, whatever "later" it names. */
static const char *const never_later_words[] = {
        "don't expect to be",
        "do not expect to be",
        "nor in the future",
        "not now or ever",
        "not now, not ever",
        "or in the future",
        "nor later",
        "noch später",
        "auch später nicht",
        "noch in zukunft",
        "ni plus tard",
        "ni à l'avenir",
        "ni más adelante",
        "ni en el futuro",
        "né più avanti",
        "né in futuro",
        "noch later",
        "later ook niet",
        "ani później",
        "ani w przyszłości",
        "nem mais tarde",
        "nem no futuro",
        "foreseeable future",
        "in the future either",
        /* no change foreseen: "no prevemos cambiar de herramienta" */
        "no prevemos cambiar",
        "don't plan to change",
        "do not plan to change",
        "no plans to change",
        "non prevediamo di cambiare",
        /* nor a need foreseen: "non abbiamo necessità e non prevediamo di
         * averne" */
        "non prevediamo di averne",
        "and don't expect to have",
        "nor do we expect to",
        "und auch keinen absehbaren",
        "et n'en prévoyons pas",
        "ni prevemos tenerla",
        "en verwachten die ook niet",
        "i nie przewidujemy",
        "e não prevemos ter",
        /* no change intended: "non intendiamo cambiarla" */
        "non intendiamo cambiar",
        "don't intend to change",
        "do not intend to change",
        "no intention to change",
        "no intention of changing",
        "no intention to start",
        "no intention of starting",
        "nicht vor, zu wechseln",
        "nicht vor zu wechseln",
        "pas l'intention de changer",
        "no tenemos intención de cambiar",
        "niet van plan om over te stappen",
        "nie planujemy zmiany",
        "não pretendemos mudar",
        "no prevemos que lo sea",
        "não há previsão de mudança",
        "sem previsão de mudança",
        /* "not now, and never will be" */
        "and never will be",
        "and it never will be",
        "und wird es auch nie",
        "et ne le sera jamais",
        "ni lo será",
        "né lo sarà",
        "en dat wordt het ook niet",
        "i nie będzie",
        "nem vai ser",
        "nem será",
        "ne prévoyons pas de changer",
};

/* A body that is nothing but one of these is a no. */
static const char *const bare_no_words[] = {
        "no",
        "nope",
        "pass",
        "never",
        "nein",
        "non",
        "nee",
        "nie",
        "não",
        "no gracias",
        "nö",
        "nee hoor",
        "não, valeu",
        "não valeu",
        "nie, dzięki",
        "nie dzięki",
        "nie, dziękuję",
        "nie dziękuję",
        "nah",
        "no thx",
        "no ty",
        "all set",
        "all set, thanks",
        "all set thanks",
        "all good, thanks",
        "we're good, thanks",
        "no need",
        "not needed",
};

/* A body that is nothing but one of these says yes to what we asked (a
 * call, more information): interest, a person to follow up. Not "ok" nor a
 * thumb: an acknowledgement, for a person to read. */
static const char *const bare_yes_words[] = {
        "yes",
        "yes please",
        "yes, please",
        "sure",
        "sure thing",
        "ja",
        "ja, gerne",
        "ja gerne",
        "gerne",
        "oui",
        "oui, volontiers",
        "volontiers",
        "sí",
        "sí, claro",
        "claro",
        "sì",
        "sì, certo",
        "certo",
        "ja, graag",
        "ja graag",
        "graag",
        "tak",
        "tak, chętnie",
        "chętnie",
        "sim",
        "sim, pode ser",
        "pode ser",
        "ja bitte",
        "ja, bitte",
        "oui, merci",
        "oui merci",
        "sí, gracias",
        "si, gracias",
        "sì, grazie",
        "sì grazie",
        "si, grazie",
        "si grazie",
        "tak, proszę",
        "sim, obrigado",
        "sim, obrigada",
        /* a go-ahead to what we offered, said alone */
        "send it",
        "go ahead",
        "please do",
        "why not",
        "i'm listening",
        "count me in",
        "sounds promising",
        "open to it",
        "go for it",
        "fire away",
        "worth a chat",
        "warum nicht",
        "pourquoi pas",
        "por qué no",
        "perché no",
        "waarom niet",
        "czemu nie",
        "por que não",
        "nur zu",
        "gerne doch",
        "allez-y",
        "adelante",
        "vai pure",
        "ga je gang",
        "ga uw gang",
        "śmiało",
        "pode mandar",
};

/* A body that is nothing but one of these is a "not now", no date said. */
static const char *const bare_later_words[] = {
        "later",     "maybe later", "später",     "plus tard", "más tarde",
        "più tardi", "później",     "mais tarde", "not yet",   "noch nicht",
};

void
mail_intent_context_read(const char *body, MailIntentScores *scores)
{
	if (mail_classify_has_any(body, never_later_words, G_N_ELEMENTS(never_later_words)) &&
	    (scores->not_yet || scores->score[MAIL_INTENT_LATER] > 0)) {
		scores->not_yet = false;
		scores->score[MAIL_INTENT_NOT_INTERESTED] += scores->score[MAIL_INTENT_LATER];
		scores->score[MAIL_INTENT_LATER] = 0;
		mail_intent_scores_note(scores, "not later either");
	}
	/* "We no longer work with agencies": a rule of the company's, a no;
	 * "I no longer work with Acme" is a departure. */
	if (strstr(body, "we no longer work with") != NULL &&
	    scores->score[MAIL_INTENT_WRONG_PERSON] >= WRONG_PERSON_CUE) {
		scores->score[MAIL_INTENT_WRONG_PERSON] -= WRONG_PERSON_CUE;
		scores->score[MAIL_INTENT_NOT_INTERESTED] += WRONG_PERSON_CUE;
		mail_intent_scores_note(scores, "a company's rule, not a departure");
	}
	if (scores->score[MAIL_INTENT_NOT_INTERESTED] > 0 &&
	    mail_classify_has_any(body, current_tool_words, G_N_ELEMENTS(current_tool_words)) &&
	    mail_classify_has_any(body, unhappy_words, G_N_ELEMENTS(unhappy_words))) {
		scores->score[MAIL_INTENT_NOT_INTERESTED] = 0;
		scores->score[MAIL_INTENT_INTERESTED] += 1;
		mail_intent_scores_note(scores, "a tool in place its user would change");
	}
	if (scores->score[MAIL_INTENT_NOT_INTERESTED] > 0 &&
	    mail_classify_has_any(body, reopening_words, G_N_ELEMENTS(reopening_words))) {
		scores->score[MAIL_INTENT_NOT_INTERESTED] = 0;
		scores->score[MAIL_INTENT_INTERESTED] += 3;
		mail_intent_scores_note(scores, "a no opened again after its \"but\"");
	}
	/* "No me escriba más por correo, mejor llámeme el jueves": a stop of
	 * one channel beside a talk asked for is the talk. */
	if (scores->score[MAIL_INTENT_UNSUBSCRIBE] > 0 && scores->score[MAIL_INTENT_MEETING] >= 2 &&
	    mail_classify_has_any(body, channel_words, G_N_ELEMENTS(channel_words))) {
		scores->score[MAIL_INTENT_UNSUBSCRIBE] = 0;
		mail_intent_scores_note(scores, "a stop of email for a talk");
	}
	/* "We'll be in touch if there's a need", and nothing wanted besides. */
	if (scores->score[MAIL_INTENT_INTERESTED] + scores->score[MAIL_INTENT_MEETING] == 0 &&
	    scores->score[MAIL_INTENT_UNSUBSCRIBE] == 0 &&
	    mail_intent_condition_promises_if_needed(body)) {
		scores->score[MAIL_INTENT_NOT_INTERESTED] += 3;
		mail_intent_scores_note(scores, "a call back promised if ever needed");
	}
}

void
mail_intent_context_keep_added_colleague_aside(const char *body, MailIntentScores *scores)
{
	if (scores->score[MAIL_INTENT_WRONG_PERSON] > 0 &&
	    scores->score[MAIL_INTENT_WRONG_PERSON] <= WRONG_PERSON_CUE &&
	    scores->score[MAIL_INTENT_INTERESTED] + scores->score[MAIL_INTENT_MEETING] >= 2 &&
	    mail_classify_has_any(body, inclusion_words, G_N_ELEMENTS(inclusion_words))) {
		scores->score[MAIL_INTENT_WRONG_PERSON] = 0;
		mail_intent_scores_note(scores, "a colleague added, the writer still in");
	}
}

void
mail_intent_context_score_bare_answers(const char *body, MailIntentScores *scores)
{
	if (mail_intent_text_is_bare(body, bare_yes_words, G_N_ELEMENTS(bare_yes_words))) {
		scores->score[MAIL_INTENT_INTERESTED] += 2;
		mail_intent_scores_note(scores, "a bare yes");
	}
	if (mail_intent_text_is_bare(body, bare_later_words, G_N_ELEMENTS(bare_later_words))) {
		scores->score[MAIL_INTENT_LATER] += 3;
		mail_intent_scores_note(scores, "a bare later");
	}
	if (mail_intent_text_is_bare(body, bare_no_words, G_N_ELEMENTS(bare_no_words))) {
		scores->score[MAIL_INTENT_NOT_INTERESTED] += 3;
		mail_intent_scores_note(scores, "a bare no");
	}
}
