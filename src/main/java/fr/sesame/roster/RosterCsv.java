package fr.sesame.roster;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one roster file as the town's tools export it (its text decoded and checked by {@link
 * RosterText}), comma or semicolon, French or English headers. Returns its rows by canonical column
 * name, with their line numbers, and every problem found in the file itself.
 */
final class RosterCsv {
    static final int MAX_FILE_BYTES = 10 * 1024 * 1024;

    /** The four files of a roster, and the columns each one may have. */
    enum Kind {
        PUPILS(
                "pupils",
                List.of(
                        Column.required(
                                "pupil_id",
                                "id_eleve",
                                "identifiant_eleve",
                                "pupil_id",
                                "id_pupil",
                                "pupil_external_id"),
                        Column.required(
                                "last_name",
                                "nom",
                                "nom_eleve",
                                "last_name",
                                "surname",
                                "family_name"),
                        Column.required(
                                "first_name", "prenom", "prenom_eleve", "first_name", "given_name"),
                        Column.required(
                                "school_uai",
                                "uai",
                                "uai_ecole",
                                "ecole_uai",
                                "school_uai",
                                "school"),
                        Column.required("class_level", "niveau", "class_level", "level"),
                        Column.optional("class_name", "classe", "class_name", "class"),
                        Column.optional("ent_id", "id_ent", "identifiant_ent", "ent_id"))),
        GUARDIANS(
                "guardians",
                List.of(
                        Column.required(
                                "guardian_id",
                                "id_responsable",
                                "identifiant_responsable",
                                "guardian_id",
                                "id_guardian"),
                        Column.required(
                                "last_name",
                                "nom",
                                "nom_responsable",
                                "last_name",
                                "surname",
                                "family_name"),
                        Column.required(
                                "first_name",
                                "prenom",
                                "prenom_responsable",
                                "first_name",
                                "given_name"),
                        Column.optional(
                                "email",
                                "courriel",
                                "email",
                                "e_mail",
                                "mail",
                                "adresse_electronique"),
                        Column.optional("phone", "telephone", "tel", "portable", "phone", "mobile"),
                        Column.optional("language", "langue", "language"),
                        Column.optional("ent_id", "id_ent", "identifiant_ent", "ent_id"))),
        LINKS(
                "links",
                List.of(
                        Column.required(
                                "pupil_id",
                                "id_eleve",
                                "identifiant_eleve",
                                "pupil_id",
                                "id_pupil"),
                        Column.required(
                                "guardian_id",
                                "id_responsable",
                                "identifiant_responsable",
                                "guardian_id",
                                "id_guardian"))),
        DEVICES(
                "devices",
                List.of(
                        Column.required(
                                "asset_tag",
                                "numero_inventaire",
                                "n_inventaire",
                                "inventaire",
                                "asset_tag",
                                "tag"),
                        Column.required(
                                "serial_number",
                                "numero_serie",
                                "n_serie",
                                "serie",
                                "serial_number",
                                "serial"),
                        Column.required("model", "modele", "model"),
                        Column.optional(
                                "pupil_id",
                                "id_eleve",
                                "identifiant_eleve",
                                "pupil_id",
                                "id_pupil"),
                        Column.optional("state", "etat", "state")));

        final String key;
        final List<Column> columns;

        Kind(String key, List<Column> columns) {
            this.key = key;
            this.columns = columns;
        }

        Column column(String normalizedHeader) {
            return columns.stream()
                    .filter(c -> c.aliases.contains(normalizedHeader))
                    .findFirst()
                    .orElse(null);
        }

        /** The first French and English header names of the required columns, for messages. */
        String requiredNames() {
            return String.join(
                    ", ",
                    columns.stream()
                            .filter(c -> c.required)
                            .map(c -> c.aliases.get(0) + " / " + c.name)
                            .toList());
        }
    }

    /**
     * A header cell left empty (a trailing separator, as spreadsheets sometimes write): its cells
     * must be empty too.
     */
    static final Column UNNAMED = new Column("", false, List.of());

    record Column(String name, boolean required, List<String> aliases) {
        static Column required(String name, String... aliases) {
            return new Column(name, true, List.of(aliases));
        }

