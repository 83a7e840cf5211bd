package fr.sesame.booking;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.web.Refusal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The education service's changes to the planning: workshop types, sessions, series; one
 * transaction each.
 */
public final class PlanningService {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** One session to create or the new state of one session. */
    public record SessionPlan(
            long workshopTypeId,
            long roomId,
            Instant start,
            Instant end,
            int capacity,
            String language,
            Instant bookingOpensAt,
            int bookingClosesHours,
            List<Long> trainerIds) {}

    /** A workshop type as the form gives it. */
    public record TypePlan(
            String code,
            String titleFr,
            String titleEn,
            String descriptionFr,
            String descriptionEn,
            int durationMinutes,
            List<String> languages,
            boolean qualifiesForHomeUse,
            boolean requiresCharter,
            int maxActivePerFamily) {}

    private final BookingService bookings;

    public PlanningService(BookingService bookings) {
        this.bookings = bookings;
    }

    /** Creates a workshop type; empty when its code is taken. */
    public Optional<Long> createWorkshopType(Actor actor, TypePlan t) {
        return bookings.inTransaction(
                h -> {
                    Optional<Long> id =
                            h.attach(PlanningDao.class)
                                    .insertWorkshopType(
                                            t.code(),
                                            t.titleFr(),
                                            t.titleEn(),
                                            t.descriptionFr(),
                                            t.descriptionEn(),
                                            t.durationMinutes(),
                                            String.join(",", t.languages()),
                                            t.qualifiesForHomeUse(),
                                            t.requiresCharter(),
                                            t.maxActivePerFamily());
                    id.ifPresent(
                            i ->
                                    Audit.record(
                                            h,
                                            actor,
                                            "create_workshop_type",
                                            "workshop_type",
                                            i,
                                            BookingService.json("code", t.code())));
                    return id;
                });
    }

    public void updateWorkshopType(Actor actor, long id, TypePlan t) {
        bookings.inTransaction(
                h -> {
                    int n =
                            h.attach(PlanningDao.class)
                                    .updateWorkshopType(
                                            id,
                                            t.titleFr(),
                                            t.titleEn(),
                                            t.descriptionFr(),
                                            t.descriptionEn(),
                                            t.durationMinutes(),
                                            String.join(",", t.languages()),
                                            t.qualifiesForHomeUse(),
                                            t.requiresCharter(),
                                            t.maxActivePerFamily());
                    if (n == 0) throw new Refusal(BookingRefusal.NOT_FOUND);
                    Audit.record(h, actor, "update_workshop_type", "workshop_type", id, "{}");
                    return null;
                });
    }

    /** Creates one session; the same form submitted twice creates it once. */
    public long createSession(Actor actor, SessionPlan plan, String formToken) {
        return bookings.inTransaction(
                h -> {
                    PlanningDao dao = h.attach(PlanningDao.class);
                    Optional<Long> again =
                            formToken == null ? Optional.empty() : dao.sessionByToken(formToken);
                    if (again.isPresent()) return again.get();
                    long id = insert(dao, plan, null, formToken);
                    Audit.record(
                            h,
                            actor,
                            "create_session",
                            "workshop_session",
                            id,
                            BookingService.json(
                                    "room",
                                    plan.roomId(),
                                    "start",
                                    plan.start().toString(),
                                    "capacity",
                                    plan.capacity()));
                    return id;
                });
    }

    /**
     * Creates every session of a series in one transaction; the same form submitted twice creates
     * it once.
     */
    public long createSeries(Actor actor, String label, List<SessionPlan> plans, String formToken) {
        return bookings.inTransaction(
                h -> {
                    PlanningDao dao = h.attach(PlanningDao.class);
                    Optional<Long> again =
                            formToken == null ? Optional.empty() : dao.seriesByToken(formToken);
                    if (again.isPresent()) return again.get();
                    long series = dao.insertSeries(label, actor.staffId(), formToken);
                    for (SessionPlan plan : plans) insert(dao, plan, series, null);
                    Audit.record(
                            h,
                            actor,
                            "create_series",
                            "session_series",
                            series,
                            BookingService.json("sessions", plans.size(), "label", label));
                    return series;
                });
    }

    private static long insert(PlanningDao dao, SessionPlan plan, Long series, String formToken) {
        long id =
                dao.insertSession(
                        plan.workshopTypeId(),
                        plan.roomId(),
                        series,
                        plan.start(),
                        plan.end(),
                        plan.capacity(),
                        plan.language(),
                        plan.bookingOpensAt(),
                        plan.bookingClosesHours(),
                        formToken);
        for (long trainer : plan.trainerIds()) dao.assignTrainer(id, trainer);
        return id;
    }

