package fr.sesame.booking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** What the education service plans: workshop types, sessions and series, rooms and trainers. */
public interface PlanningDao {

    record WorkshopType(
            long id,
            String code,
            @ColumnName("title_fr") String titleFr,
            @ColumnName("title_en") String titleEn,
            @ColumnName("description_fr") String descriptionFr,
            @ColumnName("description_en") String descriptionEn,
            @ColumnName("duration_minutes") int durationMinutes,
            String languages,
            @ColumnName("qualifies_for_home_use") boolean qualifiesForHomeUse,
            @ColumnName("requires_charter") boolean requiresCharter,
            @ColumnName("max_active_per_family") int maxActivePerFamily) {
        public String title(String lang) {
            return "en".equals(lang) ? titleEn : titleFr;
        }

        public String description(String lang) {
            return "en".equals(lang) ? descriptionEn : descriptionFr;
        }
    }

    String TYPE_COLUMNS =
            "id, code, title_fr, title_en, description_fr, description_en, duration_minutes, "
                    + "array_to_string(languages, ',') as languages, qualifies_for_home_use, requires_charter, max_active_per_family "
                    + "from workshop_type";

    @SqlQuery("select " + TYPE_COLUMNS + " order by title_fr")
    List<WorkshopType> workshopTypes();

    @SqlQuery("select " + TYPE_COLUMNS + " where id = :id")
    Optional<WorkshopType> workshopType(@Bind("id") long id);

    @SqlQuery("select " + TYPE_COLUMNS + " where code = :code")
    Optional<WorkshopType> workshopTypeByCode(@Bind("code") String code);

    @SqlQuery(
            """
            insert into workshop_type (code, title_fr, title_en, description_fr, description_en, duration_minutes,
                                       languages, qualifies_for_home_use, requires_charter, max_active_per_family)
            values (:code, :titleFr, :titleEn, :descFr, :descEn, :minutes, string_to_array(:languages, ','),
                    :qualifies, :charter, :max)
            on conflict (town_id, code) do nothing
            returning id""")
    Optional<Long> insertWorkshopType(
            @Bind("code") String code,
            @Bind("titleFr") String titleFr,
            @Bind("titleEn") String titleEn,
            @Bind("descFr") String descFr,
            @Bind("descEn") String descEn,
            @Bind("minutes") int minutes,
            @Bind("languages") String languages,
            @Bind("qualifies") boolean qualifies,
            @Bind("charter") boolean charter,
            @Bind("max") int maxActivePerFamily);

    @SqlUpdate(
            """
            update workshop_type set title_fr = :titleFr, title_en = :titleEn, description_fr = :descFr,
                   description_en = :descEn, duration_minutes = :minutes, languages = string_to_array(:languages, ','),
                   qualifies_for_home_use = :qualifies, requires_charter = :charter, max_active_per_family = :max
            where id = :id""")
    int updateWorkshopType(
            @Bind("id") long id,
            @Bind("titleFr") String titleFr,
            @Bind("titleEn") String titleEn,
            @Bind("descFr") String descFr,
            @Bind("descEn") String descEn,
            @Bind("minutes") int minutes,
            @Bind("languages") String languages,
            @Bind("qualifies") boolean qualifies,
            @Bind("charter") boolean charter,
            @Bind("max") int maxActivePerFamily);

    record Room(
            long id,
            @ColumnName("school_id") long schoolId,
            @ColumnName("school_uai") String schoolUai,
            @ColumnName("school_name") String schoolName,
            String name,
            int seats) {
        public String label() {
            return schoolName + " — " + name;
        }
    }

    String ROOM_COLUMNS =
            "r.id, r.school_id, s.uai as school_uai, s.name as school_name, r.name, r.seats "
                    + "from room r join school s on s.id = r.school_id";

    @SqlQuery("select " + ROOM_COLUMNS + " order by s.name, r.name")
    List<Room> rooms();

    @SqlQuery("select " + ROOM_COLUMNS + " where r.id = :id")
    Optional<Room> room(@Bind("id") long id);

    @SqlQuery("select " + ROOM_COLUMNS + " where s.uai = :uai and lower(r.name) = lower(:name)")
    Optional<Room> roomByName(@Bind("uai") String schoolUai, @Bind("name") String roomName);

    @SqlQuery("select exists (select 1 from school where uai = :uai)")
    boolean schoolExists(@Bind("uai") String uai);

    record Trainer(long id, @ColumnName("display_name") String displayName, String email) {}

    @SqlQuery(
            "select id, display_name, email from staff_account where role = 'trainer' and active order by display_name")
    List<Trainer> trainers();

    @SqlQuery("select staff_id from session_trainer where session_id = :session order by staff_id")
    List<Long> trainersOf(@Bind("session") long sessionId);

