package com.o7tracker.counting;

import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: request threads append clicks to the filling batch and return at once; one writer
 * thread takes the whole batch, has it written and made durable, and then answers every click of
 * it. Clicks that arrive while a batch is being written share the next write and fdatasync. No
 * request thread ever writes or waits.
 *
 * <p>One lock guards the filling batch; the writer is signalled only when it sleeps, so a busy
 * writer costs the request threads nothing but the append.
 */
final class GroupCommit {

    /** Writes a batch and makes it durable; false if it could not. Called by the writer thread only. */
    @FunctionalInterface
    interface BatchWriter {
        boolean write(Batch batch);
    }

    /** Told, after a durable batch is answered, how many visitors it answered. */
    @FunctionalInterface
    interface AnswerListener {
        void answered(int visitors);
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** A batch never holds more clicks than this; beyond, clicks are refused while the disk catches up. */
    static final int MAX_WAITING = 1 << 20;

    private final BatchWriter writer;
    private final AnswerListener listener;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasWork = lock.newCondition();
    private Batch filling = new Batch();
    private boolean accepting;
    private boolean writerAsleep;
    /** The writer thread's batch for reuse (its arrays), touched under the lock only. */
    private Batch spare;

    GroupCommit(BatchWriter writer, AnswerListener listener) {
        this.writer = writer;
        this.listener = listener;
        this.thread = new Thread(this::writeLoop, "click-journal-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        lock.lock();
        try {
            accepting = true;
        } finally {
            lock.unlock();
        }
        thread.start();
    }

    /** Stops taking clicks; returns once every click taken has been written and answered. */
    void stop() throws InterruptedException {
        lock.lock();
        try {
            accepting = false;
            hasWork.signal();
        } finally {
            lock.unlock();
        }
        if (thread.isAlive()) {
            thread.join();
        }
    }

    /**
     * Adds a click to the next batch. Returns null when taken (the ack is called later, by the
     * writer), or why it was refused (the ack is not called).
     */
    ClickJournal.Outcome append(long campaignId, byte platform, ClickAck ack) {
        lock.lock();
        try {
            if (!accepting) {
                return ClickJournal.Outcome.STOPPED;
            }
            if (filling.size >= MAX_WAITING) {
                return ClickJournal.Outcome.BACKLOG_FULL;
            }
            filling.add(campaignId, platform, ack);
            if (writerAsleep) {
                writerAsleep = false;
                hasWork.signal();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        Batch batch = null;
        while (true) {
            lock.lock();
            try {
                if (batch != null) {
                    spare = batch;
                }
                while (filling.size == 0) {
                    if (!accepting) {
                        return;
                    }
                    writerAsleep = true;
                    hasWork.awaitUninterruptibly();
                }
                writerAsleep = false;
                batch = filling;
                filling = spare != null ? spare : new Batch();
                spare = null;
            } finally {
                lock.unlock();
            }
            boolean recorded;
            try {
                recorded = writer.write(batch);
            } catch (Throwable e) {
                // Even an Error (say, no memory for a large batch) answers the batch: recording never hangs.
                LOG.error("Writing {} click(s) to the journal failed", batch.size, e);
                recorded = false;
            }
            int answered = batch.answer(recorded ? ClickJournal.Outcome.RECORDED : ClickJournal.Outcome.JOURNAL_ERROR);
            if (recorded) {
                listener.answered(answered);
            }
            batch.clear();
        }
    }

    /** The clicks of one write: their campaign ids, platform codes and answers. */
    static final class Batch {
        private static final int INITIAL = 256;
        private static final int KEEP = 1 << 16;

        long[] campaignIds = new long[INITIAL];
        byte[] platforms = new byte[INITIAL];
        ClickAck[] acks = new ClickAck[INITIAL];
        int size;

        void add(long campaignId, byte platform, ClickAck ack) {
            if (size == campaignIds.length) {
                campaignIds = Arrays.copyOf(campaignIds, size * 2);
                platforms = Arrays.copyOf(platforms, size * 2);
                acks = Arrays.copyOf(acks, size * 2);
            }
            campaignIds[size] = campaignId;
            platforms[size] = platform;
            acks[size] = ack;
            size++;
        }

        /** Answers every click; returns how many visitors this answered. */
        private int answer(ClickJournal.Outcome outcome) {
            int answered = 0;
            for (int i = 0; i < size; i++) {
                try {
                    if (acks[i].done(outcome)) {
                        answered++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("A click's answer failed", e);
                }
            }
            return answered;
        }

        private void clear() {
            if (campaignIds.length > KEEP) {
                campaignIds = new long[INITIAL];
                platforms = new byte[INITIAL];
                acks = new ClickAck[INITIAL];
            } else {
                Arrays.fill(acks, 0, size, null);
            }
            size = 0;
        }
    }
}
