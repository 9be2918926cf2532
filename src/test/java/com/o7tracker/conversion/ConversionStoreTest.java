package com.o7tracker.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.Campaign;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.CampaignRequest;
import com.o7tracker.campaign.Platform;
import com.o7tracker.support.TestPostgres;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Conversions counted exactly once, with their campaign's totals, on a real PostgreSQL. */
class ConversionStoreTest {

    private static Jdbi jdbi;
    private static ConversionStore store;
    private static CampaignDao campaigns;

    @BeforeAll
    static void database() {
        jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
        store = jdbi.onDemand(ConversionStore.class);
        campaigns = jdbi.onDemand(CampaignDao.class);
    }

    private static long campaign(Integer windowDays) {
        long id = ThreadLocalRandom.current().nextLong(1L << 33, 1L << 52);
        campaigns.insert(id, CampaignRequest.forCreate(com.o7tracker.support.Json.parse(
                windowDays == null ? "{\"redirect_url\": \"https://conv.example/\"}"
                        : "{\"redirect_url\": \"https://conv.example/\", \"conversion_window_days\": " + windowDays + "}")))
                .orElseThrow();
        return id;
    }

    private static String clickId() {
        return "c" + ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE);
    }

    private static Conversion conversion(long campaign, String clickId, String event, String revenue, String currency,
                                         Instant clickedAt) {
        return new Conversion(clickId, campaign, Platform.ANDROID, false, "DE", clickedAt, event,
                revenue == null ? null : new BigDecimal(revenue), currency);
    }

    private static Instant minutesAgo(long minutes) {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(minutes));
    }

    private static Campaign read(long id) {
        return campaigns.findById(id).orElseThrow();
    }

    @Test
    void aConversionCountsOnceHoweverOftenItIsSentAndItsEventsAndRevenueAddUpExactly() {
        long id = campaign(null);
        String click = clickId();
        ConversionStore.Counted install = (ConversionStore.Counted) store.record(conversion(id, click, "install", null, null, minutesAgo(5)));
        assertThat(install.campaignId()).isEqualTo(id);
        assertThat(install.totals()).as("the campaign's totals it left").isEqualTo(new ConversionStore.Totals(1, 1, null));
        assertThat(install.acceptedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        assertThat(store.record(conversion(id, click, "install", null, null, minutesAgo(5))))
                .isEqualTo(new ConversionStore.Duplicate(id));
        ConversionStore.Counted purchase = (ConversionStore.Counted) store.record(conversion(id, click, "purchase", "0.1", "EUR", minutesAgo(5)));
        assertThat(purchase.totals()).as("another event of the same click")
                .isEqualTo(new ConversionStore.Totals(2, 1, new BigDecimal("0.1")));
        assertThat(purchase.acceptedAt()).as("one after the other under the campaign's lock").isAfter(install.acceptedAt());
        ConversionStore.Counted more = (ConversionStore.Counted) store.record(conversion(id, clickId(), "purchase", "0.2", "EUR", minutesAgo(3)));
        assertThat(more.totals()).isEqualTo(new ConversionStore.Totals(3, 2, new BigDecimal("0.3")));
        assertThat(store.record(conversion(id, clickId(), "purchase", "4.990001", "USD", minutesAgo(3))))
                .extracting(o -> ((ConversionStore.Counted) o).totals())
                .isEqualTo(new ConversionStore.Totals(4, 3, new BigDecimal("4.990001")));
        assertThat(store.record(conversion(id, click, "purchase", "0.1", "EUR", minutesAgo(5))))
                .as("a retry adds no revenue").isEqualTo(new ConversionStore.Duplicate(id));

        Campaign campaign = read(id);
        assertThat(campaign.conversionCount()).isEqualTo(4);
        assertThat(campaign.conversions()).isEqualTo(Map.of("install", 1L, "purchase", 3L));
        assertThat(campaign.revenue()).as("exact, not a double's 0.30000000000000004")
                .isEqualTo(Map.of("EUR", "0.3", "USD", "4.990001"));
        assertThat(campaign.conversionWindowDays()).isEqualTo(Campaign.DEFAULT_CONVERSION_WINDOW_DAYS);
        long rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM conversions WHERE campaign_id = :id")
                .bind("id", id).mapTo(Long.class).one());
        assertThat(rows).as("a row per conversion counted").isEqualTo(4);
    }

    @Test
    void fiftyConcurrentSendsOfOneConversionCountItOnce() throws Exception {
        long id = campaign(null);
        String click = clickId();
        int senders = 50;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ConversionStore.Outcome>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < senders; i++) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return store.record(conversion(id, click, "install", "1.5", "EUR", minutesAgo(1)));
                }));
            }
            go.countDown();
            int counted = 0;
            int duplicates = 0;
            for (Future<ConversionStore.Outcome> outcome : outcomes) {
                ConversionStore.Outcome o = outcome.get();
                if (o instanceof ConversionStore.Counted) {
                    counted++;
                } else if (o instanceof ConversionStore.Duplicate) {
                    duplicates++;
                }
            }
            assertThat(counted).isEqualTo(1);
            assertThat(duplicates).isEqualTo(senders - 1);
        } finally {
            pool.shutdownNow();
        }
        Campaign campaign = read(id);
        assertThat(campaign.conversionCount()).isEqualTo(1);
        assertThat(campaign.revenue()).isEqualTo(Map.of("EUR", "1.5"));
    }

    @Test
    void aClickOlderThanItsCampaignsWindowIsNotAttributedAndTheWindowIsTheCampaigns() {
        long thirty = campaign(null);
        Instant thirtyOneDaysAgo = minutesAgo(31L * 24 * 60);
        assertThat(store.record(conversion(thirty, clickId(), "install", null, null, thirtyOneDaysAgo)))
                .isEqualTo(new ConversionStore.NotAttributed(thirty, ConversionStore.OUTSIDE_WINDOW));
        assertThat(store.record(conversion(thirty, clickId(), "install", null, null, minutesAgo(29L * 24 * 60))))
                .isInstanceOf(ConversionStore.Counted.class);
        long sixty = campaign(60);
        assertThat(store.record(conversion(sixty, clickId(), "install", null, null, thirtyOneDaysAgo)))
                .isInstanceOf(ConversionStore.Counted.class);
        assertThat(read(thirty).conversionCount()).as("nothing written for the one not attributed").isEqualTo(1);
    }

    @Test
    void aDeletedCampaignsConversionIsNotAttributedButOneCountedBeforeStaysADuplicate() {
        long id = campaign(null);
        String counted = clickId();
        assertThat(store.record(conversion(id, counted, "install", null, null, minutesAgo(2)))).isInstanceOf(ConversionStore.Counted.class);
        assertThat(campaigns.delete(id)).isTrue();
        assertThat(store.record(conversion(id, clickId(), "install", null, null, minutesAgo(2))))
                .isEqualTo(new ConversionStore.NotAttributed(id, ConversionStore.DELETED));
        assertThat(store.record(conversion(id, counted, "install", null, null, minutesAgo(2))))
                .as("counted once, whatever happened since").isEqualTo(new ConversionStore.Duplicate(id));
    }
}
