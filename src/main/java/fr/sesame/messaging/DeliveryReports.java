package fr.sesame.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import fr.sesame.json.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS Factor's delivery reports (its DLR webhook, documented at
 * https://dev.smsfactor.com/en/api/sms/webhook/delivery-report): a POST whose raw body is the JSON
 * {@code {"date": "2024-07-25T06:23:06+02:00", "status": 3, "destination": "33612345678",
 * "message_id": "621277", "campaign_id": "15948909", "country_code": "FR"}}, where {@code
 * message_id} is the {@code gsmsmsid} the message was sent with (its idempotency key here) and
 * {@code campaign_id} the ticket its sending answered (its provider id). Each report is stored once
 * in {@code sms_delivery_report} (the same report twice is one row) and the latest is copied onto
 * the message ({@code delivery_status}, and {@code delivered_at} once delivered), shown on
 * /admin/outbox.
 */
public final class DeliveryReports {
    private static final Logger log = LoggerFactory.getLogger(DeliveryReports.class);
    static final String PROVIDER = "smsfactor";

    /** SMS Factor's delivery statuses, by their code (the same page). */
    static final Map<Integer, String> STATUSES =
            Map.ofEntries(
                    Map.entry(0, "not_sent"),
                    Map.entry(1, "sent"),
                    Map.entry(2, "not_delivered"),
                    Map.entry(3, "delivered"),
                    Map.entry(4, "not_allowed"),
                    Map.entry(5, "invalid_destination"),
                    Map.entry(6, "invalid_sender"),
                    Map.entry(7, "route_not_available"),
                    Map.entry(9, "rejected"),
                    Map.entry(11, "network_error"),
                    Map.entry(12, "expired"));

    /** What became of a report. */
    public enum Outcome {
        STORED,
        /** The same report was stored before: nothing new. */
        DUPLICATE,
        /** No message of ours has this reference: nothing stored. */
        UNKNOWN_MESSAGE
    }

    /** The body is not a delivery report (not JSON, no status, no reference, a bad date). */
    public static final class Malformed extends Exception {
        Malformed(String why) {
            super(why);
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public DeliveryReports(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Outcome record(String body) throws Malformed {
        JsonNode r;
        try {
            r = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new Malformed("not JSON");
        }
        if (r == null || !r.isObject()) throw new Malformed("not a JSON object");
        JsonNode statusNode = r.get("status");
        boolean number =
                statusNode != null
                        && (statusNode.isIntegralNumber() && statusNode.canConvertToInt()
                                || statusNode.isTextual()
                                        && statusNode.asText().matches("-?[0-9]{1,4}"));
        if (!number) throw new Malformed("no status");
        int code = statusNode.asInt();
        String ref = text(r, "message_id");
        String campaign = text(r, "campaign_id");
        if (ref == null && campaign == null) throw new Malformed("no message_id nor campaign_id");
        Instant reportedAt = null;
        String date = text(r, "date");
        if (date != null) {
            try {
                reportedAt = OffsetDateTime.parse(date).toInstant();
            } catch (DateTimeParseException e) {
                throw new Malformed("bad date");
            }
        }
        String status = STATUSES.getOrDefault(code, "unknown");
        Instant now = clock.instant();
        Instant at = reportedAt != null ? reportedAt : now;
        Instant when = reportedAt;
        Outcome outcome =
                jdbi.inTransaction(
                        h -> {
                            DeliveryReportDao dao = h.attach(DeliveryReportDao.class);
                            Optional<Long> sms = dao.message(PROVIDER, ref, campaign);
                            if (sms.isEmpty()) return Outcome.UNKNOWN_MESSAGE;
                            int inserted =
                                    dao.insert(
                                            sms.get(), PROVIDER, campaign, ref, status, code, when,
                                            now, body);
                            if (inserted == 0) return Outcome.DUPLICATE;
                            dao.latest(sms.get(), status, at);
                            return Outcome.STORED;
                        });
        log.info("event=sms_delivery_report status={} outcome={}", status, outcome);
        return outcome;
    }

    private static String text(JsonNode r, String field) {
        JsonNode n = r.get(field);
        if (n == null || n.isNull() || !n.isValueNode()) return null;
        String s = n.asText().strip();
        return s.isEmpty() || s.length() > 200 ? null : s;
    }
}
