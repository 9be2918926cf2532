package com.o7tracker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.dimension.Dimension;
import com.o7tracker.support.TestPostgres;
import java.sql.Connection;
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
}
