package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.lowagie.text.pdf.PRStream;
import com.lowagie.text.pdf.PdfDictionary;
import com.lowagie.text.pdf.PdfName;
import com.lowagie.text.pdf.PdfReader;
import com.zaxxer.hikari.HikariDataSource;
import fr.sesame.db.TownUrls;
import fr.sesame.db.Towns;
import fr.sesame.demo.DemoSeed;
import fr.sesame.messaging.Reminders;
import fr.sesame.messaging.SmsOutbox;
import fr.sesame.support.Http;
import fr.sesame.support.TestApp;
import fr.sesame.support.TwoTowns;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each town's address in what its families receive (issue 17): town A at {@code localhost} (also
 * BASE_URL's host), town B at {@code 127.0.0.1}, each with the demo town's data, one app with SMTP
 * settings (GreenMail): its own mail worker sends, each town in its own pass. Town B's letters (QR
 * code and printed address), invitation e-mails and their iCalendar part, feed links and feeds,
 * reminder e-mails with their List-Unsubscribe header, campaign e-mails and SMS carry town B's
 * address; town A's stay BASE_URL's. And while there was one town, whatever its host, BASE_URL.
 */
class TownLinksTest {
    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
                    .withPerMethodLifecycle(false);

    static final String UAI = "0211234A";
    static final Pattern FEED = Pattern.compile("(https?://[^<\\s\"]+/calendar/feed/[^<\\s\"]+)");
    static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    static TestApp app;
    static Jdbi owner;
    static Towns towns;
    static long townB;
    static String urlA;
    static String urlB;
    static long bookingA;
    static long bookingB;
    static Instant startsB;
    static String singleTownFeedPage;
    static String singleTownQr;

