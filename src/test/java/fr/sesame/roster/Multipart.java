package fr.sesame.roster;

import fr.sesame.support.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Posts a multipart form (files and the CSRF token of the client's last page) with the client's
 * cookies.
 */
final class Multipart {
    private Multipart() {}

    static HttpResponse<String> post(
            Http client, String url, Map<String, byte[]> files, String language) {
        String boundary = "----sesame" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            if (client.csrf() != null) {
                body.write(
                        ("--"
                                        + boundary
                                        + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
                                        + client.csrf()
                                        + "\r\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                body.write(
                        ("--"
                                        + boundary
                                        + "\r\nContent-Disposition: form-data; name=\""
                                        + f.getKey()
                                        + "\"; filename=\""
                                        + f.getKey()
                                        + ".csv\"\r\nContent-Type: text/csv\r\n\r\n")
                                .getBytes(StandardCharsets.UTF_8));
                body.write(f.getValue());
                body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpClient http =
                    HttpClient.newBuilder()
                            .cookieHandler(client.cookies())
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build();
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(60))
                            .header("Accept-Language", language)
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                            .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
