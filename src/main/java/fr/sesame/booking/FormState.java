package fr.sesame.booking;

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
 * What a form sent, as typed (so that the page can show it again), and the error of each field (a message
 * key, with its arguments when it has some).
 */
public final class FormState {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, List<String>> lists = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final Map<String, Object[]> args = new LinkedHashMap<>();

    public static FormState empty() {
        return new FormState();
    }

    static FormState of(Context ctx, List<String> fields, List<String> listFields) {
        FormState f = new FormState();
        for (String name : fields) {
            String v = Optional.ofNullable(ctx.formParam(name)).orElse("").trim();
            f.values.put(name, v.length() > 4000 ? v.substring(0, 4000) : v);
        }
        for (String name : listFields) f.lists.put(name, new ArrayList<>(ctx.formParams(name)));
        return f;
    }

    public FormState put(String field, String value) {
        values.put(field, value == null ? "" : value);
        return this;
    }

    public FormState putList(String field, List<String> value) {
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

    void fail(String field, String key, Object... arguments) {
        errors.putIfAbsent(field, key);
        if (arguments.length > 0) args.putIfAbsent(field, arguments);
    }

    // --- parsing: each returns null (and records an error) when the value is not acceptable ---

    String text(String field, int min, int max, String key) {
        String v = value(field);
        if (v.length() < min || v.length() > max) {
            fail(field, key);
            return null;
        }
        return v;
    }

    Integer integer(String field, int min, int max, String key) {
        try {
            int n = Integer.parseInt(value(field));
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(field, key, min, max);
        return null;
    }

    Long id(String field, String key) {
        try {
            return Long.parseLong(value(field));
        } catch (NumberFormatException e) {
            fail(field, key);
            return null;
        }
    }

    List<Long> ids(String field, String key) {
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

    LocalDate date(String field, String key) {
        try {
            LocalDate d = LocalDate.parse(value(field));
            if (d.getYear() >= 2000 && d.getYear() <= 2100) return d;
        } catch (DateTimeParseException e) {
            // reported below
        }
        fail(field, key);
        return null;
    }

    LocalTime time(String field, String key) {
        try {
            return LocalTime.parse(value(field));
        } catch (DateTimeParseException e) {
            fail(field, key);
            return null;
        }
    }
}
