package fr.sesame.booking;

import fr.sesame.web.Form;
import fr.sesame.web.Refusal;
import fr.sesame.web.Views;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The education service books, moves and cancels on behalf of a family found by name or code (a
 * parent who phones or comes to the desk); the audit log records the staff member and the family.
 */
public final class StaffBookingController {

    /** The model of a family's booking page for staff. */
    public record FamilyPage(
            BookingDao.FamilyCard family,
            List<BookingDao.GuardianChoice> guardians,
            BookingService.FamilyBookings bookings,
            List<SessionView> sessions,
            String token,
            Form form,
            String notice,
            String refusal) {
        public String code() {
            return fr.sesame.auth.LetterCodes.display(family.letterCode());
        }
    }

    private final BookingService service;
    private final Views views;

    public StaffBookingController(BookingService service, Views views) {
        this.service = service;
        this.views = views;
    }

    public void family(Context ctx) {
        long familyId = BookingController.id(ctx, "id");
        String done = ctx.queryParam("done");
        render(
                ctx,
                familyId,
                Form.empty(),
                done != null && List.of("booked", "cancelled", "moved").contains(done)
                        ? "booking.done." + done
                        : null,
                null);
    }

    private void render(Context ctx, long familyId, Form form, String notice, String refusal) {
        BookingDao.FamilyCard family = service.family(familyId).orElseThrow(NotFoundResponse::new);
        List<BookingDao.GuardianChoice> guardians = service.guardians(familyId);
        List<SessionView> sessions =
                service
                        .sessionsBetween(
                                null,
                                Instant.now(),
                                Instant.now().plusSeconds(400L * 86_400),
                                familyId)
                        .stream()
                        .filter(s -> !s.cancelled())
                        .toList();
        views.render(
                ctx,
                "booking/admin-family.jte",
                new FamilyPage(
                        family,
                        guardians,
                        service.familyBookings(familyId),
                        sessions,
                        UUID.randomUUID().toString(),
                        form,
                        notice,
                        refusal));
    }

    public void book(Context ctx) {
        long familyId = BookingController.id(ctx, "id");
        Form form = Form.of(ctx, List.of("session", "guardian"), List.of());
        if (service.family(familyId).isEmpty()) {
            throw new NotFoundResponse();
        }
        Long session = form.id("session", "booking.staff.error.session");
        Long guardian = form.id("guardian", "booking.staff.error.guardian");
        String token = BookingController.token(ctx);
        if (form.hasErrors()) {
            ctx.status(400);
            render(ctx, familyId, form, null, null);
            return;
        }
        try {
            service.book(PlanningController.actor(ctx), familyId, guardian, session, token);
        } catch (Refusal r) {
            ctx.status(r.reason() == BookingRefusal.NOT_FOUND ? 400 : r.status());
            if (r.reason() == BookingRefusal.NOT_FOUND)
                form.fail("session", "booking.staff.error.session");
            render(
                    ctx,
                    familyId,
                    form,
                    null,
                    r.reason() == BookingRefusal.NOT_FOUND ? null : r.messageKey());
            return;
        }
        ctx.redirect("/admin/families/" + familyId + "/bookings?done=booked");
    }

    public void cancel(Context ctx) {
        long familyId = BookingController.id(ctx, "id");
        long bookingId = BookingController.id(ctx, "booking");
        try {
            service.cancel(
                    PlanningController.actor(ctx), familyId, bookingId, ctx.formParam("reason"));
        } catch (Refusal r) {
            BookingController.refused(
                    ctx, r, () -> render(ctx, familyId, Form.empty(), null, r.messageKey()));
            return;
        }
        ctx.redirect("/admin/families/" + familyId + "/bookings?done=cancelled");
    }

    public void move(Context ctx) {
        long familyId = BookingController.id(ctx, "id");
        long bookingId = BookingController.id(ctx, "booking");
        long to;
        try {
            to = Long.parseLong(Optional.ofNullable(ctx.formParam("to")).orElse(""));
        } catch (NumberFormatException e) {
            throw new BadRequestResponse();
        }
        String token = BookingController.token(ctx);
        try {
            service.move(
                    PlanningController.actor(ctx),
                    familyId,
                    bookingId,
                    to,
                    token,
                    ctx.formParam("reason"));
        } catch (Refusal r) {
            BookingController.refused(
                    ctx, r, () -> render(ctx, familyId, Form.empty(), null, r.messageKey()));
            return;
        }
        ctx.redirect("/admin/families/" + familyId + "/bookings?done=moved");
    }
}
