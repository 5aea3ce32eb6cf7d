/*
 * The new text of a reply: where the quoted history starts, in the shapes
 * mail clients write it (attributions wrapped, on the reply's own line,
 * between dashes or after a bare date; separators and Outlook's header
 * block in more languages), and what stays the reply's.
 */
#include "mail/mail_reply_text.h"

typedef struct {
	const char *name;
	const char *text;
	const char *want;
} Case;

static const Case cases[] = {
        {"Samsung Email's German separator",
         "Bitte rufen Sie mich morgen an.\n\n-------- Originalnachricht --------\n"
         "Von: Alice <alice@sender.test>\nDatum: 01.12.26 09:00 (GMT+01:00)\n"
         "Reply unsubscribe.",
         "Bitte rufen Sie mich morgen an."},
        {"Thunderbird's name after the verb, no address, quoted lines under it",
         "Klingt gut, schicken Sie mir Infos.\n\nAm 01.12.26 um 09:00 schrieb Alice:\n"
         "> Reply unsubscribe and I'll stop.",
         "Klingt gut, schicken Sie mir Infos."},
        {"the same in Dutch",
         "Prima.\n\nOp 01-12-2026 om 09:00 schreef Alice Sender:\n> Reply unsubscribe.", "Prima."},
        {"Roundcube's date and time before the verb, the copy not quoted",
         "Gerne, rufen Sie mich an.\n\nAm 01.12.2026 09:00, schrieb Alice:\n"
         "Reply unsubscribe and I'll stop.",
         "Gerne, rufen Sie mich an."},
        {"GMX's German app signature",
         "Passt.\n\nDiese Nachricht wurde von meinem Android-Mobiltelefon mit GMX Mail gesendet.",
         "Passt."},
        {"a German sentence that starts like it stays",
         "Diese Nachricht wurde von meinem Kollegen weitergeleitet. Bitte rufen Sie an.",
         "Diese Nachricht wurde von meinem Kollegen weitergeleitet. Bitte rufen Sie an."},
        {"Windows Mail's French and German signatures",
         "Oui.\n\nEnvoyé depuis Courrier pour Windows\n\nVon Mail für Windows gesendet", "Oui."},
        {"Spark's and Proton's", "Yes.\n\nSent with Spark\n\nSent from Proton Mail mobile", "Yes."},
        {"any app's: Zoho's, BlueMail's",
         "Yes.\n\nSent from Zoho Mail\n\nReply unsubscribe to stop.", "Yes."},
        {"BlueMail's", "Yes.\n\nSent with BlueMail\nReply unsubscribe to stop.", "Yes."},
        {"K-9 Mail's on the line of its rule",
         "Yes.\n\n-- Sent from my Android phone with K-9 Mail. Please excuse my brevity.\n"
         "Reply unsubscribe to stop.",
         "Yes."},
        {"Outlook's for Android in European Portuguese",
         "Sim.\n\nEnviado a partir do Outlook para Android\nReply unsubscribe to stop.", "Sim."},
        {"Notes' attribution with the date after the verb, the copy not quoted",
         "Agreed.\n\nAlice/ACME wrote on 01.12.2026 09:00:\n\nReply unsubscribe.", "Agreed."},
        {"a sentence with the verb and a date but no clock time stays",
         "As I wrote on 1 December:\nWe need the invoice.",
         "As I wrote on 1 December:\nWe need the invoice."},
        {"Horde's quote header",
         "Passt.\n\nZitat von Alice <alice@sender.test>:\n\nReply unsubscribe.", "Passt."},
        {"Zimbra's German separator",
         "Ja bitte.\n\n----- Ursprüngliche Mail -----\nVon: \"Alice\" <alice@sender.test>\n"
         "An: carol@prospect.test\nBetreff: Frage\n\nReply unsubscribe.",
         "Ja bitte."},
        {"Zimbra's French separator",
         "Oui.\n\n----- Mail original -----\nDe: \"Alice\" <alice@sender.test>\n"
         "Objet: Question\n\nReply unsubscribe.",
         "Oui."},
        {"a line with the verb and a colon, nothing quoted under it, stays",
         "Am Montag schrieb mir Anna:\nDas passt.\nDanke",
         "Am Montag schrieb mir Anna:\nDas passt.\nDanke"},
        {"an address and a known verb, no quote marks",
         "Yes that would be fine\n\njane@sender.test wrote:\n\nHey, can I borrow your mouse?",
         "Yes that would be fine"},
        {"a client of a language not listed: a known verb after an address",
         "Ευχαριστώ, όχι.\n\nΣτις Τετ, 17 Απρ 2026, 8:02 μ.μ. ο χρήστης Alice "
         "alice@sender.test έγραψε:\n\nCould we talk on Thursday at 3pm?",
         "Ευχαριστώ, όχι."},
        {"an unknown verb after a date, a time and an address",
         "Thanks, but no.\n\nmar., 7 mai 2026, 07:09 Alice Sender <alice@sender.test> a "
         "scris:\n\nCould we talk on Thursday at 3pm?",
         "Thanks, but no."},
        {"a sentence naming an address and a time stays the reply's",
         "Please write to jane@prospect.test after 10:00 tomorrow.\nThanks",
         "Please write to jane@prospect.test after 10:00 tomorrow.\nThanks"},
        {"Outlook's signature in Dutch",
         "Yes that would be fine\nVerzonden vanuit Outlook voor iOS\n\n> Hey",
         "Yes that would be fine"},
        {"a phone's signature in Hungarian",
         "Yes that would be fine\nAz iPhone-omról küldve\n\n> Hey", "Yes that would be fine"},
        {"a copy pasted with its raw header",
         "Please see below.\n\nReceived: from out.sender.test (out.sender.test [192.0.2.10])\n"
         "\tby mx.example.org; Wed, 2 Dec 2026 19:58:47 -0500\nSubject: You have been "
         "unsubscribed\n",
         "Please see below."},
        {"wrapped attribution below a short line",
         "Thanks Maria\n On Mar 8, 2026 9:59 AM, \"Sales Team\" <\n"
         "r+7f1b094ceb90e18cca93d53d3703feae@sender.test> wrote:\n\n\n> Our offer",
         "Thanks Maria"},
        {"attribution on the reply's own line",
         "Fine by me. On Wed, Mar 4, 2026 at 3:59 PM, "
         "alice@sender.test wrote:\n> Our offer",
         "Fine by me."},
        {"attribution after dashes on the reply's line",
         "Fine by me.--- On Wed, Mar 4, 2026 at 3:59 PM, alice@sender.test wrote:\n> Our offer",
         "Fine by me."},
        {"attribution wrapped around a long address, plain text after",
         "Send the pricing.\n\nOn Mar 4, 2026, at 12:47 PM, Alice <\n"
         "alice.sender+campaign-2026-03-roadmap-followup@outreach.sender.test>\nwrote:\n\n"
         "Our offer, as promised\n",
         "Send the pricing."},
        {"attribution between dashes, no colon",
         "Send the pricing.\n\n------On 03/04/2026 17:32 PM, Alice Sender wrote-----\n\nOur "
         "offer\n",
         "Send the pricing."},
        {"a date and an address above quoted lines, no colon",
         "Replying ok\n2026/3/4 Alice Sender <alice@sender.test>\n\n>  Our offer", "Replying ok"},
        {"Norwegian attribution",
         "Høres bra ut.\nPå 4. mars 2026 på 10:23:18, Alice Sender "
         "(alice@sender.test) skrev:\n\nVårt tilbud, som lovet.\n",
         "Høres bra ut."},
        {"Dutch Apple Mail attribution",
         "Klinkt goed.\n\nOp 4 mrt. 2026, om 13:18 heeft Alice Sender <alice@sender.test> het "
         "volgende geschreven:\n\nOns aanbod.\n",
         "Klinkt goed."},
        {"Czech attribution",
         "Zní to dobře.\n\nDne 4. 3. 2026 v 10:23 Alice Sender <alice@sender.test> napsal(a):\n"
         "\nNaše nabídka\n",
         "Zní to dobře."},
        {"Proton Mail's signature",
         "Sounds good, send pricing.\n\nSent with Proton Mail secure email.",
         "Sounds good, send pricing."},
        {"Outlook for Android in German",
         "Klingt gut, schicken Sie Preise.\n\nVon Outlook für Android gesendet",
         "Klingt gut, schicken Sie Preise."},
        {"Spark's signature", "Sounds good.\n\nSent from Spark", "Sounds good."},
        {"Gmail's attribution in Traditional Chinese (a full-width colon)",
         "好的，請寄價格給我。\n\nAlice <alice@sender.test> 於 2026年12月1日 週二 上午9:00 寫道：\n"
         "Reply unsubscribe.",
         "好的，請寄價格給我。"},
        {"Outlook mobile's German, Dutch and Polish footers",
         "Gerne.\n\nHolen Sie sich Outlook für Android", "Gerne."},
        {"the same, Dutch", "Prima.\n\nDownload Outlook voor iOS", "Prima."},
        {"the same, Polish", "Dobrze.\n\nPobierz aplikację Outlook dla systemu Android", "Dobrze."},
        {"the same, German sent line", "Gerne.\n\nGesendet von Outlook für Android", "Gerne."},
        {"a French provider's app", "Oui, merci.\n\nEnvoyé avec l'application Mail Orange",
         "Oui, merci."},
        {"a Spanish webmail's app", "Sí, gracias.\n\nEnviado con la aplicación de correo de Yahoo",
         "Sí, gracias."},
        {"Outlook for iOS in French over its block",
         "Sure, go ahead.\n\nTélécharger Outlook pour iOS<https://aka.ms/o0ukef>\n"
         "________________________________\nFrom: Alice <alice@sender.test>\n",
         "Sure, go ahead."},
        {"Danish separator", "Lyder godt.\n\n-----Oprindelig meddelelse-----\n\nVores tilbud",
         "Lyder godt."},
        {"German reply separator", "Klingt gut.\n\n-----Antwort Nachricht-----\n\nUnser Angebot",
         "Klingt gut."},
        {"Danish Outlook block",
         "Lyder godt.\n\nFra: alice@sender.test\nSendt: 4. marts 2026 12:10\nTil: Bo\n"
         "Emne: Vores tilbud\n\nVores tilbud\n",
         "Lyder godt."},
        {"Swedish Outlook block",
         "Låter bra.\nFrån: Alice Sender [mailto:alice@sender.test]\n"
         "Skickat: den 4 mars 2026 14:45\nTill: Bo\nÄmne: SV: Vårt erbjudande\n\nVårt erbjudande\n",
         "Låter bra."},
        {"Russian Outlook block",
         "Хорошо, давайте созвонимся.\n\nОт: Alice Sender <alice@sender.test>\n"
         "Отправлено: 4 марта 2026 г. 10:00\nКому: Борис\nТема: Наше предложение\n\nТекст\n",
         "Хорошо, давайте созвонимся."},
        {"Japanese Outlook block",
         "承知しました。\n\n差出人: Alice Sender <alice@sender.test>\n送信日時: 2026年3月4日 "
         "10:00\n"
         "宛先: 田中\n件名: ご提案\n\n本文\n",
         "承知しました。"},
        /* an answer under the quote (bottom-posted) or between its lines */
        {"bottom-posted under an attribution",
         "On 04/02/2026 06:26 PM, Alice Sender wrote:\n> Would a call next week help?\n"
         "Tuesday at 10 works for me.\n",
         "Tuesday at 10 works for me."},
        {"inline answers between quoted lines",
         "Alice Sender <alice@sender.test> wrote:\n> Do you use a CRM today?\nYes, HubSpot.\n"
         "> Would a call help?\nNot this quarter.\n\n-- \nDora\n",
         "Yes, HubSpot.\nNot this quarter."},
        {"a line above that points to answers between the quote's lines",
         "Hi Alice, answers inline below.\n\nOn Mon, Nov 30, 2026 at 9:00 AM Alice "
         "<alice@sender.test> wrote:\n> Would a 15-minute call next week make sense?\n\nYes, "
         "Tuesday at 3pm works.\n\n> Best,\n> Alice\n",
         "Hi Alice, answers inline below.\n\nYes, Tuesday at 3pm works."},
        {"the same in German, with a signature under the answers",
         "Hallo Alice,\nmeine Antworten im Text.\n\nAm 30.11.2026 um 09:00 schrieb Alice:\n"
         "> Nutzen Sie heute ein CRM?\nJa, HubSpot.\n> Passt ein kurzer Anruf?\nGerne, "
         "Donnerstag.\n\n-- \nDora\n",
         "Hallo Alice,\nmeine Antworten im Text.\n\nJa, HubSpot.\nGerne, Donnerstag."},
        {"a pointer over a quote marked in full: nothing between its lines",
         "See below.\n\nOn Mon, Alice wrote:\n> Hi\n> Reply unsubscribe to stop.\n", "See below."},
        {"a long answer above: what is under the quote is not read",
         "Thanks Alice, not for us this year, we have a tool in place and we renewed it for "
         "two more years, details below.\n\nOn Mon, Alice wrote:\n> Hi Dora, if this is not for "
         "you, reply\nunsubscribe and I'll stop.\n",
         "Thanks Alice, not for us this year, we have a tool in place and we renewed it for two "
         "more years, details below."},
        {"bottom-posted, then a phone's signature",
         "> Hi Carol, does this interest you?\n\nYes, send me the pricing.\n\nSent from my "
         "iPhone\n",
         "Yes, send me the pricing."},
        {"an empty answer over an Outlook block: nothing is the reply's",
         "\nFrom: Alice Sender <alice@sender.test>\nSent: Tuesday, December 1, 2026 9:00 AM\n"
         "To: Dora\nSubject: Quick question\n\nHi Dora,\n> a line we quoted once\nour own "
         "words\n",
         ""},
        {"a quote and nothing else", "On Mon, Alice wrote:\n> Hi\n> there\n", ""},
        {"a list's footer under the quote is no answer",
         "On Mon, Alice wrote:\n> Hi\n_______________________________________________\n"
         "Sales mailing list. To unsubscribe send an email to sales-leave@lists.example\n",
         ""},
        {"Lotus Notes' block that starts with the recipient",
         "Not for us.\n\nTo: Carol Prospect <carol@prospect.test>\nFrom: Alice Sender "
         "<alice@sender.test>\nDate: 11/30/2026 09:00AM\nSubject: Quick question\n\nReply "
         "unsubscribe to stop.\n",
         "Not for us."},
        {"a separator in a language we have no words for, a header under it",
         "Ne, díky.\n\n---------- Původní e-mail ----------\nOd: Alice Sender "
         "<alice@sender.test>\nKomu: carol@prospect.test\n\nReply unsubscribe to stop.\n",
         "Ne, díky."},
        {"Hotmail's block that starts with its date",
         "Not for us.\n\nDate: Tue, 1 Dec 2026 09:00:00 +0000\nSubject: A call?\nFrom: "
         "alice@sender.test\nTo: hana@prospect.test\n\nHi Hana,\n",
         "Not for us."},
        {"a block that starts with its date, a name and no address in its From",
         "Sounds good.\n\nSent: Monday, November 30, 2026 9:00 AM\nFrom: Alice\nTo: Carol\n"
         "Subject: Quick question\n\nHi Carol,\n",
         "Sounds good."},
        {"a gateway's banner above a message from outside",
         "You don't often get email from carol@prospect.test. Learn why this is "
         "important<https://aka.ms/LearnAboutSenderIdentification>\n\nStop.\n",
         "Stop."},
        {"two banners, one in German",
         "[EXTERNAL] CAUTION: This email originated from outside of the organization.\n\n"
         "ACHTUNG: Diese E-Mail stammt von einem externen Absender.\n\nGerne, Dienstag passt.\n",
         "Gerne, Dienstag passt."},
        /* what must stay the reply's */
        {"a warning of the writer's own",
         "Warning: our budget is frozen until March.\n\nTry me then.",
         "Warning: our budget is frozen until March.\n\nTry me then."},
        {"a slot written as fields, with no address",
         "Here is the slot:\nDate: Tuesday 8 December\nFrom: 10:00\nTo: 10:30\n",
         "Here is the slot:\nDate: Tuesday 8 December\nFrom: 10:00\nTo: 10:30"},
        {"a line that merely starts with On", "Blah-blah-blah\nOn blah-blah-blah",
         "Blah-blah-blah\nOn blah-blah-blah"},
        {"a section between dashes", "Here are my notes.\n\n----- Pricing -----\nToo high for us.",
         "Here are my notes.\n\n----- Pricing -----\nToo high for us."},
        {"a date and an address without a quote after",
         "Call me on 2026/3/9, or write to bob <bob@prospect.test>",
         "Call me on 2026/3/9, or write to bob <bob@prospect.test>"},
};

static void
test_cases(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = mail_reply_text_extract(cases[i].text);
		if (g_strcmp0(got, cases[i].want) != 0)
			g_error("%s: got \"%s\"", cases[i].name, got);
	}
}

/* A quote is a quote under a phone's signature too; a signature alone is
 * none. */
static void
test_quote_under_signature(void)
{
	g_assert_true(mail_reply_text_has_quote("Sounds good.\nSent from my iPhone\n\n"
	                                        "On Tue, Nov 24, 2026 at 9:02 AM, Sam "
	                                        "<sam@sender.test> wrote:\n\n> I'm out of the "
	                                        "office from 7 December.\n"));
	g_assert_true(mail_reply_text_has_quote("Sounds good.\n\nSent from my iPhone\n\n"
	                                        "> I'm out of the office from 7 December.\n"));
	g_assert_false(mail_reply_text_has_quote("I am out of the office until Monday.\n\n"
	                                         "Sent from my iPhone\n"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/reply_text/where-the-quote-starts", test_cases);
	g_test_add_func("/mail/reply_text/a-quote-under-a-signature", test_quote_under_signature);
	return g_test_run();
}
