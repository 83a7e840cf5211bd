package fr.sesame.auth;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * The education service's view of a family's ENT links: which ENT accounts open the family, since
 * when and on what evidence; removing one; confirming an ENT account a parent could not link by
 * themselves. Each change is one transaction with its audit row.
 */
public final class EntLinks {
    /**
     * An ENT account that opens the family. {@code evidence}: roster, child_id, child_name, admin
     * or none.
     */
    public record Link(
            String issuer,
            String subject,
            @ColumnName("guardian_id") long guardianId,
            @ColumnName("guardian_name") String guardianName,
            @ColumnName("linked_at") Instant linkedAt,
            String evidence,
            @ColumnName("linked_by") String linkedBy) {
        /** The message key saying how the link was made. */
        public String evidenceKey() {
            return "ent.links.evidence." + evidence;
        }
    }

    /** An ENT account a parent signed in with the letter code tried to link, without evidence. */
    public record Request(
            long id,
            @ColumnName("guardian_id") long guardianId,
            @ColumnName("guardian_name") String guardianName,
            @ColumnName("ent_name") String entName,
            @ColumnName("requested_at") Instant requestedAt) {}

    /** What a confirmation did. */
    public enum Outcome {
        LINKED,
        ALREADY_LINKED,
        NOT_FOUND
    }

    private final Jdbi jdbi;

    public EntLinks(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Link> links(long familyId) {
        return jdbi.withHandle(h -> h.attach(EntLinkDao.class).links(familyId));
    }

    public List<Request> requests(long familyId) {
        return jdbi.withHandle(h -> h.attach(EntLinkDao.class).requests(familyId));
    }

    /**
     * Removes a link of this family and ends the sessions opened through it; false when there was
     * none.
     */
    public boolean remove(long familyId, String issuer, String subject, Actor admin) {
        return jdbi.inTransaction(
                h -> {
                    EntLinkDao dao = h.attach(EntLinkDao.class);
                    var guardian = dao.unlink(familyId, issuer, subject);
                    if (guardian.isEmpty()) return false;
                    int ended = dao.endSessions(issuer, subject);
                    Audit.record(
                            h,
                            admin,
                            "ent_unlink",
                            "guardian",
                            guardian.get(),
                            (Map.of("issuer", issuer, "sessionsEnded", ended)));
                    return true;
                });
    }

    /**
     * Links the ENT account of a request to its guardian, on the admin's word (evidence 'admin').
     */
    public Outcome confirm(long familyId, long requestId, Actor admin) {
        return jdbi.inTransaction(
                h -> {
                    EntLinkDao dao = h.attach(EntLinkDao.class);
                    var request = dao.request(familyId, requestId);
                    if (request.isEmpty()) return Outcome.NOT_FOUND;
                    EntLinkDao.RequestRow r = request.get();
                    dao.deleteRequest(r.id());
                    if (dao.linkedGuardian(r.issuer(), r.subject()).isPresent())
                        return Outcome.ALREADY_LINKED;
                    dao.linkByAdmin(r.issuer(), r.subject(), r.guardianId(), admin.staffId());
                    Audit.record(
                            h,
                            admin,
                            "ent_link",
                            "guardian",
                            r.guardianId(),
                            (Map.of("issuer", r.issuer(), "via", "admin", "evidence", "admin")));
                    return Outcome.LINKED;
                });
    }

    /** Drops a request without linking; false when there was none. */
    public boolean dismiss(long familyId, long requestId, Actor admin) {
        return jdbi.inTransaction(
                h -> {
                    EntLinkDao dao = h.attach(EntLinkDao.class);
                    var request = dao.request(familyId, requestId);
                    if (request.isEmpty()) return false;
                    dao.deleteRequest(requestId);
                    Audit.record(
                            h,
                            admin,
                            "ent_link_request_dismissed",
                            "guardian",
                            request.get().guardianId(),
                            (Map.of("issuer", request.get().issuer())));
                    return true;
                });
    }
}
