package fr.sesame.auth;

import fr.sesame.Config;
import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.db.TownUrls;
import io.javalin.http.Context;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Parents' sign-in through the school's ENT: the OpenID flow ({@link EntProvider}), then the link
 * between the ENT account and a guardian of the roster. Never creates a family from claims alone.
 */
public final class EntService {

    /** The guardian an ENT account signs in as, and how the link was found. */
    record Linked(long guardianId, String issuer, String subject, String via) {}

    private final Config.Ent ent;
    private final Jdbi jdbi;
    private final EntProvider provider;
    private final EntLogoutTokens logoutTokens;

    /** {@code ent} is null when no ENT is configured: ENT sign-in is then off. */
    public EntService(Config.Ent ent, TownUrls urls, Jdbi jdbi, LoginSessions sessions) {
        this.ent = ent;
        this.jdbi = jdbi;
        this.provider = ent == null ? null : new EntProvider(ent, urls, sessions);
        this.logoutTokens = ent == null ? null : new EntLogoutTokens(ent.clientId(), provider);
        if (provider != null) provider.initAtStart();
    }

    public boolean enabled() {
        return ent != null;
    }

    /** The ENT's logout URL template (with {callback}), or null. */
    public String logoutUrl() {
        return ent == null ? null : ent.logoutUrl();
    }

    String authorizationUrl(Context ctx) throws EntFailure {
        return provider.authorizationUrl(ctx);
    }

    void forgetAttempt(Context ctx) {
        provider.forgetAttempt(ctx);
    }

    /**
     * Completes the flow and finds the guardian. {@code codeSession} is this browser's letter-code
     * session, if any: the ENT account may then be linked to its family, given evidence.
     */
    Linked complete(Context ctx, LoginSession codeSession) throws EntFailure {
        EntProvider.Verified verified = provider.verifyCallback(ctx);
        var userinfo = provider.userinfo(verified.accessToken());
        var userinfoSub = userinfo.get("sub");
        if (userinfoSub != null
                && userinfoSub.isValueNode()
                && !userinfoSub.asText().equals(verified.subject())) {
            throw EntFailure.unverified("userinfo sub differs from the ID token's", null);
        }
        EntClaims claims = EntClaims.read(verified.idToken().getClaims(), userinfo, ent);
        if (!claims.isParent(ent.parentTypes())) {
            throw new EntFailure(
                    EntFailure.Reason.NOT_A_PARENT, 403, "account type " + claims.typeForLog());
        }
        return link(verified.issuer(), verified.subject(), claims, codeSession);
    }

    /** Verifies a back-channel logout token; the caller ends that account's sessions. */
    EntLogoutTokens.Subject verifyLogoutToken(String token) throws EntLogoutTokens.Rejected {
        return logoutTokens.verify(token);
    }

    /**
     * The guardian of an ENT account, in this order: the one it is already linked to; the one whose
     * ENT id (in the roster) is the account's sub or externalId; in a letter-code session, unless
     * the account's children are in other families, the code's family if the account names one of
     * its children (by the roster's ENT or external id, or by first and last name and school where
     * the roster has no ENT id); else the family of the account's children (by their ENT ids). A
     * letter code alone is no evidence: whoever holds it must not tie any ENT account to the
     * family. The link (with its evidence) and the sign-in are audited.
     */
    private Linked link(String issuer, String subject, EntClaims claims, LoginSession codeSession)
            throws EntFailure {
        Long codeGuardianId = codeSession == null ? null : codeSession.principalId();
        Optional<Linked> linked =
                jdbi.inTransaction(
                        handle -> {
                            EntDao dao = handle.attach(EntDao.class);
                            AccountDao accounts = handle.attach(AccountDao.class);
                            Optional<Long> known = dao.linkedGuardian(issuer, subject);
                            Optional<Long> bySub =
                                    known.isPresent()
                                            ? Optional.empty()
                                            : dao.guardianByEntId(subject);
                            Optional<Long> byExternalId =
                                    known.isPresent()
                                                    || bySub.isPresent()
                                                    || claims.externalId() == null
                                            ? Optional.empty()
                                            : dao.guardianByEntId(claims.externalId());
                            List<Long> families =
                                    claims.childrenIds().isEmpty()
                                            ? List.of()
                                            : dao.familiesOfChildren(claims.childrenIds());
                            Optional<Long> codeFamily =
                                    codeGuardianId == null
                                            ? Optional.empty()
                                            : accounts.guardian(codeGuardianId)
                                                    .map(AccountDao.Guardian::familyId);
                            long guardian;
                            String via;
                            String evidence;
                            if (known.isPresent()) {
                                guardian = known.get();
                                via = "ent_account";
                                evidence = null;
                            } else if (bySub.isPresent()) {
                                guardian = bySub.get();
                                via = "guardian_ent_id";
                                evidence = "roster";
                            } else if (byExternalId.isPresent()) {
                                guardian = byExternalId.get();
                                via = "external_id";
                                evidence = "roster";
                            } else if (codeFamily.isPresent()
                                    && (families.isEmpty()
                                            || families.contains(codeFamily.get()))) {
                                evidence = evidenceFor(dao, codeFamily.get(), claims);
                                if (evidence == null) {
                                    dao.requestLink(
                                            issuer, subject, codeGuardianId, entName(claims));
                                    Audit.record(
                                            handle,
                                            Actor.guardian(codeGuardianId),
                                            "ent_link_refused",
                                            "guardian",
                                            codeGuardianId,
                                            Map.of("issuer", issuer, "reason", "no_evidence"));
                                    return Optional.empty();
                                }
                                guardian =
                                        sameNameOr(
                                                dao.guardiansOf(List.of(codeFamily.get())),
                                                claims,
                                                codeGuardianId);
                                via = "letter_code";
                            } else {
                                guardian = byChildren(dao, claims, families);
                                via = "children";
                                evidence = "child_id";
                            }
                            Map<String, Object> details = new LinkedHashMap<>();
                            details.put("issuer", issuer);
                            details.put("via", via);
                            if (evidence != null) details.put("evidence", evidence);
                            details.put("schools", claims.schools());
                            Actor actor = Actor.guardian(guardian);
                            if (known.isEmpty()) {
                                dao.link(
                                        issuer,
                                        subject,
                                        guardian,
                                        evidence,
                                        "letter_code".equals(via) ? codeSession.idHash : null,
                                        null);
                                Audit.record(
                                        handle, actor, "ent_link", "guardian", guardian, details);
                            }
                            Audit.record(
                                    handle, actor, "sign_in_ent", "guardian", guardian, details);
                            return Optional.of(new Linked(guardian, issuer, subject, via));
                        });
        return linked.orElseThrow(
                () ->
                        new EntFailure(
                                EntFailure.Reason.NO_EVIDENCE,
                                403,
                                "letter-code link refused: the account names none of the family's children"));
    }

