package fr.sesame.attendance;

/** A refused attendance request: an HTTP status, a machine-readable code and the message key shown to people. */
final class AttendanceException extends RuntimeException {
    final int status;
    final String code;

    AttendanceException(int status, String code) {
        super(code);
        this.status = status;
        this.code = code;
    }

    String messageKey() {
        return "attendance.error." + code;
    }
}
