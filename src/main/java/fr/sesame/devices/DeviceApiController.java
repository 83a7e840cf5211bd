package fr.sesame.devices;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import fr.sesame.web.ApiError;
import fr.sesame.web.Refusal;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/** The town IT's API: may this device go home, what changed since, and the register as CSV. */
public final class DeviceApiController {
    private final DeviceDao deviceDao;
    private final ChangeFeed feed;

    public DeviceApiController(DeviceDao deviceDao, ChangeFeed feed) {
        this.deviceDao = deviceDao;
        this.feed = feed;
    }

    /** The JSON of one device, exactly the fields the IT service reads (openapi.json: Device). */
    record DeviceJson(
            String assetTag,
            String serial,
            String child,
            String school,
            boolean homeUse,
            String since,
            String reason) {}

    /**
     * A change of the feed: the device's fields as it stands now (none when it no longer exists),
     * and the change itself.
     */
    record FeedItem(@JsonUnwrapped DeviceJson device, ChangeJson change) {}

    /** The change of a feed item. */
    record ChangeJson(long id, String from, String to, String at) {}

    /** A page of the change feed: its changes, the cursor to send next time, more waiting. */
    record FeedPage(List<FeedItem> changes, String cursor, boolean more) {}

    static DeviceJson json(DeviceDao.Device d) {
        return new DeviceJson(
                d.assetTag(),
                d.serial(),
                d.childName(),
                d.schoolUai(),
                d.homeUse(),
                d.since().toString(),
                d.reason());
    }

    public void device(Context ctx) {
        String tag = ctx.pathParam("assetTag");
        var device = deviceDao.byAssetTag(tag);
        if (device.isEmpty()) {
            ctx.status(404)
                    .json(
                            ApiError.body(
                                    "device_not_found",
                                    "No device has the asset tag " + tag + "."));
            return;
        }
        ctx.json(json(device.get()));
    }

    /**
     * {@code ?cursor=...&limit=1..1000}: the committed changes after the cursor (from the start
     * without one), each with its device as it stands now, the cursor to send next time, and
     * whether more are waiting.
     */
    public void changes(Context ctx) {
        String given = ctx.queryParam("cursor");
        ChangeFeed.Cursor cursor =
                given == null ? ChangeFeed.Cursor.START : ChangeFeed.Cursor.decode(given);
        if (cursor == null) throw new Refusal(DeviceRefusal.BAD_CURSOR);
        int limit = 500;
        String limitParam = ctx.queryParam("limit");
        if (limitParam != null) {
            limit = limitParam.matches("\\d{1,4}") ? Integer.parseInt(limitParam) : 0;
            if (limit < 1 || limit > ChangeFeed.MAX_LIMIT)
                throw new Refusal(DeviceRefusal.BAD_LIMIT, ChangeFeed.MAX_LIMIT);
        }
        ChangeFeed.Page page = feed.after(cursor, limit);
        List<FeedItem> items = page.items().stream().map(DeviceApiController::json).toList();
        ctx.header("Cache-Control", "no-store")
                .json(new FeedPage(items, page.next().encode(), page.more()));
    }

    static FeedItem json(ChangeFeed.Item item) {
        DeviceChangeDao.Change c = item.change();
        return new FeedItem(
                item.device() == null ? null : json(item.device()),
                new ChangeJson(c.id(), c.fromState(), c.toState(), c.changedAt().toString()));
    }

    /**
     * {@code ?homeUse=true|false&changedSince=ISO-8601}: both optional; the answer is a JSON array,
     * oldest change first. Deprecated for syncing (a change committed late can carry an earlier
     * time): use the change feed.
     */
    public void devices(Context ctx) {
        String homeUse = ctx.queryParam("homeUse");
        String since = ctx.queryParam("changedSince");
        Boolean filter = null;
        if (homeUse != null) {
            if (!homeUse.equals("true") && !homeUse.equals("false")) {
                ctx.status(400)
                        .json(ApiError.body("bad_home_use", "homeUse must be true or false."));
                return;
            }
            filter = Boolean.valueOf(homeUse);
        }
        Instant changedSince = null;
        if (since != null) {
            changedSince = fr.sesame.web.Dates.parseInstant(since).orElse(null);
            if (changedSince == null) {
                ctx.status(400)
                        .json(
                                ApiError.body(
                                        "bad_changed_since",
                                        "changedSince must be an ISO-8601 date and time between the years 1900 and 2200, "
                                                + "e.g. 2026-11-25T08:00:00Z.",
                                        "changedSince"));
                return;
            }
        }
        if (changedSince != null) {
            ctx.header("Deprecation", "true")
                    .header("Link", "</api/v1/device-changes>; rel=\"successor-version\"");
        }
        List<DeviceJson> list =
                deviceDao.changed(changedSince, filter).stream()
                        .map(DeviceApiController::json)
                        .toList();
        ctx.json(list);
    }

    public void csv(Context ctx) {
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"register.csv\"")
                .result(Csv.register(deviceDao.all()));
    }
}
