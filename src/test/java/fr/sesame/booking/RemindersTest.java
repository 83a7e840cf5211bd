package fr.sesame.booking;

import static fr.sesame.booking.Fixtures.book;
import static fr.sesame.booking.Fixtures.count;
import static fr.sesame.booking.Fixtures.newSession;
import static fr.sesame.booking.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.Config;
import fr.sesame.messaging.Reminders;
import fr.sesame.messaging.SmsOutbox;
import fr.sesame.messaging.SmsParts;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Session reminders: parents book through the real app, then {@link Reminders} passes run at chosen
 * instants (a fixed clock) against the app's database, as the app's own minute loop runs them with
 * the system clock.
 */
@SesameTest(demo = true)
class RemindersTest {
    static final String FERRY = "0211234A";
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static TestApp app;
    static Jdbi db;

    private static Reminders at(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new Reminders(
                db, new SmsOutbox(app.baseUrl(), clock, 3, () -> {}), clock, 2, LocalTime.of(8, 0));
    }

    private static Instant startOf(long session) {
        return db.withHandle(
                h ->
                        h.createQuery("select starts_at from workshop_session where id = ?")
                                .bind(0, session)
                                .mapTo(Instant.class)
                                .one());
    }

    private static long bookingOf(long session, long family) {
        return db.withHandle(
                h ->
                        h.createQuery(
                                        "select id from booking where session_id = ? and family_id = ? order by id desc limit 1")
                                .bind(0, session)
                                .bind(1, family)
                                .mapTo(Long.class)
                                .one());
    }

    /** Families with a French mobile each, in these languages; their signed-in parents. */
    private static Http[] families(String prefix, String... languages) {
        List<String[]> made = Fixtures.addFamilies(db, prefix, languages.length, FERRY);
        Http[] parents = new Http[languages.length];
        for (int i = 0; i < languages.length; i++) {
            long family = Fixtures.familyOf(db, made.get(i));
            String lang = languages[i];
            String phone = String.format("06%08d", 12340000 + i);
            db.useHandle(
                    h ->
                            h.execute(
                                    "update guardian set language = ?, phone = ? where family_id = ?",
                                    lang,
                                    phone,
                                    family));
            parents[i] = Fixtures.parent(app, made.get(i));
        }
        return parents;
    }

    private static long family(Http parent, long session) {
        return db.withHandle(
                h ->
                        h.createQuery(
                                        "select b.family_id from booking b where b.session_id = ? order by b.id desc limit 1")
                                .bind(0, session)
                                .mapTo(Long.class)
                                .one());
    }

    private static int sms(long session, String kind) {
        return count(
                db,
                "select count(*) from sms_outbox o join booking b on b.id = o.booking_id where b.session_id = ? and o.kind = ?",
                session,
                kind);
    }

