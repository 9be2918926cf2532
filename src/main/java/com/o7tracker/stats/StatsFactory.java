package com.o7tracker.stats;

import com.o7tracker.campaign.AppliedPositions;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.settings.Setting;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/** Clicks over time and by dimension: the stats API, the breakdowns and the rollup of minute buckets into hours. */
public class StatsFactory {

    /** How long minute buckets are kept before they are rolled up into hour buckets (kept indefinitely). */
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    @Setting
    private Duration minuteRetention = Duration.days(7);

    /**
     * Registers {@code /admin/stats} and {@code /admin/campaigns/{id}/stats}, their breakdowns
     * ({@code …/breakdown}), a campaign's conversions over time ({@code …/conversions}), and manages the rollup.
     */
    public void build(Environment environment, Jdbi jdbi, CampaignDao campaigns, AppliedPositions positions) {
        StatsDao stats = jdbi.onDemand(StatsDao.class);
        java.time.Duration kept = minuteRetention.toJavaDuration();
        StatsQuery.Reader queries = new StatsQuery.Reader(kept, Clock.systemUTC());
        environment.jersey().register(new CampaignStatsResource(campaigns, stats, queries, positions));
        environment.jersey().register(new StatsResource(stats, queries, positions));
        environment.jersey().register(new CampaignBreakdownResource(campaigns, stats, queries, positions));
        environment.jersey().register(new BreakdownResource(stats, queries, positions));
        environment.jersey().register(new CampaignConversionsResource(campaigns, stats, queries, positions));
        // The lifecycle shuts it down as the service stops; a rollup under way (one statement) gets
        // the 10 s it always had to end.
        ScheduledExecutorService rollups = environment.lifecycle().scheduledExecutorService("stats-rollup", true)
                .threads(1).shutdownTime(Duration.seconds(10)).build();
        environment.lifecycle().manage(new StatsRollup(stats, kept, rollups));
    }
}
