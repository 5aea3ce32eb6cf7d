#include "mail/mail_intent.h"

#include "mail/mail_intent_condition.h"
#include "mail/mail_intent_cues.h"
#include "mail/mail_intent_date.h"
#include "mail/mail_private.h"
#include "mail/mail_referral.h"
#include "mail/mail_return_date.h"

#include <string.h>

/* Confidence below which a person should look. */
#define SURE_ENOUGH 60

/* The weight of "no longer work", a departure's cue. */
#define WRONG_PERSON_CUE 3

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

/* Words that turn a cue around when they stand just before it. */
static const char *const negations[] = {
        "not ",
        "n't ",
        "no ",
        "never ",
        "nicht ",
        "kein ",
        "keine ",
        "pas ",
        "ne ",
        "non ",
        "niet ",
        "geen ",
        "nie ",
        "não ",
        "nao ",
        "sin ",
        "ni ",
        "without ",
        /* "arrêtez de m'envoyer": a stop, no "send me" */
        "arrêtez de ",
        "arrête de ",
        "dejen de ",
        "deje de ",
        "parem de ",
        "pare de ",
        "smettete di ",
        "smetta di ",
};

/* A sentence with these is a footer or a question about a link, not a
 * request: "To unsubscribe from our newsletter, click here". */
static const char *const footer_words[] = {
        "click",
        "http",
        "link",
        "if you no longer",
        "if you wish",
        "you can unsubscribe",
        "preferences",
        /* ours, not "your newsletter" a person asks to leave */
        "this newsletter",
        " our newsletter",
        "diesen newsletter",
        "dieses newsletters",
        "unseren newsletter",
        "unserem newsletter",
        "cette newsletter",
        "notre newsletter",
        "esta newsletter",
        "nuestra newsletter",
        "questa newsletter",
        "la nostra newsletter",
        "deze nieuwsbrief",
        "onze nieuwsbrief",
        "tego newslettera",
        "nossa newsletter",
        "klicken",
        "cliquez",
        "haga clic",
        "fai clic",
        "klik",
        "kliknij",
        "clique",
        /* a footer's offer: "To stop receiving these emails, unsubscribe
         * at any time." */
        "at any time",
        "anytime",
        "jederzeit",
        "à tout moment",
        "en cualquier momento",
        "in qualsiasi momento",
        "op elk moment",
        "w każdej chwili",
        "a qualquer momento",
        "you are receiving",
        "you're receiving",
        "you received this",
        "to stop receiving",
        "www.",
        /* "Abmelden: Antworten Sie mit ABMELDEN im Betreff." */
        "reply with",
        "antworten sie mit",
        "répondez stop",
        "répondez \"stop",
        "responda con",
        "rispondi con",
        "antwoord met",
        "odpowiedz ",
        "responda com",
        /* a disclaimer's "Unsubscribe: reply STOP" */
        "reply stop",
        "reply \"stop",
        "reply 'stop",
};
static const MailWordList footer_words_list = MAIL_WORD_LIST(footer_words);

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

static bool word_byte(char c);
static bool after_word(const char *text, const char *at);

/* Whether @text has one of the @n @phrases at the start of a word and,
 * with @whole, ending one: "our emails", not the end of "your emails";
 * "de nous", not "de nouveau"; the stem "nächst" in "nächstes Jahr". */
static bool
has_phrase_at_word(const char *text, const char *const *phrases, gsize n, bool whole)
{
	for (gsize i = 0; i < n; i++) {
		gsize length = strlen(phrases[i]);
		for (const char *at = strstr(text, phrases[i]); at != NULL;
		     at = strstr(at + 1, phrases[i]))
			if (!after_word(text, at) && !(whole && word_byte(at[length])))
				return true;
	}
	return false;
}

static bool
speaks_as_sender(const char *sentence)
{
	return has_phrase_at_word(sentence, sender_voice_words, G_N_ELEMENTS(sender_voice_words),
	                          true);
}

static bool
offers_as_sender(const char *sentence)
{
	return speaks_as_sender(sentence) ||
	       (mail_classify_has_any(sentence, receive_words, G_N_ELEMENTS(receive_words)) &&
	        (mail_classify_has_any(sentence, wish_words, G_N_ELEMENTS(wish_words)) ||
	         strstr(sentence, "meer ontvangen") != NULL));
}

/* Words at most in the answer a footer gives its own question ("Dann
 * melden Sie sich hier ab."). */
#define FOOTER_ANSWER_WORDS 8

static guint count_words(const char *text);

/* @body (folded) without a footer's question put as the sender and the
 * short answer after it ("Want to stop hearing from us? Opt out."):
 * nothing in them is the writer's. */
static char *
dup_without_footer_offers(const char *body)
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
			p = count_words(answer) <= FOOTER_ANSWER_WORDS ? next_end : end;
			continue;
		}
		g_string_append_len(out, p, end - p);
		p = end;
	}
	return g_string_free(out, FALSE);
}

/* Whether @sentence names a web address without its scheme
 * ("unsubscribe from job alerts at acme.example/jobs"): a name with a dot,
 * then a slash. */
