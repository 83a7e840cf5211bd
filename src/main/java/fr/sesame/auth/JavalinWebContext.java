package fr.sesame.auth;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.WebContextHelper;

/**
 * pac4j's view of one Javalin request. pac4j ships this adapter for servlets as pac4j-jakartaee,
 * which the registry here serves up to 6.3 only; this one lets pac4j-core and pac4j-oidc follow
 * their releases. It reads and writes the servlet request under Javalin's context, as
 * pac4j-jakartaee's JEEContext does.
 */
final class JavalinWebContext implements WebContext {
    private final Context ctx;
    private final HttpServletRequest request;
    private final HttpServletResponse response;

    JavalinWebContext(Context ctx) {
        this.ctx = ctx;
        this.request = ctx.req();
        this.response = ctx.res();
    }

    @Override
    public Optional<String> getRequestParameter(String name) {
        return Optional.ofNullable(request.getParameter(name));
    }

    @Override
    public Map<String, String[]> getRequestParameters() {
        return request.getParameterMap();
    }

    @Override
    public Optional getRequestAttribute(String name) {
        return Optional.ofNullable(request.getAttribute(name));
    }

    @Override
    public void setRequestAttribute(String name, Object value) {
        request.setAttribute(name, value);
    }

    @Override
    public Optional<String> getRequestHeader(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public String getRemoteAddr() {
        return request.getRemoteAddr();
    }

    @Override
    public void setResponseHeader(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public Optional<String> getResponseHeader(String name) {
        return Optional.ofNullable(response.getHeader(name));
    }

    @Override
    public void setResponseContentType(String content) {
        response.setContentType(content);
    }

    @Override
    public String getServerName() {
        return request.getServerName();
    }

    @Override
    public int getServerPort() {
        return request.getServerPort();
    }

    @Override
    public String getScheme() {
        return request.getScheme();
    }

    @Override
    public boolean isSecure() {
        return request.isSecure();
    }

    @Override
    public String getFullRequestURL() {
        String query = request.getQueryString();
        String url = request.getRequestURL().toString();
        return query == null ? url : url + "?" + query;
    }

    @Override
    public Collection<Cookie> getRequestCookies() {
        jakarta.servlet.http.Cookie[] cookies = request.getCookies();
        List<Cookie> all = new ArrayList<>();
        if (cookies == null) return all;
        for (jakarta.servlet.http.Cookie c : cookies) {
            Cookie cookie = new Cookie(c.getName(), c.getValue());
            cookie.setDomain(c.getDomain());
            cookie.setHttpOnly(c.isHttpOnly());
            cookie.setMaxAge(c.getMaxAge());
            cookie.setPath(c.getPath());
            cookie.setSecure(c.getSecure());
            all.add(cookie);
        }
        return all;
    }

    @Override
    public void addResponseCookie(Cookie cookie) {
        response.addHeader("Set-Cookie", WebContextHelper.createCookieHeader(cookie));
    }

    @Override
    public String getPath() {
        return ctx.path();
    }

    @Override
    public String getRequestContent() {
        return ctx.body();
    }

    @Override
    public String getProtocol() {
        return request.getProtocol();
    }

    @Override
    public Optional<String> getQueryString() {
        return Optional.ofNullable(request.getQueryString());
    }
}
