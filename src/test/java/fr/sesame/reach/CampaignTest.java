package fr.sesame.reach;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A campaign to the families to reach of one school and class: the preview's counts and SMS parts
 * against figures counted by hand, only the filtered families get messages (the opted-out guardian
 * nothing), each message carries a personal link that works once and expires, a double submit sends
 * once, and the campaign page counts its results.
 *
 * <p>The families (school 0219999Z, class CM1-T, channel "both"):
 *
 * <ul>
 *   <li>F1: A (fr, mobile, e-mail): SMS and e-mail; B (ar, mobile, no e-mail): SMS
 *   <li>F2: C (en, no phone, e-mail): e-mail
 *   <li>F3: D (fr, mobile, e-mail) opted out: nothing
 *   <li>F4: E (tr, a landline, no e-mail): nothing
 *   <li>F5, in class CM2-U: G (fr, mobile, e-mail): not chosen
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignTest {
    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
                    .withPerMethodLifecycle(false);

    static TestApp app;
    static ReachFixture fx;
    static Http admin;
    static long f1, f2, f3, f4, f5, a, b, c, d, e, g;
    static long campaign;

    @BeforeAll
    static void start() {
        app =
                TestApp.start(
                        Map.of(
                                "BASE_URL", ReachFixture.BASE_URL,
                                "SMTP_HOST", "127.0.0.1",
                                "SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()),
                                "SMTP_STARTTLS", "false",
                                "SMTP_FROM", "ateliers@ville.example"));
        new DemoSeed(app.jdbi()).seed();
        fx = new ReachFixture(app.jdbi());
        long school = fx.school("0219999Z");
        f1 = fx.family(school, "CM1-T");
        a = fx.guardian(f1, "fr", "06 11 11 11 11", "a@familles.example");
        b = fx.guardian(f1, "ar", "+33622222222", null);
        f2 = fx.family(school, "CM1-T");
        c = fx.guardian(f2, "en", null, "c@familles.example");
        f3 = fx.family(school, "CM1-T");
        d = fx.guardian(f3, "fr", "0633333333", "d@familles.example");
        fx.optOut(d);
        f4 = fx.family(school, "CM1-T");
        e = fx.guardian(f4, "tr", "01 45 67 89 00", null);
        f5 = fx.family(school, "CM2-U");
        g = fx.guardian(f5, "fr", "0677777777", "g@familles.example");
        admin = ReachFixture.admin(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static final String FILTER = "?school=0219999Z&class=CM1-T&channel=both";

    private static int count(String html, String name) {
        Matcher m = Pattern.compile("data-count=\"" + name + "\">[^<]*?(\\d+)</li>").matcher(html);
        assertThat(m.find()).as(name + " in the preview").isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String key(String html) {
        Matcher m = Pattern.compile("name=\"key\" value=\"([0-9a-f-]{36})\"").matcher(html);
        assertThat(m.find()).as("the preview's campaign key").isTrue();
        return m.group(1);
    }

    private static Map<String, String> form(String key) {
        return Map.of(
                "key", key,
                "school", "0219999Z",
                "class", "CM1-T",
                "status", "",
                "language", "",
                "channel", "both");
    }

    private static int rows(String table, String kind, long guardian) {
        return Sql.count(
                app.jdbi(),
                "select count(*) from "
                        + table
                        + " where kind = '"
                        + kind
                        + "' and guardian_id = "
                        + guardian);
    }

    @Test
    @Order(1)
    void the_preview_counts_who_gets_what_and_the_sms_parts_per_language() {
        HttpResponse<String> r = admin.get("/admin/campaigns/new" + FILTER);
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body();
        assertThat(count(html, "families")).isEqualTo(4);
        assertThat(count(html, "guardians")).isEqualTo(5);
        assertThat(count(html, "sms")).isEqualTo(2); // A, B
        assertThat(count(html, "email")).isEqualTo(2); // A, C
        assertThat(count(html, "both")).isEqualTo(1); // A
        assertThat(count(html, "nothing")).isEqualTo(2); // D, E
        assertThat(count(html, "opted-out")).isEqualTo(1); // D
        assertThat(count(html, "no-number")).isEqualTo(2); // C, E (a landline is no mobile)
        assertThat(count(html, "no-email")).isEqualTo(2); // B, E
        // The SMS counted by hand, with a 52-character link (27 + "/l/" + 22) and the opt-out line
        // (a 42-character link: 27 + "/o/" + 12):
        // fr: "Réservez l'atelier ordinateur de votre enfant : " 48 + 52 + newline 1
        //     + "STOP SMS : " 11 + 42 = 154 septets: GSM-7 (é is in it), one part
        // en: "Book a workshop for your child's computer: " 43 + 52 + 1 + "STOP SMS: " 10 + 42 =
        //     148: one part
        // ar: 23 + 52 + 1 + 16 + 42 = 134 UTF-16 units: UCS-2, two parts of 67
        assertThat(html)
                .contains("data-language=\"fr\"", "data-language=\"en\"", "data-language=\"ar\"")
                .doesNotContain("data-language=\"tr\"");
        assertThat(section(html, "fr")).contains("SMS : 1 partie, GSM-7, 154 caractères");
        assertThat(section(html, "en")).contains("SMS : 1 partie, GSM-7, 148 caractères");
        assertThat(section(html, "ar")).contains("SMS : 2 parties, UCS-2, 134 caractères");
        assertThat(section(html, "ar")).contains("احجز ورشة لحاسوب طفلك");
    }

    private static String section(String html, String lang) {
        int from = html.indexOf("data-language=\"" + lang + "\"");
        return html.substring(from, html.indexOf("</article>", from));
    }

    @Test
    @Order(2)
    void the_campaign_reaches_only_the_filtered_families_and_not_the_opted_out_guardian() {
        String key = key(admin.get("/admin/campaigns/new" + FILTER).body());
        HttpResponse<String> r = admin.postForm("/admin/campaigns", form(key));
        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/admin/campaigns/\\d+");
        campaign = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

        assertThat(rows("sms_outbox", "campaign", a)).isEqualTo(1);
        assertThat(rows("sms_outbox", "campaign", b)).isEqualTo(1);
        assertThat(rows("calendar_outbox", "campaign", a)).isEqualTo(1);
        assertThat(rows("calendar_outbox", "campaign", c)).isEqualTo(1);
        for (long nobody : List.of(d, e, g)) {
            assertThat(rows("sms_outbox", "campaign", nobody)).isZero();
            assertThat(rows("calendar_outbox", "campaign", nobody)).isZero();
        }
        assertThat(rows("sms_outbox", "campaign", c)).isZero();
        assertThat(rows("calendar_outbox", "campaign", b)).isZero();
        assertThat(Sql.count(app.jdbi(), "select count(*) from sms_outbox where kind = 'campaign'"))
                .isEqualTo(2);
        // B reads Arabic: the SMS is in Arabic, with the personal link and the opt-out line
        String smsB = Sql.text(app.jdbi(), "select body from sms_outbox where guardian_id = " + b);
        assertThat(smsB).contains("احجز ورشة لحاسوب طفلك", ReachFixture.BASE_URL + "/l/", "/o/");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'campaign_sent' and entity_id = "
                                        + campaign))
                .isEqualTo(1);
        // one link per guardian who got a message (A, B, C), valid PERSONAL_LINK_DAYS (14) days
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from personal_link where purpose = 'campaign'"
                                        + " and expires_at - created_at = interval '14 days'"))
                .isEqualTo(3);
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select string_agg(outcome, ',' order by guardian_id) from campaign_recipient"
                                        + " where campaign_id = "
                                        + campaign))
                .isEqualTo("both,sms,email,opted_out,no_contact");
    }

    private static String linkIn(String body) {
        Matcher m = Pattern.compile("/l/([A-Za-z0-9_-]{22})").matcher(body);
        assertThat(m.find()).as("a personal link in " + body).isTrue();
        return "/l/" + m.group(1);
    }

    @Test
    @Order(3)
    void each_link_signs_its_guardian_in_once_then_says_it_was_used_in_their_language() {
        String linkA =
                linkIn(
                        Sql.text(
                                app.jdbi(),
                                "select body from sms_outbox where guardian_id = " + a));
        String linkB =
                linkIn(
                        Sql.text(
                                app.jdbi(),
                                "select body from sms_outbox where guardian_id = " + b));
        // the e-mail carries the same link as the SMS: one link per guardian and campaign
        assertThat(
                        Sql.text(
                                app.jdbi(),
                                "select body from calendar_outbox where kind = 'campaign' and guardian_id = "
                                        + a))
                .contains(linkA);

        Http phone = ReachFixture.client(app);
        HttpResponse<String> asked = phone.get(linkA);
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("Voir les ateliers et réserver");
        // looking at the page (a link preview) did not use it up
        assertThat(phone.get(linkA).statusCode()).isEqualTo(200);
        HttpResponse<String> used = phone.postForm(linkA, Map.of());
        assertThat(used.statusCode()).isEqualTo(302);
        assertThat(used.headers().firstValue("Location")).hasValue("/sessions");
        assertThat(phone.get("/sessions").statusCode()).isEqualTo(200);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'sign_in_personal_link' and entity_id = "
                                        + a))
                .isEqualTo(1);

        Http other = ReachFixture.client(app);
        HttpResponse<String> again = other.get(linkA);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("Ce lien a déjà servi", "href=\"/sign-in\"");
        other.get("/sign-in/code"); // a CSRF token for the POST
        assertThat(other.postForm(linkA, Map.of()).statusCode()).isEqualTo(410);
        assertThat(other.get("/sessions").statusCode()).isEqualTo(302); // not signed in

        Http phoneB = ReachFixture.client(app);
        phoneB.get(linkB);
        assertThat(phoneB.postForm(linkB, Map.of()).statusCode()).isEqualTo(302);
        HttpResponse<String> usedB = ReachFixture.client(app).get(linkB);
        assertThat(usedB.statusCode()).isEqualTo(410);
        assertThat(usedB.body()).contains("هذا الرابط استُعمل من قبل", "dir=\"rtl\"");
    }

    @Test
    @Order(4)
    void a_link_expires_after_its_days_and_a_forged_one_names_nobody() {
        // a link made 15 days ago, with the app's validity (PERSONAL_LINK_DAYS, 14 by default)
        Clock then = Clock.fixed(Instant.now().minus(Duration.ofDays(15)), ZoneOffset.UTC);
        PersonalLinks old = new PersonalLinks(app.jdbi(), ReachFixture.BASE_URL, then, 14);
        String url = app.jdbi().inTransaction(h -> old.issue(h, c, f2, "campaign"));
        String path = url.substring(ReachFixture.BASE_URL.length());
        // and one made 13 days ago still opens
        Clock recent = Clock.fixed(Instant.now().minus(Duration.ofDays(13)), ZoneOffset.UTC);
        PersonalLinks young = new PersonalLinks(app.jdbi(), ReachFixture.BASE_URL, recent, 14);
        String youngPath =
                app.jdbi()
                        .inTransaction(h -> young.issue(h, c, f2, "campaign"))
                        .substring(ReachFixture.BASE_URL.length());

        Http visitor = ReachFixture.client(app);
        HttpResponse<String> expired = visitor.get(path);
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(expired.body()).contains("This link is no longer valid"); // C reads English
        visitor.get("/sign-in/code");
        assertThat(visitor.postForm(path, Map.of()).statusCode()).isEqualTo(410);
        assertThat(visitor.get(youngPath).statusCode()).isEqualTo(200);

        Http forger = ReachFixture.client(app);
        HttpResponse<String> forged = forger.get("/l/AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(forged.statusCode()).isEqualTo(404);
        assertThat(forged.body()).contains("Ce lien ne marche pas");
        assertThat(forger.get("/l/x").statusCode()).isEqualTo(404);
        forger.get("/sign-in/code");
        assertThat(forger.postForm("/l/AAAAAAAAAAAAAAAAAAAAAA", Map.of()).statusCode())
                .isEqualTo(404);
        // only the hash of a token is stored
        String token = path.substring(3);
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from personal_link where token_hash like '%"
                                        + token
                                        + "%'"))
                .isZero();
    }

    @Test
    @Order(5)
    void two_posts_of_the_same_preview_at_once_send_one_campaign() throws Exception {
        String key = key(admin.get("/admin/campaigns/new" + FILTER).body());
        int campaignsBefore = Sql.count(app.jdbi(), "select count(*) from campaign");
        int smsBefore = Sql.count(app.jdbi(), "select count(*) from sms_outbox");
        int mailsBefore = Sql.count(app.jdbi(), "select count(*) from calendar_outbox");
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<HttpResponse<String>>> posts =
                List.of(1, 2).stream()
                        .map(
                                i ->
                                        CompletableFuture.supplyAsync(
                                                () -> {
                                                    try {
                                                        together.await();
                                                    } catch (Exception ex) {
                                                        throw new IllegalStateException(ex);
                                                    }
                                                    return admin.postForm(
                                                            "/admin/campaigns", form(key));
                                                }))
                        .toList();
        HttpResponse<String> one = posts.get(0).get();
        HttpResponse<String> two = posts.get(1).get();
        assertThat(one.statusCode()).isEqualTo(302);
        assertThat(two.statusCode()).isEqualTo(302);
        String l1 = one.headers().firstValue("Location").orElseThrow().replace("?already=1", "");
        String l2 = two.headers().firstValue("Location").orElseThrow().replace("?already=1", "");
        assertThat(l1).isEqualTo(l2);
        assertThat(Sql.count(app.jdbi(), "select count(*) from campaign"))
                .isEqualTo(campaignsBefore + 1);
        assertThat(Sql.count(app.jdbi(), "select count(*) from sms_outbox"))
                .isEqualTo(smsBefore + 2);
        assertThat(Sql.count(app.jdbi(), "select count(*) from calendar_outbox"))
                .isEqualTo(mailsBefore + 2);
        // and a third POST later still shows the same campaign, sending nothing
        HttpResponse<String> late = admin.postForm("/admin/campaigns", form(key));
        assertThat(late.headers().firstValue("Location")).hasValue(l1 + "?already=1");
        assertThat(admin.get(l1 + "?already=1").body()).contains("déjà envoyée");
        assertThat(Sql.count(app.jdbi(), "select count(*) from sms_outbox"))
                .isEqualTo(smsBefore + 2);
    }

    @Test
    @Order(6)
    void a_filter_that_matches_nobody_or_a_garbage_form_is_refused_and_writes_nothing() {
        int campaignsBefore = Sql.count(app.jdbi(), "select count(*) from campaign");
        int smsBefore = Sql.count(app.jdbi(), "select count(*) from sms_outbox");
        String key = key(admin.get("/admin/campaigns/new" + FILTER).body());
        Map<String, String> nobody = new java.util.HashMap<>(form(key));
        nobody.put("class", "ZZZ");
        HttpResponse<String> r = admin.postForm("/admin/campaigns", nobody);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Aucune famille ne correspond à ces filtres");
        Map<String, String> fax = new java.util.HashMap<>(form(key));
        fax.put("channel", "fax");
        assertThat(admin.postForm("/admin/campaigns", fax).statusCode()).isEqualTo(400);
        Map<String, String> noKey = new java.util.HashMap<>(form("not-a-key"));
        HttpResponse<String> garbage = admin.postForm("/admin/campaigns", noKey);
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("Le formulaire n'est pas valide");
        Map<String, String> school = new java.util.HashMap<>(form(key));
        school.put("school", "9999999X");
        assertThat(admin.postForm("/admin/campaigns", school).statusCode()).isEqualTo(400);
        assertThat(admin.get("/admin/campaigns/new?channel=pigeon").statusCode()).isEqualTo(400);
        assertThat(admin.get("/admin/campaigns/424242").statusCode()).isEqualTo(404);
        assertThat(Sql.count(app.jdbi(), "select count(*) from campaign"))
                .isEqualTo(campaignsBefore);
        assertThat(Sql.count(app.jdbi(), "select count(*) from sms_outbox")).isEqualTo(smsBefore);
    }

    @Test
    @Order(7)
    void the_campaign_page_counts_sent_delivered_and_booked_since() throws Exception {
        // the mail worker sends the two e-mails of the first campaign to the SMTP server
        long deadline = System.currentTimeMillis() + 20_000;
        while (Sql.count(
                                app.jdbi(),
                                "select count(*) from campaign_recipient r join calendar_outbox m"
                                        + " on m.idempotency_key = r.mail_key where m.status = 'sent' and r.campaign_id = "
                                        + campaign)
                        < 2
                && System.currentTimeMillis() < deadline) Thread.sleep(200);
        // the SMS worker sends now or waits for 08:00 (quiet hours): wait until it has done
        // what it does now, then set what the provider answered: A's SMS sent and delivered,
        // B's failed
        while (Sql.count(
                                app.jdbi(),
                                "select count(*) from sms_outbox o join campaign_recipient r on r.sms_key = o.idempotency_key"
                                        + " where r.campaign_id = "
                                        + campaign
                                        + " and (o.status = 'sending' or (o.status = 'pending' and o.next_attempt_at <= now()))")
                        > 0
                && System.currentTimeMillis() < deadline) Thread.sleep(200);
        app.jdbi()
                .useHandle(
                        h -> {
                            h.execute(
                                    "update sms_outbox set status = 'sent', sent_at = coalesce(sent_at, now()),"
                                            + " delivered_at = now(), delivery_status = 'delivered'"
                                            + " where idempotency_key = ?",
                                    "campaign:" + campaign + ":" + a);
                            h.execute(
                                    "update sms_outbox set status = 'failed', sent_at = null where idempotency_key = ?",
                                    "campaign:" + campaign + ":" + b);
                            // F1 books after the campaign; F5 (not in it) too; F2 had booked before
                            // it
                            long session =
                                    h.createQuery(
                                                    """
                                    insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                                    select (select min(id) from workshop_type), s.id, (select min(id) from room where school_id = s.id),
                                           now() + interval '3 days', now() + interval '3 days 2 hours', 10
                                    from school s where s.uai = '0219999Z' returning id""")
                                            .mapTo(Long.class)
                                            .one();
                            h.execute(
                                    "insert into booking (session_id, family_id, guardian_id) values (?, ?, ?)",
                                    session,
                                    f1,
                                    a);
                            h.execute(
                                    "insert into booking (session_id, family_id, guardian_id) values (?, ?, ?)",
                                    session,
                                    f5,
                                    g);
                            h.execute(
                                    "insert into booking (session_id, family_id, guardian_id, created_at)"
                                            + " values (?, ?, ?, now() - interval '1 day')",
                                    session,
                                    f2,
                                    c);
                        });
        String html = admin.get("/admin/campaigns/" + campaign).body();
        assertThat(result(html, "families")).isEqualTo(4);
        assertThat(result(html, "guardians")).isEqualTo(5);
        assertThat(result(html, "opted-out")).isEqualTo(1);
        assertThat(result(html, "no-contact")).isEqualTo(1);
        assertThat(result(html, "sms-written")).isEqualTo(2);
        assertThat(result(html, "sms-sent")).isEqualTo(1);
        assertThat(result(html, "sms-delivered")).isEqualTo(1);
        assertThat(result(html, "sms-failed")).isEqualTo(1);
        assertThat(result(html, "mails-written")).isEqualTo(2);
        assertThat(result(html, "mails-sent")).isEqualTo(2);
        assertThat(result(html, "booked-since")).isEqualTo(1);
        assertThat(smtp.getReceivedMessagesForDomain("familles.example"))
                .extracting(m -> m.getAllRecipients()[0].toString())
                .contains("a@familles.example", "c@familles.example")
                .doesNotContain("d@familles.example", "g@familles.example");
        // the list of past campaigns shows it
        assertThat(admin.get("/admin/campaigns").body())
                .contains("data-campaign=\"" + campaign + "\"");
    }

    @Test
    @Order(8)
    void guessing_links_is_slowed_down_like_guessing_letter_codes() {
        Http guesser = ReachFixture.client(app);
        String forged = "/l/BBBBBBBBBBBBBBBBBBBBBB";
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) statuses.add(guesser.get(forged).statusCode());
        // five wrong tries of one link, then a wait
        assertThat(statuses.subList(0, 5)).containsOnly(404);
        assertThat(statuses.subList(5, 7)).containsOnly(429);
    }

    private static int result(String html, String name) {
        Matcher m =
                Pattern.compile("data-result=\"" + name + "\">.*?<td>(\\d+)</td>").matcher(html);
        assertThat(m.find()).as(name + " on the campaign page").isTrue();
        return Integer.parseInt(m.group(1));
    }
}
