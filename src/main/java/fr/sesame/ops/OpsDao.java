package fr.sesame.ops;

import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What the metrics read from the database at each scrape, in one statement. */
interface OpsDao {
    /**
     * The outboxes' backlogs (through their partial indexes) and the rows that count bookings,
     * marks and unlocks.
     */
    record Counts(
            @ColumnName("mails_waiting") long mailsWaiting,
            @ColumnName("webhooks_waiting") long webhooksWaiting,
            @ColumnName("bookings_made") long bookingsMade,
            @ColumnName("bookings_active") long bookingsActive,
            @ColumnName("marks_applied") long marksApplied,
            long unlocks,
            @ColumnName("devices_home_use") long devicesHomeUse) {}

    @SqlQuery(
            """
            select (select count(*) from calendar_outbox where status in ('pending', 'sending')) as mails_waiting,
                   (select count(*) from webhook_delivery where status <> 'delivered') as webhooks_waiting,
                   (select count(*) from booking) as bookings_made,
                   (select count(*) from booking where status = 'active') as bookings_active,
                   (select count(*) from attendance_mark where applied) as marks_applied,
                   (select count(*) from device_event where change = 'unlock') as unlocks,
                   (select count(*) from device where state = 'home_use') as devices_home_use
            """)
    Counts counts();
}
