package fr.sesame.devices;

import fr.sesame.web.CurrentUser;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.List;

/** The school's page: its pupils, and whether each one's device may go home (read-only). */
public final class SchoolController {
    /** The model of the school page. */
    public record SchoolPage(
            SchoolDao.School school, List<SchoolDao.School> choices, List<SchoolDao.Pupil> pupils) {
        /** The pupils grouped by class, in the order of the list. */
        public List<ClassGroup> classes() {
            java.util.Map<String, List<SchoolDao.Pupil>> byClass = new java.util.LinkedHashMap<>();
            for (SchoolDao.Pupil p : pupils)
                byClass.computeIfAbsent(p.classLabel(), k -> new java.util.ArrayList<>()).add(p);
            return byClass.entrySet().stream()
                    .map(e -> new ClassGroup(e.getKey(), e.getValue()))
                    .toList();
        }
    }

    /** One class of the school page. */
    public record ClassGroup(String name, List<SchoolDao.Pupil> pupils) {
        public long mayGoHome() {
            return pupils.stream().filter(SchoolDao.Pupil::homeUse).count();
        }
    }

    private final SchoolDao schoolDao;
    private final Views views;

    public SchoolController(SchoolDao schoolDao, Views views) {
        this.schoolDao = schoolDao;
        this.views = views;
    }

    public void pupils(Context ctx) {
        CurrentUser user = CurrentUser.of(ctx);
        SchoolDao dao = schoolDao;
        List<SchoolDao.School> choices;
        SchoolDao.School school;
        if (user.role() == CurrentUser.Role.ADMIN) {
            // An admin picks the school; school staff only ever see their own.
            choices = dao.schools();
            String uai = ctx.queryParam("school");
            school =
                    choices.stream()
                            .filter(s -> uai == null || s.uai().equals(uai))
                            .findFirst()
                            .orElseThrow(NotFoundResponse::new);
        } else {
            choices = List.of();
            school =
                    dao.school(user.schoolId()).stream()
                            .findFirst()
                            .orElseThrow(NotFoundResponse::new);
        }
        views.render(
                ctx,
                "devices/school.jte",
                new SchoolPage(school, choices, dao.pupils(school.id())));
    }
}
