package com.o7tracker.counting;

import com.o7tracker.campaign.Platform;

/**
 * What a click is, as one byte of its journal record: the platform's code in the low bits, and
 * {@link #BOT} set for a crawler or link-preview fetcher. Records of earlier versions hold a
 * platform code only (a human click), so they read the same.
 *
 * <p>Each kind moves one of the campaign's counters: a human click its platform's, a bot's only
 * {@code bot_click_count} (the platform is kept in the record all the same).
 */
final class ClickKind {

    static final int BOT = 0x80;

    /** The counters a click can move, in this order: one per platform, then bots. */
    static final int COUNTERS = Platform.values().length + 1;
    static final int BOT_COUNTER = COUNTERS - 1;

    private ClickKind() {
    }

    static byte of(Platform platform, boolean bot) {
        return (byte) (platform.code() | (bot ? BOT : 0));
    }

    static boolean isValid(int kind) {
        return Platform.isCode(kind & ~BOT & 0xFF);
    }

    /** The index of the counter a click of this kind moves (a platform code, or {@link #BOT_COUNTER}). */
    static int counter(int kind) {
        return (kind & BOT) != 0 ? BOT_COUNTER : kind & 0x7F;
    }
}
