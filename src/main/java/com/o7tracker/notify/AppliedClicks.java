package com.o7tracker.notify;

import com.o7tracker.counting.ClickCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The payloads of {@link Channel#CLICKS_APPLIED}: the counters one flush added, one entry per
 * campaign, {@code id:android,iphone,windowsphone,other,bot}, space-separated, cut into payloads
 * PostgreSQL accepts.
 */
public final class AppliedClicks {

    /** Under PostgreSQL's limit of 8000 bytes per notification payload. */
    static final int MAX_PAYLOAD = 7_900;

    private AppliedClicks() {
    }

    /** The campaigns' counters of {@code counts} as payloads of at most {@link #MAX_PAYLOAD} characters. */
    public static List<String> encode(ClickCounts counts) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        counts.campaigns().forEach((id, c) -> {
            String entry = id + ":" + c[0] + "," + c[1] + "," + c[2] + "," + c[3] + "," + c[4];
            if (payload.length() + 1 + entry.length() > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload.setLength(0);
            }
            payload.append(payload.length() == 0 ? "" : " ").append(entry);
        });
        if (payload.length() > 0) {
            payloads.add(payload.toString());
        }
        return payloads;
    }

    /** The campaigns' counters of one payload of {@link #encode}; entries that do not read are left out. */
    public static Map<Long, long[]> parse(String payload) {
        Map<Long, long[]> read = new HashMap<>();
        for (String entry : payload.split(" ")) {
            int colon = entry.indexOf(':');
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
        return read;
    }
}
