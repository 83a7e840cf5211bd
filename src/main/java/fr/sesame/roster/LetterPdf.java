package fr.sesame.roster;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.lowagie.text.BadElementException;
import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import fr.sesame.auth.LetterCodes;
import fr.sesame.web.Dates;
import fr.sesame.web.Messages;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The letters a school hands out: one A4 page per family, in the family's language, with the
 * child's name, what the training is and why, the school's next sessions, the family's letter code,
 * a QR code that opens the sign-in page with the code filled in, and the town's contact.
 */
public final class LetterPdf {
    /** Pixels per QR module in the embedded image: sharp when printed, small in the file. */
    private static final int MODULE_PIXELS = 8;

    /** Page margins, in points, on every side. */
    static final float MARGIN = 56;

    /** The width the text may use between the margins. */
    static final float TEXT_WIDTH = PageSize.A4.getWidth() - 2 * MARGIN;

    /** The printed side of the QR code, its reserved box and the gap left of it. */
    static final float QR_SIZE = 120;

    private static final float QR_GAP = 16;
    private static final float QR_BOX = QR_SIZE + QR_GAP;

    /** One letter: a family, in the school of the batch. */
    record Letter(
            String language,
            String children,
            String code,
            String schoolName,
            List<LetterDao.NextSession> sessions) {}

    private final String baseUrl;
    private final String townContact;

    public LetterPdf(String baseUrl, String townContact) {
        this.baseUrl = baseUrl;
        this.townContact = townContact;
    }

    /** The address the QR code opens. */
    String signInUrl(String code) {
        return baseUrl + "/sign-in/code?code=" + code;
    }

    byte[] render(List<Letter> letters) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, MARGIN, MARGIN, MARGIN, MARGIN);
        try {
            PdfWriter.getInstance(doc, out);
            doc.addTitle("Sésame");
            doc.open();
            boolean first = true;
            for (Letter letter : letters) {
                if (!first) doc.newPage();
                first = false;
                page(doc, letter);
            }
            if (letters.isEmpty()) doc.add(new Paragraph(" "));
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot build the letters", e);
        }
        return out.toByteArray();
    }

    private void page(Document doc, Letter letter) throws DocumentException {
        Messages msg = Messages.of(letter.language());
        Font title = font(17, Font.BOLD);
        Font body = font(11, Font.NORMAL);
        Font bold = font(11, Font.BOLD);
        Font big = font(22, Font.BOLD);

        // The head of the page is a two-cell table: the school and the title on the left, wrapping
        // as long as they need, and the QR code in its own reserved box on the right, so the text
        // that follows always starts below the taller of the two.
        PdfPTable head = new PdfPTable(new float[] {TEXT_WIDTH - QR_BOX, QR_BOX});
        head.setTotalWidth(TEXT_WIDTH);
        head.setLockedWidth(true);
        head.setSpacingAfter(12);
        PdfPCell left = new PdfPCell();
        left.setBorder(Rectangle.NO_BORDER);
        left.setPadding(0);
        left.setPaddingRight(QR_GAP);
        left.addElement(paragraph(letter.schoolName(), body, 18));
        left.addElement(paragraph(msg.t("roster.letter.title", letter.children()), title, 0));
        head.addCell(left);
        Image qr = qrImage(signInUrl(letter.code()));
        qr.scaleAbsolute(QR_SIZE, QR_SIZE);
        PdfPCell right = new PdfPCell(qr, false);
        right.setBorder(Rectangle.NO_BORDER);
        right.setPadding(0);
        right.setFixedHeight(QR_SIZE);
        right.setHorizontalAlignment(Element.ALIGN_RIGHT);
        right.setVerticalAlignment(Element.ALIGN_TOP);
        head.addCell(right);
        doc.add(head);

        doc.add(paragraph(msg.t("roster.letter.greeting"), body, 8));
        doc.add(paragraph(msg.t("roster.letter.why", letter.children()), body, 8));
        doc.add(paragraph(msg.t("roster.letter.what"), body, 12));

        doc.add(paragraph(msg.t("roster.letter.sessions"), bold, 4));
        if (letter.sessions().isEmpty()) {
            doc.add(paragraph(msg.t("roster.letter.nosession"), body, 12));
        } else {
            for (LetterDao.NextSession s : letter.sessions()) {
                String name = letter.language().equals("en") ? s.titleEn() : s.titleFr();
                doc.add(
                        paragraph(
                                "•  "
                                        + Dates.dayAndTime(s.startsAt(), letter.language())
                                        + " — "
                                        + name
                                        + " ("
                                        + s.room()
                                        + ")"
                                        + sessionLanguage(msg, s.language(), letter.language()),
                                body,
                                2));
            }
            doc.add(paragraph(" ", body, 6));
        }

        doc.add(paragraph(msg.t("roster.letter.howto"), bold, 4));
        doc.add(paragraph(msg.t("roster.letter.step1", baseUrl + "/sign-in/code"), body, 2));
        doc.add(paragraph(msg.t("roster.letter.step2"), body, 6));
        Paragraph code = new Paragraph();
        code.add(new Chunk(msg.t("roster.letter.code") + "  ", body));
        code.add(new Chunk(LetterCodes.display(letter.code()), big));
        code.setAlignment(Element.ALIGN_CENTER);
        code.setSpacingBefore(6);
        code.setSpacingAfter(12);
        doc.add(code);
        doc.add(paragraph(msg.t("roster.letter.keep"), body, 12));

        doc.add(paragraph(msg.t("roster.letter.contact"), bold, 4));
        if (townContact.isBlank()) {
            doc.add(paragraph(msg.t("roster.letter.contact.school"), body, 2));
        } else {
            for (String line : townContact.split("\\|")) doc.add(paragraph(line.strip(), body, 2));
        }
    }

    /**
     * Said only when the session is given in another language than the family's: " — in French".
     */
    static String sessionLanguage(Messages msg, String session, String family) {
        if (session == null || session.equals(family)) return "";
        String name =
                Locale.forLanguageTag(session).getDisplayLanguage(Locale.forLanguageTag(family));
        return " — " + msg.t("roster.letter.session.language", name);
    }

    private static Paragraph paragraph(String text, Font font, float after) {
        Paragraph p = new Paragraph(text, font);
        p.setSpacingAfter(after);
        p.setLeading(font.getSize() * 1.35f);
        return p;
    }

    static final com.lowagie.text.pdf.BaseFont FONT = fr.sesame.pdf.PdfFonts.FONT;

    private static Font font(float size, int style) {
        return fr.sesame.pdf.PdfFonts.font(size, style);
    }

    /** The QR code as a raw 8-bit grey image, with its quiet zone. */
    static Image qrImage(String text) {
        try {
            BitMatrix matrix =
                    new QRCodeWriter()
                            .encode(
                                    text,
                                    BarcodeFormat.QR_CODE,
                                    0,
                                    0,
                                    Map.of(
                                            EncodeHintType.MARGIN,
                                            4,
                                            EncodeHintType.ERROR_CORRECTION,
                                            ErrorCorrectionLevel.M));
            int size = matrix.getWidth() * MODULE_PIXELS;
            byte[] pixels = new byte[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    pixels[y * size + x] =
                            matrix.get(x / MODULE_PIXELS, y / MODULE_PIXELS) ? 0 : (byte) 0xFF;
                }
            }
            return Image.getInstance(size, size, 1, 8, pixels);
        } catch (WriterException | BadElementException e) {
            throw new IllegalStateException("cannot draw the QR code", e);
        }
    }
}
