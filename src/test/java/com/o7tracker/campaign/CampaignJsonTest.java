package com.o7tracker.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignJsonTest {

    private static final ObjectMapper MAPPER = Jackson.newObjectMapper()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Campaign seedExample = new Campaign(5928566696968192L, "https://github.com/otobrglez/o7tracker",
            Instant.parse("2016-04-10T21:47:44.519184Z"), Instant.parse("2016-04-10T21:47:44.519184Z"),
            List.of(Platform.WINDOWS_PHONE, Platform.ANDROID, Platform.IPHONE), 0, 0, 0, 0, 0, 0, Map.of(), false,
            null, List.of());

    /** Every field of the original's JSON as it was, and the fields added since after them. */
    @Test
    void serializesToTheSeedReadmeShape() throws Exception {
        ObjectNode expected = (ObjectNode) MAPPER.readTree(getClass().getResource("/fixtures/campaign.json"));
        expected.put("other_click_count", 0).put("bot_click_count", 0);
        expected.putObject("platform_urls");
        expected.put("forward_query", false);
        expected.putNull("name");
        expected.putArray("tags");
        expected.put("conversion_window_days", 30).put("conversion_count", 0);
        expected.putObject("conversions");
        expected.putObject("revenue");
        JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(seedExample));
        assertThat(written).isEqualTo(expected);
        List<String> names = new ArrayList<>();
        written.fieldNames().forEachRemaining(names::add);
        assertThat(names).endsWith("other_click_count", "bot_click_count", "platform_urls", "forward_query", "name", "tags",
                "conversion_window_days", "conversion_count", "conversions", "revenue");
    }

    @Test
    void platformUrlsAreAnObjectByCanonicalName() throws Exception {
        Campaign withUrls = new Campaign(1, "https://x.example/", seedExample.createdAt(), seedExample.updatedAt(),
                List.of(), 0, 0, 0, 0, 0, 0, PlatformUrls.parse("{\"IPhone\": \"https://apps.example/\", "
                        + "\"Android\": \"https://play.example/\"}"), true, null, null);
        JsonNode json = MAPPER.readTree(MAPPER.writeValueAsString(withUrls));
        assertThat(json.get("platform_urls").toString())
                .isEqualTo("{\"Android\":\"https://play.example/\",\"IPhone\":\"https://apps.example/\"}");
        assertThat(json.get("forward_query").booleanValue()).isTrue();
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

    @Test
    void nameAndTagsAreWrittenAndReadBack() throws Exception {
        Campaign labelled = new Campaign(1, "https://x.example/", seedExample.createdAt(), seedExample.updatedAt(),
                List.of(), 0, 0, 0, 0, 0, 0, Map.of(), false, "Spring sale – Ljubljana", List.of("spring", "si_2027"));
        String written = MAPPER.writeValueAsString(labelled);
        JsonNode json = MAPPER.readTree(written);
        assertThat(json.get("name").asText()).isEqualTo("Spring sale – Ljubljana");
        assertThat(json.get("tags").toString()).isEqualTo("[\"spring\",\"si_2027\"]");
        assertThat(MAPPER.readValue(written, Campaign.class)).isEqualTo(labelled);
    }

    @Test
    void nameIsTrimmedAndClearedByNullOrBlanks() throws Exception {
        assertThat(CampaignRequest.forUpdate(MAPPER.readTree("{\"name\":\"  Spring sale\\u3000\"}")).name())
                .isEqualTo("Spring sale");
        for (String cleared : List.of("null", "\"\"", "\"   \"")) {
            assertThat(CampaignRequest.forUpdate(MAPPER.readTree("{\"name\":" + cleared + "}")).name()).as(cleared).isEmpty();
        }
        assertThat(CampaignRequest.forUpdate(MAPPER.readTree("{\"tags\":[]}")).name()).as("absent: unchanged").isNull();
        assertThat(CampaignRequest.forCreate(MAPPER.readTree("{\"redirect_url\":\"https://x.example/\"}")).name())
                .as("a new campaign without one").isEmpty();
        String longest = "n".repeat(Labels.MAX_NAME_LENGTH - 1) + "😀"; // 200 code points, 201 UTF-16 units
        assertThat(CampaignRequest.forUpdate(MAPPER.readTree("{\"name\":\"" + longest + "\"}")).name()).isEqualTo(longest);
    }

    @Test
    void tagsAreLowerCaseWithoutDuplicatesInTheOrderSent() throws Exception {
        CampaignRequest request = CampaignRequest.forUpdate(MAPPER.readTree("""
                {"tags":["Summer","spring","SUMMER","q-3_x","spring"]}"""));
        assertThat(request.tags()).containsExactly("summer", "spring", "q-3_x");
        assertThat(request.name()).isNull();
        assertThat(CampaignRequest.forUpdate(MAPPER.readTree("{\"tags\":null}")).tags()).isEmpty();
        assertThat(CampaignRequest.forUpdate(MAPPER.readTree("{\"name\":null}")).tags()).as("absent: unchanged").isNull();
        assertThat(CampaignRequest.forCreate(MAPPER.readTree("{\"redirect_url\":\"https://x.example/\"}")).tags()).isEmpty();
        assertThat(Labels.tag("\u212Aelvin")).as("the Kelvin sign is not a k").isEmpty();
        assertThat(Labels.tag("ı")).isEmpty();
        assertThat(Labels.tag("x".repeat(Labels.MAX_TAG_LENGTH))).isPresent();
        assertThat(Labels.tag("x".repeat(Labels.MAX_TAG_LENGTH + 1))).isEmpty();
    }

    /** What the answer holds is a body an update takes as it is: no field refused, the same name and tags. */
    @Test
    void aLabelledCampaignAsReadCanBeSentBack() throws Exception {
        Campaign labelled = new Campaign(1, "https://x.example/", seedExample.createdAt(), seedExample.updatedAt(),
                List.of(Platform.OTHER), 3, 0, 0, 0, 3, 1, Map.of("Other", "https://web.example/"), true,
                "Summer", List.of("summer", "web"));
        CampaignRequest request = CampaignRequest.forUpdate(MAPPER.readTree(MAPPER.writeValueAsString(labelled)));
        assertThat(request.name()).isEqualTo("Summer");
        assertThat(request.tags()).containsExactly("summer", "web");
        CampaignRequest unlabelled = CampaignRequest.forUpdate(MAPPER.readTree(MAPPER.writeValueAsString(seedExample)));
        assertThat(unlabelled.name()).as("null: none, as stored").isEmpty();
        assertThat(unlabelled.tags()).isEmpty();
    }
}
