/* The words of machines' notifications (mail_classify.c): phrases of
 * shops, billing systems, phone systems, event tools and social networks
 * that a person answering a message does not write. */
#include "mail/mail_notification_words.h"

static const char *const notification_body[] = {
        /* an order on its way */
        "your order has shipped",
        "has shipped and is on its way",
        "track your package",
        "track your order",
        "tracking number:",
        "ihre bestellung wurde versandt",
        "sendungsverfolgung",
        "votre commande a été expédiée",
        "suivre votre colis",
        "su pedido ha sido enviado",
        "tu pedido ha sido enviado",
        "seguimiento del envío",
        "il tuo ordine è stato spedito",
        "traccia la spedizione",
        "je bestelling is verzonden",
        "uw bestelling is verzonden",
        "volg je pakket",
        "twoje zamówienie zostało wysłane",
        "śledź przesyłkę",
        "seu pedido foi enviado",
        "rastreie seu pedido",
        /* an invoice */
        "please find attached your invoice",
        "find attached your invoice",
        "amount due:",
        "anbei erhalten sie ihre rechnung",
        "veuillez trouver ci-joint votre facture",
        "adjuntamos su factura",
        "in allegato la fattura",
        "bijgevoegd vindt u uw factuur",
        "w załączeniu przesyłamy fakturę",
        "segue em anexo sua fatura",
        /* a phone system's */
        "you have a new voicemail",
        "new voicemail from",
        "missed call from",
        "neue sprachnachricht",
        "nouveau message vocal",
        "nuevo mensaje de voz",
        "nuovo messaggio vocale",
        "nieuw voicemailbericht",
        "nowa wiadomość głosowa",
        "nova mensagem de voz",
        /* an event tool's reminder */
        "this is a reminder that",
        "join webinar",
        "join the webinar",
        "you registered for this",
        "you are registered for",
        /* a help desk's closing */
        "has been closed. if you need further help",
        "your ticket has been closed",
        "how would you rate our support",
        /* a social network's invitation */
        "wants to connect",
        "join your professional network",
        "has invited you to collaborate",
        "shared a document with you",
};

const MailWordList mail_notification_body = MAIL_WORD_LIST(notification_body);
