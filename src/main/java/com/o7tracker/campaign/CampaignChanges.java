package com.o7tracker.campaign;

import java.util.Locale;
import java.util.Optional;

/** Told of every campaign created, changed or deleted through this instance, once it is committed. */
public interface CampaignChanges {

    enum Change {
        CREATED, UPDATED, DELETED;

        /** How live events and their notifications spell it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Change> ofWireName(String name) {
            for (Change change : values()) {
                if (change.wireName().equals(name)) {
                    return Optional.of(change);
                }
            }
            return Optional.empty();
        }
    }

    void changed(long id, Change change);
}
