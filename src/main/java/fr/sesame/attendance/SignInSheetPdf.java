package fr.sesame.attendance;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import fr.sesame.pdf.PdfFonts;
import fr.sesame.web.Dates;
import fr.sesame.web.Messages;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The paper sign-in sheet (feuille d'émargement) of a session, for a trainer without a tablet: the
 * workshop, school, room, date and time, then one line per guardian of the attendance sheet, in the
 * same order as the tablet's sheet ({@link AttendanceDao#sheetLines}), with their children (name,
 * class), present/absent boxes and a signature box. The marks are entered afterwards on the
 * session's sheet page, through the same {@link AttendanceService} as the tablet's marks.
 *
 * <p>Made with OpenPDF, as the letters ({@code roster/LetterPdf}), with the same embedded fonts
 * ({@link fr.sesame.pdf.PdfFonts}): names in Latin, Cyrillic or Arabic script print, Arabic ones
 * shaped and in right-to-left order inside the sheet's left-to-right lines.
 */
final class SignInSheetPdf {
    private SignInSheetPdf() {}

    static byte[] render(
            AttendanceDao.Session s, List<AttendanceDao.SheetLine> lines, String lang) {
        Messages msg = Messages.of(lang);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4.rotate(), 36, 36, 36, 36);
        try {
            PdfWriter.getInstance(doc, out);
            doc.addTitle(msg.t("attendance.paper.title"));
            doc.open();
            Font title = font(15, Font.BOLD);
            Font body = font(10, Font.NORMAL);
            Font bold = font(10, Font.BOLD);
            doc.add(new Paragraph(msg.t("attendance.paper.title"), title));
            Paragraph what = new Paragraph(PdfFonts.phrase(s.title(lang), 10, Font.BOLD));
            what.setSpacingBefore(6);
            doc.add(what);
            doc.add(
                    new Paragraph(
                            Dates.dayAndTimeRange(s.startsAt(), s.endsAt(), lang)
                                    + " · "
                                    + s.schoolName()
                                    + ", "
                                    + s.roomName(),
                            body));
            Paragraph count = new Paragraph(msg.t("attendance.paper.count", lines.size()), body);
            count.setSpacingAfter(10);
            doc.add(count);

            PdfPTable table = new PdfPTable(new float[] {4, 22, 34, 8, 8, 24});
            table.setWidthPercentage(100);
            table.setHeaderRows(1);
            for (String key :
                    List.of(
                            "attendance.paper.number",
                            "attendance.paper.guardian",
                            "attendance.paper.children",
                            "attendance.mark.present",
                            "attendance.mark.absent",
                            "attendance.paper.signature")) {
                PdfPCell cell = new PdfPCell(new Phrase(msg.t(key), bold));
                cell.setPadding(4);
                table.addCell(cell);
            }
            int n = 0;
            for (AttendanceDao.SheetLine l : lines) {
                n++;
                table.addCell(cell(String.valueOf(n), body));
                table.addCell(
                        cell(
                                l.lastName().toUpperCase(java.util.Locale.ROOT)
                                        + " "
                                        + l.firstName(),
                                body));
                table.addCell(cell(l.children(), body));
                table.addCell(cell(" ", body));
                table.addCell(cell(" ", body));
                table.addCell(cell(" ", body));
            }
            doc.add(table);
            if (lines.isEmpty()) doc.add(new Paragraph(msg.t("attendance.empty"), body));
            Paragraph after = new Paragraph(msg.t("attendance.paper.after"), body);
            after.setSpacingBefore(12);
            doc.add(after);
            Paragraph trainer = new Paragraph(msg.t("attendance.paper.trainer"), body);
            trainer.setSpacingBefore(12);
            doc.add(trainer);
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot build the sign-in sheet", e);
        }
        return out.toByteArray();
    }

    /** A line of the table, tall enough to sign in. */
    private static PdfPCell cell(String text, Font font) {
        PdfPCell cell = PdfFonts.cell(PdfFonts.phrase(text, font.getSize(), font.getStyle()), "fr");
        cell.setMinimumHeight(34);
        cell.setPadding(4);
        cell.setVerticalAlignment(Element.ALIGN_MIDDLE);
        return cell;
    }

    private static Font font(float size, int style) {
        return PdfFonts.font(size, style);
    }
}
