package fr.sesame.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL takes only password (SCRAM-SHA-256) connections, from this machine. The
 * password is generated into the data folder ({@value #FILE}, readable by its owner only). It is
 * set before the server starts, in single-user mode, so that no moment exists when the server
 * trusts anyone: on a new folder (zonky's initdb writes a trusting pg_hba.conf) and on a folder
 * made by an earlier Sésame, which trusted every local user.
 */
final class EmbeddedPassword {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPassword.class);
    static final String FILE = "sesame-password";
    static final String HBA_MARK =
            "# Sésame: password (SCRAM-SHA-256) connections only, from this machine only.";
    private static final String HBA =
            HBA_MARK
                    + "\n"
                    + "local   all   all                  scram-sha-256\n"
                    + "host    all   all   127.0.0.1/32   scram-sha-256\n"
                    + "host    all   all   ::1/128        scram-sha-256\n";

    private EmbeddedPassword() {}

    /** The folder's password: the one kept there, or a new one that {@link #lockDown} will set. */
    static String passwordFor(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!kept.isEmpty()) return kept;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /**
     * Run by zonky after initdb and before the server starts: sets the password and rewrites
     * pg_hba.conf unless both are already done.
     */
    static void lockDown(File dataDirectory, String password) {
        Path dir = dataDirectory.toPath();
        Path hba = dir.resolve("pg_hba.conf");
        Path file = dir.resolve(FILE);
        try {
            boolean locked =
                    Files.isRegularFile(hba)
                            && Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_MARK);
            if (locked
                    && Files.isRegularFile(file)
                    && password.equals(Files.readString(file).trim())) return;
            setPassword(dir, password);
            writeOwnerOnly(file, password + "\n");
            Files.writeString(hba, HBA, StandardCharsets.UTF_8);
            log.info("event=embedded_database_locked dir={} (password connections only)", dir);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot protect the embedded database in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * ALTER ROLE in single-user mode (no server running, no connection): the password goes through
     * stdin only.
     */
    private static void setPassword(Path dir, String password) throws IOException {
        List<String> command = new ArrayList<>();
        // zonky runs PostgreSQL the same way when this process is root, which PostgreSQL refuses
        if (LinuxUtils.isUnshareAvailable()) command.addAll(List.of("unshare", "-U"));
        command.addAll(
                List.of(
                        binaries().resolve("bin/postgres").toString(),
                        "--single",
                        "-D",
                        dir.toString(),
                        "postgres"));
        Process single = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = single.getOutputStream()) {
            in.write(
                    ("set password_encryption = 'scram-sha-256'\nalter role postgres password '"
                                    + password
                                    + "'\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(single.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!single.waitFor(60, TimeUnit.SECONDS)
                    || single.exitValue() != 0
                    || output.contains("ERROR:")) {
                single.destroyForcibly();
                throw new IOException(
                        "setting the password failed: " + output.replace(password, "***").strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the password");
        }
    }

    /**
     * Where zonky unpacked PostgreSQL. zonky 2.2.2 keeps it private (it runs only initdb, pg_ctl
     * and the server); single-user mode needs the server's binary.
     */
    private static Path binaries() throws IOException {
        try {
            Method prepare =
                    EmbeddedPostgres.class.getDeclaredMethod(
                            "prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            return ((File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null))
                    .toPath();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot find the embedded PostgreSQL's programs (" + e + ")");
        }
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(
                    file); // not a POSIX file system: the data folder's own permissions protect it
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while it was written");
        }
        Files.writeString(
                file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
