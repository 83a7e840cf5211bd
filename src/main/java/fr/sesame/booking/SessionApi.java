package fr.sesame.booking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.audit.Actor;
import fr.sesame.booking.PlanningService.SessionPlan;
import fr.sesame.json.Json;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Dates;
import fr.sesame.web.Refusal;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GET /api/v1/sessions (read scope) and POST /api/v1/sessions (admin scope). Errors are
 * {"error":{"code":"...","message":"..."}} with "field" when one field is wrong; bad input is a
 * 400.
 */
public final class SessionApi {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern UAI = Pattern.compile("^[0-9]{7}[A-Z]$");
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9-]{8,64}$");
    private static final Duration DEFAULT_RANGE = Duration.ofDays(90);
    private static final Duration MAX_RANGE = Duration.ofDays(400);

    private final PlanningService planning;
    private final BookingService bookings;
    private final PlanningDao planningDao;

    public SessionApi(PlanningService planning, BookingService bookings, PlanningDao planningDao) {
        this.planning = planning;
        this.bookings = bookings;
        this.planningDao = planningDao;
    }

    public void list(Context ctx) {
        String school = ctx.queryParam("school");
        if (school != null && !school.isEmpty() && !UAI.matcher(school).matches())
            throw ApiRefusal.SCHOOL.of("school");
        String uai = school == null || school.isEmpty() ? null : school;
        if (uai != null && !planningDao.schoolExists(uai))
            throw new Refusal(ApiRefusal.SCHOOL_UNKNOWN);
        Instant from = instant(ctx.queryParam("from"), "from", Instant.now());
        Instant to = instant(ctx.queryParam("to"), "to", from.plus(DEFAULT_RANGE));
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_RANGE) > 0)
            throw ApiRefusal.RANGE.of("to");
        List<SessionView> sessions = bookings.sessionsBetween(uai, from, to, 0);
        ctx.json(new SessionList(sessions.stream().map(SessionApi::json).toList()));
    }

    public void create(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject()) throw new Refusal(ApiRefusal.JSON);
        SessionPlan plan = plan(body);
        String key = ctx.header("Idempotency-Key");
        if (key != null && !KEY.matcher(key).matches()) throw ApiRefusal.KEY.of("Idempotency-Key");
        CurrentUser client = CurrentUser.of(ctx);
        long id = planning.createSession(Actor.apiClient(client.id()), plan, key);
        SessionView created = bookings.session(id).orElseThrow();
        ctx.status(201).header("Location", "/api/v1/sessions/" + id).json(json(created));
    }

    private SessionPlan plan(JsonNode b) {
        String code = text(b, "workshop", true);
        PlanningDao.WorkshopType type =
                planningDao
                        .workshopTypeByCode(code)
                        .orElseThrow(() -> ApiRefusal.WORKSHOP.of("workshop"));
        String school = text(b, "school", true);
        if (!UAI.matcher(school).matches()) throw ApiRefusal.SCHOOL.of("school");
        String roomName = text(b, "room", true);
        PlanningDao.Room room =
                planningDao
                        .roomByName(school, roomName)
                        .orElseThrow(() -> ApiRefusal.ROOM.of("room"));
        Instant start = offsetTime(text(b, "start", true), "start");
        String endText = text(b, "end", false);
        Instant end =
                endText == null
                        ? start.plus(Duration.ofMinutes(type.durationMinutes()))
                        : offsetTime(endText, "end");
        if (!end.isAfter(start)) throw ApiRefusal.END.of("end");
        if (!start.isAfter(Instant.now())) throw ApiRefusal.PAST.of("start");
        int capacity = integer(b, "capacity", null, 1, room.seats());
        String language = Optional.ofNullable(text(b, "language", false)).orElse("fr");
        if (!PlanningController.LANGUAGES.contains(language))
            throw ApiRefusal.LANGUAGE.of("language");
        String opensText = text(b, "bookingOpensAt", false);
        Instant opens = opensText == null ? null : offsetTime(opensText, "bookingOpensAt");
        int closes = integer(b, "bookingClosesHours", 2, 0, 168);
        return new SessionPlan(
                type.id(), room.id(), start, end, capacity, language, opens, closes, List.of());
    }

    private static String text(JsonNode b, String field, boolean required) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            if (required) throw ApiRefusal.REQUIRED.of(field);
            return null;
        }
        if (!v.isTextual() || v.asText().length() > 200) throw ApiRefusal.TEXT.of(field);
        return v.asText().trim();
    }

    private static int integer(JsonNode b, String field, Integer byDefault, int min, int max) {
        JsonNode v = b.get(field);
        if ((v == null || v.isNull()) && byDefault != null) return byDefault;
        if (v == null || !v.isInt() || v.asInt() < min || v.asInt() > max)
            throw ApiRefusal.INTEGER.of(field, String.valueOf(min), String.valueOf(max));
        return v.asInt();
    }

    private static Instant offsetTime(String text, String field) {
        return Dates.parseInstant(text).orElseThrow(() -> ApiRefusal.DATETIME.of(field));
    }

    /** A query bound: a date (midnight in Paris) or a date-time with its offset. */
    private static Instant instant(String text, String field, Instant byDefault) {
        if (text == null || text.isEmpty()) return byDefault;
        if (text.length() == 10) {
            return Dates.parseDate(text)
                    .map(d -> d.atStartOfDay(PlanningService.PARIS).toInstant())
                    .orElseThrow(() -> ApiRefusal.DATETIME.of(field));
        }
        return offsetTime(text, field);
    }

    /** A session as the API answers it (openapi.json: Session). */
    record SessionJson(
            long id,
            String workshop,
            Title workshopTitle,
            String school,
            String room,
            String start,
            String end,
            String language,
            int capacity,
            int seatsLeft,
            int waitingCount,
            String status) {}

    /** A title in each language. */
    record Title(String fr, String en) {}

    /** GET /api/v1/sessions: {"sessions":[...]}. */
    record SessionList(List<SessionJson> sessions) {}

    static SessionJson json(SessionView s) {
        return new SessionJson(
                s.id(),
                s.workshopCode(),
                new Title(s.titleFr(), s.titleEn()),
                s.schoolUai(),
                s.roomName(),
                iso(s.startsAt()),
                iso(s.endsAt()),
                s.language(),
                s.capacity(),
                s.cancelled() ? 0 : s.seatsLeft(),
                s.waitingCount(),
                s.status());
    }

    private static String iso(Instant instant) {
        return instant.atZone(PlanningService.PARIS)
                .toOffsetDateTime()
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
