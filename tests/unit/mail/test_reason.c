/*
 * The reason a receiving server's words give when no enhanced status code
 * says it (old servers, qmail, Postfix's "Status: 5.0.0"): each family in
 * several wordings, as servers write them. And the few that must not read
 * as the obvious word: an unknown reason is no unknown user, a "blocked"
 * is not a "locked" account, a sending quota is no full mailbox.
 */
#include "mail/mail_reason.h"

typedef struct {
	const char *text;
	int reply_code;
	MailReason want;
} Case;

typedef struct {
	const char *status;
	Case words;
} StatusCase;

static const Case wording[] = {
        /* the address does not exist */
        {"550 Mailbox is unavailable for this recipient", 550, MAIL_REASON_USER_UNKNOWN},
        /* more languages than the eight of the replies */
        {"550 Usuário desconhecido", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 La casella di posta non esiste", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 Пользователь не найден", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 Kullanıcı bulunamadı", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 Uživatel neexistuje", 550, MAIL_REASON_USER_UNKNOWN},
        /* our server not allowed for our domain (an SPF check in words) */
        {"550 65.49.42.68 is not allowed to send mail from sender.test", 550,
         MAIL_REASON_SENDER_REJECTED},
        {"550 domain of sender.test does not designate 192.0.2.7 as permitted sender", 550,
         MAIL_REASON_SENDER_REJECTED},
        /* a domain that takes no mail, unless our server's name is what
         * is refused (GMX's greeting) */
        {"554 an MX or SRV record indicated no SMTP service", 554, MAIL_REASON_NOT_ACCEPTED},
        {"554-gmx.net Nemesis ESMTP Service not available 554-No SMTP service 554 Bad DNS PTR "
         "resource record.",
         554, MAIL_REASON_POLICY_BLOCKED},
        /* Exim's retry limit */
        {"all hosts have been failing for a long time and were last tried after this message "
         "arrived",
         0, MAIL_REASON_EXPIRED},
        {"550 recipient not ok", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 user (dora) unknown", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 Recipient dora@example.org was not found in this directory", 550,
         MAIL_REASON_USER_UNKNOWN},
        {"550 Unknown mailbox", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 Sorry, this is not a valid recipient", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 there is no one at this address", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 no account by that name here", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 the email address could not be found", 550, MAIL_REASON_USER_UNKNOWN},
        {"553 sorry, that recipient is in my badrcptto list", 553, MAIL_REASON_USER_UNKNOWN},
        /* Exchange 2007's text report */
        {"The recipient's e-mail address was not found in the recipient's e-mail system.", 0,
         MAIL_REASON_USER_UNKNOWN},
        /* Lotus Domino's "not listed in the directory", in its languages */
        {"Benutzer carol (carol@prospect.test) ist nicht im Domino-Verzeichnis aufgeführt", 0,
         MAIL_REASON_USER_UNKNOWN},
        {"L'utilisateur carol n'est pas répertorié dans l'annuaire Domino", 0,
         MAIL_REASON_USER_UNKNOWN},
        /* Korean (Naver, Daum): "an account that does not exist" */
        {"반송 사유: 존재하지 않는 계정입니다", 0, MAIL_REASON_USER_UNKNOWN},
        /* Outlook's Korean: "the recipient could not be found" */
        {"받는 사람을 찾을 수 없습니다", 0, MAIL_REASON_USER_UNKNOWN},
        /* Outlook's words in other languages */
        {"Nie można odnaleźć wprowadzonego adresu e-mail", 0, MAIL_REASON_USER_UNKNOWN},
        {"No se encontró la dirección de correo electrónico que escribió", 0,
         MAIL_REASON_USER_UNKNOWN},
        {"Het e-mailadres dat u hebt ingevoerd, is niet gevonden", 0, MAIL_REASON_USER_UNKNOWN},
        {"O endereço de email que você inseriu não foi encontrado", 0, MAIL_REASON_USER_UNKNOWN},
        {"La cassetta postale del destinatario è piena", 0, MAIL_REASON_MAILBOX_FULL},
        {"El buzón del destinatario está lleno", 0, MAIL_REASON_MAILBOX_FULL},
        {"Das Postfach des Empfängers ist voll", 0, MAIL_REASON_MAILBOX_FULL},
        {"Skrzynka pocztowa adresata jest pełna", 0, MAIL_REASON_MAILBOX_FULL},
        /* the mailbox is full */
        {"552 The recipient's mail folder is full", 552, MAIL_REASON_MAILBOX_FULL},
        {"550 mailbox has exceeded its disk space limit", 550, MAIL_REASON_MAILBOX_FULL},
        {"550 user has exceeded quota, bouncing mail", 550, MAIL_REASON_MAILBOX_FULL},
        {"452 not enough storage space in the mailbox", 452, MAIL_REASON_MAILBOX_FULL},
        {"550 user has too many messages on the server", 550, MAIL_REASON_MAILBOX_FULL},
        /* too big */
        {"552 message file too big", 552, MAIL_REASON_MESSAGE_TOO_BIG},
        {"552 max message size exceeded", 552, MAIL_REASON_MESSAGE_TOO_BIG},
        {"552 message length exceeds administrative limit", 552, MAIL_REASON_MESSAGE_TOO_BIG},
        /* the account is closed */
        {"550 this mailbox is frozen", 550, MAIL_REASON_SUSPENDED},
        {"550 account temporarily locked", 550, MAIL_REASON_SUSPENDED},
        /* no such domain */
        {"550 recipient domain must exist", 550, MAIL_REASON_HOST_UNKNOWN},
        /* our sender */
        {"553 bogus mail from", 553, MAIL_REASON_SENDER_REJECTED},
        {"550 unroutable sender address", 550, MAIL_REASON_SENDER_REJECTED},
        {"550 message rejected: email address is not verified", 550, MAIL_REASON_SENDER_REJECTED},
        {"550 Access denied (in reply to MAIL FROM command)", 550, MAIL_REASON_SENDER_REJECTED},
        /* spam, and our server on a list */
        {"550 mail appears to be unsolicited", 550, MAIL_REASON_SPAM_BLOCKED},
        {"554 considered unsolicited bulk e-mail by our filters", 554, MAIL_REASON_SPAM_BLOCKED},
        {"554 Sender domain listed at dbl.example.org", 554, MAIL_REASON_SPAM_BLOCKED},
        /* our server itself */
        {"554 Client host rejected: cannot find your hostname", 554, MAIL_REASON_POLICY_BLOCKED},
        {"550 we do not accept mail from dynamic ips", 550, MAIL_REASON_POLICY_BLOCKED},
        {"550 IP 192.0.2.1 is blocked by this server", 550, MAIL_REASON_POLICY_BLOCKED},
        /* the path, not the address */
        {"554 too many hops, this message is looping", 554, MAIL_REASON_NETWORK_ERROR},
        {"550 mail forwarding loop for dora@example.org", 550, MAIL_REASON_NETWORK_ERROR},
        {"550 host is unreachable", 550, MAIL_REASON_NETWORK_ERROR},
        /* the queue gave up */
        {"550 this message has been in the queue too long", 550, MAIL_REASON_EXPIRED},
        {"550 was not reachable within the allowed queue period", 550, MAIL_REASON_EXPIRED},
        /* the person's own rules */
        {"550 the recipient is only accepting mail from specific email addresses", 550,
         MAIL_REASON_POLICY_BLOCKED},
        /* our own sending limit */
        {"550 Daily user sending quota exceeded", 550, MAIL_REASON_RATE_LIMITED},
        {"554 Submission quota exceeded", 554, MAIL_REASON_RATE_LIMITED},
        /* the wordings of old and small servers, as a bounce handler's rule
         * book lists them (unknown, full, inactive, content, relay) */
        {"550 unknown local-part \"dora\" in domain \"prospect.test\"", 550,
         MAIL_REASON_USER_UNKNOWN},
        {"550 The recipient cannot be verified", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 User not a member of domain: <dora@prospect.test>", 550, MAIL_REASON_USER_UNKNOWN},
        {"553 <dora@prospect.test>... Recipient address no longer exists", 553,
         MAIL_REASON_USER_UNKNOWN},
        /* Sendmail's "relay=" names the next hop: no relaying refused */
        {"553 5.3.0 <dora@prospect.test>... Addressee unknown, relay=[192.0.2.1]", 553,
         MAIL_REASON_USER_UNKNOWN},
        {"552 recipient storage full, try again later", 552, MAIL_REASON_MAILBOX_FULL},
        {"551 bounce as<the destination mailbox <dora@prospect.test> is full> queue as 100.1", 551,
         MAIL_REASON_MAILBOX_FULL},
        {"ErrMsg=Mailbox space not enough (space limit is 10240KB)", 0, MAIL_REASON_MAILBOX_FULL},
        {"User mailbox exceeds allowed size", 0, MAIL_REASON_MAILBOX_FULL},
        {"Benutzer hat zuviele Mails auf dem Server", 0, MAIL_REASON_MAILBOX_FULL},
        {"550 <dora@prospect.test>... User account not activated", 550, MAIL_REASON_SUSPENDED},
        {"The user does not accept email in non-Western (non-Latin) character sets.", 0,
         MAIL_REASON_CONTENT_REJECTED},
        {"550 Content reject. FAAAANsG60M9BmDT.1", 550, MAIL_REASON_CONTENT_REJECTED},
        {"554 Invalid data in message", 554, MAIL_REASON_CONTENT_REJECTED},
        {"552 MessageWall: MIME/REJECT: Invalid structure", 552, MAIL_REASON_CONTENT_REJECTED},
        {"550 5.7.1 Message content rejected, UBE, id=11823-04-9", 550, MAIL_REASON_SPAM_BLOCKED},
        {"553 mailbox dora@prospect.test is restricted", 553, MAIL_REASON_POLICY_BLOCKED},
        {"550 <dora@prospect.test>... No permit", 550, MAIL_REASON_POLICY_BLOCKED},
        {"553 sorry, that domain isn't in my list of allowed rcpthosts (#5.5.3 - chkuser)", 553,
         MAIL_REASON_POLICY_BLOCKED},
        {"550 not local host prospect.test, not a gateway", 550, MAIL_REASON_POLICY_BLOCKED},
        {"550 Local user only or Authentication mechanism", 550, MAIL_REASON_POLICY_BLOCKED},
        {"550-Please turn on SMTP Authentication in your mail client.", 550,
         MAIL_REASON_POLICY_BLOCKED},
        {"554 sender is rejected: 0,mx20,wKjR5bDrnoM2", 554, MAIL_REASON_SENDER_REJECTED},
        {"550 Verify mailfrom failed,blocked", 550, MAIL_REASON_SENDER_REJECTED},
        {"550 Error: MAIL FROM is mismatched with message header from address!", 550,
         MAIL_REASON_SENDER_REJECTED},
        {"550 sorry, your envelope recipient has been denied", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 is not an active address at this host", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 <dora@prospect.test> not found", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 no dora in name directory", 550, MAIL_REASON_USER_UNKNOWN},
        {"552 mail file size exceeds the maximum size allowed for mail delivery", 552,
         MAIL_REASON_MAILBOX_FULL},
        {"554 this message was rejected by recurrent pattern detection system", 554,
         MAIL_REASON_SPAM_BLOCKED},
        {"554 your message has been temporarily blocked by our filter", 554,
         MAIL_REASON_SPAM_BLOCKED},
        {"550 you're using a mass mailer", 550, MAIL_REASON_SPAM_BLOCKED},
        {"554 your server requires confirmation", 554, MAIL_REASON_POLICY_BLOCKED},
        {"554 domain sender.test mismatches client ip", 554, MAIL_REASON_POLICY_BLOCKED},
        {"550 email rejected due to security policies", 550, MAIL_REASON_POLICY_BLOCKED},
        {"550 the email address used to send your message is not subscribed to this group", 550,
         MAIL_REASON_POLICY_BLOCKED},
        {"550 mail server requires authentication when attempting to send to a non-local "
         "e-mail address",
         550, MAIL_REASON_POLICY_BLOCKED},
        {"550 header error", 550, MAIL_REASON_CONTENT_REJECTED},
        {"550 messages with multiple addresses in From: are not accepted", 550,
         MAIL_REASON_CONTENT_REJECTED},
        {"535 authentication failed; server smtp.relay.test said: bad credentials", 535,
         MAIL_REASON_SENDER_REJECTED},
        /* our server's name in DNS, our SPF record, our sending rate */
        {"550 server access 192.0.2.1 forbidden by invalid rdns record of your mail server", 550,
         MAIL_REASON_POLICY_BLOCKED},
        {"550 service permits 2 unverifyable sending ips", 550, MAIL_REASON_POLICY_BLOCKED},
        {"550 please inspect your spf settings", 550, MAIL_REASON_SENDER_REJECTED},
        {"550 sender policy framework (spf) fail", 550, MAIL_REASON_SENDER_REJECTED},
        {"550 all available ips are at maximum connection limit", 550, MAIL_REASON_RATE_LIMITED},
        {"554 throttling failure: daily message quota exceeded", 554, MAIL_REASON_RATE_LIMITED},
        {"550 due to extended inactivity new mail is not currently being accepted for this "
         "mailbox",
         550, MAIL_REASON_SUSPENDED},
        /* a Japanese carrier's gateway (au) in English */
        {"The user(s) account is temporarily limited.", 0, MAIL_REASON_SUSPENDED},
        {"Your message was not delivered within 0 days and 1 hours. Remote host is not "
         "responding.",
         0, MAIL_REASON_EXPIRED},
        /* Orange's and La Poste's (French first, then English) */
        {"550 5.5.0 Le compte du destinataire est bloque. The recipient account isblocked.", 550,
         MAIL_REASON_SUSPENDED},
        {"550 Mail rejete. Mail rejected. OFR_506", 550, MAIL_REASON_SPAM_BLOCKED},
        {"552 Taille limite du message atteinte", 552, MAIL_REASON_MESSAGE_TOO_BIG},
        /* GoDaddy's and Mimecast's */
        {"550 sales@sender.test Blank From: addresses are not allowed. Provide a valid From. "
         "IB501",
         550, MAIL_REASON_CONTENT_REJECTED},
        {"550 This message has exceeded the max number of messages per session. IB510", 550,
         MAIL_REASON_RATE_LIMITED},
        {"Account storage limit", 0, MAIL_REASON_MAILBOX_FULL},
        {"Delivery timeout", 0, MAIL_REASON_EXPIRED},
        {"554 Maximum email size exceeded", 554, MAIL_REASON_MESSAGE_TOO_BIG},
        /* Cox's: its word for an address that is not one of its accounts */
        {"550 <dora@prospect.test> recipient rejected", 550, MAIL_REASON_USER_UNKNOWN},
        {"550 Message threshold exceeded", 550, MAIL_REASON_RATE_LIMITED},
        /* Tencent's */
        {"550 Ip frequency limited", 550, MAIL_REASON_RATE_LIMITED},
        /* Exchange 5.5's: a box closed, not known to be gone */
        {"550 Mailbox unavailable or access denied", 550, MAIL_REASON_SUSPENDED},
        /* a name server that failed says nothing of the domain */
        {"Host or domain name not found. Name service error: host not found, try again", 0,
         MAIL_REASON_NETWORK_ERROR},
        /* a connection that failed is the path, whatever else it says */
        {"Deferred: Connection refused by mx.prospect.test.", 0, MAIL_REASON_NETWORK_ERROR},
        {"delivery temporarily suspended: connect to 192.0.2.9[192.0.2.9]:25: No route to host", 0,
         MAIL_REASON_NETWORK_ERROR},
        {"host mx.prospect.test[192.0.2.9]: connection to mail exchanger failed", 0,
         MAIL_REASON_NETWORK_ERROR},
        /* an attachment refused */
        {"554 5.0.0 Attachment type not allowed: invoice.exe", 554, MAIL_REASON_CONTENT_REJECTED},
        {"550 Message rejected: prohibited attachment (.js)", 550, MAIL_REASON_CONTENT_REJECTED},
        /* Gmail's */
        {"552-5.7.0 Our system detected an illegal attachment on your message. Please", 552,
         MAIL_REASON_CONTENT_REJECTED},
        /* Outlook's and Exchange's words beyond the eight languages */
        {"Det gick inte att hitta e-postadressen du angav.", 0, MAIL_REASON_USER_UNKNOWN},
        {"Antamaasi sähköpostiosoitetta ei löytynyt.", 0, MAIL_REASON_USER_UNKNOWN},
        {"A megadott e-mail-cím nem található.", 0, MAIL_REASON_USER_UNKNOWN},
        {"Girdiğiniz e-posta adresi bulunamadı.", 0, MAIL_REASON_USER_UNKNOWN},
        {"Alıcının posta kutusu dolu.", 0, MAIL_REASON_MAILBOX_FULL},
        {"Причина: почтовый ящик получателя заблокирован.", 0, MAIL_REASON_SUSPENDED},
        {"실패 사유: 받는 사람의 메일함 용량이 부족합니다.", 0, MAIL_REASON_MAILBOX_FULL},
        {"사유: 수신자의 메일함 용량이 초과되었습니다.", 0, MAIL_REASON_MAILBOX_FULL},
        {"送信先のメールサーバーが見つかりませんでした。", 0, MAIL_REASON_HOST_UNKNOWN},
        /* a domain not there, not the person's address */
        {"El mensaje fue rechazado: el dominio no existe.", 0, MAIL_REASON_HOST_UNKNOWN},
        {"Le domaine n'existe pas.", 0, MAIL_REASON_HOST_UNKNOWN},
        {"Die Domain existiert nicht.", 0, MAIL_REASON_HOST_UNKNOWN},
        {"Domena nie istnieje.", 0, MAIL_REASON_HOST_UNKNOWN},
        {"Nie można dostarczyć: wiadomość jest za duża.", 0, MAIL_REASON_MESSAGE_TOO_BIG},
        {"Uw bericht is te groot.", 0, MAIL_REASON_MESSAGE_TOO_BIG},
        {"Konto odbiorcy zostało zablokowane.", 0, MAIL_REASON_SUSPENDED},
        {"Wiadomość została zablokowana przez filtr.", 0, MAIL_REASON_POLICY_BLOCKED},
        {"Die Nachricht wurde blockiert.", 0, MAIL_REASON_POLICY_BLOCKED},
        {"Het account is gedeactiveerd.", 0, MAIL_REASON_SUSPENDED},
        /* a host named, then not there (the DragonFly Mail Agent's) */
        {"DNS lookup failure: host prospect.test not found", 0, MAIL_REASON_HOST_UNKNOWN},
        /* Courier's soft DNS failure */
        {"DNS lookup failed.", 0, MAIL_REASON_NETWORK_ERROR},
        /* a socket's words, not a server's refusal */
        {"connect to mx.prospect.test[192.0.2.9]:25: Connection refused", 0,
         MAIL_REASON_NETWORK_ERROR},
        {"Connection to recipients server failed. Error: 10061 (Connection refused)", 0,
         MAIL_REASON_NETWORK_ERROR},
        /* servers' words beyond the eight languages */
        {"Orsak: Mottagaren finns inte.", 0, MAIL_REASON_USER_UNKNOWN},
        {"Årsag: Modtagerens postkasse er fuld.", 0, MAIL_REASON_MAILBOX_FULL},
        {"Årsak: Mottakerens postkasse er full.", 0, MAIL_REASON_MAILBOX_FULL},
        {"Ok: A címzett nem létezik.", 0, MAIL_REASON_USER_UNKNOWN},
        {"Syy: Vastaanottajaa ei ole olemassa.", 0, MAIL_REASON_USER_UNKNOWN},
        {"Motiv: Destinatarul nu există.", 0, MAIL_REASON_USER_UNKNOWN},
        {"Důvod: Schránka adresáta je plná.", 0, MAIL_REASON_MAILBOX_FULL},
        {"Причина: домен prospect.test не существует.", 0, MAIL_REASON_HOST_UNKNOWN},
        /* Gmail's "address not found" headings */
        {"Dirección no encontrada", 0, MAIL_REASON_USER_UNKNOWN},
        {"Indirizzo non trovato", 0, MAIL_REASON_USER_UNKNOWN},
        {"Nie znaleziono adresu", 0, MAIL_REASON_USER_UNKNOWN},
        {"Error de entrega: cuota del destinatario excedida.", 0, MAIL_REASON_MAILBOX_FULL},
        {"Bezorging mislukt: quotum van de ontvanger overschreden.", 0, MAIL_REASON_MAILBOX_FULL},
        {"Nie udało się dostarczyć: przekroczono limit miejsca w skrzynce.", 0,
         MAIL_REASON_MAILBOX_FULL},
        {"Falha na entrega: cota do destinatário excedida.", 0, MAIL_REASON_MAILBOX_FULL},
        {"Nie udało się dostarczyć: konto zostało wyłączone.", 0, MAIL_REASON_SUSPENDED},
        {"Error de entrega: la cuenta ha sido desactivada.", 0, MAIL_REASON_SUSPENDED},
        /* IMail's */
        {"Invalid final delivery userid: dora@example.org", 0, MAIL_REASON_USER_UNKNOWN},
        {"Reason:  Exceeded Maximum Delivery Attempts.  Verify that the recipient address is "
         "correct.",
         0, MAIL_REASON_EXPIRED},
};

/* Gmail's, Yahoo's and Exchange Online's refusals (their published error
 * references), where the status alone would mislead: 4.2.1 is a rate, 5.7.1
 * a full mailbox or a reputation, 5.4.310 a domain that does not exist. */
static const StatusCase providers[] = {
        /* Exchange Online's limits on what one recipient receives and on
         * what we send in a day: rates, not the address */
        {"5.2.121",
         {"550 5.2.121 Recipient's per hour message receive limit from specific sender exceeded.",
          550, MAIL_REASON_RATE_LIMITED}},
        {"5.1.90",
         {"550 5.1.90 Your message can't be sent because you've reached your daily limit for "
          "message recipients",
          550, MAIL_REASON_RATE_LIMITED}},
        /* Proofpoint's reputation block */
        {"5.7.0",
         {"554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", 554,
          MAIL_REASON_SPAM_BLOCKED}},
        /* given up on a mailbox that stayed full: the full mailbox */
        {"4.4.7", {"450 4.2.2 <bob@x>... Mailbox Full", 450, MAIL_REASON_MAILBOX_FULL}},
        {"4.4.7", {"421 4.4.2 Connection timed out", 421, MAIL_REASON_EXPIRED}},
        /* a 5.1.1 whose words say the account is there but closed */
        {"5.1.1",
         {"550 5.1.1 The email account that you tried to reach is disabled.", 550,
          MAIL_REASON_SUSPENDED}},
        {"5.1.1", {"550 5.1.1 Mailbox temporarily disabled", 550, MAIL_REASON_SUSPENDED}},
        {"5.1.1", {"550 5.1.1 user unknown", 550, MAIL_REASON_USER_UNKNOWN}},
        {"5.1.1",
         {"550 5.1.1 Recipient rejected: mailbox is over quota", 550, MAIL_REASON_MAILBOX_FULL}},
        {"5.1.1",
         {"550 5.1.1 <bob@x>: Recipient address rejected: Message rejected due to spam content",
          550, MAIL_REASON_SPAM_BLOCKED}},
        {"5.1.1",
         {"550-5.1.1 The user you are trying to contact is receiving mail at a rate that "
          "prevents additional messages from being delivered.",
          550, MAIL_REASON_RATE_LIMITED}},
        {"5.1.1",
         {"550 5.1.1 <bob@x>: Recipient address rejected: User unknown in virtual alias table", 550,
          MAIL_REASON_USER_UNKNOWN}},
        {"5.0.0",
         {"550 Requested action not taken: mailbox unavailable (temporarily)", 550,
          MAIL_REASON_SUSPENDED}},
        /* a name server that failed says nothing of the domain */
        {"5.4.4",
         {"Name service error for name=a.b.c type=MX: Malformed or unexpected name server "
          "reply",
          0, MAIL_REASON_NETWORK_ERROR}},
        {"5.4.4",
         {"Name service error for name=a.b.c type=MX: Host not found, try again", 0,
          MAIL_REASON_NETWORK_ERROR}},
        {"5.4.4",
         {"Host or domain name not found. Name service error for name=a.b.c type=A: Host not "
          "found",
          0, MAIL_REASON_HOST_UNKNOWN}},
        /* a relay refused is the server's rules, not the path */
        {"5.4.1", {"550 5.4.1 Relay Access Denied", 550, MAIL_REASON_POLICY_BLOCKED}},
        /* Exchange Online's directory-based edge blocking: no such recipient */
        {"5.4.1",
         {"550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", 550,
          MAIL_REASON_USER_UNKNOWN}},
        {"4.7.0",
         {"421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected "
          "volume or user complaints",
          421, MAIL_REASON_SPAM_BLOCKED}},
        {"4.0.0",
         {"451 Message temporarily deferred due to unresolvable RFC.5321 from domain", 451,
          MAIL_REASON_SENDER_REJECTED}},
        {"4.0.0",
         {"421 Max message per connection reached, closing transmission channel", 421,
          MAIL_REASON_RATE_LIMITED}},
        {"5.2.122",
         {"550 5.2.122 The recipient has exceeded their limit for the number of messages they "
          "can receive per hour",
          550, MAIL_REASON_RATE_LIMITED}},
        {"5.4.310",
         {"550 5.4.310 DNS domain example.org does not exist [Message=InfoDomainNonexistent]", 550,
          MAIL_REASON_HOST_UNKNOWN}},
        {"5.7.508",
         {"550 5.7.508 Access denied, example.org has exceeded permitted limits within "
          "example.com range",
          550, MAIL_REASON_RATE_LIMITED}},
        {"5.7.512",
         {"550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant", 550,
          MAIL_REASON_CONTENT_REJECTED}},
        {"5.7.606",
         {"550 5.7.606 Access denied, banned sending IP [192.0.2.1]", 550,
          MAIL_REASON_SPAM_BLOCKED}},
        {"4.2.1",
         {"450 4.2.1 The user you are trying to contact is receiving mail too quickly", 450,
          MAIL_REASON_RATE_LIMITED}},
        {"5.2.1",
         {"550 5.2.1 The user you are trying to contact is receiving mail at a rate that "
          "prevents additional messages from being delivered",
          550, MAIL_REASON_RATE_LIMITED}},
        {"5.2.1",
         {"550 5.2.1 The email account that you tried to reach is inactive", 550,
          MAIL_REASON_SUSPENDED}},
        {"5.2.1", {"550 5.2.1 <ken@x.example>... User Unknown", 550, MAIL_REASON_USER_UNKNOWN}},
        {"5.2.1", {"550 5.2.1 Mailbox unavailable", 550, MAIL_REASON_SUSPENDED}},
        {"5.2.1", {"550 5.2.1 User unknown or account disabled", 550, MAIL_REASON_SUSPENDED}},
        {"5.0.0", {"554 You've reached your daily relay quota", 554, MAIL_REASON_RATE_LIMITED}},
        {NULL, {"Tried all MXs", 0, MAIL_REASON_NETWORK_ERROR}},
        {NULL, {"Esta casilla ha expirado por falta de uso.", 0, MAIL_REASON_SUSPENDED}},
        {NULL, {"550 Mailbox unavailable or access denined", 550, MAIL_REASON_RATE_LIMITED}},
        {NULL, {"550 Suspected bounce attacks", 550, MAIL_REASON_SPAM_BLOCKED}},
        {NULL, {"550 Frequency of receiving messages is limited", 550, MAIL_REASON_RATE_LIMITED}},
        {NULL, {"550 Bad address syntax", 550, MAIL_REASON_USER_UNKNOWN}},
        {NULL, {"550 Mailbox not found or access denied", 550, MAIL_REASON_USER_UNKNOWN}},
        {NULL, {"No MX for prospect.test", 0, MAIL_REASON_HOST_UNKNOWN}},
        {"5.7.1", {"550 5.7.1 Email quota exceeded", 550, MAIL_REASON_MAILBOX_FULL}},
        {"4.7.0",
         {"421 4.7.0 This message is suspicious due to the very low reputation of the sending "
          "domain. To protect our users from spam, mail sent from your IP address has been "
          "temporarily rate limited",
          421, MAIL_REASON_SPAM_BLOCKED}},
        {"5.4.6",
         {"554 5.4.6 Message exceeded 50 hops, this may indicate a mail loop", 554,
          MAIL_REASON_NETWORK_ERROR}},
        {"5.7.0",
         {"552 5.7.0 This message was blocked because its content presents a potential "
          "security issue",
          552, MAIL_REASON_CONTENT_REJECTED}},
        {"5.4.5",
         {"550 5.4.5 Daily SMTP relay limit exceeded for user", 550, MAIL_REASON_RATE_LIMITED}},
        {"4.7.30",
         {"421 4.7.30 Your email has been rate limited because DKIM authentication didn't pass "
          "for this message",
          421, MAIL_REASON_SENDER_REJECTED}}, /* a specific status the reply code must not overrule:
                                               * 553 is no unknown user here */
        {"5.3.5", {"553 5.3.5 system config error", 553, MAIL_REASON_OTHER}},
        /* RFC 7372's reverse DNS failure: our server's name, not our domain */
        {"5.7.25",
         {"550 5.7.25 The IP address sending this message does not have a PTR record setup", 550,
          MAIL_REASON_POLICY_BLOCKED}},
        /* Gmail's refusals of a message's form */
        {"5.7.1",
         {"550 5.7.1 Encoded-word syntax is not permitted in message header Subject.", 550,
          MAIL_REASON_CONTENT_REJECTED}},
        {"5.7.1",
         {"550 5.7.1 Messages missing a valid address in the From: header are not accepted.", 550,
          MAIL_REASON_CONTENT_REJECTED}},
        {"5.7.0",
         {"550 5.7.0 Mail Sending denied. The sender account is disabled.", 550,
          MAIL_REASON_SENDER_REJECTED}},
        {"5.5.4", {"501 5.5.4 HELO/EHLO argument is invalid.", 501, MAIL_REASON_POLICY_BLOCKED}},
        /* Exchange Online's own codes */
        {"5.4.300", {"550 5.4.300 Message expired", 550, MAIL_REASON_EXPIRED}},
        {"5.7.13",
         {"550 5.7.13 Sender was not authenticated for public folder", 550,
          MAIL_REASON_POLICY_BLOCKED}},
        {"5.7.750",
         {"550 5.7.750 Service unavailable. Client blocked from sending from unregistered "
          "domains",
          550, MAIL_REASON_SENDER_REJECTED}},
        /* a 5.7.1 whose words say the address is not there (old Gmail,
         * Barracuda, eNom, qmail's badrcptto), a size or a scanner's banner */
        {"5.7.1", {"550 5.7.1 No such user c18si2365148hub", 550, MAIL_REASON_USER_UNKNOWN}},
        {"5.7.1", {"550 5.7.1 No mailbox found", 550, MAIL_REASON_USER_UNKNOWN}},
        {"5.0.0",
         {"553 sorry, badrcptto(user mail-box not found) (#5.7.1)", 553, MAIL_REASON_USER_UNKNOWN}},
        {"5.7.1",
         {"554 5.7.1 Message Rejected Class=size limit=15728640 Subclass=reject size=18571048", 554,
          MAIL_REASON_MESSAGE_TOO_BIG}},
        {"5.7.1",
         {"550 5.7.1 Unknown or unauthorized sender, message refused by policy", 550,
          MAIL_REASON_POLICY_BLOCKED}},
        {"5.1.1",
         {"Delivery to the following recipients failed. **** This email has come from the "
          "internet and has been scanned for all viruses and potentially offensive content ****",
          0, MAIL_REASON_USER_UNKNOWN}},
};

/* Words that look like a family but are not it. */
static const Case not_so[] = {
        /* about the delivery, not the address: nothing said */
        {"The following recipient(s) could not be reached: reason unknown", 0, MAIL_REASON_OTHER},
        {"The recipient server did not accept our requests. Error unknown", 0, MAIL_REASON_OTHER},
        /* the path, not the address: never a hard "user unknown" */
        {"The recipient server is unavailable", 0, MAIL_REASON_OTHER},
        {"recipient system not found", 0, MAIL_REASON_OTHER},
        {"550 Адрес сервера не найден", 550, MAIL_REASON_OTHER},
        {"User not found on this host", 0, MAIL_REASON_USER_UNKNOWN},
        /* a server refusing us, not a socket refused */
        {"554 Connection refused: your host is not permitted", 554, MAIL_REASON_POLICY_BLOCKED},
        /* a daemon's boilerplate, not an attachment refused */
        {"I'm afraid I wasn't able to deliver your message. --- Attachment is a copy of the "
         "message.",
         0, MAIL_REASON_OTHER},
        {": Message contains [1] file attachments", 0, MAIL_REASON_OTHER},
        /* Exim's wrapper and a gateway's name say nothing themselves */
        {"A message that you sent was rejected by the local scanning code that checks incoming "
         "messages on this system. Local mailbox dora@example.org is unavailable: user not found",
         0, MAIL_REASON_USER_UNKNOWN},
        {"****** Message from InterScan E-Mail VirusWall NT ****** The following mail could not "
         "be delivered.",
         0, MAIL_REASON_OTHER},
        {"Delivery failed. This message has been scanned for viruses and is virus-free.", 0,
         MAIL_REASON_OTHER},
        /* an account that expired is closed, not a queue that gave up */
        {"The message that you sent was undeliverable to the following: rwalsh (User account "
         "is expired)",
         0, MAIL_REASON_SUSPENDED},
        {"Your mail to the following recipients could not be delivered because they are not "
         "accepting mail with attachments or embedded images: rwalsh",
         0, MAIL_REASON_CONTENT_REJECTED},
};

static void
check(const Case *cases, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		bool hard = false;
		MailReason got = mail_reason_of(NULL, cases[i].reply_code, cases[i].text, &hard);
		if (got != cases[i].want)
			g_error("\"%s\": %s, expected %s", cases[i].text,
			        mail_reason_to_string(got), mail_reason_to_string(cases[i].want));
		g_assert_cmpint(hard, ==, mail_reason_is_hard(cases[i].want));
	}
}

static void
test_wording(void)
{
	check(wording, G_N_ELEMENTS(wording));
}

static void
test_providers(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(providers); i++) {
		const Case *c = &providers[i].words;
		bool hard = false;
		MailReason got = mail_reason_of(providers[i].status, c->reply_code, c->text, &hard);
		if (got != c->want)
			g_error("%s \"%s\": %s, expected %s", providers[i].status, c->text,
			        mail_reason_to_string(got), mail_reason_to_string(c->want));
	}
}

static void
test_not_so(void)
{
	check(not_so, G_N_ELEMENTS(not_so));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mail/reason/wording-without-status", test_wording);
	g_test_add_func("/mail/reason/provider-refusals", test_providers);
	g_test_add_func("/mail/reason/look-alike-wording", test_not_so);
	return g_test_run();
}
