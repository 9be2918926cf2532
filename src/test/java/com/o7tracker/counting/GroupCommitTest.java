package com.o7tracker.counting;

import com.o7tracker.dimension.Visit;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.support.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit alone: who writes, when clicks are answered, and what a failed write answers. */
class GroupCommitTest {

    private final Set<String> writingThreads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger answeredVisitors = new AtomicInteger();
    private final AtomicInteger timedOutVisitors = new AtomicInteger();
    private long ackTimeoutSeconds = 60;
    private final CountDownLatch diskReleased = new CountDownLatch(1);
    private GroupCommit commit;

    @AfterEach
    void tearDown() throws InterruptedException {
        diskReleased.countDown();
        if (commit != null) {
            commit.stop();
        }
    }

    private GroupCommit start(GroupCommit.BatchWriter writer) {
        commit = new GroupCommit(writer, new GroupCommit.AnswerListener() {
            @Override
            public void answered(int visitors) {
                answeredVisitors.addAndGet(visitors);
            }

            @Override
            public void timedOut(int visitors) {
                timedOutVisitors.addAndGet(visitors);
            }
        }, TimeUnit.SECONDS.toNanos(ackTimeoutSeconds));
        commit.start();
        return commit;
    }

    /** A disk that blocks every write until the test releases it. */
    private boolean stalledDisk(GroupCommit.Batch batch) {
        writingThreads.add(Thread.currentThread().getName());
        writes.incrementAndGet();
        try {
            diskReleased.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Until the writer has taken the first click and is stuck in its write. */
    private void awaitStalledWrite() throws Exception {
        Await.until("the writer takes the first click", Duration.ofSeconds(10), () -> writes.get() > 0);
    }

    private static CompletableFuture<ClickOutcome> click(GroupCommit commit, long campaignId) {
        CompletableFuture<ClickOutcome> answer = new CompletableFuture<>();
        assertThat(commit.append(campaignId, (byte) 0, Visit.UNKNOWN, answer::complete)).as("taken").isNull();
        return answer;
    }

    @Test
    void requestThreadsNeitherWriteNorWaitAndOneWriteAnswersAWholeBatch() throws Exception {
        start(this::stalledDisk);
        CompletableFuture<ClickOutcome> first = click(commit, 1);
        awaitStalledWrite();
        List<CompletableFuture<ClickOutcome>> waiting = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            waiting.add(click(commit, i)); // returns at once although the disk is stalled
        }
        assertThat(first).isNotDone();
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        diskReleased.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.RECORDED);
        for (CompletableFuture<ClickOutcome> answer : waiting) {
            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.RECORDED);
        }
        assertThat(writes.get()).as("the 1,000 clicks that came during a write share the next one").isEqualTo(2);
        assertThat(writingThreads).containsExactly("click-journal-writer");
        assertThat(answeredVisitors.get()).isEqualTo(1_001);
    }

    @Test
    void aStalledDiskIsAnsweredByTheAckTimeoutAndTheClicksAreStillWritten() throws Exception {
        ackTimeoutSeconds = 1;
        List<Integer> written = new ArrayList<>();
        start(batch -> {
            written.add(batch.size);
            return stalledDisk(batch);
        });
        CompletableFuture<ClickOutcome> writing = click(commit, 1);
        awaitStalledWrite();
        CompletableFuture<ClickOutcome> waiting = click(commit, 2);
        assertThat(writing.get(10, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.ACK_TIMEOUT);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.ACK_TIMEOUT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (timedOutVisitors.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the timer reports after it has answered
        }
        assertThat(timedOutVisitors.get()).isEqualTo(2);

        diskReleased.countDown();
        commit.stop();
        assertThat(written).as("both clicks still reach the disk").containsExactly(1, 1);
        assertThat(answeredVisitors.get()).as("no visitor is answered twice").isZero();
    }

    @Test
    void aClickThatCameLateInAStalledBatchWaitsItsOwnAckTimeoutForItsRecord() throws Exception {
        ackTimeoutSeconds = 2;
        start(this::stalledDisk);
        CompletableFuture<ClickOutcome> writing = click(commit, 1);
        awaitStalledWrite();
        CompletableFuture<ClickOutcome> early = click(commit, 2);
        Thread.sleep(1_000); // the disk stays stalled; the next click comes a second after the batch's first
        CompletableFuture<ClickOutcome> late = click(commit, 3);
        assertThat(early.get(10, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.ACK_TIMEOUT);
        assertThat(late).as("the late click's own ack timeout has a second to go").isNotDone();

        diskReleased.countDown();
        assertThat(writing.get(5, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.ACK_TIMEOUT);
        assertThat(late.get(5, TimeUnit.SECONDS)).as("answered by its record, durable within its own ack timeout")
                .isEqualTo(ClickOutcome.RECORDED);
    }

    @Test
    void anErrorInAWriteAnswersTheBatchAndTheNextWriteWorks() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(batch -> {
            if (calls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("Direct buffer memory");
            }
            return true;
        });
        assertThat(click(commit, 1).get(5, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.JOURNAL_ERROR);
        assertThat(click(commit, 2).get(5, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.RECORDED);
    }

    @Test
    void stoppingWritesEveryClickTakenAndRefusesTheRest() throws Exception {
        start(this::stalledDisk);
        List<CompletableFuture<ClickOutcome>> taken = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            taken.add(click(commit, i));
        }
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                commit.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Await.until("stop() refuses new clicks", Duration.ofSeconds(10), () -> commit.append(7, (byte) 0, Visit.UNKNOWN, outcome -> true) != null);
        assertThat(commit.append(7, (byte) 0, Visit.UNKNOWN, outcome -> true)).isEqualTo(ClickOutcome.STOPPED);
        assertThat(stopping).isNotDone();
        diskReleased.countDown();
        stopping.get(5, TimeUnit.SECONDS);
        for (CompletableFuture<ClickOutcome> answer : taken) {
            assertThat(answer).isCompletedWithValue(ClickOutcome.RECORDED);
        }
    }

    @Test
    void aVisitorAlreadyAnsweredByTheTimeoutIsNotCountedAsAnsweredByTheWrite() throws Exception {
        start(batch -> true);
        CompletableFuture<ClickOutcome> answered = new CompletableFuture<>();
        commit.append(1, (byte) 0, Visit.UNKNOWN, outcome -> false); // the ack timeout answered this one first
        commit.append(2, (byte) 0, Visit.UNKNOWN, answered::complete);
        assertThat(answered.get(5, TimeUnit.SECONDS)).isEqualTo(ClickOutcome.RECORDED);
        commit.stop();
        assertThat(answeredVisitors.get()).isEqualTo(1);
    }
}
