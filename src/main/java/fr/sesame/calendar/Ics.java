package fr.sesame.calendar;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.ComponentList;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.PropertyFactory;
import net.fortuna.ical4j.model.PropertyList;
import net.fortuna.ical4j.model.component.CalendarComponent;
import net.fortuna.ical4j.model.component.Daylight;
import net.fortuna.ical4j.model.component.Standard;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.PartStat;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.parameter.Rsvp;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.Action;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Method;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.RefreshInterval;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Trigger;
import net.fortuna.ical4j.model.property.TzId;
import net.fortuna.ical4j.model.property.TzName;
import net.fortuna.ical4j.model.property.TzOffsetFrom;
import net.fortuna.ical4j.model.property.TzOffsetTo;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import net.fortuna.ical4j.validate.ValidationResult;

/**
 * Builds Sésame's iCalendar objects with ical4j and writes them out for strict readers: times in
 * Europe/Paris with TZID and the VTIMEZONE that defines it, text escaped by ical4j, lines folded by
 * octets ({@link ContentLines}).
 */
final class Ics {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String PRODID = "-//Sésame//Calendar 1.0//FR";

    /**
     * How often subscribers are asked to refresh (Google ignores it; Apple and Outlook follow it).
     */
    static final Duration REFRESH = Duration.ofHours(6);

    private static final VTimeZone PARIS_TZ = parisTimeZone();

    /** One event: a session as a guardian, trainer, school or admin sees it. */
    record Event(
            String uid,
            int sequence,
            Instant start,
            Instant end,
            String summary,
            String location,
            String description,
            String url,
            boolean cancelled,
            Instant stamp) {}

    /** The people of an invitation. */
    record Party(
            String organizerEmail,
            String organizerName,
            String attendeeEmail,
            String attendeeName) {}

    private Ics() {}

    /**
     * An invitation (METHOD:REQUEST) or its cancellation (METHOD:CANCEL) for one booking: one
     * VEVENT with the booking's UID and sequence, the organizer and the guardian, and a reminder
     * the day before.
     */
    static String invitation(Event event, Party party, boolean cancel, String reminderText) {
        List<Property> props = eventProperties(event);
        props.add(
                new Organizer(
                        new ParameterList(List.of(new Cn(party.organizerName()))),
                        URI.create("mailto:" + party.organizerEmail())));
        if (party.attendeeEmail() != null) {
            ParameterList params =
                    new ParameterList(
                            List.of(
                                    Role.REQ_PARTICIPANT,
                                    cancel ? PartStat.DECLINED : PartStat.NEEDS_ACTION,
                                    new Rsvp(!cancel),
                                    new Cn(party.attendeeName())));
            props.add(new Attendee(params, URI.create("mailto:" + party.attendeeEmail())));
        }
        List<VAlarm> alarms = new ArrayList<>();
        if (!cancel) {
            alarms.add(
                    new VAlarm(
                            new PropertyList(
                                    List.of(
                                            new Trigger(Duration.ofDays(-1)),
                                            new Action(Action.VALUE_DISPLAY),
                                            new Description(reminderText)))));
        }
        VEvent vevent = new VEvent(new PropertyList(props), new ComponentList<>(alarms));
        List<Property> calProps =
                calendarProperties(cancel ? Method.VALUE_CANCEL : Method.VALUE_REQUEST);
        return write(
                new Calendar(
                        new PropertyList(calProps),
                        new ComponentList<>(List.of(PARIS_TZ, vevent))));
    }

    /** A subscription feed (METHOD:PUBLISH) with a name, refresh hints and the given events. */
    static String feed(String name, List<Event> events) {
        List<Property> calProps = calendarProperties(Method.VALUE_PUBLISH);
        calProps.add(new XProperty("X-WR-CALNAME", name));
        calProps.add(new XProperty("X-WR-TIMEZONE", PARIS.getId()));
        calProps.add(new RefreshInterval(new ParameterList(List.of(Value.DURATION)), REFRESH));
        calProps.add(new XProperty("X-PUBLISHED-TTL", "PT" + REFRESH.toHours() + "H"));
        List<CalendarComponent> components = new ArrayList<>(events.size() + 1);
        components.add(PARIS_TZ);
        for (Event e : events) components.add(new VEvent(new PropertyList(eventProperties(e))));
        return write(new Calendar(new PropertyList(calProps), new ComponentList<>(components)));
    }

