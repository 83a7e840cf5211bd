package fr.sesame.web;

import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one form model: what a form sent, as typed (so that the page can show it again), and the
 * error of each field (a message key, with its arguments when it has some). Templates show it with
 * {@code tag/field.jte}.
 */
public final class Form {
    /** A blank form to show; it cannot be filled in (use {@link #empty()} for that). */
    public static final Form EMPTY = new Form(Map.of(), Map.of(), Map.of(), Map.of());

    /** Longer values are cut: no field of Sésame takes more, and the page shows the value back. */
    static final int MAX_VALUE = 4000;

    private final Map<String, String> values;
    private final Map<String, List<String>> lists;
    private final Map<String, String> errors;
    private final Map<String, Object[]> args;

    /** A form shown again with these values and errors (message keys without arguments). */
    public Form(Map<String, String> values, Map<String, String> errors) {
        this(
                new LinkedHashMap<>(values),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(errors),
                new LinkedHashMap<>());
    }

    private Form(
            Map<String, String> values,
            Map<String, List<String>> lists,
            Map<String, String> errors,
            Map<String, Object[]> args) {
        this.values = values;
        this.lists = lists;
        this.errors = errors;
        this.args = args;
    }

    public static Form empty() {
        return new Form(Map.of(), Map.of());
    }

    /**
     * The fields (trimmed) and the lists (checkboxes, multiple selects) that the request's form
     * sent.
     */
    public static Form of(Context ctx, List<String> fields, List<String> listFields) {
        Form f = empty();
        for (String name : fields) {
            String v = Optional.ofNullable(ctx.formParam(name)).orElse("").trim();
            f.values.put(name, v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v);
        }
        for (String name : listFields) f.lists.put(name, new ArrayList<>(ctx.formParams(name)));
        return f;
    }

    public Form put(String field, String value) {
        values.put(field, value == null ? "" : value);
        return this;
    }

    public Form putList(String field, List<String> value) {
        lists.put(field, new ArrayList<>(value));
        return this;
    }

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public List<String> list(String field) {
        return lists.getOrDefault(field, List.of());
    }

    public boolean has(String field, Object option) {
        return list(field).contains(String.valueOf(option));
    }

    public boolean checked(String field) {
        return !value(field).isEmpty();
    }

    public String error(String field) {
        return errors.get(field);
    }

    public Object[] errorArgs(String field) {
        return args.getOrDefault(field, new Object[0]);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Records the field's first error. */
    public void fail(String field, String key, Object... arguments) {
        errors.putIfAbsent(field, key);
        if (arguments.length > 0) args.putIfAbsent(field, arguments);
    }

    // --- parsing: each returns null (and records an error) when the value is not acceptable ---

    public String text(String field, int min, int max, String key) {
        String v = value(field);
        if (v.length() < min || v.length() > max) {
            fail(field, key);
            return null;
        }
        return v;
    }

    public Integer integer(String field, int min, int max, String key) {
        try {
            int n = Integer.parseInt(value(field));
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(field, key, min, max);
        return null;
    }

    public Long id(String field, String key) {
        try {
            return Long.parseLong(value(field));
        } catch (NumberFormatException e) {
            fail(field, key);
            return null;
        }
    }

    public List<Long> ids(String field, String key) {
        List<Long> ids = new ArrayList<>();
        for (String v : list(field)) {
            try {
                ids.add(Long.parseLong(v));
            } catch (NumberFormatException e) {
                fail(field, key);
                return List.of();
            }
        }
        return ids;
    }

    public LocalDate date(String field, String key) {
        try {
            LocalDate d = LocalDate.parse(value(field));
            if (d.getYear() >= 2000 && d.getYear() <= 2100) return d;
        } catch (DateTimeParseException e) {
            // reported below
        }
        fail(field, key);
        return null;
    }

    public LocalTime time(String field, String key) {
        try {
            return LocalTime.parse(value(field));
        } catch (DateTimeParseException e) {
            fail(field, key);
            return null;
        }
    }

    /**
     * Only a path of this site, never another host (no open redirect); empty when it is not one.
     */
    public static String localPath(String next) {
        if (next == null
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.contains("\\")
                || next.chars().anyMatch(c -> c < 0x20)
                || next.length() > 300) {
            return "";
        }
        return next;
    }
}
