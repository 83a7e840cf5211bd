package fr.sesame.web;

/**
 * Which town a request is for, from its host name (issue 17): told of each request before anything
 * else reads the database, and of its end.
 */
public interface HostTowns {
    /** Puts the request's thread in the town of this Host header; false: no town has this host. */
    boolean enter(String hostHeader);

    /** The request is over. */
    void leave();
}
