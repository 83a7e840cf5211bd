package fr.sesame.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The opt-out link every SMS carries: it asks first, opts out on the confirmation (CSRF-checked),
 * in the guardian's language, once; after it the guardian's SMS are recorded as opted out and not
 * sent; a link that names nobody gets a clear 404.
 */
@SesameTest(demo = true)
class OptOutTest {
    static TestApp app;
    static Jdbi db;

    private static long guardian(String language) {
        return db.withHandle(
                h -> {
                    long id =
                            h.createQuery(
                                            "select id from guardian where not opt_out"
                                                    + " and id not in (select guardian_id from opt_out_link)"
                                                    + " order by id limit 1")
                                    .mapTo(Long.class)
                                    .one();
                    h.execute(
                            "update guardian set language = ?, phone = '+33612345678' where id = ?",
                            language,
                            id);
                    return id;
                });
    }

    private static String tokenOf(long guardianId) {
        return db.withHandle(h -> SmsOutbox.optOutToken(h, guardianId));
    }

    private static boolean optedOut(long guardianId) {
        return db.withHandle(
                h ->
                        h.createQuery("select opt_out from guardian where id = ?")
                                .bind(0, guardianId)
                                .mapTo(Boolean.class)
                                .one());
    }

    @Test
    void the_link_asks_then_opts_out_once_and_the_guardian_gets_no_more_sms() {
        long g = guardian("fr");
        String path = SmsOutbox.OPT_OUT_PATH + tokenOf(g);
        Http visitor = app.client();

        HttpResponse<String> ask = visitor.get(path);
        assertThat(ask.statusCode()).isEqualTo(200);
        assertThat(ask.body())
                .contains("Ne plus recevoir de rappels")
                .contains("<form method=\"post\"");
        assertThat(optedOut(g))
                .as("opening the link (a phone's preview) changes nothing")
                .isFalse();

        HttpResponse<String> forged = app.client().post(path, Map.of());
        assertThat(forged.statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(optedOut(g)).isFalse();

        HttpResponse<String> done = visitor.postForm(path, Map.of());
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("vous ne recevrez plus de rappels");
        assertThat(optedOut(g)).isTrue();
        visitor.get(path);
        assertThat(visitor.postForm(path, Map.of()).statusCode()).isEqualTo(200);
        String byAndAudits =
                db.withHandle(
                        h ->
                                h.createQuery(
                                                "select opt_out_by || ' ' || (select count(*) from audit_log"
                                                        + " where action = 'opt_out' and entity_id = :g)"
                                                        + " from guardian where id = :g")
                                        .bind("g", g)
                                        .mapTo(String.class)
                                        .one());
        assertThat(byAndAudits).as("by the guardian, audited once").isEqualTo("guardian 1");

        SmsOutbox.Outcome outcome =
                db.inTransaction(
                        h ->
                                new SmsOutbox(app.baseUrl(), Clock.systemUTC(), 3, () -> {})
                                        .enqueue(
                                                h,
                                                g,
                                                "Rappel : atelier demain",
                                                "campaign",
                                                "t:" + g));
        assertThat(outcome).isEqualTo(SmsOutbox.Outcome.OPTED_OUT);
    }

    @Test
    void the_page_speaks_the_guardians_language() {
        long g = guardian("en");
        HttpResponse<String> ask = app.client().get(SmsOutbox.OPT_OUT_PATH + tokenOf(g));
        assertThat(ask.body()).contains("lang=\"en\"").contains("Stop reminders");
        long a = guardian("ar");
        HttpResponse<String> arabic = app.client().get(SmsOutbox.OPT_OUT_PATH + tokenOf(a));
        assertThat(arabic.body()).contains("dir=\"rtl\"").contains("إيقاف التذكيرات");
    }

    @Test
    void a_link_that_names_nobody_gets_a_clear_404() {
        for (String token : new String[] {"Zz9Zz9Zz9Zz9Zz9Z", "short", "a%2F..%2F..%2Fetc"}) {
            HttpResponse<String> r = app.client().get(SmsOutbox.OPT_OUT_PATH + token);
            assertThat(r.statusCode()).as(token).isEqualTo(404);
            assertThat(r.body()).as(token).contains("Ce lien ne marche pas");
        }
        Http visitor = app.client();
        visitor.get("/sign-in/code"); // a CSRF token
        assertThat(
                        visitor.postForm(SmsOutbox.OPT_OUT_PATH + "Zz9Zz9Zz9Zz9Zz9Z", Map.of())
                                .statusCode())
                .isEqualTo(404);
    }
}
