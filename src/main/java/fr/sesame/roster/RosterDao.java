package fr.sesame.roster;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The roster import's SQL: the current state it compares the files with, and set-based writes (one
 * statement per kind of change, the rows passed as arrays) so that a town of 20 000 pupils commits
 * in seconds.
 */
interface RosterDao {
    record School(long id, String uai, String name) {}

    record ChildState(
            long id,
            String externalId,
            long familyId,
            long schoolId,
            String firstName,
            String lastName,
            String classLevel,
            String className,
            String entId) {}

    record GuardianState(
            long id,
            String externalId,
            long familyId,
            String firstName,
            String lastName,
            String email,
            String phone,
            String language,
            String entId) {}

    record DeviceState(
            long id,
            String assetTag,
            String serialNumber,
            String model,
            Long childId,
            String state) {}

    record Upload(
            long id,
            Long createdBy,
            java.time.Instant createdAt,
            java.time.Instant committedAt,
            byte[] pupils,
            byte[] guardians,
            byte[] links,
            byte[] devices,
            String fileNames) {}

    /** A row just inserted: its id and its key (external id, letter code or asset tag). */
    record Created(long id, String key) {}

    @SqlQuery("select id, uai, name from school order by name")
    List<School> schools();

    @SqlQuery(
            "select id, external_id, family_id, school_id, first_name, last_name, class_level, class_name, ent_id from child")
    List<ChildState> children();

    @SqlQuery(
            "select id, external_id, family_id, first_name, last_name, email, phone, language, ent_id from guardian")
    List<GuardianState> guardians();

    @SqlQuery("select id, asset_tag, serial_number, model, child_id, state from device")
    List<DeviceState> devices();

    @SqlQuery("select letter_code from family where letter_code is not null")
    List<String> letterCodes();

    @SqlQuery("select pg_advisory_xact_lock(7007)::text")
    String lockImports();

    @SqlUpdate(
            """
            insert into roster_upload (created_by, pupils, guardians, links, devices, file_names)
            values (:by, :pupils, :guardians, :links, :devices, cast(:names as jsonb))""")
    @GetGeneratedKeys("id")
    long saveUpload(
            @Bind("by") Long staffId,
            @Bind("pupils") byte[] pupils,
            @Bind("guardians") byte[] guardians,
            @Bind("links") byte[] links,
            @Bind("devices") byte[] devices,
            @Bind("names") String fileNamesJson);

    @SqlQuery(
            """
            select id, created_by, created_at, committed_at, pupils, guardians, links, devices, file_names::text
            from roster_upload where id = :id and created_at > now() - interval '1 day'""")
    Optional<Upload> upload(@Bind("id") long id);

    @SqlQuery(
            """
            select id, created_by, created_at, committed_at, pupils, guardians, links, devices, file_names::text
            from roster_upload where id = :id for update""")
    Optional<Upload> lockUpload(@Bind("id") long id);

    @SqlUpdate("update roster_upload set committed_at = now() where id = :id")
    void markCommitted(@Bind("id") long id);

    /** Uploaded files hold personal data: they are kept a day, long enough to fix and commit. */
    @SqlUpdate("delete from roster_upload where created_at < now() - interval '1 day'")
    int deleteOldUploads();

    @SqlQuery(
            """
            insert into family (reference, letter_code, letter_code_issued_at, imported_at)
            select 'FAM-' || lpad(nextval('family_reference_seq')::text, 6, '0'), code, now(), now()
            from unnest(cast(:codes as text[])) as code
            returning id, letter_code as key""")
    List<Created> insertFamilies(@Bind("codes") String[] letterCodes);

    @SqlUpdate(
            """
            update guardian t set family_id = m.target from unnest(cast(:from as bigint[]), cast(:to as bigint[])) as m(source, target)
            where t.family_id = m.source""")
    void moveGuardians(@Bind("from") long[] from, @Bind("to") long[] to);

