package fr.sesame.reach;

import fr.sesame.audit.Actor;
import fr.sesame.roster.DashboardController;
import fr.sesame.roster.DashboardDao;
import fr.sesame.web.CurrentUser;
import fr.sesame.web.Language;
import fr.sesame.web.Messages;
import fr.sesame.web.Refusal;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The education service's campaigns: the preview (who gets what, the texts per language and their
 * SMS parts), the send (one POST per preview's key), a campaign's results and the list of past
 * campaigns. Admin only: school staff see their families to reach but do not send in the town's
 * name (DOMAIN.md: the education service chases untrained families).
 */
public final class CampaignController {
    /** The preview page: the target's fields, the preview, a new key, and an error to show. */
    public record PreviewPage(
            List<DashboardDao.School> schools,
            String school,
            String className,
            String status,
            String language,
            String channel,
            Campaigns.Preview preview,
            String key,
            String error) {
        PreviewPage withError(String text) {
            return new PreviewPage(
                    schools, school, className, status, language, channel, preview, key, text);
        }
    }

    public record ListPage(List<ReachDao.Summary> campaigns) {}

    public record ResultPage(ReachDao.Summary campaign, boolean already) {}

    private final Campaigns campaigns;
    private final Views views;

    public CampaignController(Campaigns campaigns, Views views) {
        this.campaigns = campaigns;
        this.views = views;
    }

    public void list(Context ctx) {
        views.render(ctx, "reach/campaigns.jte", new ListPage(campaigns.recent()));
    }

    public void preview(Context ctx) {
        Fields f = Fields.read(ctx::queryParam);
        List<DashboardDao.School> schools = campaigns.schools();
        Optional<Campaigns.Target> target = f.target(schools);
        if (target.isEmpty()) {
            ctx.status(400);
            views.render(
                    ctx,
                    "reach/preview.jte",
                    f.page(schools, null)
                            .withError(Language.messages(ctx).t("reach.staff.error.bad_form")));
            return;
        }
        Campaigns.Preview preview = campaigns.preview(target.get());
        views.render(ctx, "reach/preview.jte", f.page(schools, preview));
    }

    public void send(Context ctx) {
        Fields f = Fields.read(ctx::formParam);
        List<DashboardDao.School> schools = campaigns.schools();
        Optional<Campaigns.Target> target = f.target(schools);
        UUID key = uuid(ctx.formParam("key"));
        if (target.isEmpty() || key == null) {
            ctx.status(400);
            views.render(
                    ctx,
                    "reach/preview.jte",
                    f.page(schools, null)
                            .withError(Language.messages(ctx).t("reach.staff.error.bad_form")));
            return;
        }
        CurrentUser user = CurrentUser.of(ctx);
        try {
            Campaigns.Sent sent = campaigns.send(key, target.get(), Actor.of(user), user.id());
            ctx.redirect("/admin/campaigns/" + sent.id() + (sent.already() ? "?already=1" : ""));
        } catch (Refusal r) {
            ctx.status(r.kind().status());
            Messages m = Language.messages(ctx);
            views.render(
                    ctx,
                    "reach/preview.jte",
                    f.page(schools, campaigns.preview(target.get()))
                            .withError(m.t(r.reason().messageKey(), r.args())));
        }
    }

    public void show(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new io.javalin.http.NotFoundResponse();
        }
        ReachDao.Summary s =
                campaigns.summary(id).orElseThrow(io.javalin.http.NotFoundResponse::new);
        views.render(
                ctx, "reach/campaign.jte", new ResultPage(s, ctx.queryParam("already") != null));
    }

    private static UUID uuid(String s) {
        if (s == null) return null;
        try {
            return UUID.fromString(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The target as typed: strict (a wrong value is refused, not dropped). */
    private record Fields(
            String school, String className, String status, String language, String channel) {
        static Fields read(java.util.function.Function<String, String> param) {
            return new Fields(
                    nz(param.apply("school")),
                    nz(param.apply("class")),
                    nz(param.apply("status")),
                    nz(param.apply("language")),
                    param.apply("channel") == null ? "both" : param.apply("channel").trim());
        }

        Optional<Campaigns.Target> target(List<DashboardDao.School> schools) {
            if (className.length() > 40
                    || !List.of("", "booked", "not_booked").contains(status)
                    || !(language.isEmpty() || Messages.LANGUAGES.contains(language))
                    || !Campaigns.CHANNELS.contains(channel)) return Optional.empty();
            DashboardDao.School s = null;
            if (!school.isEmpty()) {
                s = schools.stream().filter(x -> x.uai().equals(school)).findFirst().orElse(null);
                if (s == null) return Optional.empty();
            } else if (!className.isEmpty()) return Optional.empty();
            return Optional.of(
                    new Campaigns.Target(
                            s,
                            new DashboardController.Filters(className, status, language),
                            channel));
        }

        PreviewPage page(List<DashboardDao.School> schools, Campaigns.Preview p) {
            return new PreviewPage(
                    schools,
                    school,
                    className,
                    status,
                    language,
                    Campaigns.CHANNELS.contains(channel) ? channel : "both",
                    p,
                    UUID.randomUUID().toString(),
                    null);
        }

        private static String nz(String s) {
            return s == null ? "" : s.trim();
        }
    }
}
