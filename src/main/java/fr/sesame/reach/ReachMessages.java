package fr.sesame.reach;

import fr.sesame.messaging.FrenchMobile;
import fr.sesame.messaging.SmsOutbox;
import fr.sesame.messaging.SmsParts;
import fr.sesame.web.Messages;
import org.jdbi.v3.core.Handle;

/**
 * Writes a campaign's or a follow-up's messages to one guardian, on the caller's transaction: an
 * SMS to the SMS outbox and a plain e-mail to the mail outbox, each with the guardian's personal
 * link (one link for both) and the opt-out link, in the guardian's language.
 */
final class ReachMessages {
    /** What the guardian gets: the keys of the rows written (null: none). */
    record Written(String smsKey, String mailKey) {
        String outcome() {
            if (smsKey != null && mailKey != null) return "both";
            if (smsKey != null) return "sms";
            if (mailKey != null) return "email";
            return "no_contact";
        }
    }

    private final PersonalLinks links;
    private final SmsOutbox sms;
    private final Runnable mailWritten;

    ReachMessages(PersonalLinks links, SmsOutbox sms, Runnable mailWritten) {
        this.links = links;
        this.sms = sms;
        this.mailWritten = mailWritten;
    }

    /** The SMS text before its opt-out line (French folded to GSM-7 where it can be: one part). */
    static String smsText(String kind, String lang, String link) {
        String text = Messages.of(lang).t("reach.family." + kind + ".sms", link);
        return SmsParts.isGsm7(text) ? text : SmsParts.foldToGsm7(text);
    }

    /** The parts the SMS costs in this language, opt-out line and a real-length link included. */
    SmsParts.Parts parts(String kind, String lang) {
        return sms.parts(smsText(kind, lang, links.sampleUrl()), lang);
    }

    static boolean hasMobile(ReachDao.Guardian g) {
        return FrenchMobile.normalize(g.phone()).isPresent();
    }

    static boolean hasEmail(String email) {
        return email != null && email.contains("@");
    }

    /**
     * Writes what the channels ask for and the guardian can receive; nothing for a guardian who
     * opted out. {@code key} is the idempotency key of both rows.
     */
    Written write(
            Handle h,
            long guardianId,
            long familyId,
            String language,
            String email,
            boolean mobile,
            boolean bySms,
            boolean byMail,
            String kind,
            String key) {
        boolean smsToGo = bySms && mobile;
        boolean mailToGo = byMail && hasEmail(email);
        if (!smsToGo && !mailToGo) return new Written(null, null);
        String smsKind = kind.equals("followup") ? "follow_up" : "campaign";
        String link = links.issue(h, guardianId, familyId, smsKind);
        String smsKey = null;
        String mailKey = null;
        if (smsToGo) {
            SmsOutbox.Outcome o =
                    sms.enqueue(h, guardianId, smsText(kind, language, link), smsKind, key);
            if (o == SmsOutbox.Outcome.QUEUED || o == SmsOutbox.Outcome.ALREADY_QUEUED)
                smsKey = key;
        }
        if (mailToGo) {
            Messages m = Messages.of(language);
            String optOut = sms.optOutUrl(SmsOutbox.optOutToken(h, guardianId));
            String body = m.t("reach.family." + kind + ".mail.body", link, optOut);
            int n =
                    h.attach(ReachDao.class)
                            .insertMail(
                                    key,
                                    guardianId,
                                    email.trim(),
                                    language,
                                    smsKind,
                                    m.t("reach.family." + kind + ".mail.subject"),
                                    body);
            if (n == 1) h.afterCommit(mailWritten);
            mailKey = key;
        }
        return new Written(smsKey, mailKey);
    }
}
