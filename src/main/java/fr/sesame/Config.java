package fr.sesame;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Everything Sésame reads from the environment, with its defaults. Documented in the README. */
public record Config(
        int port,
        String baseUrl,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        Path dataDir,
        boolean demo,
        String adminEmail,
        String adminPassword,
        String townContact,
        int retentionDays) {

    /** A configuration value that cannot be used; its message says what to do. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    public static Config fromEnvironment(Map<String, String> env, boolean demoFlag) {
        int port = parsePort(env.getOrDefault("PORT", "8080"));
        String baseUrl = stripTrailingSlash(env.getOrDefault("BASE_URL", "http://localhost:" + port));
        checkUrl("BASE_URL", baseUrl);
        String databaseUrl = blankToNull(env.get("DATABASE_URL"));
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql://")) {
            throw new ConfigException("DATABASE_URL must look like jdbc:postgresql://HOST:PORT/DATABASE (got '"
                    + databaseUrl.replaceAll("//[^@/]*@", "//***@") + "').");
        }
        Path dataDir = Path.of(env.getOrDefault("SESAME_DATA_DIR", "./data")).toAbsolutePath().normalize();
        boolean demo = demoFlag || Boolean.parseBoolean(env.getOrDefault("SESAME_DEMO", "false"));
        String townContact = env.getOrDefault("TOWN_CONTACT", "").trim();
        int retentionDays = parseRetention(env.getOrDefault("RETENTION_DAYS", "365"));
        return new Config(port, baseUrl, databaseUrl, env.get("DATABASE_USER"), env.get("DATABASE_PASSWORD"),
                dataDir, demo, blankToNull(env.get("ADMIN_EMAIL")), env.get("ADMIN_PASSWORD"), townContact, retentionDays);
    }

    /** Never print secrets. */
    @Override
    public String toString() {
        return "Config[port=" + port + ", baseUrl=" + baseUrl + ", embedded=" + embeddedDatabase() + "]";
    }

    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    public boolean secureCookies() {
        return baseUrl.startsWith("https://");
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException("PORT must be a number between 1 and 65535 (got '" + value + "').");
        }
    }

    private static int parseRetention(String value) {
        try {
            int days = Integer.parseInt(value.trim());
            if (days < 1 || days > 3650) throw new NumberFormatException();
            return days;
        } catch (NumberFormatException e) {
            throw new ConfigException("RETENTION_DAYS must be a number of days between 1 and 3650 (got '" + value + "').");
        }
    }

    private static void checkUrl(String name, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " must be an absolute http(s) URL such as https://sesame.example.fr (got '" + value + "').");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
