package fr.sesame.auth;

import fr.sesame.web.Form;
import fr.sesame.web.Language;
import fr.sesame.web.TrustedProxies;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sign-in pages: the choice, the letter code, staff accounts; and sign-out. */
public final class SignInController {
    private static final Logger log = LoggerFactory.getLogger(SignInController.class);
    // A real Argon2id hash, checked when the e-mail is unknown so that both cases take the same
    // time.
    private static final String DUMMY_HASH = Passwords.hash("not-a-password");

    /** The model of the sign-in pages. */
    public record SignInPage(String next, boolean entEnabled, Form form, String notice) {
        /** "?next=..." to carry the page to return to, or nothing. */
        public String nextQuery() {
            return next.isEmpty()
                    ? ""
                    : "?next="
                            + java.net.URLEncoder.encode(
                                    next, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final AccountDao accountDao;
    private final Views views;
    private final LoginSessions sessions;
    private final Throttle throttle;
    private final LetterCodes codes;
    private final boolean entEnabled;
    private final String entLogoutUrl;
    private final fr.sesame.db.TownUrls urls;
    private final TrustedProxies proxies;

    public SignInController(
            AccountDao accountDao,
            Views views,
            LoginSessions sessions,
            Throttle throttle,
            LetterCodes codes,
            boolean entEnabled,
            String entLogoutUrl,
            fr.sesame.db.TownUrls urls,
            TrustedProxies proxies) {
        this.accountDao = accountDao;
        this.proxies = proxies;
        this.views = views;
        this.sessions = sessions;
        this.throttle = throttle;
        this.codes = codes;
        this.entEnabled = entEnabled;
        this.entLogoutUrl = entLogoutUrl;
        this.urls = urls;
    }

    public void choose(Context ctx) {
        views.render(ctx, "auth/sign-in.jte", page(ctx, Map.of(), Map.of(), null));
    }

    /**
     * The letter's QR code opens this page with ?code=K7M49PQX: the code is filled in, the parent
     * types the first name.
     */
    public void codeForm(Context ctx) {
        String code = LetterCodes.normalize(ctx.queryParam("code"));
        Map<String, String> values =
                code == null ? Map.of() : Map.of("code", LetterCodes.display(code));
        views.render(ctx, "auth/code.jte", page(ctx, values, Map.of(), null));
    }

    public void codeSubmit(Context ctx) {
        String typedCode = Optional.ofNullable(ctx.formParam("code")).orElse("").trim();
        String firstName = Optional.ofNullable(ctx.formParam("child")).orElse("").trim();
        Map<String, String> values = Map.of("code", typedCode, "child", firstName);
        String code = LetterCodes.normalize(typedCode);

        java.util.LinkedHashMap<String, String> errors = new java.util.LinkedHashMap<>();
        if (typedCode.isEmpty()) errors.put("code", "auth.code.error.code.missing");
        else if (code == null) errors.put("code", "auth.code.error.code.format");
        if (firstName.isEmpty()) errors.put("child", "auth.code.error.child.missing");
        else if (firstName.length() > 80) errors.put("child", "auth.code.error.child.format");
        if (!errors.isEmpty()) {
            ctx.status(400);
            views.render(ctx, "auth/code.jte", page(ctx, values, errors, null));
            return;
        }
        Throttle.Key codeKey = Throttle.Key.code(code);
        Throttle.Key addressKey = Throttle.Key.address("code", proxies.clientAddress(ctx));
        Optional<Duration> wait = throttle.attempt(List.of(codeKey, addressKey));
        if (wait.isPresent()) {
            tooManyAttempts(ctx, "auth/code.jte", values, wait.get());
            return;
        }
        Optional<Long> family = codes.family(code, firstName);
        List<LetterCodes.Guardian> guardians = family.map(codes::guardians).orElse(List.of());
        if (guardians.isEmpty()) {
            log.info("event=code_sign_in_failed");
            ctx.status(400);
            views.render(
                    ctx,
                    "auth/code.jte",
                    page(ctx, values, Map.of("code", "auth.code.error.nomatch"), null));
            return;
        }
        throttle.succeeded(codeKey, addressKey);
        if (guardians.size() == 1) {
            signInGuardian(ctx, guardians.get(0).id());
            return;
        }
        // several parents share the letter: the one who came says which they are
        sessions.currentOrNew(ctx)
                .put(
                        CHOOSING,
                        family.get() + ":" + Instant.now().plus(CHOICE_TIME).getEpochSecond());
        ctx.redirect("/sign-in/guardian" + page(ctx, values, Map.of(), null).nextQuery());
    }

    /** The session's family waiting for its guardian choice, and until when. */
    static final String CHOOSING = "letterCodeFamily";

    static final Duration CHOICE_TIME = Duration.ofMinutes(10);

    /** The model of the guardian choice: the family's guardians by first name. */
    public record GuardianChoicePage(
            String next, List<LetterCodes.Guardian> guardians, boolean error) {
        public String nextQuery() {
            return new SignInPage(next, false, Form.EMPTY, null).nextQuery();
        }
    }

    private Optional<Long> choosingFamily(Context ctx) {
        LoginSession session = sessions.current(ctx);
        String pending = session == null ? null : session.get(CHOOSING);
        if (pending == null || !pending.matches("\\d{1,18}:\\d{1,18}")) return Optional.empty();
        String[] parts = pending.split(":");
        if (Instant.ofEpochSecond(Long.parseLong(parts[1])).isBefore(Instant.now())) {
            session.remove(CHOOSING);
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(parts[0]));
    }

    /** After a letter code shared by several guardians: who came? */
    public void guardianForm(Context ctx) {
        Optional<Long> family = choosingFamily(ctx);
        if (family.isEmpty()) {
            ctx.redirect("/sign-in/code" + page(ctx, Map.of(), Map.of(), null).nextQuery());
            return;
        }
        views.render(
                ctx,
                "auth/guardian.jte",
                new GuardianChoicePage(
                        Form.localPath(ctx.queryParam("next")),
                        codes.guardians(family.get()),
                        false));
    }

    /** The guardian chosen: one of that family's, or nothing is signed in. */
    public void guardianSubmit(Context ctx) {
        Optional<Long> family = choosingFamily(ctx);
        if (family.isEmpty()) {
            ctx.redirect("/sign-in/code" + page(ctx, Map.of(), Map.of(), null).nextQuery());
            return;
        }
        String chosen = ctx.formParam("guardian");
        long guardian = chosen != null && chosen.matches("\\d{1,18}") ? Long.parseLong(chosen) : -1;
        if (guardian < 0 || !codes.isGuardianOf(family.get(), guardian)) {
            log.info("event=guardian_choice_refused");
            ctx.status(400);
            views.render(
                    ctx,
                    "auth/guardian.jte",
                    new GuardianChoicePage(
                            Form.localPath(ctx.queryParam("next")),
                            codes.guardians(family.get()),
                            true));
            return;
        }
        signInGuardian(ctx, guardian);
    }

    private void signInGuardian(Context ctx, long guardian) {
        sessions.signIn(ctx, "parent", guardian, null, null);
        codes.signedIn(guardian);
        log.info("event=sign_in kind=parent method=code");
        ctx.redirect(nextOr(ctx, "/me"));
    }

    public void staffForm(Context ctx) {
        views.render(ctx, "auth/staff.jte", page(ctx, Map.of(), Map.of(), null));
    }

    public void staffSubmit(Context ctx) {
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("").trim();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        Map<String, String> values = Map.of("email", email);
        if (email.isEmpty()
                || password.isEmpty()
                || email.length() > 200
                || password.length() > 200) {
            ctx.status(400);
            java.util.LinkedHashMap<String, String> errors = new java.util.LinkedHashMap<>();
            if (email.isEmpty()) errors.put("email", "auth.staff.error.email.missing");
            if (password.isEmpty()) errors.put("password", "auth.staff.error.password.missing");
            if (errors.isEmpty()) errors.put("email", "auth.staff.error.nomatch");
            views.render(ctx, "auth/staff.jte", page(ctx, values, errors, null));
            return;
        }
        Throttle.Key accountKey = Throttle.Key.account(email);
        Throttle.Key addressKey = Throttle.Key.address("staff", proxies.clientAddress(ctx));
        Optional<Duration> wait = throttle.attempt(List.of(accountKey, addressKey));
        if (wait.isPresent()) {
            tooManyAttempts(ctx, "auth/staff.jte", values, wait.get());
            return;
        }
        Optional<AccountDao.Staff> staff =
                accountDao.staffByEmail(email).filter(AccountDao.Staff::active);
        boolean ok =
                Passwords.matches(
                                password,
                                staff.map(AccountDao.Staff::passwordHash).orElse(DUMMY_HASH))
                        && staff.isPresent();
        if (!ok) {
            log.info("event=staff_sign_in_failed");
            ctx.status(400);
            views.render(
                    ctx,
                    "auth/staff.jte",
                    page(ctx, values, Map.of("email", "auth.staff.error.nomatch"), null));
            return;
        }
        throttle.succeeded(accountKey, addressKey);
        AccountDao.Staff s = staff.get();
        sessions.signIn(ctx, "staff", s.id(), null, null);
        log.info("event=sign_in kind=staff role={}", s.role());
        ctx.redirect(nextOr(ctx, homeOf(s.role())));
    }

    public void signOut(Context ctx) {
        LoginSession session = sessions.current(ctx);
        boolean viaEnt = session != null && session.entIssuer() != null;
        sessions.signOut(ctx);
        // A shared tablet keeps nothing of this person: the browser drops its cache, the trainer's
        // offline copy of
        // the roster, its queue and its worker (roster.js sends or warns about unsent marks before
        // it gets here).
        ctx.header("Clear-Site-Data", "\"cache\", \"storage\"");
        if (viaEnt && entLogoutUrl != null && !entLogoutUrl.isBlank()) {
            String callback =
                    java.net.URLEncoder.encode(
                            urls.current() + "/", java.nio.charset.StandardCharsets.UTF_8);
            ctx.redirect(entLogoutUrl.replace("{callback}", callback));
            return;
        }
        ctx.redirect("/");
    }

    public static String homeOf(String role) {
        return new fr.sesame.web.PageContext.Viewer(null, role).home();
    }

    private void tooManyAttempts(
            Context ctx, String template, Map<String, String> values, Duration wait) {
        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
        ctx.status(429);
        ctx.header("Retry-After", String.valueOf(seconds));
        // the real wait: seconds under a minute (the first block is 30 s), whole minutes above
        String notice =
                seconds < 60
                        ? Language.messages(ctx).t("auth.throttled", seconds, "seconds")
                        : Language.messages(ctx)
                                .t("auth.throttled", (seconds + 59) / 60, "minutes");
        views.render(ctx, template, page(ctx, values, Map.of(), notice));
    }

    private SignInPage page(
            Context ctx, Map<String, String> values, Map<String, String> errors, String notice) {
        return new SignInPage(
                Form.localPath(ctx.queryParam("next")),
                entEnabled,
                new Form(values, errors),
                notice);
    }

    private static String nextOr(Context ctx, String fallback) {
        String next = Form.localPath(ctx.queryParam("next"));
        return next.isEmpty() ? fallback : next;
    }
}
