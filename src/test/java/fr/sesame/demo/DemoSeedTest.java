package fr.sesame.demo;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.db.Database;
import fr.sesame.support.TestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import fr.sesame.support.Sql;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class DemoSeedTest {

    private static Map<String, Integer> counts(Jdbi jdbi) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String table : new String[] {"school", "room", "workshop_type", "workshop_session", "family", "guardian",
            "child", "device", "staff_account", "session_trainer"}) {
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
            assertThat(first.get("workshop_session")).isEqualTo(12);
            assertThat(first.get("family")).isEqualTo(40);
            assertThat(first.get("device")).isEqualTo(first.get("child"));
            Jdbi jdbi = db.jdbi();
            assertThat(Sql.count(jdbi, "select count(*) from staff_account where role = 'trainer'")).isEqualTo(2);
            assertThat(Sql.count(jdbi, "select count(*) from staff_account where role = 'admin'")).isEqualTo(1);
            // some families have children in two schools
            assertThat(Sql.count(jdbi, "select count(*) from (select family_id from child group by family_id "
                            + "having count(distinct school_id) > 1) f")).isPositive();
            assertThat(Sql.count(jdbi, "select count(distinct class_level) from child")).isEqualTo(2);
            // sessions are in the coming weeks, at 17:30 in Paris
            assertThat(Sql.count(jdbi, "select count(*) from workshop_session where starts_at > now() and starts_at < now() + interval '5 weeks' "
                            + "and to_char(starts_at at time zone 'Europe/Paris', 'HH24:MI') = '17:30'")).isEqualTo(12);
        }
    }
}
