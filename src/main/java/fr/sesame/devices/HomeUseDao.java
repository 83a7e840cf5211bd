package fr.sesame.devices;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The SQL of the home-use rule: which family qualifies, and the devices that follow it. */
interface HomeUseDao {
    /**
     * The family's first qualifying attendance: a guardian marked present (or late: they came) at a session of
     * a workshop type that qualifies, with the charter signed by that guardian when the type asks for it.
     */
    @SqlQuery("""
            select a.id from attendance a
            join guardian g on g.id = a.guardian_id
            join workshop_session ws on ws.id = a.session_id
            join workshop_type wt on wt.id = ws.workshop_type_id
            where g.family_id = :family and a.mark in ('present', 'late') and wt.qualifies_for_home_use
              and ws.status <> 'cancelled'
              and (not wt.requires_charter
                   or exists (select 1 from charter_signature cs where cs.guardian_id = a.guardian_id))
            order by a.marked_at, a.id
            limit 1""")
    Optional<Long> qualifyingAttendance(@Bind("family") long familyId);

    @SqlQuery("""
            select exists (select 1 from attendance a join guardian g on g.id = a.guardian_id
                           join workshop_session ws on ws.id = a.session_id
                           join workshop_type wt on wt.id = ws.workshop_type_id
                           where g.family_id = :family and a.mark in ('present', 'late') and wt.qualifies_for_home_use
                             and wt.requires_charter and ws.status <> 'cancelled'
                             and not exists (select 1 from charter_signature cs where cs.guardian_id = a.guardian_id))""")
    boolean charterMissing(@Bind("family") long familyId);

    @SqlQuery("select allowed from home_use_override where family_id = :family")
    Optional<Boolean> override(@Bind("family") long familyId);

    /** Moves the family's lent devices to the target state, and writes one event per device that changed. */
    @SqlQuery("""
            with changed as (
                update device d set state = :target, state_changed_at = clock_timestamp()
                from child c
                where c.id = d.child_id and c.family_id = :family
                  and d.state in ('school_only', 'home_use') and d.state <> :target
                returning d.id, d.child_id)
            insert into device_event (device_id, actor, change, from_state, to_state, reason, note, attendance_id, child_id)
            select id, :actor, case when :target = 'home_use' then 'unlock' else 'revoke' end,
                   case when :target = 'home_use' then 'school_only' else 'home_use' end,
                   :target, :reason, :note, :attendance, child_id
            from changed
            returning device_id""")
    List<Long> moveDevices(@Bind("family") long familyId, @Bind("target") String targetState,
                           @Bind("actor") String actor, @Bind("reason") String reason, @Bind("note") String note,
                           @Bind("attendance") Long attendanceId);

    @SqlUpdate("""
            insert into home_use_override (family_id, allowed, reason, decided_by) values (:family, :allowed, :reason, :by)
            on conflict (family_id) do update set allowed = excluded.allowed, reason = excluded.reason,
                decided_by = excluded.decided_by, decided_at = now()""")
    void setOverride(@Bind("family") long familyId, @Bind("allowed") boolean allowed, @Bind("reason") String reason,
                     @Bind("by") Long staffId);

    @SqlUpdate("delete from home_use_override where family_id = :family")
    int clearOverride(@Bind("family") long familyId);

    @SqlUpdate("insert into audit_log (actor, action, entity, entity_id, details) "
            + "values (:actor, :action, :entity, :entityId, cast(:details as jsonb))")
    void audit(@Bind("actor") String actor, @Bind("action") String action, @Bind("entity") String entity,
               @Bind("entityId") Long entityId, @Bind("details") String detailsJson);
}
