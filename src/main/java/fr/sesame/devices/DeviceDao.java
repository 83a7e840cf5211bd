package fr.sesame.devices;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The device register: devices, who has them, their state and their history. */
public interface DeviceDao {
    record Device(
            long id,
            @ColumnName("asset_tag") String assetTag,
            @ColumnName("serial_number") String serial,
            String model,
            String state,
            @ColumnName("state_changed_at") Instant since,
            @ColumnName("lent_on") LocalDate lentOn,
            @ColumnName("child_id") Long childId,
            @ColumnName("child_name") String childName,
            @ColumnName("class_level") String classLevel,
            @ColumnName("class_name") String className,
            @ColumnName("family_id") Long familyId,
            @ColumnName("school_uai") String schoolUai,
            @ColumnName("school_name") String schoolName,
            String reason) {
        public boolean homeUse() {
            return "home_use".equals(state);
        }

        public boolean lent() {
            return "school_only".equals(state) || "home_use".equals(state);
        }
    }

    String SELECT =
            """
            select d.id, d.asset_tag, d.serial_number, d.model, d.state, d.state_changed_at, d.lent_on, d.child_id,
                   case when c.id is null then null else c.first_name || ' ' || c.last_name end as child_name,
                   c.class_level, c.class_name, c.family_id, s.uai as school_uai, s.name as school_name,
                   coalesce((select e.reason from device_event e where e.device_id = d.id order by e.at desc, e.id desc
                             limit 1),
                            case d.state when 'school_only' then 'no_qualifying_attendance' when 'home_use' then 'attendance'
                                         else d.state end) as reason
            from device d
            left join child c on c.id = d.child_id
            left join school s on s.id = c.school_id
            """;

    /**
     * Devices of a school and state whose tag, serial number or child's name contains the text
     * (taken literally).
     */
    default List<Device> search(String schoolUai, String state, String query, int limit) {
        return searchEscaped(schoolUai, state, fr.sesame.db.Like.escape(query), limit);
    }

    @SqlQuery(
            SELECT
                    + """
            where (:school = '' or s.uai = :school) and (:state = '' or d.state = :state)
              and (:q = '' or d.asset_tag ilike '%' || :q || '%' or d.serial_number ilike '%' || :q || '%'
                   or (c.last_name || ' ' || c.first_name) ilike '%' || :q || '%')
            order by d.asset_tag
            limit :limit""")
    List<Device> searchEscaped(
            @Bind("school") String schoolUai,
            @Bind("state") String state,
            @Bind("q") String query,
            @Bind("limit") int limit);

    @SqlQuery(SELECT + "where d.id = :id")
    Optional<Device> byId(@Bind("id") long id);

    @SqlQuery(SELECT + "where d.id in (<ids>)")
    List<Device> byIds(@BindList("ids") List<Long> deviceIds);

    @SqlQuery(SELECT + "where d.asset_tag = :tag")
    Optional<Device> byAssetTag(@Bind("tag") String assetTag);

    /**
     * Devices whose state changed after the given time (all when null), optionally only those with
     * home use or not. The times are stamped before commit, so a sync from the largest one seen can
     * miss a change: the feed ({@link ChangeFeed}) is the exact way.
     */
    @SqlQuery(
            SELECT
                    + """
            where (cast(:since as timestamptz) is null or d.state_changed_at > :since)
              and (cast(:homeUse as boolean) is null or (d.state = 'home_use') = :homeUse)
            order by d.state_changed_at, d.id
            limit 10000""")
    List<Device> changed(@Bind("since") Instant changedSince, @Bind("homeUse") Boolean homeUse);

    /** The devices to collect at the end of CM2 in one school: lent to its CM2 pupils. */
    @SqlQuery(
            SELECT
                    + """
            where s.uai = :school and c.class_level = 'CM2' and d.state in ('school_only', 'home_use')
            order by c.class_name, c.last_name, c.first_name""")
    List<Device> toCollect(@Bind("school") String schoolUai);

    /** Every device, for the CSV export. */
    @SqlQuery(SELECT + "order by d.asset_tag")
    List<Device> all();

    record Event(
            Instant at,
            String actor,
            String change,
            @ColumnName("from_state") String fromState,
            @ColumnName("to_state") String toState,
            String reason,
            String note,
            @ColumnName("attendance_id") Long attendanceId,
            @ColumnName("child_name") String childName,
            @ColumnName("session_title") String sessionTitle) {}

    @SqlQuery(
            """
            select e.at, coalesce(sa.display_name, e.actor) as actor, e.change, e.from_state, e.to_state, e.reason,
                   e.note, e.attendance_id,
                   case when c.id is null then null else c.first_name || ' ' || c.last_name end as child_name,
                   case when a.id is null then null
                        else wt.title_fr || ' · ' || to_char(ws.starts_at at time zone 'Europe/Paris', 'DD/MM/YYYY HH24:MI')
                             || ' · ' || g.first_name || ' ' || g.last_name end as session_title
            from device_event e
            left join staff_account sa on e.actor = 'staff:' || sa.id
            left join child c on c.id = e.child_id
            left join attendance a on a.id = e.attendance_id
            left join workshop_session ws on ws.id = a.session_id
            left join workshop_type wt on wt.id = ws.workshop_type_id
            left join guardian g on g.id = a.guardian_id
            where e.device_id = :device
            order by e.at desc, e.id desc""")
    List<Event> history(@Bind("device") long deviceId);

    record ChildChoice(
            long id,
            String name,
            @ColumnName("school_name") String schoolName,
            @ColumnName("class_level") String classLevel) {}

    /** Children without a lent device, for the lend form. */
    @SqlQuery(
            """
            select c.id, c.last_name || ' ' || c.first_name as name, s.name as school_name, c.class_level
            from child c join school s on s.id = c.school_id
            where not exists (select 1 from device d where d.child_id = c.id and d.state in ('school_only', 'home_use'))
            order by s.name, c.last_name, c.first_name
            limit 500""")
    List<ChildChoice> childrenWithoutDevice();

    @SqlQuery("select family_id from child where id = :id")
    Optional<Long> familyOfChild(@Bind("id") long childId);

    @SqlQuery(
            "select exists (select 1 from device where child_id = :c and state in ('school_only', 'home_use'))")
    boolean childHasDevice(@Bind("c") long childId);

    @SqlQuery("select id from device where id = :id for update")
    Optional<Long> lock(@Bind("id") long deviceId);

    @SqlUpdate(
            """
            update device set child_id = :child, lent_on = :on, state = 'school_only', state_changed_at = clock_timestamp()
            where id = :id and state in ('in_stock', 'returned')""")
    int lend(@Bind("id") long deviceId, @Bind("child") long childId, @Bind("on") LocalDate lentOn);

    /**
     * Moves a device out of the child's hands (returned, lost or broken, back in stock); returns
     * how many changed.
     */
    @SqlUpdate(
            """
            update device set state = :state, state_changed_at = clock_timestamp()
            where id in (<ids>) and state <> :state and state <> 'in_stock'""")
    int setState(@BindList("ids") List<Long> deviceIds, @Bind("state") String state);

    @SqlUpdate(
            """
            insert into device_event (device_id, actor, change, from_state, to_state, reason, note, child_id)
            values (:device, :actor, :change, :from, :to, :reason, :note, :child)""")
    void event(
            @Bind("device") long deviceId,
            @Bind("actor") String actor,
            @Bind("change") String change,
            @Bind("from") String fromState,
            @Bind("to") String toState,
            @Bind("reason") String reason,
            @Bind("note") String note,
            @Bind("child") Long childId);
}
