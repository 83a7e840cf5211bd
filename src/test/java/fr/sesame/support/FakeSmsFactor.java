package fr.sesame.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fr.sesame.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP server speaking the part of SMS Factor's API Sésame uses (see {@code
 * SmsFactorSender}): {@code POST /send} with the JSON campaign body, answered like the real API
 * ({@code status}, {@code ticket}, {@code sent}, {@code invalid}...), and {@code GET /campaigns}
 * filtered by {@code destination} and {@code text}. It records every message it accepted and every
 * lookup, and can be told to fail: down (connection refused), 500, slow (it takes the message but
 * answers too late), or to refuse (an invalid number, no credits).
 */
public final class FakeSmsFactor implements AutoCloseable {
    /** What it does with the next requests. */
    public enum Mode {
        OK,
        /** 500 without taking the message. */
        ERROR_500,
        /** Takes the message, then answers after {@link #slowMillis}. */
        SLOW,
        /** status 1 but sent 0, invalid 1: the number was filtered out. */
        REFUSE_INVALID,
        /** status -3: not enough credits. */
        NO_CREDITS
    }

    /** A message the provider took. */
    public record Received(
            String ticket,
            String text,
            String sender,
            String number,
            String gsmsmsid,
            String pushtype,
            int unicode,
            String authorization) {}

    public final String token;
    public volatile Mode mode = Mode.OK;
    public volatile long slowMillis = 1500;
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final AtomicInteger lookups = new AtomicInteger();
    public final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger tickets = new AtomicInteger(14672468);
    private final int port;
    private HttpServer server;
    private ExecutorService executor;

    private FakeSmsFactor(String token, int port) {
        this.token = token;
        this.port = port;
    }

    public static FakeSmsFactor start(String token) {
        FakeSmsFactor f = new FakeSmsFactor(token, TestApp.freePort());
        f.up();
        return f;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Listening again (after {@link #down}), on the same port. */
    public synchronized void up() {
        if (server != null) return;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/send", this::send);
        server.createContext("/campaigns", this::campaigns);
        server.start();
    }

    /** Not listening: connections are refused. */
    public synchronized void down() {
        if (server == null) return;
        server.stop(0);
        executor.shutdownNow();
        server = null;
    }

    /** The messages taken for this client reference. */
    public List<Received> forReference(String gsmsmsid) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) if (r.gsmsmsid().equals(gsmsmsid)) out.add(r);
        return out;
    }

    private void send(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        if (!x.getRequestMethod().equals("POST")) {
            answer(x, 405, "{}");
            return;
        }
        String auth = x.getRequestHeaders().getFirst("Authorization");
        JsonNode body = Json.mapper().readTree(x.getRequestBody().readAllBytes());
        Mode now = mode;
        if (now == Mode.ERROR_500) {
            answer(x, 500, "<html>Internal Server Error</html>");
            return;
        }
        if (!("Bearer " + token).equals(auth)) {
            answer(x, 200, Json.object("status", -1, "message", "Authentication error"));
            return;
        }
        if (now == Mode.NO_CREDITS) {
            answer(x, 200, Json.object("status", -3, "message", "Not enough credits"));
            return;
        }
        JsonNode message = body.path("sms").path("message");
        JsonNode gsm = body.path("sms").path("recipients").path("gsm").path(0);
        if (now == Mode.REFUSE_INVALID) {
            answer(
                    x,
                    200,
                    Json.object(
                            "status",
                            1,
                            "message",
                            "OK",
                            "ticket",
                            null,
                            "cost",
                            0,
                            "total",
                            1,
                            "sent",
                            0,
                            "blacklisted",
                            0,
                            "duplicated",
                            0,
                            "invalid",
                            1,
                            "npai",
                            0));
            return;
        }
        String ticket = String.valueOf(tickets.incrementAndGet());
        received.add(
                new Received(
                        ticket,
                        message.path("text").asText(),
                        message.path("sender").asText(),
                        gsm.path("value").asText(),
                        gsm.path("gsmsmsid").asText(),
                        message.path("pushtype").asText(),
                        message.path("unicode").asInt(-1),
                        auth));
        if (now == Mode.SLOW) {
            try {
                Thread.sleep(slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer(
                x,
                200,
                Json.object(
                        "status",
                        1,
                        "message",
                        "OK",
                        "ticket",
                        ticket,
                        "cost",
                        1,
                        "credits",
                        642,
                        "total",
                        1,
                        "sent",
                        1,
                        "blacklisted",
                        0,
                        "duplicated",
                        0,
                        "invalid",
                        0,
                        "npai",
                        0));
    }

    private void campaigns(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        lookups.incrementAndGet();
        if (mode == Mode.ERROR_500) {
            answer(x, 500, "<html>Internal Server Error</html>");
            return;
        }
        if (!("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            answer(x, 200, Json.object("status", -1, "message", "Authentication error"));
            return;
        }
        Map<String, String> q = query(x.getRequestURI().getRawQuery());
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("status", 1);
        root.put("message", "OK");
        ArrayNode list = root.putArray("campaigns");
        for (Received r : received) {
            if (q.containsKey("destination") && !q.get("destination").equals(r.number())) continue;
            if (q.containsKey("text") && !r.text().contains(q.get("text"))) continue;
            list.addObject()
                    .put("id", r.ticket())
                    .put("sender", r.sender())
                    .put("text", r.text())
                    .put("status", "Sent");
        }
        root.put("totalRecords", list.size());
        answer(x, 200, Json.write(root));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            q.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        try {
            x.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client gave up waiting (a timeout test): nothing to answer to
        } finally {
            x.close();
        }
    }

    @Override
    public void close() {
        down();
    }
}
