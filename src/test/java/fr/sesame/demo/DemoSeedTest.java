package fr.sesame.demo;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.db.Database;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import fr.sesame.support.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class DemoSeedTest {
    private static final String TRAINERS_SESSIONS =
            "select ws.starts_at from workshop_session ws "
                    + "join session_trainer st on st.session_id = ws.id join staff_account a on a.id = st.staff_id "
                    + "where a.email = '"
                    + DemoSeed.TRAINER_EMAIL
                    + "' order by ws.starts_at";

    private static Map<String, Integer> counts(Jdbi jdbi) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String table :
                new String[] {
                    "school",
                    "room",
                    "workshop_type",
                    "workshop_session",
                    "family",
                    "guardian",
                    "child",
                    "device",
                    "staff_account",
                    "session_trainer"
                }) {
            counts.put(table, Sql.count(jdbi, "select count(*) from " + table));
        }
        return counts;
    }

    @Test
    void the_demo_town_is_seeded_once_however_often_it_is_asked() {
        try (Database db = TestDatabase.openFresh()) {
            DemoSeed seed = new DemoSeed(db.jdbi());
            assertThat(seed.seed()).isTrue();
            Map<String, Integer> first = counts(db.jdbi());
            assertThat(seed.seed()).isFalse();
            assertThat(counts(db.jdbi())).isEqualTo(first);

            assertThat(first.get("school")).isEqualTo(3);
            assertThat(first.get("workshop_type")).isEqualTo(2);
            assertThat(first.get("workshop_session")).isEqualTo(14);
            assertThat(first.get("family")).isEqualTo(40);
            assertThat(first.get("device")).isEqualTo(first.get("child"));
            Jdbi jdbi = db.jdbi();
            assertThat(Sql.count(jdbi, "select count(*) from staff_account where role = 'trainer'"))
                    .isEqualTo(2);
            assertThat(Sql.count(jdbi, "select count(*) from staff_account where role = 'admin'"))
                    .isEqualTo(1);
            // some families have children in two schools
            assertThat(
                            Sql.count(
                                    jdbi,
                                    "select count(*) from (select family_id from child group by family_id "
                                            + "having count(distinct school_id) > 1) f"))
                    .isPositive();
            assertThat(Sql.count(jdbi, "select count(distinct class_level) from child"))
                    .isEqualTo(2);
            // besides the trainer's today and tomorrow, sessions are in the coming weeks, at 17:30
            // in Paris
            assertThat(
                            Sql.count(
                                    jdbi,
                                    "select count(*) from workshop_session where starts_at > now() + interval '1 day' "
                                            + "and starts_at < now() + interval '5 weeks' "
                                            + "and to_char(starts_at at time zone 'Europe/Paris', 'HH24:MI') = '17:30'"))
                    .isEqualTo(12);
        }
    }

    @Test
    void
            whatever_the_day_and_hour_of_seeding_the_trainer_has_a_session_to_mark_now_and_one_tomorrow() {
        // a Monday morning, a Sunday late at night, the night clocks go forward, a Friday just
        // before 17:30
        for (String at :
                List.of(
                        "2027-01-11T09:10:00+01:00",
                        "2027-01-17T23:50:00+01:00",
                        "2027-03-28T01:58:00+01:00",
                        "2027-06-04T17:29:00+02:00")) {
            ZonedDateTime now = ZonedDateTime.parse(at).withZoneSameInstant(DemoSeed.PARIS);
            Clock clock = Clock.fixed(now.toInstant(), DemoSeed.PARIS);
            try (Database db = TestDatabase.openFresh()) {
                assertThat(new DemoSeed(db.jdbi(), clock).seed()).isTrue();
                assertThat(new DemoSeed(db.jdbi(), clock).seed()).isFalse();
                List<Instant> starts =
                        db.jdbi()
                                .withHandle(
                                        h ->
                                                h.createQuery(TRAINERS_SESSIONS)
                                                        .mapTo(Instant.class)
                                                        .list());
                LocalDate today = now.toLocalDate();
                List<Instant> todays = starts.stream().filter(s -> day(s).equals(today)).toList();
                assertThat(todays).as(at).hasSize(1);
                // marking opens 30 minutes before the start (MARKING_OPENS_MINUTES' default): open
                // at once
                assertThat(todays.get(0).minusSeconds(30 * 60))
                        .as(at)
                        .isBeforeOrEqualTo(now.toInstant());
                assertThat(todays.get(0)).as(at).isAfter(now.toInstant().minusSeconds(15 * 60));
                // on a Monday, tomorrow also has the first Tuesday's sessions
                assertThat(starts.stream().filter(s -> day(s).equals(today.plusDays(1))))
                        .as(at)
                        .isNotEmpty();
                assertThat(starts.stream().filter(s -> day(s).isBefore(today))).as(at).isEmpty();
                // the others (and tomorrow's) spread over the coming weeks
                Instant tonight = today.plusDays(1).atStartOfDay(DemoSeed.PARIS).toInstant();
                int later =
                        Sql.count(
                                db.jdbi(),
                                "select count(*) from workshop_session where starts_at >= '"
                                        + tonight
                                        + "' and starts_at < '"
                                        + now.plusWeeks(3).toInstant()
                                        + "'");
                assertThat(later).as(at).isEqualTo(13);
            }
        }
    }

    @Test
    void the_next_quarter_hour_starts_todays_session_but_never_tomorrow() {
        assertThat(
                        DemoSeed.todaysStart(
                                ZonedDateTime.parse("2027-01-11T10:07:00+01:00[Europe/Paris]")))
                .isEqualTo(ZonedDateTime.parse("2027-01-11T10:15:00+01:00[Europe/Paris]"));
        assertThat(
                        DemoSeed.todaysStart(
                                ZonedDateTime.parse("2027-01-11T10:00:00+01:00[Europe/Paris]")))
                .isEqualTo(ZonedDateTime.parse("2027-01-11T10:15:00+01:00[Europe/Paris]"));
        assertThat(
                        DemoSeed.todaysStart(
                                ZonedDateTime.parse("2027-01-11T23:44:00+01:00[Europe/Paris]")))
                .isEqualTo(ZonedDateTime.parse("2027-01-11T23:45:00+01:00[Europe/Paris]"));
        assertThat(
                        DemoSeed.todaysStart(
                                ZonedDateTime.parse("2027-01-11T23:52:00+01:00[Europe/Paris]")))
                .isEqualTo(ZonedDateTime.parse("2027-01-11T23:45:00+01:00[Europe/Paris]"));
    }

    @Test
    void the_demo_trainer_signs_in_and_finds_todays_session_under_today() {
        try (TestApp app = SignIn.demoApp()) {
            long todays =
                    Sql.count(
                            app.jdbi(),
                            "select ws.id from workshop_session ws join session_trainer st "
                                    + "on st.session_id = ws.id join staff_account a on a.id = st.staff_id where a.email = '"
                                    + DemoSeed.TRAINER_EMAIL
                                    + "' order by ws.starts_at limit 1");
            String page = SignIn.trainer(app).get("/trainer").body();
            int today = page.indexOf("<h2>Aujourd'hui</h2>");
            int week = page.indexOf("<h2>", today + 1);
            assertThat(today).isPositive();
            assertThat(page.substring(today, week))
                    .contains("href=\"/trainer/sessions/" + todays + "\"");
            assertThat(SignIn.trainer(app).get("/trainer/sessions/" + todays).statusCode())
                    .isEqualTo(200);
        }
    }

    private static LocalDate day(Instant instant) {
        return instant.atZone(DemoSeed.PARIS).toLocalDate();
    }
}
