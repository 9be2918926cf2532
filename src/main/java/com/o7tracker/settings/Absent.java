package com.o7tracker.settings;

import java.util.Optional;

/**
 * The one reading of a text setting that may be left unset: absent when it is left out of the YAML,
 * given as an unset variable ({@code ${X:-}} reads as null, {@code '${X:-}'} as an empty string) or
 * blank. Such a setting is a {@link Setting} field with no initial value and a getter that returns
 * {@code Absent.ifBlank(field)}, so that no factory checks for blank strings itself.
 */
public final class Absent {

    private Absent() {
    }

    public static Optional<String> ifBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