static bool
names_web_path(const char *sentence)
{
	for (const char *slash = strchr(sentence, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		const char *start = slash;
		while (start > sentence && start[-1] != ' ' && start[-1] != '\n')
			start--;
		const char *dot = memchr(start, '.', (gsize)(slash - start));
		if (dot != NULL && dot > start && g_ascii_isalpha(dot[-1]) &&
		    g_ascii_isalpha(dot[1]))
			return true;
	}
	return false;
}

/* A question with an opt-out word in it is about how opt-outs work when
 * it speaks of others or of our product ("Does your tool let our
 * customers unsubscribe?", "How do you handle opt-outs for our
 * contacts?"): no request of the writer's. */
static const char *const others_and_product_words[] = {
        "customers",      "clients",       "contacts",     "recipients",    "subscribers",
        "users",          "your tool",     "your product", "your platform", "your software",
        "your system",    "your service",  "tools",        "how do you",    "do you handle",
        "is there a way", "kunden",        "kontakte",     "empfänger",     "abonnenten",
        "clientes",       "contactos",     "clienti",      "contatti",      "klanten",
        "klientów",       "kontaktów",     "contatos",     "destinataires", "destinatarios",
        "destinatari",    "destinatários", "ontvangers",   "odbiorcy",      "does your",
        "do your",        "can your",
};
static const MailWordList others_and_product_words_list = MAIL_WORD_LIST(others_and_product_words);

/* A stop that is about one conversation's copies, not about us ("take me
 * off the CC", "remove me from this thread"): no opt-out. */
static const char *const conversation_words[] = {
        " cc ",        " cc,",       " cc.",       "the cc",      "cc list",
        "this thread", "the thread", "this chain", "email chain", "this conversation",
        " in copie",   "en copie",   "in kopie",   "in cc",       "aus dem cc",
};

/* What a "send me" asks for when it asks to be written to, not for
 * something ("send me an email in January", "schicken Sie mir im Januar
 * nochmal eine Mail"): a message, in the eight languages. */
static const char *const message_nouns[] = {
        "an email",       "an e-mail",    "another email", "a mail",      "a line",
        "a note",         "a message",    "eine mail",     "eine e-mail", "eine email",
        "eine nachricht", "un mail",      "un e-mail",     "un courriel", "un message",
        "un email",       "un correo",    "un mensaje",    "una mail",    "una email",
        "una e-mail",     "un messaggio", "een mail",      "een mailtje", "een e-mail",
        "een bericht",    "maila",        "wiadomość",     "um e-mail",   "um email",
        "uma mensagem",
};
/* How far after "send me" the message may come: "schicken Sie mir im
 * Januar nochmal eine Mail". */
#define MESSAGE_NOUN_REACH 32

/* Whether a message noun follows @after within a few words, in its
 * sentence. */
static bool
message_noun_follows(const char *after)
{
	for (const char *p = after; *p != '\0' && p - after < MESSAGE_NOUN_REACH; p++) {
		if (*p == '.' || *p == '?' || *p == '!' || *p == '\n')
			return false;
		if (p != after && p[-1] != ' ')
			continue;
		for (gsize i = 0; i < G_N_ELEMENTS(message_nouns); i++)
			if (g_str_has_prefix(p, message_nouns[i]) &&
			    !word_byte(p[strlen(message_nouns[i])]))
				return true;
	}
	return false;
}

/* Words right after a "send me" that refuse what it would ask for:
 * "stuur me geen mails meer", "schicken Sie mir keine Werbung". */
static const char *const refused_objects[] = {
        "no more",
        "no further",
        "nothing",
        "geen ",
        "niets",
        "keine ",
        "keinerlei ",
        "nichts",
        "aucun",
        "rien",
        "nada",
        "ningún",
        "niente",
        "nessun",
        "nulla",
        "nic ",
        "żadnych",
        "nenhum",
        "nenhuma",
        /* Dutch puts its "not" after: "bel me liever niet" */
        "liever niet",
        "niet",
};

/* "with" in the eight languages, after a contact cue: with whom. */
static const char *const with_words[] = {
        "with ", "mit ", "avec ", "con ", "met ", "z ", "ze ", "com ",
};

/* Whether @text begins with one of the @n @words as a whole word ("them",
 * not "themes"). */
static bool
starts_with_whole_word(const char *text, const char *const *words, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		gsize length = strlen(words[i]);
		if (strncmp(text, words[i], length) == 0 && !word_byte(text[length]))
			return true;
	}
	return false;
}

/* ... unless it is the writer: "check back with me after Easter". */
static const char *const writer_objects[] = {
        "me", "us", "mich", "uns", "moi", "nous", "mí", "nosotros", "mnie", "nami", "mij", "ons",
};

static bool
contact_with_follows(const char *after)
{
	after += strspn(after, " ");
	for (gsize i = 0; i < G_N_ELEMENTS(with_words); i++) {
		gsize n = strlen(with_words[i]);
		if (strncmp(after, with_words[i], n) != 0)
			continue;
		return !starts_with_whole_word(after + n, writer_objects,
		                               G_N_ELEMENTS(writer_objects));
	}
	return false;
}

/* Whether @after, right after a cue, begins with a refused object. */
static bool
refused_object_follows(const char *after)
{
	after += strspn(after, " ");
	return mail_classify_starts_with_any(after, refused_objects, G_N_ELEMENTS(refused_objects));
}

/* A "pass" is a no when the clause ends after it or goes on with one of
 * these ("I'll pass, thanks", "I'll pass on this", "pero paso por
 * ahora"); otherwise it passes something along ("I'll pass this along to
 * the right team", "vou passar seu contato"). */
static const char *const pass_complements[] = {
        "on ",       "for now",  "this time",      "thanks",    "thank you", "dessa",   "desta",
        "por ahora", "por esta", "por el momento", "por agora", "gracias",   "obrigad",
};

static bool
pass_is_a_no(const char *after)
{
	after += strspn(after, " ");
	return *after == '\0' || strchr(".,!;:\n", *after) != NULL ||
	       mail_classify_starts_with_any(after, pass_complements,
	                                     G_N_ELEMENTS(pass_complements));
}

/* Words right after a stop cue that turn it into something else ("no more
 * emails needed, let's talk"). */
static const char *const not_wanted_words[] = {
        "needed",
        "necessary",
        "required",
        "nötig",
        "notwendig",
        "nécessaire",
        "necesario",
        "necessari",
        "nodig",
        "potrzebne",
        "necessário",
        /* "take me off the hook": the idiom, no list */
        "the hook",
};

/* Nouns after a stop word that make it a thing spoken of, not a request:
 * "opt-out rates are our problem", "our unsubscribe handling". (Not a link
 * or a button: "your unsubscribe link is broken" is said by someone who
 * tried to leave.) */
static const char *const stop_as_thing[] = {
        "rate",      "rates",   "process",    "handling",   "request", "requests",
        "option",    "options", "management", "form",       "page",    "feature",
        "features",  "header",  "headers",    "compliance", "rules",   "flow",
        "mechanism", "footer",  "mechanisms", "laws",
};

/* The same nouns before the stop word, where the Romance languages put
 * them: "taux de désinscription", "tasa de bajas". */
static const char *const thing_of_stop[] = {
        "taux de ",
        "tasa de ",
        "tasso di ",
        "taxa de ",
};

/* A colleague added to the conversation rather than handed it. */
static const char *const inclusion_words[] = {
        "also loop in", "loop in",  "looping in", "adding ", "i've added",    "i have added",
        "cc'd",         "cc'ing",   "copying",    "in copy", "to the invite", "en copie",
        "en copia",     "in copia", "in kopie",   "in cc",   "w kopii",       "em cópia",
        "hinzugefügt",  "füge ",    "j'ajoute",   "añado",   "aggiungo",      "voeg ",
        "dodaję",       "adiciono",
};

/* Who did it, before a stop word in the past ("we unsubscribed from every
 * tool last year"): a story, not a request ("I'd like to be
 * unsubscribed" is one). */
static const char *const narrators[] = {
        "i ",       "we ",        "they ",    "i've ",  "we've ",  "they've ", "i have ",
        "we have ", "they have ", "already ", "i had ", "we had ", "just ",
};

/* "Do not contact me before March": a stop with an end, when a date
 * follows (a stop for now; not read beside a "no", where "I told you
 * before" would make it a "not yet"). */
static const char *const stop_before_words[] = {
        "before ", "vor ", "avant ", "antes de ", "prima di ", "voor ", "przed ",
};

