package fr.sesame.attendance;

import fr.sesame.web.Refusal;

/**
 * Why a mark, a signature or a closing was refused: the code the tablet's queue reads, and the
 * message {@code attendance.error.<code>}.
 */
enum AttendanceRefusal implements Refusal.Code {
    SESSION_NOT_FOUND(Refusal.Kind.NOT_FOUND),
    NOT_YOUR_SESSION(Refusal.Kind.FORBIDDEN),
    GUARDIAN_NOT_FOUND(Refusal.Kind.NOT_FOUND),
    /** A JSON mark or signature that names no parent: the request is wrong, same message. */
    GUARDIAN_MISSING("guardian_not_found", Refusal.Kind.INVALID),
    NOT_ON_ROSTER(Refusal.Kind.NOT_FOUND),
    SESSION_CLOSED(Refusal.Kind.CONFLICT),
    SESSION_CANCELLED(Refusal.Kind.CONFLICT),
    /** Arguments: the time marking opens and how many minutes before the start. */
    TOO_EARLY(Refusal.Kind.CONFLICT),
    REASON_REQUIRED(Refusal.Kind.INVALID),
    REASON_TOO_LONG(Refusal.Kind.INVALID),
    BAD_MARK(Refusal.Kind.INVALID),
    BAD_CLIENT_ID(Refusal.Kind.INVALID),
    BAD_TIME(Refusal.Kind.INVALID),
    MADE_IN_FUTURE(Refusal.Kind.INVALID),
    BAD_REQUEST(Refusal.Kind.INVALID),
    CLIENT_ID_REUSED(Refusal.Kind.CONFLICT),
    SIGNATURE_EMPTY(Refusal.Kind.INVALID),
    SIGNATURE_INVALID(Refusal.Kind.INVALID),
    SIGNATURE_TOO_LARGE(Refusal.Kind.TOO_LARGE),
    BAD_CHARTER_VERSION(Refusal.Kind.INVALID);

    private final String code;
    private final Refusal.Kind kind;

    AttendanceRefusal(Refusal.Kind kind) {
        this.code = name().toLowerCase();
        this.kind = kind;
    }

    AttendanceRefusal(String code, Refusal.Kind kind) {
        this.code = code;
        this.kind = kind;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public Refusal.Kind kind() {
        return kind;
    }

    @Override
    public String messageKey() {
        return "attendance.error." + code;
    }
}
