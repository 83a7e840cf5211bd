package fr.sesame.db;

import java.net.URI;
import java.util.List;

/**
 * The public address of the current town (issue 17): what every link a family or a calendar app
 * receives starts with (letters, e-mails, invitations, feeds, SMS, personal links). The one rule:
 * {@code BASE_URL} with its host name replaced by the town's {@code host}, its scheme, port and
 * path kept (so {@code http://localhost:7070} and town host {@code 127.0.0.1} give {@code
 * http://127.0.0.1:7070}); {@code BASE_URL} itself while the deployment has one town (every host
 * reaches it: today's links), for a town without a host, and outside any town.
 *
 * <p>The current town is the request's (from its host name) or the background pass's (each town in
 * turn): an outbox row is composed in its own town's pass, so its links are its town's.
 */
public final class TownUrls {
    private final String baseUrl;
    private final Towns towns;

    /** The addresses of these towns, from {@code BASE_URL} (no trailing slash). */
    public TownUrls(String baseUrl, Towns towns) {
        this.baseUrl = baseUrl;
        this.towns = towns;
    }

    /** Always {@code BASE_URL}: for code that runs without a database's towns (some tests). */
    public static TownUrls fixed(String baseUrl) {
        return new TownUrls(baseUrl, null);
    }

    /** {@code BASE_URL}: the deployment's own address, the same for every town. */
    public String deployment() {
        return baseUrl;
    }

    /** The current town's base URL, without a trailing slash. */
    public String current() {
        if (towns == null) return baseUrl;
        Long id = towns.current();
        if (id == null) return baseUrl;
        List<Towns.Town> all = towns.all();
        if (all.size() < 2) return baseUrl;
        for (Towns.Town t : all) if (t.id() == id) return of(baseUrl, t.host());
        return baseUrl;
    }

    /** The base URL of the town of this host name ({@code BASE_URL} when it has none). */
    public String of(Towns.Town town) {
        if (towns != null && towns.all().size() < 2) return baseUrl;
        return of(baseUrl, town.host());
    }

    /** The rule: {@code baseUrl} with {@code host} as its host name, when there is one. */
    static String of(String baseUrl, String host) {
        if (host == null || host.isBlank()) return baseUrl;
        URI base = URI.create(baseUrl);
        StringBuilder sb = new StringBuilder(base.getScheme()).append("://").append(host);
        if (base.getPort() != -1) sb.append(':').append(base.getPort());
        if (base.getRawPath() != null) sb.append(base.getRawPath());
        return sb.toString();
    }
}
