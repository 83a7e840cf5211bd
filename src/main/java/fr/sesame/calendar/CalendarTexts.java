package fr.sesame.calendar;

import fr.sesame.Config;
import fr.sesame.db.TownUrls;
import fr.sesame.web.Dates;
import fr.sesame.web.Messages;
import java.net.URI;
import java.time.Instant;

/** The words of invitations, e-mails and feeds, in the reader's language. */
final class CalendarTexts {
    /**
     * Where a parent manages a booking; the booking pages will take over this link when they exist.
     */
    static final String MANAGE_PATH = "/me";

    private final TownUrls urls;
    private final String uidDomain;
    private final Config.Mail mail;

    CalendarTexts(TownUrls urls, Config.Mail mail) {
        this.urls = urls;
        // BASE_URL's, for every town: a feed event's UID must not change (a calendar would see a
        // new event), and session ids are unique across towns
        this.uidDomain = URI.create(urls.deployment()).getHost();
        this.mail = mail;
    }

    /** The current town's address (see {@link TownUrls}). */
    String baseUrl() {
        return urls.current();
    }

    Ics.Party party(CalendarDao.BookingRow b) {
        return new Ics.Party(
                mail.organizerEmail(), mail.organizerName(), b.email(), b.guardianName());
    }

    static String place(String schoolName, String address, String postcode, String city) {
        StringBuilder sb = new StringBuilder(schoolName);
        if (!address.isBlank()) sb.append(", ").append(address);
        String town = (postcode + " " + city).trim();
        if (!town.isEmpty()) sb.append(", ").append(town);
        return sb.toString();
    }

    static String day(Instant at, String lang) {
        return Dates.date(at, lang);
    }

    /** The event of a booking's invitation, at the given sequence. */
    Ics.Event invitationEvent(
            CalendarDao.BookingRow b, String uid, int sequence, boolean cancelled, Instant stamp) {
        Messages msg = Messages.of(b.language());
        String description =
                msg.t("calendar.event.room", b.roomName())
                        + "\n"
                        + msg.t("calendar.mail.bring")
                        + "\n"
                        + msg.t("calendar.mail.manage", manageUrl());
        return new Ics.Event(
                uid,
                sequence,
                b.startsAt(),
                b.endsAt(),
                b.title(b.language()),
                place(b.schoolName(), b.address(), b.postcode(), b.city()),
                description,
                manageUrl(),
                cancelled,
                stamp);
    }

    /** A booking's invitation file at this sequence (METHOD:CANCEL when cancelled), stamped now. */
    String invitation(
            CalendarDao.BookingRow b, java.util.UUID uid, int sequence, boolean cancelled) {
        return Ics.invitation(
                invitationEvent(b, uid.toString(), sequence, cancelled, Instant.now()),
                party(b),
                cancelled,
                reminder(b));
    }

    String reminder(CalendarDao.BookingRow b) {
        Messages msg = Messages.of(b.language());
        return msg.t(
                "calendar.reminder", b.title(b.language()), Dates.time(b.startsAt(), b.language()));
    }

    String manageUrl() {
        return baseUrl() + MANAGE_PATH;
    }

    /** The subject of an e-mail of this kind (confirmed, updated, cancelled). */
    String subject(CalendarDao.BookingRow b, String kind) {
        Messages msg = Messages.of(b.language());
        return msg.t(
                "calendar.mail.subject." + kind,
                b.title(b.language()),
                day(b.startsAt(), b.language()));
    }

    /** The plain-text body of an e-mail of this kind. */
    String body(CalendarDao.BookingRow b, String kind) {
        String lang = b.language();
        Messages msg = Messages.of(lang);
        String title = b.title(lang);
        StringBuilder sb = new StringBuilder();
        sb.append(msg.t("calendar.mail.hello", b.guardianName())).append("\n\n");
        sb.append(msg.t("calendar.mail.intro." + kind, title)).append("\n\n");
        sb.append(
                        msg.t(
                                "calendar.mail.when",
                                day(b.startsAt(), lang),
                                Dates.time(b.startsAt(), lang),
                                Dates.time(b.endsAt(), lang)))
                .append('\n');
        sb.append(
                        msg.t(
                                "calendar.mail.where",
                                place(b.schoolName(), b.address(), b.postcode(), b.city()),
                                b.roomName()))
                .append("\n\n");
        if (!kind.equals("cancelled")) {
            sb.append(msg.t("calendar.mail.bring")).append("\n\n");
            sb.append(msg.t("calendar.mail.manage", manageUrl())).append("\n\n");
        } else {
            sb.append(msg.t("calendar.mail.rebook", baseUrl() + "/me")).append("\n\n");
        }
        sb.append(
                        msg.t(
                                "calendar.mail.calendar."
                                        + (kind.equals("cancelled") ? "cancel" : "request")))
                .append("\n\n");
        sb.append(mail.organizerName()).append('\n');
        return sb.toString();
    }

