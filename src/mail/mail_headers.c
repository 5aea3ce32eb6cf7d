#include "mail/mail_headers.h"

#include <gmime/gmime.h>
#include <string.h>

#define MAX_FIELDS      1000
#define MAX_FIELD_BYTES ((gsize)64 * 1024)

typedef struct {
	char *name;
	gsize name_length;
	char *value; /* unfolded, raw bytes */
} Field;

struct MailHeaders {
	GArray *fields; /* Field */
};

static void
field_clear(gpointer data)
{
	Field *field = data;
	g_free(field->name);
	g_free(field->value);
}

void
mail_headers_free(MailHeaders *headers)
{
	if (headers == NULL)
		return;
	g_array_unref(headers->fields);
	g_free(headers);
}

guint
mail_headers_get_count(const MailHeaders *headers)
{
	return headers->fields->len;
}

static bool
is_field_name(const char *start, gsize length)
{
	if (length == 0)
		return false;
	/* RFC 5322 2.2: printable US-ASCII except ":" */
	for (gsize i = 0; i < length; i++)
		if (start[i] < 33 || start[i] > 126)
			return false;
	return true;
}

static void
add_field(MailHeaders *headers, const char *line, gsize length)
{
	const char *colon = memchr(line, ':', length);
	if (colon == NULL || headers->fields->len >= MAX_FIELDS)
		return;
	gsize name_length = (gsize)(colon - line);
	while (name_length > 0 && (line[name_length - 1] == ' ' || line[name_length - 1] == '\t'))
		name_length--;
	if (!is_field_name(line, name_length))
		return;
	const char *value = colon + 1;
	const char *end = line + length;
	while (value < end && (*value == ' ' || *value == '\t'))
		value++;
	Field field = {
	        .name = g_strndup(line, name_length),
	        .name_length = name_length,
	        .value = g_strndup(value, (gsize)(end - value)),
	};
	g_strchomp(field.value);
	g_array_append_val(headers->fields, field);
}

MailHeaders *
mail_headers_parse(const char *data, gsize length)
{
	MailHeaders *headers = g_new0(MailHeaders, 1);
	headers->fields = g_array_new(FALSE, FALSE, sizeof(Field));
	g_array_set_clear_func(headers->fields, field_clear);
	GString *current = g_string_new(NULL);
	const char *p = data;
	const char *end = data + length;

	while (p < end) {
		const char *lf = memchr(p, '\n', (gsize)(end - p));
		const char *line_end = lf != NULL ? lf : end;
		gsize n = (gsize)(line_end - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0)
			break; /* the empty line ends the header */
		if ((p[0] == ' ' || p[0] == '\t') && current->len > 0) {
			/* RFC 5322 2.2.3: unfolding removes the CRLF only. */
			if (current->len + n <= MAX_FIELD_BYTES)
				g_string_append_len(current, p, (gssize)n);
		} else {
			if (current->len > 0)
				add_field(headers, current->str, current->len);
			g_string_truncate(current, 0);
			g_string_append_len(current, p, (gssize)MIN(n, MAX_FIELD_BYTES));
		}
		p = lf != NULL ? lf + 1 : end;
	}
	if (current->len > 0)
		add_field(headers, current->str, current->len);
	g_string_free(current, TRUE);
	return headers;
}

const char *
mail_headers_get_raw(const MailHeaders *headers, const char *name)
{
	gsize length = strlen(name);
	for (guint i = 0; i < headers->fields->len; i++) {
		const Field *field = &g_array_index(headers->fields, Field, i);
		/* Lengths first: most names differ there, and this runs for every
		 * field asked of every message of a sync. */
		if (field->name_length == length && g_ascii_strcasecmp(field->name, name) == 0)
			return field->value;
	}
	return NULL;
}

