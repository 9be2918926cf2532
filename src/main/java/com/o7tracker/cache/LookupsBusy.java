package com.o7tracker.cache;

/**
 * {@link CampaignTargets#find} would have waited for a lookup while {@code cache.maxWaitingLookups}
 * clicks were waiting for theirs already: the visitor goes to the fallback at once. Thrown without
 * a stack trace (a flood throws many).
 */
public final class LookupsBusy extends RuntimeException {

    static final LookupsBusy INSTANCE = new LookupsBusy();

    private LookupsBusy() {
        super("too many campaign lookups waiting", null, false, false);
    }
}
