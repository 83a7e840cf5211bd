package fr.sesame.audit;

import fr.sesame.web.CurrentUser;

/**
 * Who makes a change, as the audit log names them: a guardian, a staff member, an API client (by
 * its token), the command line, or the app itself (a timer).
 */
public record Actor(String auditName, Long staffId) {
    /** The administrator who ran a command (create-admin, create-token) on the server. */
    public static final Actor COMMAND_LINE = new Actor("cli", null);

    public static Actor guardian(long guardianId) {
        return new Actor("guardian:" + guardianId, null);
    }

    public static Actor staff(long staffId) {
        return new Actor("staff:" + staffId, staffId);
    }

    public static Actor apiClient(long tokenId) {
        return new Actor("api:" + tokenId, null);
    }

    /** The app itself, doing {@code task} on its own (the retention purge). */
    public static Actor system(String task) {
        return new Actor("system:" + task, null);
    }

    /** The signed-in person or API client making the request. */
    public static Actor of(CurrentUser user) {
        return switch (user.role()) {
            case PARENT -> guardian(user.id());
            case API -> apiClient(user.id());
            case TRAINER, SCHOOL_STAFF, ADMIN -> staff(user.id());
        };
    }

    public boolean isStaff() {
        return staffId != null;
    }
}
