/*
 * mail_reply_text: the new text of a reply, without the quoted history and
 * the signature, for the shapes Gmail, Outlook (desktop and web, with its
 * "From: ... Sent: ..." block), Apple Mail and Thunderbird write, with
 * localised quote headers ("Am ... schrieb ...:", "Le ... a écrit :",
 * "El ... escribió:", "Il ... ha scritto:", "Op ... schreef ...:",
 * "W dniu ... pisze:", "Em ... escreveu:"). Pure: text in (LF line ends),
 * text out.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Newly allocated; "" when nothing new is left. */
char *mail_reply_text_extract(const char *text);

/* Whether @text quotes a message below its new text (a quote header, an
 * Outlook block, "> " lines): what people's replies do and responders'
 * notices do not. */
bool mail_reply_text_has_quote(const char *text);

/* @text after the banners a receiving gateway puts above mail from
 * outside ("You don't often get email from ...", "CAUTION: This email
 * originated from outside of the organization ...", in the eight
 * languages); @text itself when there are none (NULL for NULL). Borrowed,
 * inside @text. */
const char *mail_reply_text_after_banners(const char *text);
