package fr.sesame.devices;

import java.util.List;

/** CSV for spreadsheets: every cell quoted, and cells that a spreadsheet would run as a formula neutralised. */
final class Csv {
    private Csv() {
    }

    static String cell(Object value) {
        String s = value == null ? "" : value.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) s = "'" + s;
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    static String row(List<?> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(cell(cells.get(i)));
        }
        return sb.append("\r\n").toString();
    }

    static String register(List<DeviceDao.Device> devices) {
        StringBuilder sb = new StringBuilder();
        sb.append(row(List.of("asset_tag", "serial_number", "model", "state", "home_use", "since", "reason", "child",
                "class", "school_uai", "school", "lent_on")));
        for (DeviceDao.Device d : devices) {
            sb.append(row(java.util.Arrays.asList(d.assetTag(), d.serial(), d.model(), d.state(), d.homeUse(),
                    d.since(), d.reason(), d.childName(), d.className(), d.schoolUai(), d.schoolName(), d.lentOn())));
        }
        return sb.toString();
    }
}
