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
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import fr.sesame.auth.LetterCodes;
import fr.sesame.db.TownUrls;
import fr.sesame.pdf.PdfFonts;
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

    private final TownUrls urls;
    private final java.util.function.Supplier<String> townContact;

    public LetterPdf(String baseUrl, String townContact) {
        this(TownUrls.fixed(baseUrl), () -> townContact);
    }

    /**
     * Each town's letters with its own address (the town of the request) and its contact, read for
     * each letter run (issue 17).
     */
    public LetterPdf(TownUrls urls, java.util.function.Supplier<String> townContact) {
        this.urls = urls;
        this.townContact = townContact;
    }

    /** The address the QR code opens. */
    String signInUrl(String code) {
        return urls.current() + "/sign-in/code?code=" + code;
    }

    byte[] render(List<Letter> letters) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, MARGIN, MARGIN, MARGIN, MARGIN);
        try {
            PdfWriter.getInstance(doc, out);
            doc.addTitle("Sésame");
            doc.open();
            String contact = townContact.get(); // the current town's, once per run
            boolean first = true;
            for (Letter letter : letters) {
                if (!first) doc.newPage();
                first = false;
                page(doc, letter, contact);
            }
            if (letters.isEmpty()) doc.add(new Paragraph(" "));
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot build the letters", e);
        }
        return out.toByteArray();
    }

    private void page(Document doc, Letter letter, String townContact) throws DocumentException {
        Messages msg = Messages.of(letter.language());
        String lang = letter.language();
        boolean rtl = PdfFonts.rightToLeft(lang);

        // The head of the page is a two-cell table: the school and the title at the start of the
        // line, wrapping as long as they need, and the QR code in its own reserved box at the end
        // (on the right, or on the left in a right-to-left letter, where the table's columns are
        // mirrored), so the text that follows always starts below the taller of the two.
        // (OpenPDF mirrors the order of the cells of a right-to-left table, not its widths.)
        PdfPTable head =
                new PdfPTable(
                        rtl
                                ? new float[] {QR_BOX, TEXT_WIDTH - QR_BOX}
                                : new float[] {TEXT_WIDTH - QR_BOX, QR_BOX});
        head.setTotalWidth(TEXT_WIDTH);
        head.setLockedWidth(true);
        head.setSpacingAfter(12);
        head.setRunDirection(PdfFonts.runDirection(lang));
        PdfPCell left = new PdfPCell();
        left.setBorder(Rectangle.NO_BORDER);
        left.setPadding(0);
        if (rtl) left.setPaddingLeft(QR_GAP);
        else left.setPaddingRight(QR_GAP);
        left.setRunDirection(PdfFonts.runDirection(lang));
        left.addElement(paragraph(letter.schoolName(), 11, Font.NORMAL, 18, rtl));
        left.addElement(
                paragraph(msg.t("roster.letter.title", letter.children()), 17, Font.BOLD, 0, rtl));
        head.addCell(left);
        Image qr = qrImage(signInUrl(letter.code()));
        qr.scaleAbsolute(QR_SIZE, QR_SIZE);
        PdfPCell right = new PdfPCell(qr, false);
        right.setBorder(Rectangle.NO_BORDER);
        right.setPadding(0);
        right.setFixedHeight(QR_SIZE);
        right.setHorizontalAlignment(Element.ALIGN_RIGHT); // the end of the line: left in Arabic
        right.setVerticalAlignment(Element.ALIGN_TOP);
        head.addCell(right);
        doc.add(head);

        block(doc, lang, msg.t("roster.letter.greeting"), BODY, Font.NORMAL, 8);
        block(doc, lang, msg.t("roster.letter.why", letter.children()), BODY, Font.NORMAL, 8);
        block(doc, lang, msg.t("roster.letter.what"), BODY, Font.NORMAL, 12);

        block(doc, lang, msg.t("roster.letter.sessions"), BODY, Font.BOLD, 4);
        if (letter.sessions().isEmpty()) {
            block(doc, lang, msg.t("roster.letter.nosession"), BODY, Font.NORMAL, 12);
        } else {
            for (LetterDao.NextSession s : letter.sessions()) {
                String name = lang.equals("en") ? s.titleEn() : s.titleFr();
                block(
                        doc,
                        lang,
                        "•  "
                                + Dates.dayAndTime(s.startsAt(), lang)
                                + " — "
                                + name
                                + " ("
                                + s.room()
                                + ")"
                                + sessionLanguage(msg, s.language(), lang),
                        BODY,
                        Font.NORMAL,
                        2);
            }
            block(doc, lang, " ", BODY, Font.NORMAL, 6);
        }

        block(doc, lang, msg.t("roster.letter.howto"), BODY, Font.BOLD, 4);
        block(
                doc,
                lang,
                msg.t("roster.letter.step1", urls.current() + "/sign-in/code"),
                BODY,
                Font.NORMAL,
                2);
        block(doc, lang, msg.t("roster.letter.step2"), BODY, Font.NORMAL, 6);
        // The code itself is Latin letters and digits, always left to right, even in Arabic.
        Phrase code = PdfFonts.phrase(msg.t("roster.letter.code") + "  ", BODY, Font.NORMAL);
        code.add(new Chunk(LetterCodes.display(letter.code()), font(22, Font.BOLD)));
        PdfPCell codeCell = PdfFonts.cell(code, lang);
        codeCell.setHorizontalAlignment(Element.ALIGN_CENTER);
        codeCell.setPaddingTop(6);
        add(doc, codeCell, 22, 12);
        block(doc, lang, msg.t("roster.letter.keep"), BODY, Font.NORMAL, 12);

        block(doc, lang, msg.t("roster.letter.contact"), BODY, Font.BOLD, 4);
        if (townContact.isBlank()) {
            block(doc, lang, msg.t("roster.letter.contact.school"), BODY, Font.NORMAL, 2);
        } else {
            for (String line : townContact.split("\\|")) {
                block(doc, lang, line.strip(), BODY, Font.NORMAL, 2);
            }
        }
    }

    /** The size of the body text. */
    private static final float BODY = 11;

    /**
     * One paragraph of the letter, the whole text width, shaped and ordered in the language's
     * direction (OpenPDF does right to left only inside a cell or a column, not for a paragraph
     * added to the document): a table of one borderless cell.
     */
    private static void block(
            Document doc, String lang, String text, float size, int style, float after)
            throws DocumentException {
        PdfPCell cell;
        if (PdfFonts.rightToLeft(lang) && !PdfFonts.hasRightToLeft(text)) {
            // A line with no Arabic in an Arabic letter (the town's address and telephone) reads
            // left to right, so "01 23 45 67 89" keeps its order, but starts on the right.
            cell = PdfFonts.cell(PdfFonts.phrase(text, size, style), "fr");
            cell.setHorizontalAlignment(Element.ALIGN_RIGHT);
        } else {
            cell = PdfFonts.cell(PdfFonts.phrase(text, size, style), lang);
            cell.setHorizontalAlignment(Element.ALIGN_LEFT);
        }
        cell.setPaddingTop(0);
        add(doc, cell, size, after);
    }

    private static void add(Document doc, PdfPCell cell, float size, float after)
            throws DocumentException {
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setPaddingLeft(0);
        cell.setPaddingRight(0);
        cell.setPaddingBottom(after);
        cell.setLeading(size * 1.35f, 0);
        PdfPTable table = new PdfPTable(1);
        table.setTotalWidth(TEXT_WIDTH);
        table.setLockedWidth(true);
        table.addCell(cell);
        doc.add(table);
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

    private static Paragraph paragraph(
            String text, float size, int style, float after, boolean rtl) {
        Paragraph p = new Paragraph(PdfFonts.phrase(text, size, style));
        p.setSpacingAfter(after);
        p.setLeading(size * 1.35f);
        p.setAlignment(Element.ALIGN_LEFT); // the start of the line, the right in Arabic
        return p;
    }

    static final com.lowagie.text.pdf.BaseFont FONT = PdfFonts.FONT;

    private static Font font(float size, int style) {
        return PdfFonts.font(size, style);
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
