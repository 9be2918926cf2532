package com.o7tracker.dimension;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one click told of where it came from and on what: a value for each {@link Dimension},
 * already through the rules of {@link Values} (a country is two upper-case letters, {@code ZZ}
 * when unknown; any other value {@link Values#NONE} when the click did not tell). Immutable.
 */
public final class Visit {

    private static final Dimension[] DIMENSIONS = Dimension.values();
    /** A country that cannot be told (App Engine's word for it). */
    public static final String UNKNOWN_COUNTRY = "ZZ";

    /** A click that told nothing: the clicks of journal records written before dimensions were recorded. */
    public static final Visit UNKNOWN = new Builder().build();

    private final String[] values;
    /** Computed once, on the request thread that made the visit: the journal's writer looks it up more than once. */
    private final int hash;

    private Visit(String[] values) {
        this.values = values;
        this.hash = Arrays.hashCode(values);
    }

    public String get(Dimension dimension) {
        return values[dimension.ordinal()];
    }

    /** This visit with {@code dimension}'s value replaced (the bound of distinct values an instance keeps). */
    public Visit with(Dimension dimension, String value) {
        if (get(dimension).equals(value)) {
            return this;
        }
        String[] copy = values.clone();
        copy[dimension.ordinal()] = Objects.requireNonNull(value);
        return new Visit(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Visit other && hash == other.hash && Arrays.equals(values, other.values));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Visit{");
        for (Dimension d : DIMENSIONS) {
            s.append(d.wireName()).append('=').append(values[d.ordinal()]).append(d.ordinal() + 1 < DIMENSIONS.length ? ", " : "}");
        }
        return s.toString();
    }

    /** Starts with nothing told ({@code ZZ}, {@link Values#NONE}); each value set replaces that. */
    public static final class Builder {
        private final String[] values = new String[DIMENSIONS.length];

        private Builder() {
            Arrays.fill(values, Values.NONE);
            values[Dimension.COUNTRY.ordinal()] = UNKNOWN_COUNTRY;
        }

        /**
         * Sets a value; one that is empty or longer than {@link Values#MAX_HOST} characters (the
         * longest the rules let through, and the longest click_dimension_hours stores) is
         * {@link Values#OTHER}: a value the database refused would fail every flush after it.
         */
        public Builder set(Dimension dimension, String value) {
            values[dimension.ordinal()] = value.isEmpty() || value.length() > Values.MAX_HOST ? Values.OTHER : value;
            return this;
        }

        public Visit build() {
            return new Visit(values.clone());
        }
    }
}
