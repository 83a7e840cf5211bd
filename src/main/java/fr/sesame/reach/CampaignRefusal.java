package fr.sesame.reach;

import fr.sesame.web.Refusal;

/** Why a campaign was not sent: message {@code reach.staff.error.<code>}. */
enum CampaignRefusal implements Refusal.Code {
    NOBODY(Refusal.Kind.INVALID),
    BAD_FORM(Refusal.Kind.INVALID),
    TOO_LONG(Refusal.Kind.INVALID);

    private final Refusal.Kind kind;

    CampaignRefusal(Refusal.Kind kind) {
        this.kind = kind;
    }

    @Override
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Refusal.Kind kind() {
        return kind;
    }

    @Override
    public String messageKey() {
        return "reach.staff.error." + code();
    }
}
