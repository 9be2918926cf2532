package com.o7tracker.counting;

/** How the journal answers one click, once, from whichever thread decided its outcome. */
@FunctionalInterface
public interface ClickAck {

    /**
     * Called exactly once: {@link ClickOutcome#RECORDED} once the click's record is durable,
     * or why it is not recorded. Returns whether this call answered the visitor (false when the
     * visitor had already been answered, after the ack timeout).
     */
    boolean done(ClickOutcome outcome);
}
