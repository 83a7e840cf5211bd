package fr.sesame;

import fr.sesame.attendance.AttendanceSheetController;
import fr.sesame.auth.AdminController;
import fr.sesame.auth.EntController;
import fr.sesame.auth.EntLinksController;
import fr.sesame.auth.SignInController;
import fr.sesame.booking.BookingController;
import fr.sesame.booking.PlanningController;
import fr.sesame.booking.SessionApi;
import fr.sesame.booking.StaffBookingController;
import fr.sesame.booking.TrainerController;
import fr.sesame.calendar.CalendarController;
import fr.sesame.devices.DeviceApiController;
import fr.sesame.devices.RegisterController;
import fr.sesame.devices.SchoolController;
import fr.sesame.family.FamilyAdminController;
import fr.sesame.family.ParentController;
import fr.sesame.messaging.OptOutAdminController;
import fr.sesame.messaging.OptOutController;
import fr.sesame.messaging.SmsReportController;
import fr.sesame.ops.ApiDocument;
import fr.sesame.ops.Metrics;
import fr.sesame.roster.DashboardController;
import fr.sesame.roster.FamilyDataController;
import fr.sesame.roster.ImportController;
import fr.sesame.roster.LettersController;
import fr.sesame.web.Access;
import fr.sesame.web.HealthController;
import fr.sesame.web.HomeController;
import fr.sesame.webhooks.WebhookController;
import io.javalin.config.RoutesConfig;

/**
 * The route table: every route, with who may use it (checked once, before its handler, by the web
 * layer). Only the composition root builds it, with the controllers it built.
 */
