package fr.sesame.booking;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The sessions a trainer runs. */
public interface TrainerDao {
    record SessionRow(
            long id,
            @ColumnName("title_fr") String titleFr,
            @ColumnName("title_en") String titleEn,
            @ColumnName("school_name") String schoolName,
            @ColumnName("room_name") String roomName,
            @ColumnName("starts_at") Instant startsAt,
            @ColumnName("ends_at") Instant endsAt,
            int capacity,
            int booked,
            String status) {
        public String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }
    }

    /** Upcoming sessions of one trainer, or of every trainer when staffId is null (an admin). */
    @SqlQuery(
            """
            select ws.id, wt.title_fr, wt.title_en, s.name as school_name, r.name as room_name, ws.starts_at, ws.ends_at,
                   ws.capacity, ws.booked, ws.status
            from workshop_session ws
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join room r on r.id = ws.room_id
            where ws.ends_at > now() - interval '12 hours'
              and (cast(:staff as bigint) is null
                   or exists (select 1 from session_trainer st where st.session_id = ws.id and st.staff_id = :staff))
            order by ws.starts_at
            limit 200""")
    List<SessionRow> upcoming(@Bind("staff") Long staffId);
}
