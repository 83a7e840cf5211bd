package fr.sesame.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class runs against one real app of its own, started before its first test on a fresh
 * migrated database and closed after its last (see {@link SesameApp} for what it hands to the
 * class).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SesameApp.class)
public @interface SesameTest {
    /** The database holds the demo town: its staff accounts, schools, families and sessions. */
    boolean demo() default false;

    /** Extra environment of the app, each as {@code NAME=value}. */
    String[] env() default {};

    /**
     * The class drives Chromium: skipped where it is not installed, failed in CI (see {@link
     * Browser#assumeChromium}).
     */
    boolean browser() default false;
}
