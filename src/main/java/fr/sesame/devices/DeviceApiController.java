package fr.sesame.devices;

import fr.sesame.web.ApiError;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** The town IT's API: may this device go home, what changed since, and the register as CSV. */
public final class DeviceApiController {
    private final Jdbi jdbi;

    public DeviceApiController(Jdbi jdbi) {
        this.jdbi = jdbi;
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
        var device = jdbi.onDemand(DeviceDao.class).byAssetTag(tag);
        if (device.isEmpty()) {
            ctx.status(404).json(ApiError.body("device_not_found", "No device has the asset tag " + tag + "."));
            return;
        }
        ctx.json(json(device.get()));
    }

    /** {@code ?homeUse=true|false&changedSince=ISO-8601}: both optional; the answer is a JSON array, oldest change first. */
    public void devices(Context ctx) {
        String homeUse = ctx.queryParam("homeUse");
        String since = ctx.queryParam("changedSince");
        Boolean filter = null;
        if (homeUse != null) {
            if (!homeUse.equals("true") && !homeUse.equals("false")) {
                ctx.status(400).json(ApiError.body("bad_home_use", "homeUse must be true or false."));
                return;
            }
            filter = Boolean.valueOf(homeUse);
        }
        Instant changedSince = null;
        if (since != null) {
            changedSince = fr.sesame.web.Dates.parseInstant(since).orElse(null);
            if (changedSince == null) {
                ctx.status(400).json(ApiError.body("bad_changed_since",
                        "changedSince must be an ISO-8601 date and time between the years 1900 and 2200, "
                                + "e.g. 2026-11-25T08:00:00Z.", "changedSince"));
                return;
            }
        }
        List<Map<String, Object>> list = jdbi.onDemand(DeviceDao.class).changed(changedSince, filter).stream()
                .map(DeviceApiController::json).toList();
        ctx.json(list);
    }

    public void csv(Context ctx) {
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"register.csv\"")
                .result(Csv.register(jdbi.onDemand(DeviceDao.class).all()));
    }
}
