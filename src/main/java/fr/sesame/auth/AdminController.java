package fr.sesame.auth;

import fr.sesame.audit.Actor;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Form;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The education service's pages for staff accounts and API tokens. */
public final class AdminController {
    private static final Pattern EMAIL =
            Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,185}\\.[^@\\s]{2,}$");
    private static final List<String> ROLES = List.of("admin", "trainer", "school_staff");
    private static final List<String> SCOPES = List.of("read", "it", "admin");

    /** The model of the staff page. */
    public record StaffPage(
            List<AccountDao.Staff> staff, List<SchoolChoice> schools, Form form, String notice) {}

    /** A school to choose for a school-staff account. */
    public record SchoolChoice(String uai, String name) {}

    /** The model of the API tokens page; newToken is shown once, just after creation. */
    public record TokensPage(List<AccountDao.ApiToken> tokens, Form form, String newToken) {}

    private final StaffAccounts accounts;
    private final Views views;
    private final LoginSessions sessions;
    private final java.util.function.LongConsumer staffDisabled;

    /**
     * {@code staffDisabled} hears of each account disabled, after the commit (the calendar forgets
     * its feeds).
     */
    public AdminController(
            StaffAccounts accounts,
            Views views,
            LoginSessions sessions,
            java.util.function.LongConsumer staffDisabled) {
        this.accounts = accounts;
        this.views = views;
        this.sessions = sessions;
        this.staffDisabled = staffDisabled;
    }

    public void home(Context ctx) {
        views.render(ctx, "admin/home.jte");
    }

    public void staff(Context ctx) {
        renderStaff(
                ctx,
                Map.of(),
                Map.of(),
                ctx.queryParam("created") != null ? "admin.staff.created" : null);
    }

    public void createStaff(Context ctx) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String f : List.of("email", "name", "role", "school", "password")) {
            v.put(f, Optional.ofNullable(ctx.formParam(f)).orElse("").trim());
        }
        Map<String, String> errors = new LinkedHashMap<>();
        if (!EMAIL.matcher(v.get("email")).matches())
            errors.put("email", "admin.staff.error.email");
        if (v.get("name").isEmpty() || v.get("name").length() > 120)
            errors.put("name", "admin.staff.error.name");
        if (!ROLES.contains(v.get("role"))) errors.put("role", "admin.staff.error.role");
        Long schoolId = null;
        if ("school_staff".equals(v.get("role"))) {
            schoolId = accounts.schoolIdByUai(v.get("school")).orElse(null);
            if (schoolId == null) errors.put("school", "admin.staff.error.school");
        }
        if (v.get("password").length() < 12 || v.get("password").length() > 200) {
            errors.put("password", "admin.staff.error.password");
        }
        if (errors.isEmpty() && accounts.emailTaken(v.get("email"))) {
            errors.put("email", "admin.staff.error.taken");
        }
        if (!errors.isEmpty()) {
            v.remove("password");
            ctx.status(400);
            renderStaff(ctx, v, errors, null);
            return;
        }
        if (!accounts.create(
                Actor.of(CurrentUser.of(ctx)),
                v.get("email"),
                v.get("name"),
                v.get("role"),
                schoolId,
                v.get("password"))) {
            v.remove("password");
            ctx.status(400);
            renderStaff(ctx, v, Map.of("email", "admin.staff.error.taken"), null);
            return;
        }
        ctx.redirect("/admin/staff?created=1");
    }

    public void setActive(Context ctx) {
        long id = pathId(ctx);
        boolean active = "true".equals(ctx.formParam("active"));
        CurrentUser admin = CurrentUser.of(ctx);
        if (id == admin.id() && !active) {
            ctx.status(400);
            renderStaff(ctx, Map.of(), Map.of(), "admin.staff.error.self");
            return;
        }
        if (!accounts.setActive(Actor.of(admin), id, active)) throw new NotFoundResponse();
        if (!active) {
            sessions.endSessionsOf("staff", id);
            staffDisabled.accept(id);
        }
        ctx.redirect("/admin/staff");
    }

    public void tokens(Context ctx) {
        renderTokens(ctx, Map.of(), Map.of(), null);
    }

    public void createToken(Context ctx) {
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").trim();
        String scope = Optional.ofNullable(ctx.formParam("scope")).orElse("");
        Map<String, String> errors = new LinkedHashMap<>();
        if (name.isEmpty() || name.length() > 100) errors.put("name", "admin.tokens.error.name");
        if (!SCOPES.contains(scope)) errors.put("scope", "admin.tokens.error.scope");
        if (!errors.isEmpty()) {
            ctx.status(400);
            renderTokens(ctx, Map.of("name", name, "scope", scope), errors, null);
            return;
        }
        CurrentUser admin = CurrentUser.of(ctx);
        String token = accounts.createToken(Actor.of(admin), name, scope);
        renderTokens(ctx, Map.of(), Map.of(), token);
    }

    public void revokeToken(Context ctx) {
        long id = pathId(ctx);
        CurrentUser admin = CurrentUser.of(ctx);
        if (!accounts.revokeToken(Actor.of(admin), id)) throw new NotFoundResponse();
        ctx.redirect("/admin/tokens");
    }

    /** The answer of GET /api/v1/me: the token's name and scope. */
    record ApiMe(String name, String scope) {}

    /** GET /api/v1/me: lets an automation check its token. */
    public void apiMe(Context ctx) {
        CurrentUser client = CurrentUser.of(ctx);
        ctx.json(new ApiMe(client.displayName(), client.apiScope()));
    }

    private void renderStaff(
            Context ctx, Map<String, String> values, Map<String, String> errors, String notice) {
        List<SchoolChoice> schools = accounts.schoolChoices();
        views.render(
                ctx,
                "admin/staff.jte",
                new StaffPage(accounts.all(), schools, new Form(values, errors), notice));
    }

    private void renderTokens(
            Context ctx, Map<String, String> values, Map<String, String> errors, String newToken) {
        ctx.header("Cache-Control", "no-store");
        views.render(
                ctx,
                "admin/tokens.jte",
                new TokensPage(accounts.tokens(), new Form(values, errors), newToken));
    }

    static long pathId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
    }
}
