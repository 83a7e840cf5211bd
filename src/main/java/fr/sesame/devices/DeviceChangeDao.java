package fr.sesame.devices;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The change log of device states (migrations/V11), as the IT service's feed reads it. */
interface DeviceChangeDao {
    /** One logged change; xact is the id of the transaction that made it. */
    record Change(
            long id,
            long xact,
            @ColumnName("device_id") long deviceId,
            @ColumnName("from_state") String fromState,
            @ColumnName("to_state") String toState,
            @ColumnName("changed_at") Instant changedAt) {}

    /**
     * Where the feed stands: transactions below horizon have all ended; lastId is the newest row so
     * far.
     */
    record Horizon(long horizon, @ColumnName("last_id") long lastId) {}

    @SqlQuery(
            """
            select cast(cast(pg_snapshot_xmin(pg_current_snapshot()) as text) as bigint) as horizon,
                   coalesce((select max(id) from device_change), 0) as last_id""")
    Horizon horizon();

    /**
     * The changes after (xact, id), of ended transactions only (below the horizon), in (xact, id)
     * order.
     */
    @SqlQuery(
            """
            select id, cast(cast(xact as text) as bigint) as xact, device_id, from_state, to_state, changed_at
            from device_change
            where (xact, id) > (cast(cast(:xact as text) as xid8), :id)
              and xact < pg_snapshot_xmin(pg_current_snapshot())
            order by xact, id
            limit :limit""")
    List<Change> after(@Bind("xact") long xact, @Bind("id") long id, @Bind("limit") int limit);
}
