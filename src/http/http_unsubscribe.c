/* One-click unsubscribe: the page and the POST. */
#include "http/http_unsubscribe.h"

#include "app/app_error.h"
#include "app/app_unsubscribe.h"
#include "engine/engine_links.h"

#include <string.h>

typedef struct {
	const char *language;
	const char *title;
	const char *question;
	const char *button;
	const char *done;
} Words;

static const Words words[] = {
        {"en", "Unsubscribe", "Stop receiving these emails?", "Unsubscribe",
         "You are unsubscribed: no more emails will come from us."},
        {"de", "Abmelden", "Keine weiteren E-Mails dieser Art erhalten?", "Abmelden",
         "Sie sind abgemeldet: Sie erhalten keine weiteren E-Mails von uns."},
        {"fr", "Se désabonner", "Ne plus recevoir ces e-mails ?", "Se désabonner",
         "Vous êtes désabonné : vous ne recevrez plus d'e-mails de notre part."},
        {"es", "Darse de baja", "¿Dejar de recibir estos correos?", "Darse de baja",
         "Se ha dado de baja: no recibirá más correos nuestros."},
        {"it", "Disiscriviti", "Non ricevere più queste email?", "Disiscriviti",
         "Disiscrizione fatta: non riceverai altre email da noi."},
        {"nl", "Afmelden", "Deze e-mails niet meer ontvangen?", "Afmelden",
         "U bent afgemeld: u ontvangt geen e-mails meer van ons."},
        {"pl", "Wypisz się", "Nie chcesz już otrzymywać tych wiadomości?", "Wypisz mnie",
         "Wypisano: nie otrzymasz od nas więcej wiadomości."},
        {"pt", "Cancelar inscrição", "Deixar de receber estes e-mails?", "Cancelar inscrição",
         "Inscrição cancelada: não receberá mais e-mails nossos."},
};

/* The first language of @header (RFC 9110 Accept-Language, in the order
 * written; weights are not weighed) that we have; English otherwise. */
static const Words *
words_for(const char *header)
{
	g_auto(GStrv) ranges = g_strsplit(header != NULL ? header : "", ",", 16);
	for (guint i = 0; ranges[i] != NULL; i++) {
		g_strstrip(ranges[i]);
		for (gsize w = 0; w < G_N_ELEMENTS(words); w++)
			if (g_ascii_strncasecmp(ranges[i], words[w].language, 2) == 0 &&
			    (ranges[i][2] == '\0' || ranges[i][2] == '-' || ranges[i][2] == ';'))
				return &words[w];
	}
	return &words[0];
}

/* A page of @w's language saying @text, with the button when @button. */
static void
page(HttpExchange *x, const Words *w, const char *text, bool button)
{
	g_autofree char *form =
	        button ? g_strdup_printf("<form method=\"post\"><input type=\"hidden\" "
	                                 "name=\"List-Unsubscribe\" value=\"One-Click\">"
	                                 "<button type=\"submit\">%s</button></form>",
	                                 w->button)
	               : g_strdup("");
	x->answer_type = "text/html; charset=utf-8";
	x->answer_text = g_strdup_printf(
	        "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	        "<meta name=\"viewport\" content=\"width=device-width\">"
	        "<meta name=\"robots\" content=\"noindex\"><title>%s</title></head>\n"
	        "<body style=\"font-family:sans-serif;max-width:30em;margin:4em auto\">"
	        "<p>%s</p>%s</body></html>\n",
	        w->language, w->title, text, form);
}

void
http_unsubscribe_page(HttpExchange *x)
{
	const Words *w = words_for(x->accept_language);
	int64_t enrollment_id = 0;
	if (!engine_links_unsubscribe_check(x->links_key, x->param[0], &enrollment_id)) {
		x->error = g_error_new_literal(APP_ERROR, APP_ERROR_NOT_FOUND,
		                               "this unsubscribe link is not one of ours");
		return;
	}
	page(x, w, w->question, true);
}

void
http_unsubscribe_post(HttpExchange *x)
{
	GError *error = NULL;
	if (!app_unsubscribe_one_click(x->store, x->links_key, x->param[0], x->now_us, NULL,
	                               &error)) {
		/* Not ours: not found, as for a page that is not there. */
		if (g_error_matches(error, APP_ERROR, APP_ERROR_DENIED))
			error->code = APP_ERROR_NOT_FOUND;
		x->error = error;
		return;
	}
	const Words *w = words_for(x->accept_language);
	page(x, w, w->done, false);
}