static bool
is_address_field(const char *name)
{
	static const char *const names[] = {"From", "To", "Cc", "Bcc", "Reply-To", "Sender"};
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_ascii_strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Raw 8-bit header bytes: UTF-8 when they are, else Windows-1252. */
static char *
to_utf8(const char *raw)
{
	if (g_utf8_validate(raw, -1, NULL))
		return g_strdup(raw);
	char *converted =
	        g_convert_with_fallback(raw, -1, "UTF-8", "WINDOWS-1252", "?", NULL, NULL, NULL);
	return converted != NULL ? converted : g_utf8_make_valid(raw, -1);
}

char *
mail_headers_dup_decoded(const MailHeaders *headers, const char *name)
{
	const char *raw = mail_headers_get_raw(headers, name);
	if (raw == NULL)
		return NULL;
	/* Most fields are plain ASCII without encoded words: nothing to decode,
	 * and decoding is most of the cost of reading a header. */
	bool plain = strstr(raw, "=?") == NULL;
	for (const char *p = raw; plain && *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			plain = false;
	if (plain)
		return g_strdup(raw);
	g_autofree char *text = to_utf8(raw);
	char *decoded = NULL;
	if (is_address_field(name)) {
		InternetAddressList *list = internet_address_list_parse(NULL, text);
		if (list != NULL && internet_address_list_length(list) > 0)
			decoded = internet_address_list_to_string(list, NULL, FALSE);
		if (list != NULL)
			g_object_unref(list);
	}
	if (decoded == NULL)
		decoded = g_mime_utils_header_decode_text(NULL, text);
	if (decoded == NULL || g_utf8_validate(decoded, -1, NULL))
		return decoded;
	char *valid = g_utf8_make_valid(decoded, -1);
	g_free(decoded);
	return valid;
}

GPtrArray *
mail_headers_dup_message_ids(const MailHeaders *headers, const char *name)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	const char *value = mail_headers_get_raw(headers, name);
	if (value == NULL)
		return ids;
	GMimeReferences *references = g_mime_references_parse(NULL, value);
	if (references == NULL)
		return ids;
	int n = g_mime_references_length(references);
	for (int i = 0; i < n; i++) {
		const char *id = g_mime_references_get_message_id(references, i);
		if (id != NULL && id[0] != '\0')
			g_ptr_array_add(ids, g_strdup(id));
	}
	g_mime_references_free(references);
	return ids;
}

/* The mailbox addresses of field @name, lower-cased, into @into: all of
 * them, or only the first when @first_only. */
static void
collect_addresses(const MailHeaders *headers, const char *name, bool first_only, GPtrArray *into)
{
	const char *value = mail_headers_get_raw(headers, name);
	if (value == NULL)
		return;
	InternetAddressList *list = internet_address_list_parse(NULL, value);
	if (list == NULL)
		return;
	int n = internet_address_list_length(list);
	for (int i = 0; i < n && !(first_only && into->len > 0); i++) {
		InternetAddress *item = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(item)) {
			const char *addr =
			        internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(item));
			if (addr != NULL && strchr(addr, '@') != NULL)
				g_ptr_array_add(into, g_ascii_strdown(addr, -1));
		}
	}
	g_object_unref(list);
}

char *
mail_headers_dup_address(const MailHeaders *headers, const char *name)
{
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func(g_free);
	collect_addresses(headers, name, true, one);
	return one->len > 0 ? g_ptr_array_steal_index(one, 0) : NULL;
}

char *
mail_headers_dup_display_name(const MailHeaders *headers, const char *name)
{
	const char *value = mail_headers_get_raw(headers, name);
	if (value == NULL)
		return NULL;
	InternetAddressList *list = internet_address_list_parse(NULL, value);
	if (list == NULL)
		return NULL;
	InternetAddress *first = NULL;
	for (int i = 0; i < internet_address_list_length(list) && first == NULL; i++)
		if (INTERNET_ADDRESS_IS_MAILBOX(internet_address_list_get_address(list, i)))
			first = internet_address_list_get_address(list, i);
	const char *named = first != NULL ? internet_address_get_name(first) : NULL;
	char *display = named != NULL && g_utf8_validate(named, -1, NULL)
	                        ? g_strstrip(g_strdup(named))
	                        : NULL;
	g_object_unref(list);
	if (display != NULL && display[0] == '\0')
		g_clear_pointer(&display, g_free);
	return display;
}

GPtrArray *
mail_headers_dup_addresses(const MailHeaders *headers, const char *name)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
	collect_addresses(headers, name, false, all);
	return all;
}
