package com.o7tracker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.notify.Channel;
import com.o7tracker.notify.Notifications;
import com.o7tracker.notify.Subscriber;
import com.o7tracker.support.Await;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.jackson.Jackson;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/** The campaign listener among other subscribers of the same channel, on the real PostgreSQL. */
class CampaignChangeListenerTest {

    /**
     * A subscriber before the campaign listener may have the pending notifications handed over
     * while it catches up ({@link Subscriber.Listening#hearPending}): the campaign listener then
     * hears a change before its own catch-up, and re-reads it through the connection listening now.
     * The connection is not given up for it (before, the listener had no connection to read through
     * yet, took the change for one it could not re-read, and the listening connection was ended).
     */
    @Test
    void aChangeHandedOverBeforeTheListenersOwnCatchUpIsReReadOnTheNewConnection() throws Exception {
        Jdbi jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
        CampaignDao dao = jdbi.onDemand(CampaignDao.class);
        long id = ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52);
        Tables.execute("INSERT INTO campaigns (id, redirect_url) VALUES (" + id + ", 'https://before.example/')");

        MetricRegistry metrics = new MetricRegistry();
        CacheFactory settings = Jackson.newObjectMapper().convertValue(Map.of(), CacheFactory.class);
        CampaignTargets targets = new CampaignTargets(dao, dao, Optional.empty(), settings, metrics);
        assertThat(targets.find(id).location()).as("cached before listening").isEqualTo("https://before.example/");
        TestPostgres postgres = TestPostgres.shared();
        Notifications notifications = new Notifications(
                postgres.endpoint(), jdbi);
        AtomicInteger connections = new AtomicInteger();
        notifications.subscribe(Channel.CAMPAIGN_CHANGED, new Subscriber() {
            @Override
            public void heard(String payload) {
            }

            @Override
            public void connected(Listening listening) throws SQLException {
                if (connections.incrementAndGet() == 1) {
                    try {
                        Tables.execute("UPDATE campaigns SET redirect_url = 'https://during.example/' WHERE id = " + id);
                        Await.until("the change's notification", Duration.ofSeconds(10), () -> {
                            listening.hearPending();
                            return "https://during.example/".equals(targets.find(id).location());
                        });
                    } catch (SQLException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        notifications.subscribe(Channel.CAMPAIGN_CHANGED, new CampaignChangeListener(dao, targets, notifications));
        notifications.start();
        try {
            Await.until("the campaigns loaded", Duration.ofSeconds(30),
                    () -> (Integer) metrics.getGauges().get("cache.local.complete").getValue() == 1);
            Tables.execute("UPDATE campaigns SET redirect_url = 'https://after.example/' WHERE id = " + id);
            Await.until("the later change heard", Duration.ofSeconds(10),
                    () -> "https://after.example/".equals(targets.find(id).location()));
            assertThat(connections.get()).as("listening connections").isEqualTo(1);
        } finally {
            notifications.stop();
            targets.stop();
        }
    }
}
