package fr.sesame.auth;

import fr.sesame.web.Form;
import fr.sesame.web.Language;
import fr.sesame.web.TrustedProxies;
import fr.sesame.web.Views;
import io.javalin.http.Context;
import java.time.Duration;
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
    private final String baseUrl;
    private final TrustedProxies proxies;

    public SignInController(
            AccountDao accountDao,
            Views views,
            LoginSessions sessions,
            Throttle throttle,
            LetterCodes codes,
            boolean entEnabled,
            String entLogoutUrl,
            String baseUrl,
            TrustedProxies proxies) {
        this.accountDao = accountDao;
        this.proxies = proxies;
        this.views = views;
        this.sessions = sessions;
        this.throttle = throttle;
        this.codes = codes;
        this.entEnabled = entEnabled;
        this.entLogoutUrl = entLogoutUrl;
        this.baseUrl = baseUrl;
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
        Optional<Long> guardian = codes.check(code, firstName);
        if (guardian.isEmpty()) {
            log.info("event=code_sign_in_failed");
            ctx.status(400);
            views.render(
                    ctx,
                    "auth/code.jte",
                    page(ctx, values, Map.of("code", "auth.code.error.nomatch"), null));
            return;
        }
        throttle.succeeded(codeKey, addressKey);
        sessions.signIn(ctx, "parent", guardian.get(), null, null);
        codes.signedIn(guardian.get());
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
                            baseUrl + "/", java.nio.charset.StandardCharsets.UTF_8);
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