    /**
     * What shows that an ENT account belongs to this family: {@code child_id} when its children's
     * ids include one of the family's children (the roster's ENT id or external id), {@code
     * child_name} when it names a child the roster has no ENT id for, with the same first and last
     * name and one of its schools; null when nothing does.
     */
    static String evidenceFor(EntDao dao, long familyId, EntClaims claims) {
        if (!claims.childrenIds().isEmpty()
                && dao.familyHasChildWithId(familyId, claims.childrenIds())) {
            return "child_id";
        }
        if (claims.childrenNames().isEmpty() || claims.schools().isEmpty()) return null;
        List<String> named =
                claims.childrenNames().stream()
                        .map(c -> normalizedName(c.firstName(), c.lastName()))
                        .filter(java.util.Objects::nonNull)
                        .toList();
        List<String> schools =
                claims.schools().stream().map(u -> u.toUpperCase(Locale.ROOT)).toList();
        boolean match =
                dao.childrenWithoutEntId(familyId).stream()
                        .anyMatch(
                                c ->
                                        schools.contains(c.uai())
                                                && named.contains(
                                                        normalizedName(
                                                                c.firstName(), c.lastName())));
        return match ? "child_name" : null;
    }

    /** The guardian of the account's name in the family, else the given one. */
    private static long sameNameOr(
            List<EntDao.GuardianName> guardians, EntClaims claims, long fallback) {
        String wanted = normalizedName(claims.firstName(), claims.lastName());
        List<EntDao.GuardianName> sameName =
                wanted == null
                        ? List.of()
                        : guardians.stream()
                                .filter(
                                        g ->
                                                wanted.equals(
                                                        normalizedName(
                                                                g.firstName(), g.lastName())))
                                .toList();
        return sameName.size() == 1 ? sameName.get(0).id() : fallback;
    }

    /** The account's name as the ENT gives it, shown to the admin who may confirm the link. */
    private static String entName(EntClaims claims) {
        String name =
                ((claims.firstName() == null ? "" : claims.firstName())
                                + " "
                                + (claims.lastName() == null ? "" : claims.lastName()))
                        .trim();
        return name.isEmpty() ? null : name;
    }

    /**
     * In the family of the account's children (exactly one), the guardian of the same name, else
     * the first guardian not yet linked to an ENT account, else the first guardian.
     */
    private static long byChildren(EntDao dao, EntClaims claims, List<Long> families)
            throws EntFailure {
        if (claims.childrenIds().isEmpty()) {
            throw new EntFailure(EntFailure.Reason.NO_FAMILY, 403, "no children in the claims");
        }
        if (families.isEmpty()) {
            throw new EntFailure(
                    EntFailure.Reason.NO_FAMILY,
                    403,
                    "none of " + claims.childrenIds().size() + " children is in the roster");
        }
        List<EntDao.GuardianName> guardians = dao.guardiansOf(families);
        String wanted = normalizedName(claims.firstName(), claims.lastName());
        List<EntDao.GuardianName> sameName =
                wanted == null
                        ? List.of()
                        : guardians.stream()
                                .filter(
                                        g ->
                                                wanted.equals(
                                                        normalizedName(
                                                                g.firstName(), g.lastName())))
                                .toList();
        if (sameName.size() == 1) return sameName.get(0).id();
        if (families.size() > 1) {
            throw new EntFailure(
                    EntFailure.Reason.NO_FAMILY,
                    403,
                    "children in "
                            + families.size()
                            + " families and no single guardian of that name");
        }
        return guardians.stream()
                .filter(g -> !g.linked())
                .findFirst()
                .orElse(guardians.get(0))
                .id();
    }

    /** "Aïcha DA-SILVA" and "aicha da silva" are the same name. */
    static String normalizedName(String first, String last) {
        if (first == null || last == null) return null;
        String joined =
                Normalizer.normalize(first + " " + last, Normalizer.Form.NFD)
                        .replaceAll("\\p{M}", "")
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}]+", " ")
                        .trim();
        return joined.isEmpty() ? null : joined;
    }
}
