package fr.sesame.booking;

import fr.sesame.audit.Actor;
import fr.sesame.booking.PlanningService.SessionPlan;
import fr.sesame.booking.PlanningService.TypePlan;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Form;
import fr.sesame.web.Refusal;
import fr.sesame.web.Views;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The education service's planning pages: workshop types, sessions, series; edit and cancel a
 * session.
 */
public final class PlanningController {
    private static final Pattern CODE = Pattern.compile("^[a-z0-9][a-z0-9-]{1,39}$");
    private static final Pattern UAI = Pattern.compile("^[0-9]{7}[A-Z]$");
    static final List<String> LANGUAGES = List.of("fr", "en");
    private static final List<String> TYPE_FIELDS =
            List.of(
                    "code",
                    "titleFr",
                    "titleEn",
                    "descriptionFr",
                    "descriptionEn",
                    "duration",
                    "qualifies",
                    "charter",
                    "maxActive");
    private static final List<String> SESSION_FIELDS =
            List.of(
                    "type",
                    "room",
                    "date",
                    "start",
                    "end",
                    "capacity",
                    "language",
                    "opens",
                    "closes",
                    "token");
    private static final List<String> SERIES_FIELDS =
            List.of(
                    "type",
                    "label",
                    "first",
                    "start",
                    "weeks",
                    "capacity",
                    "language",
                    "opens",
                    "closes",
                    "token",
                    "action");
    private static final int MAX_SERIES_SESSIONS = 200;

    /** The model of the workshop types page (list and form; editing is null for a new type). */
    public record WorkshopsPage(
            List<PlanningDao.WorkshopType> types,
            PlanningDao.WorkshopType editing,
            Form form,
            String notice) {}

    /** The model of the sessions list. */
    public record SessionsPage(
            List<SessionView> sessions,
            List<PlanningDao.Room> rooms,
            String school,
            String notice) {
        public List<SchoolOption> schools() {
            return rooms.stream()
                    .map(r -> new SchoolOption(r.schoolUai(), r.schoolName()))
                    .distinct()
                    .toList();
        }
    }

    /** A school in the filter of the sessions list. */
    public record SchoolOption(String uai, String name) {}

    /** The model of the session form (new, or edit with its bookings and waiting list). */
    public record SessionFormPage(
            SessionView session,
            List<PlanningDao.WorkshopType> types,
            List<PlanningDao.Room> rooms,
            List<PlanningDao.Trainer> trainers,
            Form form,
            List<PlanningDao.Attendee> attendees,
            List<PlanningDao.Attendee> waiting,
            String notice) {
        public boolean editing() {
            return session != null;
        }
    }

    /** The model of the series form and its preview. */
    public record SeriesPage(
            List<PlanningDao.WorkshopType> types,
            List<PlanningDao.Room> rooms,
            List<PlanningDao.Trainer> trainers,
            Form form,
            List<SeriesLine> preview) {}

    /** One session of a series' preview. */
    public record SeriesLine(Instant start, Instant end, String room) {}

    private final PlanningService planning;
    private final BookingService bookings;
    private final PlanningDao planningDao;
    private final Views views;

    public PlanningController(
            PlanningService planning,
            BookingService bookings,
            PlanningDao planningDao,
            Views views) {
        this.planning = planning;
        this.bookings = bookings;
        this.planningDao = planningDao;
        this.views = views;
    }

    private <T> T read(java.util.function.Function<PlanningDao, T> query) {
        return query.apply(planningDao);
    }

    // --- workshop types ---

    public void workshops(Context ctx) {
        views.render(
                ctx,
                "booking/workshops.jte",
                new WorkshopsPage(
                        read(PlanningDao::workshopTypes),
                        null,
                        Form.empty()
                                .put("duration", "120")
                                .put("maxActive", "1")
                                .put("qualifies", "on")
                                .putList("languages", List.of("fr")),
                        ctx.queryParam("saved") != null ? "planning.saved" : null));
    }

    public void workshop(Context ctx) {
        PlanningDao.WorkshopType t =
                read(d -> d.workshopType(BookingController.id(ctx, "id")))
                        .orElseThrow(NotFoundResponse::new);
        Form form =
                Form.empty()
                        .put("code", t.code())
                        .put("titleFr", t.titleFr())
                        .put("titleEn", t.titleEn())
                        .put("descriptionFr", t.descriptionFr())
                        .put("descriptionEn", t.descriptionEn())
                        .put("duration", String.valueOf(t.durationMinutes()))
                        .put("maxActive", String.valueOf(t.maxActivePerFamily()))
                        .put("qualifies", t.qualifiesForHomeUse() ? "on" : "")
                        .put("charter", t.requiresCharter() ? "on" : "")
                        .putList("languages", List.of(t.languages().split(",")));
        views.render(
                ctx,
                "booking/workshops.jte",
                new WorkshopsPage(read(PlanningDao::workshopTypes), t, form, null));
    }

