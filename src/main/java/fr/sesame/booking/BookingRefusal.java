package fr.sesame.booking;

import fr.sesame.web.Refusal;

/** Why a booking change was refused; nothing was written. */
public enum BookingRefusal implements Refusal.Code {
    NOT_FOUND(Refusal.Kind.NOT_FOUND),
    FULL(Refusal.Kind.CONFLICT),
    NOT_FULL(Refusal.Kind.CONFLICT),
    NOT_YET_OPEN(Refusal.Kind.CONFLICT),
    CLOSED(Refusal.Kind.CONFLICT),
    STARTED(Refusal.Kind.CONFLICT),
    CANCELLED(Refusal.Kind.CONFLICT),
    LIMIT_REACHED(Refusal.Kind.CONFLICT),
    ALREADY_BOOKED(Refusal.Kind.CONFLICT),
    SAME_SESSION(Refusal.Kind.CONFLICT),
    OTHER_WORKSHOP(Refusal.Kind.CONFLICT),
    BELOW_SEATS_TAKEN(Refusal.Kind.CONFLICT),
    HISTORY(Refusal.Kind.CONFLICT),
    REASON_REQUIRED(Refusal.Kind.CONFLICT);

    private final Refusal.Kind kind;

    BookingRefusal(Refusal.Kind kind) {
        this.kind = kind;
    }

    @Override
    public String code() {
        return name().toLowerCase();
    }

    @Override
    public Refusal.Kind kind() {
        return kind;
    }

    @Override
    public String messageKey() {
        return "booking.refused." + code();
    }
}
