package fr.sesame.family;

import fr.sesame.auth.CurrentUser;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The parent's home: their children, and whether each one's device may go home. */
public final class ParentController {
    /** The model of the parent's home page. */
    public record ParentHome(String name, List<FamilyDao.ChildRow> children, boolean charterMissing) {
    }

    private final Jdbi jdbi;
    private final Views views;

    public ParentController(Jdbi jdbi, Views views) {
        this.jdbi = jdbi;
        this.views = views;
    }

    public void home(Context ctx) {
        CurrentUser parent = ctx.attribute(CurrentUser.class.getName());
        List<FamilyDao.ChildRow> children = jdbi.onDemand(FamilyDao.class).children(parent.familyId());
        views.render(ctx, "family/home.jte", new ParentHome(parent.displayName(), children,
                fr.sesame.devices.HomeUse.charterMissing(jdbi, parent.familyId())));
    }
}
