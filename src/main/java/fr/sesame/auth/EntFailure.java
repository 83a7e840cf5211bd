package fr.sesame.auth;

/**
 * Why an ENT sign-in did not go through: what the parent is told (and with which status), and what
 * is logged.
 */
final class EntFailure extends Exception {

    /** What went wrong, as the parent sees it. */
    enum Reason {
        /**
         * No sign-in in progress for this browser, or its state does not match: expired, replayed
         * or tampered.
         */
        EXPIRED("expired", true),
        /** The ENT answered with an error (the parent cancelled, or the ENT refused). */
        REFUSED("refused", true),
        /** The ENT's answer could not be verified (signature, nonce, issuer, audience, expiry). */
        UNVERIFIED("unverified", true),
        /** The ENT is down, unreachable, or answered something unusable. */
        UNAVAILABLE("unavailable", true),
        /** The account is not a parent's (a pupil, a teacher). */
        NOT_A_PARENT("notparent", false),
        /** A parent's account, but no child of the roster matches it. */
        NO_FAMILY("nofamily", false),
        /**
         * In a letter-code session, an ENT account that names none of the family's children: not
         * linked.
         */
        NO_EVIDENCE("noevidence", false);

        final String key;
        final boolean retry;

        Reason(String key, boolean retry) {
            this.key = key;
            this.retry = retry;
        }
    }

    final Reason reason;
    final int status;

    EntFailure(Reason reason, int status, String logDetail) {
        this(reason, status, logDetail, null);
    }

    EntFailure(Reason reason, int status, String logDetail, Throwable cause) {
        super(logDetail, cause);
        this.reason = reason;
        this.status = status;
    }

    static EntFailure expired(String detail) {
        return new EntFailure(Reason.EXPIRED, 400, detail);
    }

    static EntFailure unverified(String detail, Throwable cause) {
        return new EntFailure(Reason.UNVERIFIED, 400, detail, cause);
    }

    /**
     * The provider is unreachable or unusable: 503 before the redirect to it, 502 once it took
     * part.
     */
    static EntFailure unavailable(int status, String detail, Throwable cause) {
        return new EntFailure(Reason.UNAVAILABLE, status, detail, cause);
    }
}
