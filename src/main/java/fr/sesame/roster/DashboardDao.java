package fr.sesame.roster;

import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The progress figures. A family is trained when one of its guardians was marked present at a session of a
 * workshop that unlocks home use; booked when it holds an active booking on such a session that is not cancelled.
 */
@RegisterConstructorMapper(DashboardDao.Figures.class)
@RegisterConstructorMapper(DashboardDao.Week.class)
@RegisterConstructorMapper(DashboardDao.FamilyToReach.class)
public interface DashboardDao {

    /** One line of the dashboard: a school, or the town (id null). */
    record Figures(Long id, String uai, String name, int families, int trained, int bookedNotTrained, int notBooked,
                   int devicesLent, int devicesHome) {
        public int trainedPercent() {
            return families == 0 ? 0 : Math.round(100f * trained / families);
        }
    }

    record Week(LocalDate week, int trainedThatWeek, int trainedByThen) {
    }

    record FamilyToReach(long id, String reference, String children, String schools, String guardians, String emails,
                         String phones, String language, boolean booked) {
    }

    String TRAINED = "select distinct g.family_id from attendance a join guardian g on g.id = a.guardian_id "
            + "join workshop_session s on s.id = a.session_id join workshop_type w on w.id = s.workshop_type_id "
            + "where a.mark = 'present' and w.qualifies_for_home_use";

    String BOOKED = "select distinct b.family_id from booking b join workshop_session s on s.id = b.session_id "
            + "join workshop_type w on w.id = s.workshop_type_id "
            + "where b.status = 'active' and s.status <> 'cancelled' and w.qualifies_for_home_use";

    @SqlQuery("""
            with fam as (select distinct school_id, family_id from child where (cast(:school as bigint) is null or school_id = :school)),
                 trained as (""" + TRAINED + """
            ),
                 booked as (""" + BOOKED + """
            ),
                 devices as (select c.school_id, count(*) as lent, count(*) filter (where d.state = 'home_use') as home
                             from device d join child c on c.id = d.child_id
                             where d.state in ('school_only', 'home_use') group by c.school_id)
            select s.id, s.uai, s.name,
                   count(fam.family_id) as families,
                   count(t.family_id) as trained,
                   count(fam.family_id) filter (where t.family_id is null and b.family_id is not null) as booked_not_trained,
                   count(fam.family_id) filter (where t.family_id is null and b.family_id is null) as not_booked,
                   coalesce(max(dv.lent), 0) as devices_lent, coalesce(max(dv.home), 0) as devices_home
            from school s
            left join fam on fam.school_id = s.id
            left join trained t on t.family_id = fam.family_id
            left join booked b on b.family_id = fam.family_id
            left join devices dv on dv.school_id = s.id
            where cast(:school as bigint) is null or s.id = :school
            group by s.id, s.uai, s.name
            order by s.name""")
    List<Figures> perSchool(@Bind("school") Long schoolId);

    /** The town: each family once, even with children in two schools. */
    @SqlQuery("""
            with fam as (select distinct family_id from child),
                 trained as (""" + TRAINED + """
            ),
                 booked as (""" + BOOKED + """
            )
            select cast(null as bigint) as id, cast(null as text) as uai, cast(null as text) as name,
                   count(fam.family_id) as families,
                   count(t.family_id) as trained,
                   count(*) filter (where t.family_id is null and b.family_id is not null) as booked_not_trained,
                   count(*) filter (where t.family_id is null and b.family_id is null) as not_booked,
                   (select count(*) from device where state in ('school_only', 'home_use')) as devices_lent,
                   (select count(*) from device where state = 'home_use') as devices_home
            from fam
            left join trained t on t.family_id = fam.family_id
            left join booked b on b.family_id = fam.family_id""")
    Figures town();

    /** Families trained each week (by the date of their first qualifying session), over the last 12 weeks. */
    @SqlQuery("""
            with scope as (select distinct family_id from child where cast(:school as bigint) is null or school_id = :school),
                 first_trained as (
                    select g.family_id, min(s.starts_at) as at from attendance a
                    join guardian g on g.id = a.guardian_id
                    join workshop_session s on s.id = a.session_id
                    join workshop_type w on w.id = s.workshop_type_id
                    where a.mark = 'present' and w.qualifies_for_home_use
                      and g.family_id in (select family_id from scope)
                    group by g.family_id),
                 weeks as (select cast(generate_series(date_trunc('week', (now() at time zone 'Europe/Paris')) - interval '11 weeks',
                                                       date_trunc('week', (now() at time zone 'Europe/Paris')), interval '1 week') as date) as week)
            select w.week,
                   (select count(*) from first_trained f where (f.at at time zone 'Europe/Paris') >= w.week
                      and (f.at at time zone 'Europe/Paris') < w.week + 7) as trained_that_week,
                   (select count(*) from first_trained f where (f.at at time zone 'Europe/Paris') < w.week + 7) as trained_by_then
            from weeks w order by w.week""")
    List<Week> trend(@Bind("school") Long schoolId);

    /**
     * The families still to reach (not trained), filtered; {@code status} is '', 'booked' or 'not_booked'. The
     * children and schools shown are those in the scope (the school, when one is chosen).
     */
    @SqlQuery("""
            with scope as (select distinct family_id from child
                           where (cast(:school as bigint) is null or school_id = :school)
                             and (:className = '' or class_name = :className)),
                 booked as (""" + BOOKED + """
            )
            select f.id, f.reference,
                   (select string_agg(c.first_name || ' ' || c.last_name || ' (' || case when c.class_name = '' then c.class_level else c.class_name end || ')', ', ' order by c.first_name)
                      from child c where c.family_id = f.id and (cast(:school as bigint) is null or c.school_id = :school)) as children,
                   (select string_agg(distinct sc.name, ', ') from child c join school sc on sc.id = c.school_id
                      where c.family_id = f.id and (cast(:school as bigint) is null or c.school_id = :school)) as schools,
                   (select string_agg(g.first_name || ' ' || g.last_name, ', ' order by g.id) from guardian g where g.family_id = f.id) as guardians,
                   (select string_agg(g.email, ', ' order by g.id) from guardian g where g.family_id = f.id and g.email is not null) as emails,
                   (select string_agg(g.phone, ', ' order by g.id) from guardian g where g.family_id = f.id and g.phone is not null) as phones,
                   coalesce((select g.language from guardian g where g.family_id = f.id order by g.id limit 1), 'fr') as language,
                   (b.family_id is not null) as booked
            from family f
            join scope on scope.family_id = f.id
            left join booked b on b.family_id = f.id
            where f.id not in (""" + TRAINED + """
            )
              and (:status = '' or (:status = 'booked') = (b.family_id is not null))
              and (:language = '' or coalesce((select g.language from guardian g where g.family_id = f.id order by g.id limit 1), 'fr') = :language)
            order by f.reference
            limit :limit""")
    List<FamilyToReach> toReach(@Bind("school") Long schoolId, @Bind("className") String className,
                                @Bind("status") String status, @Bind("language") String language, @Bind("limit") int limit);

    @SqlQuery("select distinct class_name from child where school_id = :school and class_name <> '' order by class_name")
    List<String> classes(@Bind("school") long schoolId);

    record School(long id, String uai, String name) {
    }

    @SqlQuery("select id, uai, name from school order by name")
    @RegisterConstructorMapper(School.class)
    List<School> schools();
}
