package fr.sesame.attendance;

import fr.sesame.json.Json;
import fr.sesame.web.ApiError;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Language;
import fr.sesame.web.Refusal;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The trainer's attendance sheet on the tablet: marks (forms without JavaScript, JSON from the
 * offline queue), walk-ins, the charter signature and closing the session.
 */
public final class AttendanceSheetController {
    /** The model of the attendance sheet page. */
    public record SheetPage(
            AttendanceDao.Session session,
            List<AttendanceDao.SheetLine> lines,
            AttendanceDao.Charter charter,
            String query,
            List<AttendanceDao.Candidate> candidates,
            List<AttendanceDao.Known> known,
            boolean admin,
            String error,
            Instant markingOpensAt) {
        /**
         * A letter code as the tablet keeps it offline: the first 16 bits of its SHA-256 (of the 8
         * characters, upper case, no dash). A typed code finds its family (and, once in thousands
         * of families, another one too: the trainer picks by name); the whole digest would let
         * anyone with the page try every code offline and read back the codes, which sign a parent
         * in.
         */
        public static String codeDigest(String letterCode) {
            return letterCode == null
                    ? ""
                    : fr.sesame.auth.Tokens.sha256(letterCode).substring(0, CODE_DIGEST_HEX);
        }

        /** Hex digits of the digest kept: 16 bits. */
        public static final int CODE_DIGEST_HEX = 4;

        /** A fresh client id for each form, so that a double submit is applied once. */
        public String newClientId() {
            return UUID.randomUUID().toString();
        }

        public long marked() {
            return lines.stream().filter(l -> l.mark() != null).count();
        }

        public boolean editable() {
            return !session.closed() || admin;
        }

        /**
         * Marking has not opened yet (MARKING_OPENS_MINUTES before the start): the page says when
         * it will.
         */
        public boolean tooEarly() {
            return Instant.now().isBefore(markingOpensAt);
        }
    }

    /** The JSON body of a mark from the tablet's queue. */
    public record MarkBody(
            Long guardianId,
            String mark,
            String clientMarkId,
            String madeAt,
            Boolean walkIn,
            String reason) {}

    /** The JSON body of a signature from the pad. */
    public record SignatureBody(
            Long guardianId,
            String clientId,
            Integer charterVersion,
            String image,
            String signedAt) {}

    private final AttendanceService service;
    private final Views views;
    private final byte[] worker;

    public AttendanceSheetController(AttendanceService service, Views views) {
        this.service = service;
        this.views = views;
        try (InputStream in =
                AttendanceSheetController.class.getResourceAsStream("/public/offline-worker.js")) {
            this.worker = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("offline-worker.js is missing from the classpath", e);
        }
    }

    private static CurrentUser user(Context ctx) {
        return CurrentUser.of(ctx);
    }

    private static long id(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
    }

    /** The session of the address, if this user may mark it; else the page's 404 or 403. */
    private AttendanceDao.Session sessionFor(Context ctx, CurrentUser user) {
        try {
            return service.sessionFor(user, id(ctx, "id"));
        } catch (Refusal e) {
            ctx.status(e.status());
            throw e.kind() == Refusal.Kind.NOT_FOUND
                    ? new NotFoundResponse()
                    : new io.javalin.http.ForbiddenResponse();
        }
    }

    public void sheet(Context ctx) {
        CurrentUser user = user(ctx);
        AttendanceDao.Session session = sessionFor(ctx, user);
        String q = ctx.queryParam("q");
        List<AttendanceDao.Candidate> candidates = q == null ? List.of() : service.search(q);
        String error = ctx.queryParam("error");
        if (error != null && !error.matches("[a-z_]{1,40}")) error = null;
        Instant opensAt = service.markingOpensAt(session);
        String errorText =
                error == null
                        ? null
                        : Language.messages(ctx)
                                .t(
                                        "attendance.error." + error,
                                        messageArgs(
                                                ctx,
                                                error.equals("too_early")
                                                        ? new Object[] {
                                                            opensAt,
                                                            service.markingOpens().toMinutes()
                                                        }
                                                        : new Object[0]));
        views.render(
                ctx,
                "attendance/sheet.jte",
                new SheetPage(
                        session,
                        service.sheet(session.id()),
                        service.currentCharter(),
                        q == null ? "" : q.trim(),
                        candidates,
                        session.closed() && user.role() != CurrentUser.Role.ADMIN
                                ? List.of()
                                : service.schoolGuardians(session.id()),
                        user.role() == CurrentUser.Role.ADMIN,
                        errorText,
                        opensAt));
    }

    /**
     * The paper sign-in sheet of the session (PDF), for a trainer without a tablet: the same lines
     * in the same order as this sheet, where the marks are entered afterwards.
     */
    public void paper(Context ctx) {
        CurrentUser user = user(ctx);
        AttendanceDao.Session session = sessionFor(ctx, user);
        byte[] pdf =
                SignInSheetPdf.render(
                        session, service.sheet(session.id()), Language.messages(ctx).lang());
        ctx.header(
                "Content-Disposition", "inline; filename=\"emargement-" + session.id() + ".pdf\"");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/pdf").result(pdf);
    }

