package fr.sesame.booking;

import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * One session as the pages and the API show it; the last four columns describe it for one family
 * (false and null when the query is not about a family).
 */
public record SessionView(
        long id,
        @ColumnName("workshop_type_id") long workshopTypeId,
        @ColumnName("workshop_code") String workshopCode,
        @ColumnName("title_fr") String titleFr,
        @ColumnName("title_en") String titleEn,
        @ColumnName("description_fr") String descriptionFr,
        @ColumnName("description_en") String descriptionEn,
        @ColumnName("unlocks_home_use") boolean unlocksHomeUse,
        @ColumnName("requires_charter") boolean requiresCharter,
        @ColumnName("school_id") long schoolId,
        @ColumnName("school_uai") String schoolUai,
        @ColumnName("school_name") String schoolName,
        @ColumnName("school_address") String schoolAddress,
        @ColumnName("room_id") long roomId,
        @ColumnName("room_name") String roomName,
        @ColumnName("starts_at") Instant startsAt,
        @ColumnName("ends_at") Instant endsAt,
        int capacity,
        int booked,
        String language,
        String status,
        @ColumnName("booking_opens_at") Instant bookingOpensAt,
        @ColumnName("booking_closes_hours") int bookingClosesHours,
        @ColumnName("waiting_count") int waitingCount,
        @ColumnName("at_child_school") boolean atChildSchool,
        @ColumnName("my_booking_id") Long myBookingId,
        @ColumnName("my_waiting_id") Long myWaitingId,
        @ColumnName("my_waiting_position") Integer myWaitingPosition) {

    public String title(String lang) {
        return "en".equals(lang) ? titleEn : titleFr;
    }

    /** The workshop's description for parents, in their language (may be empty). */
    public String description(String lang) {
        return "en".equals(lang) ? descriptionEn : descriptionFr;
    }

    public int seatsLeft() {
        return Math.max(0, capacity - booked);
    }

    public boolean full() {
        return seatsLeft() == 0;
    }

    public boolean cancelled() {
        return "cancelled".equals(status);
    }

    public Instant bookingClosesAt() {
        return startsAt.minus(Duration.ofHours(bookingClosesHours));
    }

    /** Whether a parent may book (or join the waiting list) now, seats aside. */
    public BookingWindow window(Instant now) {
        if (!"scheduled".equals(status)) return BookingWindow.CANCELLED;
        if (!now.isBefore(startsAt)) return BookingWindow.STARTED;
        if (bookingOpensAt != null && now.isBefore(bookingOpensAt))
            return BookingWindow.NOT_YET_OPEN;
        if (!now.isBefore(bookingClosesAt())) return BookingWindow.CLOSED;
        return BookingWindow.OPEN;
    }

    /** Where a session stands for booking. */
    public enum BookingWindow {
        OPEN,
        NOT_YET_OPEN,
        CLOSED,
        STARTED,
        CANCELLED
    }
}
