package fr.sesame.family;

import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** A family's children, their schools and their devices. */
public interface FamilyDao {

    record FamilySummary(
            long id,
            String reference,
            @ColumnName("letter_code") String letterCode,
            String guardians,
            String children) {
        public String displayCode() {
            return fr.sesame.auth.LetterCodes.display(letterCode);
        }
    }

    /**
     * Families whose reference, code, guardian or child name contains the search text (taken
     * literally).
     */
    default List<FamilySummary> search(String query) {
        return searchEscaped(query, fr.sesame.db.Like.escape(query));
    }

    @SqlQuery(
            """
            select f.id, f.reference, f.letter_code,
                   (select string_agg(g.first_name || ' ' || g.last_name, ', ' order by g.id) from guardian g
                     where g.family_id = f.id) as guardians,
                   (select string_agg(c.first_name || ' ' || c.last_name || ' (' || c.class_level || ')', ', '
                     order by c.first_name) from child c where c.family_id = f.id) as children
            from family f
            where :q = ''
               or f.reference ilike '%' || :like || '%'
               or f.letter_code = upper(replace(replace(:q, '-', ''), ' ', ''))
               or exists (select 1 from guardian g where g.family_id = f.id
                          and (g.last_name || ' ' || g.first_name) ilike '%' || :like || '%')
               or exists (select 1 from child c where c.family_id = f.id
                          and (c.last_name || ' ' || c.first_name) ilike '%' || :like || '%')
            order by f.reference
            limit 50""")
    List<FamilySummary> searchEscaped(@Bind("q") String query, @Bind("like") String escapedQuery);

    @SqlQuery("select exists (select 1 from family where id = :id)")
    boolean exists(@Bind("id") long familyId);

    record ChildRow(
            @ColumnName("child_id") long childId,
            @ColumnName("first_name") String firstName,
            @ColumnName("last_name") String lastName,
            @ColumnName("class_level") String classLevel,
            @ColumnName("school_name") String schoolName,
            @ColumnName("school_uai") String schoolUai,
            @ColumnName("asset_tag") String assetTag,
            @ColumnName("device_state") String deviceState,
            @ColumnName("device_since") java.time.Instant deviceSince) {
        public boolean mayGoHome() {
            return "home_use".equals(deviceState);
        }
    }

    @SqlQuery(
            """
            select c.id as child_id, c.first_name, c.last_name, c.class_level, s.name as school_name, s.uai as school_uai,
                   d.asset_tag, d.state as device_state, d.state_changed_at as device_since
            from child c
            join school s on s.id = c.school_id
            left join device d on d.child_id = c.id and d.state in ('school_only', 'home_use')
            where c.family_id = :family
            order by c.first_name""")
    List<ChildRow> children(@Bind("family") long familyId);

    /**
     * Where the family stands with the home-use rule (migrations/V10), for the parent to read what
     * is still missing: the rule's decision and its reason, whether a guardian came but the charter
     * is still to sign, and the next booked workshop that unlocks home use (and whether it asks for
     * the charter).
     */
    record Training(
            @ColumnName("home_use") boolean homeUse,
            String reason,
            @ColumnName("charter_missing") boolean charterMissing,
            @ColumnName("next_qualifying") java.time.Instant nextQualifying,
            @ColumnName("next_title_fr") String nextTitleFr,
            @ColumnName("next_title_en") String nextTitleEn,
            @ColumnName("next_requires_charter") boolean nextRequiresCharter,
            @ColumnName("other_booked") boolean otherBooked) {
        public String nextTitle(String lang) {
            return "en".equals(lang) ? nextTitleEn : nextTitleFr;
        }
    }

    @SqlQuery(
            """
            with next as (
                select ws.starts_at, wt.title_fr, wt.title_en, wt.requires_charter
                from booking b join workshop_session ws on ws.id = b.session_id
                join workshop_type wt on wt.id = ws.workshop_type_id
                where b.family_id = :family and b.status = 'active' and ws.status = 'scheduled'
                  and ws.ends_at > now() and wt.qualifies_for_home_use
                order by ws.starts_at limit 1)
            select d.home_use, d.reason,
                   exists (select 1 from home_use_attendance h where h.family_id = :family and not h.qualifying)
                       as charter_missing,
                   (select starts_at from next) as next_qualifying, (select title_fr from next) as next_title_fr,
                   (select title_en from next) as next_title_en,
                   coalesce((select requires_charter from next), false) as next_requires_charter,
                   exists (select 1 from booking b join workshop_session ws on ws.id = b.session_id
                           join workshop_type wt on wt.id = ws.workshop_type_id
                           where b.family_id = :family and b.status = 'active' and ws.status = 'scheduled'
                             and ws.ends_at > now() and not wt.qualifies_for_home_use) as other_booked
            from home_use_decision(:family) d""")
    Training training(@Bind("family") long familyId);
}
