package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.sesame.Config;
import fr.sesame.demo.DemoSeed;
import fr.sesame.messaging.Reminders;
import fr.sesame.messaging.SmsOutbox;
import fr.sesame.support.Http;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session reminders by e-mail, through the mail outbox and its worker, against a real SMTP server
 * (GreenMail): reminder passes and workers run at chosen instants (fixed clocks), from two app
 * instances on one database. The apps have no SMTP settings, so only the workers built here send.
 */
class ReminderMailTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static TestApp one;
    static TestApp two;
    static Jdbi db;
    static CalendarFixture fixture;

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>(TestDatabase.freshDatabaseEnv());
        one = TestApp.startWithEnv(env);
        new DemoSeed(one.jdbi()).seed();
        two = TestApp.startWithEnv(env);
        db = one.jdbi();
        fixture = new CalendarFixture(db);
    }

    @AfterAll
    static void stop() {
        two.close();
        one.close();
    }

    @BeforeEach
    void emptyMailbox() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    static Config.Mail mailSettings() {
        return Config.fromEnvironment(
                        Map.of(
                                "SMTP_HOST",
                                "127.0.0.1",
                                "SMTP_PORT",
                                String.valueOf(smtp.getSmtp().getPort()),
                                "SMTP_STARTTLS",
                                "false",
                                "SMTP_FROM",
                                "ateliers@ville.example"),
                        false)
                .mail();
    }

    /** A reminder pass of this app instance at this instant (2 days before, mornings 08:00). */
    static Reminders reminders(TestApp app, Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new Reminders(
                app.jdbi(),
                new SmsOutbox(app.baseUrl(), clock, 3, () -> {}),
                app.app().calendarOutbox(),
                clock,
                2,
                LocalTime.of(8, 0));
    }

    static OutboxWorker worker(TestApp app, Instant now) {
        return new OutboxWorker(
                app.jdbi(),
                mailSettings(),
                app.baseUrl(),
                Duration.ofMinutes(5),
                Duration.ofHours(1),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    /** Both instances run a pass at once, then both workers at once. */
    static void bothInstances(Instant now) throws Exception {
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(reminders(one, now)::pass);
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(reminders(two, now)::pass);
        a.get();
        b.get();
        CompletableFuture<Integer> x = CompletableFuture.supplyAsync(worker(one, now)::runOnce);
        CompletableFuture<Integer> y = CompletableFuture.supplyAsync(worker(two, now)::runOnce);
        x.get();
        y.get();
    }

    static ZonedDateTime inDays(int days, int hour) {
        return ZonedDateTime.now(PARIS)
                .plusDays(days)
                .withHour(hour)
                .withMinute(30)
                .withSecond(0)
                .withNano(0);
    }

    static long guardian(String name, String email, String lang) {
        return fixture.guardian(name, "Test", email, lang);
    }

    static int mails(long booking, String kind, String status) {
        return Sql.count(
                db,
                "select count(*) from calendar_outbox where booking_id = "
                        + booking
                        + " and kind = '"
                        + kind
                        + "' and status = '"
                        + status
                        + "'");
    }

    static int mails(long booking) {
        return Sql.count(db, "select count(*) from calendar_outbox where booking_id = " + booking);
    }

    static List<MimeMessage> received(String to) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(
                        m -> {
                            try {
                                return m.getAllRecipients()[0].toString().equals(to);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                .toList();
    }

    static String text(MimeMessage m) throws Exception {
        return m.getContent().toString();
    }

    @Test
    void both_reminders_go_by_email_once_each_in_the_guardians_language_with_the_opt_out_headers()
            throws Exception {
        ZonedDateTime start = inDays(10, 17);
        long session = fixture.session("0211234A", start, Duration.ofHours(2));
        long fr = fixture.book(session, guardian("Aïcha", "aicha@example.fr", "fr"));
        long ar = fixture.book(session, guardian("Samir", "samir@example.fr", "ar"));
        long cancelled = fixture.book(session, guardian("Claire", "claire@example.fr", "fr"));
        long moved = fixture.book(session, guardian("Marc", "marc@example.fr", "fr"));
        long noEmail = fixture.book(session, guardian("Nadia", null, "fr"));
        long optedOut = fixture.book(session, guardian("Omar", "omar@example.fr", "fr"));
        db.useHandle(
                h -> {
                    h.execute(
                            "update booking set status = 'cancelled', ended_at = now() where id = ?",
                            cancelled);
                    h.execute(
                            "update booking set status = 'moved', ended_at = now() where id = ?",
                            moved);
                    h.execute(
                            "update guardian set opt_out = true, opt_out_at = now(), opt_out_by = 'test'"
                                    + " where id = (select guardian_id from booking where id = ?)",
                            optedOut);
                });
        // the opted-out guardian's booking is confirmed by e-mail all the same
        db.useTransaction(h -> one.app().calendarOutbox().bookingConfirmed(h, optedOut));

        Instant twoDaysBefore = start.toInstant().minus(Duration.ofDays(2));
        bothInstances(twoDaysBefore.minusSeconds(60));
        assertThat(mails(fr)).as("not yet").isZero();
        assertThat(received("omar@example.fr")).hasSize(1);
        assertThat(received("omar@example.fr").get(0).getSubject()).startsWith("Atelier réservé");

        bothInstances(twoDaysBefore.plusSeconds(60));
        assertThat(mails(fr, "reminder_before", "sent")).isEqualTo(1);
        assertThat(mails(ar, "reminder_before", "sent")).isEqualTo(1);
        assertThat(mails(cancelled)).isZero();
        assertThat(mails(moved)).isZero();
        assertThat(mails(noEmail, "reminder_before", "no_address")).isEqualTo(1);
        assertThat(mails(optedOut, "reminder_before", "opted_out")).isEqualTo(1);
        assertThat(received("aicha@example.fr")).hasSize(1);
        assertThat(received("samir@example.fr")).hasSize(1);
        assertThat(received("claire@example.fr")).isEmpty();
        assertThat(received("marc@example.fr")).isEmpty();
        assertThat(received("omar@example.fr")).as("only the confirmation").hasSize(1);

        MimeMessage french = received("aicha@example.fr").get(0);
        String day =
                DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.FRENCH)
                        .format(start.withZoneSameInstant(PARIS));
        String title =
                Sql.text(
                        db,
                        "select wt.title_fr from workshop_session ws join workshop_type wt on wt.id = ws.workshop_type_id where ws.id = "
                                + session);
        assertThat(french.getSubject()).isEqualTo("Rappel\u00a0: atelier " + title + ", " + day);
        String token =
                Sql.text(
                        db,
                        "select l.token from opt_out_link l join booking b on b.guardian_id = l.guardian_id where b.id = "
                                + fr);
        // either instance's worker may have sent it: each writes its own address (one BASE_URL in
        // production)
        String sender =
                text(french).contains(two.baseUrl() + "/me") ? two.baseUrl() : one.baseUrl();
        String optOutUrl = sender + "/o/" + token;
        assertThat(french.getHeader("List-Unsubscribe")).containsExactly("<" + optOutUrl + ">");
        assertThat(french.getHeader("List-Unsubscribe-Post"))
                .containsExactly("List-Unsubscribe=One-Click");
        assertThat(french.getContentType()).startsWith("text/plain");
        assertThat(text(french))
                .contains("Bonjour Aïcha Test")
                .contains(title)
                .contains(day + ", de 17:30 à 19:30")
                .contains("École élémentaire Jules Ferry")
                .contains("salle «\u00a0Salle informatique\u00a0»")
                .contains(sender + "/me")
                .contains("Pour ne plus recevoir de rappels\u00a0: " + optOutUrl);

        MimeMessage arabic = received("samir@example.fr").get(0);
        String arabicDay =
                start.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.forLanguageTag("ar"));
        assertThat(arabic.getSubject()).startsWith("تذكير: ورشة ").contains(arabicDay);
        assertThat(text(arabic)).contains("مرحبًا Samir Test").contains("لإيقاف التذكيرات: ");
        assertThat(arabic.getHeader("List-Unsubscribe")).hasSize(1);

        // restarts, more passes: nothing twice
        bothInstances(twoDaysBefore.plusSeconds(120));
        bothInstances(twoDaysBefore.plusSeconds(180));
        assertThat(smtp.getReceivedMessages()).hasSize(3);

        // the session's morning, 08:00 Paris
        Instant morning = start.toLocalDate().atTime(8, 0).atZone(PARIS).toInstant();
        bothInstances(morning.minusSeconds(60));
        assertThat(smtp.getReceivedMessages()).hasSize(3);
        bothInstances(morning.plusSeconds(60));
        bothInstances(morning.plusSeconds(120));
        assertThat(mails(fr, "reminder_morning", "sent")).isEqualTo(1);
        assertThat(mails(ar, "reminder_morning", "sent")).isEqualTo(1);
        assertThat(received("aicha@example.fr")).hasSize(2);
        assertThat(received("aicha@example.fr").get(1).getSubject())
                .startsWith("C\u2019est aujourd\u2019hui\u00a0: atelier " + title);
        assertThat(text(received("aicha@example.fr").get(1))).contains("a lieu aujourd\u2019hui");
        assertThat(received("samir@example.fr")).hasSize(2);
        assertThat(received("samir@example.fr").get(1).getSubject()).startsWith("اليوم: ورشة ");
        assertThat(received("omar@example.fr")).hasSize(1);
        assertThat(smtp.getReceivedMessages()).hasSize(5);
    }

    @Test
    void a_waiting_reminder_is_not_sent_once_cancelled_opted_out_or_the_session_started()
            throws Exception {
        ZonedDateTime start = inDays(12, 14);
        long session = fixture.session("0211234A", start, Duration.ofHours(2));
        long kept = fixture.book(session, guardian("Kim", "kim@example.fr", "fr"));
        long cancelled = fixture.book(session, guardian("Léa", "lea@example.fr", "fr"));
        long optedOut = fixture.book(session, guardian("Ali", "ali@example.fr", "tr"));
        Instant written = start.toInstant().minus(Duration.ofDays(2)).plusSeconds(60);
        reminders(one, written).pass();
        assertThat(mails(kept, "reminder_before", "pending")).isEqualTo(1);
        assertThat(mails(cancelled, "reminder_before", "pending")).isEqualTo(1);
        assertThat(mails(optedOut, "reminder_before", "pending")).isEqualTo(1);
        // while they wait (the SMTP server down, say): one cancels, one opts out by the link
        db.useHandle(
                h ->
                        h.execute(
                                "update booking set status = 'cancelled', ended_at = now() where id = ?",
                                cancelled));
        String token =
                db.withHandle(
                        h ->
                                SmsOutbox.optOutToken(
                                        h,
                                        h.createQuery(
                                                        "select guardian_id from booking where id = ?")
                                                .bind(0, optedOut)
                                                .mapTo(Long.class)
                                                .one()));
        Http visitor = one.client();
        visitor.get("/o/" + token);
        assertThat(visitor.postForm("/o/" + token, Map.of()).statusCode()).isEqualTo(200);
        worker(one, written.plusSeconds(60)).runOnce();
        assertThat(mails(cancelled, "reminder_before", "skipped")).isEqualTo(1);
        assertThat(mails(optedOut, "reminder_before", "opted_out")).isEqualTo(1);
        assertThat(mails(kept, "reminder_before", "sent")).isEqualTo(1);
        assertThat(received("lea@example.fr")).isEmpty();
        assertThat(received("ali@example.fr")).isEmpty();
        assertThat(received("kim@example.fr")).hasSize(1);

        // a morning reminder still waiting when the session starts is dropped
        Instant morning = start.toLocalDate().atTime(8, 0).atZone(PARIS).toInstant();
        reminders(one, morning.plusSeconds(60)).pass();
        assertThat(mails(kept, "reminder_morning", "pending")).isEqualTo(1);
        worker(one, start.toInstant().plusSeconds(60)).runOnce();
        assertThat(mails(kept, "reminder_morning", "skipped")).isEqualTo(1);
        assertThat(received("kim@example.fr")).hasSize(1);

        // and none is written once the session has started
        long late = fixture.book(session, guardian("Tom", "tom@example.fr", "fr"));
        reminders(one, start.toInstant().plusSeconds(120)).pass();
        assertThat(mails(late)).isZero();
    }

    @Test
    void a_mail_clients_one_click_post_opts_out_without_a_csrf_token_and_nothing_else_does() {
        long guardian = guardian("Inès", "ines@example.fr", "fr");
        String token = db.withHandle(h -> SmsOutbox.optOutToken(h, guardian));
        String optedOut = "select opt_out from guardian where id = " + guardian;
        // no cookie, no token: another form is refused
        HttpResponse<String> forged =
                one.client().post("/o/" + token, Map.of("List-Unsubscribe", "Yes"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(Sql.bool(db, optedOut)).isFalse();
        // RFC 8058's exact form, as a mail client sends it
        HttpResponse<String> oneClick =
                one.client().post("/o/" + token, Map.of("List-Unsubscribe", "One-Click"));
        assertThat(oneClick.statusCode()).isEqualTo(200);
        assertThat(Sql.bool(db, optedOut)).isTrue();
        assertThat(
                        Sql.count(
                                db,
                                "select count(*) from audit_log where action = 'opt_out' and entity_id = "
                                        + guardian))
                .isEqualTo(1);
        // the exemption is the opt-out page's only: elsewhere the same form is refused
        assertThat(
                        one.client()
                                .post("/sign-in/code", Map.of("List-Unsubscribe", "One-Click"))
                                .statusCode())
                .isEqualTo(403);
    }
}
