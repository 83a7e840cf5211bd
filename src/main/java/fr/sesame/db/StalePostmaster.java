package fr.sesame.db;

import fr.sesame.Config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL left running by a Sésame that was killed (kill -9, a crash): it outlives
 * its parent and keeps the data folder, so the next start would fail. Called once this process
 * holds the folder's lock, so no other Sésame uses it. A process is stopped only when /proc shows
 * it is a {@code postgres} whose working directory is this very folder (PostgreSQL works in its
 * data directory); any other program is left alone.
 */
final class StalePostmaster {
    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    private static final long STOP_WAIT_SECONDS = 15;

    private StalePostmaster() {}

    static void stopIfAny(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Optional<Long> pid = pidOf(pidFile);
        if (pid.isEmpty()) return;
        Optional<ProcessHandle> process =
                ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) return; // PostgreSQL itself replaces the file of a dead server
        Optional<Boolean> ours = isPostgresOf(pid.get(), dataDir);
        if (ours.isEmpty()) return; // no /proc to tell: leave everything as it is
        if (!ours.get()) {
            // The pid was given to another program since: the file is stale, and PostgreSQL would
            // refuse to start.
            log.warn(
                    "event=stale_pid_file pid={} dir={} (another program has this pid; it is left alone)",
                    pid.get(),
                    dataDir);
            deleteQuietly(pidFile);
            return;
        }
        log.warn(
                "event=orphan_postgres_stopping pid={} dir={} (left by a Sésame that did not stop)",
                pid.get(),
                dataDir);
        fastShutdown(pid.get());
        try {
            process.get().onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new ConfigException(
                    "The embedded PostgreSQL left by an earlier run (process "
                            + pid.get()
                            + ") still uses "
                            + dataDir
                            + " and did not stop within "
                            + STOP_WAIT_SECONDS
                            + " seconds. "
                            + "Stop it (kill "
                            + pid.get()
                            + ") and start Sésame again.");
        }
        log.info("event=orphan_postgres_stopped pid={}", pid.get());
    }

    private static Optional<Long> pidOf(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the process is a postgres working in this folder; empty when the system does not say
     * (no /proc).
     */
    static Optional<Boolean> isPostgresOf(long pid, Path dataDir) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        if (!Files.isDirectory(Path.of("/proc/self"))) return Optional.empty();
        try {
            Path exe = Files.readSymbolicLink(proc.resolve("exe"));
            Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
            return Optional.of(
                    exe.getFileName().toString().equals("postgres")
                            && cwd.equals(dataDir.toRealPath()));
        } catch (IOException | SecurityException e) {
            return Optional.of(false); // not ours to read, so not ours to stop
        }
    }

    /**
     * SIGINT is PostgreSQL's fast shutdown: clients are disconnected, the data is written out
     * cleanly.
     */
    private static void fastShutdown(long pid) {
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: a smart shutdown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("event=stale_pid_file_kept file={} reason={}", file, e.getMessage());
        }
    }
}
