package fr.sesame.demo;

import java.time.Instant;
import java.time.LocalDate;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The inserts of the demo town. */
interface DemoDao {
    @SqlQuery("select exists (select 1 from family where reference = 'DEMO-001')")
    boolean alreadySeeded();

    @SqlQuery("select pg_advisory_xact_lock(4242)::text")
    String lockSeed();

    @SqlUpdate(
            "insert into school (uai, name, address, postcode, city) values (:uai, :name, :address, :postcode, :city)")
    @GetGeneratedKeys("id")
    long insertSchool(
            @Bind("uai") String uai,
            @Bind("name") String name,
            @Bind("address") String address,
            @Bind("postcode") String postcode,
            @Bind("city") String city);

    @SqlUpdate("insert into room (school_id, name, seats) values (:school, :name, :seats)")
    @GetGeneratedKeys("id")
    long insertRoom(
            @Bind("school") long schoolId, @Bind("name") String name, @Bind("seats") int seats);

    @SqlUpdate(
            """
            insert into workshop_type (code, title_fr, title_en, description_fr, description_en, duration_minutes,
                                       languages, qualifies_for_home_use, requires_charter)
            values (:code, :titleFr, :titleEn, :descFr, :descEn, :minutes, string_to_array(:languages, ','),
                    :qualifies, :charter)""")
    @GetGeneratedKeys("id")
    long insertWorkshopType(
            @Bind("code") String code,
            @Bind("titleFr") String titleFr,
            @Bind("titleEn") String titleEn,
            @Bind("descFr") String descFr,
            @Bind("descEn") String descEn,
            @Bind("minutes") int minutes,
            @Bind("languages") String languages,
            @Bind("qualifies") boolean qualifies,
            @Bind("charter") boolean charter);

    @SqlUpdate(
            """
            insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity, language,
                                          booking_opens_at)
            values (:type, :school, :room, :start, :end, :capacity, :language, now())""")
    @GetGeneratedKeys("id")
    long insertSession(
            @Bind("type") long typeId,
            @Bind("school") long schoolId,
            @Bind("room") long roomId,
            @Bind("start") Instant start,
            @Bind("end") Instant end,
            @Bind("capacity") int capacity,
            @Bind("language") String language);

    @SqlUpdate("insert into session_trainer (session_id, staff_id) values (:session, :staff)")
    void assignTrainer(@Bind("session") long sessionId, @Bind("staff") long staffId);

    @SqlUpdate(
            """
            insert into staff_account (email, display_name, role, school_id, password_hash)
            values (:email, :name, :role, :school, :hash)
            on conflict (town_id, lower(email)) do nothing""")
    void insertStaff(
            @Bind("email") String email,
            @Bind("name") String name,
            @Bind("role") String role,
            @Bind("school") Long schoolId,
            @Bind("hash") String passwordHash);

    @SqlQuery("select id from staff_account where lower(email) = lower(:email)")
    long staffId(@Bind("email") String email);

    @SqlUpdate(
            "insert into family (reference, letter_code, letter_code_issued_at) values (:ref, :code, now())")
    @GetGeneratedKeys("id")
    long insertFamily(@Bind("ref") String reference, @Bind("code") String letterCode);

    @SqlUpdate(
            """
            insert into guardian (family_id, first_name, last_name, email, ent_id, language)
            values (:family, :first, :last, :email, :ent, :lang)""")
    @GetGeneratedKeys("id")
    long insertGuardian(
            @Bind("family") long familyId,
            @Bind("first") String firstName,
            @Bind("last") String lastName,
            @Bind("email") String email,
            @Bind("ent") String entId,
            @Bind("lang") String language);

    @SqlUpdate(
            """
            insert into child (family_id, school_id, first_name, last_name, class_level, class_name, ent_id)
            values (:family, :school, :first, :last, :level, :className, :ent)""")
    @GetGeneratedKeys("id")
    long insertChild(
            @Bind("family") long familyId,
            @Bind("school") long schoolId,
            @Bind("first") String firstName,
            @Bind("last") String lastName,
            @Bind("level") String level,
            @Bind("className") String className,
            @Bind("ent") String entId);

    @SqlUpdate(
            """
            insert into device (asset_tag, serial_number, model, child_id, lent_on, state)
            values (:tag, :serial, :model, :child, :lentOn, 'school_only')""")
    void insertDevice(
            @Bind("tag") String assetTag,
            @Bind("serial") String serial,
            @Bind("model") String model,
            @Bind("child") long childId,
            @Bind("lentOn") LocalDate lentOn);
}
