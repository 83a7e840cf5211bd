package fr.sesame.roster;

import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The progress figures. A family is trained when one of its guardians was marked present at a
 * session of a workshop that unlocks home use; booked when it holds an active booking on such a
 * session that is not cancelled. Both are read from family_progress, which the database keeps up to
 * date (migration V8); a family without a row there is neither.
 */
public interface DashboardDao {

    /** One line of the dashboard: a school, or the town (id null). */
    record Figures(
            Long id,
            String uai,
            String name,
            int families,
            int trained,
            int bookedNotTrained,
            int notBooked,
            int devicesLent,
            int devicesHome) {
        public int trainedPercent() {
            return families == 0 ? 0 : Math.round(100f * trained / families);
        }
    }

    record Week(LocalDate week, int trainedThatWeek, int trainedByThen) {}

    record FamilyToReach(
            long id,
            String reference,
            String children,
            String schools,
            String guardians,
            String emails,
            String phones,
            String language,
            boolean booked) {}

    /**
     * One line per school (only the given one when it is set), then, for the whole town (school
     * null), a last line with id null in which a family with children in two schools counts once
     * (on its first school's row). One pass over family_school, which the database keeps up to date
     * (migration V9).
     */
    @SqlQuery(
            """
            with counts as (
                    select school_id, grouping(school_id) = 1 as town,
                           case when grouping(school_id) = 0 then count(*)
                                else count(*) filter (where first_school) end as families,
                           case when grouping(school_id) = 0 then count(*) filter (where trained)
                                else count(*) filter (where first_school and trained) end as trained,
                           case when grouping(school_id) = 0 then count(*) filter (where booked and not trained)
                                else count(*) filter (where first_school and booked and not trained) end as booked_not_trained,
                           sum(devices_lent) as lent, sum(devices_home) as home
                    from family_school
                    where cast(:school as bigint) is null or school_id = :school
                    group by grouping sets ((school_id), ()))
            select s.id, s.uai, s.name, coalesce(a.families, 0) as families, coalesce(a.trained, 0) as trained,
                   coalesce(a.booked_not_trained, 0) as booked_not_trained,
                   coalesce(a.families - a.trained - a.booked_not_trained, 0) as not_booked,
                   coalesce(a.lent, 0) as devices_lent, coalesce(a.home, 0) as devices_home, 0 as town
            from school s left join counts a on a.school_id = s.id and not a.town
            where cast(:school as bigint) is null or s.id = :school
            union all
            select null, null, null, coalesce(t.families, 0), coalesce(t.trained, 0), coalesce(t.booked_not_trained, 0),
                   coalesce(t.families - t.trained - t.booked_not_trained, 0), coalesce(t.lent, 0), coalesce(t.home, 0), 1
            from counts t
            where t.town and cast(:school as bigint) is null
            order by town, name""")
    List<Figures> figures(@Bind("school") Long schoolId);

    /**
     * Families trained each week (by the date of their first qualifying session), over the last 12
     * weeks.
     */
    @SqlQuery(
            """
            with first_trained as (
                    select p.family_id, p.trained_since as at from family_progress p
                    where p.trained_since is not null
                      and (cast(:school as bigint) is null
                           or p.family_id in (select family_id from child where school_id = :school))),
                 per_week as (select cast(date_trunc('week', at at time zone 'Europe/Paris') as date) as week, count(*) as n
                              from first_trained group by 1),
                 weeks as (select cast(generate_series(date_trunc('week', (now() at time zone 'Europe/Paris')) - interval '11 weeks',
                                                       date_trunc('week', (now() at time zone 'Europe/Paris')), interval '1 week') as date) as week)
            select w.week, coalesce(p.n, 0) as trained_that_week,
                   (select coalesce(sum(n), 0) from per_week q where q.week <= w.week) as trained_by_then
            from weeks w left join per_week p on p.week = w.week
            order by w.week""")
    List<Week> trend(@Bind("school") Long schoolId);

    /**
     * The families still to reach (not trained), filtered; {@code status} is '', 'booked' or
     * 'not_booked'. The children and schools shown are those in the scope (the school, when one is
     * chosen).
     *
     * <p>The families are walked in the order of their reference and each is tested on its own
     * (through its indexes): the page's first 200 are found without working out the whole town.
     * (string_agg skips nulls: the e-mails and phones are those of the guardians who have one.)
     */
    @SqlQuery(
            """
            with chosen as (
                    select f.id, f.reference, fl.language, coalesce(p.booked, false) as booked
                    from family f
                    left join family_progress p on p.family_id = f.id
                    cross join lateral (select coalesce((select g.language from guardian g where g.family_id = f.id
                                                         order by g.id limit 1), 'fr') as language) fl
                    where p.trained_since is null
                      and exists (select 1 from child c where c.family_id = f.id
                                    and (cast(:school as bigint) is null or c.school_id = :school)
                                    and (:className = '' or c.class_name = :className))
                      and (:status = '' or (:status = 'booked') = coalesce(p.booked, false))
                      and (:language = '' or fl.language = :language)
                    order by f.reference
                    limit :limit)
            select f.id, f.reference, kids.children, kids.schools, adults.guardians, adults.emails, adults.phones,
                   f.language, f.booked
            from chosen f
            cross join lateral (
                    select string_agg(c.first_name || ' ' || c.last_name || ' (' || case when c.class_name = '' then c.class_level else c.class_name end || ')',
                                      ', ' order by c.first_name, c.id) as children,
                           string_agg(distinct sc.name, ', ') as schools
                    from child c join school sc on sc.id = c.school_id
                    where c.family_id = f.id and (cast(:school as bigint) is null or c.school_id = :school)) kids
            cross join lateral (
                    select string_agg(g.first_name || ' ' || g.last_name, ', ' order by g.id) as guardians,
                           string_agg(g.email, ', ' order by g.id) as emails,
                           string_agg(g.phone, ', ' order by g.id) as phones
                    from guardian g where g.family_id = f.id) adults
            order by f.reference""")
    List<FamilyToReach> toReach(
            @Bind("school") Long schoolId,
            @Bind("className") String className,
            @Bind("status") String status,
            @Bind("language") String language,
            @Bind("limit") int limit);

    /**
     * For the rest of the transaction, plans each query for the values it is given. The queries
     * above serve the town and one school, filtered or not: a plan cached for any values (as
     * PostgreSQL does after a statement's fifth run on a connection) would work out the whole town
     * for one school, or the whole list for a page.
     */
    @SqlUpdate("set local plan_cache_mode = force_custom_plan")
    void planForTheValuesGiven();

    @SqlQuery(
            "select distinct class_name from child where school_id = :school and class_name <> '' order by class_name")
    List<String> classes(@Bind("school") long schoolId);

    record School(long id, String uai, String name) {}

    @SqlQuery("select id, uai, name from school order by name")
    List<School> schools();
}
