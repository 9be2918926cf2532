package com.o7tracker.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope an API key needs for a resource method (or every method of a class), where the HTTP
 * method does not say it (see {@link Scope}). On a resource outside the admin side it puts the
 * resource behind the same authentication: the postback's {@code @Requires(Scope.POSTBACK)}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Requires {

    Scope value();

    /**
     * Whether a key may also come as the query parameter {@code key}, for partners that can only
     * fill in a URL template (the request log writes the path alone, never the query).
     */
    boolean keyInQuery() default false;
}