record Routes(
        HomeController home,
        HealthController health,
        SignInController signIn,
        EntController ent,
        ParentController parent,
        TrainerController trainer,
        SchoolController school,
        AdminController admin,
        FamilyAdminController families,
        BookingController booking,
        PlanningController planning,
        StaffBookingController onBehalf,
        DashboardController dashboard,
        ImportController rosterImport,
        LettersController letters,
        FamilyDataController familyData,
        EntLinksController entLinks,
        SessionApi sessionApi,
        CalendarController calendar,
        AttendanceSheetController sheet,
        RegisterController register,
        DeviceApiController deviceApi,
        WebhookController webhooks,
        OptOutController optOut,
        Metrics metrics,
        ApiDocument apiDocument,
        OptOutAdminController optOutAdmin,
        fr.sesame.attendance.PaperMarksController paperMarks,
        SmsReportController smsReports,
        fr.sesame.reach.PersonalLinkController personalLink,
        fr.sesame.reach.CampaignController campaigns,
        fr.sesame.town.TownSettingsController townSettings) {

    void addTo(RoutesConfig r) {
        r.before("/admin/roster/import", rosterImport::rejectOversized);

        // The route table: every route, with who may use it.
        r.get("/", home::home, Access.PUBLIC);
        r.get("/accessibilite", home::accessibility, Access.PUBLIC);
        r.get("/health", health::health, Access.PUBLIC);
        r.get("/health/live", health::live, Access.PUBLIC);
        r.get("/health/ready", health::health, Access.PUBLIC);
        r.get("/lang/{lang}", home::switchLanguage, Access.PUBLIC);
        r.get("/metrics", metrics::scrape, Access.METRICS);

        // the opt-out link of every SMS and reminder e-mail: the token in the address is the
        // credential (a mail client's one-click POST, RFC 8058, needs no CSRF token)
        r.get("/o/{token}", optOut::ask, Access.PUBLIC);
        r.post(
                "/o/{token}",
                optOut::confirm,
                Access.PUBLIC,
                fr.sesame.web.CsrfExemption.ONE_CLICK_UNSUBSCRIBE);
        // the SMS provider's delivery reports: the secret in the address is the credential, and no
        // CSRF token, since a server calls it (machine to machine), not a page in a browser
        r.post("/hooks/sms/{secret}", smsReports::report, Access.SMS_PROVIDER);
        r.get("/sign-in", signIn::choose, Access.PUBLIC);
        r.get("/sign-in/code", signIn::codeForm, Access.PUBLIC);
        r.post("/sign-in/code", signIn::codeSubmit, Access.PUBLIC);
        r.get("/sign-in/guardian", signIn::guardianForm, Access.PUBLIC);
        r.post("/sign-in/guardian", signIn::guardianSubmit, Access.PUBLIC);
        r.get("/sign-in/staff", signIn::staffForm, Access.PUBLIC);
        r.post("/sign-in/staff", signIn::staffSubmit, Access.PUBLIC);
        r.post("/sign-out", signIn::signOut, Access.SIGNED_IN);
        r.get("/auth/ent", ent::start, Access.PUBLIC);
        r.get("/auth/ent/callback", ent::callback, Access.PUBLIC);
        r.post("/auth/ent/backchannel-logout", ent::backchannelLogout, Access.ENT_SERVER);

        r.get("/me", parent::home, Access.PARENT);
        r.get("/trainer", trainer::sessions, Access.TRAINER);
        r.get("/school", school::pupils, Access.SCHOOL_STAFF);

        r.get("/admin", admin::home, Access.ADMIN);
        r.get("/admin/staff", admin::staff, Access.ADMIN);
        r.post("/admin/staff", admin::createStaff, Access.ADMIN);
        r.post("/admin/staff/{id}/active", admin::setActive, Access.ADMIN);
        r.get("/admin/tokens", admin::tokens, Access.ADMIN);
        r.post("/admin/tokens", admin::createToken, Access.ADMIN);
        r.post("/admin/tokens/{id}/revoke", admin::revokeToken, Access.ADMIN);
        r.get("/admin/families", families::search, Access.ADMIN);
        r.post("/admin/families/{id}/code", families::regenerateCode, Access.ADMIN);

        r.get("/sessions", booking::sessions, Access.PARENT);
        r.get("/sessions/{id}", booking::session, Access.PARENT);
        r.post("/sessions/{id}/book", booking::book, Access.PARENT);
        r.post("/sessions/{id}/wait", booking::joinWaitingList, Access.PARENT);
        r.post("/waiting/{id}/leave", booking::leaveWaitingList, Access.PARENT);
        r.get("/bookings/{id}/cancel", booking::cancelConfirm, Access.PARENT);
        r.post("/bookings/{id}/cancel", booking::cancel, Access.PARENT);
        r.get("/bookings/{id}/move", booking::moveChoices, Access.PARENT);
        r.post("/bookings/{id}/move", booking::move, Access.PARENT);

        r.get("/admin/workshops", planning::workshops, Access.ADMIN);
        r.post("/admin/workshops", planning::createWorkshop, Access.ADMIN);
        r.get("/admin/workshops/{id}", planning::workshop, Access.ADMIN);
        r.post("/admin/workshops/{id}", planning::updateWorkshop, Access.ADMIN);
        r.get("/admin/sessions", planning::sessions, Access.ADMIN);
        r.get("/admin/sessions/new", planning::newSession, Access.ADMIN);
        r.post("/admin/sessions", planning::createSession, Access.ADMIN);
        r.get("/admin/sessions/{id}", planning::session, Access.ADMIN);
        r.post("/admin/sessions/{id}", planning::updateSession, Access.ADMIN);
        r.post("/admin/sessions/{id}/cancel", planning::cancelSession, Access.ADMIN);
        r.get("/admin/series", planning::seriesForm, Access.ADMIN);
        r.post("/admin/series", planning::seriesSubmit, Access.ADMIN);
        r.get("/admin/families/{id}/bookings", onBehalf::family, Access.ADMIN);
        r.post("/admin/families/{id}/book", onBehalf::book, Access.ADMIN);
        r.post("/admin/families/{id}/bookings/{booking}/cancel", onBehalf::cancel, Access.ADMIN);
        r.post("/admin/families/{id}/bookings/{booking}/move", onBehalf::move, Access.ADMIN);
        r.get("/roster", dashboard::dashboard, Access.SCHOOL_STAFF);
        r.get("/roster/families.csv", dashboard::exportCsv, Access.SCHOOL_STAFF);
        r.get("/admin/roster/import", rosterImport::form, Access.ADMIN);
        r.post("/admin/roster/import", rosterImport::upload, Access.ADMIN);
        r.get("/admin/roster/import/{id}", rosterImport::preview, Access.ADMIN);
        r.post("/admin/roster/import/{id}/commit", rosterImport::commit, Access.ADMIN);

        r.get("/admin/roster/letters", letters::form, Access.ADMIN);
        r.post("/admin/roster/letters", letters::print, Access.ADMIN);
        r.get("/admin/roster/families/{id}", familyData::show, Access.ADMIN);
        r.get("/admin/roster/families/{id}/export", familyData::export, Access.ADMIN);
        r.post("/admin/roster/families/{id}/erase", familyData::erase, Access.ADMIN);
        r.post("/admin/roster/families/{id}/opt-out", optOutAdmin::set, Access.ADMIN);
        r.post("/admin/roster/families/{id}/ent-links/remove", entLinks::remove, Access.ADMIN);
        r.post(
                "/admin/roster/families/{id}/ent-requests/{request}/confirm",
                entLinks::confirm,
                Access.ADMIN);
        r.post(
                "/admin/roster/families/{id}/ent-requests/{request}/dismiss",
                entLinks::dismiss,
                Access.ADMIN);

        r.get("/api/v1/openapi.json", apiDocument::serve, Access.PUBLIC);
        r.get("/api/v1/me", admin::apiMe, Access.API_ANY);
        r.get("/api/v1/sessions", sessionApi::list, Access.API_READ);
        r.post("/api/v1/sessions", sessionApi::create, Access.API_ADMIN);

        // Calendar: a feed's secret token is its only credential; unknown or revoked tokens answer
        // 404.
        r.get("/calendar/feed/{token}.ics", calendar::feed, Access.PUBLIC);
        r.get("/me/calendar", calendar::parentPage, Access.PARENT);
        r.post("/me/calendar/link", calendar::parentNewLink, Access.PARENT);
        r.get("/me/bookings/{id}/calendar.ics", calendar::download, Access.PARENT);
        r.get("/trainer/calendar", calendar::trainerPage, Access.TRAINER);
        r.post("/trainer/calendar/link", calendar::trainerNewLink, Access.TRAINER);
        r.get("/school/calendar", calendar::schoolPage, Access.SCHOOL_STAFF);
        r.post("/school/calendar/link", calendar::schoolNewLink, Access.SCHOOL_STAFF);
        r.get("/admin/calendar", calendar::adminPage, Access.ADMIN);
        r.post("/admin/calendar/link", calendar::adminNewLink, Access.ADMIN);
        r.get("/admin/outbox", calendar::outboxPage, Access.ADMIN);

        // Attendance and devices (issue 5); a trainer only reaches their own sessions (checked by
        // the service).
        r.get("/trainer/offline-worker.js", sheet::worker, Access.PUBLIC);
        r.get("/trainer/sessions/{id}", sheet::sheet, Access.TRAINER);
        r.get("/trainer/sessions/{id}/sign-in-sheet.pdf", sheet::paper, Access.TRAINER);
        r.get("/trainer/sessions/{id}/paper-marks", paperMarks::form, Access.TRAINER);
        r.post("/trainer/sessions/{id}/paper-marks", paperMarks::save, Access.TRAINER);
        r.post("/trainer/sessions/{id}/marks", sheet::mark, Access.TRAINER);
        r.post("/trainer/sessions/{id}/signatures", sheet::sign, Access.TRAINER);
        r.post("/trainer/sessions/{id}/close", sheet::close, Access.TRAINER);
        r.get("/admin/devices", register::list, Access.ADMIN);
        r.get("/admin/devices/{id}", register::device, Access.ADMIN);
        r.post("/admin/devices/{id}/lend", register::lend, Access.ADMIN);
        r.post("/admin/devices/{id}/state", register::state, Access.ADMIN);
        r.post("/admin/devices/{id}/home-use", register::homeUse, Access.ADMIN);
        r.get("/admin/returns", register::returns, Access.ADMIN);
        r.post("/admin/returns", register::markReturned, Access.ADMIN);
        r.get("/admin/register.csv", register::csv, Access.ADMIN);
        r.get("/api/v1/devices", deviceApi::devices, Access.API_IT);
        r.get("/api/v1/device-changes", deviceApi::changes, Access.API_IT);
        r.get("/api/v1/devices/{assetTag}", deviceApi::device, Access.API_IT);
        r.get("/api/v1/register.csv", deviceApi::csv, Access.API_IT);
        r.get("/admin/webhooks", webhooks::page, Access.ADMIN);
        r.post("/admin/webhooks", webhooks::create, Access.ADMIN);
        r.post("/admin/webhooks/{id}/delete", webhooks::delete, Access.ADMIN);
        // Reaching families (issue 16): the personal link, campaigns
        r.get("/l/{token}", personalLink::ask, Access.PUBLIC);
        r.post("/l/{token}", personalLink::use, Access.PUBLIC);
        r.get("/admin/campaigns", campaigns::list, Access.ADMIN);
        r.get("/admin/campaigns/new", campaigns::preview, Access.ADMIN);
        r.post("/admin/campaigns", campaigns::send, Access.ADMIN);
        r.get("/admin/campaigns/{id}", campaigns::show, Access.ADMIN);
        // Each town's own settings (issue 17)
        r.get("/admin/town", townSettings::page, Access.ADMIN);
        r.post("/admin/town", townSettings::save, Access.ADMIN);
    }
}
