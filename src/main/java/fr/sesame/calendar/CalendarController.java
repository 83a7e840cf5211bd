package fr.sesame.calendar;

import fr.sesame.messaging.SmsWorkerDao;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Dates;
import fr.sesame.web.Language;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Feeds at secret URLs, the pages that hand them out, the booking download, and the outbox page.
 */
public final class CalendarController {

    /** A booking the parent may add to their calendar. */
    public record BookingLink(long id, String title, String when, String place) {}

    /**
     * The page of one feed: whose it is, whether a link exists (and since when), the new link right
     * after it was made (it is shown once: only its hash is kept), and for a parent their bookings
     * to download.
     */
    public record LinksPage(
            String titleKey,
            String introKey,
            String action,
            Long schoolId,
            Instant since,
            String httpsUrl,
            String webcalUrl,
            List<BookingLink> bookings,
            List<CalendarDao.SchoolOption> schools) {
        public boolean hasNewLink() {
            return httpsUrl != null;
        }

        public String since(String lang) {
            return since == null ? null : Dates.dayAndTime(since, lang);
        }
    }

    /** The outbox page. */
    public record OutboxPage(
            boolean smtpConfigured,
            List<OutboxDao.StatusCount> counts,
            List<OutboxDao.Row> backlog,
            List<OutboxDao.Row> sent,
            List<OutboxDao.Unreachable> unreachable,
            List<SmsWorkerDao.Row> sms) {
        public int count(String status) {
            return counts.stream()
                    .filter(c -> c.status().equals(status))
                    .mapToInt(OutboxDao.StatusCount::count)
                    .sum();
        }

        public String when(Instant at, String lang) {
            return at == null ? "" : Dates.dayAndTime(at, lang);
        }
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final CalendarDao calendarDao;
    private final OutboxDao outboxDao;
    private final SmsWorkerDao smsDao;
    private final Views views;
    private final CalendarFeeds feeds;
    private final CalendarOutbox outbox;
    private final boolean smtpConfigured;

    public CalendarController(
            CalendarDao calendarDao,
            OutboxDao outboxDao,
            SmsWorkerDao smsDao,
            Views views,
            CalendarFeeds feeds,
            CalendarOutbox outbox,
            boolean smtpConfigured) {
        this.calendarDao = calendarDao;
        this.outboxDao = outboxDao;
        this.smsDao = smsDao;
        this.views = views;
        this.feeds = feeds;
        this.outbox = outbox;
        this.smtpConfigured = smtpConfigured;
    }

    // --- the feed itself

    /**
     * GET /calendar/feed/{token}.ics: the feed, or 304 when the client's copy is current; 404
     * otherwise.
     */
    public void feed(Context ctx) {
        CalendarFeeds.Feed feed =
                feeds.feed(ctx.pathParam("token")).orElseThrow(NotFoundResponse::new);
        String acceptEncoding = ctx.header("Accept-Encoding");
        boolean gzip =
                acceptEncoding != null
                        && acceptEncoding.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        ctx.header("ETag", gzip ? feed.gzipEtag() : feed.etag());
        ctx.header("Last-Modified", HTTP_DATE.format(feed.lastModified().atZone(ZoneOffset.UTC)));
        ctx.header("Cache-Control", "private, no-cache");
        ctx.header("Vary", "Accept-Encoding");
        if (notModified(ctx, feed)) {
            ctx.status(304);
            return;
        }
        ctx.contentType("text/calendar; charset=utf-8");
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
            ctx.result(feed.gzipped());
        } else {
            ctx.result(feed.body());
        }
    }

