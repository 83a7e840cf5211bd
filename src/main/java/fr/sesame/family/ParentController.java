package fr.sesame.family;

import fr.sesame.auth.LoginSessions;
import fr.sesame.booking.BookingService;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/** The parent's home: their children, whether each one's device may go home, and their bookings. */
public final class ParentController {
    private static final Set<String> DONE =
            Set.of("booked", "waiting", "left", "cancelled", "moved");

    /**
     * The model of the parent's home page; done names the change just made (a confirmation), or
     * null; training: where the family stands with the home-use rule.
     */
    public record ParentHome(
            String name,
            List<FamilyDao.ChildRow> children,
            BookingService.FamilyBookings bookings,
            String done,
            FamilyDao.Training training,
            boolean offerEntLink) {
        public boolean allHome() {
            return !children.isEmpty() && children.stream().allMatch(FamilyDao.ChildRow::mayGoHome);
        }

        /**
         * The message key of what is still missing before the devices may go home, the first step
         * first.
         */
        public String missingKey() {
            if ("admin_revoke".equals(training.reason())) return "parent.missing.revoked";
            if (training.charterMissing()) return "parent.device.charter";
            if (training.nextQualifying() != null) {
                return training.nextRequiresCharter()
                        ? "parent.missing.attend.charter"
                        : "parent.missing.attend";
            }
            return training.otherBooked() ? "parent.missing.other" : "parent.missing.book";
        }
    }

    private final FamilyDao familyDao;
    private final Views views;
    private final BookingService booking;

    private final LoginSessions sessions;
    private final boolean entEnabled;

    public ParentController(
            FamilyDao familyDao,
            Views views,
            BookingService booking,
            LoginSessions sessions,
            boolean entEnabled) {
        this.familyDao = familyDao;
        this.views = views;
        this.booking = booking;
        this.sessions = sessions;
        this.entEnabled = entEnabled;
    }

    public void home(Context ctx) {
        CurrentUser parent = CurrentUser.of(ctx);
        List<FamilyDao.ChildRow> children = familyDao.children(parent.familyId());
        String done = ctx.queryParam("done");
        views.render(
                ctx,
                "family/home.jte",
                new ParentHome(
                        parent.displayName(),
                        children,
                        booking.familyBookings(parent.familyId()),
                        done != null && DONE.contains(done) ? done : null,
                        familyDao.training(parent.familyId()),
                        // signed in with the letter code: offer to link the ENT account for next
                        // time
                        entEnabled && sessions.current(ctx).entIssuer() == null));
    }
}
