package com.o7tracker.clickid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.o7tracker.O7TrackerConfiguration;
import com.o7tracker.campaign.Platform;
import com.o7tracker.notify.Notifications;
import com.o7tracker.support.Await;
import com.o7tracker.support.Http;
import com.o7tracker.support.TestApp;
import com.o7tracker.support.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A campaign's {@code {click_id}} through the whole service: the id in the redirect names the
 * campaign, platform, country and bot verdict of its click, as another instance on the same
 * PostgreSQL verifies it; a rotation by the admin API or the admin port's task answers the new
 * key's id only, and new clicks are signed with it while the earlier ids keep verifying.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SignedClickIdsIT {

    static final DropwizardAppExtension<O7TrackerConfiguration> APP = TestApp.withoutMemcached(
            "geo.countryHeader", "X-Appengine-Country",
            "clientAddress.trustedProxies", "1",
            "clientAddress.trustedProxyRanges", "127.0.0.1/32");

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/124.0.0.0 Mobile Safari/537.36";
    private static final String SLACK = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

    private Http http;
    /** Another instance's view of the keys, on the same PostgreSQL. */
    private ClickIds elsewhere;

    @BeforeEach
    void setUp() {
        http = new Http(APP.getLocalPort());
        Jdbi jdbi = Jdbi.create(TestPostgres.shared().migratedDataSource()).installPlugin(new SqlObjectPlugin());
        ClickIdKeys keys = new ClickIdKeys(jdbi, new Notifications(TestPostgres.shared().endpoint(), jdbi));
        keys.load();
        elsewhere = new ClickIds(keys);
    }

    private String clickId(long campaign, String query, String userAgent, String country) {
        HttpRequest.Builder request = http.request("/track/" + campaign + query).setHeader("User-Agent", userAgent).GET();
        if (country != null) {
            request.header("X-Appengine-Country", country);
        }
        HttpResponse<String> answer = http.send(request);
        assertThat(answer.statusCode()).isEqualTo(307);
        String location = answer.headers().firstValue("Location").orElseThrow();
        Matcher m = Pattern.compile("https://shop\\.example/c\\?click=([A-Za-z0-9_-]+)&c=" + campaign).matcher(location);
        assertThat(m.matches()).as(location).isTrue();
        return m.group(1);
    }

    private ClickId verified(String id) throws Exception {
        Await.until("the id verifies", WAIT, () -> elsewhere.verify(id).outcome() == ClickIds.Outcome.SIGNED);
        return elsewhere.verify(id).click();
    }

    @Test
    void theClickIdInTheRedirectNamesItsClick() throws Exception {
        long campaign = http.createCampaign("https://shop.example/c?click={click_id}&c={campaign_id}");
        Instant before = Instant.now().minusSeconds(60);

        String id = clickId(campaign, "?platform=Android", ANDROID, "de");
        assertThat(id).hasSize(56);
        ClickId click = verified(id);
        assertThat(click.campaignId()).isEqualTo(campaign);
        assertThat(click.platform()).isEqualTo(Platform.ANDROID);
        assertThat(click.bot()).isFalse();
        assertThat(click.country()).isEqualTo("DE");
        assertThat(click.minute()).isBetween(before, Instant.now());

        ClickId bot = verified(clickId(campaign, "", SLACK, null));
        assertThat(bot.campaignId()).isEqualTo(campaign);
        assertThat(bot.platform()).isEqualTo(Platform.OTHER);
        assertThat(bot.bot()).isTrue();
        assertThat(bot.country()).isEqualTo("ZZ");
        assertThat(bot.unique()).isNotEqualTo(click.unique());

        ClickId desktop = verified(clickId(campaign, "", Http.DESKTOP_BROWSER, "SI"));
        assertThat(desktop.platform()).isEqualTo(Platform.OTHER);
        assertThat(desktop.bot()).isFalse();
        assertThat(desktop.country()).isEqualTo("SI");
    }

    @Test
    void aRotationAnswersTheNewKeyAndNewClicksAreSignedWithIt() throws Exception {
        long campaign = http.createCampaign("https://shop.example/c?click={click_id}&c={campaign_id}");
        String old = clickId(campaign, "", ANDROID, "FR");
        int oldKey = verified(old).keyId();

        HttpResponse<String> refused = http.send(http.request("/admin/click-id-keys/rotate")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"status\":\"error\"");

        HttpResponse<String> rotated = http.adminPost("/admin/click-id-keys/rotate", "");
        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(rotated.body());
        assertThat(answer.size()).as("the key's id and nothing else: " + rotated.body()).isEqualTo(1);
        int newKey = answer.get("key_id").asInt();
        assertThat(newKey).isNotEqualTo(oldKey).isPositive();
        assertThat(verified(clickId(campaign, "", ANDROID, "FR")).keyId()).isEqualTo(newKey);
        assertThat(verified(old).keyId()).as("an id of the retired key still verifies").isEqualTo(oldKey);

        HttpResponse<String> task = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/rotate-click-id-key"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(task.statusCode()).isEqualTo(200);
        Matcher told = Pattern.compile("Click ids are signed with key (\\d+) from now on\\.\\s*").matcher(task.body());
        assertThat(told.matches()).as(task.body()).isTrue();
        int taskKey = Integer.parseInt(told.group(1));
        assertThat(taskKey).isNotEqualTo(newKey);
        assertThat(verified(clickId(campaign, "", ANDROID, "FR")).keyId()).isEqualTo(taskKey);
        assertThat(verified(old).keyId()).isEqualTo(oldKey);
    }
}
