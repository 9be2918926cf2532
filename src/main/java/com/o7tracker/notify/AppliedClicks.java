package com.o7tracker.notify;

import com.o7tracker.counting.ClickCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The payloads of {@link Channel#CLICKS_APPLIED}: the counters one flush added, one entry per
 * campaign, {@code id:android,iphone,windowsphone,other,bot}, space-separated, cut into payloads
 * PostgreSQL accepts, each led by the flush's position, {@code @journal:seq} (the journal's
 * applied position the flush moved to). A reader of the counters that knows the positions as of
 * its read (the {@code O7tracker-Applied} header) tells by it whether a flush is already in what it
 * read. Versions before the position sent none, and read a payload with one as before: the
 * position does not read as a campaign's entry and is left out.
 */
public final class AppliedClicks {

    /** Under PostgreSQL's limit of 8000 bytes per notification payload. */
    static final int MAX_PAYLOAD = 7_900;
    /** Journal ids are UUIDs; anything else (a hand-edited journal.id) is told without its position. */
    private static final Pattern JOURNAL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Where a flush took its journal: the flush's clicks are in any read of the counters as of {@code seq} or later. */
    public record Position(String journalId, long seq) {
    }

    /** One payload read: the flush's position, if it was told, and the campaigns' counters. */
    public record Heard(Optional<Position> position, Map<Long, long[]> campaigns) {
    }

    private AppliedClicks() {
    }

    /** The campaigns' counters of {@code counts} as payloads of at most {@link #MAX_PAYLOAD} characters. */
    public static List<String> encode(String journalId, long upToSeq, ClickCounts counts) {
        String lead = JOURNAL_ID.matcher(journalId).matches() ? "@" + journalId + ":" + upToSeq : "";
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder(lead);
        counts.campaigns().forEach((id, c) -> {
            String entry = id + ":" + c[0] + "," + c[1] + "," + c[2] + "," + c[3] + "," + c[4];
            if (payload.length() + 1 + entry.length() > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload.setLength(0);
                payload.append(lead);
            }
            payload.append(payload.length() == 0 ? "" : " ").append(entry);
        });
        if (payload.length() > lead.length()) {
            payloads.add(payload.toString());
        }
        return payloads;
    }

    /** One payload of {@link #encode} (or of an earlier version's); entries that do not read are left out. */
    public static Heard parse(String payload) {
        Map<Long, long[]> read = new HashMap<>();
        Position position = null;
        for (String entry : payload.split(" ")) {
            int colon = entry.lastIndexOf(':');
            if (entry.startsWith("@")) {
                position = position(entry, colon).orElse(position);
                continue;
            }
            String[] values = entry.substring(colon + 1).split(",");
            if (colon < 1 || values.length != ClickCounts.COUNTERS) {
                continue;
            }
            try {
                long[] counters = new long[ClickCounts.COUNTERS];
                for (int c = 0; c < counters.length; c++) {
                    counters[c] = Long.parseLong(values[c]);
                }
                read.put(Long.parseLong(entry.substring(0, colon)), counters);
            } catch (NumberFormatException e) {
                // left out
            }
        }
        return new Heard(Optional.ofNullable(position), read);
    }

    private static Optional<Position> position(String entry, int colon) {
        if (colon < 2 || !JOURNAL_ID.matcher(entry.substring(1, colon)).matches()) {
            return Optional.empty();
        }
        try {
            long seq = Long.parseLong(entry.substring(colon + 1));
            return seq < 0 ? Optional.empty() : Optional.of(new Position(entry.substring(1, colon), seq));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
