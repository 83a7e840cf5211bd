package fr.sesame.town;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.db.Towns;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Each town's own settings (issue 17): its name, the contact printed on its letters, its retention
 * rule, its SMS sender name, when its trainers' marking opens and how long its personal links last.
 * What a town has not set is the deployment's default, from the environment ({@link Defaults}).
 * Every reader asks for the current town's value ({@link #current}): the letters, the SMS worker,
 * the retention purge (run for each town in turn), the attendance sheet and the personal links.
 */
public final class TownSettings {
    /** The deployment's defaults (TOWN_CONTACT, RETENTION_DAYS, SMS_SENDER_NAME, ...). */
    public record Defaults(
            String contact,
            int retentionDays,
            String smsSenderName,
            int markingOpensMinutes,
            int personalLinkDays) {}

    /** A town's settings in effect, and what it set itself (null: the default). */
    public record Settings(
            String name,
            String contact,
            int retentionDays,
            String smsSenderName,
            int markingOpensMinutes,
            int personalLinkDays,
            TownSettingDao.Stored stored) {}

    /** The fields of the settings form, in order. */
    public static final String[] FIELDS = {
        "name",
        "contact",
        "retentionDays",
        "smsSenderName",
        "markingOpensMinutes",
        "personalLinkDays"
    };

    private static final long FRESH_NANOS = 10_000_000_000L;

    private record Cached(Settings settings, long at) {}

    private final Jdbi jdbi;
    private final Defaults defaults;
    private final java.util.concurrent.ConcurrentHashMap<Long, Cached> cache =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<Long> refreshing =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    public TownSettings(Jdbi jdbi, Defaults defaults) {
        this.jdbi = jdbi;
        this.defaults = defaults;
    }

    public Defaults defaults() {
        return defaults;
    }

    /**
     * The current town's settings (the defaults where it set nothing), kept 10 seconds: read on a
     * mark's or an SMS's path, they cost no query there; a change made on another instance is seen
     * within 10 seconds, on this one at once.
     */
    public Settings current() {
        Long town = Towns.currentOf(jdbi);
        if (town == null) return read();
        Cached c = cache.get(town);
        if (c == null) {
            Settings s = read();
            cache.put(town, new Cached(s, System.nanoTime()));
            return s;
        }
        if (System.nanoTime() - c.at() >= FRESH_NANOS && refreshing.add(town)) {
            // Stale: read again beside the caller, who may hold a connection in a transaction (a
            // mark): it never waits for a second one from the pool.
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    Towns.of(jdbi)
                                            .in(
                                                    town,
                                                    () ->
                                                            cache.put(
                                                                    town,
                                                                    new Cached(
                                                                            read(),
                                                                            System.nanoTime())));
                                } catch (RuntimeException e) {
                                    // the database is away: the settings it had
                                } finally {
                                    refreshing.remove(town);
                                }
                            },
                            "sesame-town-settings");
            t.setDaemon(true);
            t.start();
        }
        return c.settings();
    }

    private Settings read() {
        TownSettingDao.Stored s =
                jdbi.withHandle(
                        h ->
                                h.attach(TownSettingDao.class)
                                        .find()
                                        .orElse(TownSettingDao.Stored.NONE));
        return new Settings(
                s.name() != null ? s.name() : townName(),
                s.contact() != null ? s.contact() : defaults.contact(),
                s.retentionDays() != null ? s.retentionDays() : defaults.retentionDays(),
                s.smsSenderName() != null ? s.smsSenderName() : defaults.smsSenderName(),
                s.markingOpensMinutes() != null
                        ? s.markingOpensMinutes()
                        : defaults.markingOpensMinutes(),
                s.personalLinkDays() != null ? s.personalLinkDays() : defaults.personalLinkDays(),
                s);
    }

    /** The name the town was created with (town.name), the default of its own name. */
    public String townName() {
        Long town = Towns.currentOf(jdbi);
        if (town == null) return "";
        return Towns.of(jdbi).all().stream()
                .filter(t -> t.id() == town)
                .map(Towns.Town::name)
                .findFirst()
                .orElse("");
    }

    public String contact() {
        return current().contact();
    }

    public int retentionDays() {
        return current().retentionDays();
    }

    public String smsSenderName() {
        return current().smsSenderName();
    }

    public Duration markingOpens() {
        return Duration.ofMinutes(current().markingOpensMinutes());
    }

    public Duration personalLinkValidity() {
        return Duration.ofDays(current().personalLinkDays());
    }

    /** The outcome of a save: the errors (message keys) by field, none when it was saved. */
    public record Saved(Map<String, String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * Saves the current town's settings from a form (a blank field: the default), all or nothing,
     * audited.
     */
    public Saved save(Map<String, String> form, Actor actor) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = blankToNull(form.get("name"));
        if (name != null && name.length() > 200) errors.put("name", "town.settings.error.name");
        String contact = blankToNull(form.get("contact"));
        if (contact != null && contact.length() > 500)
            errors.put("contact", "town.settings.error.contact");
        Integer retention = number(form, "retentionDays", 1, 3650, errors);
        String sender = blankToNull(form.get("smsSenderName"));
        if (sender != null && (!sender.matches("[A-Za-z0-9]{1,11}") || sender.matches("[0-9]+")))
            errors.put("smsSenderName", "town.settings.error.smsSenderName");
        Integer marking = number(form, "markingOpensMinutes", 0, 1440, errors);
        Integer linkDays = number(form, "personalLinkDays", 1, 90, errors);
        if (!errors.isEmpty()) return new Saved(errors);
        TownSettingDao.Stored stored =
                new TownSettingDao.Stored(name, contact, retention, sender, marking, linkDays);
        jdbi.useTransaction(
                h -> {
                    TownSettingDao dao = h.attach(TownSettingDao.class);
                    dao.save(stored);
                    Audit.record(
                            h, actor, "town_settings", "town", dao.currentTown(), (Object) stored);
                });
        Long town = Towns.currentOf(jdbi);
        if (town != null) cache.remove(town);
        return new Saved(Map.of());
    }

    private static Integer number(
            Map<String, String> form, String field, int min, int max, Map<String, String> errors) {
        String v = blankToNull(form.get(field));
        if (v == null) return null;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // below
        }
        errors.put(field, "town.settings.error." + field);
        return null;
    }

    private static String blankToNull(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
