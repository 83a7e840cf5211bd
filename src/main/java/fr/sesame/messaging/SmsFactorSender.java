package fr.sesame.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.sesame.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Sends through SMS Factor's HTTP API (the provider of the State's own booking tool since 2025), as
 * documented at:
 *
 * <ul>
 *   <li>https://dev.smsfactor.com/en/api/sms/send/send-single and the campaign form of the same
 *       {@code POST /send} (https://dev.smsfactor.com/it/api/sms/invio/campagna-sms, in English;
 *       also https://dev.smsfactor.com/en/api/sms/send/short-url): a JSON body {@code {"sms":
 *       {"message": {"text", "pushtype", "sender", "unicode"}, "recipients": {"gsm": [{"gsmsmsid",
 *       "value"}]}}}}, headers {@code Authorization: Bearer <token>} and {@code Accept:
 *       application/json}; numbers written {@code 33612345678} (E.164 without the plus); {@code
 *       pushtype} {@code alert} (transactional, as opposed to {@code marketing}); {@code gsmsmsid}
 *       "an id of your choice to link it to its delivery report": the message's idempotency key.
 *       The answer: {@code status} (1 is OK), {@code message}, {@code ticket} (the campaign's id,
 *       kept as the provider id), {@code cost}, {@code credits}, {@code total}, {@code sent}, and
 *       the numbers filtered out: {@code blacklisted}, {@code duplicated}, {@code invalid}, {@code
 *       npai}, {@code not_allowed}, {@code flood}, {@code country_limit}. "A status -8 doesn't mean
 *       your SMS won't be sent. No need to retry": taken as accepted.
 *   <li>The error statuses, as SMS Factor's own Java SDK reads them (ApiRequestor): -1
 *       authentication, -2 XML, -6 JSON, -7 data error, -3 insufficient credits, -99 unknown.
 *   <li>https://dev.smsfactor.com/en/api/sms/campaigns/history: {@code GET /campaigns} with the
 *       filters {@code destination}, {@code text}, {@code date_start} ({@code Y-m-d H:i:s}), {@code
 *       sort} and {@code length}; the answer's {@code campaigns} have an {@code id} and a {@code
 *       text}.
 * </ul>
 *
 * <p><b>Never twice.</b> SMS Factor documents no refusal of a repeated {@code gsmsmsid} and no
 * lookup by it; so a message in doubt is looked up ({@link #lookup}) among the campaigns sent to
 * its number since its first attempt with its exact text (which holds the guardian's own opt-out
 * link): found, it is marked sent with that campaign's id and not sent again. A lookup that fails
 * makes the message wait, never go blindly.
 *
 * <p><b>Failures.</b> No connection, no answer in time, a 5xx, throttling (429), the anti-flood
 * filter or an unknown error (-99) are transient ({@code retry}); after a request that left (a
 * timeout, a 5xx, a cut connection, an unreadable answer) the message is in doubt. A refusal (an
 * invalid, blacklisted or unreachable number, a bad request such as a refused sender name, no
 * credits, a wrong token) marks the message failed, with a {@code sms.provider.*} reason the admin
 * reads in their language on /admin/outbox and the provider's own words beside it. A number that is
 * not a French mobile in E.164 never reaches the provider. The token is never logged.
 */
public final class SmsFactorSender implements SmsSender {
    /** The real API's base address ({@code SMS_FACTOR_URL} points the tests elsewhere). */
    public static final String DEFAULT_URL = "https://api.smsfactor.com";

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private static final ZoneId PARIS = fr.sesame.web.Dates.PARIS;
    private static final DateTimeFormatter DATE = fr.sesame.web.Dates.SMS_FACTOR;

    private final String baseUrl;
    private final String token;
    private final Duration readTimeout;
    private final HttpClient http;

    public SmsFactorSender(String baseUrl, String token) {
        this(baseUrl, token, CONNECT_TIMEOUT, READ_TIMEOUT);
    }

    public SmsFactorSender(
            String baseUrl, String token, Duration connectTimeout, Duration readTimeout) {
        if (token == null || token.isBlank())
            throw new IllegalArgumentException("SMS Factor needs its token");
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token.strip();
        this.readTimeout = readTimeout;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @Override
    public String name() {
        return "smsfactor";
    }

    @Override
    public Accepted send(Sms sms) throws Failure {
        String to = number(sms);
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode message = root.putObject("sms").putObject("message");
        message.put("text", sms.body());
        message.put("pushtype", "alert");
        message.put("sender", sms.senderName());
        message.put("unicode", SmsParts.isGsm7(sms.body()) ? 0 : 1);
        ArrayNode gsm = ((ObjectNode) root.get("sms")).putObject("recipients").putArray("gsm");
        gsm.addObject().put("gsmsmsid", sms.idempotencyKey()).put("value", to);
        HttpRequest request =
                request("/send")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(root)))
                        .build();
        JsonNode answer = call(request, true);
        int status = answer.path("status").asInt(Integer.MIN_VALUE);
        String said = answer.path("message").asText("");
        String ticket = answer.hasNonNull("ticket") ? answer.get("ticket").asText() : null;
        if (status == 1) {
            if (answer.path("sent").asInt(1) >= 1) return new Accepted(ticket);
            throw filtered(answer, said);
        }
        if (status == -8) return new Accepted(ticket); // documented: "no need to retry"
        throw refusal(status, said);
    }

    @Override
    public Optional<Accepted> lookup(Sms sms, Instant since) throws Failure {
        String to = number(sms);
        String query =
                "destination="
                        + enc(to)
                        + "&text="
                        + enc(sms.body())
                        + "&date_start="
                        + enc(DATE.format(since.minus(Duration.ofMinutes(5)).atZone(PARIS)))
                        + "&sort=-id&length=100";
        JsonNode answer = call(request("/campaigns?" + query).GET().build(), false);
        if (answer.path("status").asInt(Integer.MIN_VALUE) != 1) {
            throw new Failure(
                    "SMS Factor lookup: status "
                            + answer.path("status").asText("?")
                            + " "
                            + answer.path("message").asText(""),
                    true,
                    "sms.provider.lookup",
                    false);
        }
        for (JsonNode campaign : answer.path("campaigns")) {
            if (sms.body().strip().equals(campaign.path("text").asText("").strip()))
                return Optional.of(new Accepted(campaign.path("id").asText(null)));
        }
        return Optional.empty();
    }

    /** The number as SMS Factor writes it; anything but a French mobile never leaves. */
    private static String number(Sms sms) throws Failure {
        if (!FrenchMobile.isE164Mobile(sms.recipient()))
            throw new Failure(
                    "not a French mobile in E.164: refused before sending",
                    false,
                    "sms.provider.number",
                    false);
        return sms.recipient().substring(1);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(readTimeout)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
    }

    /** The answer's JSON; transport failures and HTTP errors as failures. */
    private JsonNode call(HttpRequest request, boolean sending) throws Failure {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new Failure(
                    "SMS Factor unreachable: " + e.getClass().getSimpleName(),
                    true,
                    "sms.provider.unreachable",
                    false);
        } catch (HttpTimeoutException e) {
            throw new Failure(
                    "SMS Factor did not answer in " + readTimeout.toMillis() + " ms",
                    true,
                    "sms.provider.timeout",
                    sending);
        } catch (IOException e) {
            throw new Failure(
                    "SMS Factor connection: " + e.getClass().getSimpleName(),
                    true,
                    "sms.provider.unreachable",
                    sending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", true, "sms.provider.timeout", sending);
        }
        int code = response.statusCode();
        if (code == 429)
            throw new Failure("HTTP 429 (throttled)", true, "sms.provider.throttled", false);
        if (code >= 500) throw new Failure("HTTP " + code, true, "sms.provider.error", sending);
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (IOException | RuntimeException e) {
            body = null;
        }
        if (code == 401 || code == 403)
            throw new Failure("HTTP " + code, false, "sms.provider.auth", false);
        if (body == null || !body.isObject()) {
            if (code >= 400)
                throw new Failure("HTTP " + code, false, "sms.provider.request", false);
            throw new Failure(
                    "SMS Factor answered HTTP " + code + " without JSON",
                    true,
                    "sms.provider.error",
                    sending);
        }
        if (code >= 400 && !body.has("status"))
            throw new Failure("HTTP " + code, false, "sms.provider.request", false);
        return body;
    }

    /** Status 1 but nothing sent: the number was filtered out, and why. */
    private static Failure filtered(JsonNode a, String said) {
        String why;
        String key;
        boolean retry = false;
        if (a.path("invalid").asInt(0) > 0) {
            why = "invalid";
            key = "sms.provider.invalid";
        } else if (a.path("blacklisted").asInt(0) > 0) {
            why = "blacklisted";
            key = "sms.provider.blacklisted";
        } else if (a.path("npai").asInt(0) > 0) {
            why = "npai";
            key = "sms.provider.npai";
        } else if (a.path("not_allowed").asInt(0) > 0 || a.path("country_limit").asInt(0) > 0) {
            why = "not_allowed";
            key = "sms.provider.notallowed";
        } else if (a.path("flood").asInt(0) > 0) {
            why = "flood";
            key = "sms.provider.flood";
            retry = true;
        } else {
            why = "filtered";
            key = "sms.provider.filtered";
        }
        return new Failure("SMS Factor: sent 0 (" + why + ") " + said, retry, key, false);
    }

    private static Failure refusal(int status, String said) {
        String detail = "SMS Factor status " + status + (said.isBlank() ? "" : ": " + said);
        return switch (status) {
            case -1 -> new Failure(detail, false, "sms.provider.auth", false);
            case -3 -> new Failure(detail, false, "sms.provider.credits", false);
            case -2, -6, -7 -> new Failure(detail, false, "sms.provider.request", false);
            case -99 -> new Failure(detail, true, "sms.provider.error", true);
            case Integer.MIN_VALUE ->
                    new Failure(
                            "SMS Factor answered without a status",
                            true,
                            "sms.provider.error",
                            true);
            default -> new Failure(detail, false, "sms.provider.refused", false);
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SmsFactorSender[" + baseUrl + "]"; // never the token
    }
}
