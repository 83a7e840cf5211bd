package fr.sesame;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Everything Sésame reads from the environment, with its defaults. Documented in the README. */
public record Config(
        String host,
        int port,
        String baseUrl,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        Path dataDir,
        boolean demo,
        String adminEmail,
        String adminPassword,
        Ent ent,
        Mail mail,
        String townContact,
        int retentionDays,
        Webhooks webhooks,
        fr.sesame.web.TrustedProxies trustedProxies,
        int requestWaitSeconds,
        int markingOpensMinutes,
        String metricsToken,
        Sms sms,
        Reminder reminder,
        int personalLinkDays,
        String townName) {

    /**
     * The school's ENT (its OpenID Connect provider), or null when parents sign in with letter
     * codes only. Every ENT-specific point is here, because ENT vendors differ (issuer, scopes,
     * claim names, parent marker, logout URL).
     */
    public record Ent(
            String discoveryUrl,
            String clientId,
            String clientSecret,
            String scopes,
            String userinfoUrl,
            String claimType,
            List<String> parentTypes,
            String claimChildren,
            String claimSchools,
            String logoutUrl) {

        static Ent fromEnvironment(Map<String, String> env) {
            String discovery = blankToNull(env.get("ENT_DISCOVERY_URL"));
            String clientId = blankToNull(env.get("ENT_CLIENT_ID"));
            String secret = blankToNull(env.get("ENT_CLIENT_SECRET"));
            if (discovery == null) {
                if (clientId != null || secret != null) {
                    throw new ConfigException(
                            "ENT_CLIENT_ID or ENT_CLIENT_SECRET is set but ENT_DISCOVERY_URL is not: "
                                    + "set ENT_DISCOVERY_URL to the ENT's .well-known/openid-configuration URL, or unset both.");
                }
                return null;
            }
            checkUrl("ENT_DISCOVERY_URL", discovery);
            if (clientId == null || secret == null) {
                throw new ConfigException(
                        "ENT_DISCOVERY_URL is set, so ENT_CLIENT_ID and ENT_CLIENT_SECRET must be set too "
                                + "(the client the ENT registered for Sésame).");
            }
            String userinfo = blankToNull(env.get("ENT_USERINFO_URL"));
            if (userinfo != null) checkUrl("ENT_USERINFO_URL", userinfo);
            String logout = blankToNull(env.get("ENT_LOGOUT_URL"));
            if (logout != null) checkUrl("ENT_LOGOUT_URL", logout.replace("{callback}", "x"));
            List<String> parentTypes =
                    Arrays.stream(
                                    env.getOrDefault("ENT_PARENT_TYPES", "Relative,PERSRELELEVE")
                                            .split(","))
                            .map(String::trim)
                            .filter(t -> !t.isEmpty())
                            .toList();
            if (parentTypes.isEmpty()) {
                throw new ConfigException(
                        "ENT_PARENT_TYPES must list at least one account type, e.g. Relative,PERSRELELEVE.");
            }
            return new Ent(
                    discovery,
                    clientId,
                    secret,
                    orDefault(env, "ENT_SCOPES", "openid userinfo"),
                    userinfo,
                    orDefault(env, "ENT_CLAIM_TYPE", "type"),
                    parentTypes,
                    orDefault(env, "ENT_CLAIM_CHILDREN", "childrenIds"),
                    orDefault(env, "ENT_CLAIM_SCHOOLS", "uai"),
                    logout);
        }

        /** Without the client secret, so that it never ends up in a log. */
        @Override
        public String toString() {
            return "Ent[discoveryUrl="
                    + discoveryUrl
                    + ", clientId="
                    + clientId
                    + ", scopes="
                    + scopes
                    + ", userinfoUrl="
                    + userinfoUrl
                    + ", claimType="
                    + claimType
                    + ", parentTypes="
                    + parentTypes
                    + ", claimChildren="
                    + claimChildren
                    + ", claimSchools="
                    + claimSchools
                    + ", logoutUrl="
                    + logoutUrl
                    + "]";
        }

        private static String orDefault(Map<String, String> env, String name, String fallback) {
            String value = blankToNull(env.get(name));
            return value == null ? fallback : value;
        }
    }

    /**
     * Outgoing e-mail and the calendar invitations' organizer. Without SMTP_HOST, e-mails stay in
     * the outbox (shown at /admin/outbox) until SMTP settings are given.
     */
    public record Mail(
            String host,
            int port,
            String user,
            String password,
            String from,
            boolean startTls,
            String organizerEmail,
            String organizerName) {
        public boolean configured() {
            return host != null;
        }

        @Override
        public String toString() {
            return "Mail[host=" + host + ", port=" + port + ", from=" + from + "]";
        }
    }

    /**
     * How often the webhook worker looks for deliveries, and the wait before a failed one is tried
     * again (doubled each time).
     */
    public record Webhooks(java.time.Duration poll, java.time.Duration retry) {
        static Webhooks fromEnvironment(Map<String, String> env) {
            return new Webhooks(
                    millis(env, "WEBHOOK_POLL_MS", "5000", 10, 600_000),
                    millis(env, "WEBHOOK_RETRY_MS", "30000", 10, 3_600_000));
        }

        static java.time.Duration millis(
                Map<String, String> env, String name, String fallback, int min, int max) {
            String value = env.getOrDefault(name, fallback);
            try {
                int n = Integer.parseInt(value.trim());
                if (n < min || n > max) throw new NumberFormatException();
                return java.time.Duration.ofMillis(n);
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        name
                                + " must be a number of milliseconds between "
                                + min
                                + " and "
                                + max
                                + " (got '"
                                + value
                                + "').");
            }
        }
    }

    /**
     * SMS delivery: the sender ({@code SMS_SENDER}: {@code log}, the default, writes messages to
     * the log and lists them at /admin/outbox; {@code smsfactor} sends them through SMS Factor's
     * API at {@code SMS_FACTOR_URL} with the secret {@code SMS_FACTOR_TOKEN}, required then), the
     * sender name the phones show (alphanumeric, at most 11 characters, as French operators
     * require), how often the worker looks for messages, the most parts one message may cost
     * ({@code SMS_MAX_PARTS}, 1 to 10, default 3), and the secret in the address the provider calls
     * back with delivery reports ({@code SMS_CALLBACK_SECRET}; without it every call back is
     * refused). Secrets never appear in {@link #toString}.
     */
    public record Sms(
            String sender,
            String senderName,
            java.time.Duration poll,
            int maxParts,
            String factorToken,
            String factorUrl,
            String callbackSecret) {
        public static Sms fromEnvironment(Map<String, String> env) {
            String sender = env.getOrDefault("SMS_SENDER", "log").trim();
            if (!sender.equals("log") && !sender.equals("smsfactor")) {
                throw new ConfigException(
                        "SMS_SENDER must be log or smsfactor (got '" + sender + "').");
            }
            String name = env.getOrDefault("SMS_SENDER_NAME", "Sesame").trim();
            if (!name.matches("[A-Za-z0-9]{1,11}") || name.matches("[0-9]+")) {
                throw new ConfigException(
                        "SMS_SENDER_NAME must be 1 to 11 letters (A-Z, a-z) and digits, not only"
                                + " digits, without spaces or accents, e.g. MairieSesame (got '"
                                + name
                                + "').");
            }
            String parts = env.getOrDefault("SMS_MAX_PARTS", "3").trim();
            if (!parts.matches("[1-9]|10")) {
                throw new ConfigException(
                        "SMS_MAX_PARTS must be a whole number from 1 to 10 (got '" + parts + "').");
            }
            String token = env.getOrDefault("SMS_FACTOR_TOKEN", "").trim();
            if (sender.equals("smsfactor") && token.isEmpty()) {
                throw new ConfigException(
                        "SMS_SENDER=smsfactor needs SMS_FACTOR_TOKEN, the API token made in the SMS"
                                + " Factor account.");
            }
            String url =
                    env.getOrDefault(
                                    "SMS_FACTOR_URL",
                                    fr.sesame.messaging.SmsFactorSender.DEFAULT_URL)
                            .trim();
            if (!url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
                throw new ConfigException(
                        "SMS_FACTOR_URL must be an http(s) address, e.g. "
                                + fr.sesame.messaging.SmsFactorSender.DEFAULT_URL
                                + " (got '"
                                + url
                                + "').");
            }
            String secret = env.getOrDefault("SMS_CALLBACK_SECRET", "").trim();
            if (!secret.isEmpty() && !secret.matches("[A-Za-z0-9_-]{24,128}")) {
                throw new ConfigException(
                        "SMS_CALLBACK_SECRET must be 24 to 128 letters, digits, '-' or '_'"
                                + " (e.g. openssl rand -hex 24); its value is not shown.");
            }
            return new Sms(
                    sender,
                    name,
                    Webhooks.millis(env, "SMS_POLL_MS", "15000", 10, 600_000),
                    Integer.parseInt(parts),
                    token.isEmpty() ? null : token,
                    url,
                    secret.isEmpty() ? null : secret);
        }

        @Override
        public String toString() {
            return "Sms[sender="
                    + sender
                    + ", senderName="
                    + senderName
                    + ", poll="
                    + poll
                    + ", maxParts="
                    + maxParts
                    + ", factorToken="
                    + (factorToken == null ? "none" : "***")
                    + ", factorUrl="
                    + factorUrl
                    + ", callbackSecret="
                    + (callbackSecret == null ? "none" : "***")
                    + "]";
        }
    }

    /**
     * When session reminders go: {@code REMINDER_DAYS_BEFORE} days before the session (default 2)
     * and on its morning from {@code REMINDER_MORNING_AT} (HH:MM, Paris time, default 08:00).
     */
    public record Reminder(int daysBefore, java.time.LocalTime morningAt) {
        static Reminder fromEnvironment(Map<String, String> env) {
            String days = env.getOrDefault("REMINDER_DAYS_BEFORE", "2").trim();
            String morning = env.getOrDefault("REMINDER_MORNING_AT", "08:00").trim();
            int n;
            try {
                n = Integer.parseInt(days);
                if (n < 1 || n > 14) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        "REMINDER_DAYS_BEFORE must be a number of days between 1 and 14 (got '"
                                + days
                                + "').");
            }
            try {
                return new Reminder(
                        n, java.time.LocalTime.parse(morning, fr.sesame.web.Dates.HOUR_MINUTE));
            } catch (java.time.format.DateTimeParseException e) {
                throw new ConfigException(
                        "REMINDER_MORNING_AT must be a time as HH:MM, e.g. 08:00 (got '"
                                + morning
                                + "').");
            }
        }
    }

    /** A configuration value that cannot be used; its message says what to do. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    public static Config fromEnvironment(Map<String, String> env, boolean demoFlag) {
        int port = parsePort(env.getOrDefault("PORT", "8080"));
        boolean demo = demoFlag || Boolean.parseBoolean(env.getOrDefault("SESAME_DEMO", "false"));
        String host = host(env.get("HOST"), demo);
        String baseUrl =
                stripTrailingSlash(env.getOrDefault("BASE_URL", "http://localhost:" + port));
        checkUrl("BASE_URL", baseUrl);
        String databaseUrl = blankToNull(env.get("DATABASE_URL"));
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql://")) {
            throw new ConfigException(
                    "DATABASE_URL must look like jdbc:postgresql://HOST:PORT/DATABASE (got '"
                            + databaseUrl.replaceAll("//[^@/]*@", "//***@")
                            + "').");
        }
        Path dataDir =
                Path.of(env.getOrDefault("SESAME_DATA_DIR", "./data")).toAbsolutePath().normalize();
        String townContact = env.getOrDefault("TOWN_CONTACT", "").trim();
        int retentionDays = parseRetention(env.getOrDefault("RETENTION_DAYS", "365"));
        int markingOpens = parseMarkingOpens(env.getOrDefault("MARKING_OPENS_MINUTES", "30"));
        int requestWait = parseWait(env.getOrDefault("REQUEST_WAIT_SECONDS", "25"));
        checkLogFormat(env.get("LOG_FORMAT"));
        return new Config(
                host,
                port,
                baseUrl,
                databaseUrl,
                env.get("DATABASE_USER"),
                env.get("DATABASE_PASSWORD"),
                dataDir,
                demo,
                blankToNull(env.get("ADMIN_EMAIL")),
                env.get("ADMIN_PASSWORD"),
                Ent.fromEnvironment(env),
                mail(env, baseUrl),
                townContact,
                retentionDays,
                Webhooks.fromEnvironment(env),
                trustedProxies(env.get("TRUSTED_PROXIES")),
                requestWait,
                markingOpens,
                metricsToken(env.get("METRICS_TOKEN")),
                Sms.fromEnvironment(env),
                Reminder.fromEnvironment(env),
                personalLinkDays(env.getOrDefault("PERSONAL_LINK_DAYS", "14")),
                townName(env.get("TOWN_NAME")));
    }

    /**
     * The name of the first town, given to the data already there when the database is moved to
     * several towns (issue 17); default "Ma commune".
     */
    static String townName(String value) {
        String name = value == null ? "" : value.trim();
        if (name.length() > 200)
            throw new ConfigException("TOWN_NAME is longer than 200 characters.");
        return name.isEmpty() ? "Ma commune" : name;
    }

    /** The same configuration with this ENT (the demo ENT, started by App). */
    public Config withEnt(Ent newEnt) {
        return new Config(
                host,
                port,
                baseUrl,
                databaseUrl,
                databaseUser,
                databasePassword,
                dataDir,
                demo,
                adminEmail,
                adminPassword,
                newEnt,
                mail,
                townContact,
                retentionDays,
                webhooks,
                trustedProxies,
                requestWaitSeconds,
                markingOpensMinutes,
                metricsToken,
                sms,
                reminder,
                personalLinkDays,
                townName);
    }

    /**
     * How long a personal link (campaigns, follow-ups) signs a guardian in: {@code
     * PERSONAL_LINK_DAYS}, 1 to 90, default 14.
     */
    private static int personalLinkDays(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 || n > 90) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "PERSONAL_LINK_DAYS must be a number of days between 1 and 90 (got '"
                            + value
                            + "').");
        }
    }

    /**
     * logback reads LOG_FORMAT itself (logback.xml); an unknown value would silence every log, so
     * it stops here.
     */
    private static void checkLogFormat(String value) {
        if (value != null && !value.equals("text") && !value.equals("json")) {
            throw new ConfigException("LOG_FORMAT must be text or json (got '" + value + "').");
        }
    }

    /** Null when unset: then /metrics does not exist. A short token could be guessed. */
    private static String metricsToken(String value) {
        String token = blankToNull(value);
        if (token != null && (token.length() < 16 || !token.matches("[\\x21-\\x7e]+"))) {
            throw new ConfigException(
                    "METRICS_TOKEN must be 16 characters or more, without spaces, "
                            + "e.g. the output of: openssl rand -hex 24");
        }
        return token;
    }

    /**
     * The address to listen on, or null for every interface (IPv4 and IPv6); the demo, whose
     * passwords are printed on the console, listens on the loopback only unless HOST says
     * otherwise.
     */
    private static String host(String value, boolean demo) {
        String host = blankToNull(value);
        if (host == null) return demo ? "127.0.0.1" : null;
        if (!host.matches("[A-Za-z0-9.:-]+")) {
            throw new ConfigException(
                    "HOST must be an IP address or a host name such as 127.0.0.1 or 0.0.0.0 (got '"
                            + host
                            + "').");
        }
        return host;
    }

    private static Mail mail(Map<String, String> env, String baseUrl) {
        String host = blankToNull(env.get("SMTP_HOST"));
        int port = parseNumber("SMTP_PORT", env.getOrDefault("SMTP_PORT", "587"));
        String from = blankToNull(env.get("SMTP_FROM"));
        if (from == null) from = "sesame@" + URI.create(baseUrl).getHost();
        if (!from.contains("@"))
            throw new ConfigException("SMTP_FROM must be an e-mail address (got '" + from + "').");
        String organizer = blankToNull(env.get("CALENDAR_ORGANIZER"));
        if (organizer == null) organizer = from;
        if (!organizer.contains("@")) {
            throw new ConfigException(
                    "CALENDAR_ORGANIZER must be an e-mail address (got '" + organizer + "').");
        }
        String organizerName = env.getOrDefault("CALENDAR_ORGANIZER_NAME", "Service éducation");
        boolean startTls =
                !"false".equalsIgnoreCase(env.getOrDefault("SMTP_STARTTLS", "true").trim());
        return new Mail(
                host,
                port,
                blankToNull(env.get("SMTP_USER")),
                env.get("SMTP_PASSWORD"),
                from,
                startTls,
                organizer,
                organizerName);
    }

    private static int parseNumber(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 || n > 65535) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    name + " must be a number between 1 and 65535 (got '" + value + "').");
        }
    }

    /** Never print secrets. */
    @Override
    public String toString() {
        return "Config[host="
                + host
                + ", port="
                + port
                + ", baseUrl="
                + baseUrl
                + ", embedded="
                + embeddedDatabase()
                + ", ent="
                + ent
                + "]";
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
            throw new ConfigException(
                    "PORT must be a number between 1 and 65535 (got '" + value + "').");
        }
    }

    private static fr.sesame.web.TrustedProxies trustedProxies(String value) {
        try {
            return fr.sesame.web.TrustedProxies.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "TRUSTED_PROXIES must list IP addresses or CIDR ranges separated by commas, "
                            + "e.g. 10.0.0.5,192.168.0.0/24 ("
                            + e.getMessage()
                            + ").");
        }
    }

    private static int parseRetention(String value) {
        try {
            int days = Integer.parseInt(value.trim());
            if (days < 1 || days > 3650) throw new NumberFormatException();
            return days;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "RETENTION_DAYS must be a number of days between 1 and 3650 (got '"
                            + value
                            + "').");
        }
    }

    private static int parseWait(String value) {
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds < 1 || seconds > 300) throw new NumberFormatException();
            return seconds;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "REQUEST_WAIT_SECONDS must be a number of seconds between 1 and 300 (got '"
                            + value
                            + "').");
        }
    }

    private static int parseMarkingOpens(String value) {
        try {
            int minutes = Integer.parseInt(value.trim());
            if (minutes < 0 || minutes > 1440) throw new NumberFormatException();
            return minutes;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "MARKING_OPENS_MINUTES must be a number of minutes between 0 and 1440 (got '"
                            + value
                            + "').");
        }
    }

    private static void checkUrl(String name, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null)
                throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    name
                            + " must be an absolute http(s) URL such as https://sesame.example.fr (got '"
                            + value
                            + "').");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
