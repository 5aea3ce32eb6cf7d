#include "mail/mail_intent.h"

#include "mail/mail_intent_date.h"
#include "mail/mail_private.h"

#include <string.h>

/* Confidence below which a person should look. */
#define SURE_ENOUGH 60

typedef struct {
	const char *phrase; /* lower case, single spaces, "'" for apostrophes */
	MailIntent intent;
	int weight; /* DATED(w): w, only when the text says a date too */
} Cue;

#define DATED(weight) (-(weight))

/* An explicit request to receive no more mail, in eight languages. Only
 * these blacklist: "not interested" and "not now" are not among them. */
static const Cue cues[] = {
        /* unsubscribe */
        {"unsubscribe", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remove me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remove my email", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remove my address", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remove my name", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remove us from", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"want to be removed", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"like to be removed", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"wish to be removed", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"don't want to receive", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"do not want to receive", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"don't wish to receive", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"do not wish to receive", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no longer wish to receive", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no longer want to receive", MAIL_INTENT_UNSUBSCRIBE, 3},
        /* "for this", not "never signed up for your trial: can we?" */
        {"never signed up for this", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"never signed up for your list", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"never signed up for your emails", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"never signed up for any list", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"didn't sign up for this", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"did not sign up for this", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"never subscribed to this", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"never subscribed to your list", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"never opted in", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"removal request", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"this is spam", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"report you as spam", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"reporting you as spam", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"report this as spam", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"mark this as spam", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"marking this as spam", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"marked this as spam", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"take me off", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"take us off", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"off your list", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"off your mailing list", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"stop emailing", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"stop e-mailing", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"stop sending", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"stop contacting", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"stop writing to me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"don't contact me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"do not contact me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"don't email me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"do not email me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"don't send me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"do not send me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"never contact me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no more emails", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no more e-mails", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"opt me out", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"opt out", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"opt-out", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"delete my data", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"abmelden", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"austragen", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"streichen sie mich", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"aus ihrem verteiler", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"aus dem verteiler", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"aus ihrer liste", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"keine e-mails mehr", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"keine emails mehr", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"keine mails mehr", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"keine weiteren e-mails", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"keine weiteren mails", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"nicht mehr kontaktieren", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"nicht mehr anschreiben", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"löschen sie meine", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"désabonner", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"desabonner", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"désinscrire", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"désinscrivez", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"retirez-moi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"retirez moi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"me retirer de", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"supprimez-moi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"ne plus recevoir", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"ne m'envoyez plus", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"ne plus me contacter", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"ne plus m'écrire", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"ne m'écrivez plus", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"supprimer mes coordonnées", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"supprimez mes coordonnées", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"ne me contactez plus", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"darme de baja", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"dar de baja", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"dame de baja", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"denme de baja", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no me escriba", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no me envíe", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no me envíen", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no me contacte", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"elimíname", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"eliminarme de", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"quitarme de", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"sacarme de", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"cancellami", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"cancellatemi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"cancellarmi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"rimuovetemi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"rimuovermi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"rimuovimi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"toglietemi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"non contattarmi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"non scrivermi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"non inviatemi", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"afmelden", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"uitschrijven", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"verwijder mij", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"verwijder me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"haal me van", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"haal mij van", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"niet meer mailen", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"geen e-mails meer", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"geen mails meer", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"wypisz mnie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"wypiszcie mnie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usuń mnie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usuńcie mnie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usunięcie mojego", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"nie kontaktuj", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"nie piszcie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"nie przysyłajcie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"descadastrar", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"descadastre", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remover da lista", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remova-me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"me remova", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"me remover", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"tirem-me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"não me envie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"não me enviem", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"não me contacte", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"cancelar inscrição", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"tragen sie mich", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"ne souhaite plus recevoir", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"ne veux plus recevoir", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no quiero recibir", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"non voglio più ricevere", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"non desidero più ricevere", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"no deseo recibir", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"non voglio ricevere", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"non desidero ricevere", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"não quero receber", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"não desejo receber", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"wil geen e-mails", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"nie chcę otrzymywać", MAIL_INTENT_UNSUBSCRIBE, 3},
        /* "remove my address from your list", in the other languages */
        {"meine adresse aus", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"meine e-mail-adresse aus", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"retirer mon adresse", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"retirez mon adresse", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"supprimer mon adresse", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"supprimez mon adresse", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"eliminar mi dirección", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"eliminen mi dirección", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"borren mi correo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"quiten mi correo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"eliminen mi correo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"togliere il mio indirizzo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"togliete il mio indirizzo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"rimuovere il mio indirizzo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"rimuovete il mio indirizzo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"cancellare il mio indirizzo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"cancellate il mio indirizzo", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"uit uw bestand", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"uit uw mailinglijst", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"uit uw lijst", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"uit jullie bestand", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"van uw mailinglijst", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usunąć mój adres", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usuńcie mój adres", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usunięcie mojego adresu", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usunąć mnie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"wypisać mnie", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"retirem o meu", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"retirar o meu", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"removam o meu", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remover o meu", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"tirem o meu", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"retirem-me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"removam-me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"elimínenme", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"eliminenme", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"elimíneme", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"bórrenme", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"sáquenme de", MAIL_INTENT_UNSUBSCRIBE, 3},
        /* a request to erase what is held (GDPR article 17): to stop, and more */
        {"data you hold about me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"data you have about me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"data you have on me", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"delete my personal data", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"delete my details", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"delete my email", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"delete my e-mail", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remove my e-mail", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"delete my information", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"erase my data", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remove my data", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"remove my personal data", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"right to erasure", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"daten zu löschen", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"daten löschen", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"recht auf löschung", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"supprimer mes données", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"supprimez mes données", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"effacer mes données", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"droit à l'effacement", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"borrar mis datos", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"borren mis datos", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"eliminar mis datos", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"eliminen mis datos", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"suprimir mis datos", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"derecho de supresión", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"cancellare i miei dati", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"cancellate i miei dati", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"diritto all'oblio", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"diritto alla cancellazione", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"verwijder mijn gegevens", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"mijn gegevens te verwijderen", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"mijn gegevens verwijderen", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"recht op vergetelheid", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usunięcie moich danych", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usuńcie moje dane", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"usunąć moje dane", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"prawo do bycia zapomnianym", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"apagar os meus dados", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"apaguem os meus dados", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"excluir meus dados", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"excluam meus dados", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"eliminar os meus dados", MAIL_INTENT_UNSUBSCRIBE, 3},
        {"direito ao apagamento", MAIL_INTENT_UNSUBSCRIBE, 3},
        /* wrong person */
        {"not the right person", MAIL_INTENT_WRONG_PERSON, 3},
        {"not the right contact", MAIL_INTENT_WRONG_PERSON, 3},
        {"wrong person", MAIL_INTENT_WRONG_PERSON, 3},
        {"non me ne occupo", MAIL_INTENT_WRONG_PERSON, 3},
        {"provi con", MAIL_INTENT_WRONG_PERSON, 2},
        {"daar ga ik niet over", MAIL_INTENT_WRONG_PERSON, 3},
        {"mijn collega", MAIL_INTENT_WRONG_PERSON, 2},
        {"to nie do mnie", MAIL_INTENT_WRONG_PERSON, 3},
        {"proszę pisać do", MAIL_INTENT_WRONG_PERSON, 2},
        {"não sou eu que", MAIL_INTENT_WRONG_PERSON, 3},
        /* "fale com a Maria", not "fale comigo" (talk to me) */
        {"fale com ", MAIL_INTENT_WRONG_PERSON, 2},
        {"want to speak with", MAIL_INTENT_WRONG_PERSON, 3},
        {"want to talk to", MAIL_INTENT_WRONG_PERSON, 3},
        {"speak with our", MAIL_INTENT_WRONG_PERSON, 2},
        {"speak to our", MAIL_INTENT_WRONG_PERSON, 2},
        {"dafür ist", MAIL_INTENT_WRONG_PERSON, 2},
        {"mein kollege", MAIL_INTENT_WRONG_PERSON, 2},
        {"meine kollegin", MAIL_INTENT_WRONG_PERSON, 2},
        {"ce n'est pas moi qui", MAIL_INTENT_WRONG_PERSON, 3},
        {"voyez avec", MAIL_INTENT_WRONG_PERSON, 2},
        {"adressez-vous à", MAIL_INTENT_WRONG_PERSON, 2},
        {"wrong contact", MAIL_INTENT_WRONG_PERSON, 3},
        {"not the person", MAIL_INTENT_WRONG_PERSON, 2},
        {"no longer with", MAIL_INTENT_WRONG_PERSON, 3},
        {"no longer work", MAIL_INTENT_WRONG_PERSON, 3},
        {"left the company", MAIL_INTENT_WRONG_PERSON, 3},
        {"i've left", MAIL_INTENT_WRONG_PERSON, 3},
        {"i have left", MAIL_INTENT_WRONG_PERSON, 3},
        {"no longer in this role", MAIL_INTENT_WRONG_PERSON, 3},
        {"no longer in that role", MAIL_INTENT_WRONG_PERSON, 3},
        {"no longer in the role", MAIL_INTENT_WRONG_PERSON, 3},
        {"changed roles", MAIL_INTENT_WRONG_PERSON, 2},
        {"not responsible for", MAIL_INTENT_WRONG_PERSON, 2},
        {"not in charge of", MAIL_INTENT_WRONG_PERSON, 2},
        {"not my area", MAIL_INTENT_WRONG_PERSON, 2},
        {"isn't my area", MAIL_INTENT_WRONG_PERSON, 2},
        {"not my department", MAIL_INTENT_WRONG_PERSON, 2},
        {"don't handle", MAIL_INTENT_WRONG_PERSON, 2},
        {"you should contact", MAIL_INTENT_WRONG_PERSON, 2},
        {"you should reach out to", MAIL_INTENT_WRONG_PERSON, 2},
        {"you'd better contact", MAIL_INTENT_WRONG_PERSON, 2},
        {"better person", MAIL_INTENT_WRONG_PERSON, 2},
        {"right person would be", MAIL_INTENT_WRONG_PERSON, 3},
        {"right person is", MAIL_INTENT_WRONG_PERSON, 3},
        {"the person you want", MAIL_INTENT_WRONG_PERSON, 2},
        {"handles this", MAIL_INTENT_WRONG_PERSON, 1},
        {"in charge of this", MAIL_INTENT_WRONG_PERSON, 1},
        {"forwarded your email to", MAIL_INTENT_WRONG_PERSON, 2},
        {"forwarding this to", MAIL_INTENT_WRONG_PERSON, 2},
        {"looping in", MAIL_INTENT_WRONG_PERSON, 1},
        {"looped in", MAIL_INTENT_WRONG_PERSON, 2},
        {"bei mir falsch", MAIL_INTENT_WRONG_PERSON, 3},
        {"moved on from", MAIL_INTENT_WRONG_PERSON, 3},
        {"my successor", MAIL_INTENT_WRONG_PERSON, 2},
        {"mein nachfolger", MAIL_INTENT_WRONG_PERSON, 2},
        {"meine nachfolgerin", MAIL_INTENT_WRONG_PERSON, 2},
        {"mon successeur", MAIL_INTENT_WRONG_PERSON, 2},
        {"mi sucesor", MAIL_INTENT_WRONG_PERSON, 2},
        {"il mio successore", MAIL_INTENT_WRONG_PERSON, 2},
        {"mijn opvolger", MAIL_INTENT_WRONG_PERSON, 2},
        {"mój następca", MAIL_INTENT_WRONG_PERSON, 2},
        {"meu sucessor", MAIL_INTENT_WRONG_PERSON, 2},
        {"weitergeleitet", MAIL_INTENT_WRONG_PERSON, 2},
        {"no soy yo quien", MAIL_INTENT_WRONG_PERSON, 3},
        {"habla con", MAIL_INTENT_WRONG_PERSON, 2},
        {"this would be for our", MAIL_INTENT_WRONG_PERSON, 2},
        {"you want our", MAIL_INTENT_WRONG_PERSON, 1},
        {"not the decision maker", MAIL_INTENT_WRONG_PERSON, 3},
        {"n't the decision maker", MAIL_INTENT_WRONG_PERSON, 3},
        {"not the decision-maker", MAIL_INTENT_WRONG_PERSON, 3},
        {"n't the decision-maker", MAIL_INTENT_WRONG_PERSON, 3},
        {"i've cc'd", MAIL_INTENT_WRONG_PERSON, 2},
        {"i have cc'd", MAIL_INTENT_WRONG_PERSON, 2},
        {"moving myself to bcc", MAIL_INTENT_WRONG_PERSON, 3},
        {"moved myself to bcc", MAIL_INTENT_WRONG_PERSON, 3},
        {"over to you", MAIL_INTENT_WRONG_PERSON, 1},
        {"please contact", MAIL_INTENT_WRONG_PERSON, 1},
        /* Whole words only: "not meeting" is not "not me". */
        {"not me ", MAIL_INTENT_WRONG_PERSON, 2},
        {"not me,", MAIL_INTENT_WRONG_PERSON, 2},
        {"not me.", MAIL_INTENT_WRONG_PERSON, 2},
        {"not me!", MAIL_INTENT_WRONG_PERSON, 2},
        {"i'm not the one", MAIL_INTENT_WRONG_PERSON, 2},
        {"i am not the one", MAIL_INTENT_WRONG_PERSON, 2},
        {"contact my colleague", MAIL_INTENT_WRONG_PERSON, 2},
        {"my colleague", MAIL_INTENT_WRONG_PERSON, 1},
        {"cc'ing", MAIL_INTENT_WRONG_PERSON, 1},
        {"reach out to", MAIL_INTENT_WRONG_PERSON, 1},
        {"nicht der richtige ansprechpartner", MAIL_INTENT_WRONG_PERSON, 3},
        {"nicht die richtige ansprechpartnerin", MAIL_INTENT_WRONG_PERSON, 3},
        {"falsche ansprechpartner", MAIL_INTENT_WRONG_PERSON, 3},
        {"falscher ansprechpartner", MAIL_INTENT_WRONG_PERSON, 3},
        {"nicht zuständig", MAIL_INTENT_WRONG_PERSON, 3},
        {"nicht mehr im unternehmen", MAIL_INTENT_WRONG_PERSON, 3},
        {"nicht mehr bei", MAIL_INTENT_WRONG_PERSON, 2},
        {"zuständig ist", MAIL_INTENT_WRONG_PERSON, 2},
        {"wenden sie sich an", MAIL_INTENT_WRONG_PERSON, 2},
        {"pas la bonne personne", MAIL_INTENT_WRONG_PERSON, 3},
        {"pas le bon interlocuteur", MAIL_INTENT_WRONG_PERSON, 3},
        {"pas la bonne interlocutrice", MAIL_INTENT_WRONG_PERSON, 3},
        {"ne suis pas en charge", MAIL_INTENT_WRONG_PERSON, 3},
        {"ne travaille plus", MAIL_INTENT_WRONG_PERSON, 3},
        {"contactez plutôt", MAIL_INTENT_WRONG_PERSON, 2},
        {"no soy la persona", MAIL_INTENT_WRONG_PERSON, 3},
        {"persona equivocada", MAIL_INTENT_WRONG_PERSON, 3},
        {"persona adecuada", MAIL_INTENT_WRONG_PERSON, 2},
        {"ya no trabajo", MAIL_INTENT_WRONG_PERSON, 3},
        {"no me encargo", MAIL_INTENT_WRONG_PERSON, 3},
        {"póngase en contacto con", MAIL_INTENT_WRONG_PERSON, 2},
        {"non sono la persona giusta", MAIL_INTENT_WRONG_PERSON, 3},
        {"persona sbagliata", MAIL_INTENT_WRONG_PERSON, 3},
        {"persona giusta", MAIL_INTENT_WRONG_PERSON, 2},
        {"non lavoro più", MAIL_INTENT_WRONG_PERSON, 3},
        {"non mi occupo", MAIL_INTENT_WRONG_PERSON, 3},
        {"rivolgersi a", MAIL_INTENT_WRONG_PERSON, 2},
        {"niet de juiste persoon", MAIL_INTENT_WRONG_PERSON, 3},
        {"verkeerde persoon", MAIL_INTENT_WRONG_PERSON, 3},
        {"juiste persoon", MAIL_INTENT_WRONG_PERSON, 2},
        {"werk hier niet meer", MAIL_INTENT_WRONG_PERSON, 3},
        {"niet meer werkzaam", MAIL_INTENT_WRONG_PERSON, 3},
        {"niet verantwoordelijk", MAIL_INTENT_WRONG_PERSON, 3},
        {"neem contact op met", MAIL_INTENT_WRONG_PERSON, 2},
        {"nie jestem właściwą osobą", MAIL_INTENT_WRONG_PERSON, 3},
        {"niewłaściwa osoba", MAIL_INTENT_WRONG_PERSON, 3},
        {"właściwą osobą", MAIL_INTENT_WRONG_PERSON, 2},
        {"już nie pracuję", MAIL_INTENT_WRONG_PERSON, 3},
        {"nie zajmuję się", MAIL_INTENT_WRONG_PERSON, 3},
        {"skontaktować się z", MAIL_INTENT_WRONG_PERSON, 2},
        {"não sou a pessoa certa", MAIL_INTENT_WRONG_PERSON, 3},
        {"pessoa errada", MAIL_INTENT_WRONG_PERSON, 3},
        {"pessoa certa", MAIL_INTENT_WRONG_PERSON, 2},
        {"não trabalho mais", MAIL_INTENT_WRONG_PERSON, 3},
        {"já não trabalho", MAIL_INTENT_WRONG_PERSON, 3},
        {"não sou responsável", MAIL_INTENT_WRONG_PERSON, 3},
        {"entre em contato com", MAIL_INTENT_WRONG_PERSON, 2},
        /* later */
        {"down the road", MAIL_INTENT_LATER, 2},
        {"down the line", MAIL_INTENT_LATER, 2},
        {"not now", MAIL_INTENT_LATER, 3},
        {"teraz nie", MAIL_INTENT_LATER, 3},
        {"wrócić do tematu", MAIL_INTENT_LATER, 2},
        {"passt es nicht", MAIL_INTENT_LATER, 3},
        {"passt es gerade nicht", MAIL_INTENT_LATER, 3},
        {"derzeit nicht", MAIL_INTENT_LATER, 3},
        {"aktuell nicht", MAIL_INTENT_LATER, 3},
        {"im moment nicht", MAIL_INTENT_LATER, 3},
        {"not right now", MAIL_INTENT_LATER, 3},
        {"not at the moment", MAIL_INTENT_LATER, 2},
        {"not at this time", MAIL_INTENT_LATER, 2},
        {"not the right time", MAIL_INTENT_LATER, 3},
        {"bad timing", MAIL_INTENT_LATER, 3},
        {"maybe later", MAIL_INTENT_LATER, 3},
        {"check back", MAIL_INTENT_LATER, 3},
        {"not a priority right now", MAIL_INTENT_LATER, 3},
        {"not a priority at the moment", MAIL_INTENT_LATER, 3},
        {"maybe next", MAIL_INTENT_LATER, DATED(2)},
        {"not this quarter", MAIL_INTENT_LATER, 2},
        {"early next year", MAIL_INTENT_LATER, DATED(2)},
        {"next year", MAIL_INTENT_LATER, DATED(1)},
        {"después del verano", MAIL_INTENT_LATER, DATED(2)},
        {"na de zomer", MAIL_INTENT_LATER, DATED(2)},
        {"depois do verão", MAIL_INTENT_LATER, DATED(2)},
        {"perhaps next", MAIL_INTENT_LATER, DATED(2)},
        {"not a priority", MAIL_INTENT_LATER, DATED(2)},
        {"reach out again", MAIL_INTENT_LATER, 3},
        {"reach back out", MAIL_INTENT_LATER, 3},
        {"follow up in", MAIL_INTENT_LATER, 3},
        {"follow up after", MAIL_INTENT_LATER, 3},
        {"ping me", MAIL_INTENT_LATER, 2},
        {"get back to me in", MAIL_INTENT_LATER, 3},
        {"circle back", MAIL_INTENT_LATER, 3},
        {"touch base in", MAIL_INTENT_LATER, 3},
        {"touch base after", MAIL_INTENT_LATER, 3},
        {"revisit", MAIL_INTENT_LATER, 2},
        {"contact me again", MAIL_INTENT_LATER, 3},
        {"try me again", MAIL_INTENT_LATER, 3},
        {"come back to", MAIL_INTENT_LATER, 1},
        {"later this year", MAIL_INTENT_LATER, 3},
        {"not before", MAIL_INTENT_LATER, 3},
        {"not until", MAIL_INTENT_LATER, 3},
        {"until next", MAIL_INTENT_LATER, 2},
        {"get back to me", MAIL_INTENT_LATER, 2},
        {"erst im", MAIL_INTENT_LATER, 2},
        {"erst ab", MAIL_INTENT_LATER, 2},
        {"erst nach", MAIL_INTENT_LATER, 2},
        {"pas avant", MAIL_INTENT_LATER, 3},
        {"no antes de", MAIL_INTENT_LATER, 3},
        {"non prima di", MAIL_INTENT_LATER, 3},
        {"nu even niet", MAIL_INTENT_LATER, 3},
        {"pas tot", MAIL_INTENT_LATER, 2},
        {"nie wcześniej", MAIL_INTENT_LATER, 3},
        {"não antes de", MAIL_INTENT_LATER, 3},
        {"nicht jetzt", MAIL_INTENT_LATER, 3},
        {"momentan nicht", MAIL_INTENT_LATER, 3},
        {"zurzeit nicht", MAIL_INTENT_LATER, 3},
        {"später", MAIL_INTENT_LATER, 2},
        {"melden sie sich", MAIL_INTENT_LATER, 2},
        {"kommen sie", MAIL_INTENT_LATER, 1},
        {"noch einmal", MAIL_INTENT_LATER, 1},
        {"pas maintenant", MAIL_INTENT_LATER, 3},
        {"pas pour le moment", MAIL_INTENT_LATER, 3},
        {"plus tard", MAIL_INTENT_LATER, 3},
        {"recontactez", MAIL_INTENT_LATER, 3},
        {"revenez vers moi", MAIL_INTENT_LATER, 3},
        {"relancez-moi", MAIL_INTENT_LATER, 3},
        {"más adelante", MAIL_INTENT_LATER, 3},
        {"ahora no", MAIL_INTENT_LATER, 3},
        {"por ahora no", MAIL_INTENT_LATER, 3},
        {"en este momento no", MAIL_INTENT_LATER, 3},
        {"vuelva a contactar", MAIL_INTENT_LATER, 3},
        {"vuelve a escribir", MAIL_INTENT_LATER, 3},
        {"escríbeme de nuevo", MAIL_INTENT_LATER, 3},
        {"più avanti", MAIL_INTENT_LATER, 3},
        {"non ora", MAIL_INTENT_LATER, 3},
        {"non adesso", MAIL_INTENT_LATER, 3},
        {"al momento no", MAIL_INTENT_LATER, 3},
        {"ricontattami", MAIL_INTENT_LATER, 3},
        {"ricontattarmi", MAIL_INTENT_LATER, 3},
        {"risentiamoci", MAIL_INTENT_LATER, 3},
        {"nu niet", MAIL_INTENT_LATER, 3},
        {"op dit moment niet", MAIL_INTENT_LATER, 3},
        {"momenteel niet", MAIL_INTENT_LATER, 3},
        {"later terug", MAIL_INTENT_LATER, 3},
        {"neem later contact", MAIL_INTENT_LATER, 3},
        {"benader me", MAIL_INTENT_LATER, 2},
        {"później", MAIL_INTENT_LATER, 3},
        {"nie teraz", MAIL_INTENT_LATER, 3},
        {"w tej chwili nie", MAIL_INTENT_LATER, 3},
        {"na razie nie", MAIL_INTENT_LATER, 3},
        {"odezwij się", MAIL_INTENT_LATER, 2},
        {"proszę o kontakt", MAIL_INTENT_LATER, 1},
        {"mais tarde", MAIL_INTENT_LATER, 3},
        {"agora não", MAIL_INTENT_LATER, 3},
        {"no momento não", MAIL_INTENT_LATER, 3},
        {"por enquanto não", MAIL_INTENT_LATER, 3},
        {"entre em contato novamente", MAIL_INTENT_LATER, 3},
        {"volte a falar", MAIL_INTENT_LATER, 3},
        /* "Try again in March": asked to write again; "later" only when
         * a date is said too ("try again" alone may be about a link). */
        {"try again", MAIL_INTENT_LATER, DATED(2)},
        {"riscrivimi", MAIL_INTENT_LATER, DATED(2)},
        {"riscrivetemi", MAIL_INTENT_LATER, DATED(2)},
        {"weer contact op", MAIL_INTENT_LATER, 3},
        {"fale comigo daqui a", MAIL_INTENT_LATER, 3},
        {"odezwać się", MAIL_INTENT_LATER, DATED(2)},
        {"odezwijcie się", MAIL_INTENT_LATER, DATED(2)},
        {"write again", MAIL_INTENT_LATER, DATED(2)},
        {"email me again", MAIL_INTENT_LATER, DATED(2)},
        {"reconnect", MAIL_INTENT_LATER, DATED(2)},
        {"talk again", MAIL_INTENT_LATER, DATED(2)},
        {"ask me again", MAIL_INTENT_LATER, DATED(2)},
        {"nochmal melden", MAIL_INTENT_LATER, DATED(2)},
        {"opnieuw contact op", MAIL_INTENT_LATER, DATED(2)},
        {"maybe in", MAIL_INTENT_LATER, DATED(2)},
        {"gerne wieder", MAIL_INTENT_LATER, DATED(2)},
        {"ne riparliamo", MAIL_INTENT_LATER, DATED(2)},
        {"hablamos el", MAIL_INTENT_LATER, DATED(2)},
        {"keine kapazitäten", MAIL_INTENT_LATER, 2},
        {"look at this in", MAIL_INTENT_LATER, DATED(2)},
        {"look into this in", MAIL_INTENT_LATER, DATED(2)},
        {"look at it in", MAIL_INTENT_LATER, DATED(2)},
        {"consider it in", MAIL_INTENT_LATER, DATED(2)},
        {"reach out", MAIL_INTENT_LATER, DATED(2)},
        {"versuchen sie es", MAIL_INTENT_LATER, DATED(2)},
        {"gerne wieder", MAIL_INTENT_LATER, DATED(2)},
        {"réessayez", MAIL_INTENT_LATER, DATED(2)},
        {"écrivez-moi", MAIL_INTENT_LATER, DATED(2)},
        {"revenez", MAIL_INTENT_LATER, DATED(2)},
        {"escríbeme en", MAIL_INTENT_LATER, DATED(2)},
        {"escríbame en", MAIL_INTENT_LATER, DATED(2)},
        {"vuelva a escribirme", MAIL_INTENT_LATER, DATED(2)},
        {"vuelve a escribirme", MAIL_INTENT_LATER, DATED(2)},
        {"entre em contato no", MAIL_INTENT_LATER, DATED(2)},
        {"entre em contato em", MAIL_INTENT_LATER, DATED(2)},
        {"escríbenos en", MAIL_INTENT_LATER, DATED(2)},
        {"contáctame en", MAIL_INTENT_LATER, DATED(2)},
        {"contácteme en", MAIL_INTENT_LATER, DATED(2)},
        {"inténtalo de nuevo", MAIL_INTENT_LATER, DATED(2)},
        {"inténtelo de nuevo", MAIL_INTENT_LATER, DATED(2)},
        {"hablamos en", MAIL_INTENT_LATER, DATED(2)},
        {"riprovate", MAIL_INTENT_LATER, DATED(2)},
        {"riprova", MAIL_INTENT_LATER, DATED(2)},
        {"ci risentiamo", MAIL_INTENT_LATER, 3},
        {"ricontattateci", MAIL_INTENT_LATER, 3},
        {"ricontattatemi", MAIL_INTENT_LATER, 3},
        {"scrivetemi a", MAIL_INTENT_LATER, DATED(2)},
        {"scrivimi a", MAIL_INTENT_LATER, DATED(2)},
        {"probeer het", MAIL_INTENT_LATER, DATED(2)},
        {"proszę napisać w", MAIL_INTENT_LATER, DATED(2)},
        {"napisz w", MAIL_INTENT_LATER, DATED(2)},
        {"proszę się odezwać", MAIL_INTENT_LATER, DATED(2)},
        {"wróćmy do tematu", MAIL_INTENT_LATER, 3},
        {"wrócimy do tematu", MAIL_INTENT_LATER, 3},
        {"tente novamente", MAIL_INTENT_LATER, DATED(2)},
        {"escreva-me em", MAIL_INTENT_LATER, DATED(2)},
        {"fale comigo em", MAIL_INTENT_LATER, DATED(2)},
        /* not interested */
        {"not interested", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no interest", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no thanks", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no thank you", MAIL_INTENT_NOT_INTERESTED, 3},
        {"but no thanks", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not a fit", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not a good fit", MAIL_INTENT_NOT_INTERESTED, 3},
        {"n't a fit", MAIL_INTENT_NOT_INTERESTED, 3},
        {"n't a good fit", MAIL_INTENT_NOT_INTERESTED, 3},
        {"n't for us", MAIL_INTENT_NOT_INTERESTED, 3},
        {"zufrieden mit", MAIL_INTENT_NOT_INTERESTED, 2},
        {"anbieter zufrieden", MAIL_INTENT_NOT_INTERESTED, 3},
        {"gut versorgt", MAIL_INTENT_NOT_INTERESTED, 3},
        {"lösung zufrieden", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not for us", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we already use", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we already have", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we're already using", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we are already using", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we're happy with", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we are happy with", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we're all set", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we are all set", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we're good", MAIL_INTENT_NOT_INTERESTED, 2},
        {"not looking for", MAIL_INTENT_NOT_INTERESTED, 3},
        {"n't relevant", MAIL_INTENT_NOT_INTERESTED, 3},
        {"n't apply to", MAIL_INTENT_NOT_INTERESTED, 3},
        {"does not apply to", MAIL_INTENT_NOT_INTERESTED, 3},
        {"just signed with", MAIL_INTENT_NOT_INTERESTED, 3},
        {"build this in-house", MAIL_INTENT_NOT_INTERESTED, 3},
        {"build it in-house", MAIL_INTENT_NOT_INTERESTED, 3},
        {"do this in-house", MAIL_INTENT_NOT_INTERESTED, 3},
        {"handle this in-house", MAIL_INTENT_NOT_INTERESTED, 3},
        {"handled in-house", MAIL_INTENT_NOT_INTERESTED, 3},
        {"already signed with", MAIL_INTENT_NOT_INTERESTED, 3},
        {"n't have budget", MAIL_INTENT_NOT_INTERESTED, 3},
        {"n't have the budget", MAIL_INTENT_NOT_INTERESTED, 3},
        {"do not have budget", MAIL_INTENT_NOT_INTERESTED, 3},
        {"do not have the budget", MAIL_INTENT_NOT_INTERESTED, 3},
        {"kein budget", MAIL_INTENT_NOT_INTERESTED, 3},
        {"pas de budget", MAIL_INTENT_NOT_INTERESTED, 3},
        {"sin presupuesto", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no tenemos presupuesto", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non abbiamo budget", MAIL_INTENT_NOT_INTERESTED, 3},
        {"geen budget", MAIL_INTENT_NOT_INTERESTED, 3},
        {"brak budżetu", MAIL_INTENT_NOT_INTERESTED, 3},
        {"sem orçamento", MAIL_INTENT_NOT_INTERESTED, 3},
        {"locked into a contract", MAIL_INTENT_NOT_INTERESTED, 3},
        {"locked in a contract", MAIL_INTENT_NOT_INTERESTED, 3},
        {"under contract with", MAIL_INTENT_NOT_INTERESTED, 3},
        {"vertraglich gebunden", MAIL_INTENT_NOT_INTERESTED, 3},
        {"sous contrat", MAIL_INTENT_NOT_INTERESTED, 3},
        {"too small for this", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we're too small", MAIL_INTENT_NOT_INTERESTED, 3},
        {"we are too small", MAIL_INTENT_NOT_INTERESTED, 3},
        {"tried something similar", MAIL_INTENT_NOT_INTERESTED, 3},
        {"didn't work for us", MAIL_INTENT_NOT_INTERESTED, 3},
        /* not "no need to remove me": a need for this, not for that */
        {"no need,", MAIL_INTENT_NOT_INTERESTED, 2},
        {"no need.", MAIL_INTENT_NOT_INTERESTED, 2},
        {"no need for", MAIL_INTENT_NOT_INTERESTED, 2},
        {"have no need", MAIL_INTENT_NOT_INTERESTED, 2},
        {"don't need", MAIL_INTENT_NOT_INTERESTED, 2},
        {"do not need", MAIL_INTENT_NOT_INTERESTED, 2},
        {"we'll pass", MAIL_INTENT_NOT_INTERESTED, 3},
        {"i'll pass", MAIL_INTENT_NOT_INTERESTED, 3},
        {"pass on this", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no budget", MAIL_INTENT_NOT_INTERESTED, 2},
        {"went with a competitor", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non ci serve", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non mi serve", MAIL_INTENT_NOT_INTERESTED, 3},
        {"went with another", MAIL_INTENT_NOT_INTERESTED, 3},
        {"chose another", MAIL_INTENT_NOT_INTERESTED, 3},
        {"decided to go with", MAIL_INTENT_NOT_INTERESTED, 2},
        {"decided against", MAIL_INTENT_NOT_INTERESTED, 3},
        {"renewed with", MAIL_INTENT_NOT_INTERESTED, 3},
        {"built our own", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not looking to change", MAIL_INTENT_NOT_INTERESTED, 3},
        {"n't looking to change", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not in the market", MAIL_INTENT_NOT_INTERESTED, 3},
        {"close the file", MAIL_INTENT_NOT_INTERESTED, 3},
        {"anderen anbieter entschieden", MAIL_INTENT_NOT_INTERESTED, 3},
        {"brauchen wir nicht", MAIL_INTENT_NOT_INTERESTED, 3},
        {"choisi un autre", MAIL_INTENT_NOT_INTERESTED, 3},
        {"different direction", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not something we need", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not something we're looking for", MAIL_INTENT_NOT_INTERESTED, 3},
        {"hard pass", MAIL_INTENT_NOT_INTERESTED, 3},
        {"locked into a", MAIL_INTENT_NOT_INTERESTED, 2},
        {"ya trabajamos con", MAIL_INTENT_NOT_INTERESTED, 3},
        {"otro proveedor", MAIL_INTENT_NOT_INTERESTED, 2},
        {"ne m'intéresse pas", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not a priority", MAIL_INTENT_NOT_INTERESTED, 2},
        {"wasting my time", MAIL_INTENT_NOT_INTERESTED, 3},
        {"waste of time", MAIL_INTENT_NOT_INTERESTED, 3},
        {"waste my time", MAIL_INTENT_NOT_INTERESTED, 3},
        {"not relevant", MAIL_INTENT_NOT_INTERESTED, 3},
        {"kein interesse", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nicht interessiert", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nein danke", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nein, danke", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non merci", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non, merci", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no, thanks", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no grazie", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no, grazie", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nee, dank", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nee dank", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nie, dziękuję", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nie dziękuję", MAIL_INTENT_NOT_INTERESTED, 3},
        {"não, obrigad", MAIL_INTENT_NOT_INTERESTED, 3},
        {"não obrigad", MAIL_INTENT_NOT_INTERESTED, 3},
        {"kein bedarf", MAIL_INTENT_NOT_INTERESTED, 3},
        {"keinen bedarf", MAIL_INTENT_NOT_INTERESTED, 3},
        {"haben bereits", MAIL_INTENT_NOT_INTERESTED, 2},
        {"nutzen bereits", MAIL_INTENT_NOT_INTERESTED, 3},
        {"verwenden bereits", MAIL_INTENT_NOT_INTERESTED, 3},
        {"sind zufrieden", MAIL_INTENT_NOT_INTERESTED, 3},
        {"pas intéressé", MAIL_INTENT_NOT_INTERESTED, 3},
        {"pas intéressés", MAIL_INTENT_NOT_INTERESTED, 3},
        {"pas intéressée", MAIL_INTENT_NOT_INTERESTED, 3},
        {"pas besoin", MAIL_INTENT_NOT_INTERESTED, 2},
        {"nous avons déjà", MAIL_INTENT_NOT_INTERESTED, 2},
        {"utilisons déjà", MAIL_INTENT_NOT_INTERESTED, 3},
        {"ne nous intéresse pas", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no estoy interesad", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no estamos interesad", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no nos interesa", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no me interesa", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no gracias", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no, gracias", MAIL_INTENT_NOT_INTERESTED, 3},
        {"ya tenemos", MAIL_INTENT_NOT_INTERESTED, 2},
        {"ya usamos", MAIL_INTENT_NOT_INTERESTED, 3},
        {"no necesitamos", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non sono interessat", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non siamo interessati", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non ci interessa", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non mi interessa", MAIL_INTENT_NOT_INTERESTED, 3},
        {"abbiamo già", MAIL_INTENT_NOT_INTERESTED, 2},
        {"usiamo già", MAIL_INTENT_NOT_INTERESTED, 3},
        {"non abbiamo bisogno", MAIL_INTENT_NOT_INTERESTED, 3},
        {"geen interesse", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nee bedankt", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nee, bedankt", MAIL_INTENT_NOT_INTERESTED, 3},
        {"niet geïnteresseerd", MAIL_INTENT_NOT_INTERESTED, 3},
        {"niet geinteresseerd", MAIL_INTENT_NOT_INTERESTED, 3},
        {"hebben al", MAIL_INTENT_NOT_INTERESTED, 2},
        {"gebruiken al", MAIL_INTENT_NOT_INTERESTED, 3},
        {"geen behoefte", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nie jestem zainteresowan", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nie jesteśmy zainteresowani", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nie interesuje", MAIL_INTENT_NOT_INTERESTED, 3},
        {"już mamy", MAIL_INTENT_NOT_INTERESTED, 2},
        {"już używamy", MAIL_INTENT_NOT_INTERESTED, 3},
        {"nie potrzebujemy", MAIL_INTENT_NOT_INTERESTED, 3},
        {"não estou interessad", MAIL_INTENT_NOT_INTERESTED, 3},
        {"não estamos interessados", MAIL_INTENT_NOT_INTERESTED, 3},
        {"não temos interesse", MAIL_INTENT_NOT_INTERESTED, 3},
        {"não tenho interesse", MAIL_INTENT_NOT_INTERESTED, 3},
        {"já temos", MAIL_INTENT_NOT_INTERESTED, 2},
        {"mamy już", MAIL_INTENT_NOT_INTERESTED, 2},
        {"já usamos", MAIL_INTENT_NOT_INTERESTED, 3},
        {"não precisamos", MAIL_INTENT_NOT_INTERESTED, 3},
        /* meeting */
        {"a call", MAIL_INTENT_MEETING, 2},
        {"call me", MAIL_INTENT_MEETING, 2},
        {"phone call", MAIL_INTENT_MEETING, 2},
        {"quick call", MAIL_INTENT_MEETING, 2},
        {"a meeting", MAIL_INTENT_MEETING, 2},
        {"meet ", MAIL_INTENT_MEETING, 1},
        {"schedule", MAIL_INTENT_MEETING, 2},
        {"calendar", MAIL_INTENT_MEETING, 2},
        {"invite", MAIL_INTENT_MEETING, 1},
        {"invitation", MAIL_INTENT_MEETING, 2},
        {"einladung", MAIL_INTENT_MEETING, 2},
        {"invitación", MAIL_INTENT_MEETING, 2},
        {"invito", MAIL_INTENT_MEETING, 2},
        {"uitnodiging", MAIL_INTENT_MEETING, 2},
        {"zaproszenie", MAIL_INTENT_MEETING, 2},
        {"convite", MAIL_INTENT_MEETING, 2},
        {"a demo", MAIL_INTENT_MEETING, 2},
        {"15 min", MAIL_INTENT_MEETING, 2},
        {"20 min", MAIL_INTENT_MEETING, 2},
        {"30 min", MAIL_INTENT_MEETING, 2},
        {"zoom", MAIL_INTENT_MEETING, 2},
        {"teams", MAIL_INTENT_MEETING, 1},
        {"google meet", MAIL_INTENT_MEETING, 2},
        {"let's talk", MAIL_INTENT_MEETING, 2},
        {"let's chat", MAIL_INTENT_MEETING, 2},
        {"let's meet", MAIL_INTENT_MEETING, 2},
        {"happy to chat", MAIL_INTENT_MEETING, 2},
        {"happy to talk", MAIL_INTENT_MEETING, 2},
        {"how about", MAIL_INTENT_MEETING, 1},
        {"works for me", MAIL_INTENT_MEETING, 2},
        {"does that work", MAIL_INTENT_MEETING, 1},
        {"would work", MAIL_INTENT_MEETING, 1},
        {"available", MAIL_INTENT_MEETING, 1},
        {"free on", MAIL_INTENT_MEETING, 2},
        {"book a time", MAIL_INTENT_MEETING, 2},
        {"grab a slot", MAIL_INTENT_MEETING, 3},
        {"book a slot", MAIL_INTENT_MEETING, 3},
        {"pick a slot", MAIL_INTENT_MEETING, 3},
        {"grab a time", MAIL_INTENT_MEETING, 3},
        {"pick a time", MAIL_INTENT_MEETING, 3},
        {"calendly", MAIL_INTENT_MEETING, 2},
        {"termin", MAIL_INTENT_MEETING, 2},
        {"telefonat", MAIL_INTENT_MEETING, 2},
        {"anruf", MAIL_INTENT_MEETING, 2},
        {"gespräch", MAIL_INTENT_MEETING, 2},
        {"treffen", MAIL_INTENT_MEETING, 2},
        {"passt mir", MAIL_INTENT_MEETING, 2},
        {"passt es", MAIL_INTENT_MEETING, 2},
        {"telefonieren", MAIL_INTENT_MEETING, 3},
        {"podemos hablar", MAIL_INTENT_MEETING, 3},
        {"podríamos hablar", MAIL_INTENT_MEETING, 3},
        {"rufen sie mich", MAIL_INTENT_MEETING, 2},
        {"rendez-vous", MAIL_INTENT_MEETING, 2},
        {"un appel", MAIL_INTENT_MEETING, 2},
        {"réunion", MAIL_INTENT_MEETING, 2},
        {"disponible", MAIL_INTENT_MEETING, 1},
        {"créneau", MAIL_INTENT_MEETING, 2},
        {"appelez-moi", MAIL_INTENT_MEETING, 2},
        {"reunión", MAIL_INTENT_MEETING, 2},
        {"llamada", MAIL_INTENT_MEETING, 2},
        {"llámame", MAIL_INTENT_MEETING, 2},
        {"agendar", MAIL_INTENT_MEETING, 2},
        {"cita", MAIL_INTENT_MEETING, 1},
        {"chiamata", MAIL_INTENT_MEETING, 2},
        {"chiamami", MAIL_INTENT_MEETING, 2},
        {"riunione", MAIL_INTENT_MEETING, 2},
        {"incontro", MAIL_INTENT_MEETING, 2},
        {"disponibile", MAIL_INTENT_MEETING, 1},
        {"appuntamento", MAIL_INTENT_MEETING, 2},
        {"afspraak", MAIL_INTENT_MEETING, 2},
        {"bellen", MAIL_INTENT_MEETING, 2},
        {"gesprek", MAIL_INTENT_MEETING, 2},
        {"overleg", MAIL_INTENT_MEETING, 2},
        {"beschikbaar", MAIL_INTENT_MEETING, 1},
        {"spotkanie", MAIL_INTENT_MEETING, 2},
        {"spotkania", MAIL_INTENT_MEETING, 2},
        {"rozmowę", MAIL_INTENT_MEETING, 2},
        {"rozmowa", MAIL_INTENT_MEETING, 2},
        {"zadzwoń", MAIL_INTENT_MEETING, 2},
        {"zadzwonić", MAIL_INTENT_MEETING, 2},
        {"dostępny", MAIL_INTENT_MEETING, 1},
        {"dostępna", MAIL_INTENT_MEETING, 1},
        {"reunião", MAIL_INTENT_MEETING, 2},
        {"ligação", MAIL_INTENT_MEETING, 2},
        {"chamada", MAIL_INTENT_MEETING, 2},
        {"ligue-me", MAIL_INTENT_MEETING, 2},
        {"disponível", MAIL_INTENT_MEETING, 1},
        /* interested */
        {"interested", MAIL_INTENT_INTERESTED, 2},
        {"perfect timing", MAIL_INTENT_INTERESTED, 3},
        {"good timing", MAIL_INTENT_INTERESTED, 3},
        {"great timing", MAIL_INTENT_INTERESTED, 3},
        {"looking into this", MAIL_INTENT_INTERESTED, 3},
        {"looking for something like this", MAIL_INTENT_INTERESTED, 3},
        {"walk me through", MAIL_INTENT_INTERESTED, 3},
        {"next step", MAIL_INTENT_INTERESTED, 3},
        {"could be a fit", MAIL_INTENT_INTERESTED, 3},
        {"might be a fit", MAIL_INTENT_INTERESTED, 3},
        {"may be a fit", MAIL_INTENT_INTERESTED, 3},
        {"good fit", MAIL_INTENT_INTERESTED, 3},
        {"great fit", MAIL_INTENT_INTERESTED, 3},
        {"aligns with", MAIL_INTENT_INTERESTED, 2},
        {"evaluating", MAIL_INTENT_INTERESTED, 2},
        {"onboarding", MAIL_INTENT_INTERESTED, 2},
        {"free trial", MAIL_INTENT_INTERESTED, 2},
        {"integrations", MAIL_INTENT_INTERESTED, 2},
        {"price per", MAIL_INTENT_INTERESTED, 2},
        {"a quote", MAIL_INTENT_INTERESTED, 2},
        {"quote for", MAIL_INTENT_INTERESTED, 2},
        {"per seat", MAIL_INTENT_INTERESTED, 2},
        {"the deck", MAIL_INTENT_INTERESTED, 2},
        {"what would it take", MAIL_INTENT_INTERESTED, 2},
        {"suena bien", MAIL_INTENT_INTERESTED, 2},
        {"una proposta", MAIL_INTENT_INTERESTED, 2},
        {"mi invii", MAIL_INTENT_INTERESTED, 2},
        {"parece bom", MAIL_INTENT_INTERESTED, 2},
        {"mandar a proposta", MAIL_INTENT_INTERESTED, 2},
        {"enviar a proposta", MAIL_INTENT_INTERESTED, 2},
        {"uma proposta", MAIL_INTENT_INTERESTED, 2},
        {"wygląda ciekawie", MAIL_INTENT_INTERESTED, 3},
        {"versión de prueba", MAIL_INTENT_INTERESTED, 2},
        {"versão de teste", MAIL_INTENT_INTERESTED, 2},
        {"wersję demo", MAIL_INTENT_INTERESTED, 2},
        {"testversion", MAIL_INTENT_INTERESTED, 2},
        {"integrate with", MAIL_INTENT_INTERESTED, 2},
        {"do you support", MAIL_INTENT_INTERESTED, 2},
        {"open to learning more", MAIL_INTENT_INTERESTED, 3},
        {"open to a quick chat", MAIL_INTENT_MEETING, 2},
        {"open to a chat", MAIL_INTENT_MEETING, 2},
        {"open to a call", MAIL_INTENT_MEETING, 2},
        {"open to a quick call", MAIL_INTENT_MEETING, 2},
        {"open to chatting", MAIL_INTENT_MEETING, 2},
        {"interesting", MAIL_INTENT_INTERESTED, 2},
        {"sounds good", MAIL_INTENT_INTERESTED, 2},
        {"relevant", MAIL_INTENT_INTERESTED, 2},
        {"sounds great", MAIL_INTENT_INTERESTED, 2},
        {"tell me more", MAIL_INTENT_INTERESTED, 3},
        {"more info", MAIL_INTENT_INTERESTED, 3},
        {"more details", MAIL_INTENT_INTERESTED, 3},
        {"send me", MAIL_INTENT_INTERESTED, 2},
        {"send over", MAIL_INTENT_INTERESTED, 2},
        {"pricing", MAIL_INTENT_INTERESTED, 2},
        {"how much", MAIL_INTENT_INTERESTED, 2},
        {"learn more", MAIL_INTENT_INTERESTED, 3},
        {"curious", MAIL_INTENT_INTERESTED, 2},
        {"keen", MAIL_INTENT_INTERESTED, 2},
        {"love to hear", MAIL_INTENT_INTERESTED, 2},
        {"case study", MAIL_INTENT_INTERESTED, 2},
        {"customer references", MAIL_INTENT_INTERESTED, 3},
        {"references", MAIL_INTENT_INTERESTED, 2},
        {"yes please", MAIL_INTENT_INTERESTED, 2},
        {"interessant", MAIL_INTENT_INTERESTED, 2},
        {"interesse", MAIL_INTENT_INTERESTED, 2},
        {"mehr informationen", MAIL_INTENT_INTERESTED, 3},
        {"preventivo", MAIL_INTENT_INTERESTED, 3},
        {"mandar uma proposta", MAIL_INTENT_INTERESTED, 3},
        {"enviar uma proposta", MAIL_INTENT_INTERESTED, 3},
        {"klingt spannend", MAIL_INTENT_INTERESTED, 3},
        {"was kostet", MAIL_INTENT_INTERESTED, 3},
        {"wie viel kostet", MAIL_INTENT_INTERESTED, 3},
        {"ça m'intéresse", MAIL_INTENT_INTERESTED, 3},
        {"m'envoyer", MAIL_INTENT_INTERESTED, 2},
        {"une documentation", MAIL_INTENT_INTERESTED, 2},
        {"ca m'interesse", MAIL_INTENT_INTERESTED, 3},
        {"cela m'intéresse", MAIL_INTENT_INTERESTED, 3},
        {"mehr infos", MAIL_INTENT_INTERESTED, 3},
        {"schicken sie mir", MAIL_INTENT_INTERESTED, 2},
        {"senden sie mir", MAIL_INTENT_INTERESTED, 2},
        {"preise", MAIL_INTENT_INTERESTED, 2},
        {"klingt gut", MAIL_INTENT_INTERESTED, 2},
        {"intéressé", MAIL_INTENT_INTERESTED, 2},
        {"intéressant", MAIL_INTENT_INTERESTED, 2},
        {"plus d'informations", MAIL_INTENT_INTERESTED, 3},
        {"plus d'infos", MAIL_INTENT_INTERESTED, 3},
        {"envoyez-moi", MAIL_INTENT_INTERESTED, 2},
        {"tarifs", MAIL_INTENT_INTERESTED, 2},
        {"interesad", MAIL_INTENT_INTERESTED, 2},
        {"interesante", MAIL_INTENT_INTERESTED, 2},
        {"más información", MAIL_INTENT_INTERESTED, 3},
        {"envíame", MAIL_INTENT_INTERESTED, 2},
        {"envíeme", MAIL_INTENT_INTERESTED, 2},
        {"precios", MAIL_INTENT_INTERESTED, 2},
        {"interessat", MAIL_INTENT_INTERESTED, 2},
        {"interessante", MAIL_INTENT_INTERESTED, 2},
        {"mi interessa", MAIL_INTENT_INTERESTED, 3},
        {"ci interessa", MAIL_INTENT_INTERESTED, 3},
        {"maggiori informazioni", MAIL_INTENT_INTERESTED, 3},
        {"più informazioni", MAIL_INTENT_INTERESTED, 3},
        {"inviami", MAIL_INTENT_INTERESTED, 2},
        {"prezzi", MAIL_INTENT_INTERESTED, 2},
        {"geïnteresseerd", MAIL_INTENT_INTERESTED, 2},
        {"geinteresseerd", MAIL_INTENT_INTERESTED, 2},
        {"meer informatie", MAIL_INTENT_INTERESTED, 3},
        {"meer info", MAIL_INTENT_INTERESTED, 3},
        {"stuur me", MAIL_INTENT_INTERESTED, 2},
        {"prijzen", MAIL_INTENT_INTERESTED, 2},
        {"zainteresowan", MAIL_INTENT_INTERESTED, 2},
        {"interesujące", MAIL_INTENT_INTERESTED, 2},
        {"ciekawe", MAIL_INTENT_INTERESTED, 2},
        {"brzmi ciekawie", MAIL_INTENT_INTERESTED, 3},
        {"proszę o ofertę", MAIL_INTENT_INTERESTED, 3},
        {"więcej informacji", MAIL_INTENT_INTERESTED, 3},
        {"proszę przesłać", MAIL_INTENT_INTERESTED, 2},
        {"cennik", MAIL_INTENT_INTERESTED, 2},
        {"interessad", MAIL_INTENT_INTERESTED, 2},
        {"mais informações", MAIL_INTENT_INTERESTED, 3},
        {"envie-me", MAIL_INTENT_INTERESTED, 2},
        {"preços", MAIL_INTENT_INTERESTED, 2},
};

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
        "aktuell",
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
        "vorerst",
        "fürs erste",
        "pour l'instant",
        "for the time being",
        "for the moment",
        "por el momento",
        "per il momento",
        "voorlopig",
};

/* Words that turn a cue around when they stand just before it. */
static const char *const negations[] = {
        "not ", "n't ",  "no ",   "never ", "nicht ", "kein ", "keine ", "pas ", "ne ",
        "non ", "niet ", "geen ", "nie ",   "não ",   "nao ",  "sin ",   "ni ",  "without ",
};

/* A sentence with these is a footer or a question about a link, not a
 * request: "To unsubscribe from our newsletter, click here". */
static const char *const footer_words[] = {
        "click",
        "http",
        "link",
        "if you no longer",
        "if you wish",
        "to unsubscribe from",
        "you can unsubscribe",
        "preferences",
        "newsletter",
        "klicken",
        "cliquez",
        "haga clic",
        "fai clic",
        "klik",
        "kliknij",
        "clique",
};

/* A question with an opt-out word in it is about how opt-outs work when
 * it speaks of others or of our product ("Does your tool let our
 * customers unsubscribe?", "How do you handle opt-outs for our
 * contacts?"): no request of the writer's. */
static const char *const others_and_product_words[] = {
        "customers",      "clients",      "contacts",     "recipients",    "subscribers",
        "users",          "your tool",    "your product", "your platform", "your software",
        "your system",    "your service", "tools",        "how do you",    "do you handle",
        "is there a way", "kunden",       "kontakte",     "empfänger",     "abonnenten",
        "clientes",       "contactos",    "clienti",      "contatti",      "klanten",
        "klientów",       "kontaktów",    "contatos",
};

/* A "not now" that says it will not be later either. */
static const char *const never_later_words[] = {
        "don't expect to be", "do not expect to be", "nor in the future",
        "not now or ever",    "not now, not ever",   "or in the future",
};

/* A body that is nothing but one of these is a no. */
static const char *const bare_no_words[] = {
        "no", "nope", "pass", "never", "nein", "non", "nee", "nie", "não", "no gracias",
};

/* A subject or a body that is nothing but one of these asks to stop. */
static const char *const bare_stop_words[] = {
        "unsubscribe",  "remove",      "stop",         "remove me",  "abmelden",      "austragen",
        "désabonner",   "désinscrire", "baja",         "cancellami", "cancellazione", "afmelden",
        "uitschrijven", "wypisz",      "descadastrar", "remover",    "stopp",
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

/* The sentence around @at: from the last ".", "!", "?" before it to the
 * next one. */
static char *
sentence_at(const char *text, const char *at)
{
	const char *start = at, *end = at;
	while (start > text && !strchr(".!?", start[-1]))
		start--;
	while (*end != '\0' && !strchr(".!?", *end))
		end++;
	return g_strndup(start, (gsize)(end - start));
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
	for (gsize i = 0; i < G_N_ELEMENTS(third_parties); i++) {
		gsize n = strlen(third_parties[i]);
		if (strncmp(after, third_parties[i], n) == 0 && !word_byte(after[n]))
			return true;
	}
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

/* Where @cue stands in @text as it is meant: at a word start, not turned
 * around by a negation (for the intents a "not" reverses), not in a
 * footer (for unsubscribe). NULL when nowhere. */
static bool cue_counts(const char *text, const char *at, const Cue *cue);

/* Where @cue stands in @text (a short one: a subject) as it is meant,
 * or NULL. */
static const char *
find_cue(const char *text, const Cue *cue)
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
	for (gsize i = 0; i < n_words; i++)
		if (strcmp(copy, words[i]) == 0)
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

/* A subject that is a request to stop: "unsubscribe", "Bitte austragen". */
static bool
subject_asks_to_stop(const char *topic)
{
	if (is_bare_stop(topic))
		return true;
	for (gsize i = 0; i < G_N_ELEMENTS(cues); i++)
		if (cues[i].intent == MAIL_INTENT_UNSUBSCRIBE && find_cue(topic, &cues[i]) != NULL)
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
        "monday",    "tuesday",    "wednesday",  "thursday",  "friday",  "montag",   "dienstag",
        "mittwoch",  "donnerstag", "freitag",    "lundi",     "mardi",   "mercredi", "jeudi",
        "vendredi",  "lunes",      "martes",     "miércoles", "jueves",  "viernes",  "lunedì",
        "martedì",   "mercoledì",  "giovedì",    "venerdì",   "maandag", "dinsdag",  "woensdag",
        "donderdag", "vrijdag",    "poniedział", "wtorek",    "środ",    "czwartek", "piątek",
        "segunda",   "terça",      "quarta",     "quinta",    "sexta",   "tomorrow", "morgen",
        "demain",    "mañana",     "domani",     "jutro",     "amanhã",
};

char *
mail_intent_find_referral(const char *text, const char *sender)
{
	for (const char *at = strchr(text, '@'); at != NULL; at = strchr(at + 1, '@')) {
		const char *start = at, *end = at + 1;
		while (start > text && (g_ascii_isalnum(start[-1]) || strchr("._%+-", start[-1])))
			start--;
		while (g_ascii_isalnum(*end) || *end == '.' || *end == '-')
			end++;
		while (end > at + 1 && end[-1] == '.')
			end--;
		if (start == at || memchr(at + 1, '.', (gsize)(end - at - 1)) == NULL)
			continue;
		g_autofree char *address = g_strndup(start, (gsize)(end - start));
		if (sender == NULL || g_ascii_strcasecmp(address, sender) != 0)
			return g_steal_pointer(&address);
	}
	return NULL;
}

typedef struct {
	int score[MAIL_INTENT_COUNT];
	bool not_yet; /* a "no" with a time qualifier beside it: "not interested right now" */
	int dated;    /* the weight of the cues that need a date ("try again"), not yet scored */
	bool stop_for_another; /* "unsubscribe my colleague": no one to refer to */
	bool stop_for_now;     /* "take us off your list for now": a pause, with a date */
	const char *sender;    /* the writer's address (lower case), or NULL */
	GString *evidence;
} Scores;

/* The cues by their first byte, built once: the text is walked once and
 * each word start compared with the few cues that can begin there. */
typedef struct {
	GArray *by_byte[256]; /* guint16 indexes into cues */
	gsize length[G_N_ELEMENTS(cues)];
} CueIndex;

static gpointer
build_cue_index(gpointer data)
{
	CueIndex *index = data;
	for (gsize i = 0; i < G_N_ELEMENTS(cues); i++) {
		guchar first = (guchar)cues[i].phrase[0];
		if (index->by_byte[first] == NULL)
			index->by_byte[first] = g_array_new(FALSE, FALSE, sizeof(guint16));
		guint16 at = (guint16)i;
		g_array_append_val(index->by_byte[first], at);
		index->length[i] = strlen(cues[i].phrase);
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

/* Whether the cue found at @at counts: not turned around by a negation
 * (for the intents a "not" reverses, and "don't try again"), not in a
 * footer (for unsubscribe). */
static bool
cue_counts(const char *text, const char *at, const Cue *cue)
{
	bool reversible = cue->intent == MAIL_INTENT_INTERESTED ||
	                  cue->intent == MAIL_INTENT_UNSUBSCRIBE ||
	                  cue->intent == MAIL_INTENT_MEETING || cue->weight < 0;
	if (reversible && negated(text, at))
		return false;
	if (cue->intent == MAIL_INTENT_UNSUBSCRIBE) {
		g_autofree char *sentence = sentence_at(text, at);
		if (mail_classify_has_any(sentence, footer_words, G_N_ELEMENTS(footer_words)))
			return false;
		if (ends_in_question(at) &&
		    mail_classify_has_any(sentence, others_and_product_words,
		                          G_N_ELEMENTS(others_and_product_words)))
			return false;
	}
	return true;
}

static void
score_text(const char *text, Scores *scores)
{
	const CueIndex *index = cue_index();
	bool seen[G_N_ELEMENTS(cues)] = {false};
	for (const char *p = text; *p != '\0'; p++) {
		bool start = !after_word(text, p) || !word_byte(*p);
		bool contraction = p[0] == 'n' && p[1] == '\'';
		const GArray *candidates = index->by_byte[(guchar)*p];
		if ((!start && !contraction) || candidates == NULL)
			continue;
		for (guint k = 0; k < candidates->len; k++) {
			guint16 i = g_array_index(candidates, guint16, k);
			const Cue *cue = &cues[i];
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
			if (!cue_counts(text, p, cue))
				continue;
			seen[i] = true;
			if (cue->weight < 0) {
				scores->dated = MAX(scores->dated, -cue->weight);
				continue;
			}
			if (scores->score[cue->intent] >= 6)
				continue;
			if (cue->intent == MAIL_INTENT_UNSUBSCRIBE && !scores->stop_for_now) {
				g_autofree char *sentence = sentence_at(text, p);
				scores->stop_for_now = mail_classify_has_any(
				        sentence, time_qualifiers, G_N_ELEMENTS(time_qualifiers));
			}
			if (cue->intent == MAIL_INTENT_NOT_INTERESTED && !scores->not_yet) {
				g_autofree char *sentence = sentence_at(text, p);
				scores->not_yet = mail_classify_has_any(
				        sentence, time_qualifiers, G_N_ELEMENTS(time_qualifiers));
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
		*confidence = interest + meeting > 2 ? 55 : 90;
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

MailIntentResult *
mail_intent_read(const char *text, const char *subject, const char *sender, GDateTime *sent)
{
	MailIntentResult *result = g_new0(MailIntentResult, 1);
	g_autofree char *written = dup_without_button_lines(text != NULL ? text : "");
	text = written;
	g_autofree char *body = fold(text);
	g_autofree char *subject_folded = fold(subject != NULL ? subject : "");
	const char *topic = strip_subject(subject_folded);
	g_autofree char *writer = sender != NULL ? g_ascii_strdown(sender, -1) : NULL;
	Scores scores = {.evidence = g_string_new(NULL), .sender = writer};
	score_text(body, &scores);
	if (scores.not_yet &&
	    mail_classify_has_any(body, never_later_words, G_N_ELEMENTS(never_later_words)))
		scores.not_yet = false;
	/* "Unsubscribe" as the subject of an empty reply, or as all of it.
	 * After a "Re:" the subject is ours, unless it is the request alone
	 * ("Re: unsubscribe"): "Re: Stop sending invoices by hand" over
	 * "Sounds good!" asks for nothing of the kind. */
	bool bare = is_bare_stop(body) || first_line_is_bare_stop(text != NULL ? text : "");
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
	if (is_bare(body, bare_no_words, G_N_ELEMENTS(bare_no_words))) {
		scores.score[MAIL_INTENT_NOT_INTERESTED] += 3;
		g_string_append_printf(scores.evidence, "%sa bare no",
		                       scores.evidence->len > 0 ? ", " : "");
	}
	/* Days and times back a meeting. */
	if (has_clock_time(body))
		scores.score[MAIL_INTENT_MEETING] += 1;
	if (mail_classify_has_any(body, weekdays, G_N_ELEMENTS(weekdays)))
		scores.score[MAIL_INTENT_MEETING] += 1;

	/* The address in "unsubscribe bob@corp.example" is no colleague to
	 * write to instead. */
	g_autofree char *referral = scores.stop_for_another || asks_to_remove_another(body, writer)
	                                    ? NULL
	                                    : mail_intent_find_referral(body, sender);
	GDate *today = NULL;
	if (sent != NULL)
		today = g_date_new_dmy((GDateDay)g_date_time_get_day_of_month(sent),
		                       (GDateMonth)g_date_time_get_month(sent),
		                       (GDateYear)g_date_time_get_year(sent));
	/* A date matters only beside a "later" cue (the rarer case). */
	g_autofree char *date =
	        today != NULL && (scores.score[MAIL_INTENT_LATER] > 0 || scores.not_yet ||
	                          scores.dated > 0 || scores.stop_for_now)
	                ? mail_intent_date_find(body, today)
	                : NULL;
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
