package fr.sesame.devices;

import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The home-use rule's calls into the database (migrations/V10), and the admin's decisions. */
interface HomeUseDao {
    record Applied(
            @ColumnName("home_use") boolean homeUse,
            String reason,
            @ColumnName("devices_changed") int devicesChanged) {}

    /**
     * The rule itself is migrations/V10's apply_home_use: it locks the family, decides, moves
     * devices, writes events.
     */
    @SqlQuery(
            "select home_use, reason, devices_changed from apply_home_use(:family, :actor, :attendance, :note)")
    Applied apply(
            @Bind("family") long familyId,
            @Bind("actor") String actor,
            @Bind("attendance") Long triggeringAttendance,
            @Bind("note") String note);

    /** The rule's decision for the family now, without changing anything. */
    @SqlQuery("select home_use, reason, 0 as devices_changed from home_use_decision(:family)")
    Applied decision(@Bind("family") long familyId);

    @SqlQuery("select allowed from home_use_override where family_id = :family")
    Optional<Boolean> override(@Bind("family") long familyId);

    @SqlUpdate(
            """
            insert into home_use_override (family_id, allowed, reason, decided_by) values (:family, :allowed, :reason, :by)
            on conflict (family_id) do update set allowed = excluded.allowed, reason = excluded.reason,
                decided_by = excluded.decided_by, decided_at = now()""")
    void setOverride(
            @Bind("family") long familyId,
            @Bind("allowed") boolean allowed,
            @Bind("reason") String reason,
            @Bind("by") Long staffId);

    @SqlUpdate("delete from home_use_override where family_id = :family")
    int clearOverride(@Bind("family") long familyId);
}
