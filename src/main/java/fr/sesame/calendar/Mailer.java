package fr.sesame.calendar;

import fr.sesame.Config;
import fr.sesame.auth.Tokens;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Properties;

/**
 * Sends one outbox e-mail over SMTP: a plain-text part and the invitation as a text/calendar part;
 * a reminder is plain text only, with List-Unsubscribe headers.
 */
final class Mailer {
    private final Config.Mail mail;
    private final Session session;

    Mailer(Config.Mail mail) {
        this.mail = mail;
        Properties p = new Properties();
        p.put("mail.smtp.host", mail.host());
        p.put("mail.smtp.port", String.valueOf(mail.port()));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.smtp.writetimeout", "20000");
        if (mail.startTls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (mail.user() != null) p.put("mail.smtp.auth", "true");
        this.session = Session.getInstance(p);
    }

    /**
     * The Message-ID is derived from the outbox row's idempotency key: if a crash makes the worker
     * send the same row again, the copy carries the same Message-ID (mail systems and clients treat
     * it as the same message) and the same UID and SEQUENCE (calendars apply it once).
     */
    static String messageId(String idempotencyKey, String domain) {
        return "<" + Tokens.sha256(idempotencyKey).substring(0, 40) + ".outbox@" + domain + ">";
    }

    void send(OutboxDao.Mail m) throws MessagingException {
        send(m, null);
    }

    /**
     * {@code unsubscribeUrl}, when given, is the guardian's opt-out page: {@code List-Unsubscribe}
     * (RFC 2369) names it, and {@code List-Unsubscribe-Post} (RFC 8058) tells the mail client it
     * may POST {@code List-Unsubscribe=One-Click} there, which the page accepts without a CSRF
     * token (the secret token in the address is the credential).
     */
    void send(OutboxDao.Mail m, String unsubscribeUrl) throws MessagingException {
        String domain = mail.from().substring(mail.from().indexOf('@') + 1);
        String messageId = messageId(m.idempotencyKey(), domain);
        MimeMessage msg =
                new MimeMessage(session) {
                    @Override
                    protected void updateMessageID() throws MessagingException {
                        setHeader("Message-ID", messageId);
                    }
                };
        try {
            msg.setFrom(new InternetAddress(mail.from(), mail.organizerName(), "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(m.recipient()));
        msg.setSubject(m.subject(), "UTF-8");
        msg.setSentDate(new Date());
        if (unsubscribeUrl != null) {
            msg.setHeader("List-Unsubscribe", "<" + unsubscribeUrl + ">");
            msg.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        if (m.ics() == null) {
            msg.setText(m.body(), "UTF-8");
            transmit(msg);
            return;
        }

        MimeBodyPart text = new MimeBodyPart();
        text.setText(m.body(), "UTF-8");
        MimeBodyPart calendar = new MimeBodyPart();
        calendar.setContent(m.ics(), "text/calendar; charset=UTF-8; method=" + m.icsMethod());
        calendar.setHeader("Content-Type", "text/calendar; charset=UTF-8; method=" + m.icsMethod());
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(calendar);
        msg.setContent(alternative);
        transmit(msg);
    }

    private void transmit(MimeMessage msg) throws MessagingException {
        msg.saveChanges();
        if (mail.user() != null) {
            Transport.send(msg, mail.user(), mail.password());
        } else {
            Transport.send(msg);
        }
    }
}