    public void createWorkshop(Context ctx) {
        Form form = Form.of(ctx, TYPE_FIELDS, List.of("languages"));
        TypePlan plan = typePlan(form, true);
        if (plan != null) {
            Optional<Long> id = planning.createWorkshopType(actor(ctx), plan);
            if (id.isPresent()) {
                ctx.redirect("/admin/workshops?saved=1");
                return;
            }
            form.fail("code", "planning.error.code.taken");
        }
        ctx.status(400);
        views.render(
                ctx,
                "booking/workshops.jte",
                new WorkshopsPage(read(PlanningDao::workshopTypes), null, form, null));
    }

    public void updateWorkshop(Context ctx) {
        long id = BookingController.id(ctx, "id");
        PlanningDao.WorkshopType t =
                read(d -> d.workshopType(id)).orElseThrow(NotFoundResponse::new);
        Form form = Form.of(ctx, TYPE_FIELDS, List.of("languages")).put("code", t.code());
        TypePlan plan = typePlan(form, false);
        if (plan == null) {
            ctx.status(400);
            views.render(
                    ctx,
                    "booking/workshops.jte",
                    new WorkshopsPage(read(PlanningDao::workshopTypes), t, form, null));
            return;
        }
        planning.updateWorkshopType(actor(ctx), id, plan);
        ctx.redirect("/admin/workshops?saved=1");
    }

    private static TypePlan typePlan(Form f, boolean isNew) {
        String code = f.value("code");
        if (isNew && !CODE.matcher(code).matches()) f.fail("code", "planning.error.code");
        String titleFr = f.text("titleFr", 1, 200, "planning.error.title");
        String titleEn = f.text("titleEn", 1, 200, "planning.error.title");
        String descFr = f.text("descriptionFr", 0, 2000, "planning.error.description");
        String descEn = f.text("descriptionEn", 0, 2000, "planning.error.description");
        Integer duration = f.integer("duration", 15, 480, "planning.error.duration");
        Integer max = f.integer("maxActive", 1, 10, "planning.error.maxactive");
        List<String> languages = f.list("languages").stream().distinct().toList();
        if (languages.isEmpty() || !LANGUAGES.containsAll(languages))
            f.fail("languages", "planning.error.languages");
        if (f.hasErrors()) return null;
        return new TypePlan(
                code,
                titleFr,
                titleEn,
                descFr,
                descEn,
                duration,
                languages,
                f.checked("qualifies"),
                f.checked("charter"),
                max);
    }

    // --- sessions ---

    public void sessions(Context ctx) {
        String school = Optional.ofNullable(ctx.queryParam("school")).orElse("").trim();
        if (!school.isEmpty() && !UAI.matcher(school).matches()) school = "";
        String uai = school.isEmpty() ? null : school;
        Instant from = Instant.now().minus(Duration.ofDays(1));
        List<SessionView> list =
                bookings.sessionsBetween(uai, from, from.plus(Duration.ofDays(400)), 0);
        String done = ctx.queryParam("done");
        views.render(
                ctx,
                "booking/admin-sessions.jte",
                new SessionsPage(
                        list,
                        read(PlanningDao::rooms),
                        school,
                        done != null && List.of("created", "series", "cancelled").contains(done)
                                ? "planning.done." + done
                                : null));
    }

    public void newSession(Context ctx) {
        Form form =
                Form.empty()
                        .put("capacity", "12")
                        .put("language", "fr")
                        .put("closes", "2")
                        .put("start", "17:30")
                        .put("end", "19:30")
                        .put("token", UUID.randomUUID().toString());
        renderSessionForm(ctx, null, form, null);
    }

    public void createSession(Context ctx) {
        Form form = Form.of(ctx, SESSION_FIELDS, List.of("trainers"));
        SessionPlan plan = sessionPlan(form);
        if (plan != null && !plan.start().isAfter(Instant.now())) {
            form.fail("date", "planning.error.past");
            plan = null;
        }
        String token = form.value("token");
        if (!token.matches("^[A-Za-z0-9-]{8,64}$")) throw new BadRequestResponse();
        if (plan == null) {
            ctx.status(400);
            renderSessionForm(ctx, null, form, null);
            return;
        }
        long id = planning.createSession(actor(ctx), plan, token);
        ctx.redirect("/admin/sessions/" + id + "?done=created");
    }

    public void session(Context ctx) {
        long id = BookingController.id(ctx, "id");
        SessionView s = view(id);
        String done = ctx.queryParam("done");
        renderSessionForm(
                ctx,
                s,
                formOf(s),
                done != null && List.of("created", "saved").contains(done)
                        ? "planning.done." + done
                        : null);
    }

