package fr.sesame.db;

/**
 * Search text put inside an SQL {@code ilike '%' || :q || '%'}: its own %, _ and \ match only
 * themselves.
 */
public final class Like {
    private Like() {}

    /** Escapes with the backslash, PostgreSQL's default escape character for LIKE and ILIKE. */
    public static String escape(String text) {
        if (text == null) return "";
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