/* Mail as the channel a stop is about ("not by email, call me"). */
static const char *const channel_words[] = {
        "by email",   "by e-mail", "via email",  "over email",   "per mail",   "per e-mail",
        "per email",  "par mail",  "par e-mail", "par courriel", "por correo", "por email",
        "por e-mail", "per posta", "via mail",   "via e-mail",   "mailem",     "drogą mailową",
};

/* A stop from another list of ours than the one written from ("how do I
 * unsubscribe from your other newsletter?"): not from these mails. */
static const char *const other_lists[] = {
        "from your other",
        "from the other",
        "from another",
        /* our own tool left: "se désabonner de notre ancien outil" */
        "from our",
        "de notre",
        "de nuestro",
        "de nuestra",
        "von unserem",
        "von unserer",
        "dal nostro",
        "dalla nostra",
        "van onze",
        "z naszego",
        "do nosso",
        "da nossa",
};

/* Whom a stop word is about when they follow it ("we already unsubscribe
 * people who ask"): others in general, no request of the writer's. */
static const char *const generic_others[] = {
        "people",  "them",        "users",      "contacts", "customers",
        "clients", "subscribers", "recipients", "leads",    "prospects",
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

/* A subject or a body that is nothing but one of these asks to stop. */
static const char *const bare_stop_words[] = {
        "unsubscribe",   "remove",         "stop",           "remove me",     "abmelden",
        "austragen",     "désabonner",     "désinscrire",    "baja",          "cancellami",
        "cancellazione", "afmelden",       "uitschrijven",   "wypisz",        "descadastrar",
        "remover",       "stopp",          "please stop",    "stop please",   "stop it",
        "aufhören",      "bitte aufhören", "arrêtez",        "basta",         "parem",
        "przestańcie",   "unsub",          "désinscription", "désabonnement", "abmeldung",
        "uitschrijving", "wypisanie",      "descadastro",
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

/* Lower case, white space folded to single spaces, typographic
 * apostrophes made plain, "*" of bold text dropped. */
static char *
fold(const char *text)
{
	g_autofree char *lower = mail_classify_dup_lower(text, -1);
	GString *out = g_string_sized_new(strlen(lower));
	bool space = false;
	for (const char *p = lower; *p != '\0';) {
		if (g_str_has_prefix(p, "\xe2\x80\x99") || g_str_has_prefix(p, "\xe2\x80\x98")) {
			g_string_append_c(out, '\'');
			p += 3;
			space = false;
			continue;
		}
		if (g_str_has_prefix(p, "\xc2\xa0")) {
			space = true;
			p += 2;
			continue;
		}
		char c = *p++;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = true;
			continue;
		}
		if (c == '*')
			continue;
		if (space && out->len > 0)
			g_string_append_c(out, ' ');
		space = false;
		g_string_append_c(out, c);
	}
	return g_string_free(out, FALSE);
}

static bool
word_byte(char c)
{
	return g_ascii_isalnum(c) || (unsigned char)c >= 0x80;
}

/* Whether the character before @at (in @text) is a letter or a digit: not
 * so after "¿", "¡", "«" or a curly quote, which are no word's ("¿Podemos
 * hablar?"). */
static bool
after_word(const char *text, const char *at)
{
	if (at == text)
		return false;
	if ((unsigned char)at[-1] < 0x80)
		return g_ascii_isalnum(at[-1]);
	const char *previous = g_utf8_find_prev_char(text, at);
	if (previous == NULL)
		return true;
	gunichar c = g_utf8_get_char_validated(previous, at - previous);
	if (c == (gunichar)-1 || c == (gunichar)-2)
		return true;
	return g_unichar_isalnum(c) || g_unichar_ismark(c);
}

/* Whether the sentence holding @at ends in a question mark. */
static bool
ends_in_question(const char *at)
{
	const char *end = at + strcspn(at, ".!?");
	return *end == '?';
}

/* Who a request to stop names, when it is not the writer: "unsubscribe my
 * colleague", "unsubscribe bob@corp.example" (not "unsubscribe her": an
 * assistant's words about the person we wrote to). */
static const char *const third_parties[] = {
        "my colleague",       "my coworker",        "my co-worker",   "my boss",
        "my predecessor",     "meinen kollegen",    "meine kollegin", "mon collègue",
        "ma collègue",        "mi compañero",       "mi compañera",   "il mio collega",
        "la mia collega",     "mijn collega",       "mojego kolegę",  "moją koleżankę",
        "meu colega",         "minha colega",       "other people",   "others",
        "someone else",       "somebody else",      "my colleagues",  "andere personen",
        "andere mitarbeiter", "d'autres personnes", "otras personas", "altre persone",
        "andere mensen",      "inne osoby",         "outras pessoas",
};

/* Whether the words right after a cue ending at @after name someone else
 * than the writer: a colleague, or an address that is not @sender's (NULL:
 * unknown, any address). */
static bool
about_someone_else(const char *after, const char *sender)
{
	while (*after == ' ')
		after++;
	if (starts_with_whole_word(after, third_parties, G_N_ELEMENTS(third_parties)))
		return true;
	gsize word = strcspn(after, " ,;:!?<>()");
	while (word > 0 && after[word - 1] == '.')
		word--;
	if (memchr(after, '@', word) == NULL)
		return false;
	return sender == NULL || strlen(sender) != word ||
	       g_ascii_strncasecmp(after, sender, word) != 0;
}

/* Verbs of a request to take someone off a list, when what follows
 * them is another person ("remove my colleague bob@x, he left"): that
 * address is no one to write to instead. */
static const char *const removal_verbs[] = {
        "remove ",    "delete ",    "take ",    "drop ",    "entfernen sie ", "löschen sie ",
        "retirez ",   "supprimez ", "elimina ", "quita ",   "rimuovete ",     "cancellate ",
        "verwijder ", "usuńcie ",   "remova ",  "removam ",
};

static bool
asks_to_remove_another(const char *text, const char *sender)
{
	for (gsize i = 0; i < G_N_ELEMENTS(removal_verbs); i++) {
		gsize n = strlen(removal_verbs[i]);
		for (const char *at = strstr(text, removal_verbs[i]); at != NULL;
		     at = strstr(at + 1, removal_verbs[i]))
			if (!after_word(text, at) && about_someone_else(at + n, sender))
				return true;
	}
	return false;
}

static bool
negated(const char *text, const char *at)
{
	gsize before = (gsize)(at - text);
	for (gsize i = 0; i < G_N_ELEMENTS(negations); i++) {
		gsize n = strlen(negations[i]);
		/* "not ", or "not really ": one word may stand between. */
		for (gsize gap = 0; gap <= 12 && gap + n <= before; gap++) {
			const char *from = at - n - gap;
			if (*from != negations[i][0])
				continue;
			bool contraction = negations[i][0] == 'n' && negations[i][1] == '\'';
			if (strncmp(from, negations[i], n) == 0 &&
			    (!after_word(text, from) || contraction) &&
			    memchr(from + n, '.', gap) == NULL &&
			    memchr(from + n, ',', gap) == NULL)
				return true;
		}
	}
	return false;
}

/* "not something we're interested in", "non è un argomento che ci
 * interessa", "kein Thema, das uns interessiert": a thing said to be of
 * no interest, then a clause about it that holds the interest word. */
static const char *const refused_things[] = {
        "not something", "not anything", "not a ",     "not an ",   "nothing ", "kein ",
        "keine ",        "keinen ",      "nichts ",    "pas un ",   "pas une ", "pas quelque",
        "rien ",         "no es un",     "no es algo", "nada ",     "non è un", "non è qualc",
        "niente ",       "nulla ",       "geen ",      "niet iets", "niets ",   "nie jest ",
        "nic ",          "não é um",     "não é algo",
};
/* What makes "not a ..." no refusal: "not a bad idea", "not a problem". */
static const char *const litotes[] = {
        "not a bad", "not a problem", "not a big", "not a no", "nothing against",
};
/* The words that open a clause about the thing ("we" of "something we're
 * interested in"; the relative pronouns, after a comma too). */
static const char *const relative_words[] = {
        "which ", "that ", "das ", "die ", "der ",  "den ",  "was ",  "qui ", "que ",
        "dont ",  "che ",  "dat ", "waar", "który", "która", "które", "co ",
};
static const char *const clause_subjects[] = {"we", "i ", "i'", "my ", "our "};
/* "and", "but", a dash: a new clause, whatever came before. */
static const char *const clause_joins[] = {
        " and ", " but ", " so ", " und ",  " aber ", " et ",  " mais ", " y ", " pero ",
        " e ",   " ma ",  " en ", " maar ", " i ",    " ale ", " mas ",  " - ", " – ",
};

/* Where the clause that holds @at begins: after the last stop, line end
 * or comma before it (not a comma before a relative pronoun, "kein
 * Thema, das ..."), at most 80 bytes back. */
static const char *
clause_start(const char *text, const char *at)
{
	const char *limit = at - MIN((gsize)(at - text), (gsize)80);
	for (const char *p = at; p > limit; p--) {
		char c = p[-1];
		if (c == '.' || c == '!' || c == '?' || c == ';' || c == '\n')
			return p;
		if (c == ',' && !mail_classify_starts_with_any(p + strspn(p, " "), relative_words,
		                                               G_N_ELEMENTS(relative_words)))
			return p;
	}
	return limit;
}

static bool
thing_refused_before(const char *text, const char *at)
{
	const char *start = clause_start(text, at);
	g_autofree char *clause = g_strndup(start, (gsize)(at - start));
	for (gsize i = 0; i < G_N_ELEMENTS(refused_things); i++) {
		const char *thing = strstr(clause, refused_things[i]);
		if (thing == NULL || after_word(clause, thing) ||
		    mail_classify_starts_with_any(thing, litotes, G_N_ELEMENTS(litotes)))
			continue;
		const char *rest = thing + strlen(refused_things[i]);
		if (mail_classify_has_any(rest, clause_joins, G_N_ELEMENTS(clause_joins)))
			continue;
		for (const char *p = rest; *p != '\0'; p++)
			if (!after_word(clause, p) &&
			    (mail_classify_starts_with_any(p, relative_words,
			                                   G_N_ELEMENTS(relative_words)) ||
			     mail_classify_starts_with_any(p, clause_subjects,
			                                   G_N_ELEMENTS(clause_subjects))))
				return true;
	}
	return false;
}

/* Where @cue stands in @text as it is meant: at a word start, not turned
 * around by a negation (for the intents a "not" reverses), not in a
 * footer (for unsubscribe). NULL when nowhere. */
static bool cue_counts(const char *text, const char *at, const MailIntentCue *cue);

/* Where @cue stands in @text (a short one: a subject) as it is meant,
 * or NULL. */
static const char *
find_cue(const char *text, const MailIntentCue *cue)
{
	for (const char *at = strstr(text, cue->phrase); at != NULL;
	     at = strstr(at + 1, cue->phrase)) {
		/* A cue starts a word; "n't ..." ends one ("isn't a fit"). */
		bool contraction = g_str_has_prefix(cue->phrase, "n'");
		if (after_word(text, at) && word_byte(cue->phrase[0]) && !contraction)
			continue;
		if (cue_counts(text, at, cue))
			return at;
	}
	return NULL;
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

/* Whether @text, trimmed of punctuation, is one of @words. */
static bool
is_bare(const char *text, const char *const *words, gsize n_words)
{
	g_autofree char *copy = g_strdup(text);
	g_strstrip(copy);
	gsize n = strlen(copy);
	while (n > 0 && strchr(".!?", copy[n - 1]))
		copy[--n] = '\0';
	/* Spanish opens its questions and cries: "¿Por qué no?", "¡Sí!" */
	const char *start = copy;
	while (g_str_has_prefix(start, "\xc2\xbf") || g_str_has_prefix(start, "\xc2\xa1"))
		start += 2;
	for (gsize i = 0; i < n_words; i++)
		if (strcmp(start, words[i]) == 0)
			return true;
	return false;
}

static bool
is_bare_stop(const char *text)
{
	return is_bare(text, bare_stop_words, G_N_ELEMENTS(bare_stop_words));
}

/* Words of a name under a bare request ("Stop" / "Bob Miller, CEO"). */
#define SIGN_OFF_WORDS 4

static guint count_words(const char *text);

/* "Stop" or "Unsubscribe" alone on the first line, with nothing but a
 * name under it: the whole request. */
static bool
first_line_is_bare_stop(const char *text)
{
	const char *start = text + strspn(text, " \t\r\n");
	const char *end = strchr(start, '\n');
	g_autofree char *line = end != NULL ? g_strndup(start, (gsize)(end - start)) : NULL;
	if (line == NULL)
		return false;
	g_autofree char *folded = fold(line);
	return is_bare_stop(folded) && count_words(end) <= SIGN_OFF_WORDS;
}

/* A stop said alone as the last sentence, a command: "You've emailed me
 * four times. Stop." ("Stop. I'm not interested" opens with a cry, and is
 * read by its words.) */
static bool
last_sentence_is_bare_stop(const char *body)
{
	gsize n = strlen(body);
	while (n > 0 && strchr(".!? ", body[n - 1]) != NULL)
		n--;
	const char *start = body + n;
	while (start > body && strchr(".!?", start[-1]) == NULL)
		start--;
	if (start == body)
		return false;
	g_autofree char *sentence = g_strndup(start, (gsize)(body + n - start));
	return is_bare_stop(sentence);
}

/* A subject that is a request to stop: "unsubscribe", "Bitte austragen". */
static bool
subject_asks_to_stop(const char *topic)
{
	if (is_bare_stop(topic))
		return true;
	for (gsize i = 0; i < mail_intent_n_cues; i++)
		if (mail_intent_cues[i].intent == MAIL_INTENT_UNSUBSCRIBE &&
		    find_cue(topic, &mail_intent_cues[i]) != NULL)
			return true;
	return false;
}

static guint
count_words(const char *text)
{
	guint n = 0;
	for (const char *p = text; *p != '\0'; p++)
		if (word_byte(*p) && (p == text || !word_byte(p[-1])))
			n++;
	return n;
}

/* "3pm", "15:30", "10 uhr", "14h": a time of day is a meeting signal. */
static bool
has_clock_time(const char *text)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p) || (p > text && g_ascii_isalnum(p[-1])))
			continue;
		const char *q = p;
		while (g_ascii_isdigit(*q))
			q++;
		if (q - p > 2)
			continue;
		if (*q == ':' && g_ascii_isdigit(q[1]) && g_ascii_isdigit(q[2]))
			return true;
		if (*q == ' ')
			q++;
		if (g_str_has_prefix(q, "am") || g_str_has_prefix(q, "pm") ||
		    g_str_has_prefix(q, "uhr") || (q[0] == 'h' && !g_ascii_isalpha(q[1])))
			/* "h" first: after a lone "h" (its next byte may be the
			 * end), q[2] is not there to read. */
			return q[0] == 'h' || q[0] == 'u' || !g_ascii_isalpha(q[2]);
	}
	return false;
}

