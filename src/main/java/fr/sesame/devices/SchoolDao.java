package fr.sesame.devices;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Schools and their pupils, with whether each pupil's device may go home and where the family is in
 * its training.
 */
public interface SchoolDao {
    record School(long id, String uai, String name) {}

    record Pupil(
            @ColumnName("class_level") String classLevel,
            @ColumnName("class_name") String className,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            @ColumnName("asset_tag") String assetTag,
            @ColumnName("home_use") boolean homeUse,
            String guardians,
            @ColumnName("trained") boolean trained,
            @ColumnName("charter_missing") boolean charterMissing,
            @ColumnName("next_session") Instant nextSession) {
        public String classLabel() {
            return className.isEmpty() ? classLevel : className;
        }

        /** The message key of the family's training status. */
        public String trainingKey() {
            if (trained) return "school.training.done";
            if (charterMissing) return "school.training.charter";
            if (nextSession != null) return "school.training.booked";
            return "school.training.none";
        }
    }

    @SqlQuery("select id, uai, name from school order by name")
    List<School> schools();

    @SqlQuery("select id, uai, name from school where id = :id")
    List<School> school(@Bind("id") long id);

    @SqlQuery(
            """
            select c.class_level, c.class_name, c.first_name, c.last_name, d.asset_tag,
                   coalesce(d.state = 'home_use', false) as home_use,
                   coalesce((select string_agg(g.first_name || ' ' || g.last_name, ', ' order by g.id)
                             from guardian g where g.family_id = c.family_id), '') as guardians,
                   exists (select 1 from home_use_attendance h where h.family_id = c.family_id and h.qualifying)
                       as trained,
                   exists (select 1 from home_use_attendance h where h.family_id = c.family_id and not h.qualifying)
                       as charter_missing,
                   (select min(ws.starts_at) from booking b join workshop_session ws on ws.id = b.session_id
                     where b.family_id = c.family_id and b.status = 'active' and ws.status = 'scheduled'
                       and ws.ends_at > now()) as next_session
            from child c
            left join device d on d.child_id = c.id and d.state in ('school_only', 'home_use')
            where c.school_id = :school
            order by c.class_level, c.class_name, c.last_name, c.first_name""")
    List<Pupil> pupils(@Bind("school") long schoolId);
}
