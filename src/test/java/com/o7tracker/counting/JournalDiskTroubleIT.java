package com.o7tracker.counting;

import static org.assertj.core.api.Assertions.assertThat;

import com.o7tracker.O7TrackerApplication;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.support.Http;
import com.o7tracker.support.Json;
import com.o7tracker.support.Tables;
import com.o7tracker.support.TestApp;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Property 4: a journal directory that cannot be written, or a full disk. The health check says
 * so, visitors are still redirected to their campaign, and what could not be recorded is counted
 * in a metric (and logged).
 */
class JournalDiskTroubleIT {

    private static DropwizardTestSupport<O7TrackerConfiguration> service(Path journal) throws Exception {
        DropwizardTestSupport<O7TrackerConfiguration> support = new DropwizardTestSupport<>(O7TrackerApplication.class,
                "config.yml", TestApp.overrides(false,
                        "counting.journalDirectory", journal.toString(),
                        "counting.segmentClicks", "1000",
                        // Nothing applied (and no segment freed) while the disk fills.
                        "counting.flushInterval", "1m"));
        support.before();
        return support;
    }

    private static long meter(Http admin, String name) {
        var meter = Json.parse(admin.get("/metrics").body()).get("meters").get(name);
        return meter == null ? 0 : meter.get("count").asLong();
    }

    @Test
    void anUnwritableJournalIsReportedAndClicksStillRedirect() throws Exception {
        Path journal = TestApp.tempDir("unwritable").resolve("journal");
        Files.writeString(journal, "a file where the journal directory should be");
        DropwizardTestSupport<O7TrackerConfiguration> support = service(journal);
        try {
            Http http = new Http(support.getLocalPort());
            Http admin = new Http(support.getAdminPort());
            long id = http.createCampaign("https://unwritable.example/");
            for (int i = 0; i < 25; i++) {
                HttpResponse<String> click = http.get("/track/" + id + "?platform=Android");
                assertThat(click.statusCode()).isEqualTo(307);
                assertThat(click.headers().firstValue("Location")).hasValue("https://unwritable.example/");
            }
            HttpResponse<String> health = admin.get("/healthcheck");
            assertThat(health.statusCode()).isEqualTo(500);
            var check = Json.parse(health.body()).get("click-journal");
            assertThat(check.get("healthy").asBoolean()).isFalse();
            assertThat(check.get("message").asText()).contains(journal.toString());
            assertThat(http.get("/readiness_check").statusCode()).isEqualTo(503);
            assertThat(meter(admin, "clicks.unrecorded.journal-error")).isEqualTo(25);
            assertThat(meter(admin, "clicks.recorded")).isZero();
            assertThat(Tables.counters(id)).containsExactly(0, 0, 0, 0, 0, 0);
        } finally {
            support.after();
        }
    }

    @Test
    void aFullDiskIsReportedAndEveryClickIsEitherCountedOrInTheMetric() throws Exception {
        Path mount = TestApp.tempDir("full-disk");
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString())
                .inheritIO().start();
        assertThat(mounting.waitFor()).as("mounting a 64 KiB tmpfs (needs root)").isZero();
        DropwizardTestSupport<O7TrackerConfiguration> support = null;
        try {
            support = service(mount);
            Http http = new Http(support.getLocalPort());
            Http admin = new Http(support.getAdminPort());
            long id = http.createCampaign("https://full.example/");
            int clicks = 6_000; // 16 bytes each: more than 64 KiB holds
            for (int i = 0; i < clicks; i++) {
                HttpResponse<String> click = http.get("/track/" + id + "?platform=IPhone");
                assertThat(click.statusCode()).isEqualTo(307);
                assertThat(click.headers().firstValue("Location")).hasValue("https://full.example/");
            }
            long recorded = meter(admin, "clicks.recorded");
            long unrecorded = meter(admin, "clicks.unrecorded.journal-error");
            assertThat(recorded).isPositive();
            assertThat(unrecorded).isPositive();
            assertThat(recorded + unrecorded).isEqualTo(clicks);
            var check = Json.parse(admin.get("/healthcheck").body()).get("click-journal");
            assertThat(check.get("healthy").asBoolean()).isFalse();
            assertThat(check.get("message").asText()).containsIgnoringCase("space");
            assertThat(http.adminGet("/tasks/update_stats").statusCode()).isEqualTo(200);
            assertThat(Tables.counters(id)).containsExactly(recorded, 0, recorded, 0, 0, 0);
        } finally {
            if (support != null) {
                support.after();
            }
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }
}