    public void updateSession(Context ctx) {
        long id = BookingController.id(ctx, "id");
        SessionView s = view(id);
        Form form =
                Form.of(ctx, SESSION_FIELDS, List.of("trainers"))
                        .put("type", String.valueOf(s.workshopTypeId()));
        SessionPlan plan = sessionPlan(form);
        if (plan != null) {
            try {
                planning.updateSession(actor(ctx), id, plan);
                ctx.redirect("/admin/sessions/" + id + "?done=saved");
                return;
            } catch (Refusal r) {
                if (r.reason() == BookingRefusal.NOT_FOUND) throw new NotFoundResponse();
                if (r.reason() == BookingRefusal.BELOW_SEATS_TAKEN) {
                    form.fail("capacity", "planning.error.capacity.below", view(id).booked());
                } else {
                    form.fail("capacity", r.messageKey());
                }
            }
        }
        ctx.status(400);
        renderSessionForm(ctx, view(id), form, null);
    }

    public void cancelSession(Context ctx) {
        long id = BookingController.id(ctx, "id");
        try {
            planning.cancelSession(actor(ctx), id);
        } catch (Refusal r) {
            throw new NotFoundResponse();
        }
        ctx.redirect("/admin/sessions?done=cancelled");
    }

    private SessionView view(long id) {
        return bookings.session(id).orElseThrow(NotFoundResponse::new);
    }

    private Form formOf(SessionView s) {
        ZonedDateTime start = s.startsAt().atZone(PlanningService.PARIS);
        ZonedDateTime end = s.endsAt().atZone(PlanningService.PARIS);
        Form f =
                Form.empty()
                        .put("type", String.valueOf(s.workshopTypeId()))
                        .put("room", String.valueOf(s.roomId()))
                        .put("date", start.toLocalDate().toString())
                        .put("start", start.toLocalTime().toString())
                        .put("end", end.toLocalTime().toString())
                        .put("capacity", String.valueOf(s.capacity()))
                        .put("language", s.language())
                        .put("closes", String.valueOf(s.bookingClosesHours()))
                        .put(
                                "opens",
                                s.bookingOpensAt() == null
                                        ? ""
                                        : s.bookingOpensAt()
                                                .atZone(PlanningService.PARIS)
                                                .toLocalDate()
                                                .toString());
        f.putList(
                "trainers", read(d -> d.trainersOf(s.id())).stream().map(String::valueOf).toList());
        return f;
    }

    private void renderSessionForm(Context ctx, SessionView s, Form form, String notice) {
        List<PlanningDao.Attendee> attendees =
                s == null ? List.of() : read(d -> d.attendees(s.id()));
        List<PlanningDao.Attendee> waiting = s == null ? List.of() : read(d -> d.waiting(s.id()));
        views.render(
                ctx,
                "booking/admin-session.jte",
                new SessionFormPage(
                        s,
                        read(PlanningDao::workshopTypes),
                        read(PlanningDao::rooms),
                        read(PlanningDao::trainers),
                        form,
                        attendees,
                        waiting,
                        notice));
    }

    /**
     * Reads and checks the session form; null (with the errors in the form) when something is
     * wrong.
     */
    private SessionPlan sessionPlan(Form f) {
        Long type = f.id("type", "planning.error.type");
        Optional<PlanningDao.WorkshopType> wt =
                type == null ? Optional.empty() : read(d -> d.workshopType(type));
        if (type != null && wt.isEmpty()) f.fail("type", "planning.error.type");
        Long roomId = f.id("room", "planning.error.room");
        Optional<PlanningDao.Room> room =
                roomId == null ? Optional.empty() : read(d -> d.room(roomId));
        if (roomId != null && room.isEmpty()) f.fail("room", "planning.error.room");
        LocalDate date = f.date("date", "planning.error.date");
        LocalTime start = f.time("start", "planning.error.time");
        LocalTime end = f.time("end", "planning.error.time");
        if (start != null && end != null && !end.isAfter(start))
            f.fail("end", "planning.error.end");
        Integer capacity = f.integer("capacity", 1, 500, "planning.error.capacity");
        if (capacity != null && room.isPresent() && capacity > room.get().seats()) {
            f.fail("capacity", "planning.error.capacity.room", room.get().seats());
        }
        String language = f.value("language");
        if (!LANGUAGES.contains(language)) f.fail("language", "planning.error.language");
        Instant opens = opens(f);
        Integer closes = f.integer("closes", 0, 168, "planning.error.closes");
        List<Long> trainers = trainers(f);
        if (f.hasErrors()) return null;
        Instant s = date.atTime(start).atZone(PlanningService.PARIS).toInstant();
        Instant e = date.atTime(end).atZone(PlanningService.PARIS).toInstant();
        return new SessionPlan(type, roomId, s, e, capacity, language, opens, closes, trainers);
    }

