package fr.sesame.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.property.DateProperty;

/**
 * Reads iCalendar text back with two independent parsers (biweekly and ical4j) and checks it is
 * well-formed.
 */
final class Ical {
    /** One event as both parsers read it (they must agree). */
    record Event(
            String uid,
            int sequence,
            Instant start,
            Instant end,
            String status,
            String summary,
            String location,
            String description) {}

    /** A calendar as both parsers read it. */
    record Parsed(String method, List<Event> events, ICalendar biweekly, Calendar ical4j) {
        Event only() {
            assertThat(events).hasSize(1);
            return events.get(0);
        }
    }

    private Ical() {}

    static Parsed parse(String text) {
        assertWellFormed(text);
        List<List<biweekly.io.ParseWarning>> warnings = new ArrayList<>();
        List<ICalendar> all = Biweekly.parse(text).warnings(warnings).all();
        assertThat(all).as("biweekly reads one calendar").hasSize(1);
        assertThat(warnings.stream().flatMap(List::stream).map(Object::toString).toList())
                .as("biweekly warnings")
                .isEmpty();
        ICalendar bw = all.get(0);
        Calendar i4;
        try {
            i4 = new CalendarBuilder().build(new StringReader(text));
        } catch (Exception e) {
            throw new AssertionError("ical4j cannot read:\n" + text, e);
        }
        List<Event> fromBiweekly = new ArrayList<>();
        for (VEvent e : bw.getEvents()) {
            fromBiweekly.add(
                    new Event(
                            e.getUid().getValue(),
                            e.getSequence().getValue(),
                            e.getDateStart().getValue().toInstant(),
                            e.getDateEnd().getValue().toInstant(),
                            e.getStatus().getValue(),
                            e.getSummary().getValue(),
                            e.getLocation() == null ? null : e.getLocation().getValue(),
                            e.getDescription() == null ? null : e.getDescription().getValue()));
        }
        List<Event> fromIcal4j = new ArrayList<>();
        List<net.fortuna.ical4j.model.component.VEvent> vevents =
                i4.getComponents(Component.VEVENT);
        for (net.fortuna.ical4j.model.component.VEvent e : vevents) {
            fromIcal4j.add(
                    new Event(
                            value(e, Property.UID),
                            Integer.parseInt(value(e, Property.SEQUENCE)),
                            instant(e, Property.DTSTART),
                            instant(e, Property.DTEND),
                            value(e, Property.STATUS),
                            value(e, Property.SUMMARY),
                            value(e, Property.LOCATION),
                            value(e, Property.DESCRIPTION)));
        }
        assertThat(fromIcal4j)
                .as("ical4j and biweekly read the same events")
                .isEqualTo(fromBiweekly);
        String method = bw.getMethod() == null ? null : bw.getMethod().getValue();
        assertThat(i4.<Property>getProperty(Property.METHOD).map(Property::getValue).orElse(null))
                .isEqualTo(method);
        assertThat(bw.getTimezoneInfo().getComponents()).as("a VTIMEZONE").isNotEmpty();
        assertThat(text).contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n");
        return new Parsed(method, fromBiweekly, bw, i4);
    }

    private static String value(Component c, String name) {
        return c.<Property>getProperty(name).map(Property::getValue).orElse(null);
    }

    private static Instant instant(Component c, String name) {
        DateProperty<?> p = (DateProperty<?>) c.<Property>getProperty(name).orElseThrow();
        assertThat(p.getParameter("TZID").map(Object::toString)).as(name + " has TZID").isPresent();
        Temporal t = p.getDate();
        return ((ZonedDateTime) t).toInstant();
    }

    /**
     * CRLF everywhere, every physical line at most 75 octets, valid UTF-8 on each line (no split
     * sequence).
     */
    static void assertWellFormed(String text) {
        assertThat(text).endsWith("\r\n");
        assertThat(text.replace("\r\n", ""))
                .as("no bare CR or LF")
                .doesNotContain("\r")
                .doesNotContain("\n");
        for (String line : text.split("\r\n")) {
            byte[] octets = line.getBytes(StandardCharsets.UTF_8);
            assertThat(octets.length).as("octets of: " + line).isLessThanOrEqualTo(75);
            assertThat(new String(octets, StandardCharsets.UTF_8)).isEqualTo(line);
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    assertThat(
                                    i + 1 < line.length()
                                            && Character.isLowSurrogate(line.charAt(i + 1)))
                            .as("surrogate pair kept whole on: " + line)
                            .isTrue();
                } else if (Character.isLowSurrogate(c)) {
                    assertThat(i > 0 && Character.isHighSurrogate(line.charAt(i - 1)))
                            .as("surrogate pair kept whole on: " + line)
                            .isTrue();
                }
            }
        }
    }

    /** Checks the bytes themselves: a fold never falls inside a UTF-8 sequence. */
    static void assertWellFormed(byte[] body) {
        String decoded = new String(body, StandardCharsets.UTF_8);
        assertThat(decoded.getBytes(StandardCharsets.UTF_8)).isEqualTo(body);
        int lineStart = 0;
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                assertThat(i - lineStart).isLessThanOrEqualTo(75);
                if (i + 2 < body.length) {
                    assertThat(body[i + 2] & 0xC0)
                            .as("a line never starts inside a UTF-8 sequence")
                            .isNotEqualTo(0x80);
                }
                lineStart = i + 2;
            }
        }
        assertWellFormed(decoded);
    }
}
