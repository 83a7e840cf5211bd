package fr.sesame.webhooks;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * The town's webhook endpoints: the rule for their URLs, their secrets, and how a delivery is
 * signed.
 */
public final class Webhooks {
    public static final String SIGNATURE = "X-Sesame-Signature";
    public static final String TIMESTAMP = "X-Sesame-Timestamp";
    public static final String DELIVERY = "X-Sesame-Delivery";
    public static final String EVENT = "X-Sesame-Event";
    public static final String EVENT_HOME_USE = "device.home_use";
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new endpoint: its id and the secret, shown once. */
    record Created(long id, String secret) {}

    private final Jdbi jdbi;

    public Webhooks(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Why the URL cannot be used (a message key), or null when it can: https, or http to this
     * machine only (a test receiver); no user name or password in it, no fragment.
     */
    static String urlProblem(String url) {
        if (url == null || url.isBlank()) return "webhooks.error.url.empty";
        if (url.length() > 2000) return "webhooks.error.url.long";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "webhooks.error.url.invalid";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null
                || uri.isOpaque()
                || !(scheme.equals("https") || scheme.equals("http"))) {
            return "webhooks.error.url.invalid";
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null)
            return "webhooks.error.url.credentials";
        if (scheme.equals("http")
                && !LOCAL_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            return "webhooks.error.url.https";
        }
        return null;
    }

    /** The endpoints, the recent deliveries and the failing ones, read on one connection. */
    WebhookController.WebhooksPage page(fr.sesame.web.Form form, String newSecret) {
        return jdbi.withHandle(
                h -> {
                    WebhookDao dao = h.attach(WebhookDao.class);
                    return new WebhookController.WebhooksPage(
                            dao.endpoints(), dao.recent(), dao.failing(), form, newSecret);
                });
    }

    /** Registers an endpoint whose URL passed {@link #urlProblem}; one transaction, audited. */
    Created register(String url, Actor admin) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id =
                jdbi.inTransaction(
                        h -> {
                            WebhookDao dao = h.attach(WebhookDao.class);
                            long created = dao.create(url, secret, admin.staffId());
                            Audit.record(
                                    h,
                                    admin,
                                    "webhook_created",
                                    "webhook_endpoint",
                                    created,
                                    Json.object("url", url));
                            return created;
                        });
        return new Created(id, secret);
    }

    /** Removes an endpoint and its outbox; false when there was none. */
    boolean delete(long endpointId, Actor admin) {
        return jdbi.inTransaction(
                h -> {
                    WebhookDao dao = h.attach(WebhookDao.class);
                    if (dao.delete(endpointId) == 0) return false;
                    Audit.record(h, admin, "webhook_deleted", "webhook_endpoint", endpointId);
                    return true;
                });
    }

    List<WebhookDao.Endpoint> endpoints() {
        return jdbi.withHandle(h -> h.attach(WebhookDao.class).endpoints());
    }

    /**
     * The signature header's value: {@code sha256=} and the hex HMAC-SHA256 of "timestamp.body"
     * with the secret.
     */
    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