    @Test
    void the_sms_reminder_is_written_in_each_family_language() {
        long session = newSession(db, FERRY, "premiers-pas", 12, 43);
        List<String> languages = fr.sesame.web.Messages.FAMILY_LANGUAGES;
        Http[] p = families("langs", languages.toArray(String[]::new));
        long[] fam = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            book(p[i], session);
            fam[i] = family(p[i], session);
        }
        Instant start = startOf(session);
        at(start.minus(Duration.ofDays(2)).plusSeconds(60)).pass();
        for (int i = 0; i < p.length; i++) {
            String lang = languages.get(i);
            fr.sesame.web.Messages m = fr.sesame.web.Messages.of(lang);
            String text = body(bookingOf(session, fam[i]), "reminder_before");
            // the language's own words around the workshop, its own way of writing the day, and
            // its own opt-out line
            String template = m.t("reminder.sms", "\u0000", "\u0001", "\u0002");
            String before = template.substring(0, template.indexOf("\u0000"));
            String day = fr.sesame.web.Dates.dayAndTime(start, lang);
            assertThat(SmsParts.foldToGsm7(text))
                    .as(lang)
                    .startsWith(SmsParts.foldToGsm7(before))
                    .contains(SmsParts.foldToGsm7(day))
                    .contains(app.baseUrl() + "/o/");
            assertThat(SmsParts.of(text).encoding())
                    .as(lang)
                    .isEqualTo(lang.equals("ar") || lang.equals("uk") ? "UCS-2" : "GSM-7");
        }
    }

    @Test
    void a_reminder_written_then_cancelled_before_it_goes_is_skipped_by_the_worker() {
        long session = newSession(db, FERRY, "premiers-pas", 12, 41);
        Http[] p = families("skip", "fr");
        book(p[0], session);
        long booking = bookingOf(session, family(p[0], session));
        Instant written = startOf(session).minus(Duration.ofDays(2)).plusSeconds(60);
        at(written).pass();
        assertThat(sms(session, "reminder_before")).isEqualTo(1);
        // cancelled while the reminder waits (quiet hours, a provider down): it must not go
        p[0].get("/bookings/" + booking + "/cancel");
        p[0].postForm("/bookings/" + booking + "/cancel", Map.of());
        List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        fr.sesame.messaging.SmsSender sender =
                new fr.sesame.messaging.SmsSender() {
                    @Override
                    public String name() {
                        return "test";
                    }

                    @Override
                    public Accepted send(Sms sms) {
                        sent.add(sms.body());
                        return new Accepted("test-" + sms.id());
                    }
                };
        Instant sendAt = written.plus(Duration.ofDays(1)).atZone(PARIS).withHour(10).toInstant();
        new fr.sesame.messaging.SmsWorker(
                        db,
                        sender,
                        "Sesame",
                        Clock.fixed(sendAt, ZoneOffset.UTC),
                        Duration.ofHours(1))
                .runOnce();
        assertThat(sent).isEmpty();
        assertThat(
                        count(
                                db,
                                "select count(*) from sms_outbox where booking_id = ? and status = 'skipped'",
                                booking))
                .isEqualTo(1);
    }

    @Test
    void reminders_go_two_days_before_and_on_the_morning_once_each_in_the_guardians_language()
            throws Exception {
        long session = newSession(db, FERRY, "premiers-pas", 10, 40);
        long later = newSession(db, FERRY, "premiers-pas", 10, 45);
        Http[] p = families("remind", "fr", "en", "fr", "fr");
        long[] fam = new long[4];
        for (int i = 0; i < 4; i++) {
            book(p[i], session);
            fam[i] = family(p[i], session);
        }
        // the third cancels, the fourth moves to a later date: neither is reminded of this one
        long cancelled = bookingOf(session, fam[2]);
        p[2].get("/bookings/" + cancelled + "/cancel");
        assertThat(
                        p[2].postForm("/bookings/" + cancelled + "/cancel", Map.of())
                                .headers()
                                .firstValue("Location"))
                .hasValue("/me?done=cancelled");
        long moved = bookingOf(session, fam[3]);
        var choices = p[3].get("/bookings/" + moved + "/move");
        assertThat(
                        p[3].postForm(
                                        "/bookings/" + moved + "/move",
                                        Map.of(
                                                "to",
                                                String.valueOf(later),
                                                "token",
                                                token(choices)))
                                .headers()
                                .firstValue("Location"))
                .hasValue("/me?done=moved");

        Instant start = startOf(session);
        Instant twoDaysBefore = start.minus(Duration.ofDays(2));
        at(twoDaysBefore.minusSeconds(60)).pass();
        assertThat(sms(session, "reminder_before")).isZero();

        at(twoDaysBefore.plusSeconds(60)).pass();
        assertThat(sms(session, "reminder_before")).isEqualTo(2);
        String fr = body(bookingOf(session, fam[0]), "reminder_before");
        String en = body(bookingOf(session, fam[1]), "reminder_before");
        assertThat(fr).startsWith("Rappel Sésame : Premiers pas avec l'ordinateur, ");
        assertThat(fr)
                .contains("École élémentaire Jules Ferry", "STOP SMS : " + app.baseUrl() + "/o/");
        assertThat(en).startsWith("Sésame reminder: workshop First steps with the computer on ");
        assertThat(SmsParts.of(fr).parts()).as(fr).isEqualTo(1);
        assertThat(SmsParts.of(fr).encoding()).isEqualTo("GSM-7");
        assertThat(
                        count(
                                db,
                                "select count(*) from sms_outbox where booking_id = ? and language = 'en' and status = 'pending' and recipient = '+33612340001'",
                                bookingOf(session, fam[1])))
                .isEqualTo(1);
        // the moved booking's new one is far from its reminder yet
        assertThat(sms(later, "reminder_before")).isZero();

        // a restart, or a second instance: nothing twice
        at(twoDaysBefore.plusSeconds(120)).pass();
        at(twoDaysBefore.plusSeconds(180)).pass();
        assertThat(sms(session, "reminder_before")).isEqualTo(2);

        // the session's morning, 08:00 Paris: two instances at once write each reminder once
        Instant morning = start.atZone(PARIS).toLocalDate().atTime(8, 0).atZone(PARIS).toInstant();
        at(morning.minusSeconds(60)).pass();
        assertThat(sms(session, "reminder_morning")).isZero();
        Reminders one = at(morning.plusSeconds(60));
        Reminders two = at(morning.plusSeconds(61));
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(one::pass);
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(two::pass);
        a.get();
        b.get();
        assertThat(sms(session, "reminder_morning")).isEqualTo(2);
        assertThat(
                        count(
                                db,
                                "select count(*) from sms_outbox o join booking b on b.id = o.booking_id where b.session_id = ? and b.status <> 'active'",
                                session))
                .isZero();
    }

    @Test
    void no_reminder_once_the_session_has_started_and_only_the_morning_one_when_booked_late() {
        long session = newSession(db, FERRY, "premiers-pas", 10, 50);
        Http[] p = families("remlate", "fr");
        book(p[0], session);
        Instant start = startOf(session);
        // booked a day before the session: after the "two days before" moment
        db.useHandle(
                h ->
                        h.execute(
                                "update booking set created_at = ? where session_id = ?",
                                start.minus(Duration.ofDays(1)),
                                session));
        at(start.minus(Duration.ofHours(20))).pass();
        assertThat(sms(session, "reminder_before")).isZero();
        at(start.plusSeconds(60)).pass();
        assertThat(sms(session, "reminder_morning")).as("after the start").isZero();
        at(start.minusSeconds(60)).pass();
        assertThat(sms(session, "reminder_morning")).isEqualTo(1);
        assertThat(sms(session, "reminder_before")).isZero();
    }

    @Test
    void an_opted_out_guardian_gets_the_booking_confirmation_e_mail_and_no_reminder() {
        long session = newSession(db, FERRY, "premiers-pas", 10, 55);
        Http[] p = families("remout", "fr");
        book(p[0], session);
        long booking = bookingOf(session, family(p[0], session));
        db.useHandle(
                h ->
                        h.execute(
                                "update guardian set opt_out = true, opt_out_at = now(), opt_out_by = 'test', email = 'remout@example.org' where id = (select guardian_id from booking where id = ?)",
                                booking));
        at(startOf(session).minus(Duration.ofDays(2)).plusSeconds(60)).pass();
        assertThat(
                        count(
                                db,
                                "select count(*) from sms_outbox where booking_id = ? and status = 'opted_out'",
                                booking))
                .isEqualTo(1);
        assertThat(
                        count(
                                db,
                                "select count(*) from sms_outbox where booking_id = ? and status <> 'opted_out'",
                                booking))
                .isZero();
        assertThat(
                        count(
                                db,
                                "select count(*) from calendar_outbox where booking_id = ? and kind = 'confirmed'",
                                booking))
                .isEqualTo(1);
    }

    @Test
    void the_reminder_settings_are_checked_at_start() {
        Config defaults = Config.fromEnvironment(Map.of(), false);
        assertThat(defaults.reminder().daysBefore()).isEqualTo(2);
        assertThat(defaults.reminder().morningAt()).isEqualTo(LocalTime.of(8, 0));
        Config set =
                Config.fromEnvironment(
                        Map.of("REMINDER_DAYS_BEFORE", "3", "REMINDER_MORNING_AT", "07:30"), false);
        assertThat(set.reminder().daysBefore()).isEqualTo(3);
        assertThat(set.reminder().morningAt()).isEqualTo(LocalTime.of(7, 30));
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("REMINDER_MORNING_AT", "8h"), false))
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("REMINDER_MORNING_AT");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("REMINDER_DAYS_BEFORE", "0"), false))
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("REMINDER_DAYS_BEFORE");
    }

    private static String body(long booking, String kind) {
        return db.withHandle(
                h ->
                        h.createQuery(
                                        "select body from sms_outbox where booking_id = ? and kind = ?")
                                .bind(0, booking)
                                .bind(1, kind)
                                .mapTo(String.class)
                                .one());
    }
}
