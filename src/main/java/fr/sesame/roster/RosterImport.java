package fr.sesame.roster;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The roster import: compares the uploaded files with what the database holds, says what would
 * change and what is wrong (the preview), and applies it all in one transaction (the commit). Both
 * work out the same {@link RosterPlan}: each file read and checked ({@link RosterText}, {@link
 * RosterCsv}), its rows checked ({@link RosterRows}), families grouped ({@link RosterFamilies}),
 * the changes listed; the commit then hands the plan to {@link RosterWriter}. Pupils and guardians
 * are keyed by the external ids of the town's tools, devices by their asset tag.
 */
public final class RosterImport {
    /** The files of one upload; any may be missing (null). */
    public record Files(byte[] pupils, byte[] guardians, byte[] links, byte[] devices) {
        boolean isEmpty() {
            return pupils == null && guardians == null && links == null && devices == null;
        }
    }

    public record Counts(int created, int updated, int unchanged) {
        public int total() {
            return created + updated + unchanged;
        }
    }

    /** What an import would do (or did), and what is wrong with it. */
    public record Outcome(
            List<Problem> problems,
            Counts pupils,
            Counts guardians,
            Counts devices,
            int familiesCreated,
            int familiesMerged,
            int links,
            Map<String, String> encodings) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public boolean changesSomething() {
            return pupils.created
                            + pupils.updated
                            + guardians.created
                            + guardians.updated
                            + devices.created
                            + devices.updated
                            + familiesCreated
                            + familiesMerged
                    > 0;
        }

        String json() {
            return "{\"pupils\":"
                    + counts(pupils)
                    + ",\"guardians\":"
                    + counts(guardians)
                    + ",\"devices\":"
                    + counts(devices)
                    + ",\"familiesCreated\":"
                    + familiesCreated
                    + ",\"familiesMerged\":"
                    + familiesMerged
                    + ",\"links\":"
                    + links
                    + "}";
        }

        private static String counts(Counts c) {
            return "{\"created\":"
                    + c.created
                    + ",\"updated\":"
                    + c.updated
                    + ",\"unchanged\":"
                    + c.unchanged
                    + "}";
        }
    }

    /**
     * Raised inside the commit's transaction to roll it back when the files are not (or no longer)
     * clean.
     */
    static final class Rejected extends RuntimeException {
        final transient Outcome outcome;

        Rejected(Outcome outcome) {
            super("roster import rejected", null, false, false);
            this.outcome = outcome;
        }
    }

    private final Jdbi jdbi;

    public RosterImport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What committing these files would do; writes nothing. */
    public Outcome preview(Files files) {
        return jdbi.inTransaction(
                h -> {
                    h.execute("set transaction read only");
                    return RosterPlan.of(RosterState.load(h.attach(RosterDao.class)), files)
                            .outcome();
                });
    }

    /**
     * Keeps the uploaded files until the admin commits them (or the retention purge forgets them).
     */
    long saveUpload(
            long staffId,
            byte[] pupils,
            byte[] guardians,
            byte[] links,
            byte[] devices,
            String fileNamesJson) {
        return jdbi.onDemand(RosterDao.class)
                .saveUpload(staffId, pupils, guardians, links, devices, fileNamesJson);
    }

    Optional<RosterDao.Upload> upload(long id) {
        return jdbi.onDemand(RosterDao.class).upload(id);
    }

    /**
     * Applies the files all at once, or nothing when any problem remains; the audit row is in the
     * same transaction.
     */
    public Outcome commit(Files files, Actor actor, Long uploadId) {
        try {
            return jdbi.inTransaction(
                    h -> {
                        RosterDao dao = h.attach(RosterDao.class);
                        dao.lockImports();
                        RosterPlan plan = RosterPlan.of(RosterState.load(dao), files);
                        Outcome outcome = plan.outcome();
                        if (!outcome.ok()) throw new Rejected(outcome);
                        RosterWriter.write(dao, plan, actor.auditName());
                        Audit.record(
                                h,
                                actor,
                                "roster_import",
                                "roster_upload",
                                uploadId,
                                outcome.json());
                        if (uploadId != null) dao.markCommitted(uploadId);
                        return outcome;
                    });
        } catch (Rejected r) {
            return r.outcome;
        } catch (org.jdbi.v3.core.JdbiException e) {
            throw new NotApplied(e);
        }
    }

    /**
     * The database refused the import as a whole (nothing was written): the admin may try again.
     */
    public static final class NotApplied extends RuntimeException {
        NotApplied(Throwable cause) {
            super(cause);
        }
    }
}