static const char *const weekdays[] = {
        "monday",    "tuesday",    "wednesday", "thursday",  "friday",  "montag",   "dienstag",
        "mittwoch",  "donnerstag", "freitag",   "lundi",     "mardi",   "mercredi", "jeudi",
        "vendredi",  "lunes",      "martes",    "miércoles", "jueves",  "viernes",  "lunedì",
        "martedì",   "mercoledì",  "giovedì",   "venerdì",   "maandag", "dinsdag",  "woensdag",
        "donderdag", "vrijdag",    "wtorek",    "czwartek",  "piątek",  "segunda",  "terça",
        "quarta",    "quinta",     "sexta",     "tomorrow",  "morgen",  "demain",   "mañana",
        "domani",    "jutro",      "amanhã",
};

/* Polish weekdays by their stems: "w poniedziałek", "w środę". */
static const char *const weekday_stems[] = {"poniedział", "środ"};

/* Whether @text names a day as a whole word ("quarta", not "Quartal";
 * "morgen", not "Guten Morgen"). */
/* The part of a day German and Dutch write onto its name:
 * "Mittwochvormittag", "Dienstagnachmittag", "woensdagochtend". */
static const char *const day_parts[] = {
        "vormittag", "nachmittag", "mittag", "abend", "morgen", "ochtend", "middag", "avond",
};

