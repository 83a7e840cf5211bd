package fr.sesame.roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.lowagie.text.PageSize;
import fr.sesame.pdf.PdfFonts;
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
                // page (the text read back in logical order: see readBack).
                String text =
                        readBack(doc, p, letter.language().equals("ar")).replaceAll("[\\s-]", "");
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
     * Liberation Sans for Latin and Cyrillic, DejaVu Sans for Arabic, and the names read back from
     * the PDF as written.
     */
    @Test
    void every_character_of_each_languages_letter_has_a_glyph_in_the_embedded_font()
            throws IOException {
        java.util.ResourceBundle root =
                java.util.ResourceBundle.getBundle("i18n.messages", java.util.Locale.ROOT);
        LetterPdf pdf = new LetterPdf("https://sesame.ville-exemple.fr", "");
        for (String lang : Messages.LANGUAGES) {
            Messages msg = Messages.of(lang);
            StringBuilder all = new StringBuilder(NAMES.get(lang));
            for (String key : root.keySet()) {
                if (key.startsWith("roster.letter.")) all.append(msg.t(key, "x"));
            }
            all.codePoints()
                    .filter(c -> !Character.isWhitespace(c))
                    .forEach(
                            c ->
                                    assertThat(
                                                    LetterPdf.FONT.charExists(c)
                                                            || PdfFonts.ARABIC.charExists(c))
                                            .as(lang + ": glyph for " + Character.toString(c))
                                            .isTrue());
            try (PDDocument doc =
                    Loader.loadPDF(pdf.render(List.of(letter(lang, NAMES.get(lang)))))) {
                assertThat(readBack(doc, 1, lang.equals("ar"))).as(lang).contains(NAMES.get(lang));
            }
        }
    }

    /**
     * Each language's letter, read back with PDFBox, says the language's own sentences, with the
     * child's names (Latin ones inside the Arabic letter too), and its lines start at the margin of
     * the language's side: the left, or the right in Arabic.
     *
     * <p>How Arabic is compared: OpenPDF draws shaped Arabic, that is the contextual presentation
     * forms (U+FB50 to U+FEFF: initial, medial, final, isolated letters and the lam-alef ligature),
     * in visual order (left to right on the page). PDFBox's text stripper puts each line back in
     * logical order (it runs the bidirectional algorithm over what it reads) and maps presentation
     * forms back to letters by compatibility decomposition; {@link #readBack} applies NFKC once
     * more to the whole text, and the expected sentences too, so both sides compare letters, not
     * forms. A letter drawn unshaped, in the wrong order or with missing glyphs would not read
     * back.
     */
    @Test
    void each_languages_letter_reads_back_its_own_sentences_and_starts_on_its_side()
            throws IOException {
        LetterPdf pdf = new LetterPdf("https://sesame.ville-exemple.fr", "");
        for (String lang : Messages.LANGUAGES) {
            Messages msg = Messages.of(lang);
            String names = NAMES.get(lang) + (lang.equals("ar") ? ", Olivia Smith" : "");
            LetterPdf.Letter letter = letter(lang, names);
            try (PDDocument doc = Loader.loadPDF(pdf.render(List.of(letter)))) {
                String text = readBack(doc, 1, lang.equals("ar"));
                for (String key :
                        List.of(
                                "roster.letter.greeting",
                                "roster.letter.what",
                                "roster.letter.howto",
                                "roster.letter.keep",
                                "roster.letter.contact.school")) {
                    assertThat(text).as(lang + " " + key).contains(normal(msg.t(key)));
                }
                if (!lang.equals("fr")) {
                    assertThat(msg.t("roster.letter.keep"))
                            .as(lang + " is translated")
                            .isNotEqualTo(Messages.of("fr").t("roster.letter.keep"));
                }
                for (String name : names.split(", ")) {
                    assertThat(text).as(lang).contains(normal(name));
                }
                if (lang.equals("ar")) {
                    // Shaped: the page draws joined forms (U+FB50..U+FEFF), no bare letters.
                    StringBuilder raw = new StringBuilder();
                    new PDFTextStripper() {
                        @Override
                        protected void processTextPosition(TextPosition t) {
                            raw.append(t.getUnicode());
                        }
                    }.getText(doc);
                    assertThat(raw.toString()).containsPattern("[\\x{FE70}-\\x{FEFC}]");
                    assertThat(raw.toString()).doesNotContainPattern("[\\x{0621}-\\x{064A}]");
                }
                float w = PageSize.A4.getWidth();
                float m = LetterPdf.MARGIN;
                List<Box> lines = lines(doc, 1);
                Box qr = images(doc.getPage(0)).get(0);
                if (lang.equals("ar")) {
                    assertThat(qr.left()).as("the QR code on the left").isEqualTo(m, within());
                } else {
                    assertThat(qr.right())
                            .as("the QR code on the right")
                            .isEqualTo(w - m, within());
                }
                for (Box line : lines) {
                    if (line.what().contains("ABCD")) continue; // the code, centred
                    if (lang.equals("ar")) {
                        assertThat(line.right())
                                .as(lang + " starts right: " + line)
                                .isGreaterThan(w - m - 2);
                    } else {
                        assertThat(line.left())
                                .as(lang + " starts left: " + line)
                                .isLessThan(m + 2);
                    }
                }
            }
        }
    }

    /**
     * The page's text in logical order, NFKC-normalised, white space collapsed: the glyphs PDFBox
     * reads, grouped in lines by their baseline, each line sorted from left to right on the page
     * (visual order), then put back in logical order by the Unicode bidirectional algorithm with
     * the letter's paragraph direction (right to left for Arabic): reordering a line with the same
     * paragraph direction it was drawn with gives back its logical order (the Latin names inside an
     * Arabic line keep their own order, the Arabic words and the runs between them are reversed
     * back). PDFBox's own stripper guesses each line's direction from its first letter, which reads
     * an Arabic line starting with a Latin word the wrong way round.
     */
    static String readBack(PDDocument doc, int page, boolean rtl) throws IOException {
        java.util.TreeMap<Integer, List<TextPosition>> byLine = new java.util.TreeMap<>();
        PDFTextStripper stripper =
                new PDFTextStripper() {
                    @Override
                    protected void processTextPosition(TextPosition t) {
                        byLine.computeIfAbsent(Math.round(t.getYDirAdj()), y -> new ArrayList<>())
                                .add(t);
                    }
                };
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        stripper.getText(doc);
        StringBuilder text = new StringBuilder();
        for (List<TextPosition> line : byLine.values()) {
            line.sort(java.util.Comparator.comparing(TextPosition::getXDirAdj));
            StringBuilder visual = new StringBuilder();
            float end = Float.NaN;
            for (TextPosition t : line) {
                // PDF has no space characters where OpenPDF moved on: a gap is a space.
                if (!Float.isNaN(end) && t.getXDirAdj() - end > t.getWidthOfSpace() * 0.5f) {
                    visual.append(' ');
                }
                visual.append(t.getUnicode());
                end = t.getXDirAdj() + t.getWidthDirAdj();
            }
            text.append(logical(visual.toString(), rtl)).append(' ');
        }
        return normal(text.toString());
    }

    static String readBack(PDDocument doc, int page) throws IOException {
        return readBack(doc, page, false);
    }

    private static String unmirror(CharSequence run) {
        String from = "()[]{}<>«»", to = ")(][}{><»«";
        StringBuilder out = new StringBuilder();
        run.chars()
                .forEach(
                        c -> {
                            int i = from.indexOf(c);
                            out.append(i < 0 ? (char) c : to.charAt(i));
                        });
        return out.toString();
    }

    /** A line in visual order back in logical order. */
    static String logical(String visual, boolean rtl) {
        java.text.Bidi bidi =
                new java.text.Bidi(
                        visual,
                        rtl
                                ? java.text.Bidi.DIRECTION_RIGHT_TO_LEFT
                                : java.text.Bidi.DIRECTION_LEFT_TO_RIGHT);
        int runs = bidi.getRunCount();
        byte[] levels = new byte[runs];
        String[] parts = new String[runs];
        for (int i = 0; i < runs; i++) {
            levels[i] = (byte) bidi.getRunLevel(i);
            String run = visual.substring(bidi.getRunStart(i), bidi.getRunLimit(i));
            // A right-to-left run is drawn reversed, its brackets mirrored: "(" drawn as ")".
            parts[i] = (levels[i] % 2 == 1) ? unmirror(new StringBuilder(run).reverse()) : run;
        }
        java.text.Bidi.reorderVisually(levels, 0, parts, 0, runs);
        return String.join("", parts);
    }

    static String normal(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC)
                .replaceAll("\\s+", " ");
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