    private static Instant opens(Form f) {
        if (f.value("opens").isEmpty()) return null;
        LocalDate d = f.date("opens", "planning.error.opens");
        return d == null ? null : d.atStartOfDay(PlanningService.PARIS).toInstant();
    }

    private List<Long> trainers(Form f) {
        List<Long> ids = f.ids("trainers", "planning.error.trainers").stream().distinct().toList();
        if (!ids.isEmpty() && read(d -> d.countTrainers(ids)) != ids.size())
            f.fail("trainers", "planning.error.trainers");
        return ids;
    }

    // --- series ---

    public void seriesForm(Context ctx) {
        Form form =
                Form.empty()
                        .put("capacity", "12")
                        .put("language", "fr")
                        .put("closes", "2")
                        .put("start", "17:30")
                        .put("weeks", "6")
                        .put("token", UUID.randomUUID().toString());
        renderSeries(ctx, form, null);
    }

    public void seriesSubmit(Context ctx) {
        Form f = Form.of(ctx, SERIES_FIELDS, List.of("rooms", "trainers"));
        String token = f.value("token");
        if (!token.matches("^[A-Za-z0-9-]{8,64}$")) throw new BadRequestResponse();
        Long type = f.id("type", "planning.error.type");
        Optional<PlanningDao.WorkshopType> wt =
                type == null ? Optional.empty() : read(d -> d.workshopType(type));
        if (type != null && wt.isEmpty()) f.fail("type", "planning.error.type");
        String label = f.text("label", 0, 200, "planning.error.label");
        List<Long> roomIds = f.ids("rooms", "planning.error.rooms").stream().distinct().toList();
        Map<Long, PlanningDao.Room> rooms =
                read(PlanningDao::rooms).stream()
                        .collect(Collectors.toMap(PlanningDao.Room::id, r -> r));
        if (roomIds.isEmpty() || !rooms.keySet().containsAll(roomIds))
            f.fail("rooms", "planning.error.rooms");
        LocalDate first = f.date("first", "planning.error.date");
        if (first != null && first.isBefore(LocalDate.now(PlanningService.PARIS)))
            f.fail("first", "planning.error.past");
        LocalTime start = f.time("start", "planning.error.time");
        Integer weeks = f.integer("weeks", 1, 20, "planning.error.weeks");
        Integer capacity = f.integer("capacity", 1, 500, "planning.error.capacity");
        if (capacity != null
                && roomIds.stream()
                        .map(rooms::get)
                        .anyMatch(r -> r != null && r.seats() < capacity)) {
            int smallest =
                    roomIds.stream()
                            .map(rooms::get)
                            .filter(r -> r != null)
                            .mapToInt(PlanningDao.Room::seats)
                            .min()
                            .orElse(0);
            f.fail("capacity", "planning.error.capacity.room", smallest);
        }
        String language = f.value("language");
        if (!LANGUAGES.contains(language)) f.fail("language", "planning.error.language");
        Instant opens = opens(f);
        Integer closes = f.integer("closes", 0, 168, "planning.error.closes");
        List<Long> trainers = trainers(f);
        if (weeks != null && !roomIds.isEmpty() && weeks * roomIds.size() > MAX_SERIES_SESSIONS) {
            f.fail("weeks", "planning.error.toomany", MAX_SERIES_SESSIONS);
        }
        if (f.hasErrors()) {
            ctx.status(400);
            renderSeries(ctx, f, null);
            return;
        }
        List<SessionPlan> plans =
                PlanningService.expand(
                        type,
                        roomIds,
                        first,
                        start,
                        wt.get().durationMinutes(),
                        weeks,
                        capacity,
                        language,
                        opens,
                        closes,
                        trainers);
        if (!"create".equals(f.value("action"))) {
            renderSeries(
                    ctx,
                    f,
                    plans.stream()
                            .map(
                                    p ->
                                            new SeriesLine(
                                                    p.start(),
                                                    p.end(),
                                                    rooms.get(p.roomId()).label()))
                            .toList());
            return;
        }
        String name = label.isEmpty() ? wt.get().titleFr() + " — " + first : label;
        planning.createSeries(actor(ctx), name, plans, token);
        ctx.redirect("/admin/sessions?done=series");
    }

    private void renderSeries(Context ctx, Form form, List<SeriesLine> preview) {
        views.render(
                ctx,
                "booking/admin-series.jte",
                new SeriesPage(
                        read(PlanningDao::workshopTypes),
                        read(PlanningDao::rooms),
                        read(PlanningDao::trainers),
                        form,
                        preview));
    }

    static Actor actor(Context ctx) {
        CurrentUser user = CurrentUser.of(ctx);
        return Actor.staff(user.id());
    }
}
