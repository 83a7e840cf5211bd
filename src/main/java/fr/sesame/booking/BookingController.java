package fr.sesame.booking;

import fr.sesame.audit.Actor;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Refusal;
import fr.sesame.web.Views;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The parent's booking pages: the sessions to choose from, one session, booking, waiting,
 * cancelling, moving.
 */
public final class BookingController {
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9-]{8,64}$");

    /** The model of the list of sessions: at the children's schools first, then the others. */
    public record SessionsPage(
            List<SessionView> atChildSchools, List<SessionView> others, Instant now) {}

    /**
     * The model of one session's page; sameWorkshop is the family's booking of the same workshop
     * elsewhere.
     */
    public record SessionPage(
            SessionView session,
            String token,
            SeatDao.MyBooking sameWorkshop,
            String refusal,
            Instant now) {
        public boolean open() {
            return session.window(now) == SessionView.BookingWindow.OPEN;
        }
    }

    /** The model of the cancel confirmation page. */
    public record CancelPage(SeatDao.MyBooking booking) {}

    /** The model of the move page: other dates of the same workshop. */
    public record MovePage(
            SeatDao.MyBooking booking, List<SessionView> targets, String token, String refusal) {}

    private final BookingService service;
    private final Views views;

    public BookingController(BookingService service, Views views) {
        this.service = service;
        this.views = views;
    }

    public void sessions(Context ctx) {
        CurrentUser parent = parent(ctx);
        List<SessionView> all = service.bookable(parent.familyId());
        views.render(
                ctx,
                "booking/sessions.jte",
                new SessionsPage(
                        all.stream().filter(SessionView::atChildSchool).toList(),
                        all.stream().filter(s -> !s.atChildSchool()).toList(),
                        Instant.now()));
    }

    public void session(Context ctx) {
        renderSession(ctx, id(ctx, "id"), null);
    }

    private void renderSession(Context ctx, long id, String refusal) {
        CurrentUser parent = parent(ctx);
        BookingService.SessionChoice choice =
                service.sessionFor(id, parent.familyId()).orElseThrow(NotFoundResponse::new);
        SessionPage page =
                new SessionPage(
                        choice.session(),
                        UUID.randomUUID().toString(),
                        choice.sameWorkshop(),
                        refusal,
                        Instant.now());
        views.render(ctx, "booking/session.jte", page);
    }

    public void book(Context ctx) {
        CurrentUser parent = parent(ctx);
        long id = id(ctx, "id");
        String token = token(ctx);
        try {
            service.book(Actor.guardian(parent.id()), parent.familyId(), parent.id(), id, token);
        } catch (Refusal r) {
            refused(ctx, r, () -> renderSession(ctx, id, r.messageKey()));
            return;
        }
        ctx.redirect("/me?done=booked");
    }

    public void joinWaitingList(Context ctx) {
        CurrentUser parent = parent(ctx);
        long id = id(ctx, "id");
        try {
            service.joinWaitingList(
                    Actor.guardian(parent.id()), parent.familyId(), parent.id(), id);
        } catch (Refusal r) {
            refused(ctx, r, () -> renderSession(ctx, id, r.messageKey()));
            return;
        }
        ctx.redirect("/me?done=waiting");
    }

    public void leaveWaitingList(Context ctx) {
        CurrentUser parent = parent(ctx);
        long id = id(ctx, "id");
        boolean mine =
                service.familyBookings(parent.familyId()).waiting().stream()
                        .anyMatch(w -> w.id() == id);
        if (!mine) throw new NotFoundResponse();
        service.leaveWaitingList(Actor.guardian(parent.id()), parent.familyId(), id);
        ctx.redirect("/me?done=left");
    }

    public void cancelConfirm(Context ctx) {
        views.render(ctx, "booking/cancel.jte", new CancelPage(myBooking(ctx)));
    }

    public void cancel(Context ctx) {
        CurrentUser parent = parent(ctx);
        long id = id(ctx, "id");
        try {
            service.cancel(Actor.guardian(parent.id()), parent.familyId(), id);
        } catch (Refusal r) {
            refused(
                    ctx,
                    r,
                    () -> {
                        ctx.status(409);
                        views.render(ctx, "booking/cancel.jte", new CancelPage(myBooking(ctx)));
                    });
            return;
        }
        ctx.redirect("/me?done=cancelled");
    }

    public void moveChoices(Context ctx) {
        renderMove(ctx, myBooking(ctx), null);
    }

    private void renderMove(Context ctx, SeatDao.MyBooking booking, String refusal) {
        CurrentUser parent = parent(ctx);
        List<SessionView> targets =
                service.moveTargets(
                        booking.workshopTypeId(), booking.sessionId(), parent.familyId());
        views.render(
                ctx,
                "booking/move.jte",
                new MovePage(booking, targets, UUID.randomUUID().toString(), refusal));
    }

    public void move(Context ctx) {
        CurrentUser parent = parent(ctx);
        long id = id(ctx, "id");
        long to;
        try {
            to = Long.parseLong(Optional.ofNullable(ctx.formParam("to")).orElse(""));
        } catch (NumberFormatException e) {
            throw new BadRequestResponse();
        }
        String token = token(ctx);
        try {
            service.move(Actor.guardian(parent.id()), parent.familyId(), id, to, token);
        } catch (Refusal r) {
            refused(ctx, r, () -> renderMove(ctx, myBooking(ctx), r.messageKey()));
            return;
        }
        ctx.redirect("/me?done=moved");
    }

    private SeatDao.MyBooking myBooking(Context ctx) {
        long id = id(ctx, "id");
        return service.familyBookings(parent(ctx).familyId()).bookings().stream()
                .filter(b -> b.id() == id)
                .findFirst()
                .orElseThrow(NotFoundResponse::new);
    }

    /**
     * A refusal: 404 for an unknown or foreign id, otherwise 409 and the page again with the
     * reason.
     */
    static void refused(Context ctx, Refusal r, Runnable page) {
        if (r.reason() == BookingRefusal.NOT_FOUND) throw new NotFoundResponse();
        ctx.status(r.status());
        page.run();
    }

    static CurrentUser parent(Context ctx) {
        return CurrentUser.of(ctx);
    }

    static long id(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
    }

    /** The form's one-time token: the same form sent twice books once. */
    static String token(Context ctx) {
        String token = ctx.formParam("token");
        if (token == null || !TOKEN.matcher(token).matches()) throw new BadRequestResponse();
        return token;
    }
}
