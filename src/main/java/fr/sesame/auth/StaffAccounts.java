package fr.sesame.auth;

import fr.sesame.Config.ConfigException;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Creating admin accounts from the command line or from ADMIN_EMAIL / ADMIN_PASSWORD. */
public final class StaffAccounts {
    private StaffAccounts() {
    }

    /** On first start, creates the admin of ADMIN_EMAIL / ADMIN_PASSWORD when there is no admin yet. */
    public static boolean ensureFirstAdmin(Jdbi jdbi, String email, String password) {
        if (email == null || email.isBlank()) return false;
        if (jdbi.onDemand(AccountDao.class).anyAdmin()) return false;
        createOrResetAdmin(jdbi, email, password);
        return true;
    }

    /** Creates an admin account, or resets the password of the account with this e-mail and makes it admin-active. */
    public static void createOrResetAdmin(Jdbi jdbi, String email, String password) {
        if (email == null || !email.contains("@") || email.length() > 200) {
            throw new ConfigException("The admin e-mail must be an e-mail address (got '" + email + "').");
        }
        if (password == null || password.length() < 12) {
            throw new ConfigException("The admin password must have at least 12 characters (ADMIN_PASSWORD).");
        }
        String hash = Passwords.hash(password);
        jdbi.useTransaction(h -> {
            AccountDao dao = h.attach(AccountDao.class);
            var existing = dao.staffByEmail(email);
            long id;
            if (existing.isPresent()) {
                if (!existing.get().role().equals("admin")) {
                    throw new ConfigException("A " + existing.get().role() + " account already uses " + email + ".");
                }
                id = existing.get().id();
                dao.setPassword(id, hash);
            } else {
                id = dao.createStaff(email, "Administration", "admin", null, hash);
            }
            dao.audit("cli", "create_admin", "staff_account", id, AdminController.json(Map.of()));
        });
    }
}
