package fr.sesame.devices;

import fr.sesame.web.Refusal;

/** Why a loan, an end of loan or a read of the change feed was refused. */
enum DeviceRefusal implements Refusal.Code {
    CHILD("device_child", Refusal.Kind.INVALID, "devices.error.child"),
    NOTFOUND("device_notfound", Refusal.Kind.NOT_FOUND, "devices.error.notfound"),
    CHILDHASONE("device_childhasone", Refusal.Kind.CONFLICT, "devices.error.childhasone"),
    NOTAVAILABLE("device_notavailable", Refusal.Kind.CONFLICT, "devices.error.notavailable"),
    STATE("device_state", Refusal.Kind.INVALID, "devices.error.state"),
    /** The change feed's cursor cannot be read. */
    BAD_CURSOR("bad_cursor", Refusal.Kind.INVALID, "api.cursor.bad"),
    /** The change feed's limit is out of range; argument: the largest. */
    BAD_LIMIT("bad_limit", Refusal.Kind.INVALID, "api.limit.bad"),
    /** The cursor is one this server never handed out (beyond every change so far). */
    UNKNOWN_CURSOR("unknown_cursor", Refusal.Kind.INVALID, "api.cursor.future");

    private final String code;
    private final Refusal.Kind kind;
    private final String messageKey;

    DeviceRefusal(String code, Refusal.Kind kind, String messageKey) {
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
}
