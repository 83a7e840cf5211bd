package fr.sesame.web;

/**
 * Who is making the request: a parent (a guardian of one family), a staff member, or an API client.
 */
public record CurrentUser(
        Role role, long id, String displayName, Long familyId, Long schoolId, String apiScope) {

    public enum Role {
        PARENT,
        TRAINER,
        SCHOOL_STAFF,
        ADMIN,
        API;

        public String key() {
            return name().toLowerCase();
        }
    }

    public static CurrentUser parent(long guardianId, long familyId, String name) {
        return new CurrentUser(Role.PARENT, guardianId, name, familyId, null, null);
    }

    public static CurrentUser staff(long staffId, Role role, String name, Long schoolId) {
        return new CurrentUser(role, staffId, name, null, schoolId, null);
    }

    public static CurrentUser api(long tokenId, String name, String scope) {
        return new CurrentUser(Role.API, tokenId, name, null, null, scope);
    }

    /** The user the access rule let through for this request (null on a public route). */
    public static CurrentUser of(io.javalin.http.Context ctx) {
        return ctx.attribute(CurrentUser.class.getName());
    }

    public boolean isStaff() {
        return role == Role.TRAINER || role == Role.SCHOOL_STAFF || role == Role.ADMIN;
    }
}