    @BeforeAll
    static void twoTownsWithMail() throws Exception {
        app =
                TestApp.start(
                        Map.of(
                                "SMTP_HOST", "127.0.0.1",
                                "SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()),
                                "SMTP_STARTTLS", "false",
                                "SMTP_FROM", "ateliers@ville.example"));
        new DemoSeed(app.jdbi()).seed();
        HikariDataSource pool = app.app().database().dataSource().unwrap(HikariDataSource.class);
        owner = TwoTowns.owner(app.app().database());
        towns = app.app().database().towns();
        urlA = "http://localhost:" + app.port();
        urlB = "http://127.0.0.1:" + app.port();
        assertThat(app.baseUrl()).isEqualTo(urlA);

        // one town, with a host of its own that is not BASE_URL's: its links are BASE_URL's
        owner.useHandle(h -> h.execute("update town set host = 'sesame-one.example'"));
        towns.reload();
        Http parent = parent(urlA);
        parent.get("/me/calendar");
        singleTownFeedPage = parent.postForm("/me/calendar/link", Map.of()).body();
        singleTownQr = qrOf(letters(admin(urlA), urlA), 1);

        // then a second town: each has its host
        townB = TwoTowns.addTownB(app, owner);
        owner.useHandle(
                h -> {
                    h.execute(
                            "update guardian set email = 'b.' || email where town_id = ? and email is not null",
                            townB);
                    h.execute(
                            "update guardian set phone = '06 12 34 56 78' where town_id = ?"
                                    + " and email = 'b.parent1@demo.sesame.test'",
                            townB);
                });
        bookingA = book(urlA, 1);
        bookingB = book(urlB, townB);
        startsB =
                owner.withHandle(
                        h ->
                                h.select(
                                                "select s.starts_at from booking b join workshop_session s"
                                                        + " on s.town_id = b.town_id and s.id = b.session_id where b.id = ?",
                                                bookingB)
                                        .mapTo(Instant.class)
                                        .one());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Http parent(String url) {
        Http c = new Http(url);
        c.get("/sign-in/code");
        HttpResponse<String> r =
                c.postForm("/sign-in/code", Map.of("code", "K7M4-9PQX", "child", "Lina"));
        assertThat(r.statusCode()).as("code sign-in on " + url + ": " + r.body()).isEqualTo(302);
        return c;
    }

    static Http admin(String url) {
        Http c = new Http(url);
        c.get("/sign-in/staff");
        HttpResponse<String> r =
                c.postForm(
                        "/sign-in/staff",
                        Map.of("email", DemoSeed.ADMIN_EMAIL, "password", DemoSeed.ADMIN_PASSWORD));
        assertThat(r.statusCode()).as("admin sign-in on " + url).isEqualTo(302);
        return c;
    }

    /** The demo parent books a session of their child's school, on this town's host. */
    static long book(String url, long town) {
        long session =
                owner.withHandle(
                        h ->
                                h.select(
                                                "select s.id from workshop_session s join school sc"
                                                        + " on sc.town_id = s.town_id and sc.id = s.school_id"
                                                        + " where s.town_id = ? and sc.uai = ? and s.status = 'scheduled'"
                                                        + " and s.starts_at > now() + interval '3 days' and s.booked < s.capacity"
                                                        + " order by s.starts_at limit 1",
                                                town,
                                                UAI)
                                        .mapTo(Long.class)
                                        .one());
        Http parent = parent(url);
        Matcher token = TOKEN.matcher(parent.get("/sessions/" + session).body());
        assertThat(token.find()).as("the session's booking form").isTrue();
        HttpResponse<String> r =
                parent.postForm("/sessions/" + session + "/book", Map.of("token", token.group(1)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        return owner.withHandle(
                h ->
                        h.select(
                                        "select id from booking where town_id = ? and session_id = ? and status = 'active'",
                                        town,
                                        session)
                                .mapTo(Long.class)
                                .one());
    }

    /** The letters of the demo school's untrained families, printed on this host. */
    static byte[] letters(Http admin, String url) throws Exception {
        admin.get("/admin/roster/letters");
        HttpClient client = HttpClient.newBuilder().cookieHandler(admin.cookies()).build();
        String body =
                "_csrf="
                        + URLEncoder.encode(admin.csrf(), StandardCharsets.UTF_8)
                        + "&school="
                        + UAI
                        + "&untrained=on";
        HttpResponse<byte[]> r =
                client.send(
                        HttpRequest.newBuilder(URI.create(url + "/admin/roster/letters"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
        return r.body();
    }

    /** Decodes the QR code image of a page of this PDF (the bare code with its quiet zone). */
    static String qrOf(byte[] pdf, int page) throws Exception {
        PdfReader reader = new PdfReader(new ByteArrayInputStream(pdf));
        PdfDictionary xobjects =
                reader.getPageN(page).getAsDict(PdfName.RESOURCES).getAsDict(PdfName.XOBJECT);
        for (PdfName key : xobjects.getKeys()) {
            PRStream stream = (PRStream) PdfReader.getPdfObject(xobjects.get(key));
            if (!PdfName.IMAGE.equals(stream.getAsName(PdfName.SUBTYPE))) continue;
            int w = stream.getAsNumber(PdfName.WIDTH).intValue();
            int h = stream.getAsNumber(PdfName.HEIGHT).intValue();
            byte[] grey = PdfReader.getStreamBytes(stream);
            int[] argb = new int[w * h];
            for (int i = 0; i < argb.length; i++) {
                int v = grey[i] & 0xFF;
                argb[i] = 0xFF000000 | (v << 16) | (v << 8) | v;
            }
            return new QRCodeReader()
                    .decode(
                            new BinaryBitmap(
                                    new HybridBinarizer(new RGBLuminanceSource(w, h, argb))),
                            Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))
                    .getText();
        }
        throw new AssertionError("no image on page " + page);
    }

    /** A page's text, without its white space (a long address may wrap). */
    static String textOf(byte[] pdf, int page) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setStartPage(page);
            stripper.setEndPage(page);
            return stripper.getText(doc).replaceAll("\\s+", "");
        }
    }

    /** The messages received for this address whose text holds this, waiting up to 20 s for one. */
    static List<MimeMessage> mailsTo(String to, String needle) throws Exception {
        return mailsTo(to, m -> partsOf(m).contains(needle));
    }

    interface MailTest {
        boolean test(MimeMessage m) throws Exception;
    }

    static List<MimeMessage> mailsTo(String to, MailTest wanted) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<MimeMessage> found = new ArrayList<>();
            for (MimeMessage m : smtp.getReceivedMessages())
                if (m.getAllRecipients()[0].toString().equals(to) && wanted.test(m)) found.add(m);
            if (!found.isEmpty() || System.nanoTime() > until) return found;
            Thread.sleep(100);
        }
    }

    /** The text parts and the iCalendar part of a message, one after the other. */
    static String partsOf(MimeMessage m) throws Exception {
        Object content = m.getContent();
        if (!(content instanceof Multipart multipart)) return content.toString();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < multipart.getCount(); i++) sb.append(partOf(multipart.getBodyPart(i)));
        return sb.toString();
    }

