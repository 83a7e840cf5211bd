package fr.sesame.family;

import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** A family's children, their schools and their devices. */
public interface FamilyDao {

    record FamilySummary(long id, String reference, @ColumnName("letter_code") String letterCode,
                         String guardians, String children) {
        public String displayCode() {
            return fr.sesame.auth.LetterCodes.display(letterCode);
        }
    }

    /** Families whose reference, code, guardian or child name contains the search text (taken literally). */
    default List<FamilySummary> search(String query) {
        return searchEscaped(query, fr.sesame.db.Like.escape(query));
    }

    @SqlQuery("""
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

    record ChildRow(@ColumnName("child_id") long childId, @ColumnName("first_name") String firstName,
                    @ColumnName("last_name") String lastName, @ColumnName("class_level") String classLevel,
                    @ColumnName("school_name") String schoolName, @ColumnName("school_uai") String schoolUai,
                    @ColumnName("asset_tag") String assetTag, @ColumnName("device_state") String deviceState) {
        public boolean mayGoHome() {
            return "home_use".equals(deviceState);
        }
    }

    @SqlQuery("""
            select c.id as child_id, c.first_name, c.last_name, c.class_level, s.name as school_name, s.uai as school_uai,
                   d.asset_tag, d.state as device_state
            from child c
            join school s on s.id = c.school_id
            left join device d on d.child_id = c.id and d.state in ('school_only', 'home_use')
            where c.family_id = :family
            order by c.first_name""")
    List<ChildRow> children(@Bind("family") long familyId);
}