    @SqlUpdate(
            "insert into session_series (label, created_by, form_token) values (:label, :by, :token)")
    @GetGeneratedKeys("id")
    long insertSeries(
            @Bind("label") String label, @Bind("by") Long staffId, @Bind("token") String formToken);

    @SqlQuery("select id from session_series where form_token = :token")
    Optional<Long> seriesByToken(@Bind("token") String formToken);

    @SqlQuery("select id from workshop_session where form_token = :token")
    Optional<Long> sessionByToken(@Bind("token") String formToken);

    @SqlUpdate(
            """
            insert into workshop_session (workshop_type_id, school_id, room_id, series_id, starts_at, ends_at, capacity,
                                          language, booking_opens_at, booking_closes_hours, form_token)
            select :type, r.school_id, r.id, :series, :start, :end, :capacity, :language, :opens, :closes, :token
            from room r where r.id = :room""")
    @GetGeneratedKeys("id")
    long insertSession(
            @Bind("type") long typeId,
            @Bind("room") long roomId,
            @Bind("series") Long seriesId,
            @Bind("start") Instant start,
            @Bind("end") Instant end,
            @Bind("capacity") int capacity,
            @Bind("language") String language,
            @Bind("opens") Instant bookingOpensAt,
            @Bind("closes") int bookingClosesHours,
            @Bind("token") String formToken);

    @SqlUpdate(
            "insert into session_trainer (session_id, staff_id) values (:session, :staff) on conflict do nothing")
    void assignTrainer(@Bind("session") long sessionId, @Bind("staff") long staffId);

    @SqlUpdate("delete from session_trainer where session_id = :session")
    void clearTrainers(@Bind("session") long sessionId);

    @SqlQuery(
            "select count(*) from staff_account where role = 'trainer' and active and id in (<ids>)")
    int countTrainers(@BindList("ids") List<Long> ids);

    /**
     * Changes a scheduled session; the capacity may not go below the seats taken (the update then
     * changes nothing). The calendar raises the sequence of a session whose time or place changed
     * (CalendarOutbox).
     */
    @SqlUpdate(
            """
            update workshop_session ws set room_id = r.id, school_id = r.school_id, starts_at = :start, ends_at = :end,
                   capacity = :capacity, language = :language, booking_opens_at = :opens, booking_closes_hours = :closes,
                   updated_at = now()
            from room r
            where ws.id = :id and r.id = :room and ws.status = 'scheduled' and ws.booked <= :capacity""")
    int updateSession(
            @Bind("id") long id,
            @Bind("room") long roomId,
            @Bind("start") Instant start,
            @Bind("end") Instant end,
            @Bind("capacity") int capacity,
            @Bind("language") String language,
            @Bind("opens") Instant bookingOpensAt,
            @Bind("closes") int bookingClosesHours);

    @SqlUpdate(
            """
            update workshop_session set status = 'cancelled', booked = 0, updated_at = now()
            where id = :id and status = 'scheduled'""")
    int cancelSession(@Bind("id") long sessionId);

    /**
     * The families with an attendance recorded at the session: cancelling it may take their home
     * use back.
     */
    @SqlQuery(
            "select distinct g.family_id from attendance a join guardian g on g.id = a.guardian_id "
                    + "where a.session_id = :id order by g.family_id")
    List<Long> attendedFamilies(@Bind("id") long sessionId);

    record Ended(long id, @ColumnName("guardian_id") long guardianId) {}

    @SqlQuery(
            """
            update booking set status = 'cancelled', ended_at = now()
            where session_id = :session and status = 'active'
            returning id, guardian_id""")
    List<Ended> cancelBookingsOf(@Bind("session") long sessionId);

    @SqlUpdate(
            "update waiting_entry set status = 'withdrawn', ended_at = now() where session_id = :session and status = 'waiting'")
    int withdrawWaitingOf(@Bind("session") long sessionId);

    record Attendee(
            long id,
            @ColumnName("family_id") long familyId,
            String reference,
            @ColumnName("guardian_name") String guardianName,
            @ColumnName("by_staff") boolean byStaff,
            @ColumnName("created_at") Instant createdAt) {}

    @SqlQuery(
            """
            select b.id, b.family_id, f.reference, g.first_name || ' ' || g.last_name as guardian_name,
                   b.booked_by_staff is not null as by_staff, b.created_at
            from booking b join guardian g on g.id = b.guardian_id join family f on f.id = b.family_id
            where b.session_id = :session and b.status = 'active'
            order by g.last_name, g.first_name, b.id""")
    List<Attendee> attendees(@Bind("session") long sessionId);

    @SqlQuery(
            """
            select w.id, w.family_id, f.reference, g.first_name || ' ' || g.last_name as guardian_name,
                   false as by_staff, w.created_at
            from waiting_entry w join guardian g on g.id = w.guardian_id join family f on f.id = w.family_id
            where w.session_id = :session and w.status = 'waiting'
            order by w.id""")
    List<Attendee> waiting(@Bind("session") long sessionId);
}
