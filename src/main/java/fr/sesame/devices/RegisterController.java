package fr.sesame.devices;

import fr.sesame.audit.Actor;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Refusal;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The education service's device register: the list, a device's page and history, lending, the
 * return campaign.
 */
public final class RegisterController {
    /** The model of the register page. */
    public record RegisterPage(
            String school,
            String state,
            String query,
            List<SchoolDao.School> schools,
            List<DeviceDao.Device> devices) {}

    /** The model of a device's page. */
    public record DevicePage(
            DeviceDao.Device device,
            List<DeviceDao.Event> history,
            List<DeviceDao.ChildChoice> children,
            Boolean override,
            String error,
            String today) {}

    /** The model of the return campaign page. */
    public record ReturnsPage(
            List<SchoolDao.School> schools,
            SchoolDao.School school,
            List<DeviceDao.Device> devices,
            Integer returned) {}

    private final DeviceDao deviceDao;
    private final SchoolDao schoolDao;
    private final Views views;
    private final Register register;

    public RegisterController(
            DeviceDao deviceDao, SchoolDao schoolDao, Views views, Register register) {
        this.deviceDao = deviceDao;
        this.schoolDao = schoolDao;
        this.views = views;
        this.register = register;
    }

    private static Actor admin(Context ctx) {
        return Actor.of(CurrentUser.of(ctx));
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
    }

    private static String param(Context ctx, String name, int max) {
        String v = Optional.ofNullable(ctx.queryParam(name)).orElse("").trim();
        return v.length() > max ? v.substring(0, max) : v;
    }

    public void list(Context ctx) {
        String school = param(ctx, "school", 8);
        String state = param(ctx, "state", 20);
        String q = param(ctx, "q", 100);
        views.render(
                ctx,
                "devices/register.jte",
                new RegisterPage(
                        school,
                        state,
                        q,
                        schoolDao.schools(),
                        deviceDao.search(school, state, q, 500)));
    }

    public void device(Context ctx) {
        render(ctx, id(ctx), ctx.queryParam("error"));
    }

    private void render(Context ctx, long id, String error) {
        DeviceDao dao = deviceDao;
        DeviceDao.Device device = dao.byId(id).orElseThrow(NotFoundResponse::new);
        Boolean override =
                device.familyId() == null
                        ? null
                        : register.homeUseOverride(device.familyId()).orElse(null);
        if (error != null && !error.matches("devices\\.error\\.[a-z]{1,20}")) error = null;
        views.render(
                ctx,
                "devices/device.jte",
                new DevicePage(
                        device,
                        dao.history(id),
                        device.lent() ? List.of() : dao.childrenWithoutDevice(),
                        override,
                        error,
                        LocalDate.now(fr.sesame.web.Dates.PARIS).toString()));
    }

    public void lend(Context ctx) {
        long id = id(ctx);
        try {
            long child = Long.parseLong(Optional.ofNullable(ctx.formParam("childId")).orElse(""));
            String on = ctx.formParam("lentOn");
            LocalDate date =
                    on == null || on.isBlank()
                            ? LocalDate.now(fr.sesame.web.Dates.PARIS)
                            : fr.sesame.web.Dates.parseDate(on)
                                    .orElseThrow(
                                            () ->
                                                    new DateTimeParseException(
                                                            "out of range", on, 0));
            register.lend(id, child, date, admin(ctx));
            ctx.redirect("/admin/devices/" + id);
        } catch (NumberFormatException e) {
            failed(ctx, id, "devices.error.child");
        } catch (DateTimeParseException e) {
            failed(ctx, id, "devices.error.date");
        } catch (Refusal e) {
            if (e.reason() == DeviceRefusal.NOTFOUND) throw new NotFoundResponse();
            failed(ctx, id, e.messageKey());
        }
    }

    public void state(Context ctx) {
        long id = id(ctx);
        if (deviceDao.byId(id).isEmpty()) throw new NotFoundResponse();
        String state = Optional.ofNullable(ctx.formParam("state")).orElse("");
        String note = Optional.ofNullable(ctx.formParam("reason")).orElse("").trim();
        if (note.isEmpty() || note.length() > 500) {
            failed(ctx, id, "devices.error.reason");
            return;
        }
        try {
            register.end(List.of(id), state, note, admin(ctx));
            ctx.redirect("/admin/devices/" + id);
        } catch (Refusal e) {
            failed(ctx, id, e.messageKey());
        }
    }

    /**
     * The admin grants or revokes the family's home use by hand (or hands it back to the rule),
     * with a reason.
     */
    public void homeUse(Context ctx) {
        long id = id(ctx);
        DeviceDao.Device device = deviceDao.byId(id).orElseThrow(NotFoundResponse::new);
        String decision = Optional.ofNullable(ctx.formParam("decision")).orElse("");
        String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").trim();
        if (device.familyId() == null || !device.lent()) {
            failed(ctx, id, "devices.error.notlent");
            return;
        }
        Boolean allowed =
                switch (decision) {
                    case "grant" -> Boolean.TRUE;
                    case "revoke" -> Boolean.FALSE;
                    case "rule" -> null;
                    default -> {
                        failed(ctx, id, "devices.error.decision");
                        yield null;
                    }
                };
        if (ctx.statusCode() == 400) return;
        if (reason.isEmpty() || reason.length() > 500) {
            failed(ctx, id, "devices.error.reason");
            return;
        }
        register.decideHomeUse(device.familyId(), allowed, reason, admin(ctx));
        ctx.redirect("/admin/devices/" + id);
    }

    private void failed(Context ctx, long id, String key) {
        ctx.status(400);
        render(ctx, id, key);
    }

    public void returns(Context ctx) {
        List<SchoolDao.School> schools = schoolDao.schools();
        String uai = param(ctx, "school", 8);
        SchoolDao.School school =
                schools.stream()
                        .filter(s -> s.uai().equals(uai))
                        .findFirst()
                        .orElse(schools.isEmpty() ? null : schools.get(0));
        List<DeviceDao.Device> devices =
                school == null ? List.of() : deviceDao.toCollect(school.uai());
        Integer returned = null;
        try {
            if (ctx.queryParam("returned") != null)
                returned = Integer.valueOf(ctx.queryParam("returned"));
        } catch (NumberFormatException ignored) {
            // shown only as a notice
        }
        views.render(
                ctx, "devices/returns.jte", new ReturnsPage(schools, school, devices, returned));
    }

    /** Marks the chosen devices returned, all at once or one by one. */
    public void markReturned(Context ctx) {
        List<Long> ids = new ArrayList<>();
        for (String v : ctx.formParams("deviceId")) {
            try {
                ids.add(Long.parseLong(v));
            } catch (NumberFormatException ignored) {
                // a tampered value: skipped
            }
        }
        String uai = Optional.ofNullable(ctx.formParam("school")).orElse("");
        if (!uai.matches("[0-9]{7}[A-Z]")) uai = "";
        int n = register.end(ids, "returned", "return campaign", admin(ctx));
        ctx.redirect("/admin/returns?school=" + uai + "&returned=" + n);
    }

    public void csv(Context ctx) {
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"register.csv\"")
                .result(Csv.register(deviceDao.all()));
    }
}
