package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.Platform;
import com.o7tracker.dimension.Visit;
import com.o7tracker.support.ClickLoad;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.ServiceProcess;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backlog larger than one transaction can take before the socket timeout cuts it, or than the
 * heap can hold, is applied in pieces: the packaged service, a real PostgreSQL, a journal of
 * 600,000 (campaign, minute) rows found at start, and thousands of campaigns clicked through an
 * outage of a PostgreSQL that writes each bucket row slowly.
 */
class LongOutageIT {

    /**
     * The service alone keeps about 130 MB of heap after start (the User-Agent parser most of
     * it); 600,000 rows held at once take about 90 MB more, and their transaction's arrays 50 MB.
     */
    private static final String HEAP = "-Xmx224m";

    @BeforeAll
    static void schema() {
        TestPostgres.shared().migratedDataSource();
    }

    private static long campaigns(int n) throws Exception {
        long first = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        sql("INSERT INTO campaigns (id, redirect_url) SELECT " + first + " + g, 'https://long.example/' || g"
                + " FROM generate_series(0, " + (n - 1) + ") g");
        return first;
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static long[] longs(String query) throws Exception {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            long[] values = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getLong(i + 1);
            }
            return values;
        }
    }

    private static Map<String, String> environment(Path journal) {
        Map<String, String> env = ServiceProcess.environment(journal, null);
        // A transaction that has not answered within 3 s is cut, as a pool's socket timeout does.
        env.put("DATABASE_URL", TestPostgres.shared().jdbcUrl() + "?socketTimeout=3");
        return env;
    }

    private static long backlog(ServiceProcess service) {
        return Json.parse(new Http(service.adminPort()).get("/metrics").body())
                .get("gauges").get("clicks.backlog").get("value").asLong();
    }

    private static void awaitNoBacklog(ServiceProcess service, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (backlog(service) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(backlog(service)).as("clicks not yet in PostgreSQL after %d s", seconds).isZero();
    }

    @Test
    void aJournalOfManyRowsFoundAtStartDrainsInPiecesWithinABoundedHeap() throws Exception {
        int campaigns = 3_000;
        int minutes = 200;
        long first = campaigns(campaigns);
        Path journal = TestApp.tempDir("long-journal");
        Files.writeString(journal.resolve("journal.id"), UUID.randomUUID() + "\n", StandardCharsets.UTF_8);
        JournalRecord format = new JournalRecord();
        long now = System.currentTimeMillis() / 60_000;
        Path segmentFile = journal.resolve(String.format("clicks-%020d.journal2", 0));
        try (FileChannel segment = FileChannel.open(segmentFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            JournalValues values = new JournalValues(segmentFile, 0);
            ByteBuffer buffer = ByteBuffer.allocate(JournalRecord.BYTES * 4096);
            long seq = 0;
            for (int m = 1; m <= minutes; m++) {
                for (int c = 0; c < campaigns; c++) {
                    format.encode(buffer, seq++, first + c, ClickKind.of(Platform.values()[c % 4], c % 5 == 0), now - m,
                            Visit.UNKNOWN, JournalRecord.ids(Visit.UNKNOWN, values));
                    if (!buffer.hasRemaining()) {
                        segment.write(buffer.flip());
                        buffer.clear();
                    }
                }
            }
            segment.write(buffer.flip());
            values.writePending(true);
            values.close();
        }

        Path log = journal.resolveSibling(journal.getFileName() + ".log");
        ServiceProcess service = ServiceProcess.start(environment(journal), log,
                List.of(HEAP, "-Ddw.counting.maxPendingRows=5000"));
        try {
            awaitNoBacklog(service, 240);
        } finally {
            service.terminate();
        }
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        String range = " BETWEEN " + first + " AND " + (first + campaigns - 1);
        long[] counters = longs("SELECT sum(click_count), sum(android_click_count), sum(iphone_click_count),"
                + " sum(windowsphone_click_count), sum(other_click_count), sum(bot_click_count) FROM campaigns WHERE id" + range);
        long bots = (long) minutes * (campaigns / 5);
        long humans = (long) minutes * campaigns - bots;
        assertThat(counters).containsExactly(humans, humans / 4, humans / 4, humans / 4, humans / 4, bots);
        assertThat(longs("SELECT count(*) FROM campaigns WHERE id" + range
                + " AND click_count + bot_click_count = " + minutes)).as("every campaign, each of its clicks once").containsExactly(campaigns);
        assertThat(longs("SELECT count(*), sum(android + iphone + windowsphone + other),"
                + " sum(bot_android + bot_iphone + bot_windowsphone + bot_other) FROM click_minutes WHERE campaign_id" + range))
                .as("a bucket per campaign and minute, summing to the counters")
                .containsExactly((long) minutes * campaigns, humans, bots);
    }

    @Test
    void thousandsOfCampaignsClickedThroughAnOutageAreAppliedInPiecesShorterThanTheSocketTimeout() throws Exception {
        int campaigns = 3_000;
        long first = campaigns(campaigns);
        Map<Long, String> urls = new HashMap<>();
        for (int c = 0; c < campaigns; c++) {
            urls.put(first + c, "https://long.example/" + c);
        }
        Path journal = TestApp.tempDir("long-outage");
        ServiceProcess service = ServiceProcess.start(environment(journal), journal.resolveSibling(journal.getFileName() + ".log"),
                List.of(HEAP, "-Ddw.counting.maxPendingRows=400"));
        TestPostgres postgres = TestPostgres.shared();
        // A PostgreSQL that writes each bucket row in 2 ms: all 3,000 in one transaction take twice
        // the socket timeout; a piece of 400 about a quarter of it.
        sql("""
                CREATE OR REPLACE FUNCTION slow_bucket() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END $$;
                CREATE TRIGGER slow_bucket BEFORE INSERT ON click_minutes FOR EACH ROW EXECUTE FUNCTION slow_bucket();
                """);
        ClickLoad load;
        try {
            postgres.stop();
            try {
                load = new ClickLoad(urls, service::port, 8, (long) campaigns);
                load.awaitDone();
            } finally {
                postgres.start();
            }
            awaitNoBacklog(service, 120);
        } finally {
            try {
                sql("DROP TRIGGER IF EXISTS slow_bucket ON click_minutes; DROP FUNCTION IF EXISTS slow_bucket()");
            } finally {
                service.terminate();
            }
        }
        System.out.printf("LongOutageIT: %s%n", load);
        assertThat(load.fallbacks()).isZero();
        assertThat(load.otherStatus()).isZero();
        assertThat(load.brokenInFlightTotal()).isZero();
        assertThat(load.receivedTotal()).isEqualTo((long) campaigns);
        Map<Long, long[]> counted = new HashMap<>();
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, android_click_count, iphone_click_count, windowsphone_click_count,"
                     + " other_click_count, bot_click_count FROM campaigns WHERE id BETWEEN " + first + " AND " + (first + campaigns - 1))) {
            while (rs.next()) {
                counted.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
            }
        }
        for (long id : urls.keySet()) {
            for (int p = 0; p < ClickLoad.KINDS.length; p++) {
                assertThat(counted.get(id)[p]).as("campaign %d %s", id, ClickLoad.KINDS[p]).isEqualTo(load.received(id, p));
            }
        }
        assertThat(longs("SELECT coalesce(sum(android + iphone + windowsphone + other + bot_android + bot_iphone"
                + " + bot_windowsphone + bot_other), 0) FROM click_minutes WHERE campaign_id BETWEEN " + first + " AND "
                + (first + campaigns - 1))).as("the buckets hold every click").containsExactly((long) campaigns);
    }
}