    @SqlUpdate(
            """
            update child t set family_id = m.target from unnest(cast(:from as bigint[]), cast(:to as bigint[])) as m(source, target)
            where t.family_id = m.source""")
    void moveChildren(@Bind("from") long[] from, @Bind("to") long[] to);

    @SqlUpdate(
            """
            update booking t set family_id = m.target from unnest(cast(:from as bigint[]), cast(:to as bigint[])) as m(source, target)
            where t.family_id = m.source""")
    void moveBookings(@Bind("from") long[] from, @Bind("to") long[] to);

    @SqlUpdate(
            """
            update waiting_entry t set family_id = m.target from unnest(cast(:from as bigint[]), cast(:to as bigint[])) as m(source, target)
            where t.family_id = m.source""")
    void moveWaiting(@Bind("from") long[] from, @Bind("to") long[] to);

    @SqlUpdate("delete from family where id = any(cast(:ids as bigint[]))")
    void deleteFamilies(@Bind("ids") long[] ids);

    @SqlQuery(
            """
            insert into child (external_id, family_id, school_id, first_name, last_name, class_level, class_name, ent_id)
            select * from unnest(cast(:ext as text[]), cast(:family as bigint[]), cast(:school as bigint[]),
                                 cast(:first as text[]), cast(:last as text[]), cast(:level as text[]),
                                 cast(:className as text[]), cast(:ent as text[]))
            returning id, external_id as key""")
    List<Created> insertChildren(
            @Bind("ext") String[] externalIds,
            @Bind("family") long[] familyIds,
            @Bind("school") long[] schoolIds,
            @Bind("first") String[] firstNames,
            @Bind("last") String[] lastNames,
            @Bind("level") String[] levels,
            @Bind("className") String[] classNames,
            @Bind("ent") String[] entIds);

    @SqlUpdate(
            """
            update child t set family_id = u.family, school_id = u.school, first_name = u.first, last_name = u.last,
                               class_level = u.level, class_name = u.class_name, ent_id = u.ent
            from unnest(cast(:id as bigint[]), cast(:family as bigint[]), cast(:school as bigint[]),
                        cast(:first as text[]), cast(:last as text[]), cast(:level as text[]),
                        cast(:className as text[]), cast(:ent as text[]))
                 as u(id, family, school, first, last, level, class_name, ent)
            where t.id = u.id""")
    void updateChildren(
            @Bind("id") long[] ids,
            @Bind("family") long[] familyIds,
            @Bind("school") long[] schoolIds,
            @Bind("first") String[] firstNames,
            @Bind("last") String[] lastNames,
            @Bind("level") String[] levels,
            @Bind("className") String[] classNames,
            @Bind("ent") String[] entIds);

    @SqlUpdate(
            """
            insert into guardian (external_id, family_id, first_name, last_name, email, phone, language, ent_id)
            select * from unnest(cast(:ext as text[]), cast(:family as bigint[]), cast(:first as text[]),
                                 cast(:last as text[]), cast(:email as text[]), cast(:phone as text[]),
                                 cast(:lang as text[]), cast(:ent as text[]))""")
    void insertGuardians(
            @Bind("ext") String[] externalIds,
            @Bind("family") long[] familyIds,
            @Bind("first") String[] firstNames,
            @Bind("last") String[] lastNames,
            @Bind("email") String[] emails,
            @Bind("phone") String[] phones,
            @Bind("lang") String[] languages,
            @Bind("ent") String[] entIds);

    @SqlUpdate(
            """
            update guardian t set family_id = u.family, first_name = u.first, last_name = u.last, email = u.email,
                                  phone = u.phone, language = u.lang, ent_id = u.ent
            from unnest(cast(:id as bigint[]), cast(:family as bigint[]), cast(:first as text[]), cast(:last as text[]),
                        cast(:email as text[]), cast(:phone as text[]), cast(:lang as text[]), cast(:ent as text[]))
                 as u(id, family, first, last, email, phone, lang, ent)
            where t.id = u.id""")
    void updateGuardians(
            @Bind("id") long[] ids,
            @Bind("family") long[] familyIds,
            @Bind("first") String[] firstNames,
            @Bind("last") String[] lastNames,
            @Bind("email") String[] emails,
            @Bind("phone") String[] phones,
            @Bind("lang") String[] languages,
            @Bind("ent") String[] entIds);

