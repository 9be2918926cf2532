package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignJsonTest {

    private static final ObjectMapper MAPPER = Jackson.newObjectMapper()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Campaign seedExample = new Campaign(5928566696968192L, "https://github.com/otobrglez/o7tracker",
            Instant.parse("2016-04-10T21:47:44.519184Z"), Instant.parse("2016-04-10T21:47:44.519184Z"),
            List.of(Platform.WINDOWS_PHONE, Platform.ANDROID, Platform.IPHONE), 0, 0, 0, 0);

    @Test
    void serializesToTheSeedReadmeShape() throws Exception {
        JsonNode expected = MAPPER.readTree(getClass().getResource("/fixtures/campaign.json"));
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(seedExample))).isEqualTo(expected);
    }

    @Test
    void deserializesFromTheSeedReadmeShape() throws Exception {
        Campaign read = MAPPER.readValue(getClass().getResource("/fixtures/campaign.json"), Campaign.class);
        assertThat(read).isEqualTo(seedExample);
    }

    @Test
    void timestampsAreRfc3339InUtc() throws Exception {
        JsonNode json = MAPPER.readTree(MAPPER.writeValueAsString(seedExample));
        assertThat(json.get("created_at").asText()).isEqualTo("2016-04-10T21:47:44.519184Z");
    }

    @Test
    void seedPayloadIsAValidCreateRequest() throws Exception {
        JsonNode body = MAPPER.readTree("""
                {"redirect_url":"https://github.com/otobrglez/o7tracker","platforms":["WindowsPhone","Android","IPhone"]}
                """);
        CampaignRequest request = CampaignRequest.forCreate(body);
        assertThat(request.redirectUrl()).isEqualTo("https://github.com/otobrglez/o7tracker");
        assertThat(request.platforms()).containsExactly("WindowsPhone", "Android", "IPhone");
    }

    @Test
    void aCampaignAsReadCanBeSentBack() throws Exception {
        JsonNode body = MAPPER.readTree(getClass().getResource("/fixtures/campaign.json"));
        CampaignRequest request = CampaignRequest.forUpdate(body);
        assertThat(request.redirectUrl()).isEqualTo("https://github.com/otobrglez/o7tracker");
        assertThat(request.platforms()).containsExactly("WindowsPhone", "Android", "IPhone");
    }
}