static bool
names_weekday(const char *text)
{
	for (gsize i = 0; i < G_N_ELEMENTS(weekdays) + G_N_ELEMENTS(weekday_stems); i++) {
		bool stem = i >= G_N_ELEMENTS(weekdays);
		const char *day = stem ? weekday_stems[i - G_N_ELEMENTS(weekdays)] : weekdays[i];
		gsize length = strlen(day);
		for (const char *at = strstr(text, day); at != NULL; at = strstr(at + 1, day)) {
			if (at > text && word_byte(at[-1]))
				continue;
			if (!stem && word_byte(at[length]) &&
			    !mail_classify_starts_with_any(at + length, day_parts,
			                                   G_N_ELEMENTS(day_parts)))
				continue;
			if (strcmp(day, "morgen") == 0 && at - text >= 6 &&
			    strncmp(at - 6, "guten ", 6) == 0)
				continue;
			return true;
		}
	}
	return false;
}

/* A day or a time said for a return ("I'll be back on Tuesday 9:00"), not
 * for a talk. */
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
		return count_words(rest) <= SIGN_OFF_WORDS && !names_weekday(rest);
	}
	return false;
}

/* @text (the reply's new text) folded, up to its sign-off line. */
static char *
dup_above_sign_off(const char *text)
{
	gsize cut = strlen(text);
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
			g_autofree char *lower = fold(raw);
			if (is_sign_off(lower)) {
				cut = (gsize)(line - text);
				break;
			}
		}
		if (end == NULL)
			break;
		line = end + 1;
	}
	g_autofree char *above = g_strndup(text, cut);
	return fold(above);
}

static const char *const return_words[] = {
        "be back",      "back on",      "back in the office", "return on",
        "returning on", "back at work", "zurück am",          "wieder im büro",
        "wieder da",    "de retour",    "de vuelta",          "regreso el",
        "di ritorno",   "rientro",      "weer terug",         "terug op",
        "wracam",       "powrót",       "de volta",           "retorno em",
};

typedef struct {
	int score[MAIL_INTENT_COUNT];
	bool not_yet; /* a "no" with a time qualifier beside it: "not interested right now" */
	int dated;    /* the weight of the cues that need a date ("try again"), not yet scored */
	bool stop_for_another; /* "unsubscribe my colleague": no one to refer to */
	bool stop_for_now;     /* "take us off your list for now": a pause, with a date */
	int write_me;          /* "send me an email in January": the interest its "send me"
	                        * gave, held until we know whether a date is said */
	const char *sender;    /* the writer's address (lower case), or NULL */
	GString *evidence;
} Scores;

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

/* Words right before a stop that tell it as just done, in the words
 * that do not change the verb: "acabamos de dar de baja nuestra
 * suscripción a otra herramienta", "venons de nous désabonner". */
static const char *const just_done[] = {
        "acabamos de ", "acabo de ",    "acaba de ",      "venons de nous ",
        "viens de me ", "vient de se ", "vient de nous ",
};

/* Whether a narrator stands right before @at ("we unsubscribed"). */
static bool
told_in_the_past(const char *text, const char *at)
{
	const char *narrator =
	        mail_classify_word_before(text, at, narrators, G_N_ELEMENTS(narrators));
	return narrator != NULL && !after_word(text, at - strlen(narrator));
}

/* Others who would do it, right before a stop word: "an easy way for
 * customers to opt out", "so that users can unsubscribe", "damit Kunden
 * sich abmelden": a question about the product, no opt-out. */
static const char *const other_actors[] = {
        "customers to ",    "users to ",        "clients to ",     "subscribers to ",
        "recipients to ",   "contacts to ",     "members to ",     "readers to ",
        "people to ",       "them to ",         "customers can ",  "users can ",
        "clients can ",     "subscribers can ", "recipients can ", "people can ",
        "let customers ",   "let users ",       "lets customers ", "lets users ",
        "kunden sich ",     "nutzer sich ",     "clients de se ",  "clientes se ",
        "clientes puedan ", "utenti di ",       "klanten zich ",   "klienci mogli się ",
};

