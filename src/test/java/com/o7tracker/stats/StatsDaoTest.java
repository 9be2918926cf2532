package com.o7tracker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.support.TestPostgres;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.Test;

/** What the stats reads leave on their connection, on a real PostgreSQL. Their answers are StatsApiIT's and BreakdownApiIT's. */
class StatsDaoTest {

    static {
        TestPostgres.shared().migratedDataSource();
    }

    interface Settings {
        @SqlQuery("SHOW plan_cache_mode")
        String planCacheMode();

        @SqlQuery("SHOW max_parallel_workers_per_gather")
        String parallelWorkers();
    }

    @Test
    void aBreakdownIsPlannedForItsValuesWithinItsReadAndTheConnectionKeepsItsSetting() throws Exception {
        // One connection for every read: what one read leaves on it, the next one sees.
        try (Connection connection = TestPostgres.shared().connect()) {
            Jdbi oneConnection = Jdbi.create(connection).installPlugin(new SqlObjectPlugin());
            Settings settings = oneConnection.onDemand(Settings.class);
            StatsDao stats = oneConnection.onDemand(StatsDao.class);
            AppliedPositions positions = new AppliedPositions(oneConnection);
            assertThat(positions.read(settings::planCacheMode).value()).isEqualTo("auto");
            String during = positions.read(() -> {
                stats.breakdown(null, Dimension.COUNTRY, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"), 10);
                return settings.planCacheMode();
            }).value();
            assertThat(during).isEqualTo("force_custom_plan");
            // SET LOCAL ends with the transaction: the next read on the connection plans as PostgreSQL chooses.
            for (int i = 0; i < 3; i++) {
                assertThat(positions.read(settings::planCacheMode).value()).isEqualTo("auto");
            }
        }
    }

    @Test
    void topCampaignsAreRankedInOneProcessWithinTheirReadAndTheConnectionKeepsItsSettings() throws Exception {
        try (Connection connection = TestPostgres.shared().connect()) {
            Jdbi oneConnection = Jdbi.create(connection).installPlugin(new SqlObjectPlugin());
            Settings settings = oneConnection.onDemand(Settings.class);
            StatsDao stats = oneConnection.onDemand(StatsDao.class);
            AppliedPositions positions = new AppliedPositions(oneConnection);
            String workers = settings.parallelWorkers();
            assertThat(workers).isNotEqualTo("0");
            Instant from = Instant.parse("2025-12-08T05:00:00Z");
            Instant to = Instant.parse("2026-12-08T03:00:00Z");
            String[] during = positions.read(() -> {
                stats.top(from, to, 10, null);
                return new String[] {settings.parallelWorkers(), settings.planCacheMode()};
            }).value();
            assertThat(during).containsExactly("0", "force_custom_plan");
            for (int i = 0; i < 3; i++) {
                assertThat(positions.read(settings::parallelWorkers).value()).isEqualTo(workers);
                assertThat(positions.read(settings::planCacheMode).value()).isEqualTo("auto");
            }
            // Outside a transaction (each statement its own), the settings are not made at all.
            stats.top(from, to, 10, null);
            assertThat(settings.parallelWorkers()).isEqualTo(workers);
            assertThat(settings.planCacheMode()).isEqualTo("auto");
        }
    }

    @Test
    void aRangeOfDaysIsReadFromTheMonthsNearestItsEnds() {
        assertThat(TopCampaigns.nearestMonths(Instant.parse("2025-12-08T00:00:00Z"), Instant.parse("2026-12-08T00:00:00Z")))
                .as("a year from the 8th: December taken whole, its first seven days away; December's first seven days added")
                .extracting(Timestamp::toInstant)
                .containsExactly(Instant.parse("2025-12-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(TopCampaigns.nearestMonths(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-28T00:00:00Z")))
                .as("most of a month: the month, less a day before and four after")
                .extracting(Timestamp::toInstant)
                .containsExactly(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(TopCampaigns.nearestMonths(Instant.parse("2026-03-16T00:00:00Z"), Instant.parse("2026-04-15T00:00:00Z")))
                .as("as near to either: the earlier month start")
                .extracting(Timestamp::toInstant)
                .containsExactly(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
        Instant from = Instant.parse("2026-03-05T00:00:00Z");
        assertThat(TopCampaigns.nearestMonths(from, Instant.parse("2026-03-12T00:00:00Z")))
                .as("a week: no month, every day from day rows")
                .extracting(Timestamp::toInstant).containsExactly(from, from);
    }

    @Test
    void aShortRangeWithinAMonthIsReadFromItsDaysNotFromItsMonthWithTheRestTakenAway() {
        // Each end's nearest month start is the month's first for the 12th and the next month's for
        // the 19th: March read whole less 11 and 13 days is 25 rows of each campaign, the week's days 7.
        Instant from = Instant.parse("2026-03-12T00:00:00Z");
        assertThat(TopCampaigns.nearestMonths(from, Instant.parse("2026-03-19T00:00:00Z")))
                .as("the last seven days, mid-month").extracting(Timestamp::toInstant).containsExactly(from, from);
        Instant fourDays = Instant.parse("2026-03-14T00:00:00Z");
        assertThat(TopCampaigns.nearestMonths(fourDays, Instant.parse("2026-03-18T00:00:00Z")))
                .as("four days: 4 rows, not 28").extracting(Timestamp::toInstant).containsExactly(fourDays, fourDays);
        assertThat(TopCampaigns.nearestMonths(Instant.parse("2026-03-14T00:00:00Z"), Instant.parse("2026-04-18T00:00:00Z")))
                .as("two months less 13 and 13 days: 28 rows, fewer than the 35 days or either month alone (31)")
                .extracting(Timestamp::toInstant)
                .containsExactly(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z"));
    }
}
