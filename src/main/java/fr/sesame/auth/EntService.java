package fr.sesame.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.Config;
import io.javalin.http.Context;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Parents' sign-in through the school's ENT: the OpenID flow ({@link EntProvider}), then the link between the
 * ENT account and a guardian of the roster. Never creates a family from claims alone.
 */
public final class EntService {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The guardian an ENT account signs in as, and how the link was found. */
    record Linked(long guardianId, String issuer, String subject, String via) {
    }

    private final Config.Ent ent;
    private final Jdbi jdbi;
    private final EntProvider provider;
    private final EntLogoutTokens logoutTokens;

    /** {@code ent} is null when no ENT is configured: ENT sign-in is then off. */
    public EntService(Config.Ent ent, String baseUrl, Jdbi jdbi, WebSessions sessions) {
        this.ent = ent;
        this.jdbi = jdbi;
        this.provider = ent == null ? null : new EntProvider(ent, baseUrl, sessions);
        this.logoutTokens = ent == null ? null : new EntLogoutTokens(ent.clientId(), provider);
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
     * Completes the flow and finds the guardian. {@code codeGuardianId} is the guardian already signed in with
     * a letter code in this browser: the ENT account is then linked to them.
     */
    Linked complete(Context ctx, Long codeGuardianId) throws EntFailure {
        EntProvider.Verified verified = provider.verifyCallback(ctx);
        var userinfo = provider.userinfo(verified.accessToken());
        var userinfoSub = userinfo.get("sub");
        if (userinfoSub != null && userinfoSub.isValueNode() && !userinfoSub.asText().equals(verified.subject())) {
            throw EntFailure.unverified("userinfo sub differs from the ID token's", null);
        }
        EntClaims claims = EntClaims.read(verified.idToken().getClaims(), userinfo, ent);
        if (!claims.isParent(ent.parentTypes())) {
            throw new EntFailure(EntFailure.Reason.NOT_A_PARENT, 403, "account type " + claims.typeForLog());
        }
        return link(verified.issuer(), verified.subject(), claims, codeGuardianId);
    }

    /** Verifies a back-channel logout token; the caller ends that account's sessions. */
    EntLogoutTokens.Subject verifyLogoutToken(String token) throws EntLogoutTokens.Rejected {
        return logoutTokens.verify(token);
    }

    /**
     * The guardian of an ENT account, in this order: the one it is already linked to; the one whose ENT id (in
     * the roster) is the account's sub or externalId; the guardian signed in with a letter code in this browser,
     * unless the account's children belong to other families (a shared computer must not tie one parent's ENT
     * account to another's family); the family of the account's children. The link and the sign-in are audited.
     */
    private Linked link(String issuer, String subject, EntClaims claims, Long codeGuardianId) throws EntFailure {
        return jdbi.inTransaction(handle -> {
            EntDao dao = handle.attach(EntDao.class);
            AccountDao accounts = handle.attach(AccountDao.class);
            Optional<Long> known = dao.linkedGuardian(issuer, subject);
            Optional<Long> bySub = known.isPresent() ? Optional.empty() : dao.guardianByEntId(subject);
            Optional<Long> byExternalId = known.isPresent() || bySub.isPresent() || claims.externalId() == null
                    ? Optional.empty() : dao.guardianByEntId(claims.externalId());
            List<Long> families = claims.childrenIds().isEmpty() ? List.of()
                    : dao.familiesOfChildren(claims.childrenIds());
            Optional<Long> codeFamily = codeGuardianId == null ? Optional.empty()
                    : accounts.guardian(codeGuardianId).map(AccountDao.Guardian::familyId);
            long guardian;
            String via;
            if (known.isPresent()) {
                guardian = known.get();
                via = "ent_account";
            } else if (bySub.isPresent()) {
                guardian = bySub.get();
                via = "guardian_ent_id";
            } else if (byExternalId.isPresent()) {
                guardian = byExternalId.get();
                via = "external_id";
            } else if (codeFamily.isPresent() && (families.isEmpty() || families.contains(codeFamily.get()))) {
                guardian = codeGuardianId;
                via = "letter_code";
            } else {
                guardian = byChildren(dao, claims, families);
                via = "children";
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("issuer", issuer);
            details.put("via", via);
            details.put("schools", claims.schools());
            String actor = "guardian:" + guardian;
            if (known.isEmpty()) {
                dao.link(issuer, subject, guardian);
                accounts.audit(actor, "ent_link", "guardian", guardian, json(details));
            }
            accounts.audit(actor, "sign_in_ent", "guardian", guardian, json(details));
            return new Linked(guardian, issuer, subject, via);
        });
    }

    /**
     * In the family of the account's children (exactly one), the guardian of the same name, else the first
     * guardian not yet linked to an ENT account, else the first guardian.
     */
    private static long byChildren(EntDao dao, EntClaims claims, List<Long> families) throws EntFailure {
        if (claims.childrenIds().isEmpty()) {
            throw new EntFailure(EntFailure.Reason.NO_FAMILY, 403, "no children in the claims");
        }
        if (families.isEmpty()) {
            throw new EntFailure(EntFailure.Reason.NO_FAMILY, 403,
                    "none of " + claims.childrenIds().size() + " children is in the roster");
        }
        List<EntDao.GuardianName> guardians = dao.guardiansOf(families);
        String wanted = normalizedName(claims.firstName(), claims.lastName());
        List<EntDao.GuardianName> sameName = wanted == null ? List.of() : guardians.stream()
                .filter(g -> wanted.equals(normalizedName(g.firstName(), g.lastName()))).toList();
        if (sameName.size() == 1) return sameName.get(0).id();
        if (families.size() > 1) {
            throw new EntFailure(EntFailure.Reason.NO_FAMILY, 403,
                    "children in " + families.size() + " families and no single guardian of that name");
        }
        return guardians.stream().filter(g -> !g.linked()).findFirst().orElse(guardians.get(0)).id();
    }

    /** "Aïcha  DA-SILVA" and "aicha da silva" are the same name. */
    static String normalizedName(String first, String last) {
        if (first == null || last == null) return null;
        String joined = Normalizer.normalize(first + " " + last, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]+", " ")
                .trim();
        return joined.isEmpty() ? null : joined;
    }

    private static String json(Map<String, Object> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