    /**
     * A mark: JSON from the tablet's queue (answers JSON), or a plain form (redirects back to the
     * sheet).
     */
    public void mark(Context ctx) {
        long sessionId = id(ctx, "id");
        boolean json = isJson(ctx);
        try {
            AttendanceService.Mark mark;
            if (json) {
                MarkBody body = parse(ctx, MarkBody.class);
                if (body.guardianId() == null)
                    throw new Refusal(AttendanceRefusal.GUARDIAN_MISSING);
                mark =
                        new AttendanceService.Mark(
                                sessionId,
                                body.guardianId(),
                                normalise(body.mark()),
                                uuid(body.clientMarkId()),
                                instant(body.madeAt()),
                                Boolean.TRUE.equals(body.walkIn()),
                                body.reason());
            } else {
                long guardianId = parseLong(ctx.formParam("guardianId"));
                mark =
                        new AttendanceService.Mark(
                                sessionId,
                                guardianId,
                                normalise(ctx.formParam("mark")),
                                uuid(ctx.formParam("clientMarkId")),
                                null,
                                "true".equals(ctx.formParam("walkIn")),
                                ctx.formParam("reason"));
            }
            AttendanceService.MarkAnswer answer = service.mark(user(ctx), mark);
            if (json) {
                ctx.json(answer);
            } else {
                ctx.redirect("/trainer/sessions/" + sessionId + "#g-" + mark.guardianId());
            }
        } catch (Refusal e) {
            refuse(ctx, e, json, sessionId);
        }
    }

    public void close(Context ctx) {
        long sessionId = id(ctx, "id");
        try {
            service.close(user(ctx), sessionId);
            ctx.redirect("/trainer/sessions/" + sessionId);
        } catch (Refusal e) {
            refuse(ctx, e, isJson(ctx), sessionId);
        }
    }

    public void sign(Context ctx) {
        long sessionId = id(ctx, "id");
        try {
            SignatureBody body = parse(ctx, SignatureBody.class);
            if (body.guardianId() == null) throw new Refusal(AttendanceRefusal.GUARDIAN_MISSING);
            if (body.charterVersion() == null)
                throw new Refusal(AttendanceRefusal.BAD_CHARTER_VERSION);
            ctx.json(
                    service.sign(
                            user(ctx),
                            new AttendanceService.Signature(
                                    sessionId,
                                    body.guardianId(),
                                    uuid(body.clientId()),
                                    body.charterVersion(),
                                    body.image(),
                                    instant(body.signedAt()))));
        } catch (Refusal e) {
            refuse(ctx, e, true, sessionId);
        }
    }

    /**
     * The service worker that keeps the attendance sheet readable offline; its scope is /trainer/.
     */
    public void worker(Context ctx) {
        ctx.contentType("text/javascript; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .result(worker);
    }

    private void refuse(Context ctx, Refusal e, boolean json, long sessionId) {
        ctx.status(e.status());
        String message = Language.messages(ctx).t(e.messageKey(), messageArgs(ctx, e.args()));
        if (json) {
            ctx.json(ApiError.body(e.code(), message));
        } else if (e.kind() == Refusal.Kind.NOT_FOUND) {
            throw new NotFoundResponse();
        } else if (e.kind() == Refusal.Kind.FORBIDDEN) {
            throw new io.javalin.http.ForbiddenResponse();
        } else {
            ctx.status(303).redirect("/trainer/sessions/" + sessionId + "?error=" + e.code());
        }
    }

    /** The opening time of a "too early" refusal is shown as the trainer reads a time. */
    private static Object[] messageArgs(Context ctx, Object[] given) {
        Object[] args = given.clone();
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Instant at)
                args[i] = fr.sesame.web.Dates.time(at, Language.messages(ctx).lang());
        }
        return args;
    }

    private static <T> T parse(Context ctx, Class<T> type) {
        try {
            T body = Json.mapper().readValue(ctx.body(), type);
            if (body == null) throw new Refusal(AttendanceRefusal.BAD_REQUEST);
            return body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Refusal(AttendanceRefusal.BAD_REQUEST);
        }
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.startsWith("application/json");
    }

    private static String normalise(String mark) {
        return mark == null || mark.isBlank() || mark.equals("clear") ? null : mark;
    }

    private static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new Refusal(AttendanceRefusal.BAD_CLIENT_ID);
        }
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) return null;
        return fr.sesame.web.Dates.parseInstant(value)
                .orElseThrow(() -> new Refusal(AttendanceRefusal.BAD_TIME));
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new Refusal(AttendanceRefusal.GUARDIAN_NOT_FOUND);
        }
    }
}
