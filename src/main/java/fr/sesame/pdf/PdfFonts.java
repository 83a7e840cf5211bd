package fr.sesame.pdf;

import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.FontSelector;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfWriter;
import java.io.IOException;
import java.io.InputStream;

/**
 * The fonts of every PDF Sésame makes (the letters, the paper sign-in sheet), both embedded in
 * Unicode (Identity-H) and read from jars on the class path (nothing is fetched at run time):
 *
 * <ul>
 *   <li>{@link #FONT}, Liberation Sans (SIL Open Font License 1.1), as PDFBox ships it in its jar,
 *       for Latin (French, English, Turkish, Portuguese) and Cyrillic (Ukrainian);
 *   <li>{@link #ARABIC}, DejaVu Sans (Bitstream Vera licence, DejaVu changes in the public domain),
 *       from {@code net.sf.jasperreports:jasperreports-fonts}, for Arabic script: it has the Arabic
 *       presentation forms OpenPDF's shaping ({@code ArabicLigaturizer}) draws.
 * </ul>
 *
 * <p>{@link #phrase} picks the font character by character (Liberation Sans first), so a Latin name
 * in an Arabic letter or an Arabic name on a French sheet print with real glyphs. Arabic is shaped
 * (joined letters, lam-alef ligatures) and put in visual order by OpenPDF only in a cell or a
 * column with a run direction: {@link #cell} sets it. Bold is drawn by OpenPDF from the regular
 * faces.
 */
public final class PdfFonts {
    public static final BaseFont FONT =
            load("/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf");

    public static final BaseFont ARABIC = load("/net/sf/jasperreports/fonts/dejavu/DejaVuSans.ttf");

    private PdfFonts() {}

    /** Liberation Sans only: for text known to be Latin (codes, numbers). */
    public static Font font(float size, int style) {
        return new Font(FONT, size, style);
    }

    /** The text, each character in the first font that has it. */
    public static Phrase phrase(String text, float size, int style) {
        FontSelector selector = new FontSelector();
        selector.addFont(new Font(FONT, size, style));
        selector.addFont(new Font(ARABIC, size, style));
        return selector.process(text);
    }

    /** True for the languages written right to left. */
    public static boolean rightToLeft(String lang) {
        return "ar".equals(lang);
    }

    /** True when the text has a letter of a right-to-left script. */
    public static boolean hasRightToLeft(String text) {
        return text.codePoints()
                .anyMatch(
                        c -> {
                            byte d = Character.getDirectionality(c);
                            return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                                    || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
                        });
    }

    /** OpenPDF's run direction for a language: right to left for Arabic, else left to right. */
    public static int runDirection(String lang) {
        return rightToLeft(lang) ? PdfWriter.RUN_DIRECTION_RTL : PdfWriter.RUN_DIRECTION_LTR;
    }

    /**
     * A cell whose text is shaped and ordered by the Unicode bidirectional algorithm, its paragraph
     * direction the language's; {@link Element#ALIGN_LEFT} means the start of the line (the right
     * in Arabic).
     */
    public static PdfPCell cell(Phrase phrase, String lang) {
        PdfPCell cell = new PdfPCell(phrase);
        cell.setRunDirection(runDirection(lang));
        cell.setArabicOptions(0);
        return cell;
    }

    private static BaseFont load(String path) {
        try (InputStream in = PdfFonts.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("font missing: " + path);
            String name = path.substring(path.lastIndexOf('/') + 1);
            return BaseFont.createFont(
                    name, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, in.readAllBytes(), null);
        } catch (IOException | DocumentException e) {
            throw new IllegalStateException("cannot load the PDF font " + path, e);
        }
    }
}
