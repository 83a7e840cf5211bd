package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.lowagie.text.pdf.PRStream;
import com.lowagie.text.pdf.PdfDictionary;
import com.lowagie.text.pdf.PdfName;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import fr.sesame.support.Http;
import fr.sesame.support.SesameTest;
import fr.sesame.support.SignIn;
import fr.sesame.support.Sql;
import fr.sesame.support.TestApp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The letters PDF: its text read back with OpenPDF, its QR code decoded with ZXing and followed to
 * sign in.
 */
@SesameTest(
        env = "TOWN_CONTACT=Service éducation de la ville | 03 80 00 00 00 | education@ville.test")
class LettersTest {
    static TestApp app;
    static TownFixture town;

    @BeforeAll
    static void start() {
        town = TownFixture.build(app.jdbi());
    }

    static byte[] letters(Http admin, Map<String, String> form) {
        admin.get("/admin/roster/letters");
        HttpClient client = HttpClient.newBuilder().cookieHandler(admin.cookies()).build();
        StringBuilder body = new StringBuilder("_csrf=" + admin.csrf());
        form.forEach(
                (k, v) ->
                        body.append('&')
                                .append(k)
                                .append('=')
                                .append(
                                        java.net.URLEncoder.encode(
                                                v, java.nio.charset.StandardCharsets.UTF_8)));
        try {
            HttpResponse<byte[]> r =
                    client.send(
                            HttpRequest.newBuilder(URI.create(app.url("/admin/roster/letters")))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .isEqualTo("application/pdf");
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Decodes the QR code image of a page with ZXing. */
    static String qrOf(PdfReader reader, int page) throws Exception {
        PdfDictionary xobjects =
                reader.getPageN(page).getAsDict(PdfName.RESOURCES).getAsDict(PdfName.XOBJECT);
        for (PdfName key : xobjects.getKeys()) {
            PRStream stream = (PRStream) PdfReader.getPdfObject(xobjects.get(key));
            if (!PdfName.IMAGE.equals(stream.getAsName(PdfName.SUBTYPE))) continue;
            int w = stream.getAsNumber(PdfName.WIDTH).intValue();
            int h = stream.getAsNumber(PdfName.HEIGHT).intValue();
            byte[] grey = PdfReader.getStreamBytes(stream);
            int[] argb = new int[w * h];
            for (int i = 0; i < argb.length; i++) {
                int v = grey[i] & 0xFF;
                argb[i] = 0xFF000000 | (v << 16) | (v << 8) | v;
            }
            // The image is the bare code with its quiet zone, as printed: read it as such (no
            // search for a skewed code).
            return new QRCodeReader()
                    .decode(
                            new BinaryBitmap(
                                    new HybridBinarizer(new RGBLuminanceSource(w, h, argb))),
                            java.util.Map.of(
                                    com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE))
                    .getText();
        }
        throw new AssertionError("no image on page " + page);
    }

    @Test
    void
            a_school_batch_has_one_page_per_untrained_family_in_its_language_with_code_sessions_and_contact()
                    throws Exception {
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        int audits =
                Sql.count(
                        app.jdbi(), "select count(*) from audit_log where action = 'letter_batch'");
        byte[] pdf = letters(admin, Map.of("school", TownFixture.B, "untrained", "on"));
        PdfReader reader = new PdfReader(new ByteArrayInputStream(pdf));
        assertThat(reader.getNumberOfPages()).isEqualTo(2);
        assertThat(reader.getPageSize(1).getWidth()).isEqualTo(595f);
        PdfTextExtractor text = new PdfTextExtractor(reader);

        String english = text.getTextFromPage(1);
        assertThat(english)
                .contains(
                        "A computer for Jade",
                        "Dear parent",
                        "FAMD-2345",
                        "École B",
                        "Next workshops at the school",
                        "First steps",
                        app.baseUrl() + "/sign-in/code",
                        "Service éducation de la ville",
                        "03 80 00 00 00",
                        "education@ville.test");
        String french = text.getTextFromPage(2);
        assertThat(french)
                .contains(
                        "Un ordinateur pour Inès",
                        "Madame, Monsieur",
                        "FAMB-2345",
                        "Premiers pas",
                        "Prochains ateliers à l'école",
                        "Service éducation de la ville");
        // F5 (trained) gets no letter; F2's other child, in school A, is not named in school B's
        // batch.
        assertThat(english + french).doesNotContain("Rayan", "Adam", "FAME-2345");

        assertThat(qrOf(reader, 1)).isEqualTo(app.baseUrl() + "/sign-in/code?code=FAMD2345");
        assertThat(qrOf(reader, 2)).isEqualTo(app.baseUrl() + "/sign-in/code?code=FAMB2345");
        assertThat(
                        Sql.count(
                                app.jdbi(),
                                "select count(*) from audit_log where action = 'letter_batch' "
                                        + "and (details->>'letters')::int = 2"))
                .isEqualTo(audits + 1);
    }

    @Test
    void
            the_qr_code_opens_the_code_form_filled_in_and_with_the_child_first_name_signs_the_parent_in()
                    throws Exception {
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        byte[] pdf =
                letters(
                        admin,
                        Map.of("school", TownFixture.B, "class", "CM1 B", "untrained", "on"));
        PdfReader reader = new PdfReader(new ByteArrayInputStream(pdf));
        assertThat(reader.getNumberOfPages()).isEqualTo(1);
        String url = qrOf(reader, 1);

        Http parent = app.client();
        HttpResponse<String> form = parent.get(url);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("value=\"FAMD-2345\"", "déjà rempli");
        HttpResponse<String> signedIn =
                parent.postForm("/sign-in/code", Map.of("code", "FAMD-2345", "child", "Jade"));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(parent.follow(signedIn).body()).contains("Jade");
    }

    @Test
    void a_family_without_a_code_gets_one_when_its_letter_is_printed() throws Exception {
        long family =
                app.jdbi()
                        .inTransaction(
                                h -> {
                                    long f =
                                            h.createQuery(
                                                            "insert into family (reference) values ('NOCODE') returning id")
                                                    .mapTo(Long.class)
                                                    .one();
                                    TownFixture.guardian(h, f, "Ana", "Sanscode", "fr", null, null);
                                    TownFixture.child(h, f, town.schoolA, "Lou", "CE1 A");
                                    return f;
                                });
        Http admin = SignIn.staff(app, TownFixture.ADMIN, TownFixture.PASSWORD);
        byte[] pdf = letters(admin, Map.of("school", TownFixture.A, "class", "CE1 A"));
        String code = Sql.text(app.jdbi(), "select letter_code from family where id = " + family);
        assertThat(code).matches("[2-9A-HJ-NP-Z]{8}");
        PdfReader reader = new PdfReader(new ByteArrayInputStream(pdf));
        assertThat(new PdfTextExtractor(reader).getTextFromPage(1))
                .contains("Lou", code.substring(0, 4) + "-" + code.substring(4));
        assertThat(qrOf(reader, 1)).endsWith("?code=" + code);
    }

    @Test
    void the_code_form_ignores_a_query_code_that_cannot_be_one() {
        HttpResponse<String> form = app.client().get("/sign-in/code?code=%3Cscript%3E");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).doesNotContain("<script>", "déjà rempli");
    }
}