    /**
     * Devices first leave the children they no longer belong to, so that a swap meets no unique
     * index.
     */
    @SqlUpdate(
            """
            update device t set state = 'in_stock', child_id = null
            where t.id = any(cast(:ids as bigint[])) and t.state in ('school_only', 'home_use')""")
    void releaseDevices(@Bind("ids") long[] ids);

    @SqlUpdate(
            """
            insert into device (asset_tag, serial_number, model, child_id, state, lent_on)
            select u.tag, u.serial, u.model, u.child, u.state, case when u.state = 'school_only' then current_date end
            from unnest(cast(:tag as text[]), cast(:serial as text[]), cast(:model as text[]), cast(:child as bigint[]),
                        cast(:state as text[])) as u(tag, serial, model, child, state)""")
    void insertDevices(
            @Bind("tag") String[] assetTags,
            @Bind("serial") String[] serials,
            @Bind("model") String[] models,
            @Bind("child") Long[] childIds,
            @Bind("state") String[] states);

    @SqlUpdate(
            """
            update device t set serial_number = u.serial, model = u.model, child_id = u.child,
                   lent_on = case when u.state = 'school_only' and (t.child_id is distinct from u.child
                                  or t.state not in ('school_only', 'home_use')) then current_date else t.lent_on end,
                   state_changed_at = case when t.state is distinct from u.state then now() else t.state_changed_at end,
                   state = u.state
            from unnest(cast(:id as bigint[]), cast(:serial as text[]), cast(:model as text[]), cast(:child as bigint[]),
                        cast(:state as text[])) as u(id, serial, model, child, state)
            where t.id = u.id""")
    void updateDevices(
            @Bind("id") long[] ids,
            @Bind("serial") String[] serials,
            @Bind("model") String[] models,
            @Bind("child") Long[] childIds,
            @Bind("state") String[] states);

    /**
     * These families and those of these devices' children, locked in the order of their ids before
     * anything changes: the home-use rule locks a family before its devices (migrations/V10).
     */
    @SqlQuery(
            """
            select f.id from family f
            where f.id = any(cast(:families as bigint[]))
               or f.id in (select c.family_id from device d join child c on c.id = d.child_id
                           where d.id = any(cast(:devices as bigint[])))
            order by f.id
            for no key update""")
    List<Long> lockFamilies(@Bind("families") long[] familyIds, @Bind("devices") long[] deviceIds);

    /**
     * One device_event per device whose state or child the import changed (a device created in
     * stock has none).
     */
    @SqlUpdate(
            """
            insert into device_event (device_id, actor, change, from_state, to_state, reason, child_id)
            select d.id, :actor, case u.to_state when 'school_only' then 'lent' else u.to_state end, u.from_state,
                   u.to_state, 'roster_import', d.child_id
            from unnest(cast(:tag as text[]), cast(:from as text[]), cast(:to as text[])) as u(tag, from_state, to_state)
            join device d on d.asset_tag = u.tag""")
    void deviceEvents(
            @Bind("tag") String[] assetTags,
            @Bind("from") String[] fromStates,
            @Bind("to") String[] toStates,
            @Bind("actor") String actor);

    /**
     * The home-use rule (migrations/V10) for the families whose children or devices this
     * transaction changed (V9 keeps them in family_school_pending until the commit) and for the
     * others given (guardians moved).
     */
    @SqlQuery(
            """
            select apply_home_use_to(array(select family_id from family_school_pending where xact = pg_current_xact_id())
                                     || cast(:families as bigint[]), :actor)""")
    int applyHomeUse(@Bind("families") long[] familyIds, @Bind("actor") String actor);

    /** The families trained by the home-use rule's one definition (migrations/V10). */
    String TRAINED_FAMILIES = "select family_id from home_use_attendance where qualifying";
}
