package fr.sesame.roster;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * What the letters print: the families of a school (or a class), and the school's next sessions.
 */
interface LetterDao {
    record Recipient(long id, String letterCode, String language, String children) {}

    record NextSession(
            Instant startsAt, String titleFr, String titleEn, String room, String language) {}

    @SqlQuery(
            """
            select f.id, f.letter_code,
                   coalesce((select g.language from guardian g where g.family_id = f.id order by g.id limit 1), 'fr') as language,
                   string_agg(c.first_name, ', ' order by c.first_name) as children
            from family f
            join child c on c.family_id = f.id and c.school_id = :school and (:className = '' or c.class_name = :className)
            where not :untrainedOnly or f.id not in ("""
                    + RosterDao.TRAINED_FAMILIES
                    + """
            )
            group by f.id
            order by min(c.class_name), min(c.last_name), min(c.first_name), f.id""")
    List<Recipient> recipients(
            @Bind("school") long schoolId,
            @Bind("className") String className,
            @Bind("untrainedOnly") boolean untrainedOnly);

    @SqlQuery(
            "select id from family where letter_code is null and id = any(cast(:ids as bigint[]))")
    List<Long> withoutCode(@Bind("ids") long[] familyIds);

    @SqlQuery(
            """
            select s.starts_at, w.title_fr, w.title_en, r.name as room, s.language
            from workshop_session s
            join workshop_type w on w.id = s.workshop_type_id
            join room r on r.id = s.room_id
            where s.school_id = :school and s.status = 'scheduled' and s.starts_at > now() and w.qualifies_for_home_use
            order by s.starts_at
            limit 4""")
    List<NextSession> nextSessions(@Bind("school") long schoolId);
}