static bool
others_act(const char *text, const char *at)
{
	return mail_classify_word_before(text, at, other_actors, G_N_ELEMENTS(other_actors)) !=
	       NULL;
}

/* "At this address": a stop of one address, for another. */
static const char *const this_address_words[] = {
        "this address",
        "this email address",
        "this e-mail address",
        "diese adresse",
        "diese e-mail-adresse",
        "cette adresse",
        "esta dirección",
        "questo indirizzo",
        "dit adres",
        "dit e-mailadres",
        "ten adres",
        "este endereço",
};

/* "Don't email me at this address, I've moved to x@y": a stop of one
 * address for another the writer gives (not their own signature's), no
 * stop of all mail (the hand-off reads the new one). */
static bool
stops_one_address(const char *text, const char *at, const Scores *scores)
{
	g_autofree char *sentence = mail_classify_dup_sentence(text, at);
	if (!mail_classify_has_any(sentence, this_address_words, G_N_ELEMENTS(this_address_words)))
		return false;
	g_autofree char *other = mail_referral_find(text, scores->sender);
	return other != NULL;
}

/* Whether a plural's ending follows a word's stem at @after, and the word
 * ends there: "unsubscribe|s", "désinscription|s", "abmeldung|en",
 * "afmelding|en", "baja|s", "descadastro|s". */
static bool
plural_follows(const char *after)
{
	static const char *const endings[] = {"s", "es", "en", "n", "y", "i"};
	for (gsize i = 0; i < G_N_ELEMENTS(endings); i++) {
		gsize n = strlen(endings[i]);
		if (strncmp(after, endings[i], n) == 0 && !g_ascii_isalpha(after[n]) &&
		    (guchar)after[n] < 0x80)
			return true;
	}
	return false;
}

/* What a request to erase says it wants done. */
static const char *const erasure_verbs[] = {"delete", "erase", "remove", "purge", "wipe"};

/* A hand-off's verbs: "don't contact my colleagues either" is none. */
static const char *const contact_verbs[] = {
        "contact ", "reach out", "write to ", "talk to ", "speak to ", "email ", "ask ",
};
/* A no that says one is content with what one has: "no estamos
 * satisfechos con ..." says the opposite. */
static const char *const content_words[] = {
        "happy with", "zufrieden", "satisf", "content", "soddisfatt", "tevreden", "zadowol",
};

/* Whether @at is inside a link or an address ("prospect.test/unsubscribe",
 * "calendly.com/carol/meeting", "mailto:remove@..."): the words of a
 * path, not the writer's. */
static bool
inside_link(const char *text, const char *at)
{
	for (const char *p = at; p > text && !g_ascii_isspace(p[-1]); p--)
		if (p[-1] == '/' || p[-1] == '@' || p[-1] == ':' || p[-1] == '=')
			return true;
	return false;
}

/* Whether the cue found at @at counts: not turned around by a negation
 * (for the intents a "not" reverses, and "don't try again"), not in a
 * footer (for unsubscribe). */
static bool
cue_counts(const char *text, const char *at, const MailIntentCue *cue)
{
	if (inside_link(text, at))
		return false;
	bool reversible =
	        cue->intent == MAIL_INTENT_INTERESTED || cue->intent == MAIL_INTENT_UNSUBSCRIBE ||
	        cue->intent == MAIL_INTENT_MEETING || cue->weight < 0 ||
	        (cue->intent == MAIL_INTENT_WRONG_PERSON &&
	         mail_classify_starts_with_any(cue->phrase, contact_verbs,
	                                       G_N_ELEMENTS(contact_verbs))) ||
	        (cue->intent == MAIL_INTENT_NOT_INTERESTED &&
	         mail_classify_has_any(cue->phrase, content_words, G_N_ELEMENTS(content_words)));
	if (reversible && negated(text, at))
		return false;
	if ((cue->intent == MAIL_INTENT_INTERESTED || cue->intent == MAIL_INTENT_MEETING) &&
	    refused_object_follows(at + strlen(cue->phrase)))
		return false;
	if (cue->intent == MAIL_INTENT_NOT_INTERESTED &&
	    (g_str_has_suffix(cue->phrase, " pass") || g_str_has_suffix(cue->phrase, " paso") ||
	     g_str_has_suffix(cue->phrase, " passar")) &&
	    !pass_is_a_no(at + strlen(cue->phrase)))
		return false;
	/* "If we're interested, ...", "bei Interesse ...": none said. */
	if (cue->intent == MAIL_INTENT_INTERESTED &&
	    (strstr(cue->phrase, "interes") != NULL || strstr(cue->phrase, "intéres") != NULL ||
	     strstr(cue->phrase, "relevan") != NULL) &&
	    mail_intent_condition_before(text, at))
		return false;
	/* "W pilnych sprawach proszę o kontakt z biuro@...": a contact with
	 * someone else, no "contact me later". */
	if (cue->intent == MAIL_INTENT_LATER && contact_with_follows(at + strlen(cue->phrase)))
		return false;
	if (cue->intent == MAIL_INTENT_UNSUBSCRIBE) {
		if (others_act(text, at))
			return false;
		g_autofree char *sentence = mail_classify_dup_sentence(text, at);
		/* A footer's "To unsubscribe from ..., ..." begins its sentence;
		 * "I want to unsubscribe from all your emails" is a request. */
		const char *opening = sentence + strspn(sentence, " \t\r\n");
		/* "Votre outil gère-t-il les désinscriptions ?": the process
		 * asked about, no request. */
		const char *stop = strpbrk(at, ".!?\n");
		if (stop != NULL && *stop == '?' && plural_follows(at + strlen(cue->phrase)))
			return false;
		/* "the data you hold about me" is an erasure only beside its
		 * verb: "tell me what data you hold about me" asks for a copy. */
		if (g_str_has_prefix(cue->phrase, "data you") &&
		    !mail_classify_has_any(sentence, erasure_verbs, G_N_ELEMENTS(erasure_verbs)))
			return false;
		if (g_str_has_prefix(opening, "to unsubscribe") ||
		    mail_word_list_in(&footer_words_list, sentence) || names_web_path(sentence) ||
		    speaks_as_sender(sentence) ||
		    mail_classify_has_any(sentence, conversation_words,
		                          G_N_ELEMENTS(conversation_words)))
			return false;
		const char *after = at + strlen(cue->phrase);
		if (after[0] == 'd' && !word_byte(after[1]) && told_in_the_past(text, at))
			return false;
		if (mail_classify_word_before(text, at, just_done, G_N_ELEMENTS(just_done)) != NULL)
			return false;
		/* "... von Ihrem Newsletter abgemeldet": German's past, told. */
		if (g_str_has_prefix(after, "gemeldet"))
			return false;
		after += strspn(after, " ");
		if (starts_with_whole_word(after, stop_as_thing, G_N_ELEMENTS(stop_as_thing)) ||
		    mail_classify_word_before(text, at, thing_of_stop,
		                              G_N_ELEMENTS(thing_of_stop)) != NULL)
			return false;
		for (gsize i = 0; i < G_N_ELEMENTS(not_wanted_words); i++)
			if (g_str_has_prefix(after, not_wanted_words[i]))
				return false;
		if (mail_classify_starts_with_any(after, other_lists, G_N_ELEMENTS(other_lists)))
			return false;
		if (starts_with_whole_word(after, generic_others, G_N_ELEMENTS(generic_others)))
			return false;
		if (ends_in_question(at) &&
		    mail_word_list_in(&others_and_product_words_list, sentence))
			return false;
	}
	return true;
}

