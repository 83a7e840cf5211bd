package fr.sesame.reach;

import fr.sesame.messaging.SmsOutbox;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The no-show follow-up: when a session is closed, each guardian who booked it and was marked
 * absent or excused, or not marked, and whose family is still not trained (family_progress, the one
 * home-use rule's answer: a family whose other guardian came is trained), gets one message with a
 * personal link to choose another date: an SMS if they have a French mobile, an e-mail if they have
 * an address, nothing if they opted out. Written in the close's transaction; the booking is the
 * idempotency key ({@code follow_up} row, {@code follow_up:<booking>} outbox keys), so a second
 * close or a retry writes nothing twice. Never for a cancelled session.
 */
public final class FollowUps {
    private static final Logger log = LoggerFactory.getLogger(FollowUps.class);
    private final ReachMessages messages;

    public FollowUps(PersonalLinks links, SmsOutbox sms, Runnable mailWritten) {
        this.messages = new ReachMessages(links, sms, mailWritten);
    }

    /** Called by the close, on its transaction. Returns how many follow-ups were written. */
    public int sessionClosed(Handle h, long sessionId) {
        ReachDao dao = h.attach(ReachDao.class);
        int written = 0;
        for (ReachDao.Missed m : dao.missed(sessionId)) {
            String key = "follow_up:" + m.bookingId();
            ReachMessages.Written w = new ReachMessages.Written(null, null);
            if (!m.optOut()) {
                // the follow_up row first: a second close finds it and writes no second link
                if (dao.insertFollowUp(m.bookingId(), m.guardianId(), sessionId, null, null)
                        .isEmpty()) continue;
                w =
                        messages.write(
                                h,
                                m.guardianId(),
                                m.familyId(),
                                m.language(),
                                m.email(),
                                fr.sesame.messaging.FrenchMobile.normalize(m.phone()).isPresent(),
                                true,
                                true,
                                "followup",
                                key);
                dao.setFollowUpKeys(m.bookingId(), w.smsKey(), w.mailKey());
            } else if (dao.insertFollowUp(m.bookingId(), m.guardianId(), sessionId, null, null)
                    .isEmpty()) continue;
            written++;
            log.info(
                    "event=follow_up_written session={} booking={} outcome={}",
                    sessionId,
                    m.bookingId(),
                    m.optOut() ? "opted_out" : w.outcome());
        }
        return written;
    }
}
