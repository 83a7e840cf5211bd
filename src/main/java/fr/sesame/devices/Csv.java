package fr.sesame.devices;

import fr.sesame.web.CsvExport;
import java.util.Arrays;
import java.util.List;

/** The device register as CSV, in the one format of every export ({@link CsvExport}). */
final class Csv {
    static final List<String> REGISTER_HEADER =
            List.of(
                    "asset_tag",
                    "serial_number",
                    "model",
                    "state",
                    "home_use",
                    "since",
                    "reason",
                    "child",
                    "class",
                    "school_uai",
                    "school",
                    "lent_on");

    private Csv() {}

    static String register(List<DeviceDao.Device> devices) {
        return CsvExport.write(
                REGISTER_HEADER,
                devices.stream()
                        .map(
                                d ->
                                        Arrays.asList(
                                                d.assetTag(),
                                                d.serial(),
                                                d.model(),
                                                d.state(),
                                                d.homeUse(),
                                                d.since(),
                                                d.reason(),
                                                d.childName(),
                                                d.className(),
                                                d.schoolUai(),
                                                d.schoolName(),
                                                d.lentOn()))
                        .toList());
    }
}
