package fr.sesame.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An {@link Http} client of the class's app signed in as a demo account through the real sign-in
 * pages. On a static field or a {@code @BeforeAll} parameter it is signed in once for the class; on
 * a test's parameter, for that test.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface SignedIn {
    Role value();

    /** The demo town's accounts, one per role. */
    enum Role {
        PARENT,
        TRAINER,
        SCHOOL_STAFF,
        ADMIN
    }
}
