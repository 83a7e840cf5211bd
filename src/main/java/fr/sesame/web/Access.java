package fr.sesame.web;

import io.javalin.security.RouteRole;

/** Who may use a route. Every route of the route table names one. */
public enum Access implements RouteRole {
    /** Anyone, signed in or not. */
    PUBLIC
}
