package fr.sesame.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * A small HTTP proxy in front of mock-oauth2-server that makes it look like another provider: its
 * discovery document is rewritten (by default the token and userinfo endpoints go through the
 * proxy), and the token and userinfo answers can be rewritten too. It can also play dead: every
 * connection is then dropped.
 */
final class EntProviderProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MockOAuth2Server provider;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * Rewrites the discovery document, after the proxy put its own token and userinfo endpoints in
     * it.
     */
    volatile UnaryOperator<ObjectNode> discovery = UnaryOperator.identity();

    /** Rewrites the token endpoint's JSON answer. */
    volatile UnaryOperator<ObjectNode> tokens = UnaryOperator.identity();

    /**
     * Rewrites the userinfo endpoint's JSON answer (the provider checked the access token first).
     */
    volatile UnaryOperator<ObjectNode> userinfo = UnaryOperator.identity();

    /** When true, every connection is dropped without an answer. */
    volatile boolean down;

    /** "METHOD path?query Authorization-header" of each request, for assertions. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    EntProviderProxy(MockOAuth2Server provider) throws IOException {
        this.provider = provider;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    String discoveryUrl() {
        return url("/" + EntTestKit.ISSUER_ID + "/.well-known/openid-configuration");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (down) return; // closing without an answer: the client sees the connection drop
            String path = exchange.getRequestURI().getRawPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(
                    exchange.getRequestMethod()
                            + " "
                            + exchange.getRequestURI()
                            + " "
                            + (auth == null ? "-" : auth));
            String target =
                    provider.baseUrl().toString().replaceAll("/$", "") + exchange.getRequestURI();
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target));
            for (String header : List.of("Authorization", "Content-Type", "Accept")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) forward.header(header, value);
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            forward.method(
                    exchange.getRequestMethod(),
                    body.length == 0
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> answer;
            try {
                answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            byte[] out = answer.body();
            if (answer.statusCode() == 200) {
                if (path.endsWith("/.well-known/openid-configuration")) {
                    ObjectNode doc = (ObjectNode) JSON.readTree(out);
                    doc.put("token_endpoint", url("/" + EntTestKit.ISSUER_ID + "/token"));
                    doc.put("userinfo_endpoint", url("/" + EntTestKit.ISSUER_ID + "/userinfo"));
                    out = JSON.writeValueAsBytes(discovery.apply(doc));
                } else if (path.endsWith("/token")) {
                    out = JSON.writeValueAsBytes(tokens.apply((ObjectNode) JSON.readTree(out)));
                } else if (path.endsWith("/userinfo")) {
                    out = JSON.writeValueAsBytes(userinfo.apply((ObjectNode) JSON.readTree(out)));
                }
            }
            answer.headers()
                    .firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) exchange.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
