package fr.sesame.roster;

import fr.sesame.web.Messages;
import java.util.List;

/** Something wrong in an uploaded file: which file, which line (0: the whole file), and a message key. */
public record Problem(String file, int line, String key, List<Object> args) {

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
        String file = msg.t("roster.file." + this.file);
        return line == 0 ? file : msg.t("roster.problem.where", file, line);
    }
}
