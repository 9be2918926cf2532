package com.o7tracker.counting;

import com.o7tracker.dimension.Visit;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
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
 * writer costs the request threads nothing but the append. A timer thread answers the clicks of a
 * click that has waited longer than the ack timeout (a stalled disk), each by its own arrival; each
 * click's answer is given once, by whichever comes first.
 */
final class GroupCommit {

    /** Writes a batch and makes it durable; false if it could not. Called by the writer thread only. */
    @FunctionalInterface
    interface BatchWriter {
        boolean write(Batch batch);
    }

    /** Told how many visitors a durable batch answered, and how many the ack timeout answered. */
    interface AnswerListener {
        void answered(int visitors);

        void timedOut(int visitors);
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** A batch never holds more clicks than this; beyond, clicks are refused while the disk catches up. */
    static final int MAX_WAITING = 1 << 20;

    private final BatchWriter writer;
    private final AnswerListener listener;
    private final long ackTimeoutNanos;
    private final Thread thread;
    private final Thread timer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasWork = lock.newCondition();
    private Batch filling = new Batch();
    private boolean accepting;
    private boolean writerAsleep;
    /** The batch being written, for the timer. */
    private volatile Batch inFlight;

    GroupCommit(BatchWriter writer, AnswerListener listener, long ackTimeoutNanos) {
        this.writer = writer;
        this.listener = listener;
        this.ackTimeoutNanos = ackTimeoutNanos;
        this.thread = new Thread(this::writeLoop, "click-journal-writer");
        this.thread.setDaemon(true);
        this.timer = new Thread(this::timeoutLoop, "click-ack-timeout");
        this.timer.setDaemon(true);
    }

    void start() {
        lock.lock();
        try {
            accepting = true;
        } finally {
            lock.unlock();
        }
        thread.start();
        timer.start();
    }

    /**
     * Stops taking clicks; returns once every click taken has been written and answered. Returns
     * how many clicks were answered STOPPED instead (left by a writer that died, or by an interrupt).
     */
    int stop() throws InterruptedException {
        lock.lock();
        try {
            accepting = false;
            hasWork.signal();
        } finally {
            lock.unlock();
        }
        Batch left = new Batch();
        try {
            if (thread.isAlive()) {
                thread.join();
            }
        } finally {
            // The writer drains every click taken before it stops; whatever is left is not left hanging.
            lock.lock();
            try {
                left = filling;
                filling = new Batch();
            } finally {
                lock.unlock();
            }
            timer.interrupt();
            Batch.answer(0, left.size, left.acks, ClickOutcome.STOPPED);
        }
        return left.size;
    }

    /**
     * Adds a click to the next batch. Returns null when taken (the ack is called later, by the
     * writer), or why it was refused (the ack is not called).
     */
    ClickOutcome append(long campaignId, byte kind, Visit visit, ClickAck ack) {
        lock.lock();
        try {
            if (!accepting) {
                return ClickOutcome.STOPPED;
            }
            if (filling.size >= MAX_WAITING) {
                return ClickOutcome.BACKLOG_FULL;
            }
            filling.add(campaignId, kind, visit, ack);
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
        while (true) {
            Batch batch;
            lock.lock();
            try {
                while (filling.size == 0) {
                    if (!accepting) {
                        return;
                    }
                    writerAsleep = true;
                    hasWork.awaitUninterruptibly();
                }
                writerAsleep = false;
                batch = filling;
                filling = new Batch();
                inFlight = batch;
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
            int answered = Batch.answer(0, batch.size, batch.acks,
                    recorded ? ClickOutcome.RECORDED : ClickOutcome.JOURNAL_ERROR);
            inFlight = null;
            if (recorded) {
                try {
                    listener.answered(answered);
                } catch (Throwable e) {
                    LOG.warn("Click metrics could not be updated", e);
                }
            }
        }
    }

    /**
     * Answers, with ACK_TIMEOUT, the clicks that have waited the ack timeout: never before it, and
     * at most a tenth of it (50 ms at most) after.
     */
    private void timeoutLoop() {
        long pauseNanos = Math.max(1_000_000, Math.min(ackTimeoutNanos / 10, 50_000_000));
        while (!Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(pauseNanos);
            try {
                int expired = expire(System.nanoTime());
                if (expired > 0) {
                    listener.timedOut(expired);
                }
            } catch (Throwable e) {
                LOG.error("Answering clicks past the ack timeout failed", e);
            }
        }
    }

    /**
     * Answers the clicks that have waited longer than the ack timeout at {@code now}, each by its
     * own arrival: during a stall, a click that came late in a batch still waits its whole ack
     * timeout for its record. Returns how many it answered.
     */
    private int expire(long now) {
        int expired = 0;
        Batch writing = inFlight;
        if (writing != null) {
            expired += writing.expire(writing.size, writing.arrivals, writing.acks, now - ackTimeoutNanos);
        }
        Batch waiting;
        int size;
        long[] arrivals;
        ClickAck[] acks;
        lock.lock();
        try {
            waiting = filling;
            size = waiting.size;
            arrivals = waiting.arrivals;
            acks = waiting.acks;
        } finally {
            lock.unlock();
        }
        return expired + waiting.expire(size, arrivals, acks, now - ackTimeoutNanos);
    }

    /** The clicks of one write: their campaign ids, kinds ({@link ClickKind}), visits, arrivals and answers. */
    static final class Batch {
        private static final int INITIAL = 256;

        long[] campaignIds = new long[INITIAL];
        byte[] kinds = new byte[INITIAL];
        Visit[] visits = new Visit[INITIAL];
        /** When each click came (System.nanoTime): in order, as clicks are added under the lock. */
        long[] arrivals = new long[INITIAL];
        ClickAck[] acks = new ClickAck[INITIAL];
        int size;
        /** How far the timer has answered; the timer thread's own. */
        private int expiredUpTo;

        void add(long campaignId, byte kind, Visit visit, ClickAck ack) {
            if (size == campaignIds.length) {
                campaignIds = Arrays.copyOf(campaignIds, size * 2);
                kinds = Arrays.copyOf(kinds, size * 2);
                visits = Arrays.copyOf(visits, size * 2);
                arrivals = Arrays.copyOf(arrivals, size * 2);
                acks = Arrays.copyOf(acks, size * 2);
            }
            campaignIds[size] = campaignId;
            kinds[size] = kind;
            visits[size] = visit;
            arrivals[size] = System.nanoTime();
            acks[size] = ack;
            size++;
        }

        /**
         * The timer's answer to the clicks from {@code expiredUpTo} on that came before
         * {@code arrivedBefore}, among the first {@code size} of {@code arrivals} and {@code acks}
         * (read under the lock).
         */
        private int expire(int size, long[] arrivals, ClickAck[] acks, long arrivedBefore) {
            int upTo = expiredUpTo;
            while (upTo < size && arrivals[upTo] - arrivedBefore < 0) {
                upTo++;
            }
            int answered = answer(expiredUpTo, upTo, acks, ClickOutcome.ACK_TIMEOUT);
            expiredUpTo = upTo;
            return answered;
        }

        /** Answers clicks [from, to); returns how many visitors this answered. */
        private static int answer(int from, int to, ClickAck[] acks, ClickOutcome outcome) {
            int answered = 0;
            for (int i = from; i < to; i++) {
                try {
                    if (acks[i].done(outcome)) {
                        answered++;
                    }
                } catch (Throwable e) {
                    // One visitor's failed answer must not leave the rest of the batch waiting.
                    LOG.warn("A click's answer failed", e);
                }
            }
            return answered;
        }
    }
}