        static Column optional(String name, String... aliases) {
            return new Column(name, false, List.of(aliases));
        }
    }

    /**
     * One data line: its line number in the file (the header is line 1) and its values by column
     * name.
     */
    record Row(int line, Map<String, String> values) {
        String get(String column) {
            String v = values.get(column);
            return v == null ? "" : v;
        }
    }

    /** A file read: its rows, and the problems that make it unusable or concern single lines. */
    record Table(
            Kind kind, List<Row> rows, List<Problem> problems, String encoding, char separator) {}

    private RosterCsv() {}

    static Table read(Kind kind, byte[] bytes) {
        List<Problem> problems = new ArrayList<>();
        if (bytes == null || bytes.length == 0) {
            problems.add(Problem.file(kind, "roster.problem.empty"));
            return new Table(kind, List.of(), problems, null, ',');
        }
        if (bytes.length > MAX_FILE_BYTES) {
            problems.add(
                    Problem.file(kind, "roster.problem.toolarge", MAX_FILE_BYTES / (1024 * 1024)));
            return new Table(kind, List.of(), problems, null, ',');
        }
        RosterText.Decoded decoded = RosterText.decode(kind, bytes);
        if (!decoded.ok())
            return new Table(kind, List.of(), decoded.problems(), decoded.encoding(), ',');
        String encoding = decoded.encoding();
        String text = decoded.text();
        if (text.isBlank()) {
            problems.add(Problem.file(kind, "roster.problem.empty"));
            return new Table(kind, List.of(), problems, encoding, ',');
        }
        char separator = separatorOf(text);
        int[] lineStarts = lineStarts(text);
        CSVFormat format =
                CSVFormat.DEFAULT
                        .builder()
                        .setDelimiter(separator)
                        .setIgnoreEmptyLines(true)
                        .setTrim(true)
                        .setIgnoreSurroundingSpaces(true)
                        .get();
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser =
                CSVParser.builder().setReader(new StringReader(text)).setFormat(format).get()) {
            var records = parser.iterator();
            if (!records.hasNext()) {
                problems.add(Problem.file(kind, "roster.problem.empty"));
                return new Table(kind, List.of(), problems, encoding, separator);
            }
            CSVRecord headerRecord = records.next();
            int headerLine = lineOf(lineStarts, headerRecord.getCharacterPosition());
            Column[] columns = headerColumns(kind, headerRecord, headerLine, problems);
            if (columns == null) return new Table(kind, List.of(), problems, encoding, separator);
            int lastLine = headerLine;
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) break;
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    // the record that cannot be read starts on the line after the last good one
                    problems.add(
                            new Problem(
                                    kind.key, lastLine + 1, "roster.problem.quoting", List.of()));
                    break;
                }
                int line =
                        skipEmptyLines(
                                text,
                                lineStarts,
                                lineOf(lineStarts, record.getCharacterPosition()));
                lastLine =
                        line
                                + (int)
                                        record.stream()
                                                .mapToLong(
                                                        v ->
                                                                v.chars()
                                                                        .filter(c -> c == '\n')
                                                                        .count())
                                                .sum();
                if (record.size() == 1 && record.get(0).isEmpty()) continue;
                if (record.size() != columns.length) {
                    problems.add(
                            new Problem(
                                    kind.key,
                                    line,
                                    record.size() > columns.length
                                            ? "roster.problem.toomany"
                                            : "roster.problem.toofew",
                                    List.of(record.size(), columns.length)));
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                boolean rejected = false;
                for (int i = 0; i < columns.length; i++) {
                    String value = record.get(i);
                    if (columns[i] == UNNAMED) {
                        if (!value.isBlank()) {
                            problems.add(
                                    new Problem(
                                            kind.key,
                                            line,
                                            "roster.problem.unnamed",
                                            List.of(i + 1)));
                            rejected = true;
                        }
                        continue;
                    }
                    if (looksLikeFormula(value)) {
                        problems.add(
                                new Problem(
                                        kind.key,
                                        line,
                                        "roster.problem.formula",
                                        List.of(headerRecord.get(i))));
                        rejected = true;
                    }
                    values.put(columns[i].name(), value.strip());
                }
                if (!rejected) rows.add(new Row(line, values));
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            problems.add(Problem.file(kind, "roster.problem.quoting"));
        }
        return new Table(kind, rows, problems, encoding, separator);
    }

    private static Column[] headerColumns(
            Kind kind, CSVRecord header, int line, List<Problem> problems) {
        Column[] columns = new Column[header.size()];
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String name = normalizeHeader(header.get(i));
            if (name.isEmpty()) {
                columns[i] = UNNAMED;
                continue;
            }
            Column c = kind.column(name);
            if (c == null) {
                unknown.add(header.get(i));
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (columns[j] == c)
                    problems.add(
                            new Problem(
                                    kind.key,
                                    line,
                                    "roster.problem.duplicatecolumn",
                                    List.of(header.get(i))));
            }
            columns[i] = c;
        }
        List<Column> found = Arrays.stream(columns).filter(c -> c != null && c != UNNAMED).toList();
        boolean missing = kind.columns.stream().anyMatch(c -> c.required && !found.contains(c));
        if (missing) {
            Kind other =
                    Arrays.stream(Kind.values())
                            .filter(k -> k != kind && fits(k, header))
                            .findFirst()
                            .orElse(null);
            if (other != null) {
                problems.add(
                        new Problem(
                                kind.key, 0, "roster.problem.wrongkind." + other.key, List.of()));
            } else {
                problems.add(
                        new Problem(
                                kind.key,
                                0,
                                "roster.problem.columns",
                                List.of(kind.requiredNames())));
            }
            return null;
        }
        if (!unknown.isEmpty()) {
            problems.add(
                    new Problem(
                            kind.key,
                            line,
                            "roster.problem.unknowncolumns",
                            List.of(String.join(", ", unknown))));
            return null;
        }
        return problems.stream().anyMatch(p -> p.key().equals("roster.problem.duplicatecolumn"))
                ? null
                : columns;
    }

    private static boolean fits(Kind kind, CSVRecord header) {
        List<String> names = header.stream().map(RosterCsv::normalizeHeader).toList();
        return kind.columns.stream()
                .filter(c -> c.required)
                .allMatch(c -> names.stream().anyMatch(c.aliases::contains));
    }

    /** "Prénom", "prenom " and "PRENOM" are the same column; so are "E-mail" and "e_mail". */
    static String normalizeHeader(String header) {
        String s =
                Normalizer.normalize(header.strip(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        s = s.toLowerCase(Locale.ROOT).replace("°", "").replaceAll("[^a-z0-9]+", "_");
        return s.replaceAll("^_+|_+$", "");
    }

    /**
     * A cell that a spreadsheet would run as a formula. A phone number such as +33 6... is not one.
     */
    static boolean looksLikeFormula(String value) {
        if (value.isEmpty()) return false;
        char c = value.charAt(0);
        if (c == '=' || c == '@' || c == '\t' || c == '\r') return true;
        if (c == '+' || c == '-') return !value.matches("[+-][0-9 ().\\-]*");
        return false;
    }

    /** The separator of the header line: the one of ; and , that it uses more. */
    static char separatorOf(String text) {
        int end = text.indexOf('\n');
        String header = end < 0 ? text : text.substring(0, end);
        long semicolons = header.chars().filter(c -> c == ';').count();
        long commas = header.chars().filter(c -> c == ',').count();
        return semicolons > commas ? ';' : ',';
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')))
                starts.add(i + 1);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The parser gives a record the position where it started skipping empty lines: move to its
     * first real line.
     */
    private static int skipEmptyLines(String text, int[] lineStarts, int line) {
        while (line < lineStarts.length) {
            int start = lineStarts[line - 1];
            int end = lineStarts[line];
            if (!text.substring(start, end).isBlank()) break;
            line++;
        }
        return line;
    }

    private static int lineOf(int[] lineStarts, long position) {
        int i = Arrays.binarySearch(lineStarts, (int) position);
        return (i >= 0 ? i : -i - 2) + 1;
    }
}
