package fr.sesame.reach;

import fr.sesame.audit.Actor;
import fr.sesame.audit.Audit;
import fr.sesame.messaging.SmsOutbox;
import fr.sesame.messaging.SmsParts;
import fr.sesame.roster.DashboardController;
import fr.sesame.roster.DashboardDao;
import fr.sesame.web.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Invitations to book, sent by the education service to the dashboard's families to reach with its
 * filters (the dashboard's own query, so the campaign reaches exactly the families the list shows).
 * Every guardian of those families gets the invitation by SMS, e-mail or both as chosen and as they
 * can receive it, with their own personal link; a guardian who opted out gets nothing. Sending is
 * one transaction (the campaign, its recipients, the outbox rows, the audit row), once per campaign
 * key: the key comes with the preview, and a second POST of it (a double click, a retry) finds the
 * campaign and sends nothing more.
 */
public final class Campaigns {
    static final int MAX_FAMILIES = 100_000;
    public static final List<String> CHANNELS = List.of("sms", "email", "both");

    /** What the campaign is sent to, and how. {@code school} null: the whole town. */
    public record Target(
            DashboardDao.School school, DashboardController.Filters filters, String channel) {
        boolean bySms() {
            return !channel.equals("email");
        }

        boolean byMail() {
            return !channel.equals("sms");
        }
    }

    /** The SMS and e-mail of one language, and what its SMS costs. */
    public record LanguageText(
            String language, int guardians, String sms, SmsParts.Parts parts, String mail) {}

    /** What a campaign would do: the guardians per outcome, and the texts per language. */
    public record Preview(
            int families,
            int guardians,
            int sms,
            int email,
            int both,
            int optedOut,
            int noNumber,
            int noEmail,
            int nothing,
            List<LanguageText> texts) {}

    private final Jdbi jdbi;
    private final ReachMessages messages;
    private final PersonalLinks links;

    public Campaigns(Jdbi jdbi, PersonalLinks links, SmsOutbox sms, Runnable mailWritten) {
        this.jdbi = jdbi;
        this.links = links;
        this.messages = new ReachMessages(links, sms, mailWritten);
    }

    public List<DashboardDao.School> schools() {
        return jdbi.withHandle(h -> h.attach(DashboardDao.class).schools());
    }

    private static List<Long> families(Handle h, Target t) {
        DashboardDao dao = h.attach(DashboardDao.class);
        dao.planForTheValuesGiven();
        return dao
                .toReach(
                        t.school() == null ? null : t.school().id(),
                        t.filters().className(),
                        t.filters().status(),
                        t.filters().language(),
                        MAX_FAMILIES)
                .stream()
                .map(DashboardDao.FamilyToReach::id)
                .toList();
    }

    private static List<ReachDao.Guardian> guardians(Handle h, List<Long> families) {
        return families.isEmpty() ? List.of() : h.attach(ReachDao.class).guardiansOf(families);
    }

    public Preview preview(Target t) {
        return jdbi.inTransaction(
                h -> {
                    List<Long> families = families(h, t);
                    List<ReachDao.Guardian> guardians = guardians(h, families);
                    int sms = 0, email = 0, both = 0, optedOut = 0, noNumber = 0, noEmail = 0;
                    int nothing = 0;
                    Map<String, Integer> perLanguage = new LinkedHashMap<>();
                    for (ReachDao.Guardian g : guardians) {
                        if (g.optOut()) {
                            optedOut++;
                            nothing++;
                            continue;
                        }
                        boolean s = t.bySms() && ReachMessages.hasMobile(g);
                        boolean m = t.byMail() && ReachMessages.hasEmail(g.email());
                        if (t.bySms() && !ReachMessages.hasMobile(g)) noNumber++;
                        if (t.byMail() && !ReachMessages.hasEmail(g.email())) noEmail++;
                        if (s) sms++;
                        if (m) email++;
                        if (s && m) both++;
                        if (!s && !m) nothing++;
                        else perLanguage.merge(g.language(), 1, Integer::sum);
                    }
                    List<LanguageText> texts = new ArrayList<>();
                    for (String lang : new TreeSet<>(perLanguage.keySet())) {
                        texts.add(
                                new LanguageText(
                                        lang,
                                        perLanguage.get(lang),
                                        ReachMessages.smsText("campaign", lang, links.sampleUrl()),
                                        messages.parts("campaign", lang),
                                        fr.sesame.web.Messages.of(lang)
                                                .t(
                                                        "reach.family.campaign.mail.body",
                                                        links.sampleUrl(),
                                                        "…")));
                    }
                    return new Preview(
                            families.size(),
                            guardians.size(),
                            sms,
                            email,
                            both,
                            optedOut,
                            noNumber,
                            noEmail,
                            nothing,
                            texts);
                });
    }

    /** The audit row's details. */
    record Audited(
            String channel,
            String school,
            String className,
            String status,
            String language,
            int families,
            Map<String, Integer> outcomes) {}

    /** A campaign sent, or found already sent with this key. */
    public record Sent(long id, boolean already) {}

    /**
     * Sends the campaign once per key; refuses (nothing written) when no family matches or a text
     * is too long for SMS_MAX_PARTS.
     */
    public Sent send(UUID key, Target t, Actor admin, long staffId) {
        try {
            return jdbi.inTransaction(
                    h -> {
                        ReachDao dao = h.attach(ReachDao.class);
                        Optional<Long> created =
                                dao.insertCampaign(
                                        key,
                                        t.channel(),
                                        t.school() == null ? null : t.school().id(),
                                        t.filters().className(),
                                        t.filters().status(),
                                        t.filters().language(),
                                        staffId);
                        // Another request with this key committed first (this insert waited for
                        // it).
                        if (created.isEmpty())
                            return new Sent(dao.campaignByKey(key).orElseThrow(), true);
                        long id = created.get();
                        List<Long> families = families(h, t);
                        if (families.isEmpty()) throw new Refusal(CampaignRefusal.NOBODY);
                        dao.setFamilies(id, families.size());
                        Map<String, Integer> outcomes = new LinkedHashMap<>();
                        for (ReachDao.Guardian g : guardians(h, families)) {
                            String outcome;
                            ReachMessages.Written w = new ReachMessages.Written(null, null);
                            if (g.optOut()) {
                                outcome = "opted_out";
                            } else {
                                w =
                                        messages.write(
                                                h,
                                                g.id(),
                                                g.familyId(),
                                                g.language(),
                                                g.email(),
                                                ReachMessages.hasMobile(g),
                                                t.bySms(),
                                                t.byMail(),
                                                "campaign",
                                                "campaign:" + id + ":" + g.id());
                                outcome = w.outcome();
                            }
                            dao.insertRecipient(
                                    id, g.id(), g.familyId(), w.smsKey(), w.mailKey(), outcome);
                            outcomes.merge(outcome, 1, Integer::sum);
                        }
                        Audit.record(
                                h,
                                admin,
                                "campaign_sent",
                                "campaign",
                                id,
                                new Audited(
                                        t.channel(),
                                        t.school() == null ? null : t.school().uai(),
                                        t.filters().className(),
                                        t.filters().status(),
                                        t.filters().language(),
                                        families.size(),
                                        outcomes));
                        return new Sent(id, false);
                    });
        } catch (SmsOutbox.TooLong e) {
            throw new Refusal(CampaignRefusal.TOO_LONG, e.parts, e.maxParts);
        }
    }

    public Optional<ReachDao.Summary> summary(long id) {
        return jdbi.withHandle(h -> h.attach(ReachDao.class).summary(id));
    }

    public List<ReachDao.Summary> recent() {
        return jdbi.withHandle(h -> h.attach(ReachDao.class).recent());
    }
}
