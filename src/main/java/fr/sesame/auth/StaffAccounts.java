package fr.sesame.auth;

import fr.sesame.Config.ConfigException;
import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Staff accounts and API tokens: created by the education service's pages, by the command line, or
 * from ADMIN_EMAIL / ADMIN_PASSWORD on first start. Each change is one transaction with its audit
 * row.
 */
public final class StaffAccounts {
    private final Jdbi jdbi;

    public StaffAccounts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * On first start, creates the admin of ADMIN_EMAIL / ADMIN_PASSWORD when there is no admin yet.
     */
    public boolean ensureFirstAdmin(String email, String password) {
        if (email == null || email.isBlank()) return false;
        if (jdbi.onDemand(AccountDao.class).anyAdmin()) return false;
        createOrResetAdmin(email, password);
        return true;
    }

    /**
     * Creates an admin account, or resets the password of the account with this e-mail and makes it
     * admin-active.
     */
    public void createOrResetAdmin(String email, String password) {
        if (email == null || !email.contains("@") || email.length() > 200) {
            throw new ConfigException(
                    "The admin e-mail must be an e-mail address (got '" + email + "').");
        }
        if (password == null || password.length() < 12) {
            throw new ConfigException(
                    "The admin password must have at least 12 characters (ADMIN_PASSWORD).");
        }
        String hash = Passwords.hash(password);
        jdbi.useTransaction(
                h -> {
                    AccountDao dao = h.attach(AccountDao.class);
                    var existing = dao.staffByEmail(email);
                    long id;
                    if (existing.isPresent()) {
                        if (!existing.get().role().equals("admin")) {
                            throw new ConfigException(
                                    "A "
                                            + existing.get().role()
                                            + " account already uses "
                                            + email
                                            + ".");
                        }
                        id = existing.get().id();
                        dao.setPassword(id, hash);
                    } else {
                        id = dao.createStaff(email, "Administration", "admin", null, hash);
                    }
                    Audit.record(
                            h, Actor.COMMAND_LINE, "create_admin", "staff_account", id, Map.of());
                });
    }

    public List<AccountDao.Staff> all() {
        return jdbi.onDemand(AccountDao.class).allStaff();
    }

    public List<AdminController.SchoolChoice> schoolChoices() {
        return jdbi.onDemand(AccountDao.class).schoolChoices();
    }

    public Optional<Long> schoolIdByUai(String uai) {
        return jdbi.onDemand(AccountDao.class).schoolIdByUai(uai);
    }

    public boolean emailTaken(String email) {
        return jdbi.onDemand(AccountDao.class).staffByEmail(email).isPresent();
    }

    /**
     * Creates a staff account; false when the e-mail is taken (by an admin creating the same one at
     * once).
     */
    public boolean create(
            Actor admin, String email, String name, String role, Long schoolId, String password) {
        String hash = Passwords.hash(password);
        try {
            jdbi.useTransaction(
                    h -> {
                        long id =
                                h.attach(AccountDao.class)
                                        .createStaff(email, name, role, schoolId, hash);
                        Audit.record(
                                h,
                                admin,
                                "create_staff",
                                "staff_account",
                                id,
                                Map.of("role", role));
                    });
            return true;
        } catch (UnableToExecuteStatementException e) {
            // the unique index on the e-mail decides between two admins
            return false;
        }
    }

    /** Enables or disables an account; false when there is none. */
    public boolean setActive(Actor admin, long id, boolean active) {
        return jdbi.inTransaction(
                h -> {
                    int n = h.attach(AccountDao.class).setActive(id, active);
                    if (n > 0)
                        Audit.record(
                                h,
                                admin,
                                active ? "enable_staff" : "disable_staff",
                                "staff_account",
                                id);
                    return n > 0;
                });
    }

    public List<AccountDao.ApiToken> tokens() {
        return jdbi.onDemand(AccountDao.class).tokens();
    }

    /** Creates an API token, returns it (the only time it is seen), stores its hash. */
    public String createToken(Actor by, String name, String scope) {
        String token = Authenticator.newApiToken();
        jdbi.useTransaction(
                h -> {
                    long id =
                            h.attach(AccountDao.class)
                                    .createToken(name, scope, Tokens.sha256(token), by.staffId());
                    Audit.record(h, by, "create_token", "api_token", id, Map.of("scope", scope));
                });
        return token;
    }

    /** Revokes a token; false when there is none (or it was revoked already). */
    public boolean revokeToken(Actor admin, long id) {
        return jdbi.inTransaction(
                h -> {
                    int changed = h.attach(AccountDao.class).revokeToken(id);
                    if (changed > 0) Audit.record(h, admin, "revoke_token", "api_token", id);
                    return changed > 0;
                });
    }
}
