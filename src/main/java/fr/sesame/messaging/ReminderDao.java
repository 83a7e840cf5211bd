package fr.sesame.messaging;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The bookings a reminder is due for. */
interface ReminderDao {
    /** An active booking of a scheduled session that has not started, with what the text needs. */
    record Due(
            @ColumnName("booking_id") long bookingId,
            @ColumnName("guardian_id") long guardianId,
            String language,
            @ColumnName("starts_at") Instant startsAt,
            @ColumnName("booked_at") Instant bookedAt,
            @ColumnName("title_fr") String titleFr,
            @ColumnName("title_en") String titleEn,
            @ColumnName("school_name") String schoolName) {}

    /**
     * Active bookings of scheduled sessions starting after {@code now} and at most {@code until},
     * that have no SMS of this kind yet, or ({@code mail}) no e-mail of this kind yet (each
     * outbox's unique idempotency key {@code <kind>:<booking id>} is what keeps a reminder from
     * going twice, across restarts and instances).
     */
    @SqlQuery(
            """
            select b.id as booking_id, b.guardian_id, g.language, ws.starts_at, b.created_at as booked_at,
                   wt.title_fr, wt.title_en, s.name as school_name
            from booking b
            join workshop_session ws on ws.id = b.session_id
            join workshop_type wt on wt.id = ws.workshop_type_id
            join school s on s.id = ws.school_id
            join guardian g on g.id = b.guardian_id
            where b.status = 'active' and ws.status = 'scheduled'
              and ws.starts_at > :now and ws.starts_at <= :until
              and (not exists (select 1 from sms_outbox o where o.idempotency_key = :kind || ':' || b.id)
                   or (:mail and not exists (select 1 from calendar_outbox c
                                             where c.idempotency_key = :kind || ':' || b.id)))
            order by ws.starts_at, b.id
            limit 500""")
    List<Due> due(
            @Bind("now") Instant now,
            @Bind("until") Instant until,
            @Bind("kind") String kind,
            @Bind("mail") boolean mail);
}
