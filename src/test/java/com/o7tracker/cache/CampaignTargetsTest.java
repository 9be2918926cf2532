package com.o7tracker.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.CampaignRequest;
import com.o7tracker.campaign.CampaignService;
import com.o7tracker.support.Await;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestMemcached;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lookup layers against the real memcached and PostgreSQL. */
class CampaignTargetsTest {

    private static CampaignDao dao;
    private static CacheFactory config;
    private Memcached memcached;
    private MetricRegistry metrics;

    @BeforeAll
    static void database() throws Exception {
        dao = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin()).onDemand(CampaignDao.class);
        config = new YamlConfigurationFactory<>(CacheFactory.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new io.dropwizard.configuration.ResourceConfigurationSourceProvider(), "fixtures/cache.yml");
    }

    @BeforeEach
    void setUp() throws Exception {
        metrics = new MetricRegistry();
        memcached = new Memcached(TestMemcached.shared().servers(), 50, metrics);
    }

    @AfterEach
    void tearDown() {
        started.forEach(CampaignTargets::stop);
        memcached.stop();
    }

    private final List<CampaignTargets> started = new ArrayList<>();

    private CampaignTargets targets() {
        CampaignTargets targets = new CampaignTargets(dao, dao, Optional.of(memcached), config, metrics);
        started.add(targets);
        return targets;
    }

    /**
     * Writes {@code value} under {@code key} the way anyone who reaches memcached can; true once
     * memcached took it. Retried for up to 5 s: a write can miss the client's 50 ms on a busy machine.
     */
    private boolean put(String key, String value) throws Exception {
        return put(key, value, held -> false);
    }

    /** {@link #put(String, String)}, unless memcached holds a value {@code keepHeld} says to keep (true then too). */
    private boolean put(String key, String value, java.util.function.Predicate<String> keepHeld) throws Exception {
        Await.until("memcached took " + key, Duration.ofSeconds(5),
                () -> memcached.storeUnlessNewer(key, 60, value, keepHeld));
        return true;
    }

    private static String key(long id) {
        return "o7t:campaign:v4:" + id;
    }

    /**
     * What memcached holds for the campaign, once the writer thread has put {@code expected} there
     * (5 s at most): " url" for a campaign, a version for no campaign.
     */
    private Optional<String> awaitMemcached(long id, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!memcached.get(key(id)).map(v -> holds(id, v, expected)).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return memcached.get(key(id));
    }

    /** What memcached's value for campaign {@code id} says, if the service signed it (as the caches read it). */
    private static Target decode(long id, String value) {
        MemcachedSigner signer = new MemcachedSigner(dao);
        assertThat(signer.load()).isTrue();
        return Target.decode(id, value, signer, Instant.now().getEpochSecond(), 3600);
    }

    private static boolean holds(long id, String value, String expected) {
        Target held = decode(id, value);
        if (held == null) {
            return false;
        }
        return expected.startsWith(" ")
                ? expected.trim().equals(held.redirectUrl())
                : !held.exists() && held.version() == Long.parseLong(expected);
    }

    private static long insertBehindTheCachesBack(String url) throws Exception {
        return insertBehindTheCachesBack(ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52), url);
    }

    private static long insertBehindTheCachesBack(long id, String url) throws Exception {
        Tables.execute("INSERT INTO campaigns (id, redirect_url) VALUES (" + id + ", '" + url + "')");
        return id;
    }

    private static void updateBehindTheCachesBack(long id, String url) throws Exception {
        Tables.execute("UPDATE campaigns SET redirect_url = '" + url + "' WHERE id = " + id); // PostgreSQL moves the version
    }

    @Test
    void loadedCampaignsAreServedWithoutALookupAndAChangeHeardMeanwhileWins() throws Exception {
        // Ids below every other test's, so they are among the first the (size-bound) load reads.
        long first = insertBehindTheCachesBack(ThreadLocalRandom.current().nextLong(1_000, 1L << 30), "https://preloaded.example/a");
        long second = insertBehindTheCachesBack(first + 1, "https://preloaded.example/b");
        CampaignTargets targets = targets();
        // A change heard before the load reaches the campaign: the load must not undo it.
        updateBehindTheCachesBack(second, "https://preloaded.example/changed");
        targets.changed(second);
        long reads = metrics.meter("cache.database.reads").getCount();

        int[] pages = {0};
        assertThat(targets.refreshAll(dao, Optional.empty(), () -> pages[0]++)).isGreaterThanOrEqualTo(2);
        assertThat(pages[0]).as("changes are applied after every page").isPositive();
        assertThat(targets.find(first).location()).isEqualTo("https://preloaded.example/a");
        assertThat(targets.find(second).location()).isEqualTo("https://preloaded.example/changed");
        assertThat(metrics.meter("cache.database.reads").getCount()).as("no lookups after the load").isEqualTo(reads);
        assertThat(metrics.meter("cache.memcached.misses").getCount()).isZero();
    }

    @Test
    void theLocationHeaderIsMadeOnceAsASCII() throws Exception {
        long id = insertBehindTheCachesBack("https://ünï.example/päth?q=ä");
        Target target = targets().find(id);
        assertThat(target.redirectUrl()).isEqualTo("https://ünï.example/päth?q=ä");
        assertThat(target.location()).isEqualTo("https://xn--n-nga1b.example/p%C3%A4th?q=%C3%A4");
        assertThat(Target.of("https://plain.example/", 1).location()).isSameAs("https://plain.example/");
        assertThat(Target.of("https://bad example/", 1).location()).isNull();
    }

    @Test
    void aLookupFillsMemcachedForOtherInstances() throws Exception {
        long id = insertBehindTheCachesBack("https://one.example/");
        assertThat(targets().find(id).redirectUrl()).isEqualTo("https://one.example/");
        assertThat(awaitMemcached(id, " https://one.example/")).isPresent();
        updateBehindTheCachesBack(id, "https://two.example/");
        // A second instance (empty in-process cache) is served by memcached, not PostgreSQL.
        assertThat(targets().find(id).redirectUrl()).isEqualTo("https://one.example/");
        assertThat(metrics.meter("cache.memcached.hits").getCount()).isEqualTo(1);
    }

    @Test
    void anOlderStateNeverReplacesANewerOneInMemcachedOrInProcess() throws Exception {
        CampaignTargets targets = targets();
        CampaignService service = new CampaignService(dao, targets);
        long id = service.create(new CampaignRequest("https://before.example/", new String[0], null, null)).id();
        String before = awaitMemcached(id, " https://before.example/").orElseThrow();
        service.update(id, new CampaignRequest("https://after.example/", null, null, null));
        assertThat(targets.find(id).redirectUrl()).isEqualTo("https://after.example/");
        String after = awaitMemcached(id, " https://after.example/").orElseThrow();
        // A writer or reader holding the state from before the change arrives late: it is refused.
        assertThat(put(key(id), before, held -> decode(id, held).version() >= decode(id, before).version())).isTrue();
        assertThat(memcached.get(key(id))).hasValue(after);
        assertThat(targets().find(id).redirectUrl()).isEqualTo("https://after.example/");
        // In-process too: a page read before the change does not undo it.
        targets.refreshAll(dao, Optional.empty(), () -> { });
        assertThat(targets.find(id).redirectUrl()).isEqualTo("https://after.example/");

        service.delete(id);
        assertThat(targets.find(id).exists()).isFalse();
        assertThat(targets.find(id).version()).as("a deletion is newer than the campaign").isGreaterThan(
                decode(id, after).version());
        assertThat(awaitMemcached(id, Long.toString(targets.find(id).version())).map(v -> decode(id, v)))
                .as("the deletion in memcached").hasValue(targets.find(id));
        assertThat(targets().find(id).exists()).as("another instance, through memcached").isFalse();
    }

    @Test
    void aDeletedCampaignIsNeverServedFromAnOlderCopyInMemcached() throws Exception {
        CampaignTargets writer = targets();
        CampaignService service = new CampaignService(dao, writer);
        long id = service.create(new CampaignRequest("https://deleted.example/", new String[0], null, null)).id();
        String old = awaitMemcached(id, " https://deleted.example/").orElseThrow();
        service.delete(id);
        assertThat(awaitMemcached(id, Long.toString(writer.find(id).version())).map(v -> decode(id, v)))
                .hasValue(writer.find(id));
        // memcached lost the deletion (unreachable when it was written, say) and still holds the campaign.
        assertThat(put(key(id), old)).isTrue();

        CampaignTargets newInstance = targets();
        newInstance.loadDeletions(dao, Optional.empty()); // what a new instance does before its first click
        assertThat(newInstance.find(id).exists()).isFalse();
        CampaignTargets reconnected = targets();
        reconnected.refreshAll(dao, Optional.of(Instant.now().minusSeconds(5)), () -> { });
        assertThat(reconnected.find(id).exists()).isFalse();
    }

    @Test
    void unknownIdsAreRememberedBrieflyApartFromCampaigns() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52);
        CampaignTargets targets = targets();
        assertThat(targets.find(id).exists()).isFalse();
        long reads = metrics.meter("cache.database.reads").getCount();
        for (int i = 0; i < 100; i++) {
            assertThat(targets.find(id).exists()).isFalse();
        }
        assertThat(metrics.meter("cache.database.reads").getCount()).as("a flood on a dead id").isEqualTo(reads);
        assertThat(metrics.getGauges().get("cache.local.size").getValue()).as("unknown ids are not kept with campaigns")
                .isEqualTo(0L);
        assertThat(awaitMemcached(id, "0").map(v -> decode(id, v))).as("remembered as unknown in memcached")
                .hasValue(Target.of(null, 0));
        assertThat(targets().find(id).exists()).as("another instance, through memcached").isFalse();
        assertThat(metrics.meter("cache.database.reads").getCount()).isEqualTo(reads);
    }

    @Test
    void atMostMaxWaitingLookupsWaitAndTheNextMadeUpIdIsRefusedAtOnce() throws Exception {
        int maxWaiting = 3;
        CacheFactory bounded = Jackson.newObjectMapper().convertValue(
                Map.of("localMaximumSize", 1000, "maxWaitingLookups", maxWaiting), CacheFactory.class);
        CampaignTargets targets = new CampaignTargets(dao, dao, Optional.empty(), bounded, metrics);
        started.add(targets);
        ExecutorService visitors = Executors.newFixedThreadPool(maxWaiting + 1);
        List<Future<Target>> waiting = new ArrayList<>();
        try (Connection locker = TestPostgres.shared().connect(); Statement s = locker.createStatement()) {
            // Every lookup now hangs in PostgreSQL (as in ClickLookupIsolationIT).
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE campaign_tombstones IN ACCESS EXCLUSIVE MODE");
            for (int i = 0; i < maxWaiting; i++) {
                long madeUp = ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52);
                waiting.add(visitors.submit(() -> targets.find(madeUp)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lookupsHanging() < maxWaiting && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(lookupsHanging()).as("lookups waiting in PostgreSQL").isEqualTo(maxWaiting);

            long oneMore = ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52);
            Future<Target> next = visitors.submit(() -> targets.find(oneMore));
            // Answered while the lookups are still hanging: it never waited for one.
            assertThatThrownBy(() -> next.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(LookupsBusy.class);
            assertThat(lookupsHanging()).as("still waiting").isEqualTo(maxWaiting);
            assertThat(waiting).noneMatch(Future::isDone);
            locker.rollback();
        } finally {
            visitors.shutdown();
        }
        for (Future<Target> lookup : waiting) {
            assertThat(lookup.get(10, TimeUnit.SECONDS).exists()).as("no campaign, once PostgreSQL answers").isFalse();
        }
        long known = insertBehindTheCachesBack("https://after.example/");
        assertThat(targets.find(known).redirectUrl()).as("permits returned").isEqualTo("https://after.example/");
    }

    /** Campaign lookups of the tests' pool waiting for a lock in PostgreSQL. */
    private static int lookupsHanging() {
        return (int) Tables.number("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE '%campaign_tombstones t ON t.id = k.id%'");
    }

    @Test
    void memcachedDownIsAMissAndAWriteMadeMeanwhileReachesItWhenItReturns() throws Exception {
        long id = insertBehindTheCachesBack("https://down.example/");
        TestMemcached server = TestMemcached.shared();
        CampaignTargets writer = targets();
        server.kill();
        try {
            assertThat(targets().find(id).redirectUrl()).isEqualTo("https://down.example/");
            assertThat(targets().find(id).redirectUrl()).isEqualTo("https://down.example/");
            assertThat(metrics.meter("cache.memcached.errors").getCount()).isPositive();
            assertThat(memcached.ping()).isFalse();
            updateBehindTheCachesBack(id, "https://changed-while-down.example/");
            writer.changed(id);
            Await.until("the writer thread retries the write", Duration.ofSeconds(15),
                    () -> metrics.meter("cache.memcached.writeRetries").getCount() > 0);
            assertThat(metrics.meter("cache.memcached.writeRetries").getCount()).isPositive();
        } finally {
            server.start();
        }
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!memcached.ping() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(memcached.ping()).as("the client reconnects by itself").isTrue();
        assertThat(awaitMemcached(id, " https://changed-while-down.example/").map(v -> decode(id, v)).map(Target::redirectUrl))
                .as("the write is retried until memcached takes it").hasValue("https://changed-while-down.example/");
        assertThat(targets().find(id).redirectUrl()).isEqualTo("https://changed-while-down.example/");
    }

    /**
     * memcached has no authentication: anyone who reaches it can write under a campaign's key. A
     * value the service did not write for that campaign (a foreign redirect with a version newer
     * than any, another campaign's value, garbage) is a miss, counted, and replaced.
     */
    @Test
    void aValueInMemcachedThatTheServiceDidNotWriteForTheCampaignIsAMiss() throws Exception {
        long forged = insertBehindTheCachesBack("https://real.example/forged");
        long garbage = insertBehindTheCachesBack("https://real.example/garbage");
        long copied = insertBehindTheCachesBack("https://real.example/copied");
        long other = insertBehindTheCachesBack("https://real.example/other");
        assertThat(targets().find(other).redirectUrl()).isEqualTo("https://real.example/other");
        String othersValue = awaitMemcached(other, " https://real.example/other").orElseThrow();
        assertThat(put(key(forged), "{\"v\":9223372036854775807,\"u\":\"https://evil.example/\"}")).isTrue();
        assertThat(put(key(garbage), "\u0000{not json")).isTrue();
        assertThat(put(key(copied), othersValue)).isTrue();

        CampaignTargets targets = targets();
        assertThat(targets.find(forged).location()).isEqualTo("https://real.example/forged");
        assertThat(targets.find(garbage).location()).isEqualTo("https://real.example/garbage");
        assertThat(targets.find(copied).location()).isEqualTo("https://real.example/copied");
        assertThat(metrics.meter("cache.memcached.rejected").getCount()).isEqualTo(3);
        assertThat(metrics.meter("cache.memcached.hits").getCount()).as("only the first lookup's miss").isZero();

        // The real state replaces the forged one, whatever version it claimed.
        assertThat(awaitMemcached(forged, " https://real.example/forged")).isPresent();
        assertThat(targets().find(forged).location()).isEqualTo("https://real.example/forged");
        assertThat(metrics.meter("cache.memcached.hits").getCount()).isEqualTo(1);
    }

    /**
     * A signed value is the service's, but not necessarily current: anyone who can read memcached
     * can keep a value and put it back after the campaign changed. Past cache.memcachedTtl since it
     * was signed, it is a miss, counted, and the click gets the current target from PostgreSQL.
     */
    @Test
    void aSignedValueReplayedLaterThanTheTtlIsAMissAndTheClickGetsTheCurrentTarget() throws Exception {
        CacheFactory shortTtl = new YamlConfigurationFactory<>(CacheFactory.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "dw").build(path -> new ByteArrayInputStream(
                "memcachedTimeout: 50ms\nunknownTtl: 30s\nlocalMaximumSize: 1000\nmemcachedTtl: 2s\n"
                        .getBytes(StandardCharsets.UTF_8)), "short-ttl.yml");
        CampaignTargets writer = new CampaignTargets(dao, dao, Optional.of(memcached), shortTtl, metrics);
        started.add(writer);
        CampaignService service = new CampaignService(dao, writer);
        long id = service.create(new CampaignRequest("https://before.example/replayed", new String[0], null, null)).id();
        String captured = awaitMemcached(id, " https://before.example/replayed").orElseThrow();
        Instant capturedAt = Instant.now();
        service.update(id, new CampaignRequest("https://after.example/current", null, null, null));
        assertThat(awaitMemcached(id, " https://after.example/current")).isPresent();

        Instant stale = capturedAt.plusSeconds(3);
        while (Instant.now().isBefore(stale)) {
            Thread.sleep(50);
        }
        assertThat(put(key(id), captured)).as("put back").isTrue();
        CampaignTargets other = new CampaignTargets(dao, dao, Optional.of(memcached), shortTtl, metrics);
        started.add(other);
        assertThat(other.find(id).redirectUrl()).isEqualTo("https://after.example/current");
        assertThat(metrics.meter("cache.memcached.rejected").getCount()).isEqualTo(1);
        assertThat(metrics.meter("cache.memcached.hits").getCount()).isZero();
    }

    /** Caches that may hold every campaign of the shared database (it has far fewer than this). */
    private CampaignTargets whole(int unknownLookupsPerSecond, long localMaximumSize) {
        CacheFactory settings = Jackson.newObjectMapper().convertValue(Map.of("localMaximumSize", localMaximumSize,
                "unknownLookupsPerSecond", unknownLookupsPerSecond), CacheFactory.class);
        CampaignTargets targets = new CampaignTargets(dao, dao, Optional.of(memcached), settings, metrics);
        started.add(targets);
        return targets;
    }

    private static long madeUpId() {
        return ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52);
    }

    /** Made-up ids asked of {@code targets}: how many were answered (each as no campaign), the rest refused. */
    private static int answered(CampaignTargets targets, int ids) {
        int answered = 0;
        for (int i = 0; i < ids; i++) {
            try {
                assertThat(targets.find(madeUpId()).exists()).isFalse();
                answered++;
            } catch (LookupsBusy refused) {
                // the fallback, at once
            }
        }
        return answered;
    }

    /**
     * A flood of made-up ids: while the in-process cache holds every campaign and hears every
     * change, an id it does not hold is no campaign (unless created elsewhere this very moment), so
     * such ids are looked up (memcached, PostgreSQL) at most cache.unknownLookupsPerSecond; the
     * rest are refused at once, without a lookup.
     */
    @Test
    void madeUpIdsAbsentFromACompleteCacheAreLookedUpAtABoundedRate() throws Exception {
        CampaignTargets targets = whole(10, 10_000_000);
        targets.refreshAll(dao, Optional.empty(), () -> { });
        long reads = metrics.meter("cache.database.reads").getCount();

        assertThat(complete()).isEqualTo(1);
        int answered = answered(targets, 2_000);

        long lookups = metrics.meter("cache.database.reads").getCount() - reads;
        // A burst of 10, then 10 a second: far below 200 unless these 2,000 in-memory misses took 19 s.
        assertThat(lookups).as("lookups of made-up ids").isLessThan(200);
        assertThat(answered).isEqualTo((int) lookups);
    }

    /** Below the rate, a campaign created behind the caches' back (its notification not heard yet) is still found. */
    @Test
    void aCampaignCreatedElsewhereAfterTheLoadIsFoundBeforeItsNotificationArrives() throws Exception {
        CampaignTargets targets = whole(10, 10_000_000);
        targets.refreshAll(dao, Optional.empty(), () -> { });
        long id = insertBehindTheCachesBack("https://created.example/elsewhere");
        assertThat(targets.find(id).location()).isEqualTo("https://created.example/elsewhere");
    }

    /** Without the change notifications (the listener lost PostgreSQL), no absence is believed: every made-up id is looked up. */
    @Test
    void withoutTheNotificationsEveryMadeUpIdIsLookedUp() throws Exception {
        CampaignTargets targets = whole(10, 10_000_000);
        targets.refreshAll(dao, Optional.empty(), () -> { });
        targets.notificationsLost();
        assertThat(answered(targets, 100)).isEqualTo(100);
    }

    /** A complete cache that has to drop a campaign for room believes no absence from then on. */
    @Test
    void aCompleteCacheThatDropsACampaignForRoomLooksUpEveryMadeUpId() throws Exception {
        long campaigns = Tables.number("SELECT count(*) FROM campaigns");
        long room = campaigns + campaigns / 9 + 20; // a load fills at most nine tenths of it
        CampaignTargets targets = whole(10, room);
        targets.refreshAll(dao, Optional.empty(), () -> { });
        assertThat(complete()).isEqualTo(1);
        for (long i = campaigns; i <= room; i++) { // created through this instance: one more than there is room for
            targets.changed(insertBehindTheCachesBack("https://room.example/" + i));
        }
        // The cache drops campaigns for room in its own time.
        Await.until("a campaign dropped for room", Duration.ofSeconds(10), () -> complete() == 0);
        assertThat(complete()).isZero();
        assertThat(answered(targets, 100)).isEqualTo(100);
    }

    private int complete() {
        return (Integer) metrics.getGauges().get("cache.local.complete").getValue();
    }

    /** A cache too small for every campaign believes no absence either. */
    @Test
    void aCacheThatCannotHoldEveryCampaignLooksUpEveryMadeUpId() throws Exception {
        for (int i = 0; i < 120; i++) {
            insertBehindTheCachesBack("https://many.example/" + i);
        }
        CampaignTargets targets = whole(10, 100);
        targets.refreshAll(dao, Optional.empty(), () -> { });
        assertThat(answered(targets, 100)).isEqualTo(100);
    }
}
