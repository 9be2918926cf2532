package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.Platform;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * A failed fdatasync with {@code write} durability, made for real: the journal on an ext2 file
 * system whose block device (a loop device) is backed by a file on a tmpfs that is then filled, so
 * the kernel's writeback of the journal's pages fails. A later fdatasync of the same file through a
 * new descriptor then reports success although the pages never reached the device: the flusher
 * must not take that as durable, or PostgreSQL counts clicks that a restart does not find.
 */
class JournalSyncFailureIT {

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output.trim();
    }

    private static void runQuietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException | InterruptedException e) {
            // cleaning up
        }
    }

    private record Counting(ClickJournal journal, ClickFlusher flusher) {
        static Counting start(Path dir, Jdbi jdbi) {
            MetricRegistry metrics = new MetricRegistry();
            ClickJournal journal = new ClickJournal(dir, Durability.WRITE, 1_000, 1_000_000, 5_000, metrics);
            journal.start();
            return new Counting(journal, new ClickFlusher(journal, jdbi.onDemand(CounterStore.class), Duration.ofSeconds(1), metrics));
        }
    }

    @Test
    void afterAFailedSyncNothingWrittenBeforeItIsAppliedUntilARestartHasReadTheDisk() throws Exception {
        Jdbi jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
        long campaign = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO campaigns (id, redirect_url) VALUES (" + campaign + ", 'https://sync.example/')");
        }
        Path base = TestApp.tempDir("sync-failure");
        Path image = base.resolve("disk.img");
        Path backing = Files.createDirectory(base.resolve("backing"));
        Path mount = Files.createDirectory(base.resolve("mount"));
        run("truncate", "-s", "64M", image.toString());
        run("mkfs.ext2", "-q", "-F", image.toString());
        run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", backing.toString()); // needs root
        String loop = null;
        try {
            run("cp", "--sparse=always", image.toString(), backing.toString());
            loop = run("losetup", "-f", "--show", backing.resolve("disk.img").toString());
            run("mount", loop, mount.toString());
            Path dir = mount.resolve("journal");

            Counting first = Counting.start(dir, jdbi);
            first.flusher().flush(); // claims the journal's row
            for (int i = 0; i < 1_000; i++) {
                assertThat(Clicks.record(first.journal(), campaign, Platform.ANDROID)).isEqualTo(ClickOutcome.RECORDED);
            }
            // The device's backing store is full: writing back the journal's pages fails.
            runQuietly("dd", "if=/dev/zero", "of=" + backing.resolve("filler"), "bs=64k");
            assertThat(Clicks.record(first.journal(), campaign, Platform.ANDROID))
                    .as("the next segment's start syncs the full one, which fails")
                    .isEqualTo(ClickOutcome.JOURNAL_ERROR);
            assertThatThrownBy(() -> first.flusher().flush())
                    .as("a sync by path would now succeed: the flusher must not believe it")
                    .hasMessageContaining("could not be synced");
            assertThat(Tables.counters(campaign)).as("nothing of the unsynced journal is applied").containsExactly(0, 0, 0, 0, 0, 0);
            assertThat(first.journal().failure()).contains("could not be synced");
            first.flusher().release();
            first.journal().stop();

            // What the disk really holds: the file system mounted again, from the device alone.
            runQuietly("umount", mount.toString());
            Files.delete(backing.resolve("filler"));
            runQuietly("losetup", "-d", loop);
            loop = run("losetup", "-f", "--show", backing.resolve("disk.img").toString());
            run("mount", loop, mount.toString());
            Counting restarted = Counting.start(dir, jdbi);
            long onDisk = restarted.journal().durableSeq();
            restarted.flusher().flush();
            System.out.printf("JournalSyncFailureIT: %d of 1,000 written clicks were on the device%n", onDisk);
            assertThat(onDisk).as("the clicks the device kept").isLessThan(1_000);
            assertThat(Tables.counters(campaign)[1]).as("counted: exactly what the disk kept").isEqualTo(onDisk);
            restarted.flusher().release();
            restarted.journal().stop();
        } finally {
            runQuietly("umount", mount.toString());
            if (loop != null) {
                runQuietly("losetup", "-d", loop);
            }
            runQuietly("umount", backing.toString());
        }
    }
}
