package com.o7tracker.counting;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the journal tells the admin port's metrics about clicks: how many were recorded, how many
 * visitors were answered once their click was durable ({@code clicks.counted}), how many were not
 * recorded and why ({@code clicks.unrecorded.<outcome>}), and the writer's writes and batch sizes.
 * The writer thread tells it per batch, not per click.
 */
final class ClickMeters implements GroupCommit.AnswerListener {

    private final Meter recorded;
    private final Meter counted;
    private final Map<ClickOutcome, Meter> unrecorded = new EnumMap<>(ClickOutcome.class);
    private final Timer writes;
    private final Histogram batchSizes;

    ClickMeters(MetricRegistry metrics) {
        this.recorded = metrics.meter("clicks.recorded");
        this.counted = metrics.meter("clicks.counted");
        for (ClickOutcome outcome : ClickOutcome.values()) {
            if (outcome != ClickOutcome.RECORDED) {
                unrecorded.put(outcome, metrics.meter("clicks.unrecorded." + outcome.name().toLowerCase().replace('_', '-')));
            }
        }
        this.writes = metrics.timer("clicks.journal.writes");
        this.batchSizes = metrics.histogram("clicks.journal.batchSize");
    }

    @Override
    public void answered(int visitors) {
        counted.mark(visitors);
    }

    @Override
    public void timedOut(int visitors) {
        unrecorded(ClickOutcome.ACK_TIMEOUT, visitors);
    }

    /** Clicks that were not recorded, and why. */
    void unrecorded(ClickOutcome outcome, long clicks) {
        unrecorded.get(outcome).mark(clicks);
    }

    /** The time one batch's write takes, from now until the context is stopped. */
    Timer.Context timeWrite() {
        return writes.time();
    }

    /** A batch of {@code clicks} that was written and made durable ({@code ok}), or failed. */
    void batch(int clicks, boolean ok) {
        batchSizes.update(clicks);
        if (ok) {
            recorded.mark(clicks);
        } else {
            unrecorded(ClickOutcome.JOURNAL_ERROR, clicks);
        }
    }
}
