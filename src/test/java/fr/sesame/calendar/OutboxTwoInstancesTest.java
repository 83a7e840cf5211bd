package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two app instances on one database share the outbox: each e-mail queued reaches the SMTP server
 * once.
 */
class OutboxTwoInstancesTest {
    static final int MAILS = 120;

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void two_instances_started_on_a_full_outbox_send_each_mail_exactly_once() throws Exception {
        Map<String, String> env = new HashMap<>(TestDatabase.freshDatabaseEnv());
        // the mails are queued by an instance without SMTP settings, so that both senders start on
        // a full outbox
        List<String> recipients = new ArrayList<>();
        try (TestApp writer = TestApp.startWithEnv(env)) {
            new DemoSeed(writer.jdbi()).seed();
            CalendarFixture fixture = new CalendarFixture(writer.jdbi());
            ZonedDateTime start =
                    ZonedDateTime.of(2026, 12, 8, 17, 30, 0, 0, ZoneId.of("Europe/Paris"));
            List<Long> bookings = new ArrayList<>();
            long session = 0;
            for (int i = 0; i < MAILS; i++) {
                if (i % 10 == 0)
                    session =
                            fixture.session(
                                    "0211234A", start.plusDays(i / 10), Duration.ofHours(2));
                String email = "parent" + i + "@example.fr";
                recipients.add(email);
                bookings.add(
                        fixture.book(session, fixture.guardian("Parent", "N" + i, email, "fr")));
            }
            writer.jdbi()
                    .useTransaction(
                            h -> {
                                for (long b : bookings)
                                    writer.app().calendarOutbox().bookingConfirmed(h, b);
                            });
        }
        Map<String, String> withSmtp = new HashMap<>(env);
        withSmtp.putAll(
                Map.of(
                        "SMTP_HOST",
                        "127.0.0.1",
                        "SMTP_PORT",
                        String.valueOf(smtp.getSmtp().getPort()),
                        "SMTP_STARTTLS",
                        "false",
                        "SMTP_FROM",
                        "ateliers@ville.example"));
        CompletableFuture<TestApp> first =
                CompletableFuture.supplyAsync(() -> TestApp.startWithEnv(withSmtp));
        CompletableFuture<TestApp> second =
                CompletableFuture.supplyAsync(() -> TestApp.startWithEnv(withSmtp));
        try (TestApp one = first.join();
                TestApp two = second.join()) {
            assertThat(smtp.waitForIncomingEmail(60_000, MAILS)).as("every mail arrived").isTrue();
            Thread.sleep(2_000); // more passes of both workers: nothing more may come
            MimeMessage[] received = smtp.getReceivedMessages();
            assertThat(received).hasSize(MAILS);
            List<String> to = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (MimeMessage m : received) {
                to.add(m.getAllRecipients()[0].toString());
                ids.add(m.getMessageID());
            }
            assertThat(to).containsExactlyInAnyOrderElementsOf(recipients);
            assertThat(ids).doesNotHaveDuplicates();
            // no row was claimed twice: each went out at its first attempt
            assertThat(
                            Sql.count(
                                    two.jdbi(),
                                    "select count(*) from calendar_outbox where status = 'sent' and attempts = 1"))
                    .isEqualTo(MAILS);
        }
    }
}
