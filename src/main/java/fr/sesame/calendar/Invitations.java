package fr.sesame.calendar;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The statements of a new booking's invitation, on Jdbi's fluent API: the booking transaction runs
 * them on its handle without attaching {@link InvitationDao} (an attach builds a handler for each
 * of its methods), whose methods of the same names call these. The SQL is public for the booking
 * storm's plain-JDBC twin.
 */
public final class Invitations {
    public static final String BOOKING = InvitationDao.BOOKING_SELECT + " where b.id = :id";

    public static final String INSERT_INVITATION =
            """
            insert into calendar_invitation (booking_id, uid, sequence, state) values (:booking, :uid, :sequence, 'active')
            on conflict (booking_id) do nothing""";

    public static final String ENQUEUE =
            """
            insert into calendar_outbox (idempotency_key, booking_id, guardian_id, recipient, language, kind, subject,
                                         event_uid, event_sequence, ics_method, status)
            values (:key, :booking, :guardian, :recipient, :language, :kind, :subject, :uid, :sequence, :method,
                    case when cast(:recipient as text) is null then 'no_address' else 'pending' end)
            on conflict (idempotency_key) do nothing""";

    private Invitations() {}

    static Optional<InvitationDao.BookingRow> booking(Handle h, long bookingId) {
        return h.createQuery(BOOKING)
                .bind("id", bookingId)
                .mapTo(InvitationDao.BookingRow.class)
                .findOne();
    }

    static int insertInvitation(Handle h, long bookingId, UUID uid, int sequence) {
        return h.createUpdate(INSERT_INVITATION)
                .bind("booking", bookingId)
                .bind("uid", uid)
                .bind("sequence", sequence)
                .execute();
    }

    static int enqueue(
            Handle h,
            String key,
            long bookingId,
            long guardianId,
            String recipient,
            String language,
            String kind,
            String subject,
            UUID uid,
            int sequence,
            String method) {
        return h.createUpdate(ENQUEUE)
                .bind("key", key)
                .bind("booking", bookingId)
                .bind("guardian", guardianId)
                .bind("recipient", recipient)
                .bind("language", language)
                .bind("kind", kind)
                .bind("subject", subject)
                .bind("uid", uid)
                .bind("sequence", sequence)
                .bind("method", method)
                .execute();
    }
}
