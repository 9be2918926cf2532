package com.o7tracker.campaign;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The click counters, named once. A campaign, a stats bucket and a live event each carry
 * {@code click_count} (humans, every platform), one {@code <platform>_click_count} per
 * {@link Platform} and {@code bot_click_count}; the bucket tables hold a {@code <platform>} and a
 * {@code bot_<platform>} column per platform. Java derives the names from here; the migrations,
 * SQL text blocks and the dashboard's script cannot, and {@code CountersTest} holds them to it.
 */
public final class Counters {

    public static final String CLICKS = "click_count";
    public static final String BOTS = "bot_click_count";
    /** {@code click_count}, the platforms' counters in {@link Platform} order, {@code bot_click_count}. */
    public static final List<String> NAMES;
    /** The bucket tables' columns: each platform's, then each platform's bots'. */
    public static final List<String> BUCKET_COLUMNS;

    static {
        List<String> names = new ArrayList<>(List.of(CLICKS));
        List<String> columns = new ArrayList<>();
        for (Platform platform : Platform.values()) {
            names.add(name(platform));
            columns.add(platform.column());
        }
        names.add(BOTS);
        for (Platform platform : Platform.values()) {
            columns.add("bot_" + platform.column());
        }
        NAMES = Collections.unmodifiableList(names);
        BUCKET_COLUMNS = Collections.unmodifiableList(columns);
    }

    private Counters() {
    }

    public static String name(Platform platform) {
        return platform.column() + "_" + CLICKS;
    }

    /**
     * The counters by name, in {@link #NAMES} order, of {@code humansThenBots}: each platform's
     * humans by {@link Platform#code}, then the bots of all of them (a flush's layout).
     */
    public static Map<String, Long> named(long[] humansThenBots) {
        Map<String, Long> named = new LinkedHashMap<>();
        long humans = 0;
        for (Platform platform : Platform.values()) {
            humans += humansThenBots[platform.code()];
        }
        named.put(CLICKS, humans);
        for (Platform platform : Platform.values()) {
            named.put(name(platform), humansThenBots[platform.code()]);
        }
        named.put(BOTS, humansThenBots[Platform.values().length]);
        return named;
    }
}
