package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.sesame.support.Http;
import fr.sesame.support.SignIn;
import fr.sesame.support.TestApp;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a family receives is in the guardian's language end to end: the invitation e-mail (subject,
 * body) and its invitation file (DESCRIPTION, the alarm's text) in Arabic and in Turkish, through a
 * real SMTP server (GreenMail); and a guardian's subscription feed in Ukrainian. The workshop's
 * title (SUMMARY) is the town's own words, French here.
 */
class FamilyLanguageMailTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static Map<String, String> smtpEnv() {
        return Map.of(
                "SMTP_HOST",
                "127.0.0.1",
                "SMTP_PORT",
                String.valueOf(smtp.getSmtp().getPort()),
                "SMTP_STARTTLS",
                "false",
                "SMTP_FROM",
                "ateliers@ville.example");
    }

    private static MimeMessage to(String address) throws Exception {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(
                        m -> {
                            try {
                                return m.getAllRecipients()[0].toString().equals(address);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                .findFirst()
                .orElseThrow();
    }

    @Test
    void the_invitation_mail_and_its_file_are_in_arabic_and_in_turkish() throws Exception {
        try (TestApp app = MailDeliveryTest.demoApp(smtpEnv())) {
            CalendarFixture fixture = new CalendarFixture(app.jdbi());
            long session =
                    fixture.session(
                            "0211234A",
                            ZonedDateTime.of(2026, 12, 8, 17, 30, 0, 0, PARIS),
                            Duration.ofHours(2));
            long ar =
                    fixture.book(
                            session, fixture.guardian("Samira", "Haddad", "ar@example.fr", "ar"));
            long tr =
                    fixture.book(
                            session, fixture.guardian("Ayşe", "Yılmaz", "tr@example.fr", "tr"));
            for (long booking : new long[] {ar, tr}) {
                app.jdbi()
                        .useTransaction(
                                h -> app.app().calendarOutbox().bookingConfirmed(h, booking));
            }
            assertThat(smtp.waitForIncomingEmail(15_000, 2)).isTrue();

            MimeMessage arabic = to("ar@example.fr");
            assertThat(arabic.getSubject()).startsWith("تم حجز الورشة");
            String arBody =
                    ((MimeMultipart) arabic.getContent()).getBodyPart(0).getContent().toString();
            assertThat(arBody)
                    .contains("مرحبا Samira Haddad")
                    .contains("مكانكم محجوز في الورشة")
                    .contains("أحضروا معكم")
                    .contains("الملف المرفق يضيف الورشة إلى مفكرتكم")
                    .doesNotContain("Bonjour")
                    .doesNotContain("À apporter");
            Ical.Event arEvent = Ical.parse(MailDeliveryTest.calendarPart(arabic)).only();
            assertThat(arEvent.description()).contains("القاعة:").contains("أحضروا معكم");
            assertThat(arEvent.description())
                    .doesNotContain("Salle\u00a0:")
                    .doesNotContain("apporter");
            assertThat(MailDeliveryTest.calendarPart(arabic)).contains("غدا: ورشة");

            MimeMessage turkish = to("tr@example.fr");
            assertThat(turkish.getSubject()).startsWith("Atölye ayrıldı");
            String trBody =
                    ((MimeMultipart) turkish.getContent()).getBodyPart(0).getContent().toString();
            assertThat(trBody)
                    .contains("Merhaba Ayşe Yılmaz")
                    .contains("atölyesinde yeriniz ayrıldı")
                    .contains("Yanınızda getirin")
                    .doesNotContain("Bonjour");
            Ical.Event trEvent = Ical.parse(MailDeliveryTest.calendarPart(turkish)).only();
            assertThat(trEvent.description()).contains("Salon:").contains("Yanınızda getirin");
            assertThat(MailDeliveryTest.calendarPart(turkish)).contains("Yarın:");
        }
    }

    @Test
    void a_guardians_feed_is_in_ukrainian() throws Exception {
        try (TestApp app = MailDeliveryTest.demoApp(Map.of())) {
            CalendarFixture fixture = new CalendarFixture(app.jdbi());
            app.jdbi()
                    .useHandle(
                            h ->
                                    h.execute(
                                            "update guardian set language = 'uk' where family_id ="
                                                    + " (select id from family where letter_code = 'K7M49PQX')"));
            long session =
                    fixture.session(
                            "0211234A",
                            ZonedDateTime.of(2026, 12, 8, 17, 30, 0, 0, PARIS),
                            Duration.ofHours(2));
            long booking = fixture.book(session, fixture.demoParent());
            app.jdbi().useTransaction(h -> app.app().calendarOutbox().bookingConfirmed(h, booking));
            Http parent = SignIn.parent(app);
            HttpResponse<String> page = parent.get("/me/calendar");
            assertThat(page.body())
                    .contains("lang=\"uk\"")
                    .contains(
                            "Мій календар",
                            "Мої заброньовані майстер-класи",
                            "Підписка на календар")
                    .doesNotContain("Mon agenda", "Abonnement");
            HttpResponse<String> r = parent.postForm("/me/calendar/link", Map.of());
            assertThat(r.body()).contains("Це ваше секретне посилання", "Як це зробити");
            Matcher m =
                    Pattern.compile("https?://[^/]+(/calendar/feed/[A-Za-z0-9_-]+\\.ics)")
                            .matcher(r.body());
            assertThat(m.find()).as(r.body()).isTrue();
            String feed = app.client().get(m.group(1)).body();
            assertThat(feed).contains("X-WR-CALNAME:Sésame: мої майстер-класи");
            Ical.Event e = Ical.parse(feed).events().get(0);
            assertThat(e.description()).contains("Зала:").contains("Візьміть із собою");
            assertThat(e.description()).doesNotContain("Salle\u00a0:").doesNotContain("apporter");
        }
    }
}
