package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.o7tracker.support.Await;
import com.o7tracker.support.ClickLoad;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.ServiceProcess;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The packaged service's own start and stop: SIGTERM drains; the embedded default survives kill -9. */
// Packaged services started one after another: near two minutes on a loaded 2-core machine.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServiceLifecycleIT {

    @Test
    void sigtermAppliesEveryJournaledClickBeforeExiting() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "lifecycle-logs"));
        Map<String, String> env = ServiceProcess.environment(TestApp.tempDir("sigterm-journal"), null);
        env.put("FLUSH_INTERVAL", "1m"); // nothing is applied in the background: the drain must do it
        ServiceProcess service = ServiceProcess.start(env, logs.resolve("sigterm.log"));
        Http http = new Http(service.port());
        long id = http.createCampaign("https://drain.example/");
        awaitFirstFlush(service);

        ClickLoad load = new ClickLoad(Map.of(id, "https://drain.example/"), service::port, 16, 3_000);
        load.awaitDone();
        assertThat(load.receivedTotal()).isEqualTo(3_000);
        assertThat(Tables.counters(id)[0]).as("not applied before the shutdown").isZero();

        service.terminate();
        long[] counters = Tables.counters(id);
        assertThat(counters).containsExactly(3_000 - load.received(id, 4), load.received(id, 0), load.received(id, 1),
                load.received(id, 2), load.received(id, 3), load.received(id, 4));
    }

    /** Past the flusher's first run, the one at start: the next is a minute (FLUSH_INTERVAL) away. */
    private static void awaitFirstFlush(ServiceProcess service) throws Exception {
        Http admin = new Http(service.adminPort());
        Await.until("the flusher's first run", Duration.ofSeconds(30),
                () -> Json.parse(admin.get("/metrics").body()).get("timers").get("clicks.flush").get("count").asLong() > 0);
    }

    @Test
    void theEmbeddedDefaultKeepsItsDataAndRecoversFromKillMinus9() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "lifecycle-logs"));
        Path data = TestApp.tempDir("embedded-data");
        Map<String, String> env = new HashMap<>(Map.of(
                "DATA_DIR", data.toString(), "AUTH_USER", Http.USER, "AUTH_PASSWORD", Http.PASSWORD,
                "PORT", "0", "ADMIN_PORT", "0", "BIND", "127.0.0.1", "JOURNAL_LEASE", "5s"));

        ServiceProcess first = ServiceProcess.start(env, logs.resolve("embedded-1.log"));
        Http http = new Http(first.port());
        long id = http.createCampaign("https://embedded.example/");
        for (int i = 0; i < 10; i++) {
            assertThat(http.get("/track/" + id + "?platform=WindowsPhone").statusCode()).isEqualTo(307);
        }
        first.kill(); // its PostgreSQL lives on, orphaned, holding the data directory

        ServiceProcess second = ServiceProcess.start(env, logs.resolve("embedded-2.log"));
        Http again = new Http(second.port());
        again.updateStats(); // after kill -9: once the journal's lease has expired
        var campaign = Json.parse(again.adminGet("/admin/campaigns/" + id).body());
        assertThat(campaign.get("redirect_url").asText()).isEqualTo("https://embedded.example/");
        assertThat(campaign.get("windowsphone_click_count").asLong()).isEqualTo(10);
        assertThat(campaign.get("click_count").asLong()).isEqualTo(10);
        assertThat(Files.readString(logs.resolve("embedded-2.log"))).contains("from a previous run still holds");

        // `db migrate` on the same data while the service runs is refused; the service's PostgreSQL lives on.
        ProcessBuilder migrate = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar",
                System.getProperty("o7tracker.jar", "target/o7tracker.jar"), "db", "migrate", "config.yml")
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("embedded-migrate.log").toFile());
        migrate.environment().putAll(env);
        assertThat(migrate.start().waitFor()).isNotZero();
        assertThat(Files.readString(logs.resolve("embedded-migrate.log"))).contains("in use by another running o7tracker");
        assertThat(again.get("/track/" + id + "?platform=Android").statusCode()).isEqualTo(307);
        assertThat(again.adminGet("/tasks/update_stats").statusCode()).isEqualTo(200);
        assertThat(Json.parse(again.adminGet("/admin/campaigns/" + id).body()).get("click_count").asLong()).isEqualTo(11);
        assertThat(Files.readString(logs.resolve("embedded-migrate.log"))).as("one line, no stack trace").doesNotContain("\tat ");
        assertThat(again.get("/track/" + id + "?platform=IPhone").statusCode()).isEqualTo(307);
        second.terminate();
        ServiceProcess third = ServiceProcess.start(env, logs.resolve("embedded-3.log"));
        Http after = new Http(third.port());
        after.updateStats();
        assertThat(Json.parse(after.adminGet("/admin/campaigns/" + id).body()).get("click_count").asLong()).isEqualTo(12);
        assertThat(Files.readString(logs.resolve("embedded-3.log"))).as("SIGTERM drained into the embedded PostgreSQL")
                .doesNotContain("Replaying");
        third.terminate();
        assertThat(Files.exists(data.resolve("postgresql").resolve("postmaster.pid")))
                .as("PostgreSQL stopped with the service").isFalse();
    }

    @Test
    void dbMigrateBringsAnEmptyDatabaseUpToDate() throws Exception {
        String database = "migrate_" + System.nanoTime();
        try (var c = com.o7tracker.support.TestPostgres.shared().connect(); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        var postgres = com.o7tracker.support.TestPostgres.shared();
        String url = postgres.jdbcUrl().replace("/postgres", "/" + database);
        ProcessBuilder migrate = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar",
                System.getProperty("o7tracker.jar", "target/o7tracker.jar"), "db", "migrate", "config.yml")
                .redirectErrorStream(true)
                .redirectOutput(Files.createDirectories(Path.of("target", "lifecycle-logs")).resolve("migrate.log").toFile());
        migrate.environment().putAll(Map.of("DATABASE_URL", url, "DATABASE_USER", postgres.user(),
                "DATABASE_PASSWORD", postgres.password()));
        assertThat(migrate.start().waitFor()).isZero();
        try (var c = java.sql.DriverManager.getConnection(url, postgres.user(), postgres.password());
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM information_schema.tables "
                     + "WHERE table_name IN ('campaigns', 'click_journals', 'schema_migrations')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void onTheEmbeddedDefaultWithoutAPasswordOneIsGeneratedLoggedOnceAndKeptForTheNextStarts() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "lifecycle-logs"));
        // The embedded PostgreSQL is this process's own, so no other instance shares the admin API.
        Path data = TestApp.tempDir("nopassword-data");
        Map<String, String> env = new HashMap<>(Map.of(
                "DATA_DIR", data.toString(), "AUTH_USER", Http.USER,
                "PORT", "0", "ADMIN_PORT", "0", "BIND", "127.0.0.1"));
        Path kept = data.resolve("admin-password");
        String password;
        ServiceProcess service = ServiceProcess.start(env, logs.resolve("nopassword.log"));
        try {
            String log = Files.readString(logs.resolve("nopassword.log"));
            var matcher = java.util.regex.Pattern.compile("password generated for this data directory is: (\\S+)").matcher(log);
            assertThat(matcher.find()).isTrue();
            password = matcher.group(1);
            assertThat(password.length()).isGreaterThanOrEqualTo(20);
            Http http = new Http(service.port());
            assertThat(http.send(http.request("/admin/campaigns").header("Authorization", Http.basic(Http.USER, "")).GET())
                    .statusCode()).isEqualTo(401);
            assertThat(http.send(http.request("/admin/campaigns").header("Authorization", Http.basic(Http.USER, password)).GET())
                    .statusCode()).isEqualTo(200);
            assertThat(matcher.find()).as("logged once").isFalse();
            assertThat(log).contains("kept in " + kept);
            awaitLogLine(logs.resolve("nopassword.log"), "Dashboard: http://127.0.0.1:" + service.port()
                    + "/admin/ (sign in as '" + Http.USER + "' with the password kept in " + kept + ")");
        } finally {
            service.terminate();
        }
        assertThat(Files.readString(kept)).isEqualTo(password + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)))
                .as("readable by the service's user only").isEqualTo("rw-------");
        try (var files = Files.list(data)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left beside it")
                    .noneMatch(name -> name.endsWith(".tmp"));
        }

        // A browser or a script that kept the password goes on working after a restart on the same directory.
        ServiceProcess again = ServiceProcess.start(env, logs.resolve("nopassword-again.log"));
        try {
            Http http = new Http(again.port());
            assertThat(http.send(http.request("/admin/campaigns").header("Authorization", Http.basic(Http.USER, password)).GET())
                    .statusCode()).isEqualTo(200);
            awaitLogLine(logs.resolve("nopassword-again.log"), "Dashboard: http://127.0.0.1:" + again.port()
                    + "/admin/ (sign in as '" + Http.USER + "' with the password kept in " + kept + ")");
            assertThat(Files.readString(logs.resolve("nopassword-again.log")))
                    .as("the log says where it is, and not what it is").doesNotContain(password)
                    .contains("is the one kept in " + kept);
        } finally {
            again.terminate();
        }
        assertThat(Files.readString(kept)).isEqualTo(password + "\n");
    }

    @Test
    void aPasswordSetInTheEnvironmentIsUsedAndNoPasswordFileIsWrittenOrRead() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "lifecycle-logs"));
        Path data = TestApp.tempDir("password-data");
        // A file of an earlier start without AUTH_PASSWORD: with AUTH_PASSWORD set, it is not read.
        Files.writeString(Files.createFile(data.resolve("admin-password"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), "kept-earlier-password\n");
        Map<String, String> env = ServiceProcess.environment(data.resolve("journal"), null);
        env.put("DATA_DIR", data.toString());
        env.put("BIND", "0.0.0.0"); // every address: the dashboard is on localhost
        ServiceProcess service = ServiceProcess.start(env, logs.resolve("password-set.log"));
        try {
            awaitLogLine(logs.resolve("password-set.log"), "Dashboard: http://localhost:" + service.port()
                    + "/admin/ (sign in as '" + Http.USER + "' with the password of AUTH_PASSWORD (auth.password))");
            Http http = new Http(service.port());
            assertThat(http.adminGet("/admin/campaigns").statusCode()).isEqualTo(200);
            assertThat(http.send(http.request("/admin/campaigns")
                    .header("Authorization", Http.basic(Http.USER, "kept-earlier-password")).GET()).statusCode())
                    .as("the kept file is not read").isEqualTo(401);
        } finally {
            service.terminate();
        }
        assertThat(Files.readString(data.resolve("admin-password"))).isEqualTo("kept-earlier-password\n");
        assertThat(Files.readString(logs.resolve("password-set.log"))).doesNotContain("AUTH_PASSWORD is not set");
    }

    /** Where the dashboard is and how to sign in, in one line, logged once the server listens (just after its start). */
    private static void awaitLogLine(Path log, String line) throws Exception {
        Await.until("the log line '" + line + "' in " + log, Duration.ofSeconds(30),
                () -> Files.readString(log).lines().anyMatch(l -> l.endsWith(line)));
    }

    @Test
    void withAnExternalDatabaseAndNoPasswordItRefusesToStartSayingWhatToSet() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "lifecycle-logs"));
        Map<String, String> env = ServiceProcess.environment(TestApp.tempDir("nopassword-journal"), null);
        env.put("AUTH_PASSWORD", "");
        assertThatThrownBy(() -> ServiceProcess.start(env, logs.resolve("nopassword-external.log")).terminate())
                .hasMessageContaining("exited before it started");
        assertThat(Files.readString(logs.resolve("nopassword-external.log")))
                .contains("AUTH_PASSWORD (auth.password) must be set when DATABASE_URL")
                .doesNotContain("password generated for this data directory is");
    }
}
