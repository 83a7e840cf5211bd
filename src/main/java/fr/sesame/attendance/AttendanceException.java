package fr.sesame.attendance;

/**
 * A refused attendance request: an HTTP status, a machine-readable code and the message key shown
 * to people.
 */
final class AttendanceException extends RuntimeException {
    final int status;
    final String code;

    /** The message's arguments (none for most). */
    final Object[] args;

    AttendanceException(int status, String code, Object... args) {
        super(code);
        this.status = status;
        this.code = code;
        this.args = args;
    }

    String messageKey() {
        return "attendance.error." + code;
    }
}
