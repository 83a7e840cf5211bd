package fr.sesame.booking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.audit.Actor;
import fr.sesame.booking.PlanningService.SessionPlan;
import fr.sesame.json.Json;
import fr.sesame.web.ApiError;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Dates;
import fr.sesame.web.Language;
import fr.sesame.web.Messages;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Bad input: answered as a 400 naming the field. */
    private static final class Invalid extends RuntimeException {
        final String field;
        final String key;

        Invalid(String field, String key) {
            super(field, null, false, false);
            this.field = field;
            this.key = key;
        }
    }

    private final PlanningService planning;
    private final BookingService bookings;
    private final PlanningDao planningDao;

    public SessionApi(PlanningService planning, BookingService bookings, PlanningDao planningDao) {
        this.planning = planning;
        this.bookings = bookings;
        this.planningDao = planningDao;
    }

    public void list(Context ctx) {
        try {
            String school = ctx.queryParam("school");
            if (school != null && !school.isEmpty() && !UAI.matcher(school).matches())
                throw new Invalid("school", "api.error.school");
            String uai = school == null || school.isEmpty() ? null : school;
            if (uai != null && !planningDao.schoolExists(uai)) {
                ctx.status(404)
                        .json(
                                ApiError.body(
                                        "not_found",
                                        Language.messages(ctx).t("api.error.school.unknown")));
                return;
            }
            Instant from = instant(ctx.queryParam("from"), "from", Instant.now());
            Instant to = instant(ctx.queryParam("to"), "to", from.plus(DEFAULT_RANGE));
            if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_RANGE) > 0)
                throw new Invalid("to", "api.error.range");
            List<SessionView> sessions = bookings.sessionsBetween(uai, from, to, 0);
            ctx.json(Map.of("sessions", sessions.stream().map(SessionApi::json).toList()));
        } catch (Invalid e) {
            invalid(ctx, e);
        }
    }

    public void create(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            ctx.status(400)
                    .json(
                            ApiError.body(
                                    "invalid_json", Language.messages(ctx).t("api.error.json")));
            return;
        }
        try {
            SessionPlan plan = plan(body);
            String key = ctx.header("Idempotency-Key");
            if (key != null && !KEY.matcher(key).matches())
                throw new Invalid("Idempotency-Key", "api.error.key");
            CurrentUser client = CurrentUser.of(ctx);
            long id = planning.createSession(Actor.apiClient(client.id()), plan, key);
            SessionView created = bookings.session(id).orElseThrow();
            ctx.status(201).header("Location", "/api/v1/sessions/" + id).json(json(created));
        } catch (Invalid e) {
            invalid(ctx, e);
        }
    }

    private SessionPlan plan(JsonNode b) {
        String code = text(b, "workshop", true);
        PlanningDao.WorkshopType type =
                planningDao
                        .workshopTypeByCode(code)
                        .orElseThrow(() -> new Invalid("workshop", "api.error.workshop"));
        String school = text(b, "school", true);
        if (!UAI.matcher(school).matches()) throw new Invalid("school", "api.error.school");
        String roomName = text(b, "room", true);
        PlanningDao.Room room =
                planningDao
                        .roomByName(school, roomName)
                        .orElseThrow(() -> new Invalid("room", "api.error.room"));
        Instant start = offsetTime(text(b, "start", true), "start");
        String endText = text(b, "end", false);
        Instant end =
                endText == null
                        ? start.plus(Duration.ofMinutes(type.durationMinutes()))
                        : offsetTime(endText, "end");
        if (!end.isAfter(start)) throw new Invalid("end", "api.error.end");
        if (!start.isAfter(Instant.now())) throw new Invalid("start", "api.error.past");
        int capacity = integer(b, "capacity", null, 1, room.seats());
        String language = Optional.ofNullable(text(b, "language", false)).orElse("fr");
        if (!PlanningController.LANGUAGES.contains(language))
            throw new Invalid("language", "api.error.language");
        String opensText = text(b, "bookingOpensAt", false);
        Instant opens = opensText == null ? null : offsetTime(opensText, "bookingOpensAt");
        int closes = integer(b, "bookingClosesHours", 2, 0, 168);
        return new SessionPlan(
                type.id(), room.id(), start, end, capacity, language, opens, closes, List.of());
    }

    private static String text(JsonNode b, String field, boolean required) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new Invalid(field, "api.error.required");
            return null;
        }
        if (!v.isTextual() || v.asText().length() > 200) throw new Invalid(field, "api.error.text");
        return v.asText().trim();
    }

    private static int integer(JsonNode b, String field, Integer byDefault, int min, int max) {
        JsonNode v = b.get(field);
        if ((v == null || v.isNull()) && byDefault != null) return byDefault;
        if (v == null || !v.isInt() || v.asInt() < min || v.asInt() > max)
            throw new Invalid(field, "api.error.integer:" + min + ":" + max);
        return v.asInt();
    }

    private static Instant offsetTime(String text, String field) {
        return Dates.parseInstant(text).orElseThrow(() -> new Invalid(field, "api.error.datetime"));
    }

    /** A query bound: a date (midnight in Paris) or a date-time with its offset. */
    private static Instant instant(String text, String field, Instant byDefault) {
        if (text == null || text.isEmpty()) return byDefault;
        if (text.length() == 10) {
            return Dates.parseDate(text)
                    .map(d -> d.atStartOfDay(PlanningService.PARIS).toInstant())
                    .orElseThrow(() -> new Invalid(field, "api.error.datetime"));
        }
        return offsetTime(text, field);
    }

    private static void invalid(Context ctx, Invalid e) {
        Messages msg = Language.messages(ctx);
        String[] parts = e.key.split(":");
        String message =
                parts.length == 3
                        ? msg.t(parts[0], e.field, parts[1], parts[2])
                        : msg.t(e.key, e.field);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "invalid_field");
        error.put("message", message);
        error.put("field", e.field);
        ctx.status(400).json(Map.of("error", error));
    }

    static Map<String, Object> json(SessionView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("workshop", s.workshopCode());
        m.put("workshopTitle", Map.of("fr", s.titleFr(), "en", s.titleEn()));
        m.put("school", s.schoolUai());
        m.put("room", s.roomName());
        m.put("start", iso(s.startsAt()));
        m.put("end", iso(s.endsAt()));
        m.put("language", s.language());
        m.put("capacity", s.capacity());
        m.put("seatsLeft", s.cancelled() ? 0 : s.seatsLeft());
        m.put("waitingCount", s.waitingCount());
        m.put("status", s.status());
        return m;
    }

    private static String iso(Instant instant) {
        return instant.atZone(PlanningService.PARIS)
                .toOffsetDateTime()
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
