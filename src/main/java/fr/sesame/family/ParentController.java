package fr.sesame.family;

import fr.sesame.auth.CurrentUser;
import fr.sesame.auth.WebSessions;
import fr.sesame.booking.BookingService;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** The parent's home: their children, whether each one's device may go home, and their bookings. */
public final class ParentController {
    private static final Set<String> DONE = Set.of("booked", "waiting", "left", "cancelled", "moved");

    /**
     * The model of the parent's home page; done names the change just made (a confirmation), or null;
     * charterMissing: a parent came but the charter is still to sign.
     */
    public record ParentHome(String name, List<FamilyDao.ChildRow> children, BookingService.FamilyBookings bookings,
                             String done, boolean charterMissing, boolean offerEntLink) {
        public boolean allHome() {
            return !children.isEmpty() && children.stream().allMatch(FamilyDao.ChildRow::mayGoHome);
        }
    }

    private final Jdbi jdbi;
    private final Views views;
    private final BookingService booking;

    private final WebSessions sessions;
    private final boolean entEnabled;

    public ParentController(Jdbi jdbi, Views views, BookingService booking, WebSessions sessions, boolean entEnabled) {
        this.jdbi = jdbi;
        this.views = views;
        this.booking = booking;
        this.sessions = sessions;
        this.entEnabled = entEnabled;
    }

    public void home(Context ctx) {
        CurrentUser parent = ctx.attribute(CurrentUser.class.getName());
        List<FamilyDao.ChildRow> children = jdbi.onDemand(FamilyDao.class).children(parent.familyId());
        String done = ctx.queryParam("done");
        views.render(ctx, "family/home.jte", new ParentHome(parent.displayName(), children,
                booking.familyBookings(parent.familyId()), done != null && DONE.contains(done) ? done : null,
                fr.sesame.devices.HomeUse.charterMissing(jdbi, parent.familyId()),
                // signed in with the letter code: offer to link the ENT account for next time
                entEnabled && sessions.current(ctx).entIssuer() == null));
    }
}
