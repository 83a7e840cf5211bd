package fr.sesame.booking;

import fr.sesame.demo.DemoSeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The storm's towns (issue 17: "50 towns of 400 pupils each in one database"): the demo town and as
 * many more, each seeded like the demo, each with its own pupils (one per family, with a guardian),
 * each on its own host name; the storm's parents then spread over them. Made before the timed part:
 * the towns by the database's owner (the app's role may not write them), what is in them as the
 * app's role, under row-level security.
 */
final class StormTowns {
    /** A town of the storm: its id, slug and host name. */
    record Town(long id, String slug, String host) {}

    private StormTowns() {}

    /** {@code count} towns of {@code pupils} pupils each, the first being the demo's. */
    static List<Town> make(StormServer server, int count, int pupils) throws Exception {
        List<Town> towns = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            String slug = String.format("t%02d", n);
            String host = slug + ".storm.test";
            long id =
                    n == 1
                            ? server.jdbi()
                                    .withHandle(
                                            h ->
                                                    h.select(
                                                                    "update town set slug = ?, host = ? where id = 1 returning id",
                                                                    slug,
                                                                    host)
                                                            .mapTo(Long.class)
                                                            .one())
                            : server.jdbi()
                                    .withHandle(
                                            h ->
                                                    h.select(
                                                                    "insert into town (slug, name, host) values (?, ?, ?) returning id",
                                                                    slug,
                                                                    "Commune " + slug,
                                                                    host)
                                                            .mapTo(Long.class)
                                                            .one());
            if (n > 1) new DemoSeed(server.jdbiIn(id)).seed();
            server.jdbiIn(id)
                    .useHandle(
                            h ->
                                    h.execute(
                                            """
                            with f as (
                                insert into family (reference) select 'pupil-' || g from generate_series(1, ?) g returning id
                            ), g as (
                                insert into guardian (family_id, first_name, last_name) select id, 'Parent', 'Commune' from f
                            )
                            insert into child (family_id, school_id, first_name, last_name, class_level)
                            select id, (select min(id) from school where town_id = current_town()), 'Enfant', 'Commune', 'CM1' from f""",
                                            pupils));
            towns.add(new Town(id, slug, host));
        }
        awaitKnown(server, towns);
        return towns;
    }

    /** Until the app answers each town on its host (it reads the towns again every 10 s). */
    private static void awaitKnown(StormServer server, List<Town> towns) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (Town town : towns) {
            while (true) {
                HttpResponse<Void> r =
                        client.send(
                                HttpRequest.newBuilder(URI.create(server.url("/sign-in")))
                                        .header("Host", town.host())
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) break;
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException(
                            town.host() + " still answers " + r.statusCode());
                Thread.sleep(500);
            }
        }
    }
}
