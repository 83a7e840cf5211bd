package fr.sesame.reach;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Campaigns, their recipients, the no-show follow-ups, and the plain e-mails they write. */
public interface ReachDao {
    /** A guardian a message may go to. */
    record Guardian(
            long id, long familyId, String language, String email, String phone, boolean optOut) {}

    @SqlQuery(
            """
            select id, family_id, language, email, phone, opt_out from guardian
            where family_id in (<families>) order by family_id, id""")
    List<Guardian> guardiansOf(@BindList("families") List<Long> familyIds);

    @SqlQuery(
            """
            insert into campaign (campaign_key, channel, school_id, class_name, status_filter, language, families,
                                  sent_by, sent_at)
            values (:key, :channel, :school, :className, :status, :language, 0, :by, now())
            on conflict (campaign_key) do nothing returning id""")
    Optional<Long> insertCampaign(
            @Bind("key") UUID key,
            @Bind("channel") String channel,
            @Bind("school") Long schoolId,
            @Bind("className") String className,
            @Bind("status") String status,
            @Bind("language") String language,
            @Bind("by") long staffId);

    @SqlQuery("select id from campaign where campaign_key = :key")
    Optional<Long> campaignByKey(@Bind("key") UUID key);

    @SqlUpdate("update campaign set families = :n where id = :id")
    void setFamilies(@Bind("id") long id, @Bind("n") int families);

    @SqlUpdate(
            """
            insert into campaign_recipient (campaign_id, guardian_id, family_id, sms_key, mail_key, outcome)
            values (:campaign, :guardian, :family, :sms, :mail, :outcome)""")
    void insertRecipient(
            @Bind("campaign") long campaignId,
            @Bind("guardian") long guardianId,
            @Bind("family") long familyId,
            @Bind("sms") String smsKey,
            @Bind("mail") String mailKey,
            @Bind("outcome") String outcome);

    /** A campaign with its results, counted in SQL. */
    record Summary(
            long id,
            String channel,
            String school,
            String className,
            String statusFilter,
            String language,
            int families,
            String sentBy,
            Instant sentAt,
            int guardians,
            int optedOut,
            int noContact,
            int smsWritten,
            int smsSent,
            int smsDelivered,
            int smsFailed,
            int mailsWritten,
            int mailsSent,
            int bookedSince) {}

    String SUMMARY =
            """
            select c.id, c.channel, s.name as school, c.class_name, c.status_filter, c.language, c.families,
                   a.display_name as sent_by, c.sent_at,
                   (select count(*) from campaign_recipient r where r.campaign_id = c.id) as guardians,
                   (select count(*) from campaign_recipient r where r.campaign_id = c.id and r.outcome = 'opted_out') as opted_out,
                   (select count(*) from campaign_recipient r where r.campaign_id = c.id and r.outcome = 'no_contact') as no_contact,
                   (select count(*) from campaign_recipient r join sms_outbox o on o.idempotency_key = r.sms_key
                    where r.campaign_id = c.id) as sms_written,
                   (select count(*) from campaign_recipient r join sms_outbox o on o.idempotency_key = r.sms_key
                    where r.campaign_id = c.id and o.status = 'sent') as sms_sent,
                   (select count(*) from campaign_recipient r join sms_outbox o on o.idempotency_key = r.sms_key
                    where r.campaign_id = c.id and o.delivered_at is not null) as sms_delivered,
                   (select count(*) from campaign_recipient r join sms_outbox o on o.idempotency_key = r.sms_key
                    where r.campaign_id = c.id and o.status = 'failed') as sms_failed,
                   (select count(*) from campaign_recipient r join calendar_outbox m on m.idempotency_key = r.mail_key
                    where r.campaign_id = c.id) as mails_written,
                   (select count(*) from campaign_recipient r join calendar_outbox m on m.idempotency_key = r.mail_key
                    where r.campaign_id = c.id and m.status = 'sent') as mails_sent,
                   (select count(distinct b.family_id) from booking b
                    where b.family_id in (select family_id from campaign_recipient r where r.campaign_id = c.id)
                      and b.created_at > c.sent_at) as booked_since
            from campaign c
            join staff_account a on a.id = c.sent_by
            left join school s on s.id = c.school_id
            """;

    @SqlQuery(SUMMARY + " where c.id = :id")
    Optional<Summary> summary(@Bind("id") long id);

    @SqlQuery(SUMMARY + " order by c.sent_at desc, c.id desc limit 100")
    List<Summary> recent();

    /** The booked guardians of a closed session that missed it, of families still not trained. */
    record Missed(
            long bookingId,
            long guardianId,
            long familyId,
            String language,
            String email,
            String phone,
            boolean optOut) {}

    /**
     * The session's active bookings whose guardian was marked absent or excused, or not marked, and
     * whose family is not trained (family_progress: the one home-use rule's answer); none for a
     * cancelled session.
     */
    @SqlQuery(
            """
            select b.id as booking_id, g.id as guardian_id, g.family_id, g.language, g.email, g.phone, g.opt_out
            from booking b
            join workshop_session ws on ws.id = b.session_id
            join guardian g on g.id = b.guardian_id
            left join attendance a on a.session_id = b.session_id and a.guardian_id = b.guardian_id
            left join family_progress p on p.family_id = g.family_id
            where b.session_id = :session and b.status = 'active' and ws.status <> 'cancelled'
              and (a.mark is null or a.mark in ('absent', 'excused'))
              and p.trained_since is null
            order by b.id""")
    List<Missed> missed(@Bind("session") long sessionId);

    @SqlQuery(
            """
            insert into follow_up (booking_id, guardian_id, session_id, sms_key, mail_key)
            values (:booking, :guardian, :session, :sms, :mail)
            on conflict (booking_id) do nothing returning booking_id""")
    Optional<Long> insertFollowUp(
            @Bind("booking") long bookingId,
            @Bind("guardian") long guardianId,
            @Bind("session") long sessionId,
            @Bind("sms") String smsKey,
            @Bind("mail") String mailKey);

    @SqlUpdate("update follow_up set sms_key = :sms, mail_key = :mail where booking_id = :booking")
    void setFollowUpKeys(
            @Bind("booking") long bookingId,
            @Bind("sms") String smsKey,
            @Bind("mail") String mailKey);

    /** A plain e-mail (no calendar part) for the mail worker; once per idempotency key. */
    @SqlUpdate(
            """
            insert into calendar_outbox (idempotency_key, guardian_id, recipient, language, kind, subject, body)
            values (:key, :guardian, :recipient, :language, :kind, :subject, :body)
            on conflict (idempotency_key) do nothing""")
    int insertMail(
            @Bind("key") String key,
            @Bind("guardian") long guardianId,
            @Bind("recipient") String recipient,
            @Bind("language") String language,
            @Bind("kind") String kind,
            @Bind("subject") String subject,
            @Bind("body") String body);
}
