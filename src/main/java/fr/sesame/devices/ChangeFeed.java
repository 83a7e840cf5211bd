package fr.sesame.devices;

import fr.sesame.web.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The IT service's change feed: every committed change of a device's state, exactly once, in an
 * order that a later commit can never slip before (see migrations/V11). The cursor is the last
 * (transaction id, row id) handed out, opaque to clients.
 */
public final class ChangeFeed {
    static final int MAX_LIMIT = 1000;
    private static final String PREFIX = "v1.";

    /** A position in the feed. START is before the first change. */
    record Cursor(long xact, long id) {
        static final Cursor START = new Cursor(0, 0);

        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((PREFIX + xact + "." + id).getBytes(StandardCharsets.US_ASCII));
        }

        /** The cursor a client sent back, or null when it is not one this server writes. */
        static Cursor decode(String text) {
            if (text == null || text.isEmpty() || text.length() > 100) return null;
            String plain;
            try {
                plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (!plain.startsWith(PREFIX)) return null;
            String[] parts = plain.substring(PREFIX.length()).split("\\.", -1);
            if (parts.length != 2
                    || !parts[0].matches("\\d{1,18}")
                    || !parts[1].matches("\\d{1,18}")) return null;
            return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        }
    }

    /**
     * One page: the changes with each device as it stands now, where to go on from, whether more
     * wait.
     */
    record Page(List<Item> items, Cursor next, boolean more) {}

    /**
     * A change, with its device read in the same snapshot (null if the device no longer exists).
     */
    record Item(DeviceChangeDao.Change change, DeviceDao.Device device) {}

    private final Jdbi jdbi;

    public ChangeFeed(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The changes after the cursor. One repeatable-read snapshot for the check, the changes and the
     * devices, so that each device is shown as it stands with every change given so far applied.
     */
    Page after(Cursor cursor, int limit) {
        return jdbi.inTransaction(
                TransactionIsolationLevel.REPEATABLE_READ,
                h -> {
                    DeviceChangeDao changes = h.attach(DeviceChangeDao.class);
                    DeviceChangeDao.Horizon horizon = changes.horizon();
                    // Every cursor handed out lies below the horizon of its time, and horizons only
                    // move forward.
                    if (cursor.xact() >= horizon.horizon() || cursor.id() > horizon.lastId())
                        throw new Refusal(DeviceRefusal.UNKNOWN_CURSOR);
                    List<DeviceChangeDao.Change> page =
                            changes.after(cursor.xact(), cursor.id(), limit + 1);
                    boolean more = page.size() > limit;
                    if (more) page = page.subList(0, limit);
                    List<Long> ids =
                            page.stream().map(DeviceChangeDao.Change::deviceId).distinct().toList();
                    Map<Long, DeviceDao.Device> devices =
                            ids.isEmpty()
                                    ? Map.of()
                                    : h.attach(DeviceDao.class).byIds(ids).stream()
                                            .collect(
                                                    Collectors.toMap(
                                                            DeviceDao.Device::id,
                                                            Function.identity()));
                    List<Item> items =
                            page.stream().map(c -> new Item(c, devices.get(c.deviceId()))).toList();
                    Cursor next =
                            page.isEmpty()
                                    ? cursor
                                    : new Cursor(
                                            page.get(page.size() - 1).xact(),
                                            page.get(page.size() - 1).id());
                    return new Page(items, next, more);
                });
    }
}
