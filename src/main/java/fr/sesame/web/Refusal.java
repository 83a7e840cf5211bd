package fr.sesame.web;

/**
 * A request refused by a rule: nothing was written. It carries a {@link Code} (a stable,
 * machine-readable name, the kind of refusal and the message key shown to people) and the message's
 * arguments; the rules that throw it never know HTTP. {@link Kind} is the one table from a kind of
 * refusal to its HTTP status, and {@link WebApp}'s exception handler answers every refusal a
 * controller does not answer itself: the JSON error body ({@link ApiError}) for the API and JSON
 * requests, the error page in the visitor's language otherwise.
 */
public class Refusal extends RuntimeException {

    /** What kind of refusal, and the one HTTP status it is answered with. */
    public enum Kind {
        /** The request itself is wrong (a field missing or out of range). */
        INVALID(400),
        /** This person may not do this to this thing. */
        FORBIDDEN(403),
        /** No such thing (or not one of yours: the same answer, so ids reveal nothing). */
        NOT_FOUND(404),
        /** The thing's state does not allow it now (full, closed, already done). */
        CONFLICT(409),
        /** Too large to be taken. */
        TOO_LARGE(413);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * A reason for refusing, usually a constant of a feature's enum: its stable code (in JSON
     * answers and redirects), its kind and its message key.
     */
    public interface Code {
        String code();

        Kind kind();

        String messageKey();
    }

    private final Code reason;
    private final String field;
    private final transient Object[] args;

    public Refusal(Code reason, Object... args) {
        this(reason, null, args);
    }

    private Refusal(Code reason, String field, Object[] args) {
        super(reason.code(), null, false, false);
        this.reason = reason;
        this.field = field;
        this.args = args == null ? new Object[0] : args.clone();
    }

    /** A refusal naming the request's field that is wrong. */
    public static Refusal ofField(Code reason, String field, Object... args) {
        return new Refusal(reason, field, args);
    }

    public Code reason() {
        return reason;
    }

    public String code() {
        return reason.code();
    }

    public Kind kind() {
        return reason.kind();
    }

    public int status() {
        return reason.kind().status();
    }

    public String messageKey() {
        return reason.messageKey();
    }

    public Object[] args() {
        return args.clone();
    }

    /** The request's field that is wrong, or null. */
    public String field() {
        return field;
    }

    /** The message in the visitor's language. */
    public String message(Messages messages) {
        return messages.t(messageKey(), args);
    }
}
