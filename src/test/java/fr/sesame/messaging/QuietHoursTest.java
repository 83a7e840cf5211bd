package fr.sesame.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    private static Instant paris(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(QuietHours.PARIS).toInstant();
    }

    @Test
    void from_21_00_to_08_00_paris_time_messages_wait_for_08_00() {
        assertThat(QuietHours.nextAllowed(paris("2026-12-03T20:59:59")))
                .isEqualTo(paris("2026-12-03T20:59:59"));
        assertThat(QuietHours.nextAllowed(paris("2026-12-03T21:00:00")))
                .isEqualTo(paris("2026-12-04T08:00:00"));
        assertThat(QuietHours.nextAllowed(paris("2026-12-04T03:00:00")))
                .isEqualTo(paris("2026-12-04T08:00:00"));
        assertThat(QuietHours.nextAllowed(paris("2026-12-04T08:00:00")))
                .isEqualTo(paris("2026-12-04T08:00:00"));
        assertThat(QuietHours.quiet(paris("2026-12-04T07:59:59"))).isTrue();
    }

    @Test
    void summer_time_changes_do_not_move_the_window() {
        // the night of 28 to 29 March 2026, clocks go from 02:00 to 03:00
        assertThat(QuietHours.nextAllowed(paris("2026-03-28T22:30:00")))
                .isEqualTo(paris("2026-03-29T08:00:00"));
        assertThat(paris("2026-03-29T08:00:00").toString()).isEqualTo("2026-03-29T06:00:00Z");
    }
}
