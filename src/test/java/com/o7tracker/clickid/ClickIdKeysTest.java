package com.o7tracker.clickid;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.Platform;
import com.o7tracker.notify.Channel;
import com.o7tracker.notify.Notifications;
import com.o7tracker.support.Await;
import com.o7tracker.support.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances' key stores on one real PostgreSQL: they share the first key however they start,
 * a rotation on one reaches the other through the notification, old ids verify on both, and a key
 * past the longest conversion window is deleted and refused.
 */
class ClickIdKeysTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Jdbi jdbi;
    private Notifications notificationsA;
    private Notifications notificationsB;

    @BeforeEach
    void setUp() {
        jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
        jdbi.useHandle(h -> h.execute("DELETE FROM click_id_keys"));
        notificationsA = new Notifications(TestPostgres.shared().endpoint(), jdbi);
        notificationsB = new Notifications(TestPostgres.shared().endpoint(), jdbi);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        notificationsA.stop();
        notificationsB.stop();
    }

    private ClickIdKeys instance(Notifications notifications) {
        ClickIdKeys keys = new ClickIdKeys(jdbi, notifications);
        notifications.subscribe(Channel.CLICK_ID_KEYS, keys);
        return keys;
    }

    private int currentKeys() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM click_id_keys WHERE retired_at IS NULL")
                .mapTo(Integer.class).one());
    }

    @Test
    void instancesStartingTogetherShareOneKeyAndARotationReachesTheOther() throws Exception {
        for (int round = 0; round < 10; round++) {
            jdbi.useHandle(h -> h.execute("DELETE FROM click_id_keys"));
            List<ClickIdKeys> started = startTogether(new ClickIdKeys(jdbi, notificationsA), new ClickIdKeys(jdbi, notificationsB));
            assertThat(currentKeys()).isEqualTo(1);
            assertThat(started.get(0).signing().id()).isEqualTo(started.get(1).signing().id());
        }
        jdbi.useHandle(h -> h.execute("DELETE FROM click_id_keys"));
        ClickIdKeys a = instance(notificationsA);
        ClickIdKeys b = instance(notificationsB);
        startTogether(a, b);
        notificationsA.start();
        notificationsB.start();
        ClickIds idsA = new ClickIds(a);
        ClickIds idsB = new ClickIds(b);
        int first = a.signing().id();
        String before = idsB.next(42, Platform.ANDROID, false, "SI");

        int second = a.rotate();
        assertThat(second).isNotEqualTo(first);
        assertThat(a.signing().id()).as("the rotating instance signs with the new key at once").isEqualTo(second);
        Await.until("the other instance signs with the new key", WAIT, () -> b.signing().id() == second);
        assertThat(idsB.verify(idsB.next(42, Platform.ANDROID, false, "SI")).click().keyId()).isEqualTo(second);
        assertThat(currentKeys()).isEqualTo(1);
        for (ClickIds ids : List.of(idsA, idsB)) {
            ClickIds.Verification old = ids.verify(before);
            assertThat(old.outcome()).isEqualTo(ClickIds.Outcome.SIGNED);
            assertThat(old.click().keyId()).isEqualTo(first);
            assertThat(old.click().campaignId()).isEqualTo(42);
        }
        String signedBySecond = idsA.next(43, Platform.IPHONE, true, "DE");

        // The first key retired longer ago than the longest window: deleted at the next rotation, refused on both.
        jdbi.useHandle(h -> h.createUpdate("UPDATE click_id_keys SET created_at = now() - interval '400 days',"
                + " retired_at = now() - interval '365 days 1 minute' WHERE id = :id").bind("id", first).execute());
        int third = b.rotate();
        int left = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM click_id_keys WHERE id = :id")
                .bind("id", first).mapTo(Integer.class).one());
        assertThat(left).as("the expired key is deleted").isZero();
        Await.until("the other instance signs with the third key", WAIT, () -> a.signing().id() == third);
        for (ClickIds ids : List.of(idsA, idsB)) {
            assertThat(ids.verify(before).outcome()).isEqualTo(ClickIds.Outcome.INVALID);
            assertThat(ids.verify(before).reason()).contains("key");
            assertThat(ids.verify(signedBySecond).click().keyId()).as("a key retired today verifies").isEqualTo(second);
        }
    }

    @Test
    void anIdOfAKeyRotatedInUnheardIsVerifiedAfterReReadingTheKeys() {
        ClickIdKeys a = new ClickIdKeys(jdbi, notificationsA); // not listening: no notification reaches it
        ClickIdKeys b = new ClickIdKeys(jdbi, notificationsB);
        a.load();
        b.load();
        b.rotate();
        String id = new ClickIds(b).next(7, Platform.OTHER, false, "ZZ");
        assertThat(new ClickIds(a).verify(id).outcome()).isEqualTo(ClickIds.Outcome.SIGNED);
    }

    @Test
    void aKeyPastTheLongestWindowIsDeletedByTheHourlyRefreshAndRefusedBefore() {
        ClickIdKeys keys = new ClickIdKeys(jdbi, notificationsA);
        keys.load();
        ClickIds ids = new ClickIds(keys);
        String old = ids.next(9, Platform.ANDROID, false, "IT");
        int oldKey = keys.signing().id();
        keys.rotate();
        jdbi.useHandle(h -> h.createUpdate("UPDATE click_id_keys SET created_at = now() - interval '400 days',"
                + " retired_at = now() - interval '365 days 1 minute' WHERE id = :id").bind("id", oldKey).execute());
        assertThat(ids.verify(old).outcome()).as("still in memory as retired today").isEqualTo(ClickIds.Outcome.SIGNED);
        keys.refresh();
        assertThat(ids.verify(old).outcome()).isEqualTo(ClickIds.Outcome.INVALID);
        int left = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM click_id_keys WHERE id = :id")
                .bind("id", oldKey).mapTo(Integer.class).one());
        assertThat(left).isZero();
    }

    private static List<ClickIdKeys> startTogether(ClickIdKeys a, ClickIdKeys b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            List<Future<ClickIdKeys>> started = List.of(a, b).stream().map(keys -> pool.submit(() -> {
                together.await(10, TimeUnit.SECONDS);
                keys.load();
                return keys;
            })).toList();
            return List.of(started.get(0).get(30, TimeUnit.SECONDS), started.get(1).get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }
}
