package com.o7tracker.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.campaign.CampaignDao;
import com.o7tracker.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** A database written by the previous version (schema 2) is migrated with its data intact. */
class MigrationUpgradeTest {

    @Test
    void aDatabaseOfThePreviousSchemaKeepsItsCampaignsCountsAndJournalPositions() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        String name = "upgrade_" + System.nanoTime();
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(postgres.jdbcUrl().replace("/postgres", "/" + name));
        dataSource.setUser(postgres.user());
        dataSource.setPassword(postgres.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:migrations").table("schema_migrations")
                .target("2").load().migrate();
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
        dao.update(4294967297L, "https://new.example/b", null);
        long updated = dao.findTarget(4294967297L).version();
        assertThat(updated).isGreaterThan(before);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM campaigns WHERE id = 4294967297"); // as an instance of the previous version would
        }
        assertThat(dao.findTarget(4294967297L).redirectUrl()).isNull();
        assertThat(dao.findTarget(4294967297L).version()).as("a tombstone, newer than the campaign").isGreaterThan(updated);
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }
}
