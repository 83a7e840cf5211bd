package fr.sesame.web;

import io.javalin.security.RouteRole;

/**
 * A route's only exception to the CSRF check, named beside its {@link Access} in the route table.
 */
public enum CsrfExemption implements RouteRole {
    /**
     * RFC 8058 one-click unsubscribe: a mail client POSTs {@code List-Unsubscribe=One-Click} to the
     * address of the message's {@code List-Unsubscribe} header, with no page and no cookie, so no
     * CSRF token. Only that exact form is exempt; the address's secret token is the credential.
     */
    ONE_CLICK_UNSUBSCRIBE
}
