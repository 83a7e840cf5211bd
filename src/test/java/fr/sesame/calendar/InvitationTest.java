package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invitations the booking service's calls write to the outbox, read back by two independent
 * parsers.
 */
@SesameTest(demo = true)
class InvitationTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static TestApp app;
    static Jdbi jdbi;
    static CalendarOutbox calendar;
    static CalendarFixture fixture;

    @BeforeAll
    static void start() {
        calendar = app.app().calendarOutbox();
        fixture = new CalendarFixture(jdbi);
    }

    /**
     * The invitation files of a guardian's e-mails, composed as the mail worker composes them when
     * it sends.
     */
    static List<String> outboxIcs(long guardianId) {
        OutboxMails mails = new OutboxMails(app.baseUrl(), app.app().config().mail());
        return jdbi.withHandle(
                h ->
                        h
                                .createQuery(
                                        """
                        select id, idempotency_key, recipient, subject, body, ics, ics_method, attempts, booking_id, kind,
                               event_uid, event_sequence
                        from calendar_outbox where guardian_id = :g order by id""")
                                .bind("g", guardianId)
                                .mapTo(OutboxDao.Mail.class)
                                .list()
                                .stream()
                                .map(m -> mails.compose(h, m).ics())
                                .toList());
    }

    @Test
    void a_confirmed_booking_sends_a_request_with_everything_a_calendar_needs() {
        long session =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2026, 12, 8, 17, 30, 0, 0, PARIS),
                        Duration.ofHours(2));
        long guardian = fixture.guardian("Aïcha", "Diallo", "aicha@example.fr", "fr");
        long booking = fixture.book(session, guardian);
        jdbi.useTransaction(h -> calendar.bookingConfirmed(h, booking));

        List<String> sent = outboxIcs(guardian);
        assertThat(sent).hasSize(1);
        String ics = sent.get(0);
        Ical.Parsed parsed = Ical.parse(ics);
        assertThat(parsed.method()).isEqualTo("REQUEST");
        Ical.Event e = parsed.only();
        String uid = Sql.text(jdbi, "select calendar_uid::text from booking where id = " + booking);
        assertThat(e.uid()).isEqualTo(uid).doesNotContain("Diallo").doesNotContain("aicha");
        assertThat(e.sequence()).isZero();
        assertThat(e.status()).isEqualTo("CONFIRMED");
        assertThat(e.start()).isEqualTo(Instant.parse("2026-12-08T16:30:00Z"));
        assertThat(e.end()).isEqualTo(Instant.parse("2026-12-08T18:30:00Z"));
        assertThat(e.location())
                .contains("École élémentaire Jules Ferry")
                .contains("12 rue des Écoles")
                .contains("Chenôve");
        assertThat(e.description()).contains("À apporter").contains(app.baseUrl() + "/me");

        var vevent = parsed.biweekly().getEvents().get(0);
        assertThat(vevent.getOrganizer().getEmail())
                .isEqualTo(app.app().config().mail().organizerEmail());
        assertThat(vevent.getAttendees())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.getEmail()).isEqualTo("aicha@example.fr");
                            assertThat(a.getParticipationStatus().getValue())
                                    .isEqualTo("NEEDS-ACTION");
                        });
        assertThat(vevent.getDateTimeStamp()).isNotNull();
        assertThat(vevent.getAlarms())
                .singleElement()
                .satisfies(
                        alarm ->
                                assertThat(alarm.getTrigger().getDuration().toString())
                                        .isEqualTo("-P1D"));
        assertThat(ics).contains("\r\nDTSTART;TZID=Europe/Paris:20261208T173000\r\n");

        assertThat(
                        Sql.text(
                                jdbi,
                                "select status from calendar_outbox where booking_id = " + booking))
                .isEqualTo("pending");
        assertThat(
                        Sql.text(
                                jdbi,
                                "select subject from calendar_outbox where booking_id = "
                                        + booking))
                .startsWith("Atelier réservé");
    }

    @Test
    void the_uid_stays_and_the_sequence_rises_through_a_change_a_move_and_a_cancellation() {
        long session =
                fixture.session(
                        "0215678B",
                        ZonedDateTime.of(2026, 12, 10, 17, 30, 0, 0, PARIS),
                        Duration.ofHours(2));
        long other =
                fixture.session(
                        "0215678B",
                        ZonedDateTime.of(2026, 12, 17, 9, 0, 0, 0, PARIS),
                        Duration.ofHours(2));
        long guardian = fixture.guardian("Jean-Noël", "Lefèvre", "jn@example.fr", "en");
        long booking = fixture.book(session, guardian);
        jdbi.useTransaction(h -> calendar.bookingConfirmed(h, booking));
        // the session moves by an hour
        jdbi.useTransaction(
                h -> {
                    h.execute(
                            "update workshop_session set starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour' where id = ?",
                            session);
                    calendar.sessionChanged(h, session);
                });
        // the parent moves to another session
        long moved =
                jdbi.inTransaction(
                        h -> {
                            h.execute(
                                    "update booking set status = 'moved', ended_at = now() where id = ?",
                                    booking);
                            long next =
                                    h.createQuery(
                                                    "insert into booking (session_id, family_id, guardian_id) select ?, family_id, id from guardian where id = ? returning id")
                                            .bind(0, other)
                                            .bind(1, guardian)
                                            .mapTo(Long.class)
                                            .one();
                            calendar.bookingMoved(h, booking, next);
                            return next;
                        });
        // then cancels
        jdbi.useTransaction(
                h -> {
                    h.execute(
                            "update booking set status = 'cancelled', ended_at = now() where id = ?",
                            moved);
                    calendar.bookingCancelled(h, moved);
                });
        // a repeated call sends nothing more
        jdbi.useTransaction(h -> calendar.bookingCancelled(h, moved));

        List<Ical.Parsed> sent = outboxIcs(guardian).stream().map(Ical::parse).toList();
        assertThat(sent)
                .extracting(Ical.Parsed::method)
                .containsExactly("REQUEST", "REQUEST", "REQUEST", "CANCEL");
        List<Ical.Event> events = sent.stream().map(Ical.Parsed::only).toList();
        assertThat(events).extracting(Ical.Event::uid).containsOnly(events.get(0).uid());
        assertThat(events).extracting(Ical.Event::sequence).containsExactly(0, 1, 2, 3);
        assertThat(events.get(1).start()).isEqualTo(Instant.parse("2026-12-10T17:30:00Z"));
        assertThat(events.get(2).start()).isEqualTo(Instant.parse("2026-12-17T08:00:00Z"));
        assertThat(events.get(3).status()).isEqualTo("CANCELLED");
        List<String> kinds =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select kind from calendar_outbox where guardian_id = ? order by id")
                                        .bind(0, guardian)
                                        .mapTo(String.class)
                                        .list());
        assertThat(kinds).containsExactly("confirmed", "updated", "updated", "cancelled");
        assertThat(
                        Sql.text(
                                jdbi,
                                "select subject from calendar_outbox where guardian_id = "
                                        + guardian
                                        + " order by id limit 1"))
                .startsWith("Workshop booked");
    }

    @Test
    void a_cancelled_session_cancels_every_booking_invitation() {
        long session =
                fixture.session(
                        "0219012C",
                        ZonedDateTime.of(2026, 12, 15, 17, 30, 0, 0, PARIS),
                        Duration.ofHours(2));
        long a = fixture.guardian("Mei", "Nguyen", "mei@example.fr", "fr");
        long b = fixture.guardian("Samir", "Haddad", "samir@example.fr", "fr");
        long ba = fixture.book(session, a);
        long bb = fixture.book(session, b);
        jdbi.useTransaction(
                h -> {
                    calendar.bookingConfirmed(h, ba);
                    calendar.bookingConfirmed(h, bb);
                });
        int before =
                Sql.count(
                        jdbi,
                        "select calendar_sequence from workshop_session where id = " + session);
        jdbi.useTransaction(
                h -> {
                    h.execute(
                            "update workshop_session set status = 'cancelled' where id = ?",
                            session);
                    h.execute(
                            "update booking set status = 'cancelled', ended_at = now() where session_id = ?",
                            session);
                    calendar.sessionCancelled(h, session);
                });
        for (long g : List.of(a, b)) {
            List<Ical.Parsed> sent = outboxIcs(g).stream().map(Ical::parse).toList();
            assertThat(sent).extracting(Ical.Parsed::method).containsExactly("REQUEST", "CANCEL");
            assertThat(sent.get(1).only().sequence()).isGreaterThan(sent.get(0).only().sequence());
            assertThat(sent.get(1).only().uid()).isEqualTo(sent.get(0).only().uid());
            assertThat(sent.get(1).only().status()).isEqualTo("CANCELLED");
        }
        assertThat(
                        Sql.count(
                                jdbi,
                                "select calendar_sequence from workshop_session where id = "
                                        + session))
                .isGreaterThan(before);
    }

    @Test
    void times_are_right_on_both_daylight_saving_changes() {
        // 25 October 2026: clocks go back at 03:00; 28 March 2027: clocks go forward at 02:00.
        long autumn =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2026, 10, 25, 10, 0, 0, 0, PARIS),
                        Duration.ofHours(2));
        long spring =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2027, 3, 28, 10, 0, 0, 0, PARIS),
                        Duration.ofHours(2));
        long guardian = fixture.guardian("Hélène", "Moreau", "helene@example.fr", "fr");
        for (long s : List.of(autumn, spring)) {
            long booking = fixture.book(s, guardian);
            jdbi.useTransaction(h -> calendar.bookingConfirmed(h, booking));
        }
        List<Ical.Event> events =
                outboxIcs(guardian).stream().map(Ical::parse).map(Ical.Parsed::only).toList();
        assertThat(events.get(0).start()).isEqualTo(Instant.parse("2026-10-25T09:00:00Z"));
        assertThat(events.get(0).end()).isEqualTo(Instant.parse("2026-10-25T11:00:00Z"));
        assertThat(events.get(1).start()).isEqualTo(Instant.parse("2027-03-28T08:00:00Z"));
        assertThat(events.get(1).end()).isEqualTo(Instant.parse("2027-03-28T10:00:00Z"));
        assertThat(outboxIcs(guardian).get(0))
                .contains("DTSTART;TZID=Europe/Paris:20261025T100000\r\n");
        assertThat(outboxIcs(guardian).get(1))
                .contains("DTSTART;TZID=Europe/Paris:20270328T100000\r\n");
    }

    @Test
    void accented_names_and_emoji_keep_every_line_within_75_octets() {
        long session =
                jdbi.withHandle(
                        h -> {
                            long type =
                                    h.createQuery(
                                                    """
                    insert into workshop_type (code, title_fr, title_en, duration_minutes)
                    values ('emoji', 'Découvrir l’ENT 😀🎒 : écrire à l’enseignante, lire le cahier de textes, éditer; ses préférences',
                            'Discover the ENT 😀', 120) returning id""")
                                            .mapTo(Long.class)
                                            .one();
                            return h.createQuery(
                                            """
                    insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                    select :t, r.school_id, r.id, '2026-12-09 16:30+00', '2026-12-09 18:30+00', 10 from room r order by r.id limit 1
                    returning id""")
                                    .bind("t", type)
                                    .mapTo(Long.class)
                                    .one();
                        });
        long guardian =
                fixture.guardian(
                        "Ñúñez-Żółć Éléonore-Maëlys 👩‍👧",
                        "Ødegård-Çelik-Öztürk-Ülkü-Ğümüş",
                        "e@example.fr",
                        "fr");
        long booking = fixture.book(session, guardian);
        jdbi.useTransaction(h -> calendar.bookingConfirmed(h, booking));
        String ics = outboxIcs(guardian).get(0);
        Ical.assertWellFormed(ics.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Ical.Event e = Ical.parse(ics).only();
        assertThat(e.summary())
                .isEqualTo(
                        "Découvrir l’ENT 😀🎒 : écrire à l’enseignante, lire le cahier de textes, éditer; ses préférences");
        assertThat(ics).contains("\\,").contains("\\;").doesNotContain("\t");
    }

    @Test
    void a_guardian_without_an_email_is_queued_for_the_education_service_to_reach() {
        long session =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2026, 12, 11, 17, 30, 0, 0, PARIS),
                        Duration.ofHours(2));
        long guardian = fixture.guardian("Moussa", "Traoré", null, "fr");
        long booking = fixture.book(session, guardian);
        jdbi.useTransaction(h -> calendar.bookingConfirmed(h, booking));
        assertThat(
                        Sql.text(
                                jdbi,
                                "select status from calendar_outbox where booking_id = " + booking))
                .isEqualTo("no_address");
        String page = SignIn.admin(app).get("/admin/outbox").body();
        assertThat(page).contains("Moussa Traoré");
    }

    @Test
    void nothing_is_written_when_the_booking_transaction_rolls_back() {
        long session =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2026, 12, 14, 17, 30, 0, 0, PARIS),
                        Duration.ofHours(2));
        long guardian = fixture.guardian("Karim", "Benali", "karim@example.fr", "fr");
        assertThatThrownBy(
                        () ->
                                jdbi.useTransaction(
                                        h -> {
                                            long booking =
                                                    h.createQuery(
                                                                    "insert into booking (session_id, family_id, guardian_id) select ?, family_id, id from guardian where id = ? returning id")
                                                            .bind(0, session)
                                                            .bind(1, guardian)
                                                            .mapTo(Long.class)
                                                            .one();
                                            calendar.bookingConfirmed(h, booking);
                                            throw new IllegalStateException(
                                                    "the booking fails after the call");
                                        }))
                .hasMessageContaining("fails");
        assertThat(
                        Sql.count(
                                jdbi,
                                "select count(*) from calendar_outbox where guardian_id = "
                                        + guardian))
                .isZero();
    }
}
