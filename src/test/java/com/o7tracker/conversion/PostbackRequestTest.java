package com.o7tracker.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.o7tracker.web.ApiException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostbackRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static PostbackRequest query(String... nameValues) {
        Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
        }
        return PostbackRequest.of(parameters);
    }

    interface Parse {
        void run() throws Exception;
    }

    private static void refused(Parse parse, String message) {
        assertThatThrownBy(parse::run).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).getResponse().getStatus()).isEqualTo(400))
                .hasMessage(message);
    }

    @Test
    void theEventIsLowerCaseAndConversionByDefaultAndOtherParametersAreIgnored() {
        assertThat(query("click_id", "abc", "event", "Install", "sub1", "x", "aff_id", "42"))
                .isEqualTo(new PostbackRequest("abc", "install", null, null));
        assertThat(query("click_id", "abc")).isEqualTo(new PostbackRequest("abc", "conversion", null, null));
        assertThat(query("click_id", "abc", "event", "")).as("empty is absent").isEqualTo(new PostbackRequest("abc", "conversion", null, null));
        assertThat(query("click_id", "abc", "revenue", "", "currency", "EUR"))
                .as("a template's empty revenue is none").isEqualTo(new PostbackRequest("abc", "conversion", null, null));
    }

    @Test
    void revenueIsTheExactDecimalSentWithItsCurrencyUpperCase() {
        PostbackRequest paid = query("click_id", "abc", "event", "purchase", "revenue", "4.990001", "currency", "eur");
        assertThat(paid.revenue()).isEqualByComparingTo(new BigDecimal("4.990001"));
        assertThat(paid.revenue().scale()).isEqualTo(6);
        assertThat(paid.currency()).isEqualTo("EUR");
        assertThat(query("click_id", "abc", "revenue", "0", "currency", "JPY").revenue()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void aJsonBodyReadsAsTheQueryDoesItsRevenueAsWritten() throws Exception {
        JsonNode body = JSON.readTree("{\"click_id\":\"abc\",\"event\":\"SALE\",\"revenue\":0.1,\"currency\":\"usd\",\"extra\":[1]}");
        assertThat(PostbackRequest.of(body)).isEqualTo(new PostbackRequest("abc", "sale", new BigDecimal("0.1"), "USD"));
        assertThat(PostbackRequest.of(JSON.readTree("{\"click_id\":\"abc\",\"revenue\":\"12\",\"currency\":\"EUR\"}")).revenue())
                .isEqualByComparingTo("12");
        assertThat(PostbackRequest.of(JSON.readTree("{\"click_id\":\"abc\",\"revenue\":12,\"currency\":\"EUR\"}")).revenue())
                .isEqualByComparingTo("12");
        refused(() -> PostbackRequest.of(JSON.readTree("[1]")), "A postback's JSON body must be an object.");
        refused(() -> PostbackRequest.of(JSON.readTree("{\"click_id\":5}")), "click_id must be a string.");
        refused(() -> PostbackRequest.of(JSON.readTree("{\"click_id\":\"a\",\"revenue\":-1,\"currency\":\"EUR\"}")),
                "revenue must be a decimal number of at least 0 with at most 6 decimals, such as 4.99.");
        refused(() -> PostbackRequest.of(JSON.readTree("{\"click_id\":\"a\",\"revenue\":1.0000001,\"currency\":\"EUR\"}")),
                "revenue must be a decimal number of at least 0 with at most 6 decimals, such as 4.99.");
    }

    @Test
    void everyBreachOfTheRulesIsA400ThatSaysWhich() {
        refused(() -> query("event", "install"), "click_id is required.");
        refused(() -> query("click_id", ""), "click_id is required.");
        refused(() -> query("click_id", "x".repeat(129)), "click_id is not a click id of this service.");
        String event = "event must be 1 to 32 of the letters a-z, digits and _.";
        refused(() -> query("click_id", "a", "event", "sign-up"), event);
        refused(() -> query("click_id", "a", "event", "e".repeat(33)), event);
        refused(() -> query("click_id", "a", "event", "<script>"), event);
        refused(() -> query("click_id", "a", "event", "\u0130nstall"), event); // İ lower-cases to i + a combining dot
        String revenue = "revenue must be a decimal number of at least 0 with at most 6 decimals, such as 4.99.";
        for (String bad : List.of("-1", "1e3", "4,99", "NaN", "Infinity", "1.", ".5", "1.1234567", " 1", "0x10", "1".repeat(19))) {
            refused(() -> query("click_id", "a", "revenue", bad, "currency", "EUR"), revenue);
        }
        refused(() -> query("click_id", "a", "revenue", "1"), "currency is required with revenue: an ISO 4217 code such as EUR.");
        for (String bad : List.of("EU", "EURO", "XYZ", "€", "e1r")) {
            refused(() -> query("click_id", "a", "revenue", "1", "currency", bad), "currency must be an ISO 4217 code such as EUR.");
        }
        refused(() -> query("click_id", "a", "event", "a", "event", "b"), "event is sent more than once.");
        refused(() -> query("click_id", "a", "click_id", "b"), "click_id is sent more than once.");
    }
}
