package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;

/**
 * What a click is, as one byte of its journal record: the platform's code in the low bits,
 * {@link #BOT} set for a crawler or link-preview fetcher, and {@link #HAS_MINUTE} when the record
 * also holds the minute the click was served in. Records of earlier versions hold a platform code
 * only (a human click), or with the bot flag, and no minute; they read the same.
 *
 * <p>Each kind moves one of the campaign's counters: a human click its platform's, a bot's only
 * {@code bot_click_count} (the platform is kept in the record all the same).
 */
final class ClickKind {

    static final int BOT = 0x80;
    static final int HAS_MINUTE = 0x40;

    /** The counters a click can move, in this order: one per platform, then bots. */
    static final int COUNTERS = Platform.values().length + 1;
    static final int BOT_COUNTER = COUNTERS - 1;

    private ClickKind() {
    }

    static byte of(Platform platform, boolean bot) {
        return (byte) (platform.code() | (bot ? BOT : 0));
    }

    static boolean isValid(int kind) {
        return Platform.isCode(kind & ~(BOT | HAS_MINUTE) & 0xFF);
    }

    static int platform(int kind) {
        return kind & ~(BOT | HAS_MINUTE) & 0xFF;
    }

    /** The slot of a click in a minute's bucket: its platform's code, plus the platforms' number for a bot. */
    static int slot(int kind) {
        return platform(kind) + ((kind & BOT) != 0 ? Platform.values().length : 0);
    }

    /** The index of the counter a click of this kind moves (a platform code, or {@link #BOT_COUNTER}). */
    static int counter(int kind) {
        return (kind & BOT) != 0 ? BOT_COUNTER : platform(kind);
    }
}
