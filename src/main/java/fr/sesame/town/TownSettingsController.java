package fr.sesame.town;

import fr.sesame.audit.Actor;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Form;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The town admin's page of the town's own settings ({@code /admin/town}). */
public final class TownSettingsController {
    /** The page: the form (what the town set; blank: the default) and the defaults shown. */
    public record TownPage(
            Form form,
            TownSettings.Settings settings,
            TownSettings.Defaults defaults,
            String createdName,
            boolean saved) {}

    private final TownSettings settings;
    private final Views views;

    public TownSettingsController(TownSettings settings, Views views) {
        this.settings = settings;
        this.views = views;
    }

    public void page(Context ctx) {
        TownSettings.Settings s = settings.current();
        Form form = Form.empty();
        TownSettingDao.Stored st = s.stored();
        form.put("name", st.name());
        form.put("contact", st.contact());
        form.put("retentionDays", text(st.retentionDays()));
        form.put("smsSenderName", st.smsSenderName());
        form.put("markingOpensMinutes", text(st.markingOpensMinutes()));
        form.put("personalLinkDays", text(st.personalLinkDays()));
        render(ctx, form, s, "1".equals(ctx.queryParam("saved")));
    }

    public void save(Context ctx) {
        List<String> fields = Arrays.asList(TownSettings.FIELDS);
        Form form = Form.of(ctx, fields, List.of());
        Map<String, String> values = new HashMap<>();
        for (String f : fields) values.put(f, form.value(f));
        TownSettings.Saved saved = settings.save(values, Actor.staff(CurrentUser.of(ctx).id()));
        if (saved.ok()) {
            ctx.redirect("/admin/town?saved=1");
            return;
        }
        saved.errors().forEach(form::fail);
        ctx.status(400);
        render(ctx, form, settings.current(), false);
    }

    private void render(Context ctx, Form form, TownSettings.Settings s, boolean saved) {
        ctx.header("Cache-Control", "no-store");
        views.render(
                ctx,
                "town/settings.jte",
                new TownPage(form, s, settings.defaults(), settings.townName(), saved));
    }

    private static String text(Integer n) {
        return n == null ? "" : n.toString();
    }
}
