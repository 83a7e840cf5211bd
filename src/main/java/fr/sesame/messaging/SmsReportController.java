package fr.sesame.messaging;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * POST /hooks/sms/{secret}: the SMS provider's delivery reports ({@link DeliveryReports}). The
 * secret in the address ({@code SMS_CALLBACK_SECRET}, given to SMS Factor as the DLR webhook's url)
 * is the credential: compared in constant time, never logged (the request log masks long path
 * segments); without it configured every call is refused. A wrong secret is 403, a body that is not
 * a report 400; a report about no message of ours is answered 200 with nothing stored: the provider
 * retries what it is refused, and a report it will never be able to place (a message of another
 * application on the same account, a database restored from before it was sent) would only come
 * back.
 */
public final class SmsReportController {
    private final DeliveryReports reports;
    private final byte[] secretDigest;

    /** {@code secret} may be null: the callback is then refused to everyone. */
    public SmsReportController(DeliveryReports reports, String secret) {
        this.reports = reports;
        this.secretDigest = secret == null ? null : digest(secret);
    }

    public void report(Context ctx) {
        if (!secretMatches(ctx.pathParam("secret"))) {
            ctx.status(403).result("forbidden");
            return;
        }
        try {
            DeliveryReports.Outcome outcome = reports.record(ctx.body());
            ctx.status(200).result(outcome.name());
        } catch (DeliveryReports.Malformed e) {
            ctx.status(400).result("not a delivery report: " + e.getMessage());
        }
    }

    private boolean secretMatches(String given) {
        if (secretDigest == null || given == null) return false;
        // Digests of equal length: the comparison takes the same time whatever the given value.
        return MessageDigest.isEqual(secretDigest, digest(given));
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
