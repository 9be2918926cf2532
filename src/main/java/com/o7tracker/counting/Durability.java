package com.o7tracker.counting;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** When a click counts as recorded, and so when its visitor gets the redirect. */
public enum Durability {
    /** After the click's journal record is on disk (fdatasync, shared by all clicks of a batch). Survives power loss. */
    FSYNC,
    /**
     * After the record is written to the operating system. Survives a crash of the service, not of
     * the machine. The flusher fdatasyncs the journal before it applies clicks to PostgreSQL, so a
     * power loss can lose clicks but never leaves PostgreSQL ahead of the journal.
     */
    WRITE;

    /**
     * Reads the setting in any case. {@code async}, which earlier versions had, bought nothing
     * measurable once request threads stopped waiting for the disk; it reads as {@code write}.
     */
    @JsonCreator
    public static Durability parse(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "fsync":
                return FSYNC;
            case "write":
                return WRITE;
            case "async":
                LoggerFactory.getLogger(Durability.class).warn("Journal durability 'async' is no longer offered; using 'write'");
                return WRITE;
            default:
                throw new IllegalArgumentException("journal durability must be fsync or write, not '" + name + "'");
        }
    }
}
