package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.lowagie.text.PageSize;
import fr.sesame.web.Messages;
import java.awt.geom.Point2D;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.apache.pdfbox.util.Matrix;
import org.junit.jupiter.api.Test;

/**
 * Reads the letters back with PDFBox, for every language the app serves, with short and with the
 * longest names: every line of text and the QR code's image box, in page coordinates from the top,
 * must lie inside the margins and no two of them may intersect.
 */
class LetterLayoutTest {
    static final String FAMILY60 = "Van-der-Beek-Oliveira-Nascimento-Lefebvre-Kowalczyk-Abdallah";
    static final String LONG_CHILDREN =
            "Marie-Églantine-Clémentine " + FAMILY60 + ", Jean-Baptiste-Maximilien " + FAMILY60;
    static final String UNBROKEN =
            "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft";

    record Box(String what, float left, float top, float right, float bottom) {
        boolean intersects(Box o) {
            return left < o.right && o.left < right && top < o.bottom && o.top < bottom;
        }
    }

    static LetterPdf.Letter letter(String lang, String children) {
        List<LetterDao.NextSession> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sessions.add(
                    new LetterDao.NextSession(
                            Instant.parse("2027-01-1" + i + "T13:00:00Z"),
                            "Premiers pas avec l'ordinateur et l'ENT de l'école, séance " + i,
                            "First steps with the computer and the school ENT, session " + i,
                            "Salle polyvalente du bâtiment B, au fond de la cour",
                            i == 1 ? (lang.equals("fr") ? "en" : "fr") : lang));
        }
        return new LetterPdf.Letter(
                lang,
                children,
                "ABCD2345",
                "École élémentaire Jean-Baptiste-Poquelin-dit-Molière du quartier des Saules",
                sessions);
    }

    @Test
    void no_block_overlaps_another_or_leaves_the_margins_in_any_language_or_name_length()
            throws IOException {
        LetterPdf pdf =
                new LetterPdf(
                        "https://sesame.ville-exemple.fr",
                        "Mairie de la ville | Service éducation, 1 place de la République | 01 23 45 67 89");
        List<LetterPdf.Letter> letters = new ArrayList<>();
        for (String lang : Messages.LANGUAGES) {
            letters.add(letter(lang, "Léa"));
            letters.add(letter(lang, LONG_CHILDREN));
            letters.add(letter(lang, UNBROKEN + ", " + UNBROKEN));
        }
        try (PDDocument doc = Loader.loadPDF(pdf.render(letters))) {
            assertThat(doc.getNumberOfPages()).isEqualTo(letters.size());
            for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                LetterPdf.Letter letter = letters.get(p - 1);
                String where =
                        "page " + p + " (" + letter.language() + ", " + letter.children() + ")";
                List<Box> lines = lines(doc, p);
                List<Box> images = images(doc.getPage(p - 1));
                assertThat(images).as(where + ": the QR code").hasSize(1);
                Box qr = images.get(0);
                assertThat(qr.right() - qr.left()).isEqualTo(LetterPdf.QR_SIZE, within());
                List<Box> boxes = new ArrayList<>(lines);
                boxes.add(qr);
                float w = PageSize.A4.getWidth();
                float h = PageSize.A4.getHeight();
                float m = LetterPdf.MARGIN;
                for (Box b : boxes) {
                    assertThat(b.left())
                            .as(where + " left margin: " + b)
                            .isGreaterThanOrEqualTo(m - 0.5f);
                    assertThat(b.right())
                            .as(where + " right margin: " + b)
                            .isLessThanOrEqualTo(w - m + 0.5f);
                    assertThat(b.top())
                            .as(where + " top margin: " + b)
                            .isGreaterThanOrEqualTo(m - 0.5f);
                    assertThat(b.bottom())
                            .as(where + " bottom margin: " + b)
                            .isLessThanOrEqualTo(h - m + 0.5f);
                }
                for (int i = 0; i < boxes.size(); i++) {
                    for (int j = i + 1; j < boxes.size(); j++) {
                        assertThat(boxes.get(i).intersects(boxes.get(j)))
                                .as(where + ": " + boxes.get(i) + " overlaps " + boxes.get(j))
                                .isFalse();
                    }
                }
                // Long names wrap rather than run off or get cut: every letter of them is on the
                // page.
                String text =
                        String.join("", lines.stream().map(Box::what).toList())
                                .replaceAll("[\\s-]", "");
                for (String name : letter.children().split(", ")) {
                    assertThat(text).as(where).contains(name.replaceAll("[\\s-]", ""));
                }
            }
        }
    }

    @Test
    void a_session_in_another_language_than_the_familys_says_so() throws IOException {
        LetterPdf pdf = new LetterPdf("https://sesame.ville-exemple.fr", "");
        try (PDDocument doc =
                Loader.loadPDF(pdf.render(List.of(letter("fr", "Léa"), letter("en", "Amir"))))) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setStartPage(1);
            stripper.setEndPage(1);
            String fr = stripper.getText(doc).replaceAll("\\s+", " ");
            stripper.setStartPage(2);
            stripper.setEndPage(2);
            String en = stripper.getText(doc).replaceAll("\\s+", " ");
            assertThat(fr).contains("atelier en anglais").doesNotContain("atelier en français");
            assertThat(en).contains("workshop in French").doesNotContain("workshop in English");
        }
    }

    /** A child's name in each language's own letters. */
    static final java.util.Map<String, String> NAMES =
            java.util.Map.of(
                    "fr", "Maëlle-Françoise Lefèvre",
                    "en", "Olivia Smith",
                    "tr", "Gülşen Yıldız-Çağlar, İsmail Öztürk",
                    "pt", "João Conceição, Inês Gonçalves",
                    "uk", "Олександра Шевченко-Ковальчук, Ґлиб Їжаков",
                    "ar", "ليلى بن علي");

    /**
     * Every character of each language's letter texts and names has a glyph in the embedded font,
     * and the names read back from the PDF as written. Arabic is left out: the font has no Arabic.
     */
    @Test
    void every_character_of_each_languages_letter_has_a_glyph_in_the_embedded_font()
            throws IOException {
        java.util.ResourceBundle root =
                java.util.ResourceBundle.getBundle("i18n.messages", java.util.Locale.ROOT);
        LetterPdf pdf = new LetterPdf("https://sesame.ville-exemple.fr", "");
        for (String lang : Messages.LANGUAGES) {
            if (lang.equals("ar")) continue;
            Messages msg = Messages.of(lang);
            StringBuilder all = new StringBuilder(NAMES.get(lang));
            for (String key : root.keySet()) {
                if (key.startsWith("roster.letter.")) all.append(msg.t(key, "x"));
            }
            all.codePoints()
                    .filter(c -> !Character.isWhitespace(c))
                    .forEach(
                            c ->
                                    assertThat(LetterPdf.FONT.charExists(c))
                                            .as(lang + ": glyph for " + Character.toString(c))
                                            .isTrue());
            try (PDDocument doc =
                    Loader.loadPDF(pdf.render(List.of(letter(lang, NAMES.get(lang)))))) {
                String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
                assertThat(text).as(lang).contains(NAMES.get(lang));
            }
        }
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(0.5f);
    }

    /** Each line of text as PDFBox groups it, from the top of the page. */
    static List<Box> lines(PDDocument doc, int page) throws IOException {
        List<Box> out = new ArrayList<>();
        PDFTextStripper stripper =
                new PDFTextStripper() {
                    @Override
                    protected void writeString(String text, List<TextPosition> positions) {
                        if (text.isBlank()) return;
                        float left = Float.MAX_VALUE, right = 0, top = Float.MAX_VALUE, bottom = 0;
                        for (TextPosition t : positions) {
                            if (t.getUnicode().isBlank()) continue;
                            float size = t.getFontSizeInPt();
                            left = Math.min(left, t.getXDirAdj());
                            right = Math.max(right, t.getXDirAdj() + t.getWidthDirAdj());
                            top = Math.min(top, t.getYDirAdj() - 0.75f * size);
                            bottom = Math.max(bottom, t.getYDirAdj() + 0.2f * size);
                        }
                        out.add(new Box(text, left, top, right, bottom));
                    }
                };
        stripper.setSortByPosition(true);
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        stripper.getText(doc);
        return out;
    }

    /** The box of every image drawn on the page, from the top of the page. */
    static List<Box> images(PDPage page) throws IOException {
        List<Box> out = new ArrayList<>();
        float height = page.getMediaBox().getHeight();
        PDFGraphicsStreamEngine engine =
                new PDFGraphicsStreamEngine(page) {
                    @Override
                    public void drawImage(PDImage image) {
                        Matrix m = getGraphicsState().getCurrentTransformationMatrix();
                        float x = m.getTranslateX(), y = m.getTranslateY();
                        float w = m.getScalingFactorX(), h = m.getScalingFactorY();
                        out.add(new Box("QR code", x, height - (y + h), x + w, height - y));
                    }

                    @Override
                    public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {}

                    @Override
                    public void clip(int windingRule) {}

                    @Override
                    public void moveTo(float x, float y) {}

                    @Override
                    public void lineTo(float x, float y) {}

                    @Override
                    public void curveTo(
                            float x1, float y1, float x2, float y2, float x3, float y3) {}

                    @Override
                    public Point2D getCurrentPoint() {
                        return new Point2D.Float();
                    }

                    @Override
                    public void closePath() {}

                    @Override
                    public void endPath() {}

                    @Override
                    public void strokePath() {}

                    @Override
                    public void fillPath(int windingRule) {}

                    @Override
                    public void fillAndStrokePath(int windingRule) {}

                    @Override
                    public void shadingFill(org.apache.pdfbox.cos.COSName shadingName) {}
                };
        engine.processPage(page);
        return out;
    }
}