static void
score_text(const char *text, Scores *scores)
{
	const CueIndex *index = cue_index();
	g_autofree bool *seen = g_new0(bool, mail_intent_n_cues);
	for (const char *p = text; *p != '\0'; p++) {
		bool start = !after_word(text, p) || !word_byte(*p);
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
			    about_someone_else(p + index->length[i], scores->sender)) {
				scores->stop_for_another = true;
				continue;
			}
			if (cue->intent == MAIL_INTENT_INTERESTED &&
			    thing_refused_before(text, p)) {
				seen[i] = true;
				scores->score[MAIL_INTENT_NOT_INTERESTED] += cue->weight;
				g_string_append_printf(
				        scores->evidence, "%s\"%s\" of a thing refused",
				        scores->evidence->len > 0 ? ", " : "", cue->phrase);
				continue;
			}
			if (!cue_counts(text, p, cue))
				continue;
			if (cue->intent == MAIL_INTENT_UNSUBSCRIBE &&
			    stops_one_address(text, p, scores))
				continue;
			seen[i] = true;
			if (cue->weight < 0) {
				scores->dated = MAX(scores->dated, -cue->weight);
				continue;
			}
			if (cue->intent == MAIL_INTENT_INTERESTED &&
			    message_noun_follows(p + index->length[i])) {
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
				g_autofree char *sentence = mail_classify_dup_sentence(text, p);
				scores->not_yet =
				        mail_word_list_in(&time_qualifiers_list, sentence) &&
				        !mail_classify_has_any(sentence, for_good,
				                               G_N_ELEMENTS(for_good));
			}
			scores->score[cue->intent] += cue->weight;
			g_string_append_printf(scores->evidence, "%s\"%s\"",
			                       scores->evidence->len > 0 ? ", " : "", cue->phrase);
		}
	}
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

/* The line a mail program writes when its reader presses "Unsubscribe"
 * on our List-Unsubscribe mailto (the subject is ours: "unsubscribe"). */
static const char *const unsubscribe_button_lines[] = {
        "automatically generated by gmail",
        "sent this email to unsubscribe",
        "sent this message to unsubscribe",
};

/* @text without the lines a mail program wrote for its reader's button:
 * what is left is what the person wrote. */
static char *
dup_without_button_lines(const char *text)
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

/* Adds @what to the evidence, after a comma when there is some. */
static void
note_evidence(Scores *scores, const char *what)
{
	g_string_append_printf(scores->evidence, "%s%s", scores->evidence->len > 0 ? ", " : "",
	                       what);
}

/* The cues read again beside the rest of @body: a later denied, a
 * company's rule, a tool its user would change, a no opened again, a stop
 * of the channel beside a talk. */
static void
read_in_context(const char *body, Scores *scores)
{
	if (mail_classify_has_any(body, never_later_words, G_N_ELEMENTS(never_later_words)) &&
	    (scores->not_yet || scores->score[MAIL_INTENT_LATER] > 0)) {
		scores->not_yet = false;
		scores->score[MAIL_INTENT_NOT_INTERESTED] += scores->score[MAIL_INTENT_LATER];
		scores->score[MAIL_INTENT_LATER] = 0;
		note_evidence(scores, "not later either");
	}
	/* "We no longer work with agencies": a rule of the company's, a no;
	 * "I no longer work with Acme" is a departure. */
	if (strstr(body, "we no longer work with") != NULL &&
	    scores->score[MAIL_INTENT_WRONG_PERSON] >= WRONG_PERSON_CUE) {
		scores->score[MAIL_INTENT_WRONG_PERSON] -= WRONG_PERSON_CUE;
		scores->score[MAIL_INTENT_NOT_INTERESTED] += WRONG_PERSON_CUE;
		note_evidence(scores, "a company's rule, not a departure");
	}
	if (scores->score[MAIL_INTENT_NOT_INTERESTED] > 0 &&
	    mail_classify_has_any(body, current_tool_words, G_N_ELEMENTS(current_tool_words)) &&
	    mail_classify_has_any(body, unhappy_words, G_N_ELEMENTS(unhappy_words))) {
		scores->score[MAIL_INTENT_NOT_INTERESTED] = 0;
		scores->score[MAIL_INTENT_INTERESTED] += 1;
		note_evidence(scores, "a tool in place its user would change");
	}
	if (scores->score[MAIL_INTENT_NOT_INTERESTED] > 0 &&
	    mail_classify_has_any(body, reopening_words, G_N_ELEMENTS(reopening_words))) {
		scores->score[MAIL_INTENT_NOT_INTERESTED] = 0;
		scores->score[MAIL_INTENT_INTERESTED] += 3;
		note_evidence(scores, "a no opened again after its \"but\"");
	}
	/* "No me escriba más por correo, mejor llámeme el jueves": a stop of
	 * one channel beside a talk asked for is the talk. */
	if (scores->score[MAIL_INTENT_UNSUBSCRIBE] > 0 && scores->score[MAIL_INTENT_MEETING] >= 2 &&
	    mail_classify_has_any(body, channel_words, G_N_ELEMENTS(channel_words))) {
		scores->score[MAIL_INTENT_UNSUBSCRIBE] = 0;
		note_evidence(scores, "a stop of email for a talk");
	}
	/* "We'll be in touch if there's a need", and nothing wanted besides. */
	if (scores->score[MAIL_INTENT_INTERESTED] + scores->score[MAIL_INTENT_MEETING] == 0 &&
	    scores->score[MAIL_INTENT_UNSUBSCRIBE] == 0 &&
	    mail_intent_condition_promises_if_needed(body)) {
		scores->score[MAIL_INTENT_NOT_INTERESTED] += 3;
		note_evidence(scores, "a call back promised if ever needed");
	}
}

/* "Interested - also looping in tom@", "Thursday works, adding my
 * colleague to the invite": a colleague added beside the writer's own yes,
 * not a hand-off (a redirect said outright weighs more). */
