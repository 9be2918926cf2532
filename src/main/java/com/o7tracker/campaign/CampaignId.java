package com.o7tracker.campaign;

import java.util.OptionalLong;

/**
 * The one rule for a campaign id written in a path: a positive decimal of at most 16 digits, no
 * sign, no more than {@link CampaignService#MAX_ID}. Anything else is no campaign, decided before
 * any lookup.
 */
public final class CampaignId {

    private static final int MAX_DIGITS = Long.toString(CampaignService.MAX_ID).length();

    private CampaignId() {
    }

    public static OptionalLong parse(CharSequence text) {
        return text == null ? OptionalLong.empty() : parse(text, 0, text.length());
    }

    /** The id written in {@code text[start, end)}; no substring is made (the click path calls it per click). */
    public static OptionalLong parse(CharSequence text, int start, int end) {
        if (end <= start || end - start > MAX_DIGITS) {
            return OptionalLong.empty();
        }
        long id = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
            id = id * 10 + (c - '0');
        }
        return id > 0 && id <= CampaignService.MAX_ID ? OptionalLong.of(id) : OptionalLong.empty();
    }
}
