package com.o7tracker.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.Campaign;
import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.campaign.CampaignFilter;
import com.o7tracker.campaign.CampaignRequest;
import com.o7tracker.campaign.Platform;
import com.o7tracker.counting.ClickCounts;
import com.o7tracker.counting.CounterStore;
import com.o7tracker.notify.Channel;
import com.o7tracker.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

/** A database written by an earlier version is migrated with its data intact. */
class MigrationUpgradeTest {

    private final List<String> databases = new ArrayList<>();

    /** A new database migrated up to {@code version}, as the version that shipped with it left it. */
    private PGSimpleDataSource databaseAtSchema(String version) throws SQLException {
        TestPostgres postgres = TestPostgres.shared();
        String name = "upgrade" + version + "_" + System.nanoTime();
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        databases.add(name);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(postgres.jdbcUrl().replace("/postgres", "/" + name));
        dataSource.setUser(postgres.user());
        dataSource.setPassword(postgres.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:migrations").table("schema_migrations")
                .target(version).load().migrate();
        return dataSource;
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        try (Connection c = TestPostgres.shared().connect(); Statement s = c.createStatement()) {
            for (String name : databases) {
                s.execute("DROP DATABASE " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void aDatabaseOfThePreviousSchemaKeepsItsCampaignsCountsAndJournalPositions() throws Exception {
        PGSimpleDataSource dataSource = databaseAtSchema("2");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO campaigns (id, redirect_url, platforms, click_count, android_click_count,
                                           iphone_click_count, windowsphone_click_count)
                    VALUES (4294967296, 'https://old.example/a', '{Android}', 7, 3, 4, 0),
                           (4294967297, 'https://old.example/b', '{}', 2, 0, 0, 2)
                    """);
            s.execute("INSERT INTO click_journals (journal_id, applied_seq) VALUES ('previous-journal', 1234)");
        }

        Migrations.migrate(dataSource);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT id, redirect_url, click_count, android_click_count, iphone_click_count,
                            windowsphone_click_count, version FROM campaigns ORDER BY id""")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("https://old.example/a");
            assertThat(new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)}).containsExactly(7, 3, 4, 0);
            long first = rs.getLong(7);
            assertThat(rs.next()).isTrue();
            assertThat(new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)}).containsExactly(2, 0, 0, 2);
            assertThat(first).isPositive();
            assertThat(rs.getLong(7)).as("each campaign its own version").isPositive().isNotEqualTo(first);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT applied_seq, owner FROM click_journals WHERE journal_id = 'previous-journal'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1234);
            assertThat(rs.getString(2)).as("claimed by the first start that reads it").isNull();
        }
        CampaignDao dao = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).onDemand(CampaignDao.class);
        assertThat(dao.findTarget(4294967296L).redirectUrl()).isEqualTo("https://old.example/a");
        long before = dao.findTarget(4294967297L).version();
        dao.update(4294967297L, new CampaignRequest("https://new.example/b", null, null, null));
        long updated = dao.findTarget(4294967297L).version();
        assertThat(updated).isGreaterThan(before);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM campaigns WHERE id = 4294967297"); // as an instance of the previous version would
        }
        assertThat(dao.findTarget(4294967297L).redirectUrl()).isNull();
        assertThat(dao.findTarget(4294967297L).version()).as("a tombstone, newer than the campaign").isGreaterThan(updated);
    }

    /**
     * Schema 4 (the version before platform URLs and bot counting): its campaigns keep their counts,
     * start at 0 Other and bot clicks with no platform URLs, and are then counted and changed as
     * new ones, also by an instance of the previous version during a rolling deploy.
     */
    @Test
    void aDatabaseOfSchema4KeepsItsCountsAndGainsTheNewCountersAtZero() throws Exception {
        PGSimpleDataSource dataSource = databaseAtSchema("4");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO campaigns (id, redirect_url, platforms, click_count, android_click_count,
                                           iphone_click_count, windowsphone_click_count)
                    VALUES (4294967296, 'https://old.example/a', '{Android,IPhone}', 12, 5, 4, 3)
                    """);
        }
        CampaignDao dao = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).onDemand(CampaignDao.class);
        long versionBefore;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM campaigns WHERE id = 4294967296")) {
            rs.next();
            versionBefore = rs.getLong(1);
        }

        Migrations.migrate(dataSource);

        Campaign migrated = dao.findById(4294967296L).orElseThrow();
        assertThat(new long[] {migrated.clickCount(), migrated.androidClickCount(), migrated.iphoneClickCount(),
            migrated.windowsphoneClickCount(), migrated.otherClickCount(), migrated.botClickCount()})
                .containsExactly(12, 5, 4, 3, 0, 0);
        assertThat(migrated.platforms()).containsExactly(Platform.ANDROID, Platform.IPHONE);
        assertThat(migrated.platformUrls()).isEmpty();
        assertThat(migrated.forwardQuery()).isFalse();
        assertThat(dao.findTarget(4294967296L).version()).as("the migration changes no target").isEqualTo(versionBefore);

        // Counted as the new version counts: click_count is the sum of the human counters.
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO click_journals (journal_id, applied_seq, owner) VALUES ('j', 0, 'me')");
        }
        ClickCounts clicks = new ClickCounts();
        long minute = System.currentTimeMillis() / 60_000;
        clicks.add(4294967296L, Platform.OTHER.code(), minute, 2);
        clicks.add(4294967296L, 0x80 | Platform.ANDROID.code(), minute, 1);
        Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).onDemand(CounterStore.class)
                .apply("j", "me", 0, 3, clicks, transaction -> { });
        Campaign counted = dao.findById(4294967296L).orElseThrow();
        assertThat(new long[] {counted.clickCount(), counted.otherClickCount(), counted.botClickCount()})
                .containsExactly(14, 2, 1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT other, bot_android, minute = to_timestamp(" + minute * 60
                     + ") FROM click_minutes WHERE campaign_id = 4294967296")) {
            assertThat(rs.next()).as("the clicks' minute bucket, from schema 6 on").isTrue();
            assertThat(new Object[] {rs.getLong(1), rs.getLong(2), rs.getBoolean(3)}).containsExactly(2L, 1L, true);
        }

        // The previous version's statements still work on the new schema and still move the version.
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    UPDATE campaigns SET click_count = click_count + 1, android_click_count = android_click_count + 1
                    WHERE id = 4294967296""");
            s.execute("UPDATE campaigns SET redirect_url = 'https://old.example/b', updated_at = now() WHERE id = 4294967296");
            s.execute("INSERT INTO campaigns (id, redirect_url, platforms) VALUES (4294967297, 'https://old.example/c', '{}')");
        }
        assertThat(dao.findTarget(4294967296L).version()).isGreaterThan(versionBefore);
        assertThat(dao.findById(4294967296L).orElseThrow().clickCount()).isEqualTo(15);
        assertThat(dao.findById(4294967297L).orElseThrow().platformUrls()).isEmpty();
    }

    /**
     * Schema 6 (the version whose application sent the change notifications itself): after the
     * migration PostgreSQL tells every change of a target, made by any client, as the decimal id
     * the previous version's listener parses; the previous version's own notification in the same
     * transaction arrives once; counting tells nothing.
     */
    @Test
    void aDatabaseOfSchema6TellsEveryChangeOfATargetAsThePreviousListenerReadsIt() throws Exception {
        PGSimpleDataSource dataSource = databaseAtSchema("6");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO campaigns (id, redirect_url) VALUES (4294967296, 'https://old.example/a')");
        }

        Migrations.migrate(dataSource);

        try (Connection listening = dataSource.getConnection(); Connection writing = dataSource.getConnection();
             Statement s = writing.createStatement()) {
            try (Statement listen = listening.createStatement()) {
                listen.execute("LISTEN " + Channel.CAMPAIGN_CHANGED.wireName());
            }
            // the previous version's flusher
            s.execute("UPDATE campaigns SET click_count = click_count + 1, android_click_count = android_click_count + 1"
                    + " WHERE id = 4294967296");
            // an operator's fix
            s.execute("UPDATE campaigns SET redirect_url = 'https://fixed.example/a' WHERE id = 4294967296");
            // the previous version's update, with its own notification in the same transaction
            writing.setAutoCommit(false);
            s.execute("UPDATE campaigns SET platforms = '{Android}', updated_at = clock_timestamp() WHERE id = 4294967296");
            s.execute("SELECT pg_notify('" + Channel.CAMPAIGN_CHANGED.wireName() + "', '4294967296')");
            writing.commit();
            writing.setAutoCommit(true);
            // a restore and a removal
            s.execute("INSERT INTO campaigns (id, redirect_url) VALUES (4294967297, 'https://restored.example/b')");
            s.execute("DELETE FROM campaigns WHERE id = 4294967296");

            // Told in commit order: once the end mark is heard, everything sent before it has been.
            s.execute("SELECT pg_notify('" + Channel.CAMPAIGN_CHANGED.wireName() + "', 'end')");

            List<String> heard = awaitNotificationsUntil(listening, "end");
            assertThat(heard).containsExactly("4294967296", "4294967296", "4294967297", "4294967296", "end");
        }
    }

    /**
     * Schema 9 (the version before reads told their positions): its journal rows keep their
     * positions and start without an applied time; the previous version's flush, beside this one
     * during a rolling deploy, stamps it as this version's does, and nothing else does (a
     * heartbeat, a clean stop's release), so the positions a read tells are those of journals
     * whose clicks moved lately.
     */
    @Test
    void aDatabaseOfSchema9StampsEveryFlushOfThePreviousVersionAndNothingElse() throws Exception {
        PGSimpleDataSource dataSource = databaseAtSchema("9");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO click_journals (journal_id, applied_seq, owner) VALUES ('j-moved', 10, 'o'), ('j-idle', 20, 'o')");
        }

        Migrations.migrate(dataSource);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(appliedAt(s)).as("no row was applied since the upgrade").containsOnly(
                    Map.entry("j-moved", "null"), Map.entry("j-idle", "null"));
            // the previous version's flush, its heartbeat and its release at a clean stop, as it sends them
            s.execute("UPDATE click_journals SET applied_seq = 15, updated_at = clock_timestamp()"
                    + " WHERE journal_id = 'j-moved' AND applied_seq = 10 AND owner = 'o'");
            s.execute("UPDATE click_journals SET updated_at = clock_timestamp() WHERE journal_id = 'j-idle' AND owner = 'o'");
            s.execute("UPDATE click_journals SET updated_at = '-infinity' WHERE journal_id = 'j-idle' AND owner = 'o'");
            Map<String, String> stamped = appliedAt(s);
            assertThat(stamped.get("j-moved")).isNotEqualTo("null");
            assertThat(stamped.get("j-idle")).isEqualTo("null");
            try (ResultSet rs = s.executeQuery("SELECT applied_seq FROM click_journals ORDER BY journal_id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(20);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(15);
            }
        }
    }

    /**
     * Schema 12 (the version before kept totals): the migration fills every total and day row from
     * the minutes, hours and dimension hours there, and the previous version's flush and rollup,
     * beside this one during a rolling deploy, keep them whole without knowing of them.
     */
    @Test
    void aDatabaseOfSchema12GetsItsTotalsFromItsRowsAndThePreviousVersionsFlushKeepsThemWhole() throws Exception {
        PGSimpleDataSource dataSource = databaseAtSchema("12");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO campaigns (id, redirect_url) VALUES (4294967296, 'https://a.example/'),"
                    + " (4294967297, 'https://b.example/')");
            s.execute("""
                    INSERT INTO click_minutes (campaign_id, minute, android, iphone, bot_other) VALUES
                        (4294967296, '2026-02-01T10:01:00Z', 1, 2, 1), (4294967296, '2026-02-01T10:59:00Z', 4, 0, 0),
                        (4294967297, '2026-02-01T10:01:00Z', 8, 0, 0), (4294967297, '2026-02-02T00:00:00Z', 16, 0, 0)""");
            s.execute("""
                    INSERT INTO click_hours (campaign_id, hour, android, other) VALUES
                        (4294967296, '2026-01-31T23:00:00Z', 32, 1), (4294967296, '2026-01-31T05:00:00Z', 64, 0),
                        (4294967297, '2026-01-31T05:00:00Z', 128, 0)""");
            s.execute("""
                    INSERT INTO click_dimension_hours (campaign_id, dimension, hour, value, android, bot_iphone) VALUES
                        (4294967296, 'country', '2026-01-31T05:00:00Z', 'DE', 3, 1),
                        (4294967296, 'country', '2026-01-31T06:00:00Z', 'DE', 5, 0),
                        (4294967297, 'country', '2026-01-31T05:00:00Z', 'DE', 7, 0),
                        (4294967297, 'referrer', '2026-01-31T05:00:00Z', 'a.example', 9, 0)""");
        }

        Migrations.migrate(dataSource);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT minute, android, iphone, bot_other FROM click_total_minutes ORDER BY 1")).containsExactly(
                    "2026-02-01 10:01:00+00 9 2 1", "2026-02-01 10:59:00+00 4 0 0", "2026-02-02 00:00:00+00 16 0 0");
            assertThat(rows(s, "SELECT hour, android, other, bot_other FROM click_total_hours ORDER BY 1")).containsExactly(
                    "2026-01-31 05:00:00+00 192 0 0", "2026-01-31 23:00:00+00 32 1 0", "2026-02-01 10:00:00+00 13 0 1",
                    "2026-02-02 00:00:00+00 16 0 0");
            assertThat(rows(s, "SELECT day, android, iphone, other FROM click_total_days ORDER BY 1")).containsExactly(
                    "2026-01-31 00:00:00+00 224 0 1", "2026-02-01 00:00:00+00 13 2 0", "2026-02-02 00:00:00+00 16 0 0");
            assertThat(rows(s, "SELECT campaign_id, day, android, other FROM click_days ORDER BY 1, 2")).containsExactly(
                    "4294967296 2026-01-31 00:00:00+00 96 1", "4294967296 2026-02-01 00:00:00+00 5 0",
                    "4294967297 2026-01-31 00:00:00+00 128 0", "4294967297 2026-02-01 00:00:00+00 8 0",
                    "4294967297 2026-02-02 00:00:00+00 16 0");
            assertThat(rows(s, "SELECT campaign_id, month, android, other FROM click_months ORDER BY 1, 2")).containsExactly(
                    "4294967296 2026-01-01 00:00:00+00 96 1", "4294967296 2026-02-01 00:00:00+00 5 0",
                    "4294967297 2026-01-01 00:00:00+00 128 0", "4294967297 2026-02-01 00:00:00+00 24 0");
            assertThat(rows(s, "SELECT campaign_id, dimension, day, value, android, bot_iphone FROM click_dimension_days"
                    + " ORDER BY 1, 2, 4")).containsExactly("4294967296 country 2026-01-31 00:00:00+00 DE 8 1",
                    "4294967297 country 2026-01-31 00:00:00+00 DE 7 0", "4294967297 referrer 2026-01-31 00:00:00+00 a.example 9 0");
            assertThat(rows(s, "SELECT dimension, hour, value, android FROM click_dimension_total_hours ORDER BY 1, 2, 3"))
                    .containsExactly("country 2026-01-31 05:00:00+00 DE 10", "country 2026-01-31 06:00:00+00 DE 5",
                            "referrer 2026-01-31 05:00:00+00 a.example 9");
            assertThat(rows(s, "SELECT dimension, day, value, android, bot_iphone FROM click_dimension_total_days ORDER BY 1, 3"))
                    .containsExactly("country 2026-01-31 00:00:00+00 DE 15 1", "referrer 2026-01-31 00:00:00+00 a.example 9 0");

            // The previous version's flush (new and existing rows) and rollup, as it sends them.
            s.execute("""
                    INSERT INTO click_minutes AS b (campaign_id, minute, android, iphone, windowsphone, other, bot_android,
                                                    bot_iphone, bot_windowsphone, bot_other)
                    SELECT d.id, to_timestamp(d.start), d.a, 0, 0, 0, 0, 0, 0, 0
                    FROM unnest(ARRAY[4294967296, 4294967297]::bigint[], ARRAY[1769940060, 1769943600]::bigint[],
                                ARRAY[100, 200]::bigint[]) AS d(id, start, a)
                    WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = d.id)
                    ON CONFLICT (campaign_id, minute) DO UPDATE SET android = b.android + EXCLUDED.android""");
            s.execute("""
                    INSERT INTO click_dimension_hours AS b (campaign_id, dimension, hour, value, android)
                    VALUES (4294967296, 'country', '2026-01-31T06:00:00Z', 'DE', 1000), (4294967296, 'country', '2026-02-01T10:00:00Z', 'FR', 300)
                    ON CONFLICT (campaign_id, dimension, hour, value) DO UPDATE SET android = b.android + EXCLUDED.android""");
            s.execute("""
                    WITH moved AS (DELETE FROM click_minutes WHERE minute < '2026-02-01T11:00:00Z' RETURNING *)
                    INSERT INTO click_hours AS b (campaign_id, hour, android, iphone, bot_other)
                    SELECT campaign_id, date_trunc('hour', minute, 'UTC'), sum(android), sum(iphone), sum(bot_other)
                    FROM moved GROUP BY 1, 2
                    ON CONFLICT (campaign_id, hour) DO UPDATE SET android = b.android + EXCLUDED.android,
                        iphone = b.iphone + EXCLUDED.iphone, bot_other = b.bot_other + EXCLUDED.bot_other""");
            assertThat(rows(s, "SELECT minute, android FROM click_total_minutes WHERE android > 20 ORDER BY 1")).containsExactly(
                    "2026-02-01 10:01:00+00 109", "2026-02-01 11:00:00+00 200");
            assertThat(rows(s, "SELECT hour, android FROM click_total_hours WHERE hour >= '2026-02-01' ORDER BY 1"))
                    .as("moving minutes into hours changes no total").containsExactly(
                            "2026-02-01 10:00:00+00 113", "2026-02-01 11:00:00+00 200", "2026-02-02 00:00:00+00 16");
            assertThat(rows(s, "SELECT day, android FROM click_total_days ORDER BY 1")).containsExactly(
                    "2026-01-31 00:00:00+00 224", "2026-02-01 00:00:00+00 313", "2026-02-02 00:00:00+00 16");
            assertThat(rows(s, "SELECT campaign_id, day, android, iphone FROM click_days ORDER BY 1, 2")).containsExactly(
                    "4294967296 2026-01-31 00:00:00+00 96 0", "4294967296 2026-02-01 00:00:00+00 105 2",
                    "4294967297 2026-01-31 00:00:00+00 128 0", "4294967297 2026-02-01 00:00:00+00 208 0",
                    "4294967297 2026-02-02 00:00:00+00 16 0");
            assertThat(rows(s, "SELECT campaign_id, month, android FROM click_months ORDER BY 1, 2")).containsExactly(
                    "4294967296 2026-01-01 00:00:00+00 96", "4294967296 2026-02-01 00:00:00+00 105",
                    "4294967297 2026-01-01 00:00:00+00 128", "4294967297 2026-02-01 00:00:00+00 224");
            assertThat(rows(s, "SELECT dimension, day, value, android FROM click_dimension_total_days ORDER BY 1, 2, 3"))
                    .containsExactly("country 2026-01-31 00:00:00+00 DE 1015", "country 2026-02-01 00:00:00+00 FR 300",
                            "referrer 2026-01-31 00:00:00+00 a.example 9");
            assertThat(rows(s, "SELECT campaign_id, day, value, android FROM click_dimension_days WHERE dimension = 'country'"
                    + " ORDER BY 1, 2, 3")).containsExactly("4294967296 2026-01-31 00:00:00+00 DE 1008",
                    "4294967296 2026-02-01 00:00:00+00 FR 300", "4294967297 2026-01-31 00:00:00+00 DE 7");
            assertThat(rows(s, "SELECT hour, value, android FROM click_dimension_total_hours WHERE dimension = 'country'"
                    + " ORDER BY 1, 2")).containsExactly("2026-01-31 05:00:00+00 DE 10", "2026-01-31 06:00:00+00 DE 1005",
                    "2026-02-01 10:00:00+00 FR 300");
        }
    }

    /** Each row's columns joined by spaces, as text (timestamps in UTC). */
    private static List<String> rows(Statement s, String sql) throws SQLException {
        s.execute("SET TIME ZONE 'UTC'");
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(String.join(" ", row));
            }
        }
        return rows;
    }

    /**
     * Schema 11 (the version before names and tags): its campaigns keep every field and their
     * versions and start with no name and no tags; the previous version's statements, beside this
     * one during a rolling deploy, still insert and update and leave a name and tags set by this
     * version as they are; the list's filters find its campaigns by URL.
     */
    @Test
    void aDatabaseOfSchema11KeepsItsCampaignsWithNoNameAndNoTags() throws Exception {
        PGSimpleDataSource dataSource = databaseAtSchema("11");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO campaigns (id, redirect_url, platforms, platform_urls, forward_query, click_count, other_click_count)
                    VALUES (4294967296, 'https://old.example/Spring', '{Android}', '{"Android": "https://play.example/"}', true, 4, 4)
                    """);
        }
        CampaignDao dao = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).onDemand(CampaignDao.class);
        long versionBefore = dao.findTarget(4294967296L).version();

        Migrations.migrate(dataSource);

        Campaign migrated = dao.findById(4294967296L).orElseThrow();
        assertThat(migrated.name()).isNull();
        assertThat(migrated.tags()).isEmpty();
        assertThat(migrated.redirectUrl()).isEqualTo("https://old.example/Spring");
        assertThat(migrated.platformUrls()).containsExactly(Map.entry("Android", "https://play.example/"));
        assertThat(migrated.forwardQuery()).isTrue();
        assertThat(new long[] {migrated.clickCount(), migrated.otherClickCount()}).containsExactly(4, 4);
        assertThat(dao.findTarget(4294967296L).version()).as("the migration changes no target").isEqualTo(versionBefore);

        dao.update(4294967296L, new CampaignRequest(null, null, null, null, "Spring", new String[] {"spring"}));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // the previous version's update and insert, as its DAO sends them
            s.execute("""
                    UPDATE campaigns SET redirect_url = coalesce('https://old.example/spring-2', redirect_url),
                        platforms = coalesce(NULL, platforms), forward_query = coalesce(false, forward_query),
                        updated_at = clock_timestamp() WHERE id = 4294967296""");
            s.execute("""
                    INSERT INTO campaigns (id, redirect_url, platforms, platform_urls, forward_query)
                    VALUES (4294967297, 'https://old.example/summer', '{}', '{}', false) ON CONFLICT (id) DO NOTHING""");
        }
        Campaign kept = dao.findById(4294967296L).orElseThrow();
        assertThat(kept.redirectUrl()).isEqualTo("https://old.example/spring-2");
        assertThat(kept.name()).isEqualTo("Spring");
        assertThat(kept.tags()).containsExactly("spring");
        assertThat(dao.findById(4294967297L).orElseThrow().tags()).isEmpty();
        Instant end = Instant.parse("9999-12-31T00:00:00Z");
        assertThat(dao.listPage(new CampaignFilter(new String[0], new String[0], "OLD.example/S"), end, Long.MAX_VALUE, 10))
                .extracting(Campaign::id).containsExactly(4294967297L, 4294967296L);
        assertThat(dao.listPage(new CampaignFilter(new String[0], new String[] {"spring"}, null), end, Long.MAX_VALUE, 10))
                .extracting(Campaign::id).containsExactly(4294967296L);
    }

    private static Map<String, String> appliedAt(Statement s) throws SQLException {
        Map<String, String> stamps = new TreeMap<>();
        try (ResultSet rs = s.executeQuery("SELECT journal_id, coalesce(applied_at::text, 'null') FROM click_journals")) {
            while (rs.next()) {
                stamps.put(rs.getString(1), rs.getString(2));
            }
        }
        return stamps;
    }

    /** The payloads heard on {@code listening} up to {@code last}, or those heard within 5 s. */
    private static List<String> awaitNotificationsUntil(Connection listening, String last) throws SQLException {
        PGConnection pg = listening.unwrap(PGConnection.class);
        List<String> heard = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!heard.contains(last) && System.nanoTime() < deadline) {
            PGNotification[] notifications = pg.getNotifications(100);
            for (PGNotification n : notifications == null ? new PGNotification[0] : notifications) {
                heard.add(n.getParameter());
            }
        }
        return heard;
    }
}
