package fr.sesame.roster;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the database holds that an import is compared with, read once at the start of its
 * transaction.
 */
record RosterState(
        Map<String, RosterDao.School> schoolsByUai,
        Map<String, RosterDao.ChildState> childByExt,
        Map<String, RosterDao.ChildState> childByEnt,
        Map<String, RosterDao.GuardianState> guardianByExt,
        Map<String, RosterDao.GuardianState> guardianByEnt,
        Map<String, RosterDao.DeviceState> deviceByTag,
        Map<String, RosterDao.DeviceState> deviceBySerial,
        Map<Long, RosterDao.DeviceState> lentDeviceByChild,
        Set<String> letterCodes) {

    static RosterState load(RosterDao dao) {
        Map<String, RosterDao.School> schools = new HashMap<>();
        for (RosterDao.School s : dao.schools()) schools.put(s.uai(), s);
        Map<String, RosterDao.ChildState> childByExt = new HashMap<>();
        Map<String, RosterDao.ChildState> childByEnt = new HashMap<>();
        for (RosterDao.ChildState c : dao.children()) {
            if (c.externalId() != null) childByExt.put(c.externalId(), c);
            if (c.entId() != null) childByEnt.put(c.entId(), c);
        }
        Map<String, RosterDao.GuardianState> guardianByExt = new HashMap<>();
        Map<String, RosterDao.GuardianState> guardianByEnt = new HashMap<>();
        for (RosterDao.GuardianState g : dao.guardians()) {
            if (g.externalId() != null) guardianByExt.put(g.externalId(), g);
            if (g.entId() != null) guardianByEnt.put(g.entId(), g);
        }
        Map<String, RosterDao.DeviceState> deviceByTag = new HashMap<>();
        Map<String, RosterDao.DeviceState> deviceBySerial = new HashMap<>();
        Map<Long, RosterDao.DeviceState> lentDeviceByChild = new HashMap<>();
        for (RosterDao.DeviceState d : dao.devices()) {
            deviceByTag.put(d.assetTag(), d);
            deviceBySerial.put(d.serialNumber(), d);
            if (d.childId() != null
                    && (d.state().equals("school_only") || d.state().equals("home_use"))) {
                lentDeviceByChild.put(d.childId(), d);
            }
        }
        return new RosterState(
                schools,
                childByExt,
                childByEnt,
                guardianByExt,
                guardianByEnt,
                deviceByTag,
                deviceBySerial,
                lentDeviceByChild,
                Set.copyOf(dao.letterCodes()));
    }

    /** The child a device is lent to now, or null. */
    Long childOfDevice(String tag) {
        RosterDao.DeviceState s = deviceByTag.get(tag);
        return s == null ? null : s.childId();
    }
}
