package fr.sesame.support;

import org.jdbi.v3.core.Jdbi;

/** Reads single values straight from the database, for assertions. */
public final class Sql {
    private Sql() {}

    public static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    public static boolean bool(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Boolean.class).one());
    }

    public static String text(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }
}
