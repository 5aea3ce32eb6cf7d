#include "mail/mail_booking.h"

#include "mail/mail_private.h"
#include "mail/mail_referral.h"

#include <string.h>

/* A booking said in a notice's subject, in the tools' words. */
static const char *const booking_subjects[] = {
        "new event:",          "new event scheduled",  "new booking",
        "new appointment",     "appointment booked",   "appointment scheduled",
        "booked a meeting",    "booked a time",        "has booked",
        "meeting booked",      "new meeting booked",   "event scheduled",
        "neuer termin",        "neue buchung",         "termin gebucht",
        "nouveau rendez-vous", "nouvelle réservation", "nouvel événement",
        "nueva cita",          "nueva reserva",        "nuevo evento",
        "nuova prenotazione",  "nuovo appuntamento",   "nieuwe afspraak",
        "nieuwe boeking",      "nowa rezerwacja",      "nowe spotkanie",
        "novo agendamento",    "nova reserva",
};

/* A booking undone: no meeting to speak of. */
static const char *const undone_words[] = {
        "cancel",   "canceled", "cancelled",   "abgesagt", "storniert", "annul",
        "cancelad", "annullat", "geannuleerd", "odwołan",  "anulowan",
};

/* The words a notice's text says the booking in, beside the invitee. */
static const char *const booking_words[] = {
        "scheduled", "booked",   "invitee",     "booking",     "appointment", "gebucht",
        "buchung",   "réserv",   "rendez-vous", "reserv",      "prenotat",    "geboekt",
        "afspraak",  "zarezerw", "agendad",     "agendamento",
};

/* The domain of @headers' field @name ("@calendly.com"), or NULL. */
static char *
dup_domain_of(const MailHeaders *headers, const char *name)
{
	g_autofree char *address = mail_headers_dup_address(headers, name);
	const char *at = address != NULL ? strrchr(address, '@') : NULL;
	return at != NULL ? g_ascii_strdown(at, -1) : NULL;
}

char *
mail_booking_invitee(const MailMessage *message, const char *head)
{
	const MailHeaders *headers = mail_message_get_headers(message);
	g_autofree char *subject_raw = mail_classify_dup_subject(headers);
	if (subject_raw == NULL || head == NULL)
		return NULL;
	g_autofree char *subject = mail_classify_dup_lower(subject_raw, -1);
	if (!mail_classify_has_any(subject, booking_subjects, G_N_ELEMENTS(booking_subjects)) ||
	    mail_classify_has_any(subject, undone_words, G_N_ELEMENTS(undone_words)))
		return NULL;
	if (!mail_classify_has_any(head, booking_words, G_N_ELEMENTS(booking_words)))
		return NULL;
	g_autoptr(GPtrArray) except = mail_headers_dup_addresses(headers, "To");
	g_autoptr(GPtrArray) copied = mail_headers_dup_addresses(headers, "Cc");
	for (guint i = 0; i < copied->len; i++)
		g_ptr_array_add(except, g_strdup(copied->pdata[i]));
	g_ptr_array_add(except, NULL);
	g_autofree char *tool = dup_domain_of(headers, "From");
	/* The tool's own addresses (support@, its sender) are no invitee. */
	for (const char *from = head; *from != '\0';) {
		g_autofree char *found =
		        mail_referral_find_except(from, (const char *const *)except->pdata);
		if (found == NULL)
			return NULL;
		const char *at = strrchr(found, '@');
		if (tool == NULL || g_ascii_strcasecmp(at, tool) != 0)
			return g_ascii_strdown(found, -1);
		const char *next = strstr(from, found);
		if (next == NULL)
			return NULL;
		from = next + strlen(found);
	}
	return NULL;
}
