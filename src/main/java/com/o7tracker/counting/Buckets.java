package com.o7tracker.counting;

/**
 * The click buckets' SQL, written once for both tables that hold them: {@code click_minutes}, which
 * every flush adds to ({@link CounterStore#apply}), and {@code click_hours}, which the stats rollup
 * moves old minutes into. A bucket holds the human clicks of each platform, then the bots' of each
 * (the order of {@link ClickCounts}' slots), and only ever moves as {@code x = x + n}.
 */
public final class Buckets {

    /** A bucket's click columns, in slot order. */
    public static final String COLUMNS =
            "android, iphone, windowsphone, other, bot_android, bot_iphone, bot_windowsphone, bot_other";

    /** The end of a bucket's upsert (the table aliased {@code b}): a bucket already there gets the new clicks added. */
    public static final String ADD_ON_CONFLICT = """
            DO UPDATE SET
                android = b.android + EXCLUDED.android,
                iphone = b.iphone + EXCLUDED.iphone,
                windowsphone = b.windowsphone + EXCLUDED.windowsphone,
                other = b.other + EXCLUDED.other,
                bot_android = b.bot_android + EXCLUDED.bot_android,
                bot_iphone = b.bot_iphone + EXCLUDED.bot_iphone,
                bot_windowsphone = b.bot_windowsphone + EXCLUDED.bot_windowsphone,
                bot_other = b.bot_other + EXCLUDED.bot_other
            """;

    private Buckets() {
    }
}
