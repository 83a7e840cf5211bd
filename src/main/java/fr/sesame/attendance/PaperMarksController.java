package fr.sesame.attendance;

import fr.sesame.web.CurrentUser;
import fr.sesame.web.Language;
import fr.sesame.web.Refusal;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The marks ticked on the paper sign-in sheet, entered afterwards: the sheet's lines in its order,
 * present, absent or late for each, saved in one submit through the tablet's rule ({@link
 * AttendanceService#markFromPaper}). For the session's trainer and the education service.
 */
public final class PaperMarksController {
    /** The marks a paper sheet records. */
    static final List<String> PAPER_MARKS = List.of("present", "absent", "late");

    /** The page's model. {@code formId} makes the client ids of this form's marks. */
    public record PaperPage(
            AttendanceDao.Session session,
            List<AttendanceDao.SheetLine> lines,
            String formId,
            boolean admin,
            String error,
            Integer saved,
            Map<Long, String> chosen) {
        public List<String> marks() {
            return PAPER_MARKS;
        }

        /** The mark to show ticked: what was just submitted (after a refusal), else the current. */
        public String ticked(AttendanceDao.SheetLine l) {
            return chosen.containsKey(l.guardianId()) ? chosen.get(l.guardianId()) : l.mark();
        }
    }

    private final AttendanceService service;
    private final Views views;

    public PaperMarksController(AttendanceService service, Views views) {
        this.service = service;
        this.views = views;
    }

    private AttendanceDao.Session sessionFor(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        try {
            return service.sessionFor(CurrentUser.of(ctx), id);
        } catch (Refusal e) {
            throw e.kind() == Refusal.Kind.NOT_FOUND
                    ? new NotFoundResponse()
                    : new ForbiddenResponse();
        }
    }

    public void form(Context ctx) {
        AttendanceDao.Session session = sessionFor(ctx);
        Integer saved = null;
        String s = ctx.queryParam("saved");
        if (s != null && s.matches("\\d{1,4}")) saved = Integer.valueOf(s);
        render(ctx, session, null, saved, Map.of());
    }

    /**
     * Fields: {@code form} (the page's id), {@code reason} (optional; an admin changing a closed
     * session's marks gives one) and {@code mark_<guardian id>} for each line ticked (empty: no
     * change). Anything else, or a guardian not on the sheet, is refused whole.
     */
    public void save(Context ctx) {
        AttendanceDao.Session session = sessionFor(ctx);
        CurrentUser user = CurrentUser.of(ctx);
        List<AttendanceDao.SheetLine> lines = service.sheet(session.id());
        Set<Long> onSheet = new HashSet<>();
        for (AttendanceDao.SheetLine l : lines) onSheet.add(l.guardianId());
        Map<Long, String> chosen = new java.util.LinkedHashMap<>();
        String formId = ctx.formParam("form");
        String reason = ctx.formParam("reason");
        boolean valid = formId != null && formId.matches("[0-9a-f-]{36}");
        for (Map.Entry<String, List<String>> field : ctx.formParamMap().entrySet()) {
            String name = field.getKey();
            if (name.equals("form") || name.equals("reason") || name.equals("_csrf")) continue;
            Long guardian = guardianOf(name);
            List<String> values = field.getValue();
            String value = values.size() == 1 ? values.get(0) : null;
            if (guardian == null
                    || !onSheet.contains(guardian)
                    || value == null
                    || !(value.isEmpty() || PAPER_MARKS.contains(value))) {
                valid = false;
                continue;
            }
            if (!value.isEmpty()) chosen.put(guardian, value);
        }
        if (!valid) {
            ctx.status(400);
            render(ctx, session, "attendance.paper.marks.invalid", null, chosen);
            return;
        }
        List<AttendanceService.Mark> marks = new ArrayList<>();
        for (Map.Entry<Long, String> c : chosen.entrySet()) {
            marks.add(
                    new AttendanceService.Mark(
                            session.id(),
                            c.getKey(),
                            c.getValue(),
                            clientId(formId, session.id(), c.getKey(), c.getValue()),
                            null,
                            false,
                            reason));
        }
        try {
            int written = service.markFromPaper(user, session.id(), marks);
            ctx.redirect("/trainer/sessions/" + session.id() + "/paper-marks?saved=" + written);
        } catch (Refusal e) {
            ctx.status(e.status());
            if (e.kind() == Refusal.Kind.FORBIDDEN) throw new ForbiddenResponse();
            render(ctx, session, e.messageKey(), null, chosen, e.args());
        }
    }

    /**
     * The client id of a paper mark: the same form sending the same mark again is replayed, not
     * applied twice (the tablet's idempotency).
     */
    static UUID clientId(String formId, long sessionId, long guardianId, String mark) {
        return UUID.nameUUIDFromBytes(
                ("paper:" + formId + ":" + sessionId + ":" + guardianId + ":" + mark)
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static Long guardianOf(String field) {
        if (!field.matches("mark_\\d{1,18}")) return null;
        return Long.valueOf(field.substring("mark_".length()));
    }

    private void render(
            Context ctx,
            AttendanceDao.Session session,
            String errorKey,
            Integer saved,
            Map<Long, String> chosen,
            Object... args) {
        Object[] shown = args.clone();
        for (int i = 0; i < shown.length; i++) {
            if (shown[i] instanceof java.time.Instant at)
                shown[i] = fr.sesame.web.Dates.time(at, Language.messages(ctx).lang());
        }
        views.render(
                ctx,
                "attendance/paper.jte",
                new PaperPage(
                        session,
                        service.sheet(session.id()),
                        UUID.randomUUID().toString(),
                        CurrentUser.of(ctx).role() == CurrentUser.Role.ADMIN,
                        errorKey == null ? null : Language.messages(ctx).t(errorKey, shown),
                        saved,
                        chosen));
    }
}
