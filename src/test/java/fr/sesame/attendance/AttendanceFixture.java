package fr.sesame.attendance;

import fr.sesame.demo.DemoSeed;
import fr.sesame.support.Http;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.jdbi.v3.core.Jdbi;

/**
 * Test helper: sessions, bookings and marks on the demo town, written straight in the database or
 * over HTTP.
 */
public final class AttendanceFixture {
    private AttendanceFixture() {}

    /**
     * A new workshop type and a session of it today in the first demo school, run by the demo
     * trainer (or another).
     */
    public static long session(
            Jdbi jdbi, boolean qualifies, boolean requiresCharter, String trainerEmail) {
        return jdbi.withHandle(
                h -> {
                    long type =
                            h.createUpdate(
                                            """
                    insert into workshop_type (code, title_fr, title_en, duration_minutes, qualifies_for_home_use,
                                               requires_charter)
                    values (:code, 'Atelier test', 'Test workshop', 120, :q, :c)""")
                                    .bind("code", "t-" + UUID.randomUUID())
                                    .bind("q", qualifies)
                                    .bind("c", requiresCharter)
                                    .executeAndReturnGeneratedKeys("id")
                                    .mapTo(Long.class)
                                    .one();
                    long school =
                            h.createQuery("select id from school where uai = '0211234A'")
                                    .mapTo(Long.class)
                                    .one();
                    long room =
                            h.createQuery("select min(id) from room where school_id = :s")
                                    .bind("s", school)
                                    .mapTo(Long.class)
                                    .one();
                    // inside the marking window (MARKING_OPENS_MINUTES, 30 by default, before the
                    // start)
                    Instant start =
                            Instant.now()
                                    .truncatedTo(ChronoUnit.MINUTES)
                                    .plus(10, ChronoUnit.MINUTES);
                    long session =
                            h.createUpdate(
                                            """
                    insert into workshop_session (workshop_type_id, school_id, room_id, starts_at, ends_at, capacity)
                    values (:type, :school, :room, :start, :end, 40)""")
                                    .bind("type", type)
                                    .bind("school", school)
                                    .bind("room", room)
                                    .bind("start", start)
                                    .bind("end", start.plus(2, ChronoUnit.HOURS))
                                    .executeAndReturnGeneratedKeys("id")
                                    .mapTo(Long.class)
                                    .one();
                    h.execute(
                            "insert into session_trainer (session_id, staff_id) select ?, id from staff_account "
                                    + "where lower(email) = lower(?)",
                            session,
                            trainerEmail);
                    return session;
                });
    }

    public static long session(Jdbi jdbi, boolean qualifies, boolean requiresCharter) {
        return session(jdbi, qualifies, requiresCharter, DemoSeed.TRAINER_EMAIL);
    }

    /** The n-th guardian (0-based, in creation order) of the demo family DEMO-xxx. */
    public static long guardian(Jdbi jdbi, int family, int index) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                select g.id from guardian g join family f on f.id = g.family_id where f.reference = :ref
                order by g.id offset :i limit 1""")
                                .bind("ref", String.format("DEMO-%03d", family))
                                .bind("i", index)
                                .mapTo(Long.class)
                                .one());
    }

    /** Books the guardian on the session, as the booking feature does. */
    public static long book(Jdbi jdbi, long sessionId, long guardianId) {
        return jdbi.withHandle(
                h ->
                        h.createUpdate(
                                        """
                insert into booking (session_id, family_id, guardian_id)
                select :s, family_id, id from guardian where id = :g""")
                                .bind("s", sessionId)
                                .bind("g", guardianId)
                                .executeAndReturnGeneratedKeys("id")
                                .mapTo(Long.class)
                                .one());
    }

    /** The states of the family's lent devices, by asset tag order, joined with commas. */
    public static String familyDevices(Jdbi jdbi, int family) {
        return jdbi.withHandle(
                h ->
                        h.createQuery(
                                        """
                select string_agg(d.state, ',' order by d.asset_tag) from device d join child c on c.id = d.child_id
                join family f on f.id = c.family_id where f.reference = :ref""")
                                .bind("ref", String.format("DEMO-%03d", family))
                                .mapTo(String.class)
                                .one());
    }

    /** Opens the roster page (which also gives the client this session's CSRF token). */
    public static HttpResponse<String> open(Http client, long sessionId) {
        return client.get("/trainer/sessions/" + sessionId);
    }

    public static HttpResponse<String> mark(
            Http client,
            long sessionId,
            long guardianId,
            String mark,
            UUID clientId,
            Instant madeAt) {
        return mark(client, sessionId, guardianId, mark, clientId, madeAt, false, null);
    }

    public static HttpResponse<String> mark(
            Http client,
            long sessionId,
            long guardianId,
            String mark,
            UUID clientId,
            Instant madeAt,
            boolean walkIn,
            String reason) {
        String json =
                "{\"guardianId\":"
                        + guardianId
                        + ",\"mark\":"
                        + (mark == null ? "null" : "\"" + mark + "\"")
                        + ",\"clientMarkId\":\""
                        + clientId
                        + "\",\"madeAt\":\""
                        + madeAt
                        + "\",\"walkIn\":"
                        + walkIn
                        + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
                        + "}";
        return client.postJson(
                "/trainer/sessions/" + sessionId + "/marks",
                json,
                "X-CSRF-Token",
                client.csrf(),
                "Accept",
                "application/json");
    }

    public static HttpResponse<String> mark(
            Http client, long sessionId, long guardianId, String mark) {
        return mark(client, sessionId, guardianId, mark, UUID.randomUUID(), Instant.now());
    }

    public static HttpResponse<String> sign(
            Http client, long sessionId, long guardianId, String dataUrl) {
        String json =
                "{\"guardianId\":"
                        + guardianId
                        + ",\"clientId\":\""
                        + UUID.randomUUID()
                        + "\",\"charterVersion\":1,\"image\":\""
                        + dataUrl
                        + "\",\"signedAt\":\""
                        + Instant.now()
                        + "\"}";
        return client.postJson(
                "/trainer/sessions/" + sessionId + "/signatures",
                json,
                "X-CSRF-Token",
                client.csrf(),
                "Accept",
                "application/json");
    }

    /** A PNG data URL of a drawn line (a signature), or of an empty canvas. */
    public static String png(boolean withInk, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        if (withInk) {
            Graphics2D g = image.createGraphics();
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(4));
            g.drawLine(10, height / 2, width - 10, height / 3);
            g.drawLine(20, 20, width / 2, height - 20);
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