static void
keep_added_colleague_aside(const char *body, Scores *scores)
{
	if (scores->score[MAIL_INTENT_WRONG_PERSON] > 0 &&
	    scores->score[MAIL_INTENT_WRONG_PERSON] <= WRONG_PERSON_CUE &&
	    scores->score[MAIL_INTENT_INTERESTED] + scores->score[MAIL_INTENT_MEETING] >= 2 &&
	    mail_classify_has_any(body, inclusion_words, G_N_ELEMENTS(inclusion_words))) {
		scores->score[MAIL_INTENT_WRONG_PERSON] = 0;
		note_evidence(scores, "a colleague added, the writer still in");
	}
}

/* A body that is nothing but a yes, a "later" or a no. */
static void
score_bare_answers(const char *body, Scores *scores)
{
	if (is_bare(body, bare_yes_words, G_N_ELEMENTS(bare_yes_words))) {
		scores->score[MAIL_INTENT_INTERESTED] += 2;
		note_evidence(scores, "a bare yes");
	}
	if (is_bare(body, bare_later_words, G_N_ELEMENTS(bare_later_words))) {
		scores->score[MAIL_INTENT_LATER] += 3;
		note_evidence(scores, "a bare later");
	}
	if (is_bare(body, bare_no_words, G_N_ELEMENTS(bare_no_words))) {
		scores->score[MAIL_INTENT_NOT_INTERESTED] += 3;
		note_evidence(scores, "a bare no");
	}
}

/* Separators a person puts between our subject and words of their own:
 * "Re: Quick question - not interested". */
static const char *const subject_separators[] = {" - ", " -- ", " \u2013 ", " | "};

/* What an empty reply's subject says: all of it when the person wrote it
 * (no "Re:"), else only the words after the last separator, and from
 * those no stop unless it is the request alone ("- REMOVE"): our own
 * subject's last words may be anything. */
static void
read_subject_words(const char *topic, bool answered, Scores *scores)
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
	if (is_bare_stop(words))
		scores->score[MAIL_INTENT_UNSUBSCRIBE] += 3;
	if (is_bare(words, bare_no_words, G_N_ELEMENTS(bare_no_words)))
		scores->score[MAIL_INTENT_NOT_INTERESTED] += 3;
	if (is_bare(words, bare_yes_words, G_N_ELEMENTS(bare_yes_words)))
		scores->score[MAIL_INTENT_INTERESTED] += 2;
	if (is_bare(words, bare_later_words, G_N_ELEMENTS(bare_later_words)))
		scores->score[MAIL_INTENT_LATER] += 3;
	note_evidence(scores, "read in the subject");
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
		    count_words(line) <= 4 && strpbrk(line, ".?") == NULL)
			return true;
	}
	return false;
}

/* The letter's own words: @text above its sign-off, without a first line
 * that only greets, a first sentence that only thanks or a company
 * footer's offers (folded, newly allocated). "Hi Alice,\n\nStop.\n\nBest
 * regards,\nCarol" is a bare "stop" as much as "Stop." is. */
static char *
dup_core(const char *text)
{
	const char *start = text + strspn(text, " \t\r\n");
	const char *end = strchr(start, '\n');
	if (end != NULL) {
		g_autofree char *first = g_strndup(start, (gsize)(end - start));
		g_autofree char *folded_first = fold(first);
		if (is_greeting_line(folded_first))
			start = end + 1;
	}
	g_autofree char *above = dup_above_sign_off(start);
	g_autofree char *words = dup_without_footer_offers(above);
	return g_strdup(after_thanks_opener(words));
}

MailIntentResult *
mail_intent_read(const char *text, const char *subject, const char *sender, GDateTime *sent)
{
	MailIntentResult *result = g_new0(MailIntentResult, 1);
	g_autofree char *written = dup_without_button_lines(text != NULL ? text : "");
	text = written;
	g_autofree char *folded = fold(text);
	g_autofree char *body = dup_without_footer_offers(folded);
	g_autofree char *subject_folded = fold(subject != NULL ? subject : "");
	const char *topic = strip_subject(subject_folded);
	g_autofree char *writer = sender != NULL ? g_ascii_strdown(sender, -1) : NULL;
	Scores scores = {.evidence = g_string_new(NULL), .sender = writer};
	score_text(body, &scores);
	read_in_context(body, &scores);
	/* "Unsubscribe" as the subject of an empty reply, or as all of it.
	 * After a "Re:" the subject is ours, unless it is the request alone
	 * ("Re: unsubscribe"): "Re: Stop sending invoices by hand" over
	 * "Sounds good!" asks for nothing of the kind. */
	g_autofree char *core = dup_core(text);
	bool bare = is_bare_stop(body) || is_bare_stop(core) ||
	            first_line_is_bare_stop(text != NULL ? text : "") ||
	            last_sentence_is_bare_stop(body) || last_sentence_is_bare_stop(core);
	bool answered = topic != subject_folded + strspn(subject_folded, " ");
	bool said_else = false;
	for (int i = 0; i < MAIL_INTENT_COUNT; i++)
		said_else = said_else || scores.score[i] > 0;
	bool subject_stop = count_words(body) <= 3 && !said_else &&
	                    (answered ? is_bare_stop(topic) : subject_asks_to_stop(topic));
	if (bare || subject_stop) {
		scores.score[MAIL_INTENT_UNSUBSCRIBE] += 3;
		g_string_append_printf(scores.evidence, "%sasks to stop in %s",
		                       scores.evidence->len > 0 ? ", " : "",
		                       bare ? "the text" : "the subject");
	}
	/* A reply whose text says nothing: its subject speaks ("Not
	 * interested" of the person's own, or words put after ours: "Re:
	 * Quick question - not interested"). */
	if (!bare && !subject_stop && !said_else && count_words(body) <= 3)
		read_subject_words(topic, answered, &scores);
	score_bare_answers(core, &scores);
	/* Days and times back a meeting, unless they are when the writer is
	 * back, or a signature's office hours under the sign-off. */
	g_autofree char *above_sign_off = dup_above_sign_off(text != NULL ? text : "");
	bool a_return = mail_classify_has_any(body, return_words, G_N_ELEMENTS(return_words));
	if (!a_return && has_clock_time(above_sign_off))
		scores.score[MAIL_INTENT_MEETING] += 1;
	if (!a_return && names_weekday(above_sign_off))
		scores.score[MAIL_INTENT_MEETING] += 1;
	keep_added_colleague_aside(body, &scores);

	/* The address in "unsubscribe bob@corp.example" is no colleague to
	 * write to instead. */
	g_autofree char *referral = scores.stop_for_another || asks_to_remove_another(body, writer)
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
	    count_words(core) <= TIME_ALONE_WORDS &&
	    has_phrase_at_word(core, future_words, G_N_ELEMENTS(future_words), false) &&
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
	    scores.score[MAIL_INTENT_INTERESTED] + scores.score[MAIL_INTENT_MEETING] < 2) {
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
