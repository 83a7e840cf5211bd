package fr.sesame.devices;

import fr.sesame.web.ApiError;
import fr.sesame.web.Refusal;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The town IT's API: may this device go home, what changed since, and the register as CSV. */
public final class DeviceApiController {
    private final DeviceDao deviceDao;
    private final ChangeFeed feed;

    public DeviceApiController(DeviceDao deviceDao, ChangeFeed feed) {
        this.deviceDao = deviceDao;
        this.feed = feed;
    }

    /** The JSON of one device, exactly the fields the IT service reads. */
    static Map<String, Object> json(DeviceDao.Device d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("assetTag", d.assetTag());
        m.put("serial", d.serial());
        m.put("child", d.childName());
        m.put("school", d.schoolUai());
        m.put("homeUse", d.homeUse());
        m.put("since", d.since().toString());
        m.put("reason", d.reason());
        return m;
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
        List<Map<String, Object>> items =
                page.items().stream().map(DeviceApiController::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("changes", items);
        body.put("cursor", page.next().encode());
        body.put("more", page.more());
        ctx.header("Cache-Control", "no-store").json(body);
    }

    /** A change of the feed: the device as it stands now, and the change itself. */
    static Map<String, Object> json(ChangeFeed.Item item) {
        DeviceChangeDao.Change c = item.change();
        Map<String, Object> m =
                item.device() == null
                        ? new LinkedHashMap<>()
                        : new LinkedHashMap<>(json(item.device()));
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("id", c.id());
        change.put("from", c.fromState());
        change.put("to", c.toState());
        change.put("at", c.changedAt().toString());
        m.put("change", change);
        return m;
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
        List<Map<String, Object>> list =
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