    /** ical4j writes the content lines unfolded here; the folding by octets is Sésame's. */
    private static String write(Calendar cal) {
        return ContentLines.fold(cal.toString());
    }

    private static List<Property> calendarProperties(String method) {
        List<Property> props = new ArrayList<>();
        props.add(new ProdId(PRODID));
        props.add(ImmutableVersion.VERSION_2_0);
        props.add(ImmutableCalScale.GREGORIAN);
        props.add(new Method(method));
        return props;
    }

    private static List<Property> eventProperties(Event e) {
        List<Property> p = new ArrayList<>(14);
        p.add(new Uid(e.uid()));
        p.add(new DtStamp(e.stamp()));
        p.add(new ParisDateTime(Property.DTSTART, e.start()));
        p.add(new ParisDateTime(Property.DTEND, e.end()));
        p.add(new Sequence(e.sequence()));
        p.add(new Summary(e.summary()));
        if (e.location() != null) p.add(new Location(e.location()));
        if (e.description() != null) p.add(new Description(e.description()));
        if (e.url() != null) p.add(new Url(URI.create(e.url())));
        p.add(new Status(e.cancelled() ? Status.VALUE_CANCELLED : Status.VALUE_CONFIRMED));
        p.add(new LastModified(e.stamp()));
        return p;
    }

    /**
     * Europe/Paris as calendar apps write it: the EU rule in force since 1996 (last Sunday of March
     * and of October). ical4j's own definition carries the whole history since 1891 (about 170
     * lines, with an offset in seconds that some readers refuse); every session Sésame shows is
     * recent.
     */
    private static VTimeZone parisTimeZone() {
        Standard standard =
                new Standard(
                        new PropertyList(
                                List.of(
                                        new TzName("CET"),
                                        new TzOffsetFrom(ZoneOffset.ofHours(2)),
                                        new TzOffsetTo(ZoneOffset.ofHours(1)),
                                        new DtStart<>(LocalDateTime.of(1970, 10, 25, 3, 0)),
                                        new RRule<>("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))));
        Daylight daylight =
                new Daylight(
                        new PropertyList(
                                List.of(
                                        new TzName("CEST"),
                                        new TzOffsetFrom(ZoneOffset.ofHours(1)),
                                        new TzOffsetTo(ZoneOffset.ofHours(2)),
                                        new DtStart<>(LocalDateTime.of(1970, 3, 29, 2, 0)),
                                        new RRule<>("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"))));
        return new VTimeZone(
                new PropertyList(List.of(new TzId(PARIS.getId()))),
                new ComponentList<>(List.of(standard, daylight)));
    }

    /**
     * DTSTART or DTEND as a local time in Europe/Paris with its TZID. ical4j's DtStart/DtEnd copy
     * the JDK's whole list of zone ids each time they are written
     * (TimeZoneRegistry.getGlobalZoneId), which took most of the time of a 1 000-session feed; this
     * property writes the same text directly.
     */
    static final class ParisDateTime extends Property {
        private static final DateTimeFormatter LOCAL = fr.sesame.web.Dates.ICS_LOCAL;
        private final String value;

        ParisDateTime(String name, Instant at) {
            super(
                    name,
                    new ParameterList(
                            List.of(new net.fortuna.ical4j.model.parameter.TzId(PARIS.getId()))));
            this.value = LOCAL.format(at.atZone(PARIS));
        }

        @Override
        public String getValue() {
            return value;
        }

        @Override
        public void setValue(String value) {
            throw new UnsupportedOperationException("a written time is not changed");
        }

        @Override
        public ValidationResult validate() {
            return ValidationResult.EMPTY;
        }

        @Override
        protected PropertyFactory<?> newFactory() {
            return null;
        }
    }
}
