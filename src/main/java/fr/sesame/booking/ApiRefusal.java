package fr.sesame.booking;

import fr.sesame.web.Refusal;

/**
 * Why the sessions API refused a request. Every wrong field is {@code invalid_field} (its message
 * names the field, argument {0}); the messages are {@code api.error.*}.
 */
enum ApiRefusal implements Refusal.Code {
    JSON("invalid_json", Refusal.Kind.INVALID, "api.error.json"),
    SCHOOL_UNKNOWN("not_found", Refusal.Kind.NOT_FOUND, "api.error.school.unknown"),
    REQUIRED("api.error.required"),
    TEXT("api.error.text"),
    /** Arguments: the field, the least and the greatest value. */
    INTEGER("api.error.integer"),
    DATETIME("api.error.datetime"),
    SCHOOL("api.error.school"),
    RANGE("api.error.range"),
    KEY("api.error.key"),
    WORKSHOP("api.error.workshop"),
    ROOM("api.error.room"),
    END("api.error.end"),
    PAST("api.error.past"),
    LANGUAGE("api.error.language");

    private final String code;
    private final Refusal.Kind kind;
    private final String messageKey;

    ApiRefusal(String messageKey) {
        this("invalid_field", Refusal.Kind.INVALID, messageKey);
    }

    ApiRefusal(String code, Refusal.Kind kind, String messageKey) {
        this.code = code;
        this.kind = kind;
        this.messageKey = messageKey;
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
        return messageKey;
    }

    /** The refusal of a wrong field, named in the message and in the answer. */
    Refusal of(String field, Object... more) {
        Object[] args = new Object[more.length + 1];
        args[0] = field;
        System.arraycopy(more, 0, args, 1, more.length);
        return Refusal.ofField(this, field, args);
    }
}
