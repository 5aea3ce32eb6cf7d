/*
 * mail_booking: a scheduling tool's notice that someone booked a time with
 * the mailbox's owner (Calendly's "New Event: ...", Cal.com, HubSpot
 * Meetings' "... booked a meeting with you", Microsoft Bookings, Google
 * Calendar's booking pages, Zoho Bookings, ...). A prospect who answers
 * through the booking link in our message never writes to us: the tool
 * does, and names them. Pure.
 */
#pragma once

#include "mail/mail_message.h"

/* Who booked: the first address the notice names in @head (the start of
 * its text, lower case) that is not the mailbox's (To, Cc) nor the tool's
 * (From's domain), lower case, newly allocated; NULL when @message is no
 * such notice (a cancellation is none). */
char *mail_booking_invitee(const MailMessage *message, const char *head);
