package fr.sesame.booking;

import fr.sesame.auth.CurrentUser;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The trainer's page: the sessions they run (an admin sees every trainer's). */
public final class TrainerController {
    /** The model of the trainer's page. */
    public record TrainerPage(List<TrainerDao.SessionRow> sessions) {
    }

    private final Jdbi jdbi;
    private final Views views;

    public TrainerController(Jdbi jdbi, Views views) {
        this.jdbi = jdbi;
        this.views = views;
    }

    public void sessions(Context ctx) {
        CurrentUser user = ctx.attribute(CurrentUser.class.getName());
        Long staffId = user.role() == CurrentUser.Role.ADMIN ? null : user.id();
        views.render(ctx, "booking/trainer.jte", new TrainerPage(jdbi.onDemand(TrainerDao.class).upcoming(staffId)));
    }
}
