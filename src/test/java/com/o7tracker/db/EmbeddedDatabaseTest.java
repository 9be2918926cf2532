package com.o7tracker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.o7tracker.support.TestApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The embedded default never stops a PostgreSQL that is not a leftover of its own data directory. */
class EmbeddedDatabaseTest {

    private static void assertAnswers(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aSecondUserOfTheSameDataIsRefusedAndTheRunningServerLivesOn() throws Exception {
        Path directory = TestApp.tempDir("embedded-lock").resolve("postgresql");
        EmbeddedDatabase running = new EmbeddedDatabase(directory);
        String url = running.startAndGetJdbcUrl();
        try {
            assertThatThrownBy(new EmbeddedDatabase(directory)::startAndGetJdbcUrl)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("in use by another running o7tracker");
            assertAnswers(url);
        } finally {
            running.stop();
        }
    }

    @Test
    void aStalePidFileNamingAnotherProcessIsNeverSignalled() throws Exception {
        Path directory = TestApp.tempDir("embedded-pid").resolve("postgresql");
        EmbeddedDatabase first = new EmbeddedDatabase(directory);
        first.startAndGetJdbcUrl();
        first.stop();
        Process unrelated = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(directory.resolve("postmaster.pid"), unrelated.pid() + "\n" + directory + "\n");
            EmbeddedDatabase second = new EmbeddedDatabase(directory);
            String url = second.startAndGetJdbcUrl();
            try {
                assertThat(unrelated.isAlive()).as("the process the stale file names").isTrue();
                assertAnswers(url);
            } finally {
                second.stop();
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }
}