    private static boolean notModified(Context ctx, CalendarFeeds.Feed feed) {
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.startsWith("W/")) t = t.substring(2);
                if (t.equals(feed.etag()) || t.equals(feed.gzipEtag()) || t.equals("*"))
                    return true;
            }
            return false;
        }
        String ifModifiedSince = ctx.header("If-Modified-Since");
        if (ifModifiedSince != null) {
            try {
                Instant since = ZonedDateTime.parse(ifModifiedSince, HTTP_DATE).toInstant();
                return !feed.lastModified().isAfter(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    // --- the parent's booking download

    /**
     * GET /me/bookings/{id}/calendar.ics: the invitation of one of the parent's family's bookings.
     */
    public void download(Context ctx) {
        CurrentUser parent = CurrentUser.of(ctx);
        long id = longParam(ctx, "id");
        CalendarDao.BookingRow b =
                calendarDao
                        .bookingOfFamily(id, parent.familyId())
                        .orElseThrow(NotFoundResponse::new);
        String ics = outbox.currentInvitation(calendarDao, b);
        ctx.header("Content-Disposition", "attachment; filename=\"atelier-sesame.ics\"");
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType(
                "text/calendar; charset=utf-8; method="
                        + (ics.contains("\r\nMETHOD:CANCEL\r\n") ? "CANCEL" : "REQUEST"));
        ctx.result(ics.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // --- the pages that hand out feed links

    public void parentPage(Context ctx) {
        renderLinks(ctx, parentOwner(ctx), null);
    }

    public void parentNewLink(Context ctx) {
        renderLinks(
                ctx,
                parentOwner(ctx),
                feeds.newToken(CalendarFeeds.GUARDIAN, user(ctx).id(), lang(ctx)));
    }

    public void trainerPage(Context ctx) {
        renderLinks(ctx, new Owner(CalendarFeeds.TRAINER, user(ctx).id(), null), null);
    }

    public void trainerNewLink(Context ctx) {
        renderLinks(
                ctx,
                new Owner(CalendarFeeds.TRAINER, user(ctx).id(), null),
                feeds.newToken(CalendarFeeds.TRAINER, user(ctx).id(), lang(ctx)));
    }

    public void schoolPage(Context ctx) {
        Owner owner = schoolOwner(ctx, ctx.queryParam("school"));
        renderLinks(ctx, owner, null);
    }

    public void schoolNewLink(Context ctx) {
        Owner owner = schoolOwner(ctx, ctx.formParam("school"));
        if (owner.id() == null) {
            ctx.redirect("/school/calendar");
            return;
        }
        renderLinks(ctx, owner, feeds.newToken(CalendarFeeds.SCHOOL, owner.id(), lang(ctx)));
    }

    public void adminPage(Context ctx) {
        renderLinks(ctx, new Owner(CalendarFeeds.ADMIN, user(ctx).id(), null), null);
    }

    public void adminNewLink(Context ctx) {
        renderLinks(
                ctx,
                new Owner(CalendarFeeds.ADMIN, user(ctx).id(), null),
                feeds.newToken(CalendarFeeds.ADMIN, user(ctx).id(), lang(ctx)));
    }

    /**
     * GET /admin/outbox: what waits to be sent, what failed and why, and the guardians no e-mail
     * can reach.
     */
    public void outboxPage(Context ctx) {
        OutboxDao dao = outboxDao;
        OutboxPage page =
                new OutboxPage(
                        smtpConfigured,
                        dao.counts(),
                        dao.backlog(),
                        dao.recentlySent(),
                        dao.unreachable(),
                        smsDao.recent());
        views.render(ctx, "calendar/outbox.jte", page);
    }

    private record Owner(String kind, Long id, List<CalendarDao.SchoolOption> schools) {}

    private Owner parentOwner(Context ctx) {
        return new Owner(CalendarFeeds.GUARDIAN, user(ctx).id(), null);
    }

    /**
     * School staff: their own school. An admin: the school chosen in the list (none chosen: the
     * list).
     */
    private Owner schoolOwner(Context ctx, String chosen) {
        CurrentUser u = user(ctx);
        if (u.role() == CurrentUser.Role.SCHOOL_STAFF)
            return new Owner(CalendarFeeds.SCHOOL, u.schoolId(), null);
        List<CalendarDao.SchoolOption> schools = calendarDao.schools();
        Long id = null;
        if (chosen != null) {
            try {
                long wanted = Long.parseLong(chosen);
                id =
                        schools.stream()
                                .filter(s -> s.id() == wanted)
                                .map(CalendarDao.SchoolOption::id)
                                .findFirst()
                                .orElse(null);
            } catch (NumberFormatException e) {
                id = null;
            }
        }
        return new Owner(CalendarFeeds.SCHOOL, id, schools);
    }

    private void renderLinks(Context ctx, Owner owner, String newToken) {
        String lang = lang(ctx);
        Instant since =
                owner.id() == null
                        ? null
                        : feeds.liveTokenSince(owner.kind(), owner.id()).orElse(null);
        List<BookingLink> bookings = List.of();
        if (owner.kind().equals(CalendarFeeds.GUARDIAN)) {
            long family = user(ctx).familyId();
            bookings =
                    calendarDao.upcomingBookingsOfFamily(family).stream()
                            .map(
                                    b ->
                                            new BookingLink(
                                                    b.bookingId(),
                                                    b.title(lang),
                                                    Dates.dayAndTime(b.startsAt(), lang),
                                                    CalendarTexts.place(
                                                            b.schoolName(),
                                                            b.address(),
                                                            b.postcode(),
                                                            b.city())))
                            .toList();
        }
        String base =
                switch (owner.kind()) {
                    case CalendarFeeds.GUARDIAN -> "/me/calendar";
                    case CalendarFeeds.TRAINER -> "/trainer/calendar";
                    case CalendarFeeds.SCHOOL -> "/school/calendar";
                    default -> "/admin/calendar";
                };
        views.render(
                ctx,
                "calendar/links.jte",
                new LinksPage(
                        "calendar.page." + owner.kind() + ".title",
                        "calendar.page." + owner.kind() + ".intro",
                        base + "/link",
                        owner.id() == null || !owner.kind().equals(CalendarFeeds.SCHOOL)
                                ? null
                                : owner.id(),
                        since,
                        newToken == null ? null : feeds.feedUrl(newToken),
                        newToken == null ? null : feeds.webcalUrl(newToken),
                        bookings,
                        owner.schools()));
    }

    private static CurrentUser user(Context ctx) {
        return CurrentUser.of(ctx);
    }

    private static String lang(Context ctx) {
        return Language.messages(ctx).lang();
    }

    private static long longParam(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
    }
}
