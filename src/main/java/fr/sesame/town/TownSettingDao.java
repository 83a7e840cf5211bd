package fr.sesame.town;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The current town's own settings (row-level security: only its row is ever seen). */
public interface TownSettingDao {
    /** What a town set; a null is "not set": the default applies. */
    record Stored(
            String name,
            String contact,
            Integer retentionDays,
            String smsSenderName,
            Integer markingOpensMinutes,
            Integer personalLinkDays) {
        static final Stored NONE = new Stored(null, null, null, null, null, null);
    }

    @SqlQuery(
            "select name, contact, retention_days, sms_sender_name, marking_opens_minutes,"
                    + " personal_link_days from town_setting")
    Optional<Stored> find();

    @SqlUpdate(
            "insert into town_setting (name, contact, retention_days, sms_sender_name,"
                    + " marking_opens_minutes, personal_link_days) values (:name, :contact,"
                    + " :retentionDays, :smsSenderName, :markingOpensMinutes, :personalLinkDays)"
                    + " on conflict (town_id) do update set name = excluded.name, contact ="
                    + " excluded.contact, retention_days = excluded.retention_days,"
                    + " sms_sender_name = excluded.sms_sender_name, marking_opens_minutes ="
                    + " excluded.marking_opens_minutes, personal_link_days ="
                    + " excluded.personal_link_days, updated_at = now()")
    void save(@BindMethods Stored s);

    @SqlQuery("select current_town()")
    Long currentTown();
}
