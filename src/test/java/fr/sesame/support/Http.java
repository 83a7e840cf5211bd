package fr.sesame.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A small HTTP client that keeps cookies like a browser and does not follow redirects. */
public final class Http {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;
    private String language = "fr";
    private String lastCsrf;

    public Http(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client =
                HttpClient.newBuilder()
                        .cookieHandler(cookies)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    public Http language(String acceptLanguage) {
        this.language = acceptLanguage;
        return this;
    }

    public CookieManager cookies() {
        return cookies;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    public HttpResponse<String> post(String path, Map<String, String> form, String... headers) {
        String body =
                form.entrySet().stream()
                        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                        .collect(Collectors.joining("&"));
        return send(
                request(path, headers)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    /** Posts a form with the CSRF token of the last page this client read. */
    public HttpResponse<String> postForm(String path, Map<String, String> form, String... headers) {
        Map<String, String> withToken = new LinkedHashMap<>(form);
        if (lastCsrf != null) withToken.putIfAbsent("_csrf", lastCsrf);
        return post(path, withToken, headers);
    }

    /**
     * Posts a form whose fields may repeat (checkboxes), with the CSRF token of the last page read.
     */
    public HttpResponse<String> postFormPairs(String path, String... namesAndValues) {
        StringBuilder body = new StringBuilder();
        if (lastCsrf != null) body.append("_csrf=").append(enc(lastCsrf));
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (body.length() > 0) body.append('&');
            body.append(enc(namesAndValues[i])).append('=').append(enc(namesAndValues[i + 1]));
        }
        return send(
                request(path)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build());
    }

    public HttpResponse<String> postJson(String path, String json, String... headers) {
        return send(
                request(path, headers)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    /** Follows a redirect answer (GET on its Location). */
    public HttpResponse<String> follow(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow();
        if (location.startsWith(baseUrl)) location = location.substring(baseUrl.length());
        if (location.startsWith("http")) {
            return send(HttpRequest.newBuilder(URI.create(location)).GET().build());
        }
        return get(location);
    }

    public String csrf() {
        return lastCsrf;
    }

    private HttpRequest.Builder request(String path, String... headers) {
        URI uri = URI.create(path.startsWith("http") ? path : baseUrl + path);
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Accept-Language", language);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            HttpResponse<String> response =
                    client.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = CSRF.matcher(response.body());
            if (m.find()) lastCsrf = m.group(1);
            return response;
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