    private static String partOf(BodyPart part) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart inner) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < inner.getCount(); i++) sb.append(partOf(inner.getBodyPart(i)));
            return sb.toString();
        }
        if (content instanceof String s) return s + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part.getInputStream().transferTo(out);
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }

    /** Unfolds iCalendar lines (RFC 5545: a line break then one space or tab continues). */
    static String unfolded(String text) {
        return text.replaceAll("\r?\n[ \t]", "");
    }

    @Test
    void while_there_was_one_town_its_links_were_base_url_s_whatever_its_host() {
        assertThat(singleTownFeedPage)
                .contains(urlA + "/calendar/feed/", "webcal://localhost:" + app.port() + "/")
                .doesNotContain("sesame-one.example");
        assertThat(singleTownQr).startsWith(urlA + "/sign-in/code?code=");
    }

    @Test
    void town_b_s_letters_carry_town_b_s_address_in_their_qr_code_and_their_text()
            throws Exception {
        byte[] b = letters(admin(urlB), urlB);
        String qrB = qrOf(b, 1);
        assertThat(qrB).startsWith(urlB + "/sign-in/code?code=");
        assertThat(textOf(b, 1))
                .contains("127.0.0.1:" + app.port() + "/sign-in/code")
                .doesNotContain("localhost");
        // the QR code opens town B's form, filled in
        HttpResponse<String> form = new Http(urlB).get(qrB.substring(urlB.length()));
        assertThat(form.statusCode()).isEqualTo(200);

        byte[] a = letters(admin(urlA), urlA);
        assertThat(qrOf(a, 1)).startsWith(urlA + "/sign-in/code?code=");
        assertThat(textOf(a, 1))
                .contains("localhost:" + app.port() + "/sign-in/code")
                .doesNotContain("127.0.0.1");
    }

    @Test
    void town_b_s_invitation_e_mail_and_its_icalendar_part_carry_town_b_s_address()
            throws Exception {
        List<MimeMessage> b = mailsTo("b.parent1@demo.sesame.test", "BEGIN:VCALENDAR");
        assertThat(b).hasSize(1);
        String mailB = unfolded(partsOf(b.get(0)));
        assertThat(mailB)
                .contains(urlB + "/me", "BEGIN:VCALENDAR", "URL:" + urlB + "/me")
                .doesNotContain("localhost");

        List<MimeMessage> a = mailsTo("parent1@demo.sesame.test", "BEGIN:VCALENDAR");
        assertThat(a).hasSize(1);
        String mailA = unfolded(partsOf(a.get(0)));
        assertThat(mailA).contains("URL:" + urlA + "/me").doesNotContain("127.0.0.1");
        // the booking's own .ics, downloaded on town B's host, too
        Http parentB = parent(urlB);
        String ics = unfolded(parentB.get("/me/bookings/" + bookingB + "/calendar.ics").body());
        assertThat(ics).contains("URL:" + urlB + "/me").doesNotContain("localhost");
    }

    @Test
    void town_b_s_feed_links_and_feeds_carry_town_b_s_address_and_event_uids_stay_as_they_were()
            throws Exception {
        Http parentB = parent(urlB);
        parentB.get("/me/calendar");
        String page = parentB.postForm("/me/calendar/link", Map.of()).body();
        Matcher feed = FEED.matcher(page);
        assertThat(feed.find()).as(page).isTrue();
        assertThat(feed.group(1)).startsWith(urlB + "/calendar/feed/");
        assertThat(page).contains("webcal://127.0.0.1:" + app.port() + "/calendar/feed/");
        String guardianFeed =
                unfolded(new Http(urlB).get(feed.group(1).substring(urlB.length())).body());
        assertThat(guardianFeed).contains("URL:" + urlB + "/me").doesNotContain("localhost");

        // a staff feed's session UIDs keep BASE_URL's host in every town (a calendar would see a
        // changed UID as a new event)
        Http adminB = admin(urlB);
        adminB.get("/admin/calendar");
        Matcher adminFeed = FEED.matcher(adminB.postForm("/admin/calendar/link", Map.of()).body());
        assertThat(adminFeed.find()).isTrue();
        assertThat(adminFeed.group(1)).startsWith(urlB + "/calendar/feed/");
        String sessions = new Http(urlB).get(adminFeed.group(1).substring(urlB.length())).body();
        assertThat(sessions).containsPattern("UID:session-\\d+@localhost");

        Http parentA = parent(urlA);
        parentA.get("/me/calendar");
        Matcher feedA = FEED.matcher(parentA.postForm("/me/calendar/link", Map.of()).body());
        assertThat(feedA.find()).isTrue();
        assertThat(feedA.group(1)).startsWith(urlA + "/calendar/feed/");
    }

    @Test
    void town_b_s_reminder_e_mail_links_and_its_list_unsubscribe_header_are_town_b_s()
            throws Exception {
        // the reminder pass of every town, two days before town B's session; the app's worker
        // sends
        Clock clock =
                Clock.fixed(startsB.minus(Duration.ofDays(2)).plusSeconds(60), ZoneOffset.UTC);
        Reminders reminders =
                new Reminders(
                        app.jdbi(),
                        new SmsOutbox(new TownUrls(app.baseUrl(), towns), clock, 3, () -> {}),
                        app.app().calendarOutbox(),
                        clock,
                        2,
                        LocalTime.of(8, 0));
        towns.eachTown(reminders::pass).getAsInt();
        List<MimeMessage> b =
                mailsTo(
                        "b.parent1@demo.sesame.test",
                        m -> m.getHeader("List-Unsubscribe", null) != null);
        assertThat(b).hasSize(1);
        String unsubscribe = b.get(0).getHeader("List-Unsubscribe", null);
        assertThat(unsubscribe).startsWith("<" + urlB + "/o/");
        assertThat(partsOf(b.get(0)))
                .contains(urlB + "/me", unsubscribe.substring(1, unsubscribe.length() - 1))
                .doesNotContain("localhost");
        // and its SMS, with town B's opt-out link
        String sms =
                owner.withHandle(
                        h ->
                                h.select(
                                                "select body from sms_outbox where town_id = ? and booking_id = ?",
                                                townB,
                                                bookingB)
                                        .mapTo(String.class)
                                        .findFirst()
                                        .orElse(""));
        assertThat(sms).contains(urlB + "/o/").doesNotContain("localhost");
    }

    @Test
    void town_b_s_campaign_e_mails_and_sms_carry_town_b_s_personal_links() throws Exception {
        Http adminB = admin(urlB);
        String filter = "?school=" + UAI + "&class=CM1+A&channel=both";
        String preview = adminB.get("/admin/campaigns/new" + filter).body();
        Matcher key = Pattern.compile("name=\"key\" value=\"([0-9a-f-]{36})\"").matcher(preview);
        assertThat(key.find()).as(preview).isTrue();
        HttpResponse<String> sent =
                adminB.postForm(
                        "/admin/campaigns",
                        Map.of(
                                "key", key.group(1),
                                "school", UAI,
                                "class", "CM1 A",
                                "status", "",
                                "language", "",
                                "channel", "both"));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
        String sms =
                owner.withHandle(
                        h ->
                                h.select(
                                                "select body from sms_outbox where town_id = ? and kind = 'campaign'",
                                                townB)
                                        .mapTo(String.class)
                                        .one());
        assertThat(sms).contains(urlB + "/l/", urlB + "/o/").doesNotContain("localhost");
        List<MimeMessage> mails = mailsTo("b.parent1@demo.sesame.test", "/l/");
        assertThat(mails).as("the campaign e-mail").hasSize(1);
        String campaign = partsOf(mails.get(0));
        assertThat(campaign).contains(urlB + "/l/").doesNotContain("localhost");
        // the link signs the parent in on town B's host
        Matcher link =
                Pattern.compile(Pattern.quote(urlB) + "(/l/[A-Za-z0-9_-]{22})").matcher(campaign);
        assertThat(link.find()).isTrue();
        assertThat(new Http(urlB).get(link.group(1)).statusCode()).isEqualTo(200);
    }
}
