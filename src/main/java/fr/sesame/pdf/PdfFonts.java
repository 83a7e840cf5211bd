package fr.sesame.pdf;

import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.pdf.BaseFont;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one font of every PDF Sésame makes (the letters, the paper sign-in sheet): Liberation Sans
 * (SIL Open Font License 1.1), as PDFBox ships it in its jar, embedded in Unicode (Identity-H) so
 * Turkish, Portuguese and Ukrainian texts and names print with real glyphs. It has no Arabic
 * glyphs. Bold is drawn by OpenPDF from the regular face.
 */
public final class PdfFonts {
    public static final BaseFont FONT = loadFont();

    private PdfFonts() {}

    public static Font font(float size, int style) {
        return new Font(FONT, size, style);
    }

    private static BaseFont loadFont() {
        String path = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
        try (InputStream in = PdfFonts.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("font missing: " + path);
            return BaseFont.createFont(
                    "LiberationSans-Regular.ttf",
                    BaseFont.IDENTITY_H,
                    BaseFont.EMBEDDED,
                    true,
                    in.readAllBytes(),
                    null);
        } catch (IOException | DocumentException e) {
            throw new IllegalStateException("cannot load the PDF font", e);
        }
    }
}
