package fr.sesame.booking;

import fr.sesame.web.CurrentUser;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.util.List;

/** The trainer's page: the sessions they run (an admin sees every trainer's). */
public final class TrainerController {
    /** The model of the trainer's page. */
    public record TrainerPage(List<TrainerDao.SessionRow> sessions) {
        private static java.time.LocalDate day(TrainerDao.SessionRow s) {
            return s.startsAt().atZone(fr.sesame.web.Dates.PARIS).toLocalDate();
        }

        private static java.time.LocalDate currentDay() {
            return java.time.LocalDate.now(fr.sesame.web.Dates.PARIS);
        }

        /** Today's sessions (those still running or to come). */
        public List<TrainerDao.SessionRow> today() {
            return sessions.stream().filter(s -> !day(s).isAfter(currentDay())).toList();
        }

        /** The rest of this week, up to Sunday. */
        public List<TrainerDao.SessionRow> thisWeek() {
            java.time.LocalDate sunday =
                    currentDay()
                            .with(
                                    java.time.temporal.TemporalAdjusters.nextOrSame(
                                            java.time.DayOfWeek.SUNDAY));
            return sessions.stream()
                    .filter(s -> day(s).isAfter(currentDay()) && !day(s).isAfter(sunday))
                    .toList();
        }

        /** After this week. */
        public List<TrainerDao.SessionRow> later() {
            java.time.LocalDate sunday =
                    currentDay()
                            .with(
                                    java.time.temporal.TemporalAdjusters.nextOrSame(
                                            java.time.DayOfWeek.SUNDAY));
            return sessions.stream().filter(s -> day(s).isAfter(sunday)).toList();
        }
    }

    private final TrainerDao trainerDao;
    private final Views views;

    public TrainerController(TrainerDao trainerDao, Views views) {
        this.trainerDao = trainerDao;
        this.views = views;
    }

    public void sessions(Context ctx) {
        CurrentUser user = CurrentUser.of(ctx);
        Long staffId = user.role() == CurrentUser.Role.ADMIN ? null : user.id();
        views.render(ctx, "booking/trainer.jte", new TrainerPage(trainerDao.upcoming(staffId)));
    }
}
