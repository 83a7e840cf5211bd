package fr.sesame.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The size of a {@link Browser} handed to a test as a parameter (default: a phone, 360 × 740), and
 * its language.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface Viewport {
    int width() default 360;

    int height() default 740;

    String language() default Browser.FRENCH;
}
