package com.o7tracker.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.o7tracker.web.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fuzzes what a postback reports, as parameters (any names, values, repeats) and as a JSON body
 * (any text): whatever comes, it is refused with a 400 or read as a conversion that keeps the
 * README's rules, its revenue exactly the decimal sent.
 */
class PostbackRequestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern EVENT = Pattern.compile("[a-z0-9_]{1,32}");
    private static final String[] NAMES = {"click_id", "event", "revenue", "currency", "key", "sub1"};

    @FuzzTest(maxDuration = "10s")
    void whateverIsSentAPostbackIsRefusedOrReadByItsRules(FuzzedDataProvider data) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            String name = data.consumeBoolean() ? NAMES[data.consumeInt(0, NAMES.length - 1)] : data.consumeString(10);
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(data.consumeString(80));
        }
        check(() -> PostbackRequest.of(parameters), parameters.get("revenue"));

        String body = data.consumeRemainingAsString();
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return; // the resource answers a body that is no JSON before it reaches the rules
        }
        check(() -> PostbackRequest.of(json), null);
    }

    private static void check(java.util.function.Supplier<PostbackRequest> parse, List<String> revenueSent) {
        PostbackRequest request;
        try {
            request = parse.get();
        } catch (ApiException e) {
            assertThat(e.getResponse().getStatus()).isEqualTo(400);
            return;
        }
        assertThat(request.clickId()).isNotEmpty().hasSizeLessThanOrEqualTo(128);
        assertThat(request.event()).matches(EVENT);
        if (request.revenue() == null) {
            assertThat(request.currency()).isNull();
            return;
        }
        assertThat(request.revenue().signum()).isGreaterThanOrEqualTo(0);
        assertThat(request.revenue().scale()).isLessThanOrEqualTo(PostbackRequest.MAX_SCALE);
        assertThat(request.currency()).matches("[A-Z]{3}");
        if (revenueSent != null) {
            assertThat(request.revenue()).isEqualByComparingTo(new BigDecimal(revenueSent.get(0)));
        }
    }
}
