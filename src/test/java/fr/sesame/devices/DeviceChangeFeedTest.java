package fr.sesame.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.sesame.attendance.AttendanceFixture;
import fr.sesame.audit.Actor;
import fr.sesame.auth.StaffAccounts;
import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IT service's change feed (GET /api/v1/device-changes): every committed change exactly once,
 * in an order a late commit cannot slip before, followed by a client that applies the README's rule
 * while tablets mark at once.
 */
@SesameTest(demo = true)
class DeviceChangeFeedTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int TABLETS = 16;
    static final int ROUNDS = 12;
    static TestApp app;
    static String it;

    @BeforeAll
    static void start() {
        it = new StaffAccounts(app.jdbi()).createToken(Actor.COMMAND_LINE, "town IT", "it");
    }

    private static HttpResponse<String> api(String path, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + it;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return app.client().get(path, all);
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    /**
     * The README's rule: call with the cursor of the last answer; at once again while more is true.
     */
    static final class Follower {
        String cursor;
        final List<JsonNode> items = new ArrayList<>();

        /** Reads until no more is waiting; returns how many changes came. */
        int poll() {
            int n = 0;
            boolean more = true;
            while (more) {
                HttpResponse<String> r =
                        api(
                                "/api/v1/device-changes?limit=100"
                                        + (cursor == null
                                                ? ""
                                                : "&cursor="
                                                        + URLEncoder.encode(
                                                                cursor, StandardCharsets.UTF_8)));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode page = json(r);
                for (JsonNode item : page.get("changes")) items.add(item);
                n += page.get("changes").size();
                cursor = page.get("cursor").asText();
                more = page.get("more").asBoolean();
            }
            return n;
        }

        List<Long> changeIds() {
            return items.stream().map(i -> i.at("/change/id").asLong()).toList();
        }
    }

    private static List<Long> loggedChangeIds() {
        return app.jdbi()
                .withHandle(
                        h ->
                                h.createQuery("select id from device_change order by id")
                                        .mapTo(Long.class)
                                        .list());
    }

    @Test
    void a_client_without_cursor_first_learns_every_device_then_only_what_changes() {
        Follower follower = new Follower();
        follower.poll();
        Set<String> seen = new HashSet<>();
        follower.items.forEach(i -> seen.add(i.get("assetTag").asText()));
        assertThat(seen).hasSize(Sql.count(app.jdbi(), "select count(*) from device"));
        JsonNode first = follower.items.get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .containsExactly(
                        "assetTag",
                        "serial",
                        "child",
                        "school",
                        "homeUse",
                        "since",
                        "reason",
                        "change");
        assertThat(follower.changeIds()).doesNotHaveDuplicates();

        String before = follower.cursor;
        assertThat(follower.poll()).isZero();
        assertThat(follower.cursor).isEqualTo(before);

        long session = feedSession();
        long guardian = AttendanceFixture.guardian(app.jdbi(), 3, 0);
        AttendanceFixture.book(app.jdbi(), session, guardian);
        Http trainer = SignIn.trainer(app);
        AttendanceFixture.open(trainer, session);
        assertThat(AttendanceFixture.mark(trainer, session, guardian, "present").statusCode())
                .isEqualTo(200);

        assertThat(follower.poll()).isEqualTo(1);
        JsonNode unlock = follower.items.get(follower.items.size() - 1);
        assertThat(unlock.get("assetTag").asText()).isEqualTo("CHN-0003");
        assertThat(unlock.get("homeUse").asBoolean()).isTrue();
        assertThat(unlock.get("reason").asText()).isEqualTo("attendance");
        assertThat(unlock.at("/change/from").asText()).isEqualTo("school_only");
        assertThat(unlock.at("/change/to").asText()).isEqualTo("home_use");
        assertThat(follower.poll()).isZero();
    }

    @Test
    void a_change_committed_late_by_a_transaction_that_began_first_comes_after_and_is_not_lost()
            throws Exception {
        Follower follower = new Follower();
        follower.poll();
        try (Handle slow = app.jdbi().open()) {
            slow.begin();
            // The slow transaction stamps its change first, then commits after a quicker one.
            slow.execute(
                    "update device set state = 'home_use', state_changed_at = clock_timestamp() "
                            + "where asset_tag = 'CHN-0011'");
            app.jdbi()
                    .useHandle(
                            h ->
                                    h.execute(
                                            "update device set state = 'home_use', "
                                                    + "state_changed_at = clock_timestamp() where asset_tag = 'CHN-0012'"));
            // While the slow one runs, the quick one's change is held back: handing it out now
            // would move
            // the cursor past the slow one.
            assertThat(follower.poll()).isZero();
            // The deprecated time-based sync shows the quick one already, with the later time.
            JsonNode byTime = json(api("/api/v1/devices?homeUse=true"));
            assertThat(byTime)
                    .extracting(n -> n.get("assetTag").asText())
                    .contains("CHN-0012")
                    .doesNotContain("CHN-0011");
            slow.commit();
        }
        assertThat(follower.poll()).isEqualTo(2);
        assertThat(follower.items.subList(follower.items.size() - 2, follower.items.size()))
                .extracting(n -> n.get("assetTag").asText())
                .containsExactly("CHN-0011", "CHN-0012");
        assertThat(follower.changeIds()).doesNotHaveDuplicates();
    }

    @Test
    void a_malformed_cursor_or_one_from_the_future_is_refused_with_a_clear_message() {
        for (String bad :
                List.of(
                        "abc",
                        "%20",
                        b64("v1.12"),
                        b64("v2.1.1"),
                        b64("v1.-1.3"),
                        b64("v1.1.x"),
                        "x".repeat(200))) {
            HttpResponse<String> r = api("/api/v1/device-changes?cursor=" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).at("/error/code").asText()).as(bad).isEqualTo("bad_cursor");
            assertThat(json(r).at("/error/message").asText()).contains("curseur");
        }
        long next =
                Long.parseLong(Sql.text(app.jdbi(), "select cast(pg_current_xact_id() as text)"));
        for (String future : List.of(b64("v1." + (next + 1000) + ".1"), b64("v1.1.999999999"))) {
            HttpResponse<String> r = api("/api/v1/device-changes?cursor=" + future);
            assertThat(r.statusCode()).as(future).isEqualTo(400);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("unknown_cursor");
        }
        HttpResponse<String> english =
                app.client()
                        .language("en")
                        .get(
                                "/api/v1/device-changes?cursor="
                                        + b64("v1." + (next + 1000) + ".1"),
                                "Authorization",
                                "Bearer " + it);
        assertThat(json(english).at("/error/message").asText())
                .contains("start again from the beginning");
        for (String limit : List.of("0", "1001", "ten", "-5")) {
            HttpResponse<String> r = api("/api/v1/device-changes?limit=" + limit);
            assertThat(r.statusCode()).as(limit).isEqualTo(400);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("bad_limit");
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A qualifying session that has started (inside any marking window), run by the demo trainer.
     */
    private static long feedSession() {
        return app.jdbi()
                .withHandle(
                        h -> {
                            long type =
                                    h.createUpdate(
                                                    """
                    insert into workshop_type (code, title_fr, title_en, duration_minutes, qualifies_for_home_use)
                    values ('feed-' || gen_random_uuid(), 'Premiers pas', 'First steps', 120, true)""")
                                            .executeAndReturnGeneratedKeys("id")
                                            .mapTo(Long.class)
                                            .one();
                            long session =
                                    h.createUpdate(
                                                    """
                    insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                    select :type, s.id, (select min(r.id) from room r where r.school_id = s.id),
                           now() - interval '5 minutes', now() + interval '2 hours', 40
                    from school s where s.uai = '0211234A'""")
                                            .bind("type", type)
                                            .executeAndReturnGeneratedKeys("id")
                                            .mapTo(Long.class)
                                            .one();
                            h.execute(
                                    "insert into session_trainer (session_id, staff_id) select ?, id from staff_account "
                                            + "where lower(email) = lower(?)",
                                    session,
                                    DemoSeed.TRAINER_EMAIL);
                            return session;
                        });
    }

    @Test
    void a_follower_sees_every_unlock_exactly_once_while_sixteen_tablets_mark_at_once()
            throws Exception {
        List<Long> guardians = new ArrayList<>();
        for (int f = 1; f <= 40; f++) guardians.add(AttendanceFixture.guardian(app.jdbi(), f, 0));
        List<Http> tablets = new ArrayList<>();
        long warmUp = feedSession();
        for (int t = 0; t < TABLETS; t++) {
            Http tablet = SignIn.trainer(app);
            AttendanceFixture.open(tablet, warmUp);
            tablets.add(tablet);
        }
        Follower follower = new Follower();
        follower.poll();
        int firstChange = follower.items.size();
        int timeRuleMisses = 0;
        int roundsWithTimeRuleMiss = 0;
        ExecutorService pool = Executors.newFixedThreadPool(TABLETS + 2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                app.jdbi()
                        .useHandle(
                                h ->
                                        h.execute(
                                                "update device set state = 'school_only', "
                                                        + "state_changed_at = clock_timestamp() where state = 'home_use'"));
                Set<String> lent =
                        new HashSet<>(
                                app.jdbi()
                                        .withHandle(
                                                h ->
                                                        h.createQuery(
                                                                        "select asset_tag from device where state = 'school_only'")
                                                                .mapTo(String.class)
                                                                .list()));
                List<Long> sessions = new ArrayList<>();
                for (int t = 0; t < TABLETS; t++) sessions.add(feedSession());
                for (int g = 0; g < guardians.size(); g++) {
                    AttendanceFixture.book(app.jdbi(), sessions.get(g % TABLETS), guardians.get(g));
                }
                Instant roundStart = Instant.now();
                AtomicBoolean marking = new AtomicBoolean(true);
                // The deprecated rule, beside it: changedSince = the largest since received.
                Future<Set<String>> byTime =
                        pool.submit(
                                () -> {
                                    Set<String> seen = new HashSet<>();
                                    Instant since = roundStart;
                                    boolean last = false;
                                    while (!last) {
                                        last = !marking.get();
                                        for (JsonNode d :
                                                json(
                                                        api(
                                                                "/api/v1/devices?homeUse=true&changedSince="
                                                                        + since))) {
                                            seen.add(d.get("assetTag").asText());
                                            Instant s = Instant.parse(d.get("since").asText());
                                            if (s.isAfter(since)) since = s;
                                        }
                                    }
                                    return seen;
                                });
                Future<?> following =
                        pool.submit(
                                () -> {
                                    while (marking.get()) follower.poll();
                                    return null;
                                });
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<Integer>>> marks = new ArrayList<>();
                for (int t = 0; t < TABLETS; t++) {
                    int tablet = t;
                    marks.add(
                            pool.submit(
                                    () -> {
                                        go.await();
                                        List<Integer> statuses = new ArrayList<>();
                                        for (int g = tablet; g < guardians.size(); g += TABLETS) {
                                            statuses.add(
                                                    AttendanceFixture.mark(
                                                                    tablets.get(tablet),
                                                                    sessions.get(tablet),
                                                                    guardians.get(g),
                                                                    "present")
                                                            .statusCode());
                                        }
                                        return statuses;
                                    }));
                }
                go.countDown();
                for (Future<List<Integer>> m : marks)
                    assertThat(m.get(60, TimeUnit.SECONDS)).containsOnly(200);
                marking.set(false);
                following.get(60, TimeUnit.SECONDS);
                Set<String> seenByTime = byTime.get(60, TimeUnit.SECONDS);
                Set<String> missed = new HashSet<>(lent);
                missed.removeAll(seenByTime);
                timeRuleMisses += missed.size();
                if (!missed.isEmpty()) roundsWithTimeRuleMiss++;
                // Every mark has been answered, so committed: the feed gives the rest as soon as it
                // is read.
                long deadline = System.currentTimeMillis() + 10_000;
                while (follower.items.size() - firstChange < loggedChangeIds().size() - firstChange
                        && System.currentTimeMillis() < deadline) {
                    follower.poll();
                    Thread.sleep(20);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        follower.poll();
        System.out.printf(
                "change feed: %d changes followed in %d rounds of %d tablets; the time-based rule missed %d "
                        + "unlocks in %d rounds%n",
                follower.items.size() - firstChange,
                ROUNDS,
                TABLETS,
                timeRuleMisses,
                roundsWithTimeRuleMiss);

        // Exactly once: every logged change came, none twice.
        assertThat(follower.changeIds())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(loggedChangeIds());
        // Every device was unlocked once a round, and the follower saw each of those unlocks once.
        Map<String, Integer> unlocks = new HashMap<>();
        for (JsonNode item : follower.items.subList(firstChange, follower.items.size())) {
            if (item.at("/change/to").asText().equals("home_use"))
                unlocks.merge(item.get("assetTag").asText(), 1, Integer::sum);
        }
        int devices = Sql.count(app.jdbi(), "select count(*) from device where state = 'home_use'");
        assertThat(devices).isEqualTo(45);
        assertThat(unlocks)
                .hasSize(45)
                .allSatisfy((tag, count) -> assertThat(count).as(tag).isEqualTo(ROUNDS));
        // Applied in order, the items leave each device as the database has it.
        Map<String, Boolean> mirror = new HashMap<>();
        follower.items.forEach(
                i -> mirror.put(i.get("assetTag").asText(), i.get("homeUse").asBoolean()));
        assertThat(mirror.values()).hasSize(45).containsOnly(true);
    }
}