    /**
     * Changes a session. Refused below the seats already taken; a raised capacity goes to the
     * waiting list at once; a new time or place is announced to every booked parent.
     */
    public void updateSession(Actor actor, long id, SessionPlan plan) {
        bookings.inTransaction(
                (h, locks) -> {
                    PlanningDao dao = h.attach(PlanningDao.class);
                    BookingDao bookingDao = h.attach(BookingDao.class);
                    if (locks.sessions(id) == 0) throw new Refusal(BookingRefusal.NOT_FOUND);
                    SessionView before = bookingDao.session(id, 0).orElseThrow();
                    if (before.cancelled()) throw new Refusal(BookingRefusal.CANCELLED);
                    if (plan.capacity() < before.booked())
                        throw new Refusal(BookingRefusal.BELOW_SEATS_TAKEN);
                    if (dao.updateSession(
                                    id,
                                    plan.roomId(),
                                    plan.start(),
                                    plan.end(),
                                    plan.capacity(),
                                    plan.language(),
                                    plan.bookingOpensAt(),
                                    plan.bookingClosesHours())
                            == 0) {
                        throw new Refusal(BookingRefusal.NOT_FOUND);
                    }
                    dao.clearTrainers(id);
                    for (long trainer : plan.trainerIds()) dao.assignTrainer(id, trainer);
                    boolean moved =
                            !before.startsAt().equals(plan.start())
                                    || !before.endsAt().equals(plan.end())
                                    || before.roomId() != plan.roomId();
                    if (moved) bookings.calendar().sessionChanged(h, id);
                    Audit.record(
                            h,
                            actor,
                            "update_session",
                            "workshop_session",
                            id,
                            BookingService.json(
                                    "capacity",
                                    plan.capacity(),
                                    "start",
                                    plan.start().toString(),
                                    "room",
                                    plan.roomId()));
                    if (plan.capacity() > before.capacity())
                        bookings.promote(bookingDao, locks, id, actor);
                    return null;
                });
    }

    /**
     * Cancels a session and every booking of it; each booked parent is told. Cancelling twice
     * changes nothing.
     */
    public int cancelSession(Actor actor, long id) {
        return bookings.inTransaction(
                (h, locks) -> {
                    PlanningDao dao = h.attach(PlanningDao.class);
                    BookingDao bookingDao = h.attach(BookingDao.class);
                    // The families that came (their home use may rest on this session), then the
                    // session, then its bookings,
                    // invitations and waiting entries: the order every booking path follows.
                    long[] attended =
                            dao.attendedFamilies(id).stream().mapToLong(Long::longValue).toArray();
                    locks.allFamilies(attended);
                    if (locks.sessions(id) == 0) throw new Refusal(BookingRefusal.NOT_FOUND);
                    if (dao.cancelSession(id) == 0) return 0;
                    // An attendance at a cancelled session unlocks nothing (V10): the rule decides
                    // again for those families.
                    for (long family : attended)
                        fr.sesame.devices.HomeUse.apply(h, family, actor, null);
                    List<PlanningDao.Ended> cancelled = dao.cancelBookingsOf(id);
                    bookings.calendar().sessionCancelled(h, id);
                    int withdrawn = dao.withdrawWaitingOf(id);
                    Audit.record(
                            h,
                            actor,
                            "cancel_session",
                            "workshop_session",
                            id,
                            BookingService.json(
                                    "bookings_cancelled",
                                    cancelled.size(),
                                    "waiting_withdrawn",
                                    withdrawn));
                    return cancelled.size();
                });
    }

    /** The sessions of a series: every week from the first day, at the same time, in each room. */
    public static List<SessionPlan> expand(
            long typeId,
            List<Long> roomIds,
            LocalDate firstDay,
            LocalTime start,
            int durationMinutes,
            int weeks,
            int capacity,
            String language,
            Instant opensAt,
            int closesHours,
            List<Long> trainers) {
        List<SessionPlan> plans = new ArrayList<>();
        for (int w = 0; w < weeks; w++) {
            LocalDate day = firstDay.plusWeeks(w);
            Instant s = day.atTime(start).atZone(PARIS).toInstant();
            Instant e = day.atTime(start).plusMinutes(durationMinutes).atZone(PARIS).toInstant();
            for (long room : roomIds) {
                plans.add(
                        new SessionPlan(
                                typeId,
                                room,
                                s,
                                e,
                                capacity,
                                language,
                                opensAt,
                                closesHours,
                                trainers));
            }
        }
        return plans;
    }
}
