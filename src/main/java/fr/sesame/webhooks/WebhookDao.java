package fr.sesame.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Webhook endpoints and their outbox (migrations/V11). */
public interface WebhookDao {
    /** A line of the endpoints' table, with how its deliveries stand. */
    record Endpoint(
            long id,
            String url,
            @ColumnName("created_at") Instant createdAt,
            int waiting,
            int delivered,
            @ColumnName("last_delivered_at") Instant lastDeliveredAt) {}

    /** A delivery claimed for sending, with what its payload says. */
    record Claimed(
            long id,
            @ColumnName("delivery_id") UUID deliveryId,
            String url,
            String secret,
            int attempts,
            @ColumnName("asset_tag") String assetTag,
            @ColumnName("serial_number") String serial,
            @ColumnName("school_uai") String schoolUai,
            @ColumnName("from_state") String fromState,
            @ColumnName("to_state") String toState,
            @ColumnName("changed_at") Instant changedAt,
            String reason) {}

    /** A line of the deliveries' tables. */
    record Delivery(
            long id,
            @ColumnName("delivery_id") UUID deliveryId,
            String url,
            @ColumnName("asset_tag") String assetTag,
            @ColumnName("to_state") String toState,
            @ColumnName("changed_at") Instant changedAt,
            String status,
            int attempts,
            @ColumnName("last_status") Integer lastStatus,
            @ColumnName("last_error") String lastError,
            @ColumnName("next_attempt_at") Instant nextAttemptAt,
            @ColumnName("delivered_at") Instant deliveredAt) {
        public boolean homeUse() {
            return "home_use".equals(toState);
        }
    }

    @SqlUpdate("insert into webhook_endpoint (url, secret, created_by) values (:url, :secret, :by)")
    @GetGeneratedKeys("id")
    long create(@Bind("url") String url, @Bind("secret") String secret, @Bind("by") Long staffId);

    @SqlUpdate("delete from webhook_endpoint where id = :id")
    int delete(@Bind("id") long id);

    @SqlQuery(
            """
            select e.id, e.url, e.created_at,
                   count(d.id) filter (where d.status <> 'delivered') as waiting,
                   count(d.id) filter (where d.status = 'delivered') as delivered,
                   max(d.delivered_at) as last_delivered_at
            from webhook_endpoint e left join webhook_delivery d on d.endpoint_id = e.id
            group by e.id order by e.id""")
    List<Endpoint> endpoints();

    /**
     * Claims due deliveries: pending ones whose time has come, and those whose lease expired (a
     * worker stopped). A delivery waits while an earlier one of its device for the same endpoint is
     * not delivered, so a device's changes arrive in order; SKIP LOCKED lets several app instances
     * share the outbox.
     */
    @SqlQuery(
            """
            update webhook_delivery w set status = 'sending', attempts = w.attempts + 1,
                   lease_until = now() + cast(:lease as interval)
            from webhook_endpoint e, device dv
                 left join child c on c.id = dv.child_id
                 left join school s on s.id = c.school_id
            where e.id = w.endpoint_id and dv.id = w.device_id
              and w.id in (select d.id from webhook_delivery d
                           where ((d.status = 'pending' and d.next_attempt_at <= now())
                                  or (d.status = 'sending' and d.lease_until < now()))
                             and not exists (select 1 from webhook_delivery p
                                             where p.endpoint_id = d.endpoint_id and p.device_id = d.device_id
                                               and p.id < d.id and p.status <> 'delivered')
                           order by d.id limit :limit
                           for update skip locked)
            returning w.id, w.delivery_id, e.url, e.secret, w.attempts, dv.asset_tag, dv.serial_number,
                      s.uai as school_uai, w.from_state, w.to_state, w.changed_at,
                      coalesce((select ev.reason from device_event ev
                                where ev.device_id = w.device_id and ev.xact = w.xact and ev.to_state = w.to_state
                                order by ev.id desc limit 1),
                               case w.to_state when 'school_only' then 'no_qualifying_attendance'
                                               when 'home_use' then 'attendance' else w.to_state end) as reason""")
    List<Claimed> claim(@Bind("lease") String lease, @Bind("limit") int limit);

    @SqlUpdate(
            """
            update webhook_delivery set status = 'delivered', delivered_at = now(), lease_until = null,
                   last_status = :status, last_error = null
            where id = :id and status = 'sending' and attempts = :attempts""")
    int markDelivered(
            @Bind("id") long id, @Bind("attempts") int attempts, @Bind("status") int httpStatus);

    /**
     * Back to pending, after a wait that doubles with each attempt (from the configured one, at
     * most an hour).
     */
    @SqlUpdate(
            """
            update webhook_delivery set status = 'pending', lease_until = null, last_status = :status,
                   last_error = :error,
                   next_attempt_at = now() + least(cast(:retry as interval) * power(2, least(attempts - 1, 20)),
                                                   interval '1 hour')
            where id = :id and status = 'sending' and attempts = :attempts""")
    int markFailed(
            @Bind("id") long id,
            @Bind("attempts") int attempts,
            @Bind("status") Integer httpStatus,
            @Bind("error") String error,
            @Bind("retry") String retry);

    String DELIVERY =
            """
            select d.id, d.delivery_id, e.url, dv.asset_tag, d.to_state, d.changed_at, d.status, d.attempts,
                   d.last_status, d.last_error, d.next_attempt_at, d.delivered_at
            from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id
            left join device dv on dv.id = d.device_id
            """;

    @SqlQuery(DELIVERY + "order by d.id desc limit 50")
    List<Delivery> recent();

    /** Deliveries not yet through after a failed attempt, oldest first. */
    @SqlQuery(DELIVERY + "where d.status <> 'delivered' and d.attempts > 0 order by d.id limit 200")
    List<Delivery> failing();
}
