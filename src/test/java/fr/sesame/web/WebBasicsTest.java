package fr.sesame.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.TestApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

@SesameTest
class WebBasicsTest {
    private static String rawRequest(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", app.port())) {
            socket.getOutputStream()
                    .write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(
                    socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static TestApp app;

    @Test
    void health_says_the_app_and_its_database_are_up() {
        HttpResponse<String> r = app.client().get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"up\",\"database\":\"up\"}");
    }

    @Test
    void liveness_answers_without_the_database_and_readiness_checks_it_on_its_own_connection() {
        HttpResponse<String> live = app.client().get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"up\"}");
        HttpResponse<String> ready = app.client().get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"up\",\"database\":\"up\"}");
        assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void the_home_page_is_in_french_by_default_and_in_english_for_an_english_browser() {
        HttpResponse<String> fr = app.client().get("/");
        assertThat(fr.statusCode()).isEqualTo(200);
        assertThat(fr.body()).contains("<html lang=\"fr\" dir=\"ltr\">", "Bienvenue sur Sésame");

        HttpResponse<String> en = app.client().language("en-GB,en;q=0.8").get("/");
        assertThat(en.body()).contains("<html lang=\"en\" dir=\"ltr\">", "Welcome to Sésame");

        HttpResponse<String> other = app.client().language("de-DE,de;q=0.9").get("/");
        assertThat(other.body()).contains("<html lang=\"fr\" dir=\"ltr\">");
    }

    @Test
    void the_chosen_language_is_remembered() {
        Http client = app.client().language("fr");
        HttpResponse<String> r = client.get("/lang/en?next=/");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/");
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("sesame_lang=en", "HttpOnly", "SameSite=Lax");
        assertThat(client.get("/").body()).contains("<html lang=\"en\" dir=\"ltr\">");
        client.get("/lang/fr?next=/");
        assertThat(client.get("/").body()).contains("<html lang=\"fr\" dir=\"ltr\">");
    }

    @Test
    void the_language_switch_never_redirects_to_another_site() {
        for (String next :
                new String[] {
                    "//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:x"
                }) {
            HttpResponse<String> r =
                    app.client()
                            .get(
                                    "/lang/en?next="
                                            + java.net.URLEncoder.encode(
                                                    next, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(r.headers().firstValue("Location")).as(next).hasValue("/");
        }
        assertThat(app.client().get("/lang/de?next=/").statusCode()).isEqualTo(404);
    }

    @Test
    void every_response_carries_the_security_headers() {
        for (String path :
                new String[] {
                    "/", "/health", "/static/app.css", "/does-not-exist", "/lang/en?next=/"
                }) {
            HttpResponse<String> r = app.client().get(path);
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValueSatisfying(
                            csp -> {
                                assertThat(csp)
                                        .contains("script-src 'self'", "frame-ancestors 'none'")
                                        .doesNotContain("unsafe-inline");
                            });
            assertThat(r.headers().firstValue("X-Content-Type-Options"))
                    .as(path)
                    .hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        }
    }

    @Test
    void pages_have_no_inline_script() {
        String body = app.client().get("/").body();
        assertThat(body).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
        assertThat(body).doesNotContain("onclick=", "onload=", "style=\"");
    }

    @Test
    void an_unknown_page_gives_a_404_page_in_the_visitors_language() {
        HttpResponse<String> fr = app.client().get("/nulle-part");
        assertThat(fr.statusCode()).isEqualTo(404);
        assertThat(fr.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(fr.body()).contains("Page introuvable", "Revenir à l'accueil");

        HttpResponse<String> en = app.client().language("en").get("/nowhere");
        assertThat(en.statusCode()).isEqualTo(404);
        assertThat(en.body()).contains("Page not found");
    }

    @Test
    void an_unknown_api_path_answers_a_json_error() {
        HttpResponse<String> r = app.client().get("/api/v1/nothing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).startsWith("{\"error\":{").contains("\"code\":\"not_found\"");
    }

    @Test
    void a_wrong_method_or_malformed_request_gives_a_clear_4xx_not_a_500() throws Exception {
        HttpResponse<String> r = app.client().post("/health", java.util.Map.of("a", "b"));
        assertThat(r.statusCode()).isBetween(400, 499);
        String weird =
                rawRequest(
                        "GET /%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(weird).startsWith("HTTP/1.1 4");
        assertThat(weird).doesNotContain("Exception", "at fr.sesame", "at io.javalin", "jetty");
    }
}
