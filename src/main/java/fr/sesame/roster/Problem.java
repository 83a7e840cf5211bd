package fr.sesame.roster;

import fr.sesame.web.Messages;
import java.util.List;

/**
 * Something wrong in an uploaded file: which file, which line (0: the whole file), a message key
 * with its arguments, and the column when it is known (null otherwise).
 */
public record Problem(String file, int line, String key, List<Object> args, String column) {

    public Problem(String file, int line, String key, List<Object> args) {
        this(file, line, key, args, null);
    }

    static Problem file(RosterCsv.Kind kind, String key, Object... args) {
        return new Problem(kind.key, 0, key, List.of(args));
    }

    static Problem at(RosterCsv.Row row, RosterCsv.Kind kind, String key, Object... args) {
        return new Problem(kind.key, row.line(), key, List.of(args));
    }

    /** The plain message, in the reader's language. */
    public String message(Messages msg) {
        return msg.t(key, args.toArray());
    }

    public String where(Messages msg) {
        return where(msg, null);
    }

    /** Which file (by its kind, and by the name it was sent under when known), line and column. */
    public String where(Messages msg, String fileName) {
        String file = msg.t("roster.file." + this.file);
        if (fileName != null && !fileName.isBlank())
            file = msg.t("roster.file.named", file, fileName);
        if (line == 0) return file;
        return column == null
                ? msg.t("roster.problem.where", file, line)
                : msg.t("roster.problem.where.column", file, line, column);
    }
}
