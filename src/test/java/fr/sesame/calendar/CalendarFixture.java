package fr.sesame.calendar;

import java.time.Duration;
import java.time.ZonedDateTime;
import org.jdbi.v3.core.Jdbi;

/**
 * Sessions, guardians and bookings written straight in SQL, as the booking service will write them.
 */
final class CalendarFixture {
    private final Jdbi jdbi;

    CalendarFixture(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A session at the first room of the school with this UAI, of the first workshop type. */
    long session(String uai, ZonedDateTime start, Duration length) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                select (select min(id) from workshop_type), s.id, (select min(r.id) from room r where r.school_id = s.id),
                       :start, :end, 12
                from school s where s.uai = :uai
                returning id""")
                                .bind("uai", uai)
                                .bind("start", start.toOffsetDateTime())
                                .bind("end", start.plus(length).toOffsetDateTime())
                                .mapTo(Long.class)
                                .one());
    }

    /** A new family with one guardian; returns the guardian's id. */
    long guardian(String firstName, String lastName, String email, String language) {
        return jdbi.withHandle(
                h -> {
                    long family =
                            h.createQuery(
                                            "insert into family (reference) values ('CAL-' || gen_random_uuid()) returning id")
                                    .mapTo(Long.class)
                                    .one();
                    return h.createQuery(
                                    """
                    insert into guardian (family_id, first_name, last_name, email, language)
                    values (:family, :first, :last, :email, :lang) returning id""")
                            .bind("family", family)
                            .bind("first", firstName)
                            .bind("last", lastName)
                            .bind("email", email)
                            .bind("lang", language)
                            .mapTo(Long.class)
                            .one();
                });
    }

    /** The guardian who signs in with the first demo family's letter code. */
    long demoParent() {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                select g.id from guardian g join family f on f.id = g.family_id
                where f.letter_code = 'K7M49PQX' order by g.id limit 1""")
                                .mapTo(Long.class)
                                .one());
    }

    /** An active booking, as the booking service writes it (the seat counted). */
    long book(long sessionId, long guardianId) {
        return jdbi.inTransaction(
                h -> {
                    h.createUpdate("update workshop_session set booked = booked + 1 where id = :s")
                            .bind("s", sessionId)
                            .execute();
                    return h.createQuery(
                                    """
                    insert into booking (session_id, family_id, guardian_id)
                    select :s, family_id, id from guardian where id = :g returning id""")
                            .bind("s", sessionId)
                            .bind("g", guardianId)
                            .mapTo(Long.class)
                            .one();
                });
    }

    void moveSession(long sessionId, ZonedDateTime newStart) {
        jdbi.useHandle(
                h ->
                        h.createUpdate(
                                        """
                update workshop_session set ends_at = :start + (ends_at - starts_at), starts_at = :start where id = :s""")
                                .bind("start", newStart.toOffsetDateTime())
                                .bind("s", sessionId)
                                .execute());
    }
}