    // --- reminders (issue 16)

    private static String reminderKey(String kind) {
        return kind.equals("reminder_morning") ? "morning" : "before";
    }

    /** The subject of a reminder e-mail ({@code reminder_before} or {@code reminder_morning}). */
    String reminderSubject(CalendarDao.BookingRow b, String kind) {
        String lang = b.language();
        return Messages.of(lang)
                .t(
                        "reminder.mail.subject." + reminderKey(kind),
                        b.title(lang),
                        day(b.startsAt(), lang));
    }

    /**
     * The plain-text body of a reminder e-mail: the session (workshop, school, room, day and time),
     * the guardian's page and the opt-out link.
     */
    String reminderBody(CalendarDao.BookingRow b, String kind, String optOutUrl) {
        String lang = b.language();
        Messages msg = Messages.of(lang);
        String title = b.title(lang);
        StringBuilder sb = new StringBuilder();
        sb.append(msg.t("reminder.mail.hello", b.guardianName())).append("\n\n");
        sb.append(msg.t("reminder.mail.intro." + reminderKey(kind), title)).append("\n\n");
        sb.append(
                        msg.t(
                                "reminder.mail.when",
                                day(b.startsAt(), lang),
                                Dates.time(b.startsAt(), lang),
                                Dates.time(b.endsAt(), lang)))
                .append('\n');
        sb.append(
                        msg.t(
                                "reminder.mail.where",
                                place(b.schoolName(), b.address(), b.postcode(), b.city()),
                                b.roomName()))
                .append("\n\n");
        sb.append(msg.t("reminder.mail.manage", manageUrl())).append("\n\n");
        sb.append(msg.t("reminder.mail.stop", optOutUrl)).append("\n\n");
        sb.append(mail.organizerName()).append('\n');
        return sb.toString();
    }

    // --- feeds

    String sessionUid(long sessionId) {
        return "session-" + sessionId + "@" + uidDomain;
    }

    /** The words of one feed (Messages keeps each text's compiled format). */
    static final class FeedWords {
        private final Messages msg;

        FeedWords(String lang) {
            this.msg = Messages.of(lang);
        }

        String lang() {
            return msg.lang();
        }

        String t(String key, Object... args) {
            return msg.t(key, args);
        }
    }

    /** A session in a trainer's, school's or admin's feed. */
    Ics.Event feedEvent(CalendarDao.SessionRow s, String ownerKind, String lang) {
        return feedEvent(s, ownerKind, new FeedWords(lang));
    }

    Ics.Event feedEvent(CalendarDao.SessionRow s, String ownerKind, FeedWords msg) {
        String lang = msg.lang();
        String title = s.title(lang);
        int left = Math.max(0, s.capacity() - s.booked());
        boolean cancelled = "cancelled".equals(s.status());
        String summary =
                switch (ownerKind) {
                    case "school" ->
                            cancelled
                                    ? msg.t("calendar.feed.summary.cancelled", title)
                                    : msg.t("calendar.feed.summary.seats", title, left);
                    case "admin" ->
                            msg.t(
                                    "calendar.feed.summary.admin",
                                    title,
                                    s.schoolName(),
                                    s.booked(),
                                    s.capacity());
                    default ->
                            msg.t("calendar.feed.summary.booked", title, s.booked(), s.capacity());
                };
        String description =
                msg.t("calendar.event.room", s.roomName())
                        + "\n"
                        + msg.t("calendar.feed.booked", s.booked(), s.capacity(), left)
                        + (cancelled ? "\n" + msg.t("calendar.feed.cancelled") : "");
        return new Ics.Event(
                sessionUid(s.id()),
                s.calendarSequence(),
                s.startsAt(),
                s.endsAt(),
                summary,
                place(s.schoolName(), s.address(), s.postcode(), s.city()),
                description,
                null,
                cancelled,
                s.updatedAt());
    }

    /** A booking in a guardian's feed: the same UID as the invitation e-mailed to them. */
    Ics.Event guardianEvent(CalendarDao.SessionRow s, FeedWords msg) {
        String lang = msg.lang();
        boolean cancelled = s.bookingCancelled() || "cancelled".equals(s.status());
        String description =
                msg.t("calendar.event.room", s.roomName())
                        + "\n"
                        + msg.t("calendar.mail.bring")
                        + "\n"
                        + msg.t("calendar.mail.manage", manageUrl());
        return new Ics.Event(
                s.uid().toString(),
                s.calendarSequence(),
                s.startsAt(),
                s.endsAt(),
                s.title(lang),
                place(s.schoolName(), s.address(), s.postcode(), s.city()),
                description,
                manageUrl(),
                cancelled,
                s.updatedAt());
    }
}
