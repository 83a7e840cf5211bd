package fr.sesame.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.sesame.support.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordMappersTest {
    record Pupil(
            long id,
            @ColumnName("given_name") String firstName,
            String className,
            Instant bornAt,
            Long tutorId) {}

    private static Database database;
    private static Jdbi jdbi;

    @BeforeAll
    static void open() {
        database = TestDatabase.openFresh();
        jdbi = database.jdbi();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void columns_are_found_by_column_name_by_snake_case_and_in_any_order_and_nulls_stay_null() {
        List<Pupil> pupils =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                """
                select null::bigint as tutor_id, 'CM1 A' as class_name, 'Lina' as given_name, 7 as id,
                       timestamptz '2016-03-01 08:00:00+00' as BORN_AT
                union all
                select 12, 'CM2', 'Noah', 8, null""")
                                        .mapTo(Pupil.class)
                                        .list());

        assertThat(pupils)
                .containsExactly(
                        new Pupil(7, "Lina", "CM1 A", Instant.parse("2016-03-01T08:00:00Z"), null),
                        new Pupil(8, "Noah", "CM2", null, 12L));
    }

    @Test
    void a_query_of_another_shape_is_matched_again() {
        Pupil first =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select 1 as id, 'A' as given_name, 'X' as class_name, "
                                                        + "null::timestamptz as born_at, null::bigint as tutor_id")
                                        .mapTo(Pupil.class)
                                        .one());
        Pupil second =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "select 'B' as given_name, 2 as id, 5 as tutor_id, 'Y' as class_name, "
                                                        + "null::timestamptz as born_at, 'extra' as ignored")
                                        .mapTo(Pupil.class)
                                        .one());

        assertThat(first).isEqualTo(new Pupil(1, "A", "X", null, null));
        assertThat(second).isEqualTo(new Pupil(2, "B", "Y", null, 5L));
    }

    @Test
    void a_missing_column_is_named_in_the_error() {
        assertThatThrownBy(
                        () ->
                                jdbi.withHandle(
                                        h ->
                                                h.createQuery("select 1 as id, 'A' as given_name")
                                                        .mapTo(Pupil.class)
                                                        .one()))
                .hasMessageContaining("className")
                .hasMessageContaining("Pupil");
    }
}
