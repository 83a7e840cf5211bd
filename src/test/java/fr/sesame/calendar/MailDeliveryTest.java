package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.sesame.Config;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * E-mail delivery against a real SMTP server (GreenMail): the invitation arrives, crashes lose
 * nothing, SMTP down queues.
 */
class MailDeliveryTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static Map<String, String> smtpEnv() {
        ServerSetup setup = smtp.getSmtp().getServerSetup();
        return Map.of(
                "SMTP_HOST",
                "127.0.0.1",
                "SMTP_PORT",
                String.valueOf(smtp.getSmtp().getPort()),
                "SMTP_STARTTLS",
                "false",
                "SMTP_FROM",
                "ateliers@ville.example",
                "CALENDAR_ORGANIZER",
                "education@ville.example");
    }

    static TestApp demoApp(Map<String, String> env) {
        TestApp app = TestApp.start(env);
        new DemoSeed(app.jdbi()).seed();
        return app;
    }

    static long confirmedBooking(TestApp app, String email) {
        CalendarFixture fixture = new CalendarFixture(app.jdbi());
        long session =
                fixture.session(
                        "0211234A",
                        ZonedDateTime.of(2026, 12, 8, 17, 30, 0, 0, PARIS),
                        Duration.ofHours(2));
        long booking = fixture.book(session, fixture.guardian("Aïcha", "Diallo", email, "fr"));
        app.jdbi().useTransaction(h -> app.app().calendarOutbox().bookingConfirmed(h, booking));
        return booking;
    }

    static String calendarPart(MimeMessage message) throws Exception {
        MimeMultipart multipart = (MimeMultipart) message.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContentType().toLowerCase().startsWith("text/calendar")) {
                assertThat(part.getContentType().toLowerCase()).contains("method=request");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                part.getDataHandler().writeTo(out);
                return out.toString(StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no text/calendar part");
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

    @Test
    void the_invitation_arrives_by_email_and_parses() throws Exception {
        try (TestApp app = demoApp(smtpEnv())) {
            long booking = confirmedBooking(app, "aicha@example.fr");
            assertThat(smtp.waitForIncomingEmail(15_000, 1))
                    .as("the worker sent the e-mail")
                    .isTrue();
            MimeMessage message = smtp.getReceivedMessages()[0];
            assertThat(message.getAllRecipients()[0].toString()).isEqualTo("aicha@example.fr");
            assertThat(message.getSubject()).startsWith("Atelier réservé");
            String body =
                    ((MimeMultipart) message.getContent()).getBodyPart(0).getContent().toString();
            assertThat(body).contains("Bonjour Aïcha Diallo").contains("À apporter");
            Ical.Parsed parsed = Ical.parse(calendarPart(message));
            assertThat(parsed.method()).isEqualTo("REQUEST");
            assertThat(parsed.only().uid())
                    .isEqualTo(
                            Sql.text(
                                    app.jdbi(),
                                    "select calendar_uid::text from booking where id = "
                                            + booking));
            assertThat(message.getMessageID()).endsWith(".outbox@ville.example>");
            awaitStatus(app.jdbi(), booking, "sent");
        }
    }

    @Test
    void a_worker_killed_after_the_commit_and_its_claim_still_delivers_exactly_once()
            throws Exception {
        // the app has no SMTP settings: the booking commits, its e-mail waits in the outbox
        try (TestApp app = demoApp(Map.of())) {
            Jdbi jdbi = app.jdbi();
            long booking = confirmedBooking(app, "crash@example.fr");
            assertThat(
                            Sql.text(
                                    jdbi,
                                    "select status from calendar_outbox where booking_id = "
                                            + booking))
                    .isEqualTo("pending");

            // a first worker claims the row, then dies before talking to the SMTP server
            OutboxWorker killed =
                    new OutboxWorker(
                            jdbi,
                            mailSettings(),
                            app.baseUrl(),
                            Duration.ofSeconds(2),
                            Duration.ofHours(1));
            assertThat(killed.claim()).hasSize(1);
            killed.close();
            assertThat(
                            Sql.text(
                                    jdbi,
                                    "select status from calendar_outbox where booking_id = "
                                            + booking))
                    .isEqualTo("sending");

            // a second worker (the restarted app) takes the row over once the lease has expired
            try (OutboxWorker restarted =
                    new OutboxWorker(
                            jdbi,
                            mailSettings(),
                            app.baseUrl(),
                            Duration.ofSeconds(2),
                            Duration.ofMillis(200))) {
                assertThat(restarted.runOnce())
                        .as("the row is still leased to the dead worker")
                        .isZero();
                restarted.start();
                assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
                awaitStatus(jdbi, booking, "sent");
                Thread.sleep(3_000); // several more passes, and past another lease
            }
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(
                            Sql.count(
                                    jdbi,
                                    "select attempts from calendar_outbox where booking_id = "
                                            + booking))
                    .isEqualTo(2);
        }
    }

    @Test
    void
            an_instance_held_up_past_half_its_lease_sends_nothing_of_its_claim_so_another_instance_sends_each_mail_once()
                    throws Exception {
        try (TestApp app = demoApp(Map.of())) {
            Jdbi jdbi = app.jdbi();
            long booking = confirmedBooking(app, "slow@example.fr");
            // instance one claims the row, then is held up (a slow SMTP server for the mails before
            // it)
            OutboxWorker slow =
                    new OutboxWorker(
                            jdbi,
                            mailSettings(),
                            app.baseUrl(),
                            Duration.ofSeconds(2),
                            Duration.ofHours(1));
            Instant claimedAt = Instant.now();
            List<OutboxDao.Mail> claimed = slow.claim();
            assertThat(claimed).hasSize(1);
            Thread.sleep(2_200);
            // instance two takes the row over once the lease has expired, and sends it
            try (OutboxWorker other =
                    new OutboxWorker(
                            jdbi,
                            mailSettings(),
                            app.baseUrl(),
                            Duration.ofSeconds(2),
                            Duration.ofHours(1))) {
                assertThat(other.runOnce()).isEqualTo(1);
            }
            assertThat(smtp.waitForIncomingEmail(5_000, 1)).isTrue();
            // instance one goes on with its batch: too late for this row, which it leaves alone
            assertThat(slow.deliver(claimed, claimedAt)).isZero();
            slow.close();
            Thread.sleep(500);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(
                            Sql.text(
                                    jdbi,
                                    "select status || '/' || attempts from calendar_outbox where booking_id = "
                                            + booking))
                    .isEqualTo("sent/2");
        }
    }

    @Test
    void
            a_late_mark_from_a_claim_whose_lease_expired_does_not_change_the_row_another_instance_claimed() {
        try (TestApp app = demoApp(Map.of())) {
            Jdbi jdbi = app.jdbi();
            long booking = confirmedBooking(app, "late@example.fr");
            OutboxWorker first =
                    new OutboxWorker(
                            jdbi,
                            mailSettings(),
                            app.baseUrl(),
                            Duration.ofSeconds(1),
                            Duration.ofHours(1));
            OutboxDao.Mail stale = first.claim().get(0);
            jdbi.useHandle(
                    h ->
                            h.execute(
                                    "update calendar_outbox set lease_until = now() - interval '1 second' where id = ?",
                                    stale.id()));
            OutboxDao.Mail current = first.claim().get(0);
            first.close();
            assertThat(current.attempts()).isEqualTo(stale.attempts() + 1);
            OutboxDao dao = jdbi.onDemand(OutboxDao.class);
            assertThat(dao.markFailed(stale.id(), stale.attempts(), "late"))
                    .as("the first claim's failure, recorded after the second claim")
                    .isZero();
            assertThat(dao.markSent(stale.id(), stale.attempts())).isZero();
            assertThat(
                            Sql.text(
                                    jdbi,
                                    "select status from calendar_outbox where booking_id = "
                                            + booking))
                    .isEqualTo("sending");
            assertThat(dao.markSent(current.id(), current.attempts())).isEqualTo(1);
        }
    }

    @Test
    void a_crash_between_the_smtp_answer_and_the_mark_resends_the_same_message_id_and_event()
            throws Exception {
        try (TestApp app = demoApp(Map.of())) {
            Jdbi jdbi = app.jdbi();
            confirmedBooking(app, "window@example.fr");
            OutboxWorker dying =
                    new OutboxWorker(
                            jdbi,
                            mailSettings(),
                            app.baseUrl(),
                            Duration.ofSeconds(1),
                            Duration.ofHours(1));
            List<OutboxDao.Mail> claimed = dying.claim();
            OutboxMails mails = new OutboxMails(app.baseUrl(), mailSettings());
            new Mailer(mailSettings())
                    .send(
                            jdbi.withHandle(
                                    h ->
                                            mails.compose(
                                                    h,
                                                    claimed.get(
                                                            0)))); // sent, then the process dies
            // before marking it
            dying.close();
            Thread.sleep(1_200);
            try (OutboxWorker restarted =
                    new OutboxWorker(
                            jdbi,
                            mailSettings(),
                            app.baseUrl(),
                            Duration.ofSeconds(1),
                            Duration.ofHours(1))) {
                assertThat(restarted.runOnce()).isEqualTo(1);
                assertThat(restarted.runOnce()).isZero();
            }
            assertThat(smtp.waitForIncomingEmail(5_000, 2)).isTrue();
            MimeMessage[] received = smtp.getReceivedMessages();
            assertThat(received).hasSize(2);
            // the copy is the same message for mail clients and the same event version for
            // calendars
            assertThat(received[1].getMessageID()).isEqualTo(received[0].getMessageID());
            Ical.Event a = Ical.parse(calendarPart(received[0])).only();
            Ical.Event b = Ical.parse(calendarPart(received[1])).only();
            assertThat(b.uid()).isEqualTo(a.uid());
            assertThat(b.sequence()).isEqualTo(a.sequence());
        }
    }

    @Test
    void with_smtp_down_the_booking_succeeds_the_mail_stays_queued_and_the_admin_page_shows_it()
            throws Exception {
        int closedPort = TestApp.freePort();
        try (TestApp app =
                demoApp(
                        Map.of(
                                "SMTP_HOST",
                                "127.0.0.1",
                                "SMTP_PORT",
                                String.valueOf(closedPort),
                                "SMTP_STARTTLS",
                                "false"))) {
            Jdbi jdbi = app.jdbi();
            long booking = confirmedBooking(app, "down@example.fr");
            assertThat(Sql.text(jdbi, "select status from booking where id = " + booking))
                    .isEqualTo("active");
            long deadline = System.currentTimeMillis() + 15_000;
            while (Sql.count(
                                    jdbi,
                                    "select attempts from calendar_outbox where booking_id = "
                                            + booking)
                            == 0
                    || Sql.text(
                                    jdbi,
                                    "select status from calendar_outbox where booking_id = "
                                            + booking)
                            .equals("sending")) {
                assertThat(System.currentTimeMillis()).as("the worker tried").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(
                            Sql.text(
                                    jdbi,
                                    "select status from calendar_outbox where booking_id = "
                                            + booking))
                    .isEqualTo("pending");
            assertThat(
                            Sql.text(
                                    jdbi,
                                    "select last_error from calendar_outbox where booking_id = "
                                            + booking))
                    .contains("Exception");
            assertThat(
                            Sql.bool(
                                    jdbi,
                                    "select next_attempt_at > now() + interval '50 seconds' from calendar_outbox where booking_id = "
                                            + booking))
                    .as("the next attempt waits")
                    .isTrue();
            String page = SignIn.admin(app).get("/admin/outbox").body();
            assertThat(page)
                    .contains("down@example.fr")
                    .contains("Atelier réservé")
                    .contains("id=\"outbox-pending\">1<");
        }
        assertThat(Arrays.stream(smtp.getReceivedMessages()).toList()).isEmpty();
    }

    @Test
    void without_smtp_settings_mails_wait_and_the_admin_page_says_why() {
        try (TestApp app = demoApp(Map.of())) {
            confirmedBooking(app, "demo@example.fr");
            String page = SignIn.admin(app).get("/admin/outbox").body();
            assertThat(page).contains("SMTP_HOST").contains("demo@example.fr");
        }
    }

    static void awaitStatus(Jdbi jdbi, long booking, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Sql.text(jdbi, "select status from calendar_outbox where booking_id = " + booking)
                .equals(status)) {
            assertThat(System.currentTimeMillis())
                    .as("outbox row becomes " + status)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
