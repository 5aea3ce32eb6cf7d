#include "mail/mail_ses.h"

#include "mail/mail_address.h"

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#define MAX_RECIPIENTS 100
/* A notification names a few recipients and our message's headers: far
 * less than this. */
#define MAX_NOTIFICATION_BYTES ((gsize)256 * 1024)

static void
recipient_free(gpointer data)
{
	MailSesRecipient *recipient = data;
	g_free(recipient->address);
	g_free(recipient->status);
	g_free(recipient->diagnostic);
	g_free(recipient);
}

void
mail_ses_notification_free(MailSesNotification *notification)
{
	if (notification == NULL)
		return;
	g_free(notification->bounce_type);
	g_free(notification->bounce_subtype);
	g_free(notification->feedback_type);
	g_ptr_array_unref(notification->recipients);
	g_free(notification->message_id);
	g_free(notification);
}

/* The text with a relay's long-line splits ("!", a line end, a space)
 * undone: the JSON as SNS wrote it. */
static GString *
unsplit(const char *text, gsize length)
{
	GString *joined = g_string_sized_new(length);
	for (gsize i = 0; i < length; i++) {
		if (text[i] == '!' && i + 2 < length && text[i + 1] == '\n' && text[i + 2] == ' ') {
			i += 2;
			continue;
		}
		if (text[i] == '!' && i + 3 < length && text[i + 1] == '\r' &&
		    text[i + 2] == '\n' && text[i + 3] == ' ') {
			i += 3;
			continue;
		}
		g_string_append_c(joined, text[i]);
	}
	return joined;
}

/* A string member of @object, copied, or NULL. */
static char *
dup_member(const json_t *object, const char *name)
{
	const char *value = json_string_value(json_object_get(object, name));
	return value != NULL ? g_strdup(value) : NULL;
}

/* Adds the recipient @address names (a bare address, or "Name <a@b>"),
 * when it is a valid one. */
static void
add_recipient(MailSesNotification *notification, const char *address, const char *status,
              const char *diagnostic)
{
	if (address == NULL || notification->recipients->len >= MAX_RECIPIENTS)
		return;
	const char *open = strrchr(address, '<');
	g_autofree char *bare = open != NULL ? g_strndup(open, strcspn(open, ">") + 1) : NULL;
	char *normal = mail_address_normalize(bare != NULL ? bare : address, NULL);
	if (normal == NULL)
		return;
	MailSesRecipient *recipient = g_new0(MailSesRecipient, 1);
	recipient->address = normal;
	recipient->status =
	        status != NULL ? g_strndup(status, strspn(status, "0123456789.")) : NULL;
	/* One line: a diagnostic is read, logged and shown, never split. */
	recipient->diagnostic =
	        diagnostic != NULL ? g_strdelimit(g_strdup(diagnostic), "\r\n", ' ') : NULL;
	g_ptr_array_add(notification->recipients, recipient);
}

static void
read_bounce(const json_t *bounce, MailSesNotification *notification)
{
	notification->bounce_type = dup_member(bounce, "bounceType");
	notification->bounce_subtype = dup_member(bounce, "bounceSubType");
	size_t i;
	const json_t *one;
	json_array_foreach(json_object_get(bounce, "bouncedRecipients"), i, one)
	        add_recipient(notification, json_string_value(json_object_get(one, "emailAddress")),
	                      json_string_value(json_object_get(one, "status")),
	                      json_string_value(json_object_get(one, "diagnosticCode")));
}

static void
read_complaint(const json_t *complaint, MailSesNotification *notification)
{
	notification->feedback_type = dup_member(complaint, "complaintFeedbackType");
	size_t i;
	const json_t *one;
	json_array_foreach(json_object_get(complaint, "complainedRecipients"), i, one)
	        add_recipient(notification, json_string_value(json_object_get(one, "emailAddress")),
	                      NULL, NULL);
}

static void
read_delivery(const json_t *delivery, MailSesNotification *notification)
{
	size_t i;
	const json_t *one;
	json_array_foreach(json_object_get(delivery, "recipients"), i, one)
	        add_recipient(notification, json_string_value(one), NULL, NULL);
}

/* The Message-ID of the message @mail describes (its common headers', else
 * its headers' Message-ID), without <>; NULL when none or not one token. */
static char *
dup_message_id(const json_t *mail)
{
	const char *id = json_string_value(
	        json_object_get(json_object_get(mail, "commonHeaders"), "messageId"));
	size_t i;
	const json_t *header;
	json_array_foreach(json_object_get(mail, "headers"), i, header)
	{
		const char *name = json_string_value(json_object_get(header, "name"));
		if (id == NULL && name != NULL && g_ascii_strcasecmp(name, "Message-ID") == 0)
			id = json_string_value(json_object_get(header, "value"));
	}
	if (id == NULL)
		return NULL;
	g_autofree char *bare = g_strstrip(g_strdup(id));
	gsize n = strlen(bare);
	if (n >= 2 && bare[0] == '<' && bare[n - 1] == '>') {
		bare[n - 1] = '\0';
		memmove(bare, bare + 1, n - 1);
	}
	/* One token of printable ASCII, as a Message-ID is. */
	if (bare[0] == '\0' || strlen(bare) > 998)
		return NULL;
	for (const char *p = bare; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>')
			return NULL;
	return g_steal_pointer(&bare);
}

MailSesNotification *
mail_ses_notification_read(const char *text)
{
	if (text == NULL)
		return NULL;
	const char *start = text + strspn(text, " \t\r\n");
	/* Most mail stops here, before anything is copied or parsed. */
	if (start[0] != '{')
		return NULL;
	gsize length = strnlen(start, MAX_NOTIFICATION_BYTES);
	g_autofree char *bounded = g_strndup(start, length);
	if (strstr(bounded, "\"notificationType\"") == NULL &&
	    strstr(bounded, "\"eventType\"") == NULL)
		return NULL;
	g_autoptr(GString) json_text = unsplit(bounded, length);
	/* The notification is followed by SNS's footer ("--\nIf you wish to
	 * stop receiving notifications ..."): read the object alone. */
	json_t *root = json_loadb(json_text->str, json_text->len, JSON_DISABLE_EOF_CHECK, NULL);
	if (root == NULL)
		return NULL;
	const char *type = json_string_value(json_object_get(root, "notificationType"));
	if (type == NULL)
		type = json_string_value(json_object_get(root, "eventType"));
	MailSesNotification *notification = NULL;
	if (type == NULL)
		goto out;
	notification = g_new0(MailSesNotification, 1);
	notification->recipients = g_ptr_array_new_with_free_func(recipient_free);
	if (strcmp(type, "Bounce") == 0) {
		notification->kind = MAIL_SES_BOUNCE;
		read_bounce(json_object_get(root, "bounce"), notification);
	} else if (strcmp(type, "Complaint") == 0) {
		notification->kind = MAIL_SES_COMPLAINT;
		read_complaint(json_object_get(root, "complaint"), notification);
	} else if (strcmp(type, "Delivery") == 0) {
		notification->kind = MAIL_SES_DELIVERY;
		read_delivery(json_object_get(root, "delivery"), notification);
	} else {
		g_clear_pointer(&notification, mail_ses_notification_free);
		goto out;
	}
	notification->message_id = dup_message_id(json_object_get(root, "mail"));
out:
	json_decref(root);
	return notification;
}
