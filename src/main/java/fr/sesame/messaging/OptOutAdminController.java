package fr.sesame.messaging;

import fr.sesame.audit.Actor;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Refusal;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

/**
 * The education service sets or clears a guardian's opt-out from the family's page (the same rule
 * as the link: {@link OptOut}), then goes back to that page.
 */
public final class OptOutAdminController {
    /** Where the family's page is; the controller redirects there. */
    public static final String FAMILY_PAGE = "/admin/roster/families/";

    /** A form that names no guardian or no choice: nothing written. */
    enum Invalid implements Refusal.Code {
        FORM;

        @Override
        public String code() {
            return "opt_out_form";
        }

        @Override
        public Refusal.Kind kind() {
            return Refusal.Kind.INVALID;
        }

        @Override
        public String messageKey() {
            return "roster.family.optout.invalid";
        }
    }

    private final OptOut optOut;

    public OptOutAdminController(OptOut optOut) {
        this.optOut = optOut;
    }

    public void set(Context ctx) {
        long family;
        try {
            family = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        long guardian;
        try {
            guardian = Long.parseLong(String.valueOf(ctx.formParam("guardian")).trim());
        } catch (NumberFormatException e) {
            throw new Refusal(Invalid.FORM);
        }
        String choice = ctx.formParam("opt_out");
        if (!"true".equals(choice) && !"false".equals(choice)) throw new Refusal(Invalid.FORM);
        if (!optOut.setByStaff(
                family, guardian, choice.equals("true"), Actor.of(CurrentUser.of(ctx))))
            throw new NotFoundResponse();
        ctx.redirect(
                FAMILY_PAGE + family + "?optout=" + (choice.equals("true") ? "set" : "cleared"));
    }
}
